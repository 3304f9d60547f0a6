// Stepping model: a step is one trace entry (simple and honest); the scrubber and Shift+arrows
// also jump by timeline action. Markers: where actions start and where rules fired.
import type { TraceEntry } from '../../engine/trace.ts';
import { isCallbackStart, traceIndex, type Marker } from '../../trace/indexes.ts';

export { isCallbackStart, type Marker };

/** Seqs of the `action` entries, ascending (from the trace's index). */
export function actionSeqs(trace: readonly TraceEntry[]): number[] {
  return traceIndex(trace).actionSeqs;
}

/** The action start before `cursor` (or 0), and the one after (or the last entry). */
export function previousAction(starts: readonly number[], cursor: number): number {
  let best = 0;
  for (const s of starts) {
    if (s < cursor) best = s;
    else break;
  }
  return best;
}

export function nextAction(starts: readonly number[], cursor: number, length: number): number {
  for (const s of starts) if (s > cursor) return s;
  return Math.max(0, length - 1);
}

/**
 * Scrubber markers, at most one per 600th of the track and kind (a 100,000-entry trace stays a
 * few hundred marks). Hazards win over warnings, which win over actions. From the trace's index.
 */
export function markers(trace: readonly TraceEntry[]): Marker[] {
  return traceIndex(trace).markers;
}

/** Seqs where a callback starts, ascending (from the trace's index). */
export function callbackSeqs(trace: readonly TraceEntry[]): number[] {
  return traceIndex(trace).callbackSeqs;
}

/** The first of `sorted` after `cursor`, or null. */
export function nextOf(sorted: readonly number[], cursor: number): number | null {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= cursor) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length ? sorted[lo] : null;
}

/** The last of `sorted` before `cursor`, or null. */
export function previousOf(sorted: readonly number[], cursor: number): number | null {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < cursor) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? sorted[lo - 1] : null;
}
