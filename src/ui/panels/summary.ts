// The run summary: what broke (every entry the engine stamped `verdict: 'breaks'`, with its
// rule, severity and step) and what was obeyed (entries stamped `'obeys'`, per rule). Read from the
// trace's stamps only: the engine decides verdicts, the page counts them.
import type { TraceEntry } from '../../engine/trace.ts';
import { traceIndex, type Broken, type Obeyed, type RunSummary } from '../../trace/indexes.ts';

export type { Broken, Obeyed, RunSummary };

/** The run summary of a trace (built with its index, in the worker for the page's traces). */
export function runSummary(trace: readonly TraceEntry[]): RunSummary {
  return traceIndex(trace).summary;
}

/** "1 rule broken (UN-1 warning)", "no rule broken". */
export function brokenHeadline(s: RunSummary): string {
  if (s.broken.length === 0) return 'No rule broken';
  const worst = (['bugcheck', 'deadlock', 'error', 'warning', 'info'] as const).find((sev) => s.broken.some((b) => b.severity === sev));
  return `${s.broken.length} ${s.broken.length === 1 ? 'rule broken' : 'rule breaks'}${worst ? `, the worst a ${worst === 'bugcheck' ? 'bug check' : worst}` : ''}`;
}
