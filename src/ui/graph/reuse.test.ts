import { describe, expect, it } from 'vitest';
import { ReuseCache, StableList } from './reuse.ts';

describe('ReuseCache', () => {
  const run = (cache: ReuseCache<{ id: string; v: number }>, items: [string, number][]) => {
    const pass = cache.pass();
    return pass.done(items.map(([id, v]) => pass.get(id, String(v), () => ({ id, v }))));
  };

  it('keeps the object of an item whose key did not change, and makes a new one when it did', () => {
    const cache = new ReuseCache<{ id: string; v: number }>();
    const a = run(cache, [['a', 1], ['b', 1]]);
    const b = run(cache, [['a', 1], ['b', 2]]);
    expect(b[0]).toBe(a[0]);
    expect(b[1]).not.toBe(a[1]);
    expect(b[1]).toEqual({ id: 'b', v: 2 });
  });

  it('returns the previous array when a pass changes nothing, a new one when an item, the order or the length changes', () => {
    const cache = new ReuseCache<{ id: string; v: number }>();
    const first = run(cache, [['a', 1], ['b', 1]]);
    expect(run(cache, [['a', 1], ['b', 1]])).toBe(first);
    const changed = run(cache, [['a', 1], ['b', 2]]);
    expect(changed).not.toBe(first);
    const reordered = run(cache, [['b', 2], ['a', 1]]);
    expect(reordered).not.toBe(changed);
    expect(reordered.map((x) => x.id)).toEqual(['b', 'a']);
    const shorter = run(cache, [['b', 2]]);
    expect(shorter).not.toBe(reordered);
    expect(shorter).toHaveLength(1);
  });
});

describe('StableList', () => {
  it('hands out the previous array while a new one holds the same objects in the same order', () => {
    const a = { id: 'a' };
    const b = { id: 'b' };
    const list = new StableList<{ id: string }>();
    const first = list.keep([a, b]);
    expect(list.keep([a, b])).toBe(first);
    const swapped = list.keep([b, a]);
    expect(swapped).not.toBe(first);
    expect(list.keep([b, { id: 'a' }])).not.toBe(swapped);
    expect(list.keep([])).toEqual([]);
  });
});
