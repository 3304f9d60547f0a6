// The stepper: Reset, Step back, Step forward, Run to end (with ←/→, Home/End; Shift+←/→ jumps
// by timeline action), Previous / Next callback (P / N), Play / Pause with a Speed control, a
// scrubber with action and hazard markers, and "Step k of n". Step back / forward and Play follow
// the Trace panel's filter (hide the scheduler's entries and stepping skips them too).
// Stepping only moves the store's cursor; the snapshot follows by worker round trips (coalesced).
import { memo, useEffect, useId, useMemo } from 'react';
import { formatAction, formatBody } from '../../engine/format.ts';
import { sessionStore, useSession, useSessionNow } from '../../store/session.ts';
import { stepVisible, useTraceFilter, visibleSeqs } from '../panels/traceFilter.ts';
import { actionSeqs, callbackSeqs, markers, nextAction, nextOf, previousAction, previousOf } from './model.ts';
import { setPlaying, setSpeed, SPEEDS, stepShown, usePlayback, usePlaybackTimer } from './playback.ts';

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
          else stepShown(1);
          break;
        case 'ArrowLeft':
          if (e.shiftKey) s.seek(previousAction(starts(), s.cursor));
          else stepShown(-1);
          break;
        case 'n':
        case 'N': {
          const to = nextOf(callbackSeqs(s.trace), s.cursor);
          if (to === null) return;
          s.seek(to);
          break;
        }
        case 'p':
        case 'P': {
          const to = previousOf(callbackSeqs(s.trace), s.cursor);
          if (to === null) return;
          s.seek(to);
          break;
        }
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

/**
 * The scrubber's marks. Action starts (hundreds on a long trace) are one path of 2 px strokes
 * (`non-scaling-stroke`: the path is drawn in a 0…1000 box stretched over the track, the strokes
 * keep their width), so a long trace adds one element, not hundreds; hazards and warnings, which
 * are few and drawn over them, stay one rect each, named by their rule.
 */
const Markers = memo(function Markers() {
  const trace = useSession((s) => s.trace);
  const marks = useMemo(() => markers(trace), [trace]);
  const actions = useMemo(() => {
    let d = '';
    for (const m of marks) if (m.kind === 'action') d += `M${(m.at * 1000).toFixed(2)} 4v10`;
    return d;
  }, [marks]);
  return (
    <>
      <svg aria-hidden="true" className="pointer-events-none absolute inset-x-[9px] top-0 h-full w-[calc(100%-18px)] overflow-visible" viewBox="0 0 1000 18" preserveAspectRatio="none">
        {actions && <path d={actions} strokeWidth={2} vectorEffect="non-scaling-stroke" className="stroke-slate-400 dark:stroke-slate-500" />}
      </svg>
      <svg aria-hidden="true" className="pointer-events-none absolute inset-x-[9px] top-0 h-full w-[calc(100%-18px)] overflow-visible" preserveAspectRatio="none">
        {marks.map((m) =>
          m.kind === 'action' ? null : (
            <rect
              key={`${m.kind}:${m.seq}`}
              x={`${m.at * 100}%`}
              y={2}
              width={3}
              height={14}
              transform="translate(-1.5 0)"
              className={m.kind === 'hazard' ? 'fill-red-600 dark:fill-red-400' : 'fill-amber-500 dark:fill-amber-400'}
            >
              <title>{m.label}</title>
            </rect>
          ),
        )}
      </svg>
    </>
  );
});

function Btn({
  label,
  keys,
  onClick,
  disabled,
  children,
  showLabel = 'always',
  short,
}: {
  label: string;
  keys?: string;
  onClick(): void;
  disabled: boolean;
  children: React.ReactNode;
  /** When the label is shown next to the icon: always, or on wide screens only (else it is the accessible name only). */
  showLabel?: 'always' | 'small-up' | 'wide' | 'never';
  /** A shorter visible text (from 640 px up) for a long label, which stays the accessible name. */
  short?: string;
}) {
  const shortcut = keys ? ` (${keys.replace('ArrowLeft', '←').replace('ArrowRight', '→')})` : '';
  const labelClass = { always: '', 'small-up': 'sr-only sm:not-sr-only', wide: 'sr-only 2xl:not-sr-only', never: 'sr-only' }[showLabel];
  return (
    <button
      type="button"
      onClick={onClick}
      disabled={disabled}
      aria-keyshortcuts={keys}
      title={`${label}${shortcut}`}
      className="pnp-step-btn inline-flex h-8 shrink-0 items-center gap-1.5 whitespace-nowrap rounded-md border border-slate-300 bg-white px-2.5 text-[13px] font-medium text-slate-800 shadow-sm hover:bg-slate-50 disabled:cursor-not-allowed disabled:opacity-50 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-100 dark:hover:bg-slate-700"
    >
      {children}
      {short ? (
        <>
          <span aria-hidden="true" className="hidden sm:inline">
            {short}
          </span>
          <span className="sr-only">{label}</span>
        </>
      ) : (
        <span className={labelClass}>{label}</span>
      )}
    </button>
  );
}

const Icon = ({ d }: { d: string }) => (
  <svg aria-hidden="true" viewBox="0 0 16 16" className="size-3.5 shrink-0 fill-current">
    <path d={d} />
  </svg>
);

function Playback({ atEnd, empty }: { atEnd: boolean; empty: boolean }) {
  usePlaybackTimer();
  const playing = usePlayback((p) => p.playing);
  const speed = usePlayback((p) => p.speed);
  const speedId = useId();
  return (
    <div className="flex items-center gap-1.5" role="group" aria-label="Playback">
      {playing ? (
        <Btn label="Pause" onClick={() => setPlaying(false)} disabled={false}>
          <Icon d="M4 2h3v12H4zM9 2h3v12H9z" />
        </Btn>
      ) : (
        <Btn label="Play" onClick={() => setPlaying(true)} disabled={empty || atEnd}>
          <Icon d="M4 2v12l10-6z" />
        </Btn>
      )}
      <label htmlFor={speedId} className="sr-only">
        Speed
      </label>
      <select
        id={speedId}
        value={speed}
        onChange={(e) => setSpeed(Number(e.currentTarget.value))}
        title="Speed"
        className="pnp-step-btn h-8 rounded-md border border-slate-300 bg-white px-1.5 text-[13px] text-slate-800 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-100"
      >
        {SPEEDS.map((s) => (
          <option key={s.value} value={s.value}>
            {s.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** `tools`: more controls, at the end of the entry line (the full page's "Quiz me"). */
export function Stepper({ tools }: { tools?: React.ReactNode } = {}) {
  // The stepper follows a key press in the same frame (useSessionNow); the graph and panels once per frame.
  const length = useSessionNow((s) => s.trace.length);
  const cursor = useSessionNow((s) => s.cursor);
  const entry = useSessionNow((s) => (s.cursor >= 0 ? s.trace[s.cursor] : undefined));
  const timeline = useSessionNow((s) => s.scenario?.timeline);
  const choice = useSessionNow((s) => s.choices.find((c) => c.at === s.cursor + 1));
  const { seek } = sessionStore.getState();
  const trace = useSessionNow((s) => s.trace);
  const filter = useTraceFilter();
  const starts = useMemo(() => actionSeqs(trace), [trace]);
  const callbacks = useMemo(() => callbackSeqs(trace), [trace]);
  const visible = useMemo(() => visibleSeqs(trace, filter), [trace, filter]);

  const back = stepVisible(visible, length, cursor, -1);
  const forward = stepVisible(visible, length, cursor, 1);
  const prevCallback = previousOf(callbacks, cursor);
  const nextCallback = nextOf(callbacks, cursor);
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
    <section aria-label="Stepper" className="pnp-stepper border-t border-slate-200 bg-white px-3 py-2 dark:border-slate-800 dark:bg-slate-900">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1.5">
        <div className="flex items-center gap-1.5" role="group" aria-label="Step controls">
          <Btn label="Reset" keys="Home" onClick={() => seek(0)} disabled={length === 0 || atStart} showLabel="wide">
            <Icon d="M3 2h2v12H3zM14 2v12L6 8z" />
          </Btn>
          <Btn label="Previous action" keys="Shift+ArrowLeft" onClick={() => seek(previousAction(starts, cursor))} disabled={length === 0 || atStart} showLabel="never">
            <Icon d="M8 2v12L1 8zM15 2v12L8 8z" />
          </Btn>
          <Btn label="Step back" keys="ArrowLeft" onClick={() => seek(back)} disabled={length === 0 || back === cursor} showLabel="small-up">
            <Icon d="M11 2v12L3 8z" />
          </Btn>
          <Btn label="Step forward" keys="ArrowRight" onClick={() => seek(forward)} disabled={length === 0 || forward === cursor} showLabel="small-up">
            <Icon d="M5 2v12l8-6z" />
          </Btn>
          <Btn label="Next action" keys="Shift+ArrowRight" onClick={() => seek(nextAction(starts, cursor, length))} disabled={length === 0 || atEnd} showLabel="never">
            <Icon d="M1 2v12l7-6zM8 2v12l7-6z" />
          </Btn>
          <Btn label="Run to end" keys="End" onClick={() => seek(length - 1)} disabled={length === 0 || atEnd} showLabel="wide">
            <Icon d="M2 2v12l8-6zM11 2h2v12h-2z" />
          </Btn>
        </div>
        <div className="flex items-center gap-1.5" role="group" aria-label="Callbacks">
          <Btn label="Previous callback" keys="P" onClick={() => prevCallback !== null && seek(prevCallback)} disabled={prevCallback === null} short="Callback">
            <Icon d="M9 3 4 8l5 5V3zM14 3 9 8l5 5V3z" />
          </Btn>
          <Btn label="Next callback" keys="N" onClick={() => nextCallback !== null && seek(nextCallback)} disabled={nextCallback === null} short="Callback">
            <Icon d="M2 3l5 5-5 5V3zM7 3l5 5-5 5V3z" />
          </Btn>
        </div>
        <Playback atEnd={forward === cursor} empty={length === 0} />
        <p className="ml-auto whitespace-nowrap text-[13px] tabular-nums">
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
      {/* One line at every width (a taller stepper would shrink the graph between steps): long texts truncate. */}
      <div className="pnp-step-line mt-1 flex min-h-5 items-center gap-2 text-[12px]">
        {stepLabel && (
          <span className="min-w-0 truncate font-medium text-slate-700 dark:text-slate-300" title={stepLabel}>
            {stepLabel}
          </span>
        )}
        <code data-testid="step-entry" className="min-w-0 flex-1 truncate font-mono text-slate-600 dark:text-slate-400" title={summary}>
          {summary}
        </code>
        {visible && (
          <span className="min-w-0 truncate rounded-full bg-sky-100 px-2 py-0.5 font-medium text-sky-900 dark:bg-sky-950 dark:text-sky-100" title="Step back, Step forward and Play visit only the entries the Trace filter shows">
            Stepping follows the Trace filter: {visible.length} of {length}
          </span>
        )}
        {choice && (
          <span className="min-w-0 truncate rounded-full bg-violet-100 px-2 py-0.5 font-medium text-violet-900 dark:bg-violet-900/60 dark:text-violet-100">
            Choice point: {choice.runnable.length} threads can run next — pick one in Threads
          </span>
        )}
        {tools}
      </div>
    </section>
  );
}
