// The header's scenario tools: "Demos" (the gallery), "Edit scenario" (the editor) and "Copy link",
// and the alert for a link that could not be opened. The dialogs and the alert load on demand.
import { lazy, Suspense, useState } from 'react';
import { createPortal } from 'react-dom';
import { useSession } from '../../store/session.ts';
import { onBadLink, pageHash, restorePrevious, useBadLink } from '../url.ts';
import { useView } from '../view.ts';
import { CopyLinkButton } from './CopyLinkButton.tsx';
import { fullLink, linkLengthWarning } from './link.ts';

const DemoDialog = lazy(() => import('../gallery/DemoDialog.tsx'));
/** Only a link that did not open shows it: loaded then. */
const LinkErrorAlert = lazy(() => import('./LinkErrorAlert.tsx').then((m) => ({ default: m.LinkErrorAlert })));
const EditorDialog = lazy(() => import('../editor/EditorDialog.tsx'));

export const TOOL =
  'inline-flex items-center rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 shadow-sm hover:bg-slate-50 disabled:opacity-50 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100 dark:hover:bg-slate-700';

/** `#s1.…&step=N` and the view's parameters for what is on screen ('' before the first run); the worker made the link. */
export function useCurrentHash(): string {
  const base = useSession((s) => s.link);
  const cursor = useSession((s) => s.cursor);
  const view = useView((v) => v);
  return base ? pageHash(base, cursor, view) : '';
}

export function ShareTools() {
  const [open, setOpen] = useState<'demos' | 'editor' | null>(null);
  const hash = useCurrentHash();
  // A run's link follows its result (the worker makes it once the run is painted): while an edit's
  // is on its way the tools stay where they are, disabled, rather than leave and come back.
  const [linked, setLinked] = useState(false);
  if (hash && !linked) setLinked(true);
  const close = () => setOpen(null);
  return (
    <>
      <button type="button" className={TOOL} onClick={() => setOpen('demos')}>
        Demos
      </button>
      <button type="button" className={TOOL} onClick={() => setOpen('editor')} disabled={!linked}>
        Edit scenario
      </button>
      {(hash || linked) && <CopyLinkButton hash={hash} showWarning={false} disabled={!hash} />}
      <LongLinkBadge hash={hash} />
      {/* Outside the header's banner landmark: a dialog is not part of the banner. */}
      {open &&
        createPortal(
          <Suspense fallback={null}>
            {open === 'demos' && <DemoDialog onClose={close} />}
            {open === 'editor' && <EditorDialog onClose={close} />}
          </Suspense>,
          document.body,
        )}
    </>
  );
}

/** The header has no room for the full warning: a badge that says it (hover, or the status text for screen readers). */
function LongLinkBadge({ hash }: { hash: string }) {
  const warning = hash ? linkLengthWarning(fullLink(window.location, hash).length) : undefined;
  return (
    <span role="status" className="empty:hidden">
      {warning && (
        <span title={warning} className="inline-flex items-center rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-900 dark:bg-amber-950 dark:text-amber-200">
          <span aria-hidden="true">⚠ long link</span>
          <span className="sr-only">{warning}</span>
        </span>
      )}
    </span>
  );
}

/** A link that could not be opened: what is wrong, and the way back to the previous scenario. */
export function LinkAlert() {
  const bad = useBadLink();
  if (!bad) return null;
  return (
    <div className="border-b border-red-200 px-3 py-2 dark:border-red-900">
      <Suspense fallback={null}>
        <LinkErrorAlert
          error={bad.error}
          fallback={bad.fallback}
          hasPrevious={!!bad.previous}
          onRestorePrevious={restorePrevious}
          onDismiss={() => onBadLink(null)}
        />
      </Suspense>
    </div>
  );
}
