// Values numbered in the order they are first met: equal keys get one number, and the number gives
// the value back. The explorer's keys and outcomes are made of such numbers (state.ts, outcome.ts),
// local to one exploration.

export class Numbering<K, V = K> {
  private readonly numbers = new Map<K, number>();
  private readonly values: V[] = [];

  /** The number of `key`; a new one, standing for `value` (by default the key itself), on first sight. */
  of(key: K, value: V = key as unknown as V): number {
    let n = this.numbers.get(key);
    if (n === undefined) {
      this.numbers.set(key, (n = this.values.length));
      this.values.push(value);
    }
    return n;
  }

  /** The value numbered `n`. */
  at(n: number): V {
    return this.values[n];
  }

  /** How many values are numbered (0 to size − 1). */
  get size(): number {
    return this.values.length;
  }
}
