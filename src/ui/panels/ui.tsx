// Small building blocks shared by the panels: the panel frame (a labelled region with a heading),
// badges, and the tone classes (light and dark) used across the panels.
import { useId, type ReactNode } from 'react';
import type { Provenance } from '../../engine/rules/ids.ts';
import type { Severity } from '../../engine/rules/ids.ts';
import { dictOf } from '../../engine/dict.ts';

export function PanelFrame({
  title, subtitle, actions, children, className = '', bodyClassName = '', headingId, scrollable = false,
}: {
  title: string;
  /** The body scrolls: make it a tab stop so keyboard users can scroll it (axe scrollable-region-focusable). */
  scrollable?: boolean;
  subtitle?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
  bodyClassName?: string;
  headingId?: string;
}) {
  const generated = useId();
  const id = headingId ?? `panel-${generated}`;
  return (
    <section
      aria-labelledby={id}
      className={`flex min-h-0 min-w-0 flex-col overflow-hidden bg-white text-[13px] text-slate-900 dark:bg-slate-900 dark:text-slate-100 ${className}`}
    >
      <header className="flex min-h-9 flex-wrap items-center gap-x-3 gap-y-1 border-b border-slate-200 bg-slate-50 px-3 py-1.5 dark:border-slate-700 dark:bg-slate-800/60">
        <h2 id={id} className="text-xs font-semibold uppercase tracking-wide text-slate-700 dark:text-slate-200">
          {title}
        </h2>
        {subtitle !== undefined && <div className="min-w-0 truncate text-xs text-slate-600 dark:text-slate-400">{subtitle}</div>}
        {actions !== undefined && <div className="ml-auto flex flex-wrap items-center gap-2">{actions}</div>}
      </header>
      <div
        className={`min-h-0 flex-1 ${bodyClassName}`}
        {...(scrollable ? { tabIndex: 0 } : {})}
      >
        {children}
      </div>
    </section>
  );
}

export const BUTTON =
  'inline-flex items-center gap-1 rounded border border-slate-300 bg-white px-2 py-0.5 text-xs font-medium text-slate-800 shadow-sm hover:bg-slate-100 disabled:opacity-50 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100 dark:hover:bg-slate-700';

export const PROVENANCE_CLASS: Record<Provenance, string> = {
  DOC: 'border-emerald-600 bg-emerald-50 text-emerald-900 dark:border-emerald-500 dark:bg-emerald-950 dark:text-emerald-200',
  OBS: 'border-sky-600 bg-sky-50 text-sky-900 dark:border-sky-500 dark:bg-sky-950 dark:text-sky-200',
  CHOICE: 'border-amber-600 bg-amber-50 text-amber-950 dark:border-amber-500 dark:bg-amber-950 dark:text-amber-200 border-dashed',
  'DOC+OBS': 'border-teal-600 bg-teal-50 text-teal-900 dark:border-teal-500 dark:bg-teal-950 dark:text-teal-200',
};

export const SEVERITY_CLASS: Record<Severity, string> = {
  bugcheck: 'bg-red-700 text-white dark:bg-red-600',
  deadlock: 'bg-red-700 text-white dark:bg-red-600',
  error: 'bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200',
  warning: 'bg-amber-100 text-amber-950 dark:bg-amber-950 dark:text-amber-200',
  info: 'bg-slate-100 text-slate-800 dark:bg-slate-800 dark:text-slate-200',
};

/** A step that follows its rule: calm, never an alarm colour. */
export const VERDICT_OBEYS_CLASS = 'bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200';

/** Thread state → badge classes. */
export const THREAD_STATE_CLASS: Readonly<Record<string, string>> = dictOf({
  runnable: 'bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200',
  blocked: 'bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200',
  idle: 'bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300',
  done: 'bg-slate-100 text-slate-500 line-through dark:bg-slate-800 dark:text-slate-400',
});

export function Badge({ className, children, title }: { className: string; children: ReactNode; title?: string }) {
  return (
    <span title={title} className={`inline-flex items-center rounded px-1.5 py-px text-[11px] font-semibold leading-4 ${className}`}>
      {children}
    </span>
  );
}

/** Visually hidden, still read by screen readers. */
export const SR_ONLY = 'sr-only';
