// A fatal hazard up to the cursor gets an overlay: a bug check as a (clearly simulated) blue
// screen, a deadlock as its wait cycle drawn as a ring. Warnings and errors are not overlays: the
// trace marks them. The overlay fills its positioned container (absolute inset-0).
import { useEffect, useId, useMemo, useRef, type KeyboardEvent } from 'react';
import { PROVENANCE_LABEL, rule } from '../../engine/rules/catalog.ts';
import type { EntryOf, WaitEdge } from '../../engine/trace.ts';
import { ProvenanceBadge } from './ExplanationPanel.tsx';
import { sourceText } from './explain.ts';
import { fatalHazardSeqs, lastAtOrBefore, type Trace } from './traceIndex.ts';
import type { PanelProps } from './types.ts';

export interface HazardOverlayProps extends PanelProps {
  onDismiss(): void;
}

/** The fatal hazard (bug check / deadlock) at or before the cursor, if any. */
export function fatalHazardAt(trace: Trace, cursor: number): EntryOf<'hazard'> | null {
  const seqs = fatalHazardSeqs(trace);
  const k = lastAtOrBefore(seqs, cursor);
  return k < 0 ? null : (trace[seqs[k]] as EntryOf<'hazard'>);
}

/** `0xCE DRIVER_UNLOADED_…` → code and name. */
export function splitBugcheck(text: string | undefined): { code: string; name: string } {
  if (!text) return { code: '', name: '' };
  const space = text.indexOf(' ');
  return space < 0 ? { code: text, name: '' } : { code: text.slice(0, space), name: text.slice(space + 1) };
}

const ACTION_BUTTON =
  'rounded border px-3 py-1 text-sm font-medium focus-visible:outline-2 focus-visible:outline-offset-2';

/** The wait cycle as a ring: each thread a node, each wait an arrow to the thread it waits for. */
function CycleRing({ cycle }: { cycle: WaitEdge[] }) {
  const nodes = cycle.map((w) => w.thread);
  const n = nodes.length;
  const size = n === 1 ? 180 : 280;
  const c = size / 2;
  const r = n === 1 ? 0 : 92;
  // A single thread sits low, leaving room for its loop above.
  const pos = nodes.map((_, i) => {
    // Two threads side by side (their labels stay clear of the arrows), more around a circle from the top.
    const a = (n === 2 ? Math.PI : -Math.PI / 2) + (2 * Math.PI * i) / Math.max(1, n);
    return { x: c + r * Math.cos(a), y: (n === 1 ? c + 24 : c) + r * Math.sin(a) };
  });
  const indexOf = (t: string) => nodes.indexOf(t);
  return (
    <svg viewBox={`0 0 ${size} ${size}`} width={size} height={size} aria-hidden="true" className="mx-auto block max-w-full overflow-visible">
      {cycle.map((w, i) => {
        const from = pos[i];
        const j = indexOf(w.waitsFor);
        if (j === i || j < 0) {
          // A thread waiting for itself: a loop above the node.
          return (
            <g key={i} className="stroke-red-600 dark:stroke-red-400" fill="none" strokeWidth={2}>
              <path d={`M${from.x - 16} ${from.y - 20} C ${from.x - 64} ${from.y - 96}, ${from.x + 64} ${from.y - 96}, ${from.x + 17} ${from.y - 30}`} />
              <polygon
                points={`${from.x + 12},${from.y - 24} ${from.x + 24},${from.y - 34} ${from.x + 10},${from.y - 38}`}
                className="fill-red-600 stroke-none dark:fill-red-400"
              />
            </g>
          );
        }
        const to = pos[j];
        const dx = to.x - from.x;
        const dy = to.y - from.y;
        const len = Math.hypot(dx, dy) || 1;
        const ux = dx / len;
        const uy = dy / len;
        const sx = from.x + ux * 30;
        const sy = from.y + uy * 30;
        const ex = to.x - ux * 32;
        const ey = to.y - uy * 32;
        // Bow the arrow outwards so two threads waiting for each other get two visible arrows.
        const mx = (sx + ex) / 2 - uy * 22;
        const my = (sy + ey) / 2 + ux * 22;
        const hx = ex - ux * 9;
        const hy = ey - uy * 9;
        return (
          <g key={i}>
            <path d={`M${sx} ${sy} Q ${mx} ${my} ${ex} ${ey}`} fill="none" strokeWidth={2} className="stroke-red-600 dark:stroke-red-400" />
            <polygon
              points={`${ex},${ey} ${hx - uy * 5},${hy + ux * 5} ${hx + uy * 5},${hy - ux * 5}`}
              className="fill-red-600 dark:fill-red-400"
            />
          </g>
        );
      })}
      {nodes.map((t, i) => (
        <g key={t + i}>
          <circle cx={pos[i].x} cy={pos[i].y} r={26} className="fill-white stroke-red-600 dark:fill-slate-900 dark:stroke-red-400" strokeWidth={2} />
          <text x={pos[i].x} y={pos[i].y + 44} textAnchor="middle" className="fill-slate-900 font-mono text-[11px] font-semibold dark:fill-slate-100">
            {t.length > 26 ? `${t.slice(0, 25)}…` : t}
          </text>
          <text x={pos[i].x} y={pos[i].y + 5} textAnchor="middle" className="fill-red-700 text-[14px] font-bold dark:fill-red-300">
            {i + 1}
          </text>
        </g>
      ))}
    </svg>
  );
}

export function HazardOverlay({ trace, cursor, onSeek, onDismiss }: HazardOverlayProps) {
  const hazard = useMemo(() => fatalHazardAt(trace, cursor), [trace, cursor]);
  const titleId = useId();
  const dismissRef = useRef<HTMLButtonElement>(null);
  const seq = hazard?.seq;

  // Take the focus when a hazard appears (the run has stopped), give it back on dismiss.
  useEffect(() => {
    if (seq === undefined) return;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dismissRef.current?.focus({ preventScroll: true });
    return () => {
      if (previous && previous.isConnected) previous.focus({ preventScroll: true });
    };
  }, [seq]);

  if (!hazard) return null;
  const r = rule(hazard.rule);
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      onDismiss();
    }
  };

  if (hazard.severity === 'bugcheck') {
    const { code, name } = splitBugcheck(hazard.bugcheck);
    return (
      <div className="absolute inset-0 z-40 flex overflow-auto bg-slate-950/50 p-4" onKeyDown={onKeyDown}>
        <div
          role="alert"
          aria-labelledby={titleId}
          className="m-auto w-full max-w-3xl rounded-lg bg-[#0058a3] p-6 text-white shadow-2xl ring-1 ring-white/20 [overflow-wrap:anywhere] sm:p-8"
        >
          <p className="text-[11px] font-semibold uppercase tracking-[0.2em] text-white/90">Simulated bug check · nothing happened to your computer</p>
          <p aria-hidden="true" className="mt-2 text-6xl font-light leading-none">
            :(
          </p>
          <h2 id={titleId} className="mt-4 text-xl font-light leading-snug sm:text-2xl">
            The simulated PC ran into a problem and stopped: bug check {code}.
          </h2>
          <dl className="mt-4 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
            <dt className="text-white/85">Stop code</dt>
            <dd className="font-mono font-semibold">{name || code}</dd>
            <dt className="text-white/85">Code</dt>
            <dd className="font-mono">{code}</dd>
            <dt className="text-white/85">Rule</dt>
            <dd>
              <span className="font-mono font-semibold">{r.id}</span> {r.title}{' '}
              <span className="rounded bg-white/15 px-1.5 py-px text-xs">{PROVENANCE_LABEL[r.provenance]}</span>
            </dd>
            <dt className="text-white/85">Step</dt>
            <dd className="font-mono">#{hazard.seq + 1}</dd>
          </dl>
          <p className="mt-4 text-sm leading-relaxed">{hazard.message}</p>
          <p className="mt-3 text-sm leading-relaxed text-white/90">{r.explanation}</p>
          <p className="mt-2 text-xs text-white/85">Source: {sourceText(r)}</p>
          <div className="mt-6 flex flex-wrap gap-3">
            <button type="button" onClick={() => onSeek(hazard.seq)} className={`${ACTION_BUTTON} border-white bg-white text-[#0058a3] hover:bg-white/90 focus-visible:outline-white`}>
              Go to step #{hazard.seq + 1}
            </button>
            <button ref={dismissRef} type="button" onClick={onDismiss} className={`${ACTION_BUTTON} border-white/80 text-white hover:bg-white/10 focus-visible:outline-white`}>
              Dismiss
            </button>
          </div>
        </div>
      </div>
    );
  }

  const cycle = hazard.cycle ?? [];
  return (
    <div className="absolute inset-0 z-40 flex overflow-auto bg-slate-950/40 p-4" onKeyDown={onKeyDown}>
      <div
        role="alert"
        aria-labelledby={titleId}
        className="m-auto w-full max-w-2xl rounded-lg border-2 [overflow-wrap:anywhere] border-red-600 bg-white p-5 text-slate-900 shadow-2xl dark:border-red-500 dark:bg-slate-900 dark:text-slate-100"
      >
        <p className="text-[11px] font-semibold uppercase tracking-[0.2em] text-red-700 dark:text-red-300">Deadlock · the run stopped</p>
        <h2 id={titleId} className="mt-1 text-lg font-semibold leading-snug">
          {cycle.length === 1 ? 'A thread waits for itself: it can never run again.' : `${cycle.length} threads wait for each other: none of them can ever run again.`}
        </h2>
        <div className={`mt-3 grid items-center gap-4 ${cycle.length === 1 ? 'sm:grid-cols-[180px_1fr]' : 'sm:grid-cols-[280px_1fr]'}`}>
          <CycleRing cycle={cycle} />
          <ol aria-label="Wait cycle" className="space-y-2 text-sm">
            {cycle.map((w, i) => (
              <li key={i} className="rounded border border-red-200 bg-red-50 px-2 py-1 dark:border-red-900 dark:bg-red-950/50">
                <span className="font-mono font-semibold">
                  {i + 1}. {w.thread}
                </span>{' '}
                waits for <span className="font-mono font-semibold">{w.waitsFor}</span>
                <span className="block text-xs text-slate-700 dark:text-slate-300">{w.reason}</span>
              </li>
            ))}
          </ol>
        </div>
        <div className="mt-3 flex flex-wrap items-center gap-2">
          <span className="rounded bg-slate-900 px-1.5 py-px font-mono text-xs font-bold text-white dark:bg-slate-100 dark:text-slate-900">{r.id}</span>
          <span className="font-semibold">{r.title}</span>
          <ProvenanceBadge r={r} />
        </div>
        <p className="mt-2 text-sm leading-relaxed">{hazard.message}</p>
        <p className="mt-2 text-sm leading-relaxed text-slate-700 dark:text-slate-300">{r.explanation}</p>
        <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">Source: {sourceText(r)}</p>
        <div className="mt-4 flex flex-wrap gap-3">
          <button
            type="button"
            onClick={() => onSeek(hazard.seq)}
            className={`${ACTION_BUTTON} border-red-700 bg-red-700 text-white hover:bg-red-800 focus-visible:outline-red-700 dark:border-red-500 dark:bg-red-600`}
          >
            Go to step #{hazard.seq + 1}
          </button>
          <button
            ref={dismissRef}
            type="button"
            onClick={onDismiss}
            className={`${ACTION_BUTTON} border-slate-400 text-slate-800 hover:bg-slate-100 focus-visible:outline-sky-600 dark:border-slate-500 dark:text-slate-100 dark:hover:bg-slate-800`}
          >
            Dismiss
          </button>
        </div>
      </div>
    </div>
  );
}
