// What the page needs to know about a whole trace, computed in one pass: where actions, callbacks,
// notes and fatal hazards are, the scrubber's markers, the run summary, the filter's columns (kind,
// thread, component and step of every entry, as typed arrays) and the call nesting. The engine
// worker builds it with each run and sends it with the encoded trace, so the page never scans a
// trace; for a plain array (tests, a trace the page made itself) `traceIndex` builds it here,
// once per array. One builder, used by both: the page's views read these, never a scan of their own.
import { isThreadEntity, parseEntity } from '../engine/ids/entities.ts';
import type { RuleId, Severity } from '../engine/rules/ids.ts';
import type { HaltReason, TraceEntry, TraceType } from '../engine/trace.ts';

export type Trace = readonly TraceEntry[];

/** Filterable kinds: the trace types, with scheduler bookkeeping (thread / IRQL states) apart from other state changes. */
export type EntryKind = TraceType | 'thread';

/** Every kind, in a fixed order: an entry's kind is stored as its position here. */
export const ENTRY_KIND_LIST: readonly EntryKind[] = [
  'action', 'call', 'return', 'invoke', 'complete', 'irp', 'irpComplete', 'queue', 'state', 'thread', 'hazard', 'note', 'halt',
];
const KIND_CODE = new Map<EntryKind, number>(ENTRY_KIND_LIST.map((k, i) => [k, i]));

/** The code of a kind in TraceIndex.kinds. */
export const kindCode = (kind: EntryKind): number => KIND_CODE.get(kind) ?? -1;

export function kindOf(e: TraceEntry): EntryKind {
  if (e.type === 'state' && isThreadEntity(e.entity)) return 'thread';
  return e.type;
}

/** The component an entry is about, if any (IRPs: the driver they are sent to). */
export function componentOf(e: TraceEntry): string | undefined {
  switch (e.type) {
    case 'call':
    case 'return':
    case 'invoke':
    case 'complete':
      return e.component;
    case 'note':
      return e.component;
    case 'irp':
    case 'irpComplete':
      return e.driver;
    default:
      return undefined;
  }
}

/** A notification callback starts: the system invokes a registered routine (the entry names the registration). */
export function isCallbackStart(e: TraceEntry): boolean {
  return e.type === 'invoke' && e.registration !== undefined;
}

/**
 * A callback's completion that vetoed a query-remove, as the engine stamped it: RM-2 (an app
 * refused QUERYREMOVE) or RM-3 (a kernel callback failed QUERY_REMOVE). Failing any other event
 * vetoes nothing (IO-5), and the page does not guess otherwise.
 */
export const isVeto = (e: TraceEntry): boolean => e.rule === 'RM-2' || e.rule === 'RM-3';

export interface Marker {
  /** 0…1 along the scrubber. */
  at: number;
  seq: number;
  kind: 'action' | 'hazard' | 'warning';
  label: string;
}

export interface Broken {
  seq: number;
  rule: RuleId;
  severity: Severity;
  message: string;
  bugcheck?: string;
}

export interface Obeyed {
  rule: RuleId;
  count: number;
  /** Seq of the first entry that obeyed it. */
  first: number;
}

/** What broke (every entry stamped `verdict: 'breaks'`) and what was obeyed (per rule): the engine decides, the index counts. */
export interface RunSummary {
  broken: Broken[];
  obeyed: Obeyed[];
  halt: HaltReason | null;
}

export interface TraceIndex {
  length: number;
  /** Per entry: its timeline step, kind (position in ENTRY_KIND_LIST), thread (position in `threadNames`), component (position in `componentNames` + 1; 0: none) and call-nesting depth. */
  steps: Uint32Array;
  kinds: Uint8Array;
  threads: Uint32Array;
  components: Uint32Array;
  depths: Uint16Array;
  /** In order of first appearance. */
  threadNames: string[];
  componentNames: string[];
  /** Ascending seqs of: `action` entries, callback starts, notes, fatal hazards (bug check, deadlock), state changes of entities other than threads. */
  actionSeqs: number[];
  callbackSeqs: number[];
  noteSeqs: number[];
  fatalHazardSeqs: number[];
  entityStateSeqs: number[];
  /** Callback completions that vetoed a query-remove, with the registration whose callback it was. */
  vetoes: { seq: number; registration: string }[];
  /** The threads that block at some step (a thread `state` entry to `blocked`), in order of their first block. */
  blockedThreads: string[];
  markers: Marker[];
  summary: RunSummary;
}

/**
 * Call nesting per thread. For each entry i, `parent[i]` is the index of the innermost `call` or
 * `invoke` still open on its thread before i applies (−1: none). For a `return` / `complete` that
 * is the frame it closes. A thread that goes idle or done drops its frames (as the snapshot does).
 */
export function frameParents(trace: Trace): Int32Array {
  const parent = new Int32Array(trace.length).fill(-1);
  const stacks = new Map<string, number[]>();
  const stackOf = (thread: string) => {
    let s = stacks.get(thread);
    if (!s) stacks.set(thread, (s = []));
    return s;
  };
  for (let i = 0; i < trace.length; i++) {
    const e = trace[i];
    const st = stackOf(e.thread);
    parent[i] = st.length > 0 ? st[st.length - 1] : -1;
    switch (e.type) {
      case 'call':
      case 'invoke':
        st.push(i);
        break;
      case 'return':
      case 'complete':
        st.pop();
        break;
      case 'state': {
        const ent = parseEntity(e.entity);
        if (ent?.kind === 'thread' && (e.to === 'done' || e.to === 'idle')) stackOf(ent.id).length = 0;
        break;
      }
      default:
        break;
    }
  }
  return parent;
}

/** Scrubber markers: at most one per `MARKER_BUCKETS`-th of the track and kind (a 100,000-entry trace stays a few hundred marks). Hazards win over warnings, which win over actions. */
export const MARKER_BUCKETS = 600;
const MARKER_RANK = { action: 0, warning: 1, hazard: 2 } as const;

function markerOf(e: TraceEntry, n: number): Marker | null {
  const at = n === 1 ? 0 : e.seq / (n - 1);
  if (e.type === 'action') return { at, seq: e.seq, kind: 'action', label: `action ${e.index + 1}: ${e.action.do}` };
  if (e.type === 'hazard') {
    const serious = e.severity === 'bugcheck' || e.severity === 'deadlock' || e.severity === 'error';
    return { at, seq: e.seq, kind: serious ? 'hazard' : 'warning', label: `${e.rule} ${e.severity}` };
  }
  return null;
}

/** Build the index of a trace (one pass, plus the nesting fold). */
export function buildTraceIndex(trace: Trace): TraceIndex {
  const n = trace.length;
  const steps = new Uint32Array(n);
  const kinds = new Uint8Array(n);
  const threads = new Uint32Array(n);
  const components = new Uint32Array(n);
  const depths = new Uint16Array(n);
  const threadIds = new Map<string, number>();
  const componentIds = new Map<string, number>();
  const index: TraceIndex = {
    length: n, steps, kinds, threads, components, depths,
    threadNames: [], componentNames: [],
    actionSeqs: [], callbackSeqs: [], noteSeqs: [], fatalHazardSeqs: [], entityStateSeqs: [], vetoes: [], blockedThreads: [],
    markers: [], summary: { broken: [], obeyed: [], halt: null },
  };
  const parent = frameParents(trace);
  const byBucket = new Map<number, Marker>();
  const obeyed = new Map<RuleId, Obeyed>();
  for (let i = 0; i < n; i++) {
    const e = trace[i];
    const kind = kindOf(e);
    steps[i] = e.step;
    kinds[i] = KIND_CODE.get(kind) ?? 0;
    let t = threadIds.get(e.thread);
    if (t === undefined) {
      threadIds.set(e.thread, (t = index.threadNames.length));
      index.threadNames.push(e.thread);
    }
    threads[i] = t;
    const c = componentOf(e);
    if (c !== undefined) {
      let id = componentIds.get(c);
      if (id === undefined) {
        componentIds.set(c, (id = index.componentNames.length));
        index.componentNames.push(c);
      }
      components[i] = id + 1;
    }
    const p = parent[i];
    depths[i] = p < 0 ? 0 : e.type === 'return' || e.type === 'complete' ? depths[p] : Math.min(depths[p] + 1, 65535);

    if (e.type === 'action') index.actionSeqs.push(e.seq);
    else if (e.type === 'note') index.noteSeqs.push(e.seq);
    else if (kind === 'state') index.entityStateSeqs.push(e.seq);
    else if (e.type === 'hazard' && (e.severity === 'bugcheck' || e.severity === 'deadlock')) index.fatalHazardSeqs.push(e.seq);
    else if (e.type === 'halt') index.summary.halt = e.reason;
    if (kind === 'thread' && e.type === 'state' && e.to === 'blocked') {
      const thread = parseEntity(e.entity)?.id;
      if (thread !== undefined && !index.blockedThreads.includes(thread)) index.blockedThreads.push(thread);
    }
    if (isCallbackStart(e)) index.callbackSeqs.push(e.seq);
    if (e.type === 'complete' && isVeto(e) && p >= 0) {
      const opener = trace[p];
      if (opener.type === 'invoke' && opener.registration !== undefined) index.vetoes.push({ seq: e.seq, registration: opener.registration });
    }

    const m = markerOf(e, n);
    if (m) {
      const b = Math.round(m.at * MARKER_BUCKETS);
      const old = byBucket.get(b);
      if (!old || MARKER_RANK[m.kind] > MARKER_RANK[old.kind]) byBucket.set(b, m);
    }

    if (e.rule && e.verdict) {
      if (e.verdict === 'breaks') {
        index.summary.broken.push({
          seq: e.seq,
          rule: e.rule,
          severity: e.type === 'hazard' ? e.severity : 'error',
          message: e.type === 'hazard' ? e.message : '',
          ...(e.type === 'hazard' && e.bugcheck ? { bugcheck: e.bugcheck } : {}),
        });
      } else {
        const o = obeyed.get(e.rule);
        if (o) o.count++;
        else obeyed.set(e.rule, { rule: e.rule, count: 1, first: e.seq });
      }
    }
  }
  index.markers = [...byBucket.values()].sort((a, b) => a.seq - b.seq);
  index.summary.obeyed = [...obeyed.values()];
  return index;
}

/** The buffers to transfer with a message carrying `ix`. */
export const indexTransfer = (ix: TraceIndex): ArrayBuffer[] =>
  [ix.steps, ix.kinds, ix.threads, ix.components, ix.depths].map((a) => a.buffer as ArrayBuffer);

// ---- the page's access: the worker-built index of a trace view, else one built here once per array

const attached = new WeakMap<Trace, TraceIndex>();
const built = new WeakMap<Trace, TraceIndex>();

/** Attach the index the worker built to the trace it describes (src/trace/view.ts). */
export function attachIndex(trace: Trace, ix: TraceIndex): void {
  attached.set(trace, ix);
}

/** The index of `trace`: attached by the worker, or built once for this array. */
export function traceIndex(trace: Trace): TraceIndex {
  let ix = attached.get(trace) ?? built.get(trace);
  if (!ix) built.set(trace, (ix = buildTraceIndex(trace)));
  return ix;
}

/** Index of the last element of an ascending array that is ≤ `value`, or −1. */
export function lastAtOrBefore(sorted: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= value) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * The seq of the `action` entry that starts timeline action `index` (or the last entry if it never
 * started): where a gesture puts the cursor, on the page and in the worker (RunRequest.seekAction).
 */
export function actionStart(trace: Trace, index: number, ix: TraceIndex = traceIndex(trace)): number {
  for (const seq of ix.actionSeqs) {
    const e = trace[seq];
    if (e.type === 'action' && e.index === index) return seq;
  }
  return trace.length - 1;
}

/** The seq of the first entry of timeline step `step` or later (length when there is none): a binary search of the step column. */
export function firstSeqOfStep(ix: TraceIndex, step: number): number {
  let lo = 0;
  let hi = ix.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ix.steps[mid] < step) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
