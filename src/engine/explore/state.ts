// The state of a run paused at a choice point (docs/explore.md "Pruning seen states"): two runs with
// equal keys go on exactly alike — the same choice points, the same entries (trace positions, `step`
// and `choice` numbers included) and the same ends — whatever came before. So the explorer explores
// the schedules below a state once, and counts them for every path into it.
//
// The key is a canonical encoding of everything Engine.fork copies: world, threads and their
// frames, queues, jobs, counters (the seq of the next entry, ops, wake-ups, threads created: the
// run's limits, DL-3, are reached alike), where the run is in the timeline, the armed `during`
// triggers, the paused choice point. Maps, sets and objects are encoded in their iteration order
// (which the engine follows), so equal keys mean equal data, not merely equivalent data. An object
// reached twice is written once and then referred to by its number (identity is data: a frame and
// the world share a registration). Functions (routines: module-level, never closures, frame.ts),
// the objects of the scenario (never changed by a run) and what is derived from them (caches such as
// op blocks: fork.ts `derived`) are written as their identity or name.
//
// Left out: what only records the past — the trace (the entries themselves; their count is in the
// key), the entries kept for forks, `lastEntry` (read only once the run has ended) — and what a run
// never changes and every run of the exploration shares (scenario, handlers, limits, the explorer).
// What the past means for an outcome (what each component observed so far) is not in the state:
// the explorer adds a path's observations to those below the state (outcome.ts, `Suffixes`).
//
// One walk over the state writes the key and, at the same time, a 64-bit digest of it (below), so
// a state costs one walk; states are looked up by digest and told apart by comparing keys
// (`StateTable`): exact, whatever the digests.
import type { NormalizedScenario } from '../../scenario/types.ts';
import type { Engine } from '../engine.ts';
import { derivedName } from '../fork.ts';
import { Numbering } from './numbering.ts';

/** Engine fields that are history or shared by every run of one exploration (see above). */
const LEFT_OUT = new Set(['trace', 'kept', 'lastEntry', 'scenario', 'handlers', 'limits', 'explorer', 'sink']);

// The key is a list of 16-bit codes: a tag (below 32), then (for most tags) a number — one code, or
// three (0xd000 and two halves). The most frequent tags with a small number (a field's name, a
// string, a small integer, a reference…) are one code instead: the number plus the tag's base, each
// tag in a range of its own at or above 0x100 (`SHORT_BASE`); a key is then ≈ 45 % shorter. Either
// way one tag and number always give the same codes.
const enum Tag { Str = 1, Int, Num, True, False, Undef, Null, Fn, Ref, Shared, Arr, Map, Set, Obj, Dict, Proto, Key, End, Sym, Derived }
const SHORT_BASE = new Uint16Array(32);
/** How many numbers a tag writes as one code (0: none). */
const SHORT_SIZE = new Uint16Array(32);
/** The tag of a one-code tag and number (a code at or above 0x100), by its range. */
const SHORT_TAG = new Uint8Array(0x10000);
for (const [tag, base, size] of [
  [Tag.Key, 0x8000, 0x8000], [Tag.Str, 0x4000, 0x4000], [Tag.Int, 0x2000, 0x2000], [Tag.Ref, 0x1000, 0x1000], [Tag.Arr, 0x800, 0x800],
  [Tag.Fn, 0x600, 0x200], [Tag.Proto, 0x400, 0x200], [Tag.Map, 0x300, 0x100], [Tag.Set, 0x200, 0x100], [Tag.Shared, 0x100, 0x100],
]) {
  SHORT_BASE[tag] = base;
  SHORT_SIZE[tag] = size;
  SHORT_TAG.fill(tag, base, base + size);
}
/** What `read` read last: a tag and its number (0 when it has none). */
let readTag = 0;
let readNumber = 0;

/** Read the tag (and number) at `codes[i]` into readTag, readNumber; returns where the next one starts. */
function read(codes: Uint16Array, i: number): number {
  const x = codes[i++];
  if (x >= 0x100) {
    readTag = SHORT_TAG[x];
    readNumber = x - SHORT_BASE[readTag];
    return i;
  }
  readTag = x;
  if (NUMBER_KIND[x] === 0) {
    readNumber = 0;
    return i;
  }
  const n = codes[i++];
  if (n !== 0xd000) {
    readNumber = n;
    return i;
  }
  readNumber = codes[i] * 0x10000 + codes[i + 1];
  return i + 2;
}

/** The state of a run at a choice point: its key (exact) and its digest. */
export interface StateKey {
  /** What the state is, code for code: equal keys, equal states (numbers local to one StateKeys). */
  readonly codes: Uint16Array;
  /** 64 bits, 16 hex digits: the same for the same state in every worker (`StateKeys.digest`). */
  readonly digest: string;
  /** The digest's two halves as numbers (int32), to find a state another worker sent (explored.ts). */
  readonly high: number;
  readonly low: number;
}

/**
 * What one StateKeys numbered since a mark, for another worker to read its keys (ForeignKeys): the
 * strings, and the functions and prototypes as their descriptions (`describe`).
 */
export interface KeyDefinitions {
  strings: string[];
  identities: string[];
}

/** How much of a StateKeys' numbering another worker was sent (StateKeys.definitions). */
export interface KeyMark {
  strings: number;
  identities: number;
}

export const keyMark = (): KeyMark => ({ strings: 0, identities: 0 });

const SEED1 = 0xdeadbeef | 0;
const SEED2 = 0x41c6ce57 | 0;
const M1 = 2654435761 | 0;
const M2 = 1597334677;
/** Spreads a tag over a hash half, so a tagged hash of a string is not the hash of an object. */
const SPREAD = 0x9e3779b1 | 0;
/** Cycle depth of a value that closes no cycle above it. */
const NONE = 0x7fffffff;
/** An object's state in one walk: open (its depth, ≥ 0), closed with a hash of its own, or closed with a hash that depends on the path (a cycle inside it closes above it). */
const CLOSED = -1;

/**
 * What the walk knows of an object from where it found it: of the engine's own shape (engine.ts,
 * model.ts) or not (generic). An object of a known kind has fields holding containers that only it
 * refers to — as `Engine.fork` copies them (fork.ts: `Copier.owned`, the world's tables and lists,
 * a thread's arrays…) — so they are written in place with no number (nothing refers to them again;
 * the identity map is most of a walk's cost), and containers whose values are of a known kind.
 */
const enum Kind { Generic, Engine, World, Thread, Device, Registration, Component, Point, Steps }
/**
 * What a field of a record of a known kind holds: a container only its holder refers to, whose
 * values are of kind `spec - OWNED` (`owned`); a record only its holder refers to, of kind
 * `spec - ONLY` (written in place, with no number, as such a container is); otherwise an object of
 * kind `spec`. A container's values may themselves be records only it refers to (`ALONE`).
 */
const ONLY = 32;
const OWNED = 64;
const ALONE = ONLY + Kind.Generic;
const owned = (values: number = Kind.Generic) => OWNED + values;
const FIELDS: (Record<string, number> | null)[] = [];
FIELDS[Kind.Generic] = null;
// The engine alone holds the world, the run's progress and its own lists and maps (fork.ts copies
// them with the engine); its choice points are held by `paused` and `pointHere` (and `choices`).
FIELDS[Kind.Engine] = {
  world: ONLY + Kind.World, progress: ONLY + Kind.Generic, threads: owned(Kind.Thread), threadList: owned(), runnableList: owned(),
  fresh: owned(), everyStep: owned(), watching: owned(), watchers: owned(), choicesPerStep: owned(), jobs: owned(),
  paused: owned(Kind.Point), pointHere: Kind.Point, choices: owned(Kind.Point), overrides: owned(), overridesAt: owned(),
  scheduleErrors: owned(), triggers: owned(),
};
FIELDS[Kind.World] = {
  processors: owned(), memory: owned(), devices: owned(Kind.Device), deviceOrder: owned(), interfaces: owned(),
  interfaceOrder: owned(), components: owned(Kind.Component), registrations: owned(Kind.Registration), registrationOrder: owned(),
  handles: owned(), allocations: owned(), workItems: owned(), events: owned(), counters: owned(), locks: owned(), mutexes: owned(),
};
// A component's variables: only the component refers to them (interp.ts; fork.ts `Copier.vars`).
FIELDS[Kind.Component] = { vars: owned() };
// A choice point's threads and what each would do next: made for it alone (engine.ts `choose`),
// frozen so that forks share them.
FIELDS[Kind.Point] = { runnable: ONLY + Kind.Generic, next: ONLY + Kind.Steps };
FIELDS[Kind.Steps] = null;
FIELDS[Kind.Thread] = { jobs: owned(), stack: owned(), callbacks: owned(), frames: owned(), ruleFrames: owned() };
FIELDS[Kind.Device] = { stack: owned(), classes: owned(), symlinks: owned() };
FIELDS[Kind.Registration] = { inFlight: owned(), arrived: owned() };
for (const f of FIELDS) if (f) Object.setPrototypeOf(f, null);

const PATH_DEPENDENT = -2;

/** The state keys of one exploration (numbers in a key are local to it). */
export class StateKeys {
  /** Strings, numbered on first sight (a dictionary: property names are looked up fastest as property names). */
  private readonly stringNumbers = Object.create(null) as Record<string, number>;
  private readonly stringList: string[] = [];
  /** Functions and prototypes, numbered on first sight. */
  private readonly identities = new Numbering<object>();
  /** The scenario's objects (never changed by a run), numbered in a fixed order: the same in every worker. */
  private readonly shared = new Map<object, number>();
  /**
   * Hashes of what each numbered string says (two halves), and of each identity (what it is — a
   * function's name and source; a prototype's constructor's name — folded into two halves).
   */
  private readonly stringHashes: number[] = [];
  private readonly identityPairs: number[] = [];
  /** Each identity's description (`describe`), and the identity of each description (-1: two identities share it). */
  private readonly identityNames: string[] = [];
  private readonly identityOf = new Map<string, number>();

  // One walk's state (key() is not re-entrant).
  private codes = new Uint16Array(4096);
  private length = 0;
  /** The walk's identity map: a new one each key (see `key`). */
  private seen = new Map<object, number>();
  /** By object number: the object, its state (open depth, CLOSED, PATH_DEPENDENT) and, closed, its hash; `count` numbered in this walk. */
  private readonly objects: object[] = [];
  private count = 0;
  private readonly depths: number[] = [];
  private readonly hashes: number[] = [];
  private readonly kinds: Kind[] = [];
  private open = 0;
  /** What the value written last adds to the digest of the object it is in: two numbers. */
  private rx = 0;
  private ry = 0;
  private root: object | null = null;

  constructor(scenario: NormalizedScenario) {
    const stack: unknown[] = [scenario];
    while (stack.length > 0) {
      const v = stack.pop();
      if (typeof v !== 'object' || v === null || this.shared.has(v)) continue;
      this.shared.set(v, this.shared.size);
      if (v instanceof Map) for (const [k, x] of v) stack.push(x, k);
      else if (v instanceof Set) for (const x of v) stack.push(x);
      else for (const k of Object.keys(v).reverse()) stack.push((v as Record<string, unknown>)[k]);
    }
  }

  /** The state of `engine`, paused at a choice point; `preemptions`: those made so far, under a preemption bound. */
  key(engine: Engine, preemptions?: number): StateKey {
    this.length = 0;
    this.open = 0;
    this.root = engine;
    let a = SEED1;
    let b = SEED2;
    for (const v of [preemptions, engine.seq, engine]) {
      this.value(v);
      a = Math.imul(Math.imul(a ^ this.rx, M1) ^ this.ry, M1);
      b = Math.imul(Math.imul(b ^ this.rx, M2) ^ this.ry, M2);
    }
    // A new identity map for the next key, not `clear()`: V8 gives the table of a Map it empties or
    // grows the old generation when the table it replaces is there (as this long-lived map's is), so
    // every key's tables were garbage only a mark-compact collects and, until one did, they kept the
    // young objects they refer to (the state's, the forks') alive through scavenges: those were
    // promoted too. A new Map's tables are young and die young (docs/explore.md "The identity map's
    // tables").
    this.seen = new Map();
    // The objects are not let go (setting the length to 0 would drop the array's store, grown again each key).
    this.count = 0;
    this.root = null;
    const [x, y] = finish(a, b);
    return { codes: this.codes.slice(0, this.length), digest: hex(x, y), high: y, low: x };
  }

  /**
   * A 64-bit digest of a state that is the same in every worker, to count the distinct states of an
   * exploration split across workers. It hashes what the key's numbers stand for (strings, a
   * function's name and source, a prototype's constructor), and an object reached twice as if written
   * out again each time (a cycle as how far back it closes): which objects are the same object is
   * left out, because a fork (Engine.fork) shares the entries already written with the run it
   * copies, so the same state can alias differently in a forked and a re-run engine. It is made
   * bottom-up during the key's walk: an object's hash is made of its own data and its children's
   * hashes, so an object no cycle leaves is hashed once and its hash reused at every other reference.
   * Counting only: pruning compares the keys themselves.
   */
  digest(key: StateKey): string {
    return key.digest;
  }

  /**
   * What this numbering defined since `mark` (strings; functions and prototypes as descriptions),
   * for another worker to read the keys this one sends (ForeignKeys, `matches`); moves the mark on.
   */
  definitions(mark: KeyMark): KeyDefinitions {
    const d = { strings: this.stringList.slice(mark.strings), identities: this.identityNames.slice(mark.identities) };
    mark.strings = this.stringList.length;
    mark.identities = this.identityNames.length;
    return d;
  }

  /**
   * Is `key` (a key of this StateKeys) the key `codes[start, end)` that another worker made — the
   * same codes once each number local to that worker (a string's, a function's, a prototype's) is
   * read as what it stands for (`from`: that worker's definitions)? Exact: the keys are compared
   * code for code, so two states are never taken for one, whatever their digests.
   */
  matches(key: StateKey, from: ForeignKeys, codes: Uint16Array, start: number, end: number): boolean {
    const c = key.codes;
    let i = 0;
    let j = start;
    while (i < c.length && j < end) {
      i = read(c, i);
      const tag = readTag;
      const n = readNumber;
      j = read(codes, j);
      if (readTag !== tag) return false;
      const kind = NUMBER_KIND[tag];
      if (kind === 0) continue;
      const m = readNumber;
      if (kind === PLAIN ? m !== n : (kind === STRING ? from.string(m, this) : from.identity(m, this)) !== n) return false;
    }
    return i === c.length && j === end;
  }

  /** This numbering's number of the string `t`; -1 if it has none. */
  stringNumber(t: string): number {
    return this.stringNumbers[t] ?? -1;
  }

  /** This numbering's number of the function or prototype described as `name` (`describe`); -1 if none, or if two have that description. */
  identityNumber(name: string): number {
    return this.identityOf.get(name) ?? -1;
  }

  // ------------------------------------------------------------ the walk
  //
  // Every value is written as its codes (`code`, `num`) and leaves what it adds to the digest of the
  // object it is in as two numbers (`rx`, `ry`): a string or a function as the hash of what it
  // says, spread by its tag; a number, a tag and a small number as themselves; an object as its own
  // hash (made from fresh halves, finished) or, reached again inside itself, as how far back.

  /** Room for `n` more codes. */
  private room(n: number): void {
    if (this.length + n > this.codes.length) {
      const grown = new Uint16Array(Math.max(this.codes.length * 2, this.length + n));
      grown.set(this.codes);
      this.codes = grown;
    }
  }

  /** A tag and a number: one code (`SHORT_BASE`), or the tag then the number as one code or three (a marker and two halves). Needs room for 4. */
  private tagged(tag: number, n: number): void {
    const c = this.codes;
    if (n < SHORT_SIZE[tag]) {
      c[this.length++] = SHORT_BASE[tag] + n;
      return;
    }
    c[this.length++] = tag;
    if (n < 0xd000) c[this.length++] = n;
    else {
      c[this.length++] = 0xd000;
      c[this.length++] = n >>> 16;
      c[this.length++] = n & 0xffff;
    }
  }

  private string(t: string): number {
    let n = this.stringNumbers[t];
    if (n === undefined) {
      n = this.stringNumbers[t] = this.stringList.length;
      this.stringList.push(t);
      this.stringHashes.push(...textHash(t));
    }
    return n;
  }

  /** A string, written with `tag`. */
  private text(tag: number, t: string): void {
    const s = this.string(t);
    this.tagged(tag, s);
    this.rx = this.stringHashes[2 * s] ^ Math.imul(tag, SPREAD);
    this.ry = this.stringHashes[2 * s + 1];
  }

  /** Write `v`; returns the depth of the outermost open object a cycle inside it closes at (NONE: none). */
  private value(v: unknown): number {
    this.room(4);
    switch (typeof v) {
      case 'string':
        this.text(Tag.Str, v);
        return NONE;
      case 'number':
        if (Number.isInteger(v) && v >= 0 && v < 0x40000000) {
          this.tagged(Tag.Int, v);
          this.rx = Tag.Int;
          this.ry = v;
        } else this.text(Tag.Num, String(v));
        return NONE;
      case 'boolean':
        this.codes[this.length++] = this.rx = v ? Tag.True : Tag.False;
        this.ry = 0;
        return NONE;
      case 'undefined':
        this.codes[this.length++] = this.rx = Tag.Undef;
        this.ry = 0;
        return NONE;
      case 'function': {
        const id = this.identity(v);
        this.tagged(Tag.Fn, id);
        this.rx = this.identityPairs[2 * id] ^ Math.imul(Tag.Fn, SPREAD);
        this.ry = this.identityPairs[2 * id + 1];
        return NONE;
      }
      case 'bigint':
      case 'symbol':
        this.text(Tag.Sym, String(v));
        return NONE;
    }
    if (v === null) {
      this.codes[this.length++] = this.rx = Tag.Null;
      this.ry = 0;
      return NONE;
    }
    return this.object(v as object, Kind.Generic);
  }

  /** A value in a record or container of a known kind: of kind `kind` if an object (`ALONE`: a record only the container refers to). */
  private member(v: unknown, kind: number): number {
    if (kind === Kind.Generic || typeof v !== 'object' || v === null) return this.value(v);
    if (kind >= ONLY) return this.only(v, kind - ONLY);
    this.room(4);
    return this.object(v, kind);
  }

  /** A container only its holder refers to: written in place, with no number; its values of kind `values`. */
  private owned(o: object, values: number): number {
    // A shared constant; but an empty array (a dormant thread's, shared by forks frozen: fork.ts
    // `dormant`) holds nothing to share, and is written in place as it was before it was frozen.
    if (Object.isFrozen(o) && !(Array.isArray(o) && o.length === 0)) return this.object(o, Kind.Generic);
    return this.inPlace(o, Kind.Generic, values);
  }

  /** A record (or container) only its holder refers to: written in place, with no number. */
  private only(o: object, kind: Kind): number {
    this.room(4);
    return this.inPlace(o, kind, kind === Kind.Steps ? ALONE : Kind.Generic);
  }

  /** The contents of `o`, written where the walk is (no number): returns the outermost cycle depth it reaches outside itself. */
  private inPlace(o: object, kind: Kind, values: number): number {
    const depth = this.open++;
    const outermost = this.contents(o, kind, values);
    this.open--;
    return outermost < depth ? outermost : NONE;
  }

  /** The number of a function or prototype, its hashes made on first sight. */
  private identity(o: object): number {
    const id = this.identities.of(o);
    if (this.identityPairs.length <= 2 * id) {
      const name = describe(o);
      this.identityNames.push(name);
      this.identityOf.set(name, this.identityOf.has(name) ? -1 : id);
      const h = typeof o === 'function'
        ? [...textHash(o.name), ...textHash(String(o))]
        : [...textHash((o as { constructor?: { name?: string } }).constructor?.name ?? '?'), 0, 0];
      let a = SEED1;
      let b = SEED2;
      for (const x of h) {
        a = Math.imul(a ^ x, M1);
        b = Math.imul(b ^ x, M2);
      }
      this.identityPairs.push(...finish(a, b));
    }
    return id;
  }

  private object(o: object, kind: Kind): number {
    const ref = this.seen.get(o);
    if (ref !== undefined) {
      this.tagged(Tag.Ref, ref);
      return this.again(ref);
    }
    // The scenario's objects (records of the engine's own kinds never are).
    const shared = kind === Kind.Generic ? this.shared.get(o) : undefined;
    if (shared !== undefined) {
      this.tagged(Tag.Shared, shared);
      this.rx = Tag.Shared;
      this.ry = shared;
      return NONE;
    }
    // What is derived from the scenario is frozen (fork.ts `derived`): most objects are not.
    const name = Object.isFrozen(o) ? derivedName(o) : undefined;
    if (name !== undefined) {
      this.text(Tag.Derived, name);
      return NONE;
    }
    const index = this.count++;
    this.seen.set(o, index);
    this.objects[index] = o;
    this.kinds[index] = kind;
    return this.hashed(index);
  }

  /** Object `index` reached again: in the digest, as how far back a cycle closes, or as its hash. */
  private again(index: number): number {
    const depth = this.depths[index];
    if (index === 0) {
      // The engine itself (activations refer to it): unique, so a constant stands for it, and what
      // refers to it stays path-independent (the same partition as writing how far back it is).
      this.rx = Tag.Ref;
      this.ry = 0;
      return NONE;
    }
    if (depth >= 0) {
      this.rx = Tag.Ref;
      this.ry = this.open - depth;
      return depth;
    }
    if (depth === CLOSED) {
      this.rx = this.hashes[2 * index];
      this.ry = this.hashes[2 * index + 1];
      return NONE;
    }
    // Its hash depends on the path: hash it here (its codes, written again, are dropped).
    const length = this.length;
    const out = this.hashed(index);
    this.length = length;
    return out;
  }

  /** Object `index` with its contents: its hash (from fresh halves) in rx, ry. */
  private hashed(index: number): number {
    const depth = this.open++;
    this.depths[index] = depth;
    const outermost = this.contents(this.objects[index], index === 0 ? Kind.Engine : this.kinds[index], Kind.Generic);
    this.open--;
    if (outermost >= depth) {
      this.depths[index] = CLOSED;
      this.hashes[2 * index] = this.rx;
      this.hashes[2 * index + 1] = this.ry;
    } else this.depths[index] = PATH_DEPENDENT;
    return outermost < depth ? outermost : NONE;
  }

  /** The contents of `o`: codes written, its finished hash left in rx, ry; returns the outermost cycle depth. */
  private contents(o: object, kind: Kind, values: number): number {
    let out = NONE;
    let r: number;
    let a = SEED1;
    let b = SEED2;
    this.room(4);
    const proto = Object.getPrototypeOf(o) as object | null;
    if (proto === Array.prototype) {
      const list = o as unknown[];
      this.tagged(Tag.Arr, list.length);
      a = Math.imul(Math.imul(a ^ Tag.Arr, M1) ^ list.length, M1);
      b = Math.imul(Math.imul(b ^ Tag.Arr, M2) ^ list.length, M2);
      for (let i = 0; i < list.length; i++) {
        if ((r = this.member(list[i], values)) < out) out = r;
        a = Math.imul(Math.imul(a ^ this.rx, M1) ^ this.ry, M1);
        b = Math.imul(Math.imul(b ^ this.rx, M2) ^ this.ry, M2);
      }
    } else if (proto === Map.prototype) {
      const m = o as Map<unknown, unknown>;
      this.tagged(Tag.Map, m.size);
      a = Math.imul(Math.imul(a ^ Tag.Map, M1) ^ m.size, M1);
      b = Math.imul(Math.imul(b ^ Tag.Map, M2) ^ m.size, M2);
      for (const [k, x] of m) {
        if ((r = this.value(k)) < out) out = r;
        a = Math.imul(Math.imul(a ^ this.rx, M1) ^ this.ry, M1);
        b = Math.imul(Math.imul(b ^ this.rx, M2) ^ this.ry, M2);
        if ((r = this.member(x, values)) < out) out = r;
        a = Math.imul(Math.imul(a ^ this.rx, M1) ^ this.ry, M1);
        b = Math.imul(Math.imul(b ^ this.rx, M2) ^ this.ry, M2);
      }
    } else if (proto === Set.prototype) {
      const set = o as Set<unknown>;
      this.tagged(Tag.Set, set.size);
      a = Math.imul(Math.imul(a ^ Tag.Set, M1) ^ set.size, M1);
      b = Math.imul(Math.imul(b ^ Tag.Set, M2) ^ set.size, M2);
      for (const x of set) {
        if ((r = this.member(x, values)) < out) out = r;
        a = Math.imul(Math.imul(a ^ this.rx, M1) ^ this.ry, M1);
        b = Math.imul(Math.imul(b ^ this.rx, M2) ^ this.ry, M2);
      }
    } else {
      // Plain objects, null-prototype dictionaries, class instances (their prototype is part of the data).
      if (proto === Object.prototype) {
        this.codes[this.length++] = Tag.Obj;
        a = Math.imul(a ^ Tag.Obj, M1);
        b = Math.imul(b ^ Tag.Obj, M2);
      } else if (proto === null) {
        this.codes[this.length++] = Tag.Dict;
        a = Math.imul(a ^ Tag.Dict, M1);
        b = Math.imul(b ^ Tag.Dict, M2);
      } else {
        const id = this.identity(proto);
        this.tagged(Tag.Proto, id);
        a = Math.imul(Math.imul(Math.imul(a ^ Tag.Proto, M1) ^ this.identityPairs[2 * id], M1) ^ this.identityPairs[2 * id + 1], M1);
        b = Math.imul(Math.imul(Math.imul(b ^ Tag.Proto, M2) ^ this.identityPairs[2 * id], M2) ^ this.identityPairs[2 * id + 1], M2);
      }
      const rec = o as Record<string, unknown>;
      const root = o === this.root;
      const fields = FIELDS[kind];
      let keys = 0;
      for (const k in rec) {
        if (root && LEFT_OUT.has(k)) continue;
        this.room(4);
        this.text(Tag.Key, k);
        a = Math.imul(Math.imul(a ^ this.rx, M1) ^ this.ry, M1);
        b = Math.imul(Math.imul(b ^ this.rx, M2) ^ this.ry, M2);
        const v = rec[k];
        const spec = fields === null ? undefined : fields[k];
        if (spec === undefined || typeof v !== 'object' || v === null) r = this.member(v, values);
        else if (spec >= OWNED) r = this.owned(v, spec - OWNED);
        else if (spec >= ONLY) r = this.only(v, spec - ONLY);
        else {
          this.room(4);
          r = this.object(v, spec);
        }
        if (r < out) out = r;
        a = Math.imul(Math.imul(a ^ this.rx, M1) ^ this.ry, M1);
        b = Math.imul(Math.imul(b ^ this.rx, M2) ^ this.ry, M2);
        keys++;
      }
      this.room(1);
      this.codes[this.length++] = Tag.End;
      a = Math.imul(a ^ keys, M1);
      b = Math.imul(b ^ keys, M2);
    }
    // finish(a, b), without its array.
    const x = Math.imul(a ^ (a >>> 16), 2246822507) ^ Math.imul(b ^ (b >>> 13), 3266489909);
    this.rx = x;
    this.ry = Math.imul(b ^ (b >>> 16), 2246822507) ^ Math.imul(x ^ (x >>> 13), 3266489909);
    return out;
  }
}

/** The two halves of a hash, finalised (each mixes the other). */
function finish(a: number, b: number): [number, number] {
  const x = Math.imul(a ^ (a >>> 16), 2246822507) ^ Math.imul(b ^ (b >>> 13), 3266489909);
  const y = Math.imul(b ^ (b >>> 16), 2246822507) ^ Math.imul(x ^ (x >>> 13), 3266489909);
  return [x, y];
}

/**
 * A function or prototype as every worker names it: a function by its name and source, a prototype
 * by its constructor's name (what the digest hashes). Every worker runs the same program, so a
 * description that only one function (or prototype) has in each worker is the same one.
 */
function describe(o: object): string {
  return typeof o === 'function' ? `f${o.name}\n${String(o)}` : `p${(o as { constructor?: { name?: string } }).constructor?.name ?? '?'}`;
}

/**
 * Another worker's numbering of strings, functions and prototypes as its definitions arrive (in
 * order: StateKeys.definitions), read as this worker's numbers (`StateKeys.matches`).
 */
export class ForeignKeys {
  private readonly texts: string[] = [];
  private readonly names: string[] = [];
  /** Ours of each of theirs, once known (-1: not yet). */
  private readonly strings: number[] = [];
  private readonly identities: number[] = [];
  /** Their descriptions given to more than one of their numbers: never read as one of ours. */
  private readonly named = new Map<string, number>();

  add(d: KeyDefinitions): void {
    for (const t of d.strings) {
      this.texts.push(t);
      this.strings.push(-1);
    }
    for (const name of d.identities) {
      const n = this.names.push(name) - 1;
      this.identities.push(-1);
      const before = this.named.get(name);
      if (before !== undefined) this.identities[before] = this.identities[n] = -2;
      this.named.set(name, n);
    }
  }

  /** Our number of their string `m` (-1: we have none). */
  string(m: number, ours: StateKeys): number {
    let n = this.strings[m];
    if (n === -1 && (n = ours.stringNumber(this.texts[m])) >= 0) this.strings[m] = n;
    return n;
  }

  /** Our number of their function or prototype `m` (negative: none, or not one we can tell). */
  identity(m: number, ours: StateKeys): number {
    let n = this.identities[m];
    if (n === -1 && (n = ours.identityNumber(this.names[m])) >= 0) this.identities[m] = n;
    return n;
  }
}

/** What the number after a tag is: none, a number as it is, a string's, a function's or prototype's. */
const PLAIN = 1;
const STRING = 2;
const IDENTITY = 3;
const NUMBER_KIND = new Uint8Array(32);
for (const tag of [Tag.Int, Tag.Ref, Tag.Shared, Tag.Arr, Tag.Map, Tag.Set]) NUMBER_KIND[tag] = PLAIN;
for (const tag of [Tag.Str, Tag.Num, Tag.Key, Tag.Sym, Tag.Derived]) NUMBER_KIND[tag] = STRING;
for (const tag of [Tag.Fn, Tag.Proto]) NUMBER_KIND[tag] = IDENTITY;

/** The hash of what a string says (its length and characters), from fresh halves. */
function textHash(t: string): [number, number] {
  let a = Math.imul(SEED1 ^ t.length, M1);
  let b = Math.imul(SEED2 ^ t.length, M2);
  for (let k = 0; k < t.length; k++) {
    a = Math.imul(a ^ t.charCodeAt(k), M1);
    b = Math.imul(b ^ t.charCodeAt(k), M2);
  }
  return finish(a, b);
}

/** Each byte as 2 hex digits. */
const HEX2: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** A finished hash (`finish`) as 16 hex digits (a table of bytes: ≈ 3× faster than `toString(16)` and `padStart`). */
function hex(x: number, y: number): string {
  return HEX2[y >>> 24] + HEX2[(y >>> 16) & 255] + HEX2[(y >>> 8) & 255] + HEX2[y & 255] +
    HEX2[x >>> 24] + HEX2[(x >>> 16) & 255] + HEX2[(x >>> 8) & 255] + HEX2[x & 255];
}

/** States and what is known of each, found by digest and told apart by key (exact: a shared digest is two entries). */
export class StateTable<V> {
  private readonly byDigest = new Map<string, { codes: Uint16Array; value: V }[]>();

  get(key: StateKey): V | undefined {
    const bucket = this.byDigest.get(key.digest);
    if (bucket) for (const e of bucket) if (sameCodes(e.codes, key.codes)) return e.value;
    return undefined;
  }

  set(key: StateKey, value: V): void {
    const bucket = this.byDigest.get(key.digest);
    if (!bucket) {
      this.byDigest.set(key.digest, [{ codes: key.codes, value }]);
      return;
    }
    for (const e of bucket) {
      if (sameCodes(e.codes, key.codes)) {
        e.value = value;
        return;
      }
    }
    bucket.push({ codes: key.codes, value });
  }
}

function sameCodes(a: Uint16Array, b: Uint16Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
