// The Trace panel's filter, shared with the stepper: stepping follows it (Step forward / back,
// Play visit only the entries the filter shows). A small store of its own: the session store
// mirrors the engine, this is a view preference.
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { kindCode, kindOf, lastAtOrBefore, traceIndex, type EntryKind, type Trace } from '../../trace/indexes.ts';

export { kindOf, type EntryKind };

export interface TraceFilter {
  component: string;
  thread: string;
  hidden: ReadonlySet<EntryKind>;
}

export const NO_FILTER: TraceFilter = { component: '', thread: '', hidden: new Set() };

/**
 * Seqs of the entries the filter lets through (ascending), or null when it lets everything through.
 * Read from the index's columns (kind, thread, component of every entry): no entry is decoded.
 */
export function filterTrace(trace: Trace, f: TraceFilter): Int32Array | null {
  if (!f.component && !f.thread && f.hidden.size === 0) return null;
  const ix = traceIndex(trace);
  const hidden = new Uint8Array(256);
  for (const k of f.hidden) if (kindCode(k) >= 0) hidden[kindCode(k)] = 1;
  // −1: no filter on it; −2: a name the trace does not have (nothing matches).
  const thread = f.thread ? ix.threadNames.indexOf(f.thread) : -1;
  const component = f.component ? ix.componentNames.indexOf(f.component) + 1 : -1;
  const out = new Int32Array(ix.length);
  let n = 0;
  if ((f.thread && thread < 0) || component === 0) return out.subarray(0, 0);
  for (let i = 0; i < ix.length; i++) {
    if (hidden[ix.kinds[i]]) continue;
    if (thread >= 0 && ix.threads[i] !== thread) continue;
    if (component > 0 && ix.components[i] !== component) continue;
    out[n++] = i;
  }
  return out.subarray(0, n);
}

export const traceFilterStore = createStore<TraceFilter>()(() => NO_FILTER);

export function setTraceFilter(patch: Partial<TraceFilter>): void {
  traceFilterStore.setState(patch);
}

export function useTraceFilter(): TraceFilter {
  return useStore(traceFilterStore);
}

// One filtered index per (trace, filter): stepping costs a binary search, not a scan.
let memo: { trace: Trace; filter: TraceFilter; visible: Int32Array | null } | null = null;

/** The threads a trace has, in order of appearance (the Thread filter's menu). */
export const traceThreads = (trace: Trace): string[] => traceIndex(trace).threadNames;

/**
 * The visible seqs of `trace` under the current filter (null: everything), memoised. A filter
 * naming a component or thread this trace does not have is ignored (it would show nothing).
 */
export function visibleSeqs(trace: Trace, filter: TraceFilter = traceFilterStore.getState()): Int32Array | null {
  if (memo && memo.trace === trace && memo.filter === filter) return memo.visible;
  const effective = {
    component: traceIndex(trace).componentNames.includes(filter.component) ? filter.component : '',
    thread: traceThreads(trace).includes(filter.thread) ? filter.thread : '',
    hidden: filter.hidden,
  };
  const visible = filterTrace(trace, effective);
  memo = { trace, filter, visible };
  return visible;
}

/**
 * The entry `delta` visible entries away from `cursor` (clamped to the visible ones; `cursor`
 * itself when there is none that way). With no filter, plain arithmetic.
 */
export function stepVisible(visible: ArrayLike<number> | null, length: number, cursor: number, delta: number): number {
  if (length === 0) return -1;
  if (!visible) return Math.max(0, Math.min(length - 1, cursor + delta));
  if (visible.length === 0) return cursor;
  const at = lastAtOrBefore(visible, cursor); // index of the last visible ≤ cursor
  const onVisible = at >= 0 && visible[at] === cursor;
  let k = delta > 0 ? at + delta : onVisible ? at + delta : at + delta + 1;
  k = Math.max(0, Math.min(visible.length - 1, k));
  const seq = visible[k];
  if (delta > 0 && seq <= cursor) return cursor;
  if (delta < 0 && seq >= cursor) return cursor;
  return seq;
}
