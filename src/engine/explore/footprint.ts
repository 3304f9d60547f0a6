// What a transition touches, for the explorer's partial-order reduction (docs/explore.md).
//
// A transition is what runs between two choice points: the chosen thread's step, and every step after
// it until the next choice point. Two transitions are independent when running them in either order
// gives the same world and the same observations, so the explorer need not try both orders (sleep
// sets). What engine code reads while it runs is not watched, so the footprint is deliberately
// coarse, and anything it cannot vouch for is `GLOBAL` (dependent on everything):
//
// - A step that runs one of the scenario's control ops `note`, `set`, `if`, `forEach` and emits
//   nothing but `note` entries touches only the variables of the component it runs in: a `note`
//   touches nothing, `if` / `forEach` read the variables, `set` writes them. Every other change of
//   the world goes with a trace entry (calls, returns, invokes, state changes, wake-ups, hazards,
//   halts), and the engine emits `complete` when a routine ends, so a step that emitted only notes
//   did nothing else.
// - An op that reads an argument ending in `Context` may read a freed buffer (UN-5, CM-10), and a
//   `set` of `*OperationStatus` writes the shared status of a processor add (KE-2): GLOBAL.
// - Anything else — an API call, engine code continuing, a job starting, a timeline action — GLOBAL.
import type { Op } from '../../scenario/types.ts';
import type { NormalizedScenario } from '../../scenario/types.ts';
import type { Thread } from '../engine.ts';
import type { TraceEntry } from '../trace.ts';

export type Footprint =
  | { global: true }
  | { global: false; component: string; reads: boolean; writes: boolean };

export const GLOBAL: Footprint = Object.freeze({ global: true });

/** May the two transitions be run in either order with the same result? */
export function independent(a: Footprint, b: Footprint): boolean {
  if (a.global || b.global) return false;
  if (a.component !== b.component) return true;
  return !(a.writes && (b.reads || b.writes)) && !(b.writes && a.reads);
}

/** The union of two footprints. */
function join(a: Footprint | null, b: Footprint): Footprint {
  if (a === null) return b;
  if (a.global || b.global) return GLOBAL;
  if (a.component !== b.component) return GLOBAL;
  return { global: false, component: a.component, reads: a.reads || b.reads, writes: a.writes || b.writes };
}

const CONTEXT_ARG = /"\$[^"]*Context"/;

/** The footprint of one control op of `component` (before running it), or GLOBAL. */
function opFootprint(op: Op | undefined, component: string): Footprint {
  if (!op || 'call' in op) return GLOBAL;
  if (CONTEXT_ARG.test(JSON.stringify(op))) return GLOBAL;
  switch (op.op) {
    case 'note':
      return { global: false, component, reads: false, writes: false };
    case 'if':
    case 'forEach':
      return { global: false, component, reads: true, writes: false };
    case 'set':
      return op.var === '*OperationStatus' ? GLOBAL : { global: false, component, reads: true, writes: true };
    default:
      return GLOBAL;
  }
}

/**
 * Builds the footprint of each transition of a run: told of every step (before it runs) and of
 * every choice point (where the transition ends), it checks what the trace says happened meanwhile.
 */
export class FootprintTracker {
  private current: Footprint | null = null;
  private from = 0;
  constructor(private readonly ops: OpFootprints) {}

  /** A transition starts at trace position `seq`. */
  start(seq: number): void {
    this.current = null;
    this.from = seq;
  }

  /** A step of `t` is about to run. */
  step(t: Thread): void {
    if (this.current?.global) return;
    const frame = t.frames.at(-1);
    const f = t.stack.length > 0 && t.pendingOp !== undefined && frame ? this.ops.of(t.pendingOp, frame.component) : GLOBAL;
    this.current = join(this.current, f);
  }

  /** The transition ends with the trace as it is now (`entries`: the run's entries from seq `offset` on). */
  end(entries: readonly TraceEntry[], offset: number): Footprint {
    const f = this.current ?? GLOBAL;
    if (f.global) return f;
    for (let i = this.from - offset; i < entries.length; i++) if (entries[i].type !== 'note') return GLOBAL;
    return f;
  }
}

/** The footprints of the scenario's ops, by JSON pointer (worked out once per exploration). */
export class OpFootprints {
  private readonly cache = new Map<string, Footprint>();

  constructor(private readonly scenario: NormalizedScenario) {}

  of(pointer: string, component: string): Footprint {
    const key = `${component}\u0000${pointer}`;
    let f = this.cache.get(key);
    if (f === undefined) {
      f = opFootprint(this.op(pointer), component);
      this.cache.set(key, f);
    }
    return f;
  }

  private op(pointer: string): Op | undefined {
    let node: unknown = this.scenario;
    for (const key of pointer.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'))) {
      node = node !== null && typeof node === 'object' && Object.hasOwn(node, key) ? (node as Record<string, unknown>)[key] : undefined;
    }
    return node !== null && typeof node === 'object' ? (node as Op) : undefined;
  }
}
