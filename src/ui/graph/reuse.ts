// Keep the previous object for items whose look did not change, so React Flow (and memoised
// node components) skip them: stepping a 256-processor machine re-renders only what changed.
export class ReuseCache<T> {
  private entries = new Map<string, { key: string; value: T }>();

  private list = new StableList<T>();

  /**
   * One pass: for each (id, key) reuse the old value when the key is unchanged, else make a new one.
   * `done(items)` returns the previous pass's array when it holds the same items in the same order,
   * so React Flow, which updates its store whenever the array changes, skips an update that changes nothing.
   */
  pass(): { get(id: string, key: string, make: () => T): T; done(items: T[]): T[] } {
    const next = new Map<string, { key: string; value: T }>();
    return {
      get: (id, key, make) => {
        const old = this.entries.get(id);
        const value = old && old.key === key ? old.value : make();
        next.set(id, { key, value });
        return value;
      },
      done: (items) => {
        this.entries = next;
        return this.list.keep(items);
      },
    };
  }
}

/** The last list handed out, kept while a new one holds the same objects in the same order (so a consumer keyed on the array skips an update). */
export class StableList<T> {
  private list: T[] = [];

  keep(items: T[]): T[] {
    const prev = this.list;
    if (prev.length !== items.length || items.some((x, i) => x !== prev[i])) this.list = items;
    return this.list;
  }
}
