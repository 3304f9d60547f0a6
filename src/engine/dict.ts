// Maps keyed by scenario data (ids, variable names, class names) are prototype-free: a name such as
// `toString`, `constructor` or `__proto__` is just a key — never an inherited member, never the
// prototype. The lint rule in eslint.config.js keeps `Record<string, …>` literals out of src/.

/** An empty prototype-free record. */
export const dict = <T>(): Record<string, T> => Object.create(null) as Record<string, T>;

/** A prototype-free copy of a record's own enumerable entries (a constant table, or scenario data). */
export function dictOf<T>(from: Readonly<Record<string, T>> | undefined): Record<string, T> {
  const out = dict<T>();
  if (from) for (const k of Object.keys(from)) out[k] = from[k];
  return out;
}

/**
 * The prototype of `table()`: an object with no members at all (itself prototype-free, frozen).
 * A table's only properties are its own, as a null-prototype record's are — a name such as
 * `__proto__` is a key, never the prototype setter, which lives on Object.prototype — but V8 keeps
 * a table's properties fast where it turns every null-prototype object into a slow dictionary:
 * tables are several times faster to read, and to copy when a run is forked (fork.ts).
 */
const NO_MEMBERS: object = Object.freeze(Object.create(null) as object);

/** An empty prototype-free table (see NO_MEMBERS): the engine's world keeps its records by id in these. */
export const table = <T>(): Record<string, T> => Object.create(NO_MEMBERS) as Record<string, T>;

/** A table (see `table`) with a record's own enumerable entries. */
export function tableOf<T>(from: Readonly<Record<string, T>> | undefined): Record<string, T> {
  const out = table<T>();
  if (from) for (const k of Object.keys(from)) out[k] = from[k];
  return out;
}

/** The own property `key` of `record`, or undefined (never an inherited one). */
export const own = <T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined =>
  record !== undefined && Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
