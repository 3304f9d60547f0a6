// "Copy link": copies this page's address with the scenario hash, says so in a live region, and
// warns when the link is long enough for chat apps to cut it.
import { useEffect, useRef, useState } from 'react';
import { copyText, fullLink, linkLengthWarning } from './link.ts';

export interface CopyLinkButtonProps {
  /** `#s1.…` (from scenarioToHash). */
  hash: string;
  /** Button text; say what is copied when there are several on screen ("Copy link to …" via aria-label). */
  label?: string;
  /** Accessible name when the visible label is not enough. */
  ariaLabel?: string;
  /** Show the length warning under the button (default true). */
  showWarning?: boolean;
  variant?: 'primary' | 'secondary';
  /** Offered but not usable yet (its link is on its way). */
  disabled?: boolean;
}

const BUTTON = {
  primary:
    'bg-sky-700 text-white hover:bg-sky-800 dark:bg-sky-700 dark:hover:bg-sky-600',
  secondary:
    'border border-slate-300 bg-white text-slate-800 hover:bg-slate-50 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100 dark:hover:bg-slate-700',
} as const;

export function CopyLinkButton({ hash, label = 'Copy link', ariaLabel, showWarning = true, variant = 'secondary', disabled = false }: CopyLinkButtonProps) {
  const link = fullLink(window.location, hash);
  const warning = showWarning ? linkLengthWarning(link.length) : undefined;
  const [status, setStatus] = useState<'idle' | 'copied' | 'failed'>('idle');
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const manual = useRef<HTMLInputElement>(null);

  useEffect(() => () => clearTimeout(timer.current), []);
  useEffect(() => {
    if (status === 'failed') manual.current?.select();
  }, [status]);

  async function copy() {
    clearTimeout(timer.current);
    const ok = await copyText(link);
    setStatus(ok ? 'copied' : 'failed');
    if (ok) timer.current = setTimeout(() => setStatus('idle'), 2500);
  }

  return (
    <div className="inline-flex max-w-full flex-col items-start gap-1">
      <div className="flex items-center gap-2">
        <button
          type="button"
          onClick={copy}
          aria-label={ariaLabel}
          disabled={disabled}
          className={`inline-flex items-center gap-1.5 rounded-md px-3 py-1.5 text-sm font-medium shadow-sm disabled:opacity-50 ${BUTTON[variant]}`}
        >
          <svg aria-hidden="true" viewBox="0 0 20 20" className="size-4" fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" strokeLinejoin="round">
            <path d="M8.5 11.5a3 3 0 0 0 4.24 0l2.5-2.5a3 3 0 0 0-4.24-4.24l-.75.75" />
            <path d="M11.5 8.5a3 3 0 0 0-4.24 0l-2.5 2.5a3 3 0 0 0 4.24 4.24l.75-.75" />
          </svg>
          {label}
        </button>
        {/* Always in the DOM, so screen readers announce the change. */}
        <span aria-live="polite" className="text-sm font-medium text-emerald-700 dark:text-emerald-400">
          {status === 'copied' ? 'Link copied' : ''}
        </span>
      </div>
      {status === 'failed' && (
        <label className="flex w-full max-w-md flex-col gap-1 text-sm text-slate-700 dark:text-slate-300">
          The browser did not allow copying; select the link and copy it:
          <input
            ref={manual}
            readOnly
            value={link}
            onFocus={(e) => e.currentTarget.select()}
            className="w-full rounded border border-slate-300 bg-slate-50 px-2 py-1 font-mono text-xs dark:border-slate-600 dark:bg-slate-800"
          />
        </label>
      )}
      {showWarning && warning && (
        <p role="status" className="max-w-md text-sm text-amber-800 dark:text-amber-300">
          <span aria-hidden="true">⚠ </span>
          {warning}
        </p>
      )}
    </div>
  );
}
