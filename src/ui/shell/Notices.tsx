// Messages about the session: an invalid scenario or engine failure, and short notices (a refused
// gesture, a restarted worker). A link that could not be opened is src/ui/share/ShareTools.tsx
// LinkAlert (fed by src/ui/url.ts `onBadLink`).
import { useEffect } from 'react';
import type { TraceEntry } from '../../engine/trace.ts';
import { sessionStore, useSession } from '../../store/session.ts';

function Close({ onClick, label }: { onClick(): void; label: string }) {
  return (
    <button type="button" onClick={onClick} aria-label={label} className="ml-auto shrink-0 rounded px-1.5 text-lg leading-none opacity-80 hover:opacity-100">
      ×
    </button>
  );
}

/** The trace stopped at the page's cap on entries (DL-3, limit `entries`): how long it is, or null. */
function cappedAt(trace: readonly TraceEntry[]): number | null {
  const last = trace.at(-1);
  return last?.type === 'halt' && last.reason === 'budget' && last.limit === 'entries' ? trace.length : null;
}

export function RunProblems() {
  const status = useSession((s) => s.status);
  // Its last entry says (read once the trace is whole).
  const capped = useSession((s) => (s.traceWhole ? cappedAt(s.trace) : null));
  const message = useSession((s) => s.message);
  const errors = useSession((s) => s.errors);
  const newerVersion = useSession((s) => s.newerVersion);
  if (status === 'error') {
    return (
      <div role="alert" className="border-b border-red-300 bg-red-50 px-4 py-2 text-[13px] text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100">
        <strong className="font-semibold">The engine failed.</strong> {message}
      </div>
    );
  }
  if (status === 'invalid') {
    return (
      <div role="alert" className="border-b border-amber-300 bg-amber-50 px-4 py-2 text-[13px] text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
        <p className="font-semibold">
          {newerVersion ? 'This scenario was made by a newer version of the playground.' : 'The scenario is not valid; the previous one is still shown:'}
        </p>
        <ul className="mt-1 list-disc pl-5 font-mono text-xs">
          {errors.slice(0, 8).map((e, i) => (
            <li key={i}>
              <span className="font-semibold">{e.path || '/'}</span>: {e.message}
            </li>
          ))}
        </ul>
      </div>
    );
  }
  if (status === 'ready' && capped !== null) {
    return (
      <div role="status" data-testid="trace-capped" className="border-b border-amber-300 bg-amber-50 px-4 py-2 text-[13px] text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
        <strong className="font-semibold">This trace is capped at {capped.toLocaleString('en-US')} entries</strong>, the most the page
        holds (DL-3): the rest of the run is not shown. The command line produces all of it:{' '}
        <code className="font-mono">npm run --silent simulate -- --max-entries 2000000 scenario.json</code> (export the scenario from
        Edit scenario first).
      </div>
    );
  }
  return null;
}

/** A transient notice, bottom-centre; errors are alerts, the rest polite status messages. */
export function NoticeToast() {
  const notice = useSession((s) => s.notice);
  useEffect(() => {
    if (!notice || notice.tone === 'error') return;
    const t = setTimeout(() => {
      if (sessionStore.getState().notice?.id === notice.id) sessionStore.getState().dismissNotice();
    }, 8000);
    return () => clearTimeout(t);
  }, [notice]);
  if (!notice) return null;
  const cls =
    notice.tone === 'error'
      ? 'border-red-300 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100'
      : notice.tone === 'warning'
        ? 'border-amber-300 bg-amber-50 text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100'
        : 'border-slate-300 bg-white text-slate-900 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-100';
  return (
    <div className="pointer-events-none fixed inset-x-0 bottom-4 z-50 flex justify-center px-4">
      <div
        role={notice.tone === 'error' ? 'alert' : 'status'}
        data-testid="notice"
        className={`pointer-events-auto flex max-w-xl items-start gap-2 rounded-lg border px-3 py-2 text-[13px] shadow-lg ${cls}`}
      >
        <p>{notice.text}</p>
        <Close onClick={() => sessionStore.getState().dismissNotice()} label="Dismiss" />
      </div>
    </div>
  );
}
