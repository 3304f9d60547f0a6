// The page's trace: a read-only array over the encoded trace the worker transferred
// (src/trace/encoded.ts). Reading `trace[i]` decodes entry i on first use and keeps it; nothing
// is decoded up front, so opening a 100,000-entry trace costs the page nothing per entry, and a
// step decodes the few entries on screen. Views keep reading `readonly TraceEntry[]` (index,
// `length`, `at`, `find`, iteration all work), and whole-trace questions go to the worker-built
// index (`traceIndex`, src/trace/indexes.ts), which is attached to the view.
//
// A view can start with only the first entries of its trace (a long opening's, RunResult.traceLater):
// its `length` is the whole trace's (the index is whole), and reading an entry not received yet
// throws TraceNotReceived — never an undefined or a stale entry that a reader could take for the
// trace. `completeTrace` gives it the whole encoded trace in place (the same view, so what the
// page holds for it, decoded entries and snapshots, stays valid); `isTraceWhole` says which it is.
import type { TraceEntry } from '../engine/trace.ts';
import { decodeEntry, encodedLength, type EncodedTrace } from './encoded.ts';
import { attachIndex, type TraceIndex } from './indexes.ts';

interface ViewState {
  encoded: EncodedTrace;
  /** Entries 0 … received − 1 can be read. */
  received: number;
  length: number;
}

const states = new WeakMap<readonly TraceEntry[], ViewState>();

/** A read of an entry a view has not received yet (the whole trace is still to come). */
export class TraceNotReceived extends Error {
  constructor(readonly seq: number, readonly received: number) {
    super(`Trace entry ${seq} is not received yet (entries 0–${received - 1} of this trace are): wait for the whole trace (isTraceWhole).`);
    this.name = 'TraceNotReceived';
  }
}

/** The encoded form of a whole trace view (for the export: its text is the JSON Lines file); undefined for a plain array or a view still waiting for its trace. */
export function encodedTraceOf(trace: readonly TraceEntry[]): EncodedTrace | undefined {
  const state = states.get(trace);
  return state && state.received === state.length ? state.encoded : undefined;
}

/** Whether every entry of `trace` can be read: true for a plain array and a complete view. */
export function isTraceWhole(trace: readonly TraceEntry[]): boolean {
  const state = states.get(trace);
  return !state || state.received === state.length;
}

/** How many first entries of `trace` can be read now (its length once it is whole). */
export function receivedLength(trace: readonly TraceEntry[]): number {
  return states.get(trace)?.received ?? trace.length;
}

/** Give a view its whole encoded trace (its entries must be the index's count). Returns false, changing nothing, for anything else. */
export function completeTrace(trace: readonly TraceEntry[], whole: EncodedTrace): boolean {
  const state = states.get(trace);
  if (!state || encodedLength(whole) !== state.length) return false;
  state.encoded = whole;
  state.received = state.length;
  return true;
}

const indexKey = (p: string | symbol): number => {
  if (typeof p !== 'string') return -1;
  const c = p.charCodeAt(0);
  if (c < 48 || c > 57) return -1; // not a digit: a method or `length`
  const i = Number(p);
  return Number.isInteger(i) && String(i) === p ? i : -1;
};

/**
 * A read-only array view of an encoded trace, with its index attached. `encoded` may hold only the
 * trace's first entries (fewer than `index.length`): the rest comes with `completeTrace`.
 */
export function traceView(encoded: EncodedTrace, index: TraceIndex): readonly TraceEntry[] {
  const received = encodedLength(encoded);
  const length = Math.max(received, index.length);
  const state: ViewState = { encoded, received, length };
  const decoded: (TraceEntry | undefined)[] = [];
  const entry = (i: number): TraceEntry => {
    if (i >= state.received) throw new TraceNotReceived(i, state.received);
    return (decoded[i] ??= decodeEntry(state.encoded, i));
  };
  // The target is an array of the right length (holes), so Array.isArray holds and the array methods apply.
  const target: TraceEntry[] = [];
  target.length = length;
  const view = new Proxy(target, {
    get(t, p, receiver) {
      const i = indexKey(p);
      if (i < 0) return Reflect.get(t, p, receiver);
      if (i >= length) return undefined;
      return entry(i);
    },
    has(t, p) {
      const i = indexKey(p);
      return i < 0 ? Reflect.has(t, p) : i < length;
    },
    getOwnPropertyDescriptor(t, p) {
      const i = indexKey(p);
      if (i < 0 || i >= length) return Reflect.getOwnPropertyDescriptor(t, p);
      return { value: entry(i), writable: false, enumerable: true, configurable: true };
    },
    set: () => false,
    deleteProperty: () => false,
    defineProperty: () => false,
  });
  states.set(view, state);
  attachIndex(view, index);
  return view;
}
