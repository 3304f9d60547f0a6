// Per-trace indices for the panels. The whole-trace ones come from the trace's index
// (src/trace/indexes.ts: built by the engine worker with each run), so stepping costs a lookup or
// a binary search, never a scan; the few computed here are memoised on the trace array's identity.
import { componentOf, frameParents as scanFrameParents, lastAtOrBefore, traceIndex, type Trace } from '../../trace/indexes.ts';

export { componentOf, lastAtOrBefore, type Trace };

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

/** Call nesting per thread (see src/trace/indexes.ts), memoised per trace. */
export const frameParents = perTrace(scanFrameParents);

/** The innermost open `invoke` around entry i (a routine the system called), or −1. */
export function enclosingInvoke(trace: Trace, parent: Int32Array, i: number): number {
  let j = parent[i];
  while (j >= 0 && trace[j].type !== 'invoke') j = parent[j];
  return j;
}

/** Seqs of the `note` entries, ascending. */
export const noteSeqs = (trace: Trace): number[] => traceIndex(trace).noteSeqs;

/** Seqs of the fatal hazards (bug check, deadlock), ascending: the ones that get an overlay. */
export const fatalHazardSeqs = (trace: Trace): number[] => traceIndex(trace).fatalHazardSeqs;

/** The components named by the trace (drivers, apps, `shell`), in order of first appearance. */
export const traceComponents = (trace: Trace): string[] => traceIndex(trace).componentNames;

/** Call-nesting depth of each entry on its thread (a return / complete sits level with its call). */
export const nestingDepths = (trace: Trace): Uint16Array => traceIndex(trace).depths;
