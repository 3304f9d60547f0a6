// State keys (docs/explore.md "Pruning seen states"): equal keys for equal states, one digest for one
// state however it aliases, and states told apart by key even when their digests are the same.
import { describe, expect, it } from 'vitest';
import { DEMOS } from '../../scenario/demos/index.ts';
import { load } from '../../scenario/load.ts';
import type { NormalizedScenario } from '../../scenario/types.ts';
import { proceed, startRun } from '../index.ts';
import { StateKeys, StateTable, type StateKey } from './state.ts';

const scenario = (id: string): NormalizedScenario => {
  const l = load(DEMOS.find((d) => d.id === id)!.scenario);
  if (!l.ok) throw new Error('invalid demo');
  return { ...l.scenario, schedule: [] };
};

describe('StateKeys', () => {
  it('keys a copy of a paused run as the run itself, and every choice point of the default run apart', () => {
    const s = scenario('seed002-recipe');
    const keys = new StateKeys(s);
    const run = startRun(s, { explorer: { step() {}, choose: () => 'pause' }, keep: true });
    const digests = new Set<string>();
    let points = 0;
    while (run.paused) {
      const key = keys.key(run);
      const copy = keys.key(run.fork());
      expect(keys.digest(copy)).toBe(keys.digest(key));
      expect([...copy.codes]).toEqual([...key.codes]);
      // The same state keyed again: the same key (the walk keeps nothing from one key to the next).
      expect([...keys.key(run).codes]).toEqual([...key.codes]);
      digests.add(keys.digest(key));
      points++;
      run.resume(run.paused.pick);
      proceed(run);
    }
    expect(points).toBeGreaterThan(5);
    expect(digests.size).toBe(points); // the seq of the next entry alone tells them apart
  });

  it('writes the preemptions made so far into the key', () => {
    const s = scenario('seed003-non-ex-window');
    const keys = new StateKeys(s);
    const run = startRun(s, { explorer: { step() {}, choose: () => 'pause' }, keep: true });
    expect(run.paused).not.toBeNull();
    expect(keys.digest(keys.key(run, 0))).not.toBe(keys.digest(keys.key(run, 1)));
  });
});

describe('StateTable', () => {
  it('finds a state by its key, and keeps two keys that share a digest apart', () => {
    const table = new StateTable<string>();
    const a: StateKey = { codes: Uint16Array.of(1, 2, 3), digest: '00000000000000ff' };
    const b: StateKey = { codes: Uint16Array.of(1, 2, 4), digest: '00000000000000ff' };
    table.set(a, 'a');
    expect(table.get(b)).toBeUndefined();
    table.set(b, 'b');
    expect(table.get({ codes: Uint16Array.of(1, 2, 3), digest: a.digest })).toBe('a');
    expect(table.get(b)).toBe('b');
    table.set(a, 'a again');
    expect(table.get(a)).toBe('a again');
    expect(table.get({ codes: Uint16Array.of(1, 2, 3), digest: '0000000000000000' })).toBeUndefined();
  });
});
