// What one worker knows of the states explored completely (docs/explore.md "Pruning seen states",
// "Workers"): the summary of the schedules below each — by suffix (outcome.ts), how many, the first
// and the shortest — so that a path reaching a state seen before counts them instead of exploring
// them again (explore.ts).
//
// Workers that share one exploration (worker threads on the command line: parallel.ts
// `exploreStealing`) also share these summaries: a worker that finishes a state sends it to the
// others (`StatesLink`) with its key and digest — the key in its own numbering, defined along with it
// (StateKeys.definitions), as are its suffixes (Suffixes.definitions); a worker that reaches a state
// it has not explored looks among those received for one with the same digest whose key is its own
// key code for code (StateKeys.matches: exact, never a hash taken for the state) and, found, takes it
// over in its own numbering (Suffixes.adopt). A summary is a function of the state alone (the
// schedules below it, their outcomes' suffixes, counts, paths and overrides below it), so a state
// taken over counts exactly what exploring it here would have counted: the result does not depend
// on which worker explored what, or on when a summary arrived.
import type { NormalizedScenario } from '../../scenario/types.ts';
import { ForeignSuffixes, Suffixes, suffixMark, type SuffixDefinitions } from './outcome.ts';
import { ForeignKeys, keyMark, StateKeys, StateTable, type KeyDefinitions, type StateKey } from './state.ts';

/** One choice of a path: the thread run there, its ordinal among the candidates, where it is. */
export interface Fixed {
  run: string;
  ordinal: number;
  step: number;
  choice: number;
  at: number;
  insteadOf: string;
}

/**
 * A list whose tails are shared: a path below a state grows at its front, one cell per level, as
 * the schedules below a choice point are put after it (explore.ts `absorb`), instead of a copy of
 * the whole path per level. null is the empty list.
 */
export interface List<T> {
  readonly head: T;
  readonly tail: List<T> | null;
}

/** The items of `l`, in order. */
export function listItems<T>(l: List<T> | null): T[] {
  const out: T[] = [];
  for (; l !== null; l = l.tail) out.push(l.head);
  return out;
}

/** A list of `items`, in order. */
export function listOf<T>(items: readonly T[]): List<T> | null {
  let l: List<T> | null = null;
  for (let i = items.length - 1; i >= 0; i--) l = { head: items[i], tail: l };
  return l;
}

/** How many items `l` has. */
export function listLength(l: List<unknown> | null): number {
  let n = 0;
  for (; l !== null; l = l.tail) n++;
  return n;
}

/** Append `l` to `data` as its length, then its items. */
function pushList(data: number[], l: List<number> | null): void {
  data.push(listLength(l));
  for (; l !== null; l = l.tail) data.push(l.head);
}

/** `data` as 32-bit integers if each fits, else as doubles (StateBatch `data`). */
export function asIntegers(data: number[]): Int32Array | Float64Array {
  for (const x of data) if ((x | 0) !== x) return Float64Array.from(data);
  return Int32Array.from(data);
}

/** Two paths in tree order: item by item, a path before the paths it is the start of. */
export function comparePaths(a: List<number> | null, b: List<number> | null): number {
  for (;;) {
    if (a === b) return 0;
    if (a === null) return -1;
    if (b === null) return 1;
    if (a.head !== b.head) return a.head - b.head;
    a = a.tail;
    b = b.tail;
  }
}

/** The schedules below a state that reach one suffix (outcome.ts, Suffixes): how many, and the first and shortest of them. */
export interface Stat {
  suffix: number;
  runs: number;
  /** Overrides of the shortest (`best`), and its choices that override. */
  cost: number;
  fixed: List<Fixed> | null;
  /** Paths (ordinals) below the state: the shortest schedule (first in tree order among those), and the first schedule. */
  best: List<number> | null;
  first: List<number> | null;
}

/**
 * The schedules explored below a state, one Stat per suffix, in the order the suffixes were first
 * reached (a few per state: an array searched in order costs less than a Map, and makes no table).
 * A summary remembered (Seen) is never changed again.
 */
export type Summary = Stat[];

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
  /** The worker that sends them (whose numbering `keys` and `suffixes` define). */
  from: number;
  keys: KeyDefinitions;
  suffixes: SuffixDefinitions;
  /** Per state: its digest (StateKey `high`, `low`), the same in every worker. */
  digests: Int32Array;
  /** Per state: its key, in the sender's numbering: `codes` from the previous state's end (0 for the first) to its `ends`. */
  codes: Uint16Array;
  ends: Int32Array;
  offsets: Int32Array;
  names: string[];
  /**
   * 32-bit integers when every number fits (always, but in explorations of billions of schedules):
   * a number read from a Float64Array is a boxed double even when it is whole, and a double stored
   * where the explorer's own records (Stat, Seen, the search's nodes, path cells) hold small integers
   * changes those records' shape — V8 then throws away all the optimised code that reads them.
   */
  data: Int32Array | Float64Array;
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
  /**
   * Room for `length` codes of a batch's keys (StateBatch `codes`), in memory every worker reads in
   * place (shared memory on the command line: src/cli/pnp-playground.ts), so that the keys — most of
   * a batch's bytes, ≈ 2 KB a state — are written once, not copied again to send and to receive
   * them. Absent: a plain array, copied by the message (docs/explore.md "Two workers: the split's
   * own cost").
   */
  codes?(length: number): Uint16Array;
}

/** What a table shared (PNP_EXPLORE_STATS): states sent, received, and taken over instead of explored here. */
export interface TableStats {
  sent: number;
  received: number;
  reused: number;
}

/** A summary received, not yet taken over (most never are: only those this worker reaches); the next one with the same digest's `high`. */
interface Received {
  from: Foreign;
  batch: StateBatch;
  index: number;
  next: Received | undefined;
}

/** Another worker's numberings, as its definitions arrive. */
interface Foreign {
  keys: ForeignKeys;
  suffixes: ForeignSuffixes;
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
  /** Sharing: what the other workers sent, by the `high` half of each state's digest. */
  private readonly received = new Map<number, Received>();
  private readonly foreign = new Map<number, Foreign>();
  private readonly mark = suffixMark();
  private readonly keyMark = keyMark();
  private outbox: { key: StateKey; seen: Seen }[] = [];
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
    for (let r = this.received.get(key.high); r; r = r.next) {
      const { batch, index } = r;
      if (batch.digests[2 * index + 1] !== key.low || !this.keys.matches(key, r.from.keys, batch.codes, index > 0 ? batch.ends[index - 1] : 0, batch.ends[index])) continue;
      const adopted = this.adopt(r);
      this.memo.set(key, adopted);
      this.stats.reused++;
      return adopted;
    }
    return undefined;
  }

  /**
   * The state with key `key` was explored completely: remember it, and send it to the other
   * workers. (Sending only the states that cost more choice points to explore than some threshold
   * was measured: it saves sending, but the others then explore more states again — every state
   * sent was cheapest in CPU on the heavy exploration of the benchmark.)
   */
  remember(key: StateKey, seen: Seen): void {
    this.memo.set(key, seen);
    if (this.link) this.outbox.push({ key, seen });
  }

  /** Between two schedules: take in what the other workers sent; send what is waiting, if it has waited long enough. */
  poll(): void {
    if (!this.link) return;
    for (const batch of this.link.receive()) this.accept(batch);
    if (this.outbox.length > 0 && this.link.now() - this.sentAt >= this.sendEveryMs) this.send();
  }

  /** A task ends: send what is waiting. */
  taskDone(): void {
    this.send();
  }

  /** Send what is waiting now. */
  private send(): void {
    if (!this.link || this.outbox.length === 0) return;
    const states = this.outbox;
    const names: string[] = [];
    const nameOf = new Map<string, number>();
    const name = (n: string) => {
      let i = nameOf.get(n);
      if (i === undefined) nameOf.set(n, (i = names.push(n) - 1));
      return i;
    };
    const digests = new Int32Array(2 * states.length);
    const ends = new Int32Array(states.length);
    let length = 0;
    for (const { key } of states) length += key.codes.length;
    const codes = this.link.codes?.(length) ?? new Uint16Array(length);
    const data: number[] = [];
    const offsets = new Int32Array(states.length);
    length = 0;
    for (let i = 0; i < states.length; i++) {
      const { key, seen } = states[i];
      digests[2 * i] = key.high;
      digests[2 * i + 1] = key.low;
      codes.set(key.codes, length);
      ends[i] = length += key.codes.length;
      offsets[i] = data.length;
      data.push(seen.runs, seen.bounded ? 1 : 0, seen.below.length);
      for (const st of seen.below) {
        data.push(st.suffix, st.runs, st.cost, listLength(st.fixed));
        for (let f = st.fixed; f !== null; f = f.tail) data.push(name(f.head.run), f.head.ordinal, f.head.step, f.head.choice, f.head.at, name(f.head.insteadOf));
        pushList(data, st.best);
        pushList(data, st.first);
      }
    }
    // After the states: their strings and suffixes are numbered by now.
    const keys = this.keys.definitions(this.keyMark);
    const suffixes = this.suffixes.definitions(this.mark);
    this.link.send({ from: this.self, keys, suffixes, digests, codes, ends, offsets, names, data: asIntegers(data) });
    this.stats.sent += states.length;
    this.outbox = [];
    this.sentAt = this.link.now();
  }

  private accept(batch: StateBatch): void {
    let from = this.foreign.get(batch.from);
    if (!from) this.foreign.set(batch.from, (from = { keys: new ForeignKeys(), suffixes: new ForeignSuffixes() }));
    from.keys.add(batch.keys);
    from.suffixes.add(batch.suffixes);
    const n = batch.ends.length;
    for (let index = 0; index < n; index++) {
      const high = batch.digests[2 * index];
      this.received.set(high, { from, batch, index, next: this.received.get(high) });
    }
    this.stats.received += n;
  }

  /** A summary received, in this worker's numbering. */
  private adopt({ from, batch, index }: Received): Seen {
    const d = batch.data;
    let o = batch.offsets[index];
    const runs = d[o++];
    const bounded = d[o++] === 1;
    const below: Summary = [];
    for (let n = d[o++]; n > 0; n--) {
      const suffix = this.suffixes.adopt(from.suffixes, d[o++]);
      const runs = d[o++];
      const cost = d[o++];
      const fixed: Fixed[] = [];
      for (let k = d[o++]; k > 0; k--, o += 6) {
        fixed.push({ run: batch.names[d[o]], ordinal: d[o + 1], step: d[o + 2], choice: d[o + 3], at: d[o + 4], insteadOf: batch.names[d[o + 5]] });
      }
      const best: number[] = [];
      for (let k = d[o++]; k > 0; k--) best.push(d[o++]);
      const first: number[] = [];
      for (let k = d[o++]; k > 0; k--) first.push(d[o++]);
      below.push({ suffix, runs, cost, fixed: listOf(fixed), best: listOf(best), first: listOf(first) });
    }
    return { below, runs, bounded };
  }
}
