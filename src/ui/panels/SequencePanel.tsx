// The sequence diagram up to the current step (the last WINDOW arrows), the current arrow
// highlighted; exports as a standalone SVG and as Mermaid text. Model and layout: sequence.ts.
import { memo, useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { formatEntry } from '../../engine/format.ts';
import {
  LAYOUT, WINDOW, laneLabel, layoutSequence, sequenceModel, sequenceWindow, toMermaid, toSvg,
  type ArrowGeometry, type ArrowKind, type LaidArrow, type LaidNote, type LaneKind, type NoteGeometry, type NoteTone,
} from './sequence.ts';
import type { PanelProps } from './types.ts';
import { BUTTON, PanelFrame } from './ui.tsx';

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

function slug(s: string) {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'scenario';
}

function download(name: string, type: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function SequencePanel({ scenario, trace, cursor, onSeek }: PanelProps) {
  const model = useMemo(() => sequenceModel(scenario, trace), [scenario, trace]);
  const win = useMemo(() => sequenceWindow(model, cursor), [model, cursor]);
  const scroller = useRef<HTMLDivElement>(null);
  const [fitWidth, setFitWidth] = useState(0);
  const layout = useMemo(() => layoutSequence(win, fitWidth), [win, fitWidth]);
  const [status, setStatus] = useState('');

  // Narrow the lanes to the panel's width when they can stay readable.
  const empty = win.items.length === 0;
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () => setFitWidth(el.clientWidth);
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [empty]);
  const titleId = useId();
  const title = scenario.title || 'PnP scenario';

  // Keep the current arrow in view (vertically, then horizontally when it can fit).
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || layout.current < 0) return;
    const y = layout.rows[layout.current] - LAYOUT.headerHeight;
    const h = el.clientHeight;
    const headerRoom = LAYOUT.headerHeight;
    if (y - LAYOUT.rowHeight < el.scrollTop) el.scrollTop = Math.max(0, y - LAYOUT.rowHeight);
    else if (y + LAYOUT.rowHeight * 2 > el.scrollTop + h - headerRoom) el.scrollTop = y + LAYOUT.rowHeight * 2 - h + headerRoom;
    const item = win.items[layout.current];
    if (item && item.kind !== 'note') {
      const xs = layout.lanes.filter((l) => l.id === item.from || l.id === item.to).map((l) => l.x);
      const lo = Math.min(...xs) - layout.laneWidth / 2;
      const hi = Math.max(...xs) + layout.laneWidth / 2;
      const w = el.clientWidth;
      if (hi - lo <= w) {
        if (lo < el.scrollLeft) el.scrollLeft = lo;
        else if (hi > el.scrollLeft + w) el.scrollLeft = hi - w;
      }
    }
  }, [layout, win]);

  const fullLabel = (seq: number) => (trace[seq] ? formatEntry(trace[seq]) : '');
  const step = cursor >= 0 ? `step #${cursor + 1}` : 'the start';
  const fileBase = `${slug(title)}-sequence-${Math.max(0, cursor)}`;

  const exportSvg = () => {
    download(`${fileBase}.svg`, 'image/svg+xml', toSvg(layout, `${title} — sequence up to ${step}`, fullLabel));
    setStatus('SVG downloaded.');
  };
  const mermaid = () => toMermaid(win, `${title} — up to ${step}`);
  const exportMermaid = () => {
    download(`${fileBase}.mmd`, 'text/plain', mermaid());
    setStatus('Mermaid file downloaded.');
  };
  const copyMermaid = async () => {
    const text = mermaid();
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(text);
      setStatus('Mermaid text copied to the clipboard.');
    } catch {
      download(`${fileBase}.mmd`, 'text/plain', text);
      setStatus('The clipboard is not available here: the Mermaid file was downloaded instead.');
    }
  };

  const current = layout.current >= 0 ? win.items[layout.current] : null;
  const bodyHeight = Math.max(0, layout.height - LAYOUT.headerHeight);
  const currentArrowSeq = current?.seq ?? -1;

  return (
    <PanelFrame
      title="Sequence"
      className="h-full"
      subtitle={
        empty
          ? undefined
          : win.hidden > 0
            ? `last ${win.items.length} of ${(win.hidden + win.items.length).toLocaleString('en')} messages`
            : `${win.items.length} messages`
      }
      actions={
        <>
          <button type="button" className={BUTTON} onClick={exportSvg} disabled={empty}>
            Export SVG
          </button>
          <button type="button" className={BUTTON} onClick={() => void copyMermaid()} disabled={empty}>
            Copy Mermaid
          </button>
          <button type="button" className={BUTTON} onClick={exportMermaid} disabled={empty}>
            Export Mermaid
          </button>
          <span role="status" aria-live="polite" className="text-xs text-slate-600 dark:text-slate-400">
            {status}
          </span>
        </>
      }
      bodyClassName="flex flex-col"
    >
      {empty ? (
        <p className="p-3 text-xs text-slate-600 dark:text-slate-400">Step forward to draw the sequence of calls, notifications and IRPs.</p>
      ) : (
        <div ref={scroller} className="relative max-h-[80vh] min-h-48 flex-1 overflow-auto font-mono text-[11px]">
          {win.hidden > 0 && (
            <p className="sticky left-0 px-3 py-1 font-sans text-xs text-slate-600 dark:text-slate-400">
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
            <title id={titleId}>
              {`Sequence diagram up to ${step}: ${win.items.length} messages${win.hidden > 0 ? ` (the last ${WINDOW})` : ''} between ${layout.lanes
                .map((l) => l.label)
                .join(', ')}.${current ? ` Current: #${current.seq + 1} ${current.label}.` : ''}`}
            </title>
            {layout.current >= 0 && (
              <rect
                x={0}
                y={layout.rows[layout.current] - LAYOUT.rowHeight * 0.72}
                width={layout.width}
                height={LAYOUT.rowHeight}
                className="fill-amber-100 dark:fill-amber-900/40"
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
        </div>
      )}
      <p className="flex flex-wrap gap-x-3 border-t border-slate-200 px-3 py-1 text-[11px] text-slate-600 dark:border-slate-700 dark:text-slate-400">
        <span>
          <span className="text-sky-700 dark:text-sky-400">→</span> call
        </span>
        <span>
          <span className="text-violet-700 dark:text-violet-400">→</span> routine / notification
        </span>
        <span>
          <span className="text-orange-700 dark:text-orange-400">→</span> IRP
        </span>
        <span>
          <span className="text-amber-700 dark:text-amber-400">⇢</span> event queued
        </span>
        <span>dashed: return / completion</span>
      </p>
    </PanelFrame>
  );
}
