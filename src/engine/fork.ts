// Forking a run (docs/explore.md "Forking"): a copy of the engine's whole state at a choice point —
// world, threads and their frames, queues, trace not yet handed over, counters — that resumes
// exactly where the original would. An identity-preserving deep copy: an object reached twice is
// copied once (a frame and the world share a registration, so do their copies); prototypes are kept
// (null-prototype dictionaries, class instances); functions are copied by reference (routines are
// module-level functions, never closures over state, see frame.ts). What never changes while a run
// goes on — the scenario and everything in it, the API handlers, the entries already handed over —
// is shared, not copied.

/**
 * Objects worked out from a scenario once and never part of a run's state — caches such as the
 * interpreter's op blocks (interp.ts) — each with a name that is the same in every process: forks
 * share them (they are not copied), and the explorer's state keys name them instead of writing out
 * their contents (src/engine/explore/state.ts).
 */
const DERIVED = new WeakMap<object, string>();

/** Mark `o` as derived from the scenario (see DERIVED), under `name`. */
export function derived<T extends object>(o: T, name: string): T {
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
 * A deep copy of `root`. `seen` maps originals to their copies, seeded with what is to be shared
 * (an object mapped to itself); objects in `shared` are never copied either.
 */
export function deepCopy<T>(root: T, seen: Map<object, object>, shared: WeakSet<object>): T {
  const copy = (v: unknown): unknown => {
    if (typeof v !== 'object' || v === null) return v;
    const done = seen.get(v);
    if (done !== undefined) return done;
    if (shared.has(v) || DERIVED.has(v)) return v;
    const proto = Object.getPrototypeOf(v) as object | null;
    if (proto === Array.prototype) {
      const a = v as unknown[];
      const out: unknown[] = new Array(a.length);
      seen.set(v, out);
      for (let i = 0; i < a.length; i++) out[i] = copy(a[i]);
      return out;
    }
    if (proto === Map.prototype) {
      const out = new Map();
      seen.set(v, out);
      for (const [k, x] of v as Map<unknown, unknown>) out.set(copy(k), copy(x));
      return out;
    }
    if (proto === Set.prototype) {
      const out = new Set();
      seen.set(v, out);
      for (const x of v as Set<unknown>) out.add(copy(x));
      return out;
    }
    // Plain objects, null-prototype dictionaries, class instances (their methods live on the prototype).
    const out = (proto === Object.prototype ? {} : Object.create(proto)) as Record<string, unknown>;
    seen.set(v, out);
    const o = v as Record<string, unknown>;
    for (const k in o) {
      const x = copy(o[k]);
      // A key named `__proto__` is data (a scenario's names are just names): never the prototype setter.
      if (k === '__proto__') Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true });
      else out[k] = x;
    }
    return out;
  };
  return copy(root) as T;
}
