// The trace as a readable list: one <li> per entry whose text is exactly formatEntry(entry),
// indented by call nesting, hazards marked. (Virtualised stepping views come later.)
import { memo, useMemo } from 'react';
import { formatBody } from '../../engine/format.ts';
import type { TraceEntry } from '../../engine/trace.ts';
import { nestingDepths } from './depth.ts';

/** Rows rendered at most; a huge trace is cut with a note rather than freezing the page. */
export const MAX_ROWS = 5_000;

const THREAD_COLORS = [
  'bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-300',
  'bg-violet-100 text-violet-800 dark:bg-violet-950 dark:text-violet-300',
  'bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300',
  'bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-300',
  'bg-rose-100 text-rose-800 dark:bg-rose-950 dark:text-rose-300',
  'bg-teal-100 text-teal-800 dark:bg-teal-950 dark:text-teal-300',
] as const;

/** A stable colour per thread name, so one thread's entries are easy to follow. */
function threadColor(thread: string): string {
  let h = 0;
  for (let i = 0; i < thread.length; i++) h = (h * 31 + thread.charCodeAt(i)) >>> 0;
  return THREAD_COLORS[h % THREAD_COLORS.length];
}

function bodyClass(e: TraceEntry): string {
  switch (e.type) {
    case 'call':
    case 'return':
      return 'text-sky-800 dark:text-sky-300';
    case 'invoke':
    case 'complete':
      return 'text-violet-800 dark:text-violet-300';
    case 'irp':
    case 'irpComplete':
      return 'text-orange-800 dark:text-orange-300';
    case 'queue':
      return 'text-amber-800 dark:text-amber-300';
    case 'state':
      // Scheduler bookkeeping (thread:… idle → runnable) is context, not the story: keep it quiet.
      return e.entity.startsWith('thread:') ? 'text-slate-600 dark:text-slate-400' : 'text-emerald-800 dark:text-emerald-300';
    case 'note':
      return 'italic text-slate-600 dark:text-slate-400 font-sans';
    case 'hazard':
      return e.severity === 'warning' || e.severity === 'info'
        ? 'font-semibold text-amber-900 dark:text-amber-200'
        : 'font-semibold text-red-800 dark:text-red-200';
    case 'halt':
    case 'action':
      return 'font-semibold text-slate-900 dark:text-slate-100';
    default:
      return '';
  }
}

function rowClass(e: TraceEntry): string {
  if (e.type === 'hazard') {
    return e.severity === 'warning' || e.severity === 'info'
      ? 'bg-amber-50 border-l-4 border-amber-500 dark:bg-amber-950/60'
      : 'bg-red-50 border-l-4 border-red-600 dark:bg-red-950/60';
  }
  if (e.type === 'action') return 'bg-slate-100 border-l-4 border-slate-400 dark:bg-slate-800/70 dark:border-slate-500 mt-2';
  if (e.type === 'halt') {
    return e.reason === 'quiescent'
      ? 'bg-emerald-50 border-l-4 border-emerald-500 dark:bg-emerald-950/50 mt-2'
      : 'bg-red-50 border-l-4 border-red-600 dark:bg-red-950/60 mt-2';
  }
  return 'border-l-4 border-transparent hover:bg-slate-50 dark:hover:bg-slate-800/40';
}

const Row = memo(function Row({ entry, depth }: { entry: TraceEntry; depth: number }) {
  const hazard = entry.type === 'hazard';
  return (
    <li
      className={`grid grid-cols-[3.5rem_2.5rem_9.5rem_1fr] items-baseline gap-x-2 rounded-r px-2 py-0.5 ${rowClass(entry)}`}
      data-type={entry.type}
      data-severity={hazard ? entry.severity : undefined}
    >
      <span className="text-right tabular-nums text-slate-600 dark:text-slate-400">#{entry.seq}</span>{' '}
      <span className="tabular-nums text-slate-600 dark:text-slate-400" title={`Timeline step ${entry.step}`}>
        s{entry.step}
      </span>{' '}
      <span className="truncate">
        <span className={`rounded px-1.5 py-px text-xs ${threadColor(entry.thread)}`} title={`Thread ${entry.thread}`}>
          [{entry.thread}]
        </span>
      </span>{' '}
      <span className={`break-words ${bodyClass(entry)}`} style={depth > 0 ? { paddingLeft: `${Math.min(depth, 12) * 1.25}rem` } : undefined}>
        {formatBody(entry)}
      </span>
    </li>
  );
});

export function TraceList({ trace }: { trace: readonly TraceEntry[] }) {
  const depths = useMemo(() => nestingDepths(trace), [trace]);
  const shown = trace.length > MAX_ROWS ? trace.slice(0, MAX_ROWS) : trace;
  return (
    <>
      <ol aria-label="Trace" className="space-y-px font-mono text-[13px] leading-6">
        {shown.map((e, i) => (
          <Row key={e.seq} entry={e} depth={depths[i]} />
        ))}
      </ol>
      {trace.length > MAX_ROWS && (
        <p className="mt-3 text-sm text-slate-600 dark:text-slate-400">
          Showing the first {MAX_ROWS.toLocaleString('en')} of {trace.length.toLocaleString('en')} entries.
        </p>
      )}
    </>
  );
}
