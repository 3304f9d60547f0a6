// The sequence diagram up to the current step (the last WINDOW arrows), the current arrow
// highlighted; exports as a standalone SVG and as Mermaid text. Model and layout: sequence.ts.
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import { formatEntry } from '../../engine/format.ts';
import { LAYOUT, WINDOW, sequenceModel, sequenceWindow, toMermaid, toSvg } from './sequence.ts';
import { SequenceDiagram, useSequenceLayout } from './SequenceDiagram.tsx';
import type { PanelProps } from './types.ts';
import { BUTTON, PanelFrame } from './ui.tsx';

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
  const empty = win.items.length === 0;
  const layout = useSequenceLayout(win, scroller, empty);
  const [status, setStatus] = useState('');
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
        <SequenceDiagram
          ref={scroller}
          win={win}
          layout={layout}
          title={`Sequence diagram up to ${step}: ${win.items.length} messages${win.hidden > 0 ? ` (the last ${WINDOW})` : ''} between ${layout.lanes
            .map((l) => l.label)
            .join(', ')}.${current ? ` Current: #${current.seq + 1} ${current.label}.` : ''}`}
          onSeek={onSeek}
          className="max-h-[80vh] min-h-48 flex-1"
        />
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
