// The trace, one readable line per entry (formatEntry), virtualised: fixed row height and
// scrollTop windowing, so a 100,000-entry trace renders only the rows in view and a step costs a
// few row updates. Listbox semantics: the list has focus, the current entry is the selected option
// (aria-activedescendant), arrow keys / Page keys / Home / End seek.
import { memo, useCallback, useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { formatBody } from '../../engine/format.ts';
import type { TraceEntry } from '../../engine/trace.ts';
import { kindOf, setTraceFilter, traceThreads, useTraceFilter, visibleSeqs, type EntryKind } from './traceFilter.ts';
import { lastAtOrBefore, nestingDepths, traceComponents } from './traceIndex.ts';
import type { PanelProps } from './types.ts';
import { sessionStore } from '../../store/session.ts';
import { PanelFrame } from './ui.tsx';
import { entryLine } from '../stepper/numbering.ts';

/** 12,345: digits grouped by thousands (cheaper than toLocaleString, which the subtitle would call on every step). */
const grouped = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

export const ROW_HEIGHT = 22;
const OVERSCAN = 8;

export const ENTRY_KINDS: { kind: EntryKind; label: string }[] = [
  { kind: 'action', label: 'Timeline actions' },
  { kind: 'call', label: 'API calls' },
  { kind: 'return', label: 'API returns' },
  { kind: 'invoke', label: 'Routine invocations' },
  { kind: 'complete', label: 'Routine returns' },
  { kind: 'irp', label: 'IRPs' },
  { kind: 'irpComplete', label: 'IRP completions' },
  { kind: 'queue', label: 'Queued events' },
  { kind: 'state', label: 'State changes' },
  { kind: 'thread', label: 'Scheduler (threads, IRQL)' },
  { kind: 'hazard', label: 'Hazards' },
  { kind: 'note', label: 'Narration' },
  { kind: 'halt', label: 'Halt' },
];

const THREAD_COLORS = [
  'bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-200',
  'bg-violet-100 text-violet-900 dark:bg-violet-950 dark:text-violet-200',
  'bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200',
  'bg-amber-100 text-amber-950 dark:bg-amber-950 dark:text-amber-200',
  'bg-rose-100 text-rose-900 dark:bg-rose-950 dark:text-rose-200',
  'bg-teal-100 text-teal-900 dark:bg-teal-950 dark:text-teal-200',
] as const;

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
      return kindOf(e) === 'thread' ? 'text-slate-600 dark:text-slate-400' : 'text-emerald-800 dark:text-emerald-300';
    case 'note':
      return 'font-sans italic text-slate-700 dark:text-slate-300';
    case 'hazard':
      return 'font-semibold';
    case 'halt':
    case 'action':
      return 'font-semibold text-slate-900 dark:text-slate-100';
    default:
      return '';
  }
}

export type HazardTone = 'red' | 'amber' | null;
/** Bug checks, deadlocks and errors are red; warnings amber. */
export function hazardTone(e: TraceEntry): HazardTone {
  if (e.type === 'hazard') return e.severity === 'warning' || e.severity === 'info' ? 'amber' : 'red';
  if (e.type === 'halt' && e.reason !== 'quiescent') return 'red';
  return null;
}

function rowClass(e: TraceEntry, selected: boolean): string {
  const tone = hazardTone(e);
  const base =
    tone === 'red'
      ? 'border-red-600 bg-red-50 text-red-900 dark:border-red-500 dark:bg-red-950/70 dark:text-red-100'
      : tone === 'amber'
        ? 'border-amber-500 bg-amber-50 text-amber-950 dark:border-amber-400 dark:bg-amber-950/60 dark:text-amber-100'
        : e.type === 'action'
          ? 'border-slate-400 bg-slate-100 dark:border-slate-500 dark:bg-slate-800'
          : 'border-transparent hover:bg-slate-100 dark:hover:bg-slate-800/70';
  return selected ? `${base} !bg-sky-100 ring-1 ring-inset ring-sky-600 dark:!bg-sky-950 dark:ring-sky-400` : base;
}

const Row = memo(function Row({
  entry, index, depth, selected, setSize, idBase, onSeek,
}: {
  entry: TraceEntry;
  index: number;
  depth: number;
  selected: boolean;
  setSize: number;
  idBase: string;
  onSeek(seq: number): void;
}) {
  const body = formatBody(entry);
  const tone = hazardTone(entry);
  return (
    <div
      role="option"
      id={`${idBase}-${entry.seq}`}
      aria-selected={selected}
      aria-current={selected ? 'step' : undefined}
      aria-posinset={index + 1}
      aria-setsize={setSize}
      data-seq={entry.seq}
      data-tone={tone ?? undefined}
      onClick={() => onSeek(entry.seq)}
      title={entryLine(entry, body)}
      className={`absolute inset-x-0 flex cursor-default items-center gap-2 whitespace-nowrap border-l-4 pr-2 font-mono text-xs ${rowClass(entry, selected)}`}
      style={{ top: index * ROW_HEIGHT, height: ROW_HEIGHT }}
    >
      <span className="w-12 shrink-0 text-right tabular-nums text-slate-600 dark:text-slate-400">#{entry.seq + 1}</span>{' '}
      <span className="w-6 shrink-0 tabular-nums text-slate-600 dark:text-slate-400" title={entry.step === 0 ? 's0: boot' : `s${entry.step}: timeline action ${entry.step}`}>s{entry.step}</span>{' '}
      <span className="w-32 shrink-0 truncate">
        <span className={`rounded px-1 ${threadColor(entry.thread)}`}>[{entry.thread}]</span>
      </span>{' '}
      <span className={`min-w-0 truncate ${bodyClass(entry)}`} style={depth > 0 ? { paddingLeft: Math.min(depth, 12) * 12 } : undefined}>
        {body}
      </span>
    </div>
  );
});

const SELECT =
  'rounded border border-slate-300 bg-white px-1 py-0.5 text-xs text-slate-900 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100';

/** One of the Trace panel's filter selects: "All" (the empty value), then each option. */
function FilterSelect({ label, value, options, onChange }: { label: string; value: string; options: readonly string[]; onChange: (value: string) => void }) {
  return (
    <label className="flex items-center gap-1 text-xs text-slate-700 dark:text-slate-300">
      {label}
      <select className={SELECT} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">All</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * The Trace panel's filter controls (component, thread, entry types). They do not depend on the
 * cursor: a step or a scrubber jump re-renders the rows, not these selects with every component
 * and thread of the trace and the type checkboxes.
 */
const TraceFilters = memo(function TraceFilters({
  components,
  threads,
  component,
  thread,
  hidden,
}: {
  components: readonly string[];
  threads: readonly string[];
  component: string;
  thread: string;
  hidden: ReadonlySet<EntryKind>;
}) {
  const setHidden = (next: (prev: ReadonlySet<EntryKind>) => ReadonlySet<EntryKind>) => setTraceFilter({ hidden: next(hidden) });
  const toggleKind = (kind: EntryKind, shown: boolean) => {
    setHidden((prev) => {
      const next = new Set(prev);
      if (shown) next.delete(kind);
      else next.add(kind);
      return next;
    });
  };
  return (
    <>
      <FilterSelect label="Component" value={component} options={components} onChange={(v) => setTraceFilter({ component: v })} />
      <FilterSelect label="Thread" value={thread} options={threads} onChange={(v) => setTraceFilter({ thread: v })} />
      <details className="text-xs open:basis-full">
        <summary className="cursor-pointer select-none rounded border border-slate-300 bg-white px-2 py-0.5 text-slate-800 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100">
          Entry types{hidden.size > 0 ? ` (${ENTRY_KINDS.length - hidden.size}/${ENTRY_KINDS.length})` : ''}
        </summary>
        <fieldset className="mt-1 grid grid-cols-[repeat(auto-fill,minmax(11rem,1fr))] gap-x-3 rounded-md border border-slate-200 bg-white p-2 dark:border-slate-700 dark:bg-slate-900">
          <legend className="sr-only">Entry types shown</legend>
          {ENTRY_KINDS.map(({ kind, label }) => (
            <label key={kind} className="flex items-center gap-2 py-0.5 text-slate-800 dark:text-slate-200">
              <input type="checkbox" className="accent-sky-600" checked={!hidden.has(kind)} onChange={(e) => toggleKind(kind, e.target.checked)} />
              {label}
            </label>
          ))}
          {hidden.size > 0 && (
            <button type="button" className="justify-self-start text-sky-700 underline dark:text-sky-300" onClick={() => setHidden(() => new Set())}>
              Show all types
            </button>
          )}
        </fieldset>
      </details>
    </>
  );
});

/** The scroll position nearest to `current` that shows the row at `top` with two rows of margin. */
function keepInView(top: number, current: number, viewport: number): number {
  const margin = ROW_HEIGHT * 2;
  if (top - margin < current) return Math.max(0, top - margin);
  if (top + ROW_HEIGHT + margin > current + viewport) return top + ROW_HEIGHT + margin - viewport;
  return current;
}

export function TracePanel({ trace, cursor, onSeek }: PanelProps) {
  const idBase = useId().replace(/:/g, '');
  // The filter lives in a store the stepper reads too: stepping follows it.
  const filter = useTraceFilter();
  const { component, thread, hidden } = filter;
  const components = useMemo(() => traceComponents(trace), [trace]);
  const threads = useMemo(() => traceThreads(trace), [trace]);
  const depths = useMemo(() => nestingDepths(trace), [trace]);
  // A filter naming a component / thread the new trace does not have shows nothing: drop it.
  const comp = components.includes(component) ? component : '';
  const thr = threads.includes(thread) ? thread : '';
  const visible = useMemo(() => visibleSeqs(trace, filter), [trace, filter]);
  const count = visible ? visible.length : trace.length;
  const seqAt = useCallback((k: number) => (visible ? visible[k] : k), [visible]);

  // Row of the current entry (−1: filtered out), and the row to keep in view (the nearest before it).
  const anchor = visible ? lastAtOrBefore(visible, cursor) : Math.min(cursor, trace.length - 1);
  const currentRow = anchor >= 0 && seqAt(anchor) === cursor ? anchor : -1;

  const scroller = useRef<HTMLDivElement>(null);
  const [viewport, setViewport] = useState(480);

  // The list's height comes from a ResizeObserver, whose first call follows the first layout after
  // the panel mounts: reading clientHeight here would lay the whole page out in the middle of the
  // commit (the panel mounts with a run's first render). The list has no padding: its content box is
  // its client area.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (typeof ResizeObserver === 'undefined') return setViewport(el.clientHeight || 480);
    const ro = new ResizeObserver((entries) => setViewport(entries[entries.length - 1].contentRect.height || 480));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Keep the current entry in view: scroll as little as needed (two rows of margin). The position is
  // worked out while rendering, from the last position and the observed height, when the cursor's
  // row, the filter or the height changed (React's "state from the previous render": the panel's
  // function runs again at once, but its rows render once; a state set by an effect rendered the
  // whole panel twice on every step that left the view), and the element's geometry is never read
  // during the commit. The element scrolls in the next animation frame, before that frame's layout: setting scrollTop lays the page
  // out, and during the commit that would be a second layout of the whole page on every step (the
  // graph's store updates after the commit and dirties it again).
  const [follow, setFollow] = useState({ top: 0, anchor: NaN, visible: null as Int32Array | null, viewport: 0 });
  let scrollTop = follow.top;
  if (anchor !== follow.anchor || visible !== follow.visible || viewport !== follow.viewport) {
    if (anchor >= 0) scrollTop = keepInView(anchor * ROW_HEIGHT, follow.top, viewport);
    // Only a position that moves is stored (React then runs this function again at once, before the
    // rows render): with the same position, the next render works it out the same way.
    if (scrollTop !== follow.top) setFollow({ top: scrollTop, anchor, visible, viewport });
  }
  const inputs = useRef({ anchor, visible, viewport }); // what this position follows, for a scroll by hand
  useLayoutEffect(() => void (inputs.current = { anchor, visible, viewport }));
  const wanted = useRef(0); // = scrollTop, for the frame that applies it
  const shown = useRef(0); // the element's own position: where it was scrolled, by us or the user
  const scrollFrame = useRef(0);
  useLayoutEffect(() => {
    const el = scroller.current;
    wanted.current = scrollTop;
    if (!el || scrollTop === shown.current || scrollFrame.current) return;
    const apply = () => {
      scrollFrame.current = 0;
      shown.current = wanted.current;
      el.scrollTop = shown.current;
    };
    if (typeof requestAnimationFrame !== 'function') apply();
    else scrollFrame.current = requestAnimationFrame(apply);
  }, [scrollTop]);
  useLayoutEffect(() => () => void (scrollFrame.current && cancelAnimationFrame(scrollFrame.current)), []);

  const onScroll = useCallback(() => {
    const el = scroller.current;
    // While a scroll to the cursor waits for its frame, the position it sets is the one that counts.
    if (!el || scrollFrame.current) return;
    const top = el.scrollTop;
    shown.current = top;
    setFollow((prev) => (prev.top === top ? prev : { top, ...inputs.current })); // the scroll we made: already rendered
  }, []);

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(count - 1, Math.ceil((scrollTop + viewport) / ROW_HEIGHT) + OVERSCAN);
  // Rows are keyed by their slot in the window (at most `slots` rows show at once), not by entry: a
  // jump re-fills the same row elements instead of removing and creating every row. A row's slot is
  // (k + shift) mod slots: a scroll of a few rows keeps the rows that stay, and moves the ones that
  // leave to the other end; a jump farther than half the window shifts the slots so that every row
  // element keeps its place in the list and is re-filled where it is (a rotated order would make
  // React move half the rows, each taken out of the page and put back: its style and layout built
  // again).
  const slots = Math.ceil(viewport / ROW_HEIGHT) + 2 * OVERSCAN + 2;
  // (The window's last position, as the scroll position above: state from the previous render.)
  const [placed, setPlaced] = useState({ first, shift: 0, slots });
  let shift = placed.shift;
  if (first !== placed.first || slots !== placed.slots) {
    if (slots === placed.slots && Math.abs(first - placed.first) > slots / 2) shift = (((placed.first + placed.shift - first) % slots) + slots) % slots;
    setPlaced({ first, shift, slots });
  }
  const rows = [];
  for (let k = first; k <= last; k++) {
    const seq = seqAt(k);
    rows.push(
      <Row key={(k + shift) % slots} entry={trace[seq]} index={k} depth={depths[seq]} selected={seq === cursor} setSize={count} idBase={idBase} onSeek={onSeek} />,
    );
  }

  const onKeyDown = (ev: KeyboardEvent<HTMLDivElement>) => {
    if (count === 0) return;
    const page = Math.max(1, Math.floor(viewport / ROW_HEIGHT) - 1);
    // Keys move on from the step the session is at, not the one this render shows: the side column
    // follows a step once it rests (SideColumns.tsx), so a second key press may come before it does.
    const session = sessionStore.getState();
    const at = session.trace === trace ? session.cursor : cursor;
    const atAnchor = visible ? lastAtOrBefore(visible, at) : Math.min(at, trace.length - 1);
    const atRow = atAnchor >= 0 && seqAt(atAnchor) === at ? atAnchor : -1;
    const from = atRow >= 0 ? atRow : atAnchor;
    let to: number;
    switch (ev.key) {
      case 'ArrowDown':
        to = from + 1; // from the current row, or from the nearest row before a filtered-out current entry
        break;
      case 'ArrowUp':
        to = atRow >= 0 ? from - 1 : Math.max(0, from);
        break;
      case 'PageDown':
        to = Math.max(0, from) + page;
        break;
      case 'PageUp':
        to = Math.max(0, from) - page;
        break;
      case 'Home':
        to = 0;
        break;
      case 'End':
        to = count - 1;
        break;
      default:
        return;
    }
    ev.preventDefault();
    to = Math.max(0, Math.min(count - 1, to));
    const seq = seqAt(to);
    if (seq !== at) onSeek(seq);
  };

  const filtered = visible !== null;
  return (
    <PanelFrame
      title="Trace"
      className="h-full"
      subtitle={filtered ? `${grouped(count)} of ${grouped(trace.length)} entries` : `${grouped(trace.length)} entries`}
      actions={<TraceFilters components={components} threads={threads} component={comp} thread={thr} hidden={hidden} />}
      bodyClassName="flex flex-col"
    >
      {cursor >= 0 && currentRow < 0 && count > 0 && (
        <p className="border-b border-slate-200 px-3 py-1 text-xs text-slate-600 dark:border-slate-700 dark:text-slate-400">
          The current step #{cursor + 1} is hidden by the filter.
        </p>
      )}
      <div
        ref={scroller}
        role="listbox"
        tabIndex={0}
        aria-label="Trace entries"
        aria-activedescendant={currentRow >= 0 ? `${idBase}-${cursor}` : undefined}
        onKeyDown={onKeyDown}
        onScroll={onScroll}
        className="relative max-h-[80vh] min-h-48 flex-1 overflow-auto focus-visible:outline-offset-[-2px]"
      >
        {count === 0 ? (
          <p className="p-3 text-xs text-slate-600 dark:text-slate-400">{trace.length === 0 ? 'No trace yet.' : 'No entry matches the filter.'}</p>
        ) : (
          <div style={{ height: count * ROW_HEIGHT, position: 'relative', minWidth: '100%' }}>{rows}</div>
        )}
      </div>
    </PanelFrame>
  );
}
