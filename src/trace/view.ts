// The page's trace: a read-only array over the encoded trace the worker transferred
// (src/trace/encoded.ts). Reading `trace[i]` decodes entry i on first use and keeps it; nothing
// is decoded up front, so opening a 100,000-entry trace costs the page nothing per entry, and a
// step decodes the few entries on screen. Views keep reading `readonly TraceEntry[]` (index,
// `length`, `at`, `find`, iteration all work), and whole-trace questions go to the worker-built
// index (`traceIndex`, src/trace/indexes.ts), which is attached to the view.
import type { TraceEntry } from '../engine/trace.ts';
import { decodeEntry, encodedLength, type EncodedTrace } from './encoded.ts';
import { attachIndex, type TraceIndex } from './indexes.ts';

const encodedOf = new WeakMap<readonly TraceEntry[], EncodedTrace>();

/** The encoded form of a trace view (for the export: its text is the JSON Lines file), or undefined for a plain array. */
export const encodedTraceOf = (trace: readonly TraceEntry[]): EncodedTrace | undefined => encodedOf.get(trace);

const indexKey = (p: string | symbol): number => {
  if (typeof p !== 'string') return -1;
  const c = p.charCodeAt(0);
  if (c < 48 || c > 57) return -1; // not a digit: a method or `length`
  const i = Number(p);
  return Number.isInteger(i) && String(i) === p ? i : -1;
};

/** A read-only array view of an encoded trace, with its index attached. */
export function traceView(encoded: EncodedTrace, index: TraceIndex): readonly TraceEntry[] {
  const length = encodedLength(encoded);
  const decoded: (TraceEntry | undefined)[] = [];
  // The target is an array of the right length (holes), so Array.isArray holds and the array methods apply.
  const target: TraceEntry[] = [];
  target.length = length;
  const view = new Proxy(target, {
    get(t, p, receiver) {
      const i = indexKey(p);
      if (i < 0) return Reflect.get(t, p, receiver);
      if (i >= length) return undefined;
      return (decoded[i] ??= decodeEntry(encoded, i));
    },
    has(t, p) {
      const i = indexKey(p);
      return i < 0 ? Reflect.has(t, p) : i < length;
    },
    getOwnPropertyDescriptor(t, p) {
      const i = indexKey(p);
      if (i < 0 || i >= length) return Reflect.getOwnPropertyDescriptor(t, p);
      return { value: (decoded[i] ??= decodeEntry(encoded, i)), writable: false, enumerable: true, configurable: true };
    },
    set: () => false,
    deleteProperty: () => false,
    defineProperty: () => false,
  });
  encodedOf.set(view, encoded);
  attachIndex(view, index);
  return view;
}
