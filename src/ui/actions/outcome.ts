// What a gesture's action caused, counted from its trace entries (the entries of its timeline
// step): callbacks per component, interface arrivals and removals, and the hazards the engine
// reported. Each count also says how many of them the cursor has passed ("follows the cursor").
import type { TraceEntry } from '../../engine/trace.ts';
import { isCallbackStart } from '../stepper/model.ts';
import { entityKind } from '../../engine/ids/entities.ts';
import { firstSeqOfStep, traceIndex } from '../../trace/indexes.ts';

export interface Tally {
  /** What was counted: "callback to sampledrv", "interface arrival". */
  what: string;
  /** Seqs where it happened, ascending. */
  seqs: number[];
}

export interface Outcome {
  started: boolean;
  /** Callbacks by component, then interface arrivals and removals. */
  tallies: Tally[];
  /** Hazard entries of the action, in order. */
  hazards: Extract<TraceEntry, { type: 'hazard' }>[];
}

export function outcomeOf(trace: readonly TraceEntry[], actionIndex: number): Outcome {
  const step = actionIndex + 1;
  const callbacks = new Map<string, number[]>();
  const arrivals: number[] = [];
  const removals: number[] = [];
  const hazards: Outcome['hazards'] = [];
  let started = false;
  // Only the action's own entries are read: its step's range, from the index's step column.
  const ix = traceIndex(trace);
  for (let seq = firstSeqOfStep(ix, step); seq < ix.length && ix.steps[seq] === step; seq++) {
    const e = trace[seq];
    if (e.type === 'action' && e.index === actionIndex) started = true;
    else if (isCallbackStart(e) && e.type === 'invoke') {
      const list = callbacks.get(e.component) ?? [];
      list.push(e.seq);
      callbacks.set(e.component, list);
    } else if (e.type === 'state' && entityKind(e.entity) === 'interface') {
      if (e.to === 'enabled') arrivals.push(e.seq);
      else if (e.from === 'enabled') removals.push(e.seq);
    } else if (e.type === 'hazard') hazards.push(e);
  }
  const tallies: Tally[] = [...callbacks].map(([component, seqs]) => ({ what: `callback to ${component}`, seqs }));
  if (arrivals.length > 0) tallies.push({ what: 'interface arrival', seqs: arrivals });
  if (removals.length > 0) tallies.push({ what: 'interface removal', seqs: removals });
  return { started, tallies, hazards };
}

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** "2 callbacks to sampledrv", "1 interface arrival". */
export function tallyText(t: Tally): string {
  const n = t.seqs.length;
  const to = t.what.indexOf(' to ');
  if (to >= 0) return `${n} ${t.what.slice(0, to)}${n === 1 ? '' : 's'}${t.what.slice(to)}`;
  return plural(n, t.what);
}

/** How many of `seqs` are at or before the cursor. */
export function seenSoFar(seqs: readonly number[], cursor: number): number {
  let n = 0;
  for (const s of seqs) if (s <= cursor) n++;
  return n;
}
