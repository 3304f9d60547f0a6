// Every hazard in a trace must be the catalogue's: its case exists, and severity and bug check are
// exactly that case's (Engine.raise is the only way in). Used by the tests on every run they make.
import { rule } from './catalog.ts';
import type { TraceEntry } from '../trace.ts';

/** Problems with the hazards of a trace, as readable lines; empty when every hazard matches. */
export function hazardMismatches(trace: readonly TraceEntry[]): string[] {
  const out: string[] = [];
  for (const e of trace) {
    if (e.type !== 'hazard') continue;
    const at = `#${e.seq} ${e.rule}`;
    const cases = rule(e.rule).cases as Record<string, { severity: string; bugcheck?: string }>;
    const c = e.case !== undefined && Object.hasOwn(cases, e.case) ? cases[e.case] : undefined;
    if (!c) {
      out.push(`${at}: case ${JSON.stringify(e.case)} is not in the catalogue (cases: ${Object.keys(cases).join(', ') || 'none'})`);
      continue;
    }
    if (e.severity !== c.severity) out.push(`${at} ${e.case}: severity ${e.severity}, catalogue ${c.severity}`);
    if (e.bugcheck !== c.bugcheck) out.push(`${at} ${e.case}: bug check ${String(e.bugcheck)}, catalogue ${String(c.bugcheck)}`);
    if (e.verdict !== 'breaks') out.push(`${at}: a hazard's verdict is 'breaks', not ${String(e.verdict)}`);
  }
  return out;
}
