// What one worker knows of the states explored completely (docs/explore.md "Pruning seen states",
// "Workers"): the summary of the schedules below each — by suffix (outcome.ts), how many, the first
// and the shortest — so that a path reaching a state seen before counts them instead of exploring
// them again (explore.ts).
//
// Workers that share one exploration (worker threads on the command line: parallel.ts
// `exploreStealing`) also share these summaries: a worker that finishes a state sends it to the
// others (`StatesLink`), under the state's identity in every worker (StateKeys.canonical) and with
// its suffixes in its own numbering, defined along with it (Suffixes.definitions); a worker that
// reaches a state it has not explored looks for it among those received and, found, takes it over
// in its own numbering (Suffixes.adopt). A summary is a function of the state alone (the schedules
// below it, their outcomes' suffixes, counts, paths and overrides below it), so a state taken over
// counts exactly what exploring it here would have counted: the result does not depend on which
// worker explored what, or on when a summary arrived.
import type { NormalizedScenario } from '../../scenario/types.ts';
import { ForeignSuffixes, Suffixes, suffixMark, type SuffixDefinitions } from './outcome.ts';
import { StateKeys, StateTable, type StateKey } from './state.ts';

/** One choice of a path: the thread run there, its ordinal among the candidates, where it is. */
export interface Fixed {
  run: string;
  ordinal: number;
  step: number;
  choice: number;
  at: number;
  insteadOf: string;
}

/** The schedules below a state that reach one suffix (outcome.ts, Suffixes): how many, and the first and shortest of them. */
export interface Stat {
  runs: number;
  /** Overrides of the shortest (`best`), and its choices that override. */
  cost: number;
  fixed: Fixed[];
  /** Paths (ordinals) below the state: the shortest schedule (first in tree order among those), and the first schedule. */
  best: number[];
  first: number[];
}

/** The schedules explored below a state, by suffix. */
export type Summary = Map<number, Stat>;

/** A state explored completely: what is below it (re-based onto any path into it, never explored again). */
export interface Seen {
  below: Summary;
  runs: number;
  /** The preemption bound left out schedules below it. */
  bounded: boolean;
}

/**
 * States one worker explored completely, for the others. `data`, per state (from `offsets`): runs,
 * bounded (1 or 0), how many suffixes below it, then per suffix: its number (in `suffixes`' numbering),
 * runs, cost, how many overrides, each as run, ordinal, step, choice, at, insteadOf (the thread
 * names as indexes into `names`), then the paths `best` and `first`, each after its length.
 */
export interface StateBatch {
  /** The worker that sends them (whose numbering `suffixes` defines). */
  from: number;
  suffixes: SuffixDefinitions;
  /** Per state: its identity in every worker (StateKeys.canonical). */
  ids: string[];
  offsets: Int32Array;
  names: string[];
  data: Float64Array;
}

/**
 * How a worker's table reaches the others': `send` a batch to every other worker (each gets every
 * batch of a worker, in the order sent); `receive` what the others sent since the last call (cheap
 * when nothing came: it is asked between every two schedules); `now` in ms.
 */
export interface StatesLink {
  send(batch: StateBatch): void;
  receive(): StateBatch[];
  now(): number;
}

/** What a table shared (PNP_EXPLORE_STATS): states sent, received, and taken over instead of explored here. */
export interface TableStats {
  sent: number;
  received: number;
  reused: number;
}

/** A summary received, not yet taken over (most never are: only those this worker reaches). */
interface Received {
  from: ForeignSuffixes;
  batch: StateBatch;
  index: number;
}

/**
 * The states explored completely, for one exploration (one scenario, one set of options: the
 * preemption bound and the limits of a run decide what is below a state) on one worker, across the
 * tasks it explores. Without a link it is private to one search.
 */
export class ExploredStates {
  readonly scenario: NormalizedScenario;
  readonly keys: StateKeys;
  readonly suffixes: Suffixes;
  readonly stats: TableStats = { sent: 0, received: 0, reused: 0 };
  private readonly memo = new StateTable<Seen>();
  /** Sharing: the identity of each state looked for and not found (to send it once explored). */
  private readonly ids = new Map<StateKey, string>();
  private readonly received = new Map<string, Received>();
  private readonly foreign = new Map<number, ForeignSuffixes>();
  private readonly mark = suffixMark();
  private outbox: { id: string; seen: Seen }[] = [];
  private sentAt = -Infinity;

  /**
   * `link`: share with other workers, as worker `self`, sending at most every `sendEveryMs` (what a
   * batch costs to send against how soon the others get it).
   */
  constructor(scenario: NormalizedScenario, private readonly link: StatesLink | null = null, private readonly self = 0, private readonly sendEveryMs = 2) {
    this.scenario = scenario.schedule.length > 0 ? { ...scenario, schedule: [] } : scenario;
    this.keys = new StateKeys(this.scenario);
    this.suffixes = new Suffixes(this.scenario);
  }

  /** The state with key `key`, if it was explored completely here or by another worker. */
  find(key: StateKey): Seen | undefined {
    const seen = this.memo.get(key);
    if (seen || !this.link) return seen;
    const id = this.keys.canonical(key);
    const r = this.received.get(id);
    if (!r) {
      this.ids.set(key, id);
      return undefined;
    }
    const adopted = this.adopt(r);
    this.memo.set(key, adopted);
    this.stats.reused++;
    return adopted;
  }

  /**
   * The state with key `key` was explored completely: remember it, and send it to the other
   * workers. (Sending only the states that cost more choice points to explore than some threshold
   * was measured: it saves sending, but the others then explore more states again — every state
   * sent was cheapest in CPU on the heavy exploration of the benchmark.)
   */
  remember(key: StateKey, seen: Seen): void {
    this.memo.set(key, seen);
    if (!this.link) return;
    const id = this.ids.get(key) ?? this.keys.canonical(key);
    this.ids.delete(key);
    this.outbox.push({ id, seen });
  }

  /** Between two schedules: take in what the other workers sent; send what is waiting, if it has waited long enough. */
  poll(): void {
    if (!this.link) return;
    for (const batch of this.link.receive()) this.accept(batch);
    if (this.outbox.length > 0 && this.link.now() - this.sentAt >= this.sendEveryMs) this.send();
  }

  /** A task ends: send what is waiting; forget the identities of the states it did not explore whole. */
  taskDone(): void {
    this.ids.clear();
    this.send();
  }

  /** Send what is waiting now. */
  private send(): void {
    if (!this.link || this.outbox.length === 0) return;
    const names: string[] = [];
    const nameOf = new Map<string, number>();
    const name = (n: string) => {
      let i = nameOf.get(n);
      if (i === undefined) nameOf.set(n, (i = names.push(n) - 1));
      return i;
    };
    const data: number[] = [];
    const ids: string[] = [];
    const offsets = new Int32Array(this.outbox.length);
    this.outbox.forEach(({ id, seen }, i) => {
      ids.push(id);
      offsets[i] = data.length;
      data.push(seen.runs, seen.bounded ? 1 : 0, seen.below.size);
      for (const [suffix, st] of seen.below) {
        data.push(suffix, st.runs, st.cost, st.fixed.length);
        for (const f of st.fixed) data.push(name(f.run), f.ordinal, f.step, f.choice, f.at, name(f.insteadOf));
        data.push(st.best.length, ...st.best, st.first.length, ...st.first);
      }
    });
    // After the states: their suffixes are numbered by now.
    const suffixes = this.suffixes.definitions(this.mark);
    this.link.send({ from: this.self, suffixes, ids, offsets, names, data: Float64Array.from(data) });
    this.stats.sent += ids.length;
    this.outbox = [];
    this.sentAt = this.link.now();
  }

  private accept(batch: StateBatch): void {
    let from = this.foreign.get(batch.from);
    if (!from) this.foreign.set(batch.from, (from = new ForeignSuffixes()));
    from.add(batch.suffixes);
    batch.ids.forEach((id, index) => this.received.set(id, { from: from!, batch, index }));
    this.stats.received += batch.ids.length;
  }

  /** A summary received, in this worker's numbering. */
  private adopt({ from, batch, index }: Received): Seen {
    const d = batch.data;
    let o = batch.offsets[index];
    const runs = d[o++];
    const bounded = d[o++] === 1;
    const below: Summary = new Map();
    for (let n = d[o++]; n > 0; n--) {
      const suffix = this.suffixes.adopt(from, d[o++]);
      const st: Stat = { runs: d[o++], cost: d[o++], fixed: [], best: [], first: [] };
      for (let k = d[o++]; k > 0; k--, o += 6) {
        st.fixed.push({ run: batch.names[d[o]], ordinal: d[o + 1], step: d[o + 2], choice: d[o + 3], at: d[o + 4], insteadOf: batch.names[d[o + 5]] });
      }
      for (let k = d[o++]; k > 0; k--) st.best.push(d[o++]);
      for (let k = d[o++]; k > 0; k--) st.first.push(d[o++]);
      below.set(suffix, st);
    }
    return { below, runs, bounded };
  }
}
