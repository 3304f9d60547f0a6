// The outcome of one run, as the explorer compares runs (docs/explore.md): two schedules have the
// same outcome when they end with the same halt, the same hazards (rule, severity, bug-check code)
// and the same observations by every driver and app — the callbacks it received, with their
// arguments, and what each of its API calls returned.
import { Numbering } from './numbering.ts';
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

/**
 * What an entry shows its component. Not cached per entry: the explorer reads each entry once (a
 * transition's entries when it ends; a fork shares only the entries before its choice point, read
 * already), so a table of them (a WeakMap, dear for the garbage collector) was never hit.
 */
function observation(e: Extract<TraceEntry, { type: 'invoke' | 'return' }>): string {
  return e.type === 'invoke'
    ? `${e.routine}(${JSON.stringify(e.args)})`
    : `${e.api} -> ${JSON.stringify(e.result)}${e.out ? ` ${JSON.stringify(e.out)}` : ''}`;
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
 * Outcomes in pieces (docs/explore.md "Pruning seen states"). An outcome is made of the transitions
 * of its run: each component's observations are the concatenation of what it observed in each, the
 * hazards too, and the halt is the last transition's. So the outcomes reachable below a state are
 * kept as *suffixes* (what the transitions after the state add), and a path's outcome is its own
 * transitions' pieces put in front of a suffix (`prepend`).
 *
 * A suffix is a number: equal numbers for equal suffixes (hash-consed lists, and the suffix as a
 * chain of pairs: `Pairs`, no string made to find one), so summaries below a state merge suffixes
 * by number. Numbers are local to one exploration; `outcome` gives the content.
 */
export class Suffixes {
  /** The empty suffix: nothing observed, no hazard, no halt yet (what a run's end adds after its halt). */
  static readonly EMPTY = 0;
  private readonly texts = new Numbering<string>();
  /** Cons cells (a text number in front of a list): list 0 is empty. */
  private readonly cells = new Pairs();
  /** Suffixes: halt ('' none yet), hazard list, one list per component. */
  private readonly suffixes: Suffix[] = [];
  /** A suffix as pairs: (halt's text, hazards), then (that pair, each component's list) in turn; the last pair's value is the suffix's number. */
  private readonly tuples = new Pairs();
  /** The lists of the suffix being numbered. */
  private readonly lists: Int32Array;
  private readonly components: Map<string, number>;

  constructor(scenario: NormalizedScenario) {
    this.components = new Map([...Object.keys(scenario.drivers), ...Object.keys(scenario.apps)].map((id, i) => [id, i]));
    this.lists = new Int32Array(this.components.size);
    this.cells.reserve(-1, -1);
    this.number(''); // Suffixes.EMPTY
  }

  /** What a transition's entries (`entries` from index `from` on) add: per component its observations, the hazards, the halt. */
  piece(entries: readonly TraceEntry[], from = 0): Piece {
    let seen: number[][] | null = null;
    let hazards: number[] | null = null;
    let halt = '';
    for (let i = from; i < entries.length; i++) {
      const e = entries[i];
      switch (e.type) {
        case 'invoke':
        case 'return': {
          const c = this.components.get(e.component);
          if (c === undefined) break;
          if (seen === null) {
            // A loop, not Array.from with a callback (its generic path cost ≈ 2 % of a forking exploration).
            seen = [];
            for (let k = 0; k < this.components.size; k++) seen.push([]);
          }
          seen[c].push(this.text(observation(e)));
          break;
        }
        case 'hazard':
          (hazards ??= []).push(this.text(hazardKey(e)));
          break;
        case 'halt':
          halt = e.reason;
          break;
      }
    }
    return seen === null && hazards === null && halt === '' ? NOTHING : { seen, hazards, halt };
  }

  /** The suffix made of `piece`, then `suffix`. */
  prepend(piece: Piece, suffix: number): number {
    if (piece === NOTHING) return suffix;
    const s = this.suffixes[suffix];
    const seen = piece.seen;
    for (let c = 0; c < this.lists.length; c++) this.lists[c] = seen ? this.cons(seen[c], s.lists[c]) : s.lists[c];
    return this.number(s.halt || piece.halt, piece.hazards ? this.cons(piece.hazards, s.hazards) : s.hazards);
  }

  /** The number of the suffix with this halt, these hazards and the lists in `this.lists` (a new one on first sight). */
  private number(halt: string, hazards = 0): number {
    let k = this.tuples.of(this.text(halt), hazards);
    for (let c = 0; c < this.lists.length; c++) k = this.tuples.of(k, this.lists[c]);
    let n = this.tuples.values[k];
    if (n < 0) {
      n = this.tuples.values[k] = this.suffixes.length;
      const lists: number[] = [];
      for (let c = 0; c < this.lists.length; c++) lists.push(this.lists[c]);
      this.suffixes.push({ halt, hazards, lists });
    }
    return n;
  }

  /** A whole run's suffix as an outcome. */
  outcome(scenario: NormalizedScenario, suffix: number): Outcome {
    const s = this.suffixes[suffix];
    const observations = Object.create(null) as Record<string, string[]>;
    const ids = [...Object.keys(scenario.drivers), ...Object.keys(scenario.apps)];
    ids.forEach((id, c) => (observations[id] = this.list(s.lists[c])));
    return { halt: (s.halt || 'quiescent') as HaltReason, hazards: this.list(s.hazards), observations };
  }

  /** The list of `items` in front of `list`. */
  private cons(items: readonly number[], list: number): number {
    for (let i = items.length - 1; i >= 0; i--) list = this.cell(items[i], list);
    return list;
  }

  /** The list of text `head` in front of `tail`. */
  private cell(head: number, tail: number): number {
    return this.cells.of(head, tail);
  }

  /**
   * What this numbering defined since `mark` (texts, list cells, suffixes), for another worker to
   * rebuild (ForeignSuffixes, `adopt`); moves the mark on.
   */
  definitions(mark: SuffixMark): SuffixDefinitions {
    const stride = 2 + this.components.size;
    const n = this.suffixes.length;
    const suffixes = new Int32Array((n - mark.suffixes) * stride);
    for (let i = mark.suffixes, o = 0; i < n; i++) {
      const s = this.suffixes[i];
      suffixes[o++] = this.text(s.halt);
      suffixes[o++] = s.hazards;
      for (const l of s.lists) suffixes[o++] = l;
    }
    const texts: string[] = [];
    for (let i = mark.texts; i < this.texts.size; i++) texts.push(this.texts.at(i));
    const { firsts: heads, seconds: tails } = this.cells;
    const cells = new Int32Array(2 * (heads.length - mark.cells));
    for (let c = mark.cells, o = 0; c < heads.length; c++) {
      cells[o++] = heads[c];
      cells[o++] = tails[c];
    }
    Object.assign(mark, { texts: this.texts.size, cells: heads.length, suffixes: n });
    return { texts, cells, suffixes };
  }

  /** Our number of another worker's suffix `n` (the same suffix: the same halt, hazards and observations). */
  adopt(from: ForeignSuffixes, n: number): number {
    let mine = from.ours.suffixes[n];
    if (mine !== undefined) return mine;
    const stride = 2 + this.components.size;
    const d = from.suffixes;
    const at = n * stride;
    const hazards = this.adoptList(from, d[at + 1]);
    for (let c = 0; c < this.components.size; c++) this.lists[c] = this.adoptList(from, d[at + 2 + c]);
    mine = this.number(from.texts[d[at]], hazards);
    from.ours.suffixes[n] = mine;
    return mine;
  }

  /** Our number of another worker's list `l`. */
  private adoptList(from: ForeignSuffixes, l: number): number {
    const { cells, ours } = from;
    const chain: number[] = [];
    while (l !== 0 && ours.cells[l] === undefined) {
      chain.push(l);
      l = cells[2 * l + 1];
    }
    let list = l === 0 ? 0 : ours.cells[l];
    for (let i = chain.length - 1; i >= 0; i--) {
      const c = chain[i];
      const t = cells[2 * c];
      list = this.cell((ours.texts[t] ??= this.text(from.texts[t])), list);
      ours.cells[c] = list;
    }
    return list;
  }

  private list(l: number): string[] {
    const out: string[] = [];
    for (; l !== 0; l = this.cells.seconds[l]) out.push(this.texts.at(this.cells.firsts[l]));
    return out;
  }

  private text(t: string): number {
    return this.texts.of(t);
  }
}

/** A suffix: its halt ('' none yet), its hazard list, one list per component. */
interface Suffix {
  halt: string;
  hazards: number;
  lists: number[];
}

/**
 * Pairs of numbers (≥ 0), each numbered once, in the order first met, and found again without making
 * a string or an object (an open-addressing table of their numbers): the cons cells and suffixes of
 * `Suffixes`. `values` holds a number per pair for its user (−1 until set).
 */
export class Pairs {
  readonly firsts: number[] = [];
  readonly seconds: number[] = [];
  readonly values: number[] = [];
  private slots = new Int32Array(256).fill(-1);
  private count = 0;

  /** Number the pair (a, b) without entering it in the table (never found by `of`): the empty list. */
  reserve(a: number, b: number): number {
    this.values.push(-1);
    this.seconds.push(b);
    return this.firsts.push(a) - 1;
  }

  /** The number of the pair (a, b); a new one on first sight. */
  of(a: number, b: number): number {
    const mask = this.slots.length - 1;
    for (let h = hashPair(a, b) & mask; ; h = (h + 1) & mask) {
      const n = this.slots[h];
      if (n < 0) {
        const m = this.reserve(a, b);
        this.slots[h] = m;
        if (2 * ++this.count > this.slots.length) this.grow();
        return m;
      }
      if (this.firsts[n] === a && this.seconds[n] === b) return n;
    }
  }

  private grow(): void {
    const old = this.slots;
    const slots = (this.slots = new Int32Array(2 * old.length).fill(-1));
    const mask = slots.length - 1;
    for (let i = 0; i < old.length; i++) {
      const n = old[i];
      if (n < 0) continue;
      let h = hashPair(this.firsts[n], this.seconds[n]) & mask;
      while (slots[h] >= 0) h = (h + 1) & mask;
      slots[h] = n;
    }
  }
}

function hashPair(a: number, b: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ b;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  return h ^ (h >>> 13);
}

/** How much of a Suffixes' numbering another worker was sent (Suffixes.definitions): what it numbered before. */
export interface SuffixMark {
  texts: number;
  cells: number;
  suffixes: number;
}

/** A mark before anything: the empty list (cell 0) and the empty suffix are the same everywhere, but sent all the same. */
export const suffixMark = (): SuffixMark => ({ texts: 0, cells: 1, suffixes: 0 });

/** A Suffixes' numbers defined since a mark: texts; per cell its head (a text) and tail (a cell); per suffix its halt (a text), hazard list, then one list per component. */
export interface SuffixDefinitions {
  texts: string[];
  cells: Int32Array;
  suffixes: Int32Array;
}

/** Another worker's suffix numbering as its definitions arrive (in order), and which of its numbers have one of ours yet. */
export class ForeignSuffixes {
  readonly texts: string[] = [];
  /** Head and tail of each cell, cell 0 (the empty list) first. */
  cells: number[] = [-1, -1];
  suffixes: number[] = [];
  readonly ours = { texts: [] as number[], cells: [0] as number[], suffixes: [] as number[] };

  add(d: SuffixDefinitions): void {
    for (const t of d.texts) this.texts.push(t);
    for (const c of d.cells) this.cells.push(c);
    for (const x of d.suffixes) this.suffixes.push(x);
  }
}

/** What one transition adds to an outcome (Suffixes.piece). */
export interface Piece {
  seen: number[][] | null;
  hazards: number[] | null;
  halt: string;
}

/** A transition that adds nothing: no observation, no hazard, no halt. */
const NOTHING: Piece = Object.freeze({ seen: null, hazards: null, halt: '' });
