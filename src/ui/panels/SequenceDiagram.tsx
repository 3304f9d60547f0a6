// The sequence diagram itself (lane headers, lifelines, arrows, notes) for a window of a run's
// messages: drawn by the Sequence panel (up to the current step) and twice by the Interleavings
// panel's comparison (two outcomes, their first difference marked). Model and layout: sequence.ts.
import { memo, useId, useLayoutEffect, useMemo, useState, type RefObject, type UIEvent } from 'react';
import {
  LAYOUT, laneLabel, layoutSequence,
  type ArrowGeometry, type ArrowKind, type LaidArrow, type LaidNote, type LaneKind, type NoteGeometry, type NoteTone, type SequenceLayout, type SequenceWindow,
} from './sequence.ts';

const ARROW_CLASS: Record<ArrowKind, { stroke: string; fill: string }> = {
  call: { stroke: 'stroke-sky-700 dark:stroke-sky-400', fill: 'fill-sky-700 dark:fill-sky-400' },
  return: { stroke: 'stroke-sky-700 dark:stroke-sky-400', fill: 'fill-sky-700 dark:fill-sky-400' },
  invoke: { stroke: 'stroke-violet-700 dark:stroke-violet-400', fill: 'fill-violet-700 dark:fill-violet-400' },
  complete: { stroke: 'stroke-violet-700 dark:stroke-violet-400', fill: 'fill-violet-700 dark:fill-violet-400' },
  irp: { stroke: 'stroke-orange-700 dark:stroke-orange-400', fill: 'fill-orange-700 dark:fill-orange-400' },
  irpComplete: { stroke: 'stroke-orange-700 dark:stroke-orange-400', fill: 'fill-orange-700 dark:fill-orange-400' },
  queue: { stroke: 'stroke-amber-700 dark:stroke-amber-400', fill: 'fill-amber-700 dark:fill-amber-400' },
};

const LANE_CLASS: Record<LaneKind, string> = {
  thread: 'fill-sky-50 stroke-sky-600 dark:fill-sky-950 dark:stroke-sky-500',
  api: 'fill-slate-100 stroke-slate-500 dark:fill-slate-800 dark:stroke-slate-500',
  driver: 'fill-violet-50 stroke-violet-600 dark:fill-violet-950 dark:stroke-violet-500',
  app: 'fill-emerald-50 stroke-emerald-600 dark:fill-emerald-950 dark:stroke-emerald-500',
};

const NOTE_CLASS: Record<NoteTone, { box: string; text: string }> = {
  action: { box: 'fill-slate-100 stroke-slate-400 dark:fill-slate-800 dark:stroke-slate-500', text: 'fill-slate-700 dark:fill-slate-200' },
  fatal: { box: 'fill-red-100 stroke-red-600 dark:fill-red-950 dark:stroke-red-500', text: 'fill-red-800 dark:fill-red-200' },
  error: { box: 'fill-red-50 stroke-red-500 dark:fill-red-950 dark:stroke-red-500', text: 'fill-red-800 dark:fill-red-200' },
  warning: { box: 'fill-amber-50 stroke-amber-500 dark:fill-amber-950 dark:stroke-amber-500', text: 'fill-amber-900 dark:fill-amber-200' },
  halt: { box: 'fill-emerald-50 stroke-emerald-600 dark:fill-emerald-950 dark:stroke-emerald-500', text: 'fill-emerald-800 dark:fill-emerald-200' },
  haltBad: { box: 'fill-red-100 stroke-red-600 dark:fill-red-950 dark:stroke-red-500', text: 'fill-red-800 dark:fill-red-200' },
};

/** An arrow drawn at its row's baseline (y = 0): memoised on its geometry, so a step that only moves rows re-renders nothing inside. */
const ArrowBody = memo(function ArrowBody({ item, g, current, onSeek }: { item: LaidArrow['item']; g: ArrowGeometry; current: boolean; onSeek(seq: number): void }) {
  const cls = ARROW_CLASS[item.kind];
  const dash = item.kind === 'queue' ? '2 3' : item.dashed ? '5 3' : undefined;
  return (
    <g onClick={() => onSeek(item.seq)} className="cursor-pointer" data-seq={item.seq} data-current={current || undefined}>
      <title>{`#${item.seq + 1} ${item.label}`}</title>
      <text x={LAYOUT.gutter - 6} y={4} textAnchor="end" className="fill-slate-500 dark:fill-slate-400">
        #{item.seq + 1}
      </text>
      <path d={g.path} fill="none" strokeWidth={current ? 2.4 : 1.4} strokeDasharray={dash} className={cls.stroke} />
      <polygon points={g.head} className={cls.fill} />
      <text x={g.labelX} y={g.labelY} textAnchor={g.anchor} className={current ? 'fill-slate-950 font-semibold dark:fill-white' : 'fill-slate-800 dark:fill-slate-200'}>
        {g.label}
      </text>
    </g>
  );
});

const NoteBody = memo(function NoteBody({ item, g, onSeek }: { item: LaidNote['item']; g: NoteGeometry; onSeek(seq: number): void }) {
  const cls = NOTE_CLASS[item.tone];
  return (
    <g onClick={() => onSeek(item.seq)} className="cursor-pointer" data-seq={item.seq}>
      <title>{`#${item.seq + 1} ${item.label}`}</title>
      <text x={LAYOUT.gutter - 6} y={4} textAnchor="end" className="fill-slate-500 dark:fill-slate-400">
        #{item.seq + 1}
      </text>
      <rect x={g.x} y={-9} width={g.width} height={18} rx={3} className={cls.box} />
      <text x={g.x + g.width / 2} y={4} textAnchor="middle" className={`font-semibold ${cls.text}`}>
        {g.label}
      </text>
    </g>
  );
});


/** The window laid out to the scroller's width (lanes narrowed to fit when they stay readable). */
export function useSequenceLayout(win: SequenceWindow, scroller: RefObject<HTMLDivElement | null>, empty: boolean): SequenceLayout {
  const [fitWidth, setFitWidth] = useState(0);
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () => setFitWidth(el.clientWidth);
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [scroller, empty]);
  return useMemo(() => layoutSequence(win, fitWidth), [win, fitWidth]);
}

/** The height of the "earlier messages are not drawn" line (h-6). */
const HIDDEN_NOTE_HEIGHT = 24;

/** Where row `index` starts, from the top of the scroller's content (for scrolling to it). */
export const rowTop = (layout: SequenceLayout, index: number, hiddenNote: boolean): number =>
  (hiddenNote ? HIDDEN_NOTE_HEIGHT : 0) + layout.rows[index] - LAYOUT.rowHeight * 0.72;

export interface SequenceDiagramProps {
  ref?: RefObject<HTMLDivElement | null>;
  win: SequenceWindow;
  layout: SequenceLayout;
  /** The diagram's accessible description. */
  title: string;
  onSeek(seq: number): void;
  /** Highlight the window's current item (the Sequence panel's step). Default true. */
  showCurrent?: boolean;
  /** Index in the window of an item to mark as the first difference from another run. */
  mark?: number;
  onScroll?(e: UIEvent<HTMLDivElement>): void;
  className?: string;
}

export function SequenceDiagram({ ref, win, layout, title, onSeek, showCurrent = true, mark, onScroll, className = '' }: SequenceDiagramProps) {
  const titleId = useId();
  const bodyHeight = Math.max(0, layout.height - LAYOUT.headerHeight);
  const currentArrowSeq = showCurrent && layout.current >= 0 ? win.items[layout.current].seq : -1;
  return (
        <div ref={ref} data-diagram className={`relative overflow-auto font-mono text-[11px] ${className}`} onScroll={onScroll}>
          {win.hidden > 0 && (
            <p className="sticky left-0 h-6 px-3 py-1 font-sans text-xs text-slate-600 dark:text-slate-400">
              {win.hidden.toLocaleString('en')} earlier messages are not drawn; the trace has them all.
            </p>
          )}
          <svg
            aria-hidden="true"
            width={layout.width}
            height={LAYOUT.headerHeight}
            className="sticky top-0 z-10 block bg-white dark:bg-slate-900"
          >
            {layout.lanes.map((l) => (
              <g key={l.id}>
                <rect x={l.x - layout.laneWidth / 2 + 8} y={6} width={layout.laneWidth - 16} height={26} rx={4} className={LANE_CLASS[l.kind]} />
                <text x={l.x} y={23} textAnchor="middle" className="fill-slate-900 font-semibold dark:fill-slate-100">
                  {laneLabel(l.label, layout.laneWidth)}
                  <title>{l.label}</title>
                </text>
              </g>
            ))}
          </svg>
          <svg
            role="img"
            aria-labelledby={titleId}
            width={layout.width}
            height={bodyHeight}
            viewBox={`0 ${LAYOUT.headerHeight} ${layout.width} ${bodyHeight}`}
            className="block"
          >
            <title id={titleId}>{title}</title>
            {showCurrent && layout.current >= 0 && (
              <rect
                x={0}
                y={layout.rows[layout.current] - LAYOUT.rowHeight * 0.72}
                width={layout.width}
                height={LAYOUT.rowHeight}
                className="fill-amber-100 dark:fill-amber-900/40"
              />
            )}
            {mark !== undefined && mark >= 0 && mark < layout.rows.length && (
              <rect
                x={0}
                y={layout.rows[mark] - LAYOUT.rowHeight * 0.72}
                width={layout.width}
                height={LAYOUT.rowHeight}
                className="fill-rose-100 stroke-rose-600 dark:fill-rose-950/60 dark:stroke-rose-400"
                strokeDasharray="4 2"
              />
            )}
            {layout.lanes.map((l) => (
              <line
                key={l.id}
                x1={l.x}
                x2={l.x}
                y1={LAYOUT.headerHeight}
                y2={layout.height}
                strokeDasharray="3 3"
                className="stroke-slate-300 dark:stroke-slate-600"
              />
            ))}
            {layout.notes.map((n) => (
              <g key={n.item.seq} transform={`translate(0 ${n.y})`}>
                <NoteBody item={n.item} g={n.geom} onSeek={onSeek} />
              </g>
            ))}
            {layout.arrows.map((a) => (
              <g key={a.item.seq} transform={`translate(0 ${a.y})`}>
                <ArrowBody item={a.item} g={a.geom} current={a.item.seq === currentArrowSeq} onSeek={onSeek} />
              </g>
            ))}
          </svg>
          {mark !== undefined && mark >= 0 && mark < layout.rows.length && (
            <p
              role="note"
              aria-label={`First difference: #${win.items[mark].seq + 1} ${win.items[mark].label}`}
              className="pointer-events-none absolute left-1 rounded bg-rose-600 px-1 font-sans text-[10.5px] font-semibold leading-4 text-white"
              style={{ top: rowTop(layout, mark, win.hidden > 0) - 16 }}
            >
              First difference
            </p>
          )}
        </div>
  );
}
