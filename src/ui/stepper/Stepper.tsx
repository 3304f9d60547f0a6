// The stepper: Reset, Step back, Step forward, Run to end (with ←/→, Home/End; Shift+←/→ jumps
// by timeline action), a scrubber with action and hazard markers, and "Step k of n".
// Stepping only moves the store's cursor; the snapshot follows by worker round trips (coalesced).
import { memo, useEffect, useMemo } from 'react';
import { formatAction, formatBody } from '../../engine/format.ts';
import { sessionStore, useSession, useSessionNow } from '../../store/session.ts';
import { actionSeqs, markers, nextAction, previousAction } from './model.ts';

/** Do not take keys from text fields, selects, sliders, or anything that handled them already. */
function ownsKeys(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  if (target.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"], [role="slider"], [role="tablist"], [role="listbox"], [role="grid"], [role="tree"], [role="menu"]')) {
    return true;
  }
  return false;
}

/** Global shortcuts for stepping (installed once by the page). */
export function useStepShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || ownsKeys(e.target)) return;
      const s = sessionStore.getState();
      if (s.trace.length === 0) return;
      const starts = () => actionSeqs(s.trace);
      switch (e.key) {
        case 'ArrowRight':
          if (e.shiftKey) s.seek(nextAction(starts(), s.cursor, s.trace.length));
          else s.step(1);
          break;
        case 'ArrowLeft':
          if (e.shiftKey) s.seek(previousAction(starts(), s.cursor));
          else s.step(-1);
          break;
        case 'Home':
          s.seek(0);
          break;
        case 'End':
          s.seek(s.trace.length - 1);
          break;
        default:
          return;
      }
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

const Markers = memo(function Markers() {
  const trace = useSession((s) => s.trace);
  const marks = useMemo(() => markers(trace), [trace]);
  return (
    <svg aria-hidden="true" className="pointer-events-none absolute inset-x-[9px] top-0 h-full w-[calc(100%-18px)] overflow-visible" preserveAspectRatio="none">
      {marks.map((m) => (
        <rect
          key={`${m.kind}:${m.seq}`}
          x={`${m.at * 100}%`}
          y={m.kind === 'action' ? 4 : 2}
          width={m.kind === 'action' ? 2 : 3}
          height={m.kind === 'action' ? 10 : 14}
          transform={`translate(${m.kind === 'action' ? -1 : -1.5} 0)`}
          className={m.kind === 'hazard' ? 'fill-red-600 dark:fill-red-400' : m.kind === 'warning' ? 'fill-amber-500 dark:fill-amber-400' : 'fill-slate-400 dark:fill-slate-500'}
        >
          <title>{m.label}</title>
        </rect>
      ))}
    </svg>
  );
});

function Btn({ label, keys, onClick, disabled, children }: { label: string; keys: string; onClick(): void; disabled: boolean; children: React.ReactNode }) {
  return (
    <button
      type="button"
      onClick={onClick}
      disabled={disabled}
      aria-keyshortcuts={keys}
      title={`${label} (${keys.replace('ArrowLeft', '←').replace('ArrowRight', '→')})`}
      className="inline-flex h-8 items-center gap-1.5 rounded-md border border-slate-300 bg-white px-2.5 text-[13px] font-medium text-slate-800 shadow-sm hover:bg-slate-50 disabled:cursor-not-allowed disabled:opacity-50 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-100 dark:hover:bg-slate-700"
    >
      {children}
    </button>
  );
}

const Icon = ({ d }: { d: string }) => (
  <svg aria-hidden="true" viewBox="0 0 16 16" className="size-3.5 fill-current">
    <path d={d} />
  </svg>
);

export function Stepper() {
  const length = useSessionNow((s) => s.trace.length);
  const cursor = useSessionNow((s) => s.cursor);
  const entry = useSessionNow((s) => (s.cursor >= 0 ? s.trace[s.cursor] : undefined));
  const timeline = useSessionNow((s) => s.scenario?.timeline);
  const choice = useSessionNow((s) => s.choices.find((c) => c.at === s.cursor + 1));
  const { seek, step } = sessionStore.getState();
  const trace = useSessionNow((s) => s.trace);
  const starts = useMemo(() => actionSeqs(trace), [trace]);

  const atStart = cursor <= 0;
  const atEnd = cursor >= length - 1;
  const k = cursor + 1;
  const summary = entry ? formatBody(entry) : '';
  const stepLabel = entry
    ? entry.step === 0
      ? 'Boot'
      : `Action ${entry.step} of ${timeline?.length ?? 0}${timeline?.[entry.step - 1] ? `: ${formatAction(timeline[entry.step - 1])}` : ''}`
    : '';

  return (
    <section aria-label="Stepper" className="border-t border-slate-200 bg-white px-3 py-2 dark:border-slate-800 dark:bg-slate-900">
      <div className="flex flex-wrap items-center gap-2">
        <div className="flex items-center gap-1.5" role="group" aria-label="Step controls">
          <Btn label="Reset" keys="Home" onClick={() => seek(0)} disabled={length === 0 || atStart}>
            <Icon d="M3 2h2v12H3zM14 2v12L6 8z" />
            Reset
          </Btn>
          <Btn label="Previous action" keys="Shift+ArrowLeft" onClick={() => seek(previousAction(starts, cursor))} disabled={length === 0 || atStart}>
            <Icon d="M8 2v12L1 8zM15 2v12L8 8z" />
            <span className="sr-only">Previous action</span>
          </Btn>
          <Btn label="Step back" keys="ArrowLeft" onClick={() => step(-1)} disabled={length === 0 || atStart}>
            <Icon d="M11 2v12L3 8z" />
            Step back
          </Btn>
          <Btn label="Step forward" keys="ArrowRight" onClick={() => step(1)} disabled={length === 0 || atEnd}>
            Step forward
            <Icon d="M5 2v12l8-6z" />
          </Btn>
          <Btn label="Next action" keys="Shift+ArrowRight" onClick={() => seek(nextAction(starts, cursor, length))} disabled={length === 0 || atEnd}>
            <span className="sr-only">Next action</span>
            <Icon d="M1 2v12l7-6zM8 2v12l7-6z" />
          </Btn>
          <Btn label="Run to end" keys="End" onClick={() => seek(length - 1)} disabled={length === 0 || atEnd}>
            Run to end
            <Icon d="M2 2v12l8-6zM11 2h2v12h-2z" />
          </Btn>
        </div>
        <p className="ml-auto text-[13px] tabular-nums">
          <span role="status" data-testid="step-status" className="font-semibold text-slate-900 dark:text-slate-100">
            {length > 0 ? `Step ${k} of ${length}` : 'No trace'}
          </span>
        </p>
      </div>
      <div className="relative mt-2 h-[18px]">
        <Markers />
        <input
          type="range"
          min={0}
          max={Math.max(0, length - 1)}
          step={1}
          value={Math.max(0, cursor)}
          disabled={length === 0}
          onChange={(e) => seek(Number(e.currentTarget.value))}
          aria-label="Trace position"
          aria-valuetext={length > 0 ? `Step ${k} of ${length}: ${summary}` : 'No trace'}
          className="pnp-scrubber relative z-10 h-[18px] w-full cursor-pointer bg-transparent"
        />
      </div>
      <div className="mt-1 flex min-h-5 items-center gap-2 text-[12px]">
        {stepLabel && <span className="shrink-0 font-medium text-slate-700 dark:text-slate-300">{stepLabel}</span>}
        <code data-testid="step-entry" className="min-w-0 flex-1 truncate font-mono text-slate-600 dark:text-slate-400" title={summary}>
          {summary}
        </code>
        {choice && (
          <span className="shrink-0 rounded-full bg-violet-100 px-2 py-0.5 font-medium text-violet-900 dark:bg-violet-900/60 dark:text-violet-100">
            Choice point: {choice.runnable.length} threads can run next — pick one in Threads
          </span>
        )}
      </div>
    </section>
  );
}
