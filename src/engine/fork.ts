// Forking a run (docs/explore.md "Forking"): a copy of the engine's whole state at a choice point —
// world, threads and their frames, queues, trace not yet handed over, counters — that resumes
// exactly where the original would. An identity-preserving deep copy: an object reached twice is
// copied once (a frame and the world share a registration, so do their copies); prototypes are kept
// (null-prototype dictionaries, class instances); functions are copied by reference (routines are
// module-level functions, never closures over state, see frame.ts). What never changes while a run
// goes on is shared, not copied: the scenario and everything in it, the API handlers, the entries
// already final, frozen objects.
//
// Most of the state has a shape the engine fixes (model.ts World, engine.ts Thread), so it is copied
// by functions that know it (`copyWorld`, `copyThread`): arrays that one record alone holds (a
// thread's `callbacks`, a device's `symlinks`…) are copied without an entry in the identity map,
// and arrays of strings or of final values are sliced. Everything else — frames and their locals,
// jobs, waits, activations — goes through the generic copy, which keeps identity.
import type { ChoicePoint, Job, Paused, Thread } from './engine.ts';
import type { Frame } from './frame.ts';
import type { World } from './model.ts';
import type { TraceEntry } from './trace.ts';

/**
 * Objects worked out from a scenario once and never part of a run's state — caches such as the
 * interpreter's op blocks (interp.ts) — each with a name that is the same in every process: forks
 * share them (they are not copied), and the explorer's state keys name them instead of writing out
 * their contents (src/engine/explore/state.ts).
 */
const DERIVED = new WeakMap<object, string>();

/**
 * Mark `o` as derived from the scenario (see DERIVED), under `name`. It must be frozen: forks share
 * it as they share every frozen object (Copier.known checks only that).
 */
export function derived<T extends object>(o: T, name: string): T {
  if (!Object.isFrozen(o)) throw new Error(`fork: derived object ${name} is not frozen`);
  DERIVED.set(o, name);
  return o;
}

/** The name of an object derived from the scenario, or undefined. */
export const derivedName = (o: object): string | undefined => DERIVED.get(o);

/** Every object reachable from `root` (for values that are never mutated, like a scenario). */
export function reachable(root: unknown, into = new WeakSet<object>()): WeakSet<object> {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v !== 'object' || v === null || into.has(v)) continue;
    into.add(v);
    if (v instanceof Map) for (const [k, x] of v) stack.push(k, x);
    else if (v instanceof Set) for (const x of v) stack.push(x);
    else for (const k of Object.keys(v)) stack.push((v as Record<string, unknown>)[k]);
  }
  return into;
}

/**
 * Copies one object graph: each object once (`seen` maps originals to their copies; an original
 * mapped to itself is shared), never the objects in `shared`, nor frozen ones (immutable: OP, the
 * scenario's frozen parts).
 */
export class Copier {
  readonly seen = new Map<object, object>();

  constructor(private readonly shared: WeakSet<object>) {}

  /** The copy shares `o`. */
  share(o: object): void {
    this.seen.set(o, o);
  }

  copy<T>(v: T): T {
    return typeof v === 'object' && v !== null ? (this.object(v) as T) : v;
  }

  /** The copy of `v` made earlier, or v itself when shared; undefined when it has none yet. */
  private known(v: object): object | undefined {
    const done = this.seen.get(v);
    if (done !== undefined) return done;
    // Derived objects (DERIVED) are frozen.
    if (Object.isFrozen(v) || this.shared.has(v)) return v;
    return undefined;
  }

  object(v: object): object {
    const done = this.known(v);
    if (done !== undefined) return done;
    const proto = Object.getPrototypeOf(v) as object | null;
    if (proto === Array.prototype) {
      const a = v as unknown[];
      const out = a.slice();
      this.seen.set(v, out);
      for (let i = 0; i < out.length; i++) {
        const x = out[i];
        if (typeof x === 'object' && x !== null) out[i] = this.object(x);
      }
      return out;
    }
    if (proto === Map.prototype) {
      const out = new Map();
      this.seen.set(v, out);
      for (const [k, x] of v as Map<unknown, unknown>) out.set(this.copy(k), this.copy(x));
      return out;
    }
    if (proto === Set.prototype) {
      const out = new Set();
      this.seen.set(v, out);
      for (const x of v as Set<unknown>) out.add(this.copy(x));
      return out;
    }
    // Plain objects (a spread keeps the keys, their order and the shape; a key named `__proto__` is
    // data, never the prototype setter), null-prototype dictionaries, class instances (their
    // methods live on the prototype).
    const out = (proto === Object.prototype ? { ...v } : Object.assign(Object.create(proto) as object, v)) as Record<string, unknown>;
    this.seen.set(v, out);
    for (const k in out) {
      const x = out[k];
      if (typeof x === 'object' && x !== null) out[k] = this.object(x);
    }
    return out;
  }

  /** An array only its holder refers to (never through an alias): a copy with no identity entry. */
  owned<T>(a: T[]): T[] {
    const out = a.slice();
    for (let i = 0; i < out.length; i++) {
      const x = out[i];
      if (typeof x === 'object' && x !== null) out[i] = this.object(x) as T;
    }
    return out;
  }

  /** A thread: its own arrays copied without identity entries (nothing else refers to them). */
  thread(t: Thread): Thread {
    const done = this.known(t);
    if (done !== undefined) return done as Thread;
    const out = { ...t };
    this.seen.set(t, out);
    out.jobs = t.jobs.slice();
    for (let i = 0; i < out.jobs.length; i++) out.jobs[i] = this.job(out.jobs[i]);
    if (t.job !== null) out.job = this.job(t.job);
    out.stack = this.owned(t.stack);
    if (t.wait !== null) out.wait = this.copy(t.wait);
    out.callbacks = t.callbacks.slice();
    // Frozen `{ component, routine }` records (interp.ts): shared.
    out.frames = t.frames.slice();
    out.ruleFrames = t.ruleFrames.slice();
    return out;
  }

  /** A job (engine.ts): its routine's frame, its result. */
  job(j: Job): Job {
    const done = this.seen.get(j);
    if (done !== undefined) return done as Job;
    const out = { ...j };
    this.seen.set(j, out);
    out.body = this.object(j.body) as Frame;
    if (typeof j.result === 'object' && j.result !== null) out.result = this.object(j.result);
    return out;
  }

  /**
   * The world (model.ts): its tables and lists of records, each record copied by a function of its
   * own type (one shape per copy site: V8 copies it fast) and entered in the identity map (frames
   * refer to records).
   */
  world(w: World): World {
    const out = { ...w };
    this.seen.set(w, out);
    out.processors = this.list(w.processors, (p) => ({ ...p }));
    out.memory = this.list(w.memory, (m) => ({ ...m }));
    out.devices = this.records(w.devices, (d) => {
      const c = { ...d };
      c.stack = d.stack.slice();
      c.classes = d.classes.slice();
      c.symlinks = d.symlinks.slice();
      return c;
    });
    out.deviceOrder = w.deviceOrder.slice();
    out.interfaces = this.records(w.interfaces, (i) => ({ ...i }));
    out.interfaceOrder = w.interfaceOrder.slice();
    out.components = this.records(w.components, (c) => {
      const o = { ...c };
      o.vars = this.object(c.vars) as typeof c.vars;
      return o;
    });
    out.registrations = this.records(w.registrations, (r) => {
      const o = { ...r };
      if (typeof r.context === 'object' && r.context !== null) o.context = this.object(r.context);
      o.inFlight = r.inFlight.slice();
      if (r.arrived) o.arrived = new Set(r.arrived);
      return o;
    });
    out.registrationOrder = w.registrationOrder.slice();
    out.handles = this.records(w.handles, (h) => ({ ...h }));
    out.allocations = this.records(w.allocations, (a) => ({ ...a }));
    out.workItems = this.records(w.workItems, (i) => ({ ...i }));
    out.events = this.list(w.events, (e) => {
      const o = { ...e };
      if (e.custom) o.custom = this.object(e.custom) as typeof e.custom;
      if (e.unit) o.unit = this.object(e.unit) as typeof e.unit;
      if (e.result) o.result = this.object(e.result) as typeof e.result;
      return o;
    });
    out.counters = this.records(w.counters, (n) => n);
    out.locks = this.records(w.locks, (l) => ({ ...l }));
    out.mutexes = new Map();
    for (const [k, m] of w.mutexes) out.mutexes.set(k, this.record(m, { ...m }));
    return out;
  }

  /** Record `r`'s copy `c` (made by a function that knows its type) in the identity map: unless r was copied before. */
  private record<R extends object>(r: R, c: R): R {
    const done = this.seen.get(r);
    if (done !== undefined) return done as R;
    this.seen.set(r, c);
    return c;
  }

  /** A list of the world's records (processors, memory, events), each copied by `copy`. */
  private list<R extends object>(from: R[], copy: (r: R) => R): R[] {
    const out = from.slice();
    for (let i = 0; i < out.length; i++) {
      const r = out[i];
      const done = this.seen.get(r);
      if (done !== undefined) out[i] = done as R;
      else this.seen.set(r, (out[i] = copy(r)));
    }
    return out;
  }

  /**
   * A table of the world (dict.ts `table`): its records copied by `copy` and entered in the
   * identity map (numbers kept as they are).
   */
  private records<R>(from: Record<string, R>, copy: (r: R) => R): Record<string, R> {
    const out = Object.create(Object.getPrototypeOf(from) as object | null) as Record<string, R>;
    for (const k in from) {
      const r = from[k];
      if (typeof r !== 'object' || r === null) {
        out[k] = r;
        continue;
      }
      const done = this.seen.get(r as object) as R | undefined;
      if (done !== undefined) out[k] = done;
      else this.seen.set(r as object, (out[k] = copy(r)) as object);
    }
    return out;
  }

  /** A choice point: its `runnable` and `next` are frozen (engine.ts), so shared. */
  point(p: ChoicePoint): ChoicePoint {
    const done = this.seen.get(p);
    if (done !== undefined) return done as ChoicePoint;
    const out = { ...p };
    this.seen.set(p, out);
    return out;
  }
}

/** Threads, mapped to their copies (the same copy wherever a thread is referred to). */
const threads = (a: Thread[], c: Copier): Thread[] => {
  const out = a.slice();
  for (let i = 0; i < out.length; i++) out[i] = c.thread(out[i]);
  return out;
};
const threadSet = (s: Set<Thread>, c: Copier): Set<Thread> => {
  const out = new Set<Thread>();
  for (const t of s) out.add(c.thread(t));
  return out;
};

/**
 * How the engine's fields that hold objects are copied (engine.ts), where the generic copy is not
 * what they need; `trace` and `lastEntry` are copied last (copyEngine).
 */
type FieldCopy = (v: never, c: Copier) => unknown;
const ENGINE_FIELDS = new Map<string, FieldCopy>(Object.entries({
  // Batches already handed over: final, shared.
  kept: (k: TraceEntry[][]) => k.slice(),
  paused: (p: Paused, c: Copier) => ({ ...p, point: c.point(p.point) }),
  pointHere: (p: ChoicePoint, c: Copier) => c.point(p),
  threads: (m: Map<string, Thread>, c: Copier) => {
    const out = new Map<string, Thread>();
    for (const [k, t] of m) out.set(k, c.thread(t));
    return out;
  },
  threadList: threads,
  runnableList: threads,
  fresh: threads,
  everyStep: threadSet,
  watching: (m: Map<Thread, string>, c: Copier) => {
    const out = new Map<Thread, string>();
    for (const [t, k] of m) out.set(c.thread(t), k);
    return out;
  },
  watchers: (m: Map<string, Set<Thread>>, c: Copier) => {
    const out = new Map<string, Set<Thread>>();
    for (const [k, s] of m) out.set(k, threadSet(s, c));
    return out;
  },
  current: (t: Thread, c: Copier) => c.thread(t),
  lastStepped: (t: Thread, c: Copier) => c.thread(t),
  choicesPerStep: (m: Map<number, number>) => new Map(m),
  jobs: (m: Map<number, Job>, c: Copier) => {
    const out = new Map<number, Job>();
    for (const [k, j] of m) out.set(k, c.job(j));
    return out;
  },
} satisfies Record<string, FieldCopy>));

/**
 * An empty array, Map or Set. An engine field holding one holds the engine's own (nothing else
 * refers to the engine's containers; the threads it lists are in `threads` too), so its copy is a
 * new empty one.
 */
const isEmpty = (v: object): boolean =>
  Array.isArray(v) ? v.length === 0 : v instanceof Map || v instanceof Set ? v.size === 0 : false;

/**
 * Fill `into`, a new engine made by the engine's own constructor (so it has the shape, and the
 * fast properties, of any engine: a copy built key by key would fall back to a slow dictionary), with
 * a copy of `from`'s fields: those holding objects copied by ENGINE_FIELDS or, for a field not named
 * there, generically; `scenario` and `world` were given to the constructor. The entries not handed
 * over yet come last: final and shared, but for a call entry whose handler is still running —
 * reached through its CallCtx, so already copied.
 */
export function copyEngine<E extends object>(from: E, into: E, c: Copier): E {
  const src = from as Record<string, unknown>;
  const out = into as Record<string, unknown>;
  c.seen.set(from, into);
  for (const k in src) {
    if (k === 'scenario' || k === 'world' || k === 'trace' || k === 'lastEntry') continue;
    const v = src[k];
    if (typeof v !== 'object' || v === null) out[k] = v;
    else if (isEmpty(v)) {
      // The engine's own empty container: the one the constructor made will do, else a new one.
      const made = out[k];
      if (!(typeof made === 'object' && made !== null && made.constructor === v.constructor && isEmpty(made) && !Object.isFrozen(made))) {
        out[k] = new (v.constructor as new () => object)();
      }
    } else {
      const f = ENGINE_FIELDS.get(k);
      out[k] = f ? f(v as never, c) : c.object(v);
    }
  }
  const trace = (src.trace as TraceEntry[]).slice();
  for (let i = 0; i < trace.length; i++) if (trace[i].type === 'call') trace[i] = (c.seen.get(trace[i]) as TraceEntry | undefined) ?? trace[i];
  out.trace = trace;
  const last = src.lastEntry as TraceEntry | null;
  out.lastEntry = last === null ? null : ((c.seen.get(last) as TraceEntry | undefined) ?? last);
  return into;
}

/**
 * A deep copy of `root`. `seen` maps originals to their copies, seeded with what is to be shared
 * (an object mapped to itself); objects in `shared` are never copied either.
 */
export function deepCopy<T>(root: T, seen: Map<object, object>, shared: WeakSet<object>): T {
  const c = new Copier(shared);
  for (const [k, v] of seen) c.seen.set(k, v);
  return c.copy(root);
}
