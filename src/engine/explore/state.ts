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

// The key is a list of 16-bit codes: a tag, then (for most tags) a number.
const enum Tag { Str = 1, Int, Num, True, False, Undef, Null, Fn, Ref, Shared, Arr, Map, Set, Obj, Dict, Proto, Key, End, Sym, Derived }

/** The state of a run at a choice point: its key (exact) and its digest. */
export interface StateKey {
  /** What the state is, code for code: equal keys, equal states (numbers local to one StateKeys). */
  readonly codes: Uint16Array;
  /** 64 bits, 16 hex digits: the same for the same state in every worker (`StateKeys.digest`). */
  readonly digest: string;
}

const SEED1 = 0xdeadbeef | 0;
const SEED2 = 0x41c6ce57 | 0;
/** Cycle depth of a value that closes no cycle above it. */
const NONE = 0x7fffffff;
/** An object's state in one walk: open (its depth, ≥ 0), closed with a hash of its own, or closed with a hash that depends on the path (a cycle inside it closes above it). */
const CLOSED = -1;
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
  /** Hashes of what each numbered string says (two halves), and of each identity (a function: its name and source; a prototype: its constructor's name). */
  private readonly stringHashes: number[] = [];
  private readonly identityHashes: number[] = [];

  // One walk's state (key() is not re-entrant).
  private codes = new Uint16Array(4096);
  private length = 0;
  private readonly seen = new Map<object, number>();
  /** By object number: the object, its state (open depth, CLOSED, PATH_DEPENDENT) and, closed, its hash. */
  private objects: object[] = [];
  private readonly depths: number[] = [];
  private readonly hashes: number[] = [];
  private open = 0;
  private h1 = SEED1;
  private h2 = SEED2;
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
    this.h1 = SEED1;
    this.h2 = SEED2;
    this.root = engine;
    this.value(preemptions);
    this.value(engine.seq);
    this.value(engine);
    this.seen.clear();
    this.objects.length = 0;
    this.root = null;
    return { codes: this.codes.slice(0, this.length), digest: hex(this.h1, this.h2) };
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

  // ------------------------------------------------------------ the walk

  private code(c: number): void {
    if (this.length === this.codes.length) {
      const grown = new Uint16Array(this.codes.length * 2);
      grown.set(this.codes);
      this.codes = grown;
    }
    this.codes[this.length++] = c;
  }

  /** A number as one code, or three (a marker and two halves). */
  private num(n: number): void {
    if (n < 0xd000) this.code(n);
    else {
      this.code(0xd000);
      this.code(n >>> 16);
      this.code(n & 0xffff);
    }
  }

  private string(t: string): number {
    let n = this.stringNumbers[t];
    if (n === undefined) {
      n = this.stringNumbers[t] = this.stringList.length;
      this.stringList.push(t);
    }
    return n;
  }

  private mix(c: number): void {
    this.h1 = Math.imul(this.h1 ^ c, 2654435761);
    this.h2 = Math.imul(this.h2 ^ c, 1597334677);
  }

  /** Mix in the hash of the string numbered `s` (what it says). */
  private text(s: number): void {
    while (this.stringHashes.length <= 2 * s) this.stringHashes.push(...textHash(this.stringList[this.stringHashes.length / 2]));
    this.mix(this.stringHashes[2 * s]);
    this.mix(this.stringHashes[2 * s + 1]);
  }

  /** Mix in the hash of identity `id`: a function (its name and source) or a prototype (its constructor's name). */
  private identity(id: number): void {
    while (this.identityHashes.length <= 4 * id) {
      const o = this.identities.at(this.identityHashes.length / 4);
      if (typeof o === 'function') this.identityHashes.push(...textHash(o.name), ...textHash(String(o)));
      else this.identityHashes.push(...textHash((o as { constructor?: { name?: string } }).constructor?.name ?? '?'), 0, 0);
    }
    for (let k = 4 * id; k < 4 * id + 4; k++) this.mix(this.identityHashes[k]);
  }

  /** Write `v`: its codes to the key, its hash to the digest. Returns the depth of the outermost open object a cycle inside it closes at (NONE: none). */
  private value(v: unknown): number {
    switch (typeof v) {
      case 'string': {
        const s = this.string(v);
        this.code(Tag.Str);
        this.num(s);
        this.mix(Tag.Str);
        this.text(s);
        return NONE;
      }
      case 'number':
        if (Number.isInteger(v) && v >= 0 && v < 0x40000000) {
          this.code(Tag.Int);
          this.num(v);
          this.mix(Tag.Int);
          this.mix(v);
        } else {
          const s = this.string(String(v));
          this.code(Tag.Num);
          this.num(s);
          this.mix(Tag.Num);
          this.text(s);
        }
        return NONE;
      case 'boolean':
        this.code(v ? Tag.True : Tag.False);
        this.mix(v ? Tag.True : Tag.False);
        return NONE;
      case 'undefined':
        this.code(Tag.Undef);
        this.mix(Tag.Undef);
        return NONE;
      case 'function': {
        const id = this.identities.of(v);
        this.code(Tag.Fn);
        this.num(id);
        this.mix(Tag.Fn);
        this.identity(id);
        return NONE;
      }
      case 'bigint':
      case 'symbol': {
        const s = this.string(String(v));
        this.code(Tag.Sym);
        this.num(s);
        this.mix(Tag.Sym);
        this.text(s);
        return NONE;
      }
    }
    if (v === null) {
      this.code(Tag.Null);
      this.mix(Tag.Null);
      return NONE;
    }
    return this.object(v as object);
  }

  private object(o: object): number {
    const ref = this.seen.get(o);
    if (ref !== undefined) {
      this.code(Tag.Ref);
      this.num(ref);
      return this.again(ref);
    }
    if (this.fixed(o, true)) return NONE;
    const index = this.seen.size;
    this.seen.set(o, index);
    this.objects.push(o);
    return this.hashed(index, true);
  }

  /** A scenario object or one derived from it: written as its number or name. */
  private fixed(o: object, write: boolean): boolean {
    const shared = this.shared.get(o);
    if (shared !== undefined) {
      if (write) {
        this.code(Tag.Shared);
        this.num(shared);
      }
      this.mix(Tag.Shared);
      this.mix(shared);
      return true;
    }
    // What is derived from the scenario is frozen (fork.ts `derived`): most objects are not.
    const name = Object.isFrozen(o) ? derivedName(o) : undefined;
    if (name === undefined) return false;
    const s = this.string(name);
    if (write) {
      this.code(Tag.Derived);
      this.num(s);
    }
    this.mix(Tag.Derived);
    this.text(s);
    return true;
  }

  /** Object `index` reached again: in the digest, as how far back a cycle closes, or as its hash. */
  private again(index: number): number {
    const depth = this.depths[index];
    if (index === 0) {
      // The engine itself (activations refer to it): unique, so a constant stands for it, and what
      // refers to it stays path-independent (the same partition as writing how far back it is).
      this.mix(Tag.Ref);
      this.mix(0);
      return NONE;
    }
    if (depth >= 0) {
      this.mix(Tag.Ref);
      this.mix(this.open - depth);
      return depth;
    }
    if (depth === CLOSED) {
      this.mix(this.hashes[2 * index]);
      this.mix(this.hashes[2 * index + 1]);
      return NONE;
    }
    return this.hashed(index, false); // its hash depends on the path: hash it here
  }

  /**
   * Object `index` with its contents, hashed on its own (from fresh halves) and mixed in as its hash;
   * `write`: the first time, so its codes go to the key too (else only the digest is made).
   */
  private hashed(index: number, write: boolean): number {
    const o = this.objects[index];
    const o1 = this.h1;
    const o2 = this.h2;
    this.h1 = SEED1;
    this.h2 = SEED2;
    const depth = this.open++;
    this.depths[index] = depth;
    const outermost = this.contents(o, write);
    this.open--;
    let x = this.h1;
    let y = this.h2;
    [x, y] = finish(x, y);
    if (outermost >= depth) {
      this.depths[index] = CLOSED;
      this.hashes[2 * index] = x;
      this.hashes[2 * index + 1] = y;
    } else this.depths[index] = PATH_DEPENDENT;
    this.h1 = o1;
    this.h2 = o2;
    this.mix(x);
    this.mix(y);
    return outermost < depth ? outermost : NONE;
  }

  /** A child of an object being hashed again (digest only): every object in it was numbered the first time. */
  private rehashed(v: unknown): number {
    if (typeof v !== 'object' || v === null) {
      const length = this.length;
      const out = this.value(v);
      this.length = length; // a primitive: its codes are dropped again
      return out;
    }
    const index = this.seen.get(v);
    if (index !== undefined) return this.again(index);
    this.fixed(v, false);
    return NONE;
  }

  /** The contents of `o`: the key's codes (if `write`), the digest's data; returns the outermost cycle depth. */
  private contents(o: object, write: boolean): number {
    let out = NONE;
    let r: number;
    const proto = Object.getPrototypeOf(o) as object | null;
    if (proto === Array.prototype) {
      const a = o as unknown[];
      if (write) {
        this.code(Tag.Arr);
        this.num(a.length);
      }
      this.mix(Tag.Arr);
      this.mix(a.length);
      for (let i = 0; i < a.length; i++) if ((r = write ? this.value(a[i]) : this.rehashed(a[i])) < out) out = r;
      return out;
    }
    if (proto === Map.prototype) {
      const m = o as Map<unknown, unknown>;
      if (write) {
        this.code(Tag.Map);
        this.num(m.size);
      }
      this.mix(Tag.Map);
      this.mix(m.size);
      for (const [k, x] of m) {
        if ((r = write ? this.value(k) : this.rehashed(k)) < out) out = r;
        if ((r = write ? this.value(x) : this.rehashed(x)) < out) out = r;
      }
      return out;
    }
    if (proto === Set.prototype) {
      const s = o as Set<unknown>;
      if (write) {
        this.code(Tag.Set);
        this.num(s.size);
      }
      this.mix(Tag.Set);
      this.mix(s.size);
      for (const x of s) if ((r = write ? this.value(x) : this.rehashed(x)) < out) out = r;
      return out;
    }
    // Plain objects, null-prototype dictionaries, class instances (their prototype is part of the data).
    const tag = proto === Object.prototype ? Tag.Obj : proto === null ? Tag.Dict : Tag.Proto;
    if (write) this.code(tag);
    this.mix(tag);
    if (tag === Tag.Proto) {
      const id = this.identities.of(proto!);
      if (write) this.num(id);
      this.identity(id);
    }
    const rec = o as Record<string, unknown>;
    const root = o === this.root;
    let keys = 0;
    for (const k in rec) {
      if (root && LEFT_OUT.has(k)) continue;
      const s = this.string(k);
      if (write) {
        this.code(Tag.Key);
        this.num(s);
      }
      this.mix(Tag.Key);
      this.text(s);
      if ((r = write ? this.value(rec[k]) : this.rehashed(rec[k])) < out) out = r;
      keys++;
    }
    if (write) this.code(Tag.End);
    this.mix(keys);
    return out;
  }
}

/** The two halves of a hash, finalised (each mixes the other). */
function finish(a: number, b: number): [number, number] {
  const x = Math.imul(a ^ (a >>> 16), 2246822507) ^ Math.imul(b ^ (b >>> 13), 3266489909);
  const y = Math.imul(b ^ (b >>> 16), 2246822507) ^ Math.imul(x ^ (x >>> 13), 3266489909);
  return [x, y];
}

/** The hash of what a string says (its length and characters), from fresh halves. */
function textHash(t: string): [number, number] {
  let h1 = SEED1;
  let h2 = SEED2;
  const mix = (c: number) => {
    h1 = Math.imul(h1 ^ c, 2654435761 | 0);
    h2 = Math.imul(h2 ^ c, 1597334677);
  };
  mix(t.length);
  for (let k = 0; k < t.length; k++) mix(t.charCodeAt(k));
  return finish(h1, h2);
}

function hex(h1: number, h2: number): string {
  const [x, y] = finish(h1, h2);
  return (y >>> 0).toString(16).padStart(8, '0') + (x >>> 0).toString(16).padStart(8, '0');
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
