// Stepping model: a step is one trace entry (simple and honest); the scrubber and Shift+arrows
// also jump by timeline action. Markers: where actions start and where rules fired.
import type { TraceEntry } from '../../engine/trace.ts';

export interface Marker {
  /** 0…1 along the scrubber. */
  at: number;
  seq: number;
  kind: 'action' | 'hazard' | 'warning';
  label: string;
}

/** Seqs of the `action` entries, ascending. */
export function actionSeqs(trace: readonly TraceEntry[]): number[] {
  const out: number[] = [];
  for (const e of trace) if (e.type === 'action') out.push(e.seq);
  return out;
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
 * Scrubber markers, at most one per `buckets`-th of the track and kind (a 100,000-entry trace
 * stays a few hundred marks). Hazards win over warnings, which win over actions.
 */
export function markers(trace: readonly TraceEntry[], buckets = 600): Marker[] {
  const n = trace.length;
  if (n === 0) return [];
  const byBucket = new Map<number, Marker>();
  const rank = { action: 0, warning: 1, hazard: 2 } as const;
  for (const e of trace) {
    let m: Marker | null = null;
    const at = n === 1 ? 0 : e.seq / (n - 1);
    if (e.type === 'action') m = { at, seq: e.seq, kind: 'action', label: `action ${e.index + 1}: ${e.action.do}` };
    else if (e.type === 'hazard') {
      const serious = e.severity === 'bugcheck' || e.severity === 'deadlock' || e.severity === 'error';
      m = { at, seq: e.seq, kind: serious ? 'hazard' : 'warning', label: `${e.rule} ${e.severity}` };
    }
    if (!m) continue;
    const b = Math.round(at * buckets);
    const old = byBucket.get(b);
    if (!old || rank[m.kind] > rank[old.kind]) byBucket.set(b, m);
  }
  return [...byBucket.values()].sort((a, b) => a.seq - b.seq);
}

/** A notification callback starts: the system invokes a registered routine (the entry names the registration). */
export function isCallbackStart(e: TraceEntry): boolean {
  return e.type === 'invoke' && e.registration !== undefined;
}

const callbackCache = new WeakMap<readonly TraceEntry[], number[]>();

/** Seqs where a callback starts, ascending (computed once per trace). */
export function callbackSeqs(trace: readonly TraceEntry[]): number[] {
  let seqs = callbackCache.get(trace);
  if (!seqs) {
    seqs = [];
    for (const e of trace) if (isCallbackStart(e)) seqs.push(e.seq);
    callbackCache.set(trace, seqs);
  }
  return seqs;
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
