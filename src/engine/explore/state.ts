// The state of a run paused at a choice point, as a string (docs/explore.md "Pruning seen states"):
// two runs with equal keys go on exactly alike — the same choice points, the same entries (trace
// positions, `step` and `choice` numbers included) and the same ends — whatever came before. So the
// explorer explores the schedules below a state once, and counts them for every path into it.
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
import type { NormalizedScenario } from '../../scenario/types.ts';
import type { Engine } from '../engine.ts';
import { derivedName } from '../fork.ts';
import { Numbering } from './numbering.ts';

/** Engine fields that are history or shared by every run of one exploration (see above). */
const LEFT_OUT = new Set(['trace', 'kept', 'lastEntry', 'scenario', 'handlers', 'limits', 'explorer', 'sink']);

// The key is a string of 16-bit codes: a tag, then (for most tags) a number.
const enum Tag { Str = 1, Int, Num, True, False, Undef, Null, Fn, Ref, Shared, Arr, Map, Set, Obj, Dict, Proto, Key, End, Sym, Derived }
/** Tags followed by a number. */
const WITH_NUMBER = new Set<number>([Tag.Str, Tag.Int, Tag.Num, Tag.Fn, Tag.Ref, Tag.Shared, Tag.Arr, Tag.Map, Tag.Set, Tag.Proto, Tag.Key, Tag.Sym, Tag.Derived]);
/** Tags whose number is a string's. */
const STRING_TAGS = new Set<number>([Tag.Str, Tag.Num, Tag.Key, Tag.Sym, Tag.Derived]);

const SEED1 = 0xdeadbeef;
const SEED2 = 0x41c6ce57;
/** The two halves of a hash, finalised (each mixes the other). */
function finish(a: number, b: number): readonly [number, number] {
  const x = Math.imul(a ^ (a >>> 16), 2246822507) ^ Math.imul(b ^ (b >>> 13), 3266489909);
  const y = Math.imul(b ^ (b >>> 16), 2246822507) ^ Math.imul(x ^ (x >>> 13), 3266489909);
  return [x, y];
}

/** The state keys of one exploration (numbers in a key are local to it). */
export class StateKeys {
  /** Strings, functions and prototypes, numbered on first sight. */
  private readonly strings = new Numbering<string>();
  private readonly identities = new Numbering<object>();
  /** The scenario's objects (never changed by a run), numbered in a fixed order: the same in every worker. */
  private readonly shared = new Map<object, number>();

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
  key(engine: Engine, preemptions?: number): string {
    const seen = new Map<object, number>();
    const codes: number[] = [];
    // A number as one code, or three (a marker and two halves).
    const num = (n: number) => {
      if (n < 0xd000) codes.push(n);
      else codes.push(0xd000, n >>> 16, n & 0xffff);
    };
    const write = (v: unknown): void => {
      switch (typeof v) {
        case 'string':
          codes.push(Tag.Str);
          num(this.strings.of(v));
          return;
        case 'number':
          if (Number.isInteger(v) && v >= 0 && v < 0x40000000) {
            codes.push(Tag.Int);
            num(v);
          } else {
            codes.push(Tag.Num);
            num(this.strings.of(String(v)));
          }
          return;
        case 'boolean':
          codes.push(v ? Tag.True : Tag.False);
          return;
        case 'undefined':
          codes.push(Tag.Undef);
          return;
        case 'function':
          codes.push(Tag.Fn);
          num(this.identities.of(v));
          return;
        case 'bigint':
        case 'symbol':
          codes.push(Tag.Sym);
          num(this.strings.of(String(v)));
          return;
      }
      if (v === null) {
        codes.push(Tag.Null);
        return;
      }
      const o = v as object;
      const ref = seen.get(o);
      if (ref !== undefined) {
        codes.push(Tag.Ref);
        num(ref);
        return;
      }
      const shared = this.shared.get(o);
      if (shared !== undefined) {
        codes.push(Tag.Shared);
        num(shared);
        return;
      }
      const name = derivedName(o);
      if (name !== undefined) {
        codes.push(Tag.Derived);
        num(this.strings.of(name));
        return;
      }
      seen.set(o, seen.size);
      const proto = Object.getPrototypeOf(o) as object | null;
      if (proto === Array.prototype) {
        const a = o as unknown[];
        codes.push(Tag.Arr);
        num(a.length);
        for (let i = 0; i < a.length; i++) write(a[i]);
      } else if (proto === Map.prototype) {
        codes.push(Tag.Map);
        num((o as Map<unknown, unknown>).size);
        for (const [k, x] of o as Map<unknown, unknown>) {
          write(k);
          write(x);
        }
      } else if (proto === Set.prototype) {
        codes.push(Tag.Set);
        num((o as Set<unknown>).size);
        for (const x of o as Set<unknown>) write(x);
      } else {
        // Plain objects, null-prototype dictionaries, class instances (their prototype is part of the data).
        if (proto === Object.prototype) codes.push(Tag.Obj);
        else if (proto === null) codes.push(Tag.Dict);
        else {
          codes.push(Tag.Proto);
          num(this.identities.of(proto));
        }
        const r = o as Record<string, unknown>;
        for (const k in r) {
          if (o === engine && LEFT_OUT.has(k)) continue;
          codes.push(Tag.Key);
          num(this.strings.of(k));
          write(r[k]);
        }
        codes.push(Tag.End);
      }
    };
    write(preemptions);
    write(engine.seq);
    write(engine);
    let key = '';
    for (let i = 0; i < codes.length; i += 4096) key += String.fromCharCode.apply(null, codes.slice(i, i + 4096));
    return key;
  }

  /**
   * A 64-bit digest of a state that is the same in every worker, to count the distinct states of an
   * exploration split across workers. The key's numbers are replaced by what they stand for
   * (strings, a function's name and source, a prototype's constructor), and an object reached twice
   * hashes as if written out again each time (a cycle as how far back it closes; the hash of an
   * object no cycle leaves is made once and reused, so this stays linear): which objects are the same
   * object is left out, because a fork (Engine.fork) shares the entries already written with the run
   * it copies, so the same state can alias differently in a forked and a re-run engine. Counting
   * only: pruning compares the keys themselves.
   */
  digest(key: string): string {
    let at = 0;
    const read = (): number => {
      const n = key.charCodeAt(at++);
      if (n !== 0xd000) return n;
      at += 2;
      return key.charCodeAt(at - 2) * 0x10000 + key.charCodeAt(at - 1);
    };
    // The key as a tree: [tag, number, children, object number] per value; objects by their number.
    type Node = [number, number, Node[], number];
    const objects: Node[] = [];
    const value = (): Node => {
      const tag = key.charCodeAt(at++);
      const n = WITH_NUMBER.has(tag) ? read() : 0;
      const node: Node = [tag, n, [], -1];
      switch (tag) {
        case Tag.Arr:
        case Tag.Set:
        case Tag.Map:
          node[3] = objects.push(node) - 1;
          for (let k = tag === Tag.Map ? 2 * n : n; k > 0; k--) node[2].push(value());
          break;
        case Tag.Obj:
        case Tag.Dict:
        case Tag.Proto:
          node[3] = objects.push(node) - 1;
          while (key.charCodeAt(at) !== Tag.End) node[2].push(value(), value());
          at++;
          break;
      }
      return node;
    };
    const roots: Node[] = [];
    while (at < key.length) roots.push(value());
    // Hashed bottom-up: an object's hash is made of its own data and its children's hashes, so an
    // object reached again (the same object, or an equal one under another reference) costs one
    // lookup — unless a cycle inside it closes above it, which makes its hash depend on the path.
    let h1 = SEED1;
    let h2 = SEED2;
    const mix = (c: number) => {
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    };
    /** Mix in a sub-hash (a value hashed on its own, from fresh state): its two halves. */
    const sub = (pair: readonly [number, number]) => {
      mix(pair[0]);
      mix(pair[1]);
    };
    const text = (t: string): readonly [number, number] => {
      let pair = this.textHashes.get(t);
      if (pair === undefined) {
        const o1 = h1;
        const o2 = h2;
        h1 = SEED1;
        h2 = SEED2;
        mix(t.length);
        for (let k = 0; k < t.length; k++) mix(t.charCodeAt(k));
        pair = finish(h1, h2);
        this.textHashes.set(t, pair);
        h1 = o1;
        h2 = o2;
      }
      return pair;
    };
    const closed = new Map<number, readonly [number, number]>();
    const open: number[] = [];
    /** Hash `node`; returns the depth in `open` of the outermost object a cycle inside it closes at (Infinity: none). */
    const hash = (node: Node): number => {
      const [tag, n] = node;
      if (tag === Tag.Ref) {
        const back = open.lastIndexOf(n);
        if (back >= 0) {
          mix(Tag.Ref);
          mix(open.length - back);
          return back;
        }
        return hashObject(n, objects[n]);
      }
      if (node[3] >= 0) return hashObject(node[3], node);
      mix(tag);
      if (STRING_TAGS.has(tag)) sub(text(this.strings.at(n)));
      else if (tag === Tag.Fn) {
        const f = this.identities.at(n) as { name: string };
        sub(text(f.name));
        sub(text(String(f)));
      } else if (WITH_NUMBER.has(tag)) mix(n);
      return Infinity;
    };
    const hashObject = (index: number, node: Node): number => {
      const known = closed.get(index);
      if (known !== undefined) {
        sub(known);
        return Infinity;
      }
      const [tag, n, children] = node;
      const o1 = h1;
      const o2 = h2;
      h1 = SEED1;
      h2 = SEED2;
      mix(tag);
      if (tag === Tag.Proto) sub(text((this.identities.at(n) as { constructor?: { name?: string } }).constructor?.name ?? '?'));
      else mix(tag === Tag.Arr || tag === Tag.Set || tag === Tag.Map ? n : children.length);
      const depth = open.push(index) - 1;
      let outermost = Infinity;
      for (const c of children) outermost = Math.min(outermost, hash(c));
      open.pop();
      const pair = finish(h1, h2);
      if (outermost >= depth) closed.set(index, pair);
      h1 = o1;
      h2 = o2;
      sub(pair);
      return outermost < depth ? outermost : Infinity;
    };
    for (const r of roots) hash(r);
    [h1, h2] = finish(h1, h2);
    return (h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
  }

  /** Hashes of strings and function sources met by digest(): what they say, so the same in every worker. */
  private readonly textHashes = new Map<string, readonly [number, number]>();

  /**
   * The identity of a state in every worker, to share the states explored completely between
   * worker threads (src/engine/explore/explored.ts): a 128-bit hash of the key in which each number
   * local to this exploration — a string's, a function's, a prototype's — is replaced by a hash of
   * what it stands for (the text; a function's name and source; a prototype's constructor's name
   * and source). Unlike `digest`, which objects are the same object stays in (a reference is the
   * key's own number), so equal identities mean equal keys, up to a hash collision (about 1 in 10²⁹
   * for 10⁵ states).
   */
  canonical(key: string): string {
    let a = 0x9e3779b9 | 0;
    let b = 0x7f4a7c15 | 0;
    let c = 0x94d049bb | 0;
    let d = 0xbf58476d | 0;
    let w1 = 0;
    let w2 = 0;
    for (let at = 0; at < key.length;) {
      // The words of one value: its tag, then none, its number, or the two halves of what its number stands for.
      const tag = key.charCodeAt(at++);
      const kind = NUMBER_KIND[tag];
      let words = 1;
      if (kind !== 0) {
        let n = key.charCodeAt(at++);
        if (n === 0xd000) {
          n = key.charCodeAt(at) * 0x10000 + key.charCodeAt(at + 1);
          at += 2;
        }
        if (kind === PLAIN) {
          w1 = n;
          words = 2;
        } else {
          const ids = kind === STRING ? this.stringIds : this.identityIds;
          let pair = ids[n];
          if (pair === undefined) ids[n] = pair = this.identityOf(kind, n);
          w1 = pair[0];
          w2 = pair[1];
          words = 3;
        }
      }
      for (let k = 0; k < words; k++) {
        const w = k === 0 ? tag : k === 1 ? w1 : w2;
        a = Math.imul(a ^ w, 0x85ebca6b);
        a ^= a >>> 13;
        b = Math.imul(b ^ w, 0xc2b2ae35);
        b ^= b >>> 16;
        c = Math.imul(c ^ w, 0x27d4eb2f);
        c ^= c >>> 15;
        d = Math.imul(d ^ w, 0x165667b1);
        d ^= d >>> 13;
      }
    }
    const [x, y] = finish(a ^ c ^ key.length, b ^ d);
    const [z, v] = finish((c + y) | 0, (d + x) | 0);
    return hex(x) + hex(y) + hex(z) + hex(v);
  }

  /** What a string's, function's or prototype's number stands for, hashed (canonical). */
  private identityOf(kind: number, n: number): readonly [number, number] {
    if (kind === STRING) return hashText(this.strings.at(n));
    const o = this.identities.at(n) as { name?: string; constructor?: { name?: string } };
    return typeof o === 'function' ? hashText(`fn\0${o.name}\0${String(o)}`) : hashText(`proto\0${o.constructor?.name ?? ''}\0${String(o.constructor)}`);
  }

  /** canonical(): the hash of each string and each function or prototype, by its number here. */
  private readonly stringIds: (readonly [number, number])[] = [];
  private readonly identityIds: (readonly [number, number])[] = [];
}

/** What the number after a tag is (canonical()): none, a number as it is, a string's, a function's or prototype's. */
const PLAIN = 1;
const STRING = 2;
const IDENTITY = 3;
const NUMBER_KIND = new Uint8Array(64);
for (const tag of WITH_NUMBER) NUMBER_KIND[tag] = STRING_TAGS.has(tag) ? STRING : tag === Tag.Fn || tag === Tag.Proto ? IDENTITY : PLAIN;

/** A 64-bit hash of a text (the same in every worker). */
function hashText(t: string): readonly [number, number] {
  let h1 = SEED1 ^ t.length;
  let h2 = SEED2 ^ t.length;
  for (let k = 0; k < t.length; k++) {
    const ch = t.charCodeAt(k);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  return finish(h1, h2);
}

const hex = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
