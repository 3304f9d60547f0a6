// The sequence diagram's model and layout (pure; rendered by SequencePanel.tsx, exported as a
// standalone SVG and as Mermaid text).
//
// Lanes (left to right) are the actors a learner reasons about:
//   system threads  `shell` (Explorer's "safely remove"), `system` (boot, process start, thread
//                   pool), `pnp` (the PnP manager's event worker), `hotplug` (processor / memory
//                   hot-add), `sys:<driver>` (the thread that loads, unloads and runs a driver's
//                   routines), `worker:<n>` (system work items), in that order;
//   API lanes       `kernel` (Ke*/Io*/Ex*/Ob* routines) and `user` (cfgmgr32 / kernel32 routines);
//   components      every driver, then every app, in scenario order.
// App-owned threads are not lanes: a user-mode callback on `app:<id>:notify` is drawn from `pnp`
// (the PnP manager delivers it and waits for it, docs/architecture.md §2.2), `app:<id>:main` and `app:<id>:pool:<n>`
// routines from `system`.
//
// Arrows, from the trace (state changes and notes are left out; they are in the trace panel):
//   call         component → API lane (solid)          return    API lane ⇢ component (dashed)
//   invoke       delivering lane → component (solid): the API lane when the routine is called back
//                from inside an API (ADD_EXISTING / INCLUDE_EXISTING replays), else the thread's lane
//   complete     component ⇢ the lane that invoked it (dashed)
//   irp          thread (pnp) → driver (solid)          irpComplete driver ⇢ pnp (dashed)
//   queue        queuing lane → pnp (dotted)
//   action, hazard, halt  notes across the lanes (hazards over the lane where they happened)
import { APIS, isApiName } from '../../engine/api.ts';
import { formatAction, formatValue, shortName } from '../../engine/format.ts';
import type { TraceEntry } from '../../engine/trace.ts';
import type { NormalizedScenario } from '../../scenario/types.ts';
import { frameParents, lastAtOrBefore, perTrace, type Trace } from './traceIndex.ts';
import { dictOf } from '../../engine/dict.ts';
import { parseThread, SYSTEM_THREADS, unreachable } from '../../engine/ids/threads.ts';
import { parseNodeId } from '../graph/ids.ts';

export type LaneKind = 'thread' | 'api' | 'driver' | 'app';

export interface Lane {
  id: string;
  label: string;
  kind: LaneKind;
}

export type ArrowKind = 'call' | 'return' | 'invoke' | 'complete' | 'irp' | 'irpComplete' | 'queue';
export type NoteTone = 'action' | 'fatal' | 'error' | 'warning' | 'halt' | 'haltBad';

export type SeqItem =
  | { seq: number; kind: ArrowKind; from: string; to: string; label: string; dashed: boolean; notify?: boolean }
  | { seq: number; kind: 'note'; lanes: string[] | 'all'; label: string; tone: NoteTone };

/** Most arrows shown at once: the last N up to the cursor (big traces stay cheap to draw). */
export const WINDOW = 200;
/** Up to this many lanes, the lanes of the whole trace are shown from the start (a stable layout). */
export const STABLE_LANES = 14;


/** The lane a thread's own actions are drawn from. */
export function threadLane(thread: string): string {
  const t = parseThread(thread);
  switch (t.kind) {
    case 'app':
      return t.role === 'notify' ? 'pnp' : 'system';
    case 'appPool':
      return 'system';
    case 'system':
    case 'driver':
    case 'worker':
    case 'other':
      return thread;
    default:
      return unreachable(t);
  }
}


/** The arguments that say which notification this is, compactly: `(Start, 2)`, `(QUERYREMOVE)`. */
function invokeArgs(args: Record<string, unknown>): string {
  if ('State' in args) return `(${shortName(args.State)}, ${formatValue(args.NtNumber)})`;
  if ('Action' in args) return `(${shortName(args.Action)})`;
  if ('Event' in args) return `(${shortName(args.Event)})`;
  return '()';
}

function resultText(e: Extract<TraceEntry, { type: 'return' }>): string {
  const isVoid = e.result === undefined || (e.result === null && isApiName(e.api) && APIS[e.api].returns === 'void');
  return isVoid ? 'return' : `= ${formatValue(e.result)}`;
}

export interface LaneTable {
  /** Lane id of a component (driver / app / `shell`). */
  component(id: string): string;
  /** Every lane that exists, with its label and rank. */
  lane(id: string): Lane & { rank: number };
}

function laneTable(scenario: NormalizedScenario): LaneTable {
  const drivers = Object.keys(scenario.drivers);
  const apps = Object.keys(scenario.apps);
  const cache = new Map<string, Lane & { rank: number }>();
  // Ranks: system threads 0…, sys:* 100k, worker:* 200k, API 300k, drivers 400k, apps 500k.
  const make = (id: string): Lane & { rank: number } => {
    const t = parseThread(id);
    switch (t.kind) {
      case 'system':
        return { id, label: t.name === 'pnp' ? 'PnP manager (pnp)' : id, kind: 'thread', rank: SYSTEM_THREADS.indexOf(t.name) };
      case 'driver':
        return { id, label: id, kind: 'thread', rank: 100_000 + drivers.indexOf(t.driver) + 1 };
      case 'worker':
        return { id, label: id, kind: 'thread', rank: 200_000 + t.n };
      case 'app':
      case 'appPool':
      case 'other':
        break;
      default:
        return unreachable(t);
    }
    if (id === 'kernel') return { id, label: 'Kernel (ntoskrnl)', kind: 'api', rank: 300_000 };
    if (id === 'user') return { id, label: 'User-mode APIs', kind: 'api', rank: 300_001 };
    const node = parseNodeId(id);
    if (node?.kind === 'driver') return { id, label: node.id, kind: 'driver', rank: 400_000 + drivers.indexOf(node.id) };
    if (node?.kind === 'app') return { id, label: node.id, kind: 'app', rank: 500_000 + apps.indexOf(node.id) };
    return { id, label: id, kind: 'thread', rank: 50 };
  };
  return {
    component(id) {
      if (Object.hasOwn(scenario.drivers, id)) return `drv:${id}`;
      if (Object.hasOwn(scenario.apps, id)) return `app:${id}`;
      return id === 'shell' ? 'shell' : `drv:${id}`;
    },
    lane(id) {
      let l = cache.get(id);
      if (!l) cache.set(id, (l = make(id)));
      return l;
    },
  };
}

const apiLane = (api: string) => (isApiName(api) ? (APIS[api].mode === 'kernel' ? 'kernel' : 'user') : 'user');

export interface SequenceModel {
  items: SeqItem[];
  /** Seqs of the items, ascending (for the window). */
  seqs: Int32Array;
  lanes: LaneTable;
  /** Every lane the whole trace uses, in lane order. */
  allLanes: string[];
}

const modelCache = new WeakMap<NormalizedScenario, (trace: Trace) => SequenceModel>();

/** The diagram items of a whole trace (once per trace and scenario). */
export function sequenceModel(scenario: NormalizedScenario, trace: Trace): SequenceModel {
  let forScenario = modelCache.get(scenario);
  if (!forScenario) modelCache.set(scenario, (forScenario = perTrace((t) => buildModel(scenario, t))));
  return forScenario(trace);
}

function buildModel(scenario: NormalizedScenario, trace: Trace): SequenceModel {
  const lanes = laneTable(scenario);
  const parent = frameParents(trace);
  const items: SeqItem[] = [];
  /** The lane each open call / invoke was drawn from (its return / complete goes back there). */
  const origin = new Map<number, string>();
  const openApiLane = (i: number) => {
    const p = parent[i] >= 0 ? trace[parent[i]] : null;
    return p?.type === 'call' ? apiLane(p.api) : null;
  };
  const frameLane = (i: number, thread: string) => {
    const p = parent[i] >= 0 ? trace[parent[i]] : null;
    if (p?.type === 'call') return apiLane(p.api);
    if (p?.type === 'invoke') return lanes.component(p.component);
    return threadLane(thread);
  };

  for (let i = 0; i < trace.length; i++) {
    const e = trace[i];
    switch (e.type) {
      case 'action':
        items.push({ seq: e.seq, kind: 'note', lanes: 'all', label: `▶ step ${e.step}: ${formatAction(e.action)}`, tone: 'action' });
        break;
      case 'call': {
        const from = lanes.component(e.component);
        const to = apiLane(e.api);
        const args = Object.entries(e.args).map(([k, v]) => formatValue(v, k)).join(', ');
        items.push({ seq: e.seq, kind: 'call', from, to, label: `${e.api}(${args})`, dashed: false });
        break;
      }
      case 'return': {
        const opener = parent[i] >= 0 ? trace[parent[i]] : null;
        const from = opener?.type === 'call' ? apiLane(opener.api) : apiLane(e.api);
        items.push({ seq: e.seq, kind: 'return', from, to: lanes.component(e.component), label: `${e.api} ${resultText(e)}`, dashed: true });
        break;
      }
      case 'invoke': {
        // IRP handlers are drawn by their irp / irpComplete arrows.
        if (!e.registration && e.routine.startsWith('IRP_MN_')) break;
        const from = openApiLane(i) ?? threadLane(e.thread);
        origin.set(i, from);
        const reg = e.registration ? ` [${e.registration}]` : '';
        items.push({
          seq: e.seq, kind: 'invoke', from, to: lanes.component(e.component), label: `${e.routine}${invokeArgs(e.args)}${reg}`,
          dashed: false, ...(e.registration ? { notify: true } : {}),
        });
        break;
      }
      case 'complete': {
        const opener = parent[i];
        if (opener >= 0 && !origin.has(opener)) break; // an IRP handler
        const to = opener >= 0 ? origin.get(opener)! : threadLane(e.thread);
        const result = e.result === undefined || e.result === null ? 'returned' : `returned ${formatValue(e.result)}`;
        items.push({ seq: e.seq, kind: 'complete', from: lanes.component(e.component), to, label: `${e.routine} ${result}`, dashed: true });
        break;
      }
      case 'irp':
        items.push({ seq: e.seq, kind: 'irp', from: threadLane(e.thread), to: lanes.component(e.driver), label: `${e.minor} (${e.device})`, dashed: false });
        break;
      case 'irpComplete':
        items.push({ seq: e.seq, kind: 'irpComplete', from: lanes.component(e.driver), to: threadLane(e.thread), label: `${e.minor} = ${e.status}`, dashed: true });
        break;
      case 'queue':
        items.push({ seq: e.seq, kind: 'queue', from: frameLane(i, e.thread), to: 'pnp', label: `queue ${shortName(e.event)} (${e.device})`, dashed: true });
        break;
      case 'hazard': {
        const tone: NoteTone = e.severity === 'bugcheck' || e.severity === 'deadlock' ? 'fatal' : e.severity === 'error' ? 'error' : 'warning';
        const code = e.bugcheck ? ` ${e.bugcheck.split(' ')[0]}` : '';
        items.push({ seq: e.seq, kind: 'note', lanes: [frameLane(i, e.thread)], label: `⚠ ${e.rule} ${e.severity}${code}`, tone });
        break;
      }
      case 'halt':
        items.push({ seq: e.seq, kind: 'note', lanes: 'all', label: `■ halt: ${e.reason}`, tone: e.reason === 'quiescent' ? 'halt' : 'haltBad' });
        break;
      default:
        break;
    }
  }
  const seqs = Int32Array.from(items, (it) => it.seq);
  const allLanes = [...lanesUsedBy(items)].sort((a, b) => lanes.lane(a).rank - lanes.lane(b).rank || a.localeCompare(b));
  return { items, seqs, lanes, allLanes };
}

/** The lanes the items draw on (notes on every lane add none). */
function lanesUsedBy(items: readonly SeqItem[]): Set<string> {
  const used = new Set<string>();
  for (const it of items) {
    if (it.kind === 'note') {
      if (it.lanes !== 'all') for (const l of it.lanes) used.add(l);
    } else {
      used.add(it.from);
      used.add(it.to);
    }
  }
  return used;
}

export interface SequenceWindow {
  items: SeqItem[];
  lanes: Lane[];
  /** Items up to the cursor that are not shown (older than the window). */
  hidden: number;
  /** Index in `items` of the current item (the latest at or before the cursor), or −1. */
  current: number;
}

/** The items up to the cursor, at most `max` of them, with the lanes to draw. */
export function sequenceWindow(model: SequenceModel, cursor: number, max = WINDOW): SequenceWindow {
  const end = lastAtOrBefore(model.seqs, cursor) + 1;
  return sequenceSlice(model, Math.max(0, end - max), end);
}

/** The items from index `start` up to (not including) `end`, with the lanes to draw; the last one is current. */
export function sequenceSlice(model: SequenceModel, start: number, end: number): SequenceWindow {
  const items = model.items.slice(start, end);
  let laneIds: string[];
  if (model.allLanes.length <= STABLE_LANES) laneIds = model.allLanes;
  else {
    const used = lanesUsedBy(items);
    laneIds = model.allLanes.filter((l) => used.has(l));
  }
  const lanes = laneIds.map((id) => {
    const { rank: _rank, ...lane } = model.lanes.lane(id);
    return lane;
  });
  return { items, lanes, hidden: start, current: items.length - 1 };
}

/** Are two items the same message (the same arrow or note between the same lanes; where it sits in the trace aside)? */
function sameItem(a: SeqItem, b: SeqItem): boolean {
  if (a.kind !== b.kind || a.label !== b.label) return false;
  if (a.kind === 'note' && b.kind === 'note') return a.tone === b.tone && String(a.lanes) === String(b.lanes);
  return a.kind !== 'note' && b.kind !== 'note' && a.from === b.from && a.to === b.to && a.dashed === b.dashed;
}

/**
 * Where two runs' diagrams first differ: the index of the first item that is not the same message
 * in both (the shorter one's length when one is the start of the other), or −1 when they are the same.
 */
export function firstDifference(a: readonly SeqItem[], b: readonly SeqItem[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (!sameItem(a[i], b[i])) return i;
  return a.length === b.length ? -1 : n;
}

// ---------------------------------------------------------------- layout

export const LAYOUT = {
  gutter: 52,
  /** Lane width when there is room; layouts may narrow it down to minLaneWidth to fit a panel. */
  laneWidth: 168,
  minLaneWidth: 116,
  headerHeight: 40,
  rowHeight: 26,
  padBottom: 14,
  charWidth: 6.6,
} as const;

export interface LaidLane extends Lane {
  x: number;
}

/** An arrow's shape, relative to its row's baseline (y = 0): the same object while the lanes stay put. */
export interface ArrowGeometry {
  /** SVG path of the shaft (a loop for an arrow to the same lane). */
  path: string;
  /** Arrowhead polygon points. */
  head: string;
  labelX: number;
  labelY: number;
  anchor: 'start' | 'middle';
  label: string;
}

export interface NoteGeometry {
  x: number;
  width: number;
  label: string;
}

export interface LaidArrow {
  item: Extract<SeqItem, { kind: ArrowKind }>;
  /** The row's baseline. */
  y: number;
  geom: ArrowGeometry;
}

export interface LaidNote {
  item: Extract<SeqItem, { kind: 'note' }>;
  y: number;
  geom: NoteGeometry;
}

export interface SequenceLayout {
  width: number;
  height: number;
  lanes: LaidLane[];
  arrows: LaidArrow[];
  notes: LaidNote[];
  /** y of each row by item index, and the current item's index (−1: none). */
  rows: number[];
  current: number;
  laneWidth: number;
}

const clip = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, Math.max(1, max - 1))}…`);
/** A lane's label clipped to its header box. */
export const laneLabel = (label: string, laneWidth: number) => clip(label, Math.floor((laneWidth - 24) / LAYOUT.charWidth));

/** Geometry per item, reused while the item's lanes keep their places (stepping redraws only what moved). */
const geometryCache = new WeakMap<SeqItem, { key: string; geom: ArrowGeometry | NoteGeometry }>();

function arrowGeometry(item: Extract<SeqItem, { kind: ArrowKind }>, x1: number, x2: number, laneWidth: number): ArrowGeometry {
  const key = `${x1}|${x2}|${laneWidth}`;
  const hit = geometryCache.get(item);
  if (hit && hit.key === key) return hit.geom as ArrowGeometry;
  const { charWidth } = LAYOUT;
  const lineY = 4;
  let geom: ArrowGeometry;
  if (x1 === x2) {
    // A loop: out to the right and back.
    const r = 26;
    geom = {
      path: `M${x1} ${lineY - 6} H${x1 + r} V${lineY + 4} H${x1 + 4}`,
      head: `${x1 + 1},${lineY + 4} ${x1 + 8},${lineY + 0.5} ${x1 + 8},${lineY + 7.5}`,
      labelX: x1 + r + 6, labelY: lineY, anchor: 'start',
      label: clip(item.label, Math.floor((laneWidth - r - 16) / charWidth)),
    };
  } else {
    const dir = x2 > x1 ? 1 : -1;
    const tip = x2 - dir * 2;
    geom = {
      path: `M${x1} ${lineY} H${tip - dir * 6}`,
      head: `${tip},${lineY} ${tip - dir * 8},${lineY - 4} ${tip - dir * 8},${lineY + 4}`,
      labelX: (x1 + x2) / 2, labelY: lineY - 5, anchor: 'middle',
      label: clip(item.label, Math.floor((Math.abs(x2 - x1) - 12) / charWidth)),
    };
  }
  geometryCache.set(item, { key, geom });
  return geom;
}

function noteGeometry(item: Extract<SeqItem, { kind: 'note' }>, x1: number, x2: number): NoteGeometry {
  const key = `${x1}|${x2}`;
  const hit = geometryCache.get(item);
  if (hit && hit.key === key) return hit.geom as NoteGeometry;
  const geom = { x: x1, width: x2 - x1, label: clip(item.label, Math.floor((x2 - x1 - 12) / LAYOUT.charWidth)) };
  geometryCache.set(item, { key, geom });
  return geom;
}

/** Lay the window out; `fitWidth` (the panel's width) narrows the lanes, down to LAYOUT.minLaneWidth, to fit. */
export function layoutSequence(win: SequenceWindow, fitWidth?: number): SequenceLayout {
  const { gutter, headerHeight, rowHeight, padBottom } = LAYOUT;
  const n = Math.max(1, win.lanes.length);
  const laneWidth =
    fitWidth && fitWidth > 0 ? Math.max(LAYOUT.minLaneWidth, Math.min(LAYOUT.laneWidth, Math.floor((fitWidth - gutter) / n))) : LAYOUT.laneWidth;
  const lanes: LaidLane[] = win.lanes.map((l, i) => ({ ...l, x: gutter + laneWidth / 2 + i * laneWidth }));
  const xOf = new Map(lanes.map((l) => [l.id, l.x]));
  const width = gutter + n * laneWidth;
  const arrows: LaidArrow[] = [];
  const notes: LaidNote[] = [];
  const rows: number[] = [];
  win.items.forEach((item, k) => {
    const y = headerHeight + k * rowHeight + rowHeight * 0.72;
    rows.push(y);
    if (item.kind === 'note') {
      let x1: number;
      let x2: number;
      if (item.lanes === 'all' || lanes.length === 0) {
        x1 = gutter + 6;
        x2 = width - 6;
      } else {
        const xs = item.lanes.map((l) => xOf.get(l) ?? gutter + laneWidth / 2);
        x1 = Math.min(...xs) - laneWidth / 2 + 10;
        x2 = Math.max(...xs) + laneWidth / 2 - 10;
      }
      notes.push({ item, y, geom: noteGeometry(item, x1, x2) });
      return;
    }
    arrows.push({ item, y, geom: arrowGeometry(item, xOf.get(item.from) ?? gutter, xOf.get(item.to) ?? gutter, laneWidth) });
  });
  const height = headerHeight + win.items.length * rowHeight + padBottom;
  return { width, height, lanes, arrows, notes, rows, current: win.current, laneWidth };
}

// ---------------------------------------------------------------- exports

/** Light-theme colours for the standalone exports (the page itself uses Tailwind classes). */
export const EXPORT_COLORS = {
  background: '#ffffff',
  lifeline: '#cbd5e1',
  laneFill: { thread: '#e0f2fe', api: '#f1f5f9', driver: '#ede9fe', app: '#dcfce7' },
  laneStroke: { thread: '#0284c7', api: '#64748b', driver: '#7c3aed', app: '#16a34a' },
  arrow: { call: '#0369a1', return: '#0369a1', invoke: '#6d28d9', complete: '#6d28d9', irp: '#c2410c', irpComplete: '#c2410c', queue: '#b45309' },
  text: '#1e293b',
  muted: '#64748b',
  current: '#fef3c7',
  note: {
    action: ['#f1f5f9', '#475569'], fatal: ['#fee2e2', '#b91c1c'], error: ['#fee2e2', '#b91c1c'],
    warning: ['#fef3c7', '#b45309'], halt: ['#dcfce7', '#15803d'], haltBad: ['#fee2e2', '#b91c1c'],
  },
} as const;

/**
 * Text for the SVG document, well-formed XML whatever a scenario holds: the five markup characters
 * escaped, and what XML 1.0 cannot carry removed — control characters U+0000–U+001F but tab and line
 * feed, lone surrogates, U+FFFE and U+FFFF.
 */
export const xml = (s: string) =>
  s
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    .replace(/[\u0000-\u0008\u000B-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');

/** A standalone SVG document (inline presentation attributes, no stylesheet, no script). */
export function toSvg(layout: SequenceLayout, title: string, fullLabel: (seq: number) => string = () => ''): string {
  const c = EXPORT_COLORS;
  const { headerHeight, rowHeight, gutter } = LAYOUT;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}" font-family="ui-monospace, SFMono-Regular, Menlo, Consolas, monospace" font-size="11">`,
    `<title>${xml(title)}</title>`,
    `<rect width="100%" height="100%" fill="${c.background}"/>`,
  );
  if (layout.current >= 0) {
    const y = layout.rows[layout.current];
    out.push(`<rect x="0" y="${y - rowHeight * 0.72}" width="${layout.width}" height="${rowHeight}" fill="${c.current}"/>`);
  }
  for (const l of layout.lanes) {
    out.push(
      `<line x1="${l.x}" y1="${headerHeight}" x2="${l.x}" y2="${layout.height}" stroke="${c.lifeline}" stroke-dasharray="3 3"/>`,
      `<rect x="${l.x - layout.laneWidth / 2 + 8}" y="6" width="${layout.laneWidth - 16}" height="26" rx="4" fill="${c.laneFill[l.kind]}" stroke="${c.laneStroke[l.kind]}"/>`,
      `<text x="${l.x}" y="23" text-anchor="middle" fill="${c.text}" font-weight="600">${xml(laneLabel(l.label, layout.laneWidth))}</text>`,
    );
  }
  for (const { item, y, geom: g } of layout.notes) {
    const [fill, stroke] = c.note[item.tone];
    out.push(
      `<g transform="translate(0 ${y})">`,
      `<text x="${gutter - 6}" y="4" text-anchor="end" fill="${c.muted}">#${item.seq}</text>`,
      `<rect x="${g.x}" y="-9" width="${g.width}" height="18" rx="3" fill="${fill}" stroke="${stroke}"/>`,
      `<text x="${g.x + g.width / 2}" y="4" text-anchor="middle" fill="${stroke}" font-weight="600">${xml(g.label)}</text>`,
      `</g>`,
    );
  }
  for (const { item, y, geom: g } of layout.arrows) {
    const color = c.arrow[item.kind];
    const dash = item.kind === 'queue' ? ' stroke-dasharray="2 3"' : item.dashed ? ' stroke-dasharray="5 3"' : '';
    const full = fullLabel(item.seq);
    out.push(
      `<g transform="translate(0 ${y})">${full ? `<title>${xml(full)}</title>` : ''}`,
      `<text x="${gutter - 6}" y="4" text-anchor="end" fill="${c.muted}">#${item.seq}</text>`,
      `<path d="${g.path}" fill="none" stroke="${color}" stroke-width="1.4"${dash}/>`,
      `<polygon points="${g.head}" fill="${color}"/>`,
      `<text x="${g.labelX}" y="${g.labelY}" text-anchor="${g.anchor}" fill="${c.text}">${xml(g.label)}</text>`,
      `</g>`,
    );
  }
  out.push('</svg>');
  return `<?xml version="1.0" encoding="UTF-8"?>\n${out.join('\n')}\n`;
}

/** Text inside a Mermaid statement: no line breaks, and the characters Mermaid parses escaped as entity codes. */
const MERMAID_ENTITY: Readonly<Record<string, string>> = dictOf({ '#': '#35;', ';': '#59;', '<': '#lt;', '>': '#gt;', '%': '#37;', '"': '#quot;', '&': '#38;' });
export function mermaidText(s: string): string {
  return s.replace(/[\r\n]+/g, ' ').replace(/[#;<>%"&]/g, (ch) => MERMAID_ENTITY[ch]);
}

/** The window as a Mermaid `sequenceDiagram` (the current message in a highlighted `rect`). */
export function toMermaid(win: SequenceWindow, title?: string): string {
  const ids = new Map(win.lanes.map((l, i) => [l.id, `L${i}`]));
  const out: string[] = [];
  if (title) out.push('---', `title: ${JSON.stringify(title)}`, '---');
  out.push('sequenceDiagram');
  for (const l of win.lanes) out.push(`  participant ${ids.get(l.id)} as ${mermaidText(l.label)}`);
  if (win.hidden > 0) out.push(`  Note over ${ids.get(win.lanes[0]?.id ?? '') ?? 'L0'}: ${win.hidden} earlier messages not shown`);
  const first = win.lanes.length > 0 ? ids.get(win.lanes[0].id)! : null;
  const last = win.lanes.length > 0 ? ids.get(win.lanes[win.lanes.length - 1].id)! : null;
  win.items.forEach((it, k) => {
    const current = k === win.current;
    const indent = current ? '    ' : '  ';
    if (current) out.push('  rect rgb(254, 243, 199)');
    const label = mermaidText(`#${it.seq} ${it.label}`);
    if (it.kind === 'note') {
      const over =
        it.lanes === 'all'
          ? first === last ? first : `${first},${last}`
          : [...new Set(it.lanes.map((l) => ids.get(l)!))].slice(0, 2).join(',');
      if (over) out.push(`${indent}Note over ${over}: ${label}`);
    } else {
      const arrow = it.dashed ? '-->>' : '->>';
      out.push(`${indent}${ids.get(it.from)}${arrow}${ids.get(it.to)}: ${label}`);
    }
    if (current) out.push('  end');
  });
  return `${out.join('\n')}\n`;
}
