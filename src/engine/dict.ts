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

/** The own property `key` of `record`, or undefined (never an inherited one). */
export const own = <T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined =>
  record !== undefined && Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
