// The Trace panel's filter, shared with the stepper: stepping follows it (Step forward / back,
// Play visit only the entries the filter shows). A small store of its own: the session store
// mirrors the engine, this is a view preference.
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { TraceEntry, TraceType } from '../../engine/trace.ts';
import { componentOf, lastAtOrBefore, perTrace, traceComponents, type Trace } from './traceIndex.ts';
import { isThreadEntity } from '../../engine/ids/entities.ts';

/** Filterable kinds: the trace types, with scheduler bookkeeping (thread / IRQL states) apart from other state changes. */
export type EntryKind = TraceType | 'thread';

export function kindOf(e: TraceEntry): EntryKind {
  if (e.type === 'state' && isThreadEntity(e.entity)) return 'thread';
  return e.type;
}

export interface TraceFilter {
  component: string;
  thread: string;
  hidden: ReadonlySet<EntryKind>;
}

export const NO_FILTER: TraceFilter = { component: '', thread: '', hidden: new Set() };

/** Seqs of the entries the filter lets through (ascending), or null when it lets everything through. */
export function filterTrace(trace: Trace, f: TraceFilter): Int32Array | null {
  if (!f.component && !f.thread && f.hidden.size === 0) return null;
  const out = new Int32Array(trace.length);
  let n = 0;
  for (let i = 0; i < trace.length; i++) {
    const e = trace[i];
    if (f.hidden.size > 0 && f.hidden.has(kindOf(e))) continue;
    if (f.thread && e.thread !== f.thread) continue;
    if (f.component && componentOf(e) !== f.component) continue;
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
export const traceThreads = perTrace((trace: Trace): string[] => {
  const seen = new Set<string>();
  for (const e of trace) seen.add(e.thread);
  return [...seen];
});

/**
 * The visible seqs of `trace` under the current filter (null: everything), memoised. A filter
 * naming a component or thread this trace does not have is ignored (it would show nothing).
 */
export function visibleSeqs(trace: Trace, filter: TraceFilter = traceFilterStore.getState()): Int32Array | null {
  if (memo && memo.trace === trace && memo.filter === filter) return memo.visible;
  const effective = {
    component: traceComponents(trace).includes(filter.component) ? filter.component : '',
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
