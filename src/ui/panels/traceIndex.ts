// Per-trace indices, computed once per trace array and shared by every panel (a WeakMap keyed on
// the array's identity): stepping then costs a lookup or a binary search, never a scan.
import type { TraceEntry } from '../../engine/trace.ts';
import { parseEntity } from '../../engine/ids/entities.ts';

export type Trace = readonly TraceEntry[];

/** Memoise a derivation on the trace array's identity (traces are never mutated once shown). */
export function perTrace<T>(compute: (trace: Trace) => T): (trace: Trace) => T {
  const cache = new WeakMap<Trace, T>();
  return (trace) => {
    let value = cache.get(trace);
    if (value === undefined) {
      value = compute(trace);
      cache.set(trace, value);
    }
    return value;
  };
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
 * Call nesting per thread. For each entry i, `parent[i]` is the index of the innermost `call` or
 * `invoke` still open on its thread before i applies (−1: none). For a `return` / `complete` that
 * is the frame it closes. A thread that goes idle or done drops its frames (as the snapshot does).
 */
export const frameParents = perTrace((trace): Int32Array => {
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
});

/** The innermost open `invoke` around entry i (a routine the system called), or −1. */
export function enclosingInvoke(trace: Trace, parent: Int32Array, i: number): number {
  let j = parent[i];
  while (j >= 0 && trace[j].type !== 'invoke') j = parent[j];
  return j;
}

/** Seqs of the `note` entries, ascending. */
export const noteSeqs = perTrace((trace): number[] => {
  const out: number[] = [];
  for (const e of trace) if (e.type === 'note') out.push(e.seq);
  return out;
});

/** Seqs of the fatal hazards (bug check, deadlock), ascending: the ones that get an overlay. */
export const fatalHazardSeqs = perTrace((trace): number[] => {
  const out: number[] = [];
  for (const e of trace) if (e.type === 'hazard' && (e.severity === 'bugcheck' || e.severity === 'deadlock')) out.push(e.seq);
  return out;
});

export interface ThreadOps {
  seqs: number[];
  ops: string[];
}

/** Per thread: the `call` / `note` entries that point at an op of the scenario (for the code view). */
export const opsByThread = perTrace((trace): Map<string, ThreadOps> => {
  const map = new Map<string, ThreadOps>();
  for (const e of trace) {
    if ((e.type === 'call' || e.type === 'note') && e.op) {
      let t = map.get(e.thread);
      if (!t) map.set(e.thread, (t = { seqs: [], ops: [] }));
      t.seqs.push(e.seq);
      t.ops.push(e.op);
    }
  }
  return map;
});

/** The components named by the trace (drivers, apps, `shell`), in order of first appearance. */
export const traceComponents = perTrace((trace): string[] => {
  const seen = new Set<string>();
  for (const e of trace) {
    const c = componentOf(e);
    if (c) seen.add(c);
  }
  return [...seen];
});

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

/** Call-nesting depth of each entry on its thread (a return / complete sits level with its call). */
export const nestingDepths = perTrace((trace): Uint16Array => {
  const parent = frameParents(trace);
  const depth = new Uint16Array(trace.length);
  for (let i = 0; i < trace.length; i++) {
    const p = parent[i];
    const t = trace[i].type;
    depth[i] = p < 0 ? 0 : t === 'return' || t === 'complete' ? depth[p] : Math.min(depth[p] + 1, 65535);
  }
  return depth;
});
