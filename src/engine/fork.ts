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
import type { ChoicePoint, Job, Paused, Progress, Thread } from './engine.ts';
import type { Frame, Routine } from './frame.ts';
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

/** Per routine (frame.ts), the locals of its frames that are never changed (see `immutableLocals`). */
const IMMUTABLE_LOCALS = new Map<Routine<never>, readonly string[]>();

/**
 * Declare that the objects in these locals of `routine`'s frames (and everything they hold) are
 * never changed once the frame is made, and hold nothing a run changes (no world record, thread or
 * job): a wait, a delivery's rule, a notification's arguments. A fork shares them instead of copying
 * them, frozen (so a change would throw instead of reaching another run).
 */
export function immutableLocals(routine: Routine<never>, ...locals: string[]): void {
  IMMUTABLE_LOCALS.set(routine, locals);
}

/**
 * A world record that is never changed again (an event processed, a handle closed): frozen, with
 * the objects it holds (an event's result, its custom event), so forks share it instead of copying
 * it (`Copier.records`, `Copier.list`) and a change would throw. Frames may go on referring to it:
 * it is the same object in every run.
 */
export function final(record: object): void {
  Object.freeze(record);
  for (const k of Object.keys(record)) {
    const x = (record as Record<string, unknown>)[k];
    if (typeof x === 'object' && x !== null) Object.freeze(x);
  }
}

/** Freeze `o` and what it holds (but the scenario's objects, never changed and shared anyway). */
function freezeDeep(o: object, shared: WeakSet<object>): object {
  if (Object.isFrozen(o) || shared.has(o)) return o;
  // A Map or Set stays changeable when frozen: none is held by an immutable local.
  if (o instanceof Map || o instanceof Set) throw new Error('fork: an immutable local holds a Map or Set');
  Object.freeze(o);
  for (const k of Object.keys(o)) {
    const x = (o as Record<string, unknown>)[k];
    if (typeof x === 'object' && x !== null) freezeDeep(x, shared);
  }
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
    // A frame (frame.ts): its immutable locals (immutableLocals) shared, frozen — unless copied
    // already, reached first from elsewhere in this copy.
    const fn = out.fn;
    const keep = typeof fn === 'function' ? IMMUTABLE_LOCALS.get(fn as Routine<never>) : undefined;
    for (const k in out) {
      const x = out[k];
      if (typeof x !== 'object' || x === null) continue;
      out[k] = keep !== undefined && keep.includes(k) ? this.seen.get(x) ?? freezeDeep(x, this.shared) : this.object(x);
    }
    return out;
  }

  /**
   * A component's variables: a dictionary only its component refers to (interp.ts reads and writes
   * it through `act.component.vars`, never keeps it), so copied without an identity entry; the
   * values it holds may be referred to elsewhere (a list a frame holds too) and keep their identity.
   */
  vars(v: Record<string, unknown>): Record<string, unknown> {
    const out = Object.create(Object.getPrototypeOf(v) as object | null) as Record<string, unknown>;
    for (const k in v) {
      const x = v[k];
      out[k] = typeof x === 'object' && x !== null ? this.object(x) : x;
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

  /**
   * A thread: its own arrays copied without identity entries (nothing else refers to them). A
   * dormant thread is shared instead, frozen (see `dormant`).
   */
  thread(t: Thread): Thread {
    const done = this.known(t);
    if (done !== undefined) return done as Thread;
    if (dormant(t)) return share(t);
    // Built whole, in a thread's key order (Engine.thread_; `inCompletion` comes last when a thread
    // has one): a spread at a site that sees several thread shapes costs more. Entered in the
    // identity map before its jobs and frames are copied (activations refer to their thread).
    const out: Thread = {
      name: t.name, order: t.order, service: t.service, jobs: t.jobs, job: t.job, stack: t.stack, status: t.status,
      wait: t.wait, since: t.since, irql: t.irql, callbacks: t.callbacks.slice(),
      // Frozen `{ component, routine }` records (interp.ts): shared.
      frames: t.frames.slice(), ruleFrames: t.ruleFrames.slice(), pendingOp: t.pendingOp, pendingSpec: t.pendingSpec,
    };
    if (t.inCompletion !== undefined) out.inCompletion = t.inCompletion;
    this.seen.set(t, out);
    out.jobs = t.jobs.slice();
    for (let i = 0; i < out.jobs.length; i++) out.jobs[i] = this.job(out.jobs[i]);
    if (t.job !== null) out.job = this.job(t.job);
    out.stack = this.owned(t.stack);
    // A wait is data, never changed once made (model.ts Wait): shared, frozen.
    if (t.wait !== null) out.wait = (this.seen.get(t.wait) as typeof t.wait | undefined) ?? (freezeDeep(t.wait, this.shared) as typeof t.wait);
    return out;
  }

  /** A job (engine.ts): its routine's frame, its result. */
  job(j: Job): Job {
    const done = this.seen.get(j);
    if (done !== undefined) return done as Job;
    // Built whole, as Engine.submit makes a job (one shape for every job, copied or not).
    const out: Job = { id: j.id, label: j.label, body: j.body, done: j.done, result: j.result };
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
    // Built whole, in the world's key order (index.ts createWorld): a spread, then each field
    // replaced, costs more.
    // The world is the first thing a fork copies (Engine.fork: nothing but the scenario and the
    // engine's shared parts in the identity map yet), and processors, memory, devices and
    // interfaces hold nothing the generic copy reaches, nor is any of them ever frozen (`final`):
    // so their records are copied first, without asking the identity map whether they were copied
    // already (`fresh`). Tables after the components' `vars` may meet a record copied before.
    const out: World = {
      maxProcessors: w.maxProcessors,
      processors: this.freshList(w.processors, copyProcessor),
      memory: this.freshList(w.memory, copyMemory),
      devices: this.fresh(w.devices, copyDevice),
      deviceOrder: w.deviceOrder.slice(),
      interfaces: this.fresh(w.interfaces, copyInterface),
      interfaceOrder: w.interfaceOrder.slice(),
      // Built whole, as createWorld makes a component (index.ts: one shape for every component).
      components: this.records(w.components, (c) => ({
        id: c.id, kind: c.kind, state: c.state, vars: this.vars(c.vars), holds: c.holds, unloadReturned: c.unloadReturned,
      })),
      registrations: this.records(w.registrations, (r) => {
        const o = { ...r };
        if (typeof r.context === 'object' && r.context !== null) o.context = this.object(r.context);
        o.inFlight = r.inFlight.slice();
        if (r.arrived) o.arrived = new Set(r.arrived);
        return o;
      }),
      registrationOrder: w.registrationOrder.slice(),
      handles: this.records(w.handles, (h) => ({ ...h })),
      allocations: this.records(w.allocations, (a) => ({ ...a })),
      workItems: this.records(w.workItems, (i) => ({ ...i })),
      events: this.list(w.events, (e) => {
        const o = { ...e };
        if (e.custom) o.custom = this.object(e.custom) as typeof e.custom;
        if (e.unit) o.unit = this.object(e.unit) as typeof e.unit;
        if (e.result) o.result = this.object(e.result) as typeof e.result;
        return o;
      }),
      counters: this.records(w.counters, (n) => n),
      locks: this.records(w.locks, (l) => ({ ...l })),
      mutexes: new Map(),
    };
    this.seen.set(w, out);
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

  /** A list of records none of which can have been copied yet, nor be frozen (see `world`): each copied by `copy`. */
  private freshList<R extends object>(from: R[], copy: (r: R) => R): R[] {
    const out = from.slice();
    for (let i = 0; i < out.length; i++) {
      const r = out[i];
      this.seen.set(r, (out[i] = copy(r)));
    }
    return out;
  }

  /** A table of records none of which can have been copied yet, nor be frozen (see `world`): each copied by `copy`. */
  private fresh<R extends object>(from: Record<string, R>, copy: (r: R) => R): Record<string, R> {
    const out = Object.create(Object.getPrototypeOf(from) as object | null) as Record<string, R>;
    for (const k in from) {
      const r = from[k];
      this.seen.set(r, (out[k] = copy(r)));
    }
    return out;
  }

  /** A list of the world's records (processors, memory, events), each copied by `copy`. */
  private list<R extends object>(from: R[], copy: (r: R) => R): R[] {
    const out = from.slice();
    for (let i = 0; i < out.length; i++) {
      const r = out[i];
      const done = this.seen.get(r);
      if (done !== undefined) out[i] = done as R;
      else if (!Object.isFrozen(r)) this.seen.set(r, (out[i] = copy(r)));
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
      else if (Object.isFrozen(r)) out[k] = r;
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

// The first records `Copier.world` copies, each by a function of its own (one shape per copy site).
type W = World;
const copyProcessor = (p: W['processors'][number]): W['processors'][number] => ({ ...p });
const copyMemory = (m: W['memory'][number]): W['memory'][number] => ({ ...m });
const copyInterface = (i: W['interfaces'][string]): W['interfaces'][string] => ({ ...i });
function copyDevice(d: W['devices'][string]): W['devices'][string] {
  const c = { ...d };
  c.stack = d.stack.slice();
  c.classes = d.classes.slice();
  c.symlinks = d.symlinks.slice();
  return c;
}

/**
 * A thread with nothing to do and nothing on it: idle or done, no job, nothing on its stack or
 * queued, no wait, no callback or routine open. About half of a paused run's threads (the service
 * threads between jobs). Nothing refers to one but the engine's thread table, its list of threads
 * and `current`/`lastStepped` (a job's frames refer to their own thread, and it has none), and only
 * `Engine.submit` and `Engine.killAppThreads` change one: so a fork shares it, frozen, arrays and
 * all, and the engine that first changes it makes its own copy there (`Engine.own`). Frozen, a
 * change anywhere else would throw instead of reaching another engine.
 */
function dormant(t: Thread): boolean {
  return (t.status === 'idle' || t.status === 'done') && t.job === null && t.wait === null && t.stack.length === 0 && t.jobs.length === 0 &&
    t.callbacks.length === 0 && t.frames.length === 0 && t.ruleFrames.length === 0;
}

function share(t: Thread): Thread {
  Object.freeze(t.jobs);
  Object.freeze(t.stack);
  Object.freeze(t.callbacks);
  Object.freeze(t.frames);
  Object.freeze(t.ruleFrames);
  return Object.freeze(t);
}

/** The engine's fields (engine.ts `Engine`, most of them private there), as `copyEngine` copies them. */
interface EngineFields {
  trace: TraceEntry[];
  handedOver: number;
  kept: TraceEntry[][] | null;
  progress: Progress;
  paused: Paused | null;
  lastEntry: TraceEntry | null;
  sink: unknown;
  threads: Map<string, Thread>;
  threadList: Thread[];
  runnableList: Thread[];
  threadsCreated: number;
  wakeups: number;
  watchers: Map<string, Set<Thread>>;
  watching: Map<Thread, string>;
  everyStep: Set<Thread>;
  fresh: Thread[];
  recheckAll: boolean;
  lastStepped: Thread | null;
  step: number;
  halted: boolean;
  opCount: number;
  tick: number;
  jobIds: number;
  jobs: Map<number, Job>;
  current: Thread | null;
  overrides: Map<string, object>;
  overridesAt: Map<number, object>;
  choiceStep: number;
  choiceCount: number;
  scheduleErrors: object[];
  choices: ChoicePoint[];
  choicesPerStep: Map<number, number>;
  visitedBoundary: number;
  pointHere: ChoicePoint | undefined;
  triggers: object[];
  currentEvent: number | null;
  limits: object;
  handlers: unknown;
  limitReached: unknown;
  explorer: unknown;
}

/** Threads, mapped to their copies (the same copy wherever a thread is referred to). */
function threads(a: Thread[], c: Copier): Thread[] {
  const out = a.slice();
  for (let i = 0; i < out.length; i++) out[i] = c.thread(out[i]);
  return out;
}

function threadSet(s: Set<Thread>, c: Copier): Set<Thread> {
  const out = new Set<Thread>();
  for (const t of s) out.add(c.thread(t));
  return out;
}

/**
 * Fill `into`, a new engine made by the engine's own constructor (so it has the shape, and the
 * fast properties, of any engine: a copy built key by key would fall back to a slow dictionary), with
 * a copy of `from`'s fields, field by field (`EngineFields`; fork.test.ts checks that the copy has
 * every field of the original, equal): the engine's own containers copied by shape (an empty one:
 * the one the constructor made), what else holds objects generically. `scenario`, `world`,
 * `handlers` and `explorer` were given to the constructor; the limits and the batches handed over
 * are shared. The entries not handed over yet come last: final and shared, but for a call entry
 * whose handler is still running — reached through its CallCtx, so already copied.
 */
export function copyEngine<E extends object>(from: E, into: E, c: Copier): E {
  const a = from as unknown as EngineFields;
  const b = into as unknown as EngineFields;
  c.seen.set(from, into);
  b.handedOver = a.handedOver;
  b.kept = a.kept === null ? null : a.kept.slice();
  const p = a.progress;
  b.progress = { phase: p.phase, next: p.next, settling: p.settling, flushAfter: p.flushAfter };
  if (a.paused !== null) b.paused = { point: c.point(a.paused.point), pick: a.paused.pick, continuing: a.paused.continuing };
  b.sink = a.sink;
  // Values only (no entry pairs made): the table is keyed by each thread's name, jobs by their id.
  for (const t of a.threads.values()) b.threads.set(t.name, c.thread(t));
  b.threadList = threads(a.threadList, c);
  b.runnableList = threads(a.runnableList, c);
  b.threadsCreated = a.threadsCreated;
  b.wakeups = a.wakeups;
  for (const [k, s] of a.watchers) b.watchers.set(k, threadSet(s, c));
  for (const [t, k] of a.watching) b.watching.set(c.thread(t), k);
  for (const t of a.everyStep) b.everyStep.add(c.thread(t));
  if (a.fresh.length > 0) b.fresh = threads(a.fresh, c);
  b.recheckAll = a.recheckAll;
  b.lastStepped = a.lastStepped === null ? null : c.thread(a.lastStepped);
  b.step = a.step;
  b.halted = a.halted;
  b.opCount = a.opCount;
  b.tick = a.tick;
  b.jobIds = a.jobIds;
  for (const j of a.jobs.values()) b.jobs.set(j.id, c.job(j));
  b.current = a.current === null ? null : c.thread(a.current);
  // A scenario's own `schedule` (never with the explorer): its overrides record where they were used.
  if (a.overrides.size > 0) b.overrides = c.object(a.overrides) as typeof a.overrides;
  if (a.overridesAt.size > 0) b.overridesAt = c.object(a.overridesAt) as typeof a.overridesAt;
  b.choiceStep = a.choiceStep;
  b.choiceCount = a.choiceCount;
  if (a.scheduleErrors.length > 0) b.scheduleErrors = c.object(a.scheduleErrors) as object[];
  // None kept with `keep` (engine.ts).
  if (a.choices.length > 0) b.choices = c.object(a.choices) as ChoicePoint[];
  if (a.choicesPerStep.size > 0) b.choicesPerStep = new Map(a.choicesPerStep);
  b.visitedBoundary = a.visitedBoundary;
  b.pointHere = a.pointHere === undefined ? undefined : c.point(a.pointHere);
  if (a.triggers.length > 0) b.triggers = c.object(a.triggers) as object[];
  b.currentEvent = a.currentEvent;
  b.limits = a.limits;
  b.limitReached = a.limitReached;
  const trace = a.trace.slice();
  for (let i = 0; i < trace.length; i++) if (trace[i].type === 'call') trace[i] = (c.seen.get(trace[i]) as TraceEntry | undefined) ?? trace[i];
  b.trace = trace;
  const last = a.lastEntry;
  b.lastEntry = last === null ? null : ((c.seen.get(last) as TraceEntry | undefined) ?? last);
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
