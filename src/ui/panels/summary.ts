// The run summary: what broke (every entry the engine stamped `verdict: 'breaks'`, with its
// rule, severity and step) and what was obeyed (entries stamped `'obeys'`, per rule). Read from the
// trace's stamps only: the engine decides verdicts, the page counts them.
import type { RuleId, Severity } from '../../engine/rules/ids.ts';
import type { HaltReason, TraceEntry } from '../../engine/trace.ts';

export interface Broken {
  seq: number;
  rule: RuleId;
  severity: Severity;
  message: string;
  bugcheck?: string;
}

export interface Obeyed {
  rule: RuleId;
  count: number;
  /** Seq of the first entry that obeyed it. */
  first: number;
}

export interface RunSummary {
  broken: Broken[];
  obeyed: Obeyed[];
  halt: HaltReason | null;
}

const cache = new WeakMap<readonly TraceEntry[], RunSummary>();

export function runSummary(trace: readonly TraceEntry[]): RunSummary {
  const hit = cache.get(trace);
  if (hit) return hit;
  const broken: Broken[] = [];
  const obeyed = new Map<RuleId, Obeyed>();
  let halt: HaltReason | null = null;
  for (const e of trace) {
    if (e.type === 'halt') halt = e.reason;
    if (!e.rule || !e.verdict) continue;
    if (e.verdict === 'breaks') {
      broken.push({
        seq: e.seq,
        rule: e.rule,
        severity: e.type === 'hazard' ? e.severity : 'error',
        message: e.type === 'hazard' ? e.message : '',
        ...(e.type === 'hazard' && e.bugcheck ? { bugcheck: e.bugcheck } : {}),
      });
    } else {
      const o = obeyed.get(e.rule);
      if (o) o.count++;
      else obeyed.set(e.rule, { rule: e.rule, count: 1, first: e.seq });
    }
  }
  const summary = { broken, obeyed: [...obeyed.values()], halt };
  cache.set(trace, summary);
  return summary;
}

/** "1 rule broken (UN-1 warning)", "no rule broken". */
export function brokenHeadline(s: RunSummary): string {
  if (s.broken.length === 0) return 'No rule broken';
  const worst = (['bugcheck', 'deadlock', 'error', 'warning', 'info'] as const).find((sev) => s.broken.some((b) => b.severity === sev));
  return `${s.broken.length} ${s.broken.length === 1 ? 'rule broken' : 'rule breaks'}${worst ? `, the worst a ${worst === 'bugcheck' ? 'bug check' : worst}` : ''}`;
}
