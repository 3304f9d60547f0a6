// The outcome of one run, as the explorer compares runs (docs/explore.md): two schedules have the
// same outcome when they end with the same halt, the same hazards (rule, severity, bug-check code)
// and the same observations by every driver and app — the callbacks it received, with their
// arguments, and what each of its API calls returned.
import type { NormalizedScenario } from '../../scenario/types.ts';
import type { HaltReason, TraceEntry } from '../trace.ts';

export interface Outcome {
  halt: HaltReason;
  /** `rule:severity`, with `:code` for a bug check (`UN-5:bugcheck:0x50`), in trace order. */
  hazards: string[];
  /** Per component (drivers, then apps, in the scenario's order): what it observed, in order. */
  observations: Record<string, string[]>;
}

/** `UN-5:bugcheck:0x50`: a hazard as the explorer names it. */
export function hazardKey(e: Extract<TraceEntry, { type: 'hazard' }>): string {
  const code = e.bugcheck?.split(' ')[0];
  return code ? `${e.rule}:${e.severity}:${code}` : `${e.rule}:${e.severity}`;
}

/** What an entry shows its component, worked out once per entry (forked runs share their entries up to the fork). */
const OBSERVED = new WeakMap<TraceEntry, string>();

function observation(e: Extract<TraceEntry, { type: 'invoke' | 'return' }>): string {
  let text = OBSERVED.get(e);
  if (text === undefined) {
    text = e.type === 'invoke'
      ? `${e.routine}(${JSON.stringify(e.args)})`
      : `${e.api} -> ${JSON.stringify(e.result)}${e.out ? ` ${JSON.stringify(e.out)}` : ''}`;
    OBSERVED.set(e, text);
  }
  return text;
}

/** The outcome of a finished run (its trace ends with the halt). */
export function outcomeOf(scenario: NormalizedScenario, trace: readonly TraceEntry[]): Outcome {
  const observations = new Map<string, string[]>();
  for (const id of [...Object.keys(scenario.drivers), ...Object.keys(scenario.apps)]) observations.set(id, []);
  const hazards: string[] = [];
  let halt: HaltReason = 'quiescent';
  for (const e of trace) {
    switch (e.type) {
      case 'invoke':
      case 'return':
        observations.get(e.component)?.push(observation(e));
        break;
      case 'hazard':
        hazards.push(hazardKey(e));
        break;
      case 'halt':
        halt = e.reason;
        break;
    }
  }
  const out = Object.create(null) as Record<string, string[]>;
  for (const [id, list] of observations) out[id] = list;
  return { halt, hazards, observations: out };
}

/** A string equal for equal outcomes. */
export const outcomeKey = (o: Outcome): string => JSON.stringify([o.halt, o.hazards, Object.entries(o.observations)]);

/**
 * Outcome keys of one exploration, cheaply: each observation is numbered once (per entry: forked
 * runs share their entries up to the fork), and a run's key is its halt, hazards and each
 * component's observation numbers. Equal for equal outcomes within one Outcomes; not comparable
 * across explorations (outcomeKey is, for merging).
 */
export class OutcomeKeys {
  private readonly numbers = new Map<string, number>();
  private readonly ofEntry = new WeakMap<TraceEntry, number>();
  private readonly components: Map<string, number>;

  constructor(scenario: NormalizedScenario) {
    this.components = new Map([...Object.keys(scenario.drivers), ...Object.keys(scenario.apps)].map((id, i) => [id, i]));
  }

  key(trace: readonly TraceEntry[]): string {
    const seen: number[][] = Array.from({ length: this.components.size }, () => []);
    let hazards = '';
    let halt = 'quiescent';
    for (const e of trace) {
      switch (e.type) {
        case 'invoke':
        case 'return': {
          const c = this.components.get(e.component);
          if (c !== undefined) seen[c].push(this.number(e));
          break;
        }
        case 'hazard':
          hazards += `${hazardKey(e)},`;
          break;
        case 'halt':
          halt = e.reason;
          break;
      }
    }
    return `${halt}|${hazards}|${seen.join('|')}`;
  }

  private number(e: Extract<TraceEntry, { type: 'invoke' | 'return' }>): number {
    let n = this.ofEntry.get(e);
    if (n === undefined) {
      const text = observation(e);
      n = this.numbers.get(text);
      if (n === undefined) this.numbers.set(text, (n = this.numbers.size));
      this.ofEntry.set(e, n);
    }
    return n;
  }
}
