// Keep the previous object for items whose look did not change, so React Flow (and memoised
// node components) skip them: stepping a 256-processor machine re-renders only what changed.
export class ReuseCache<T> {
  private entries = new Map<string, { key: string; value: T }>();

  /** One pass: for each (id, key) reuse the old value when the key is unchanged, else make a new one. */
  pass(): { get(id: string, key: string, make: () => T): T; done(): void } {
    const next = new Map<string, { key: string; value: T }>();
    return {
      get: (id, key, make) => {
        const old = this.entries.get(id);
        const value = old && old.key === key ? old.value : make();
        next.set(id, { key, value });
        return value;
      },
      done: () => {
        this.entries = next;
      },
    };
  }
}
