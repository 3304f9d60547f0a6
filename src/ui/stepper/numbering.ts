// One numbering on the whole page: "Step k" is trace entry k, counted from 1 (the trace's `seq`
// is 0-based, as in links' `&step=` and exports; the page adds one wherever it shows a number).
import { formatBody } from '../../engine/format.ts';
import type { TraceEntry } from '../../engine/trace.ts';

/** The step number the page shows for trace entry `seq`. */
export const stepNumber = (seq: number): number => seq + 1;

/** `#k sN [thread] body`: an entry as the Trace panel and the Explanation show it (`body`: its formatBody, when the caller has it already). */
export function entryLine(e: TraceEntry, body: string = formatBody(e)): string {
  return `#${stepNumber(e.seq)} s${e.step} [${e.thread}] ${body}`;
}
