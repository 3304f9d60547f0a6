// The shape of a trace: the sequence of (seq, type, thread), without any field. Stamping rules and
// verdicts (or any other additive field) must never change it: links with `schedule` overrides
// and golden links address entries by position.
import { createHash } from 'node:crypto';
import type { TraceEntry } from './trace.ts';

export function traceShape(trace: readonly TraceEntry[]): { entries: number; sha256: string } {
  const h = createHash('sha256');
  for (const e of trace) h.update(`${e.seq}|${e.type}|${e.thread}\n`);
  return { entries: trace.length, sha256: h.digest('hex') };
}
