// State keys (docs/explore.md "Pruning seen states"): equal keys for equal states, one digest for one
// state however it aliases, and states told apart by key even when their digests are the same.
import { describe, expect, it } from 'vitest';
import { DEMOS } from '../../scenario/demos/index.ts';
import { load } from '../../scenario/load.ts';
import type { NormalizedScenario } from '../../scenario/types.ts';
import type { Engine } from '../engine.ts';
import { derivedName, reachable } from '../fork.ts';
import { proceed, startRun } from '../index.ts';
import { ForeignKeys, keyMark, StateKeys, StateTable, type StateKey } from './state.ts';

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

describe('keys read by another worker (StateKeys.matches)', () => {
  /** Every choice point of the default run of `s`, keyed by `keys`. */
  const defaultRunKeys = (s: NormalizedScenario, keys: StateKeys): StateKey[] => {
    const run = startRun(s, { explorer: { step() {}, choose: () => 'pause' }, keep: true });
    const out: StateKey[] = [];
    while (run.paused) {
      out.push(keys.key(run));
      run.resume(run.paused.pick);
      proceed(run);
    }
    return out;
  };

  it('a key made in another numbering is the same key; a key of another state is not', () => {
    const s = scenario('seed002-recipe');
    // The sender numbers strings and functions in the order of another scenario's states first.
    const sender = new StateKeys(s);
    defaultRunKeys(scenario('seed003-non-ex-window'), sender);
    const sent = defaultRunKeys(s, sender);
    const receiver = new StateKeys(s);
    const ours = defaultRunKeys(s, receiver);
    expect(ours.length).toBe(sent.length);
    const from = new ForeignKeys();
    from.add(sender.definitions(keyMark()));
    // The numberings differ (so a code-for-code comparison would not do), yet each state is found.
    expect(sent.some((k, i) => k.codes.length !== ours[i].codes.length || k.codes.some((c, j) => c !== ours[i].codes[j]))).toBe(true);
    for (const [i, key] of ours.entries()) {
      expect(key.digest).toBe(sent[i].digest);
      for (const [j, other] of sent.entries()) expect(receiver.matches(key, from, other.codes, 0, other.codes.length)).toBe(i === j);
    }
  });

  it('a string or function the receiver has not numbered never matches, nor does a description two functions share', () => {
    const s = scenario('seed003-non-ex-window');
    const first = (keys: StateKeys) => keys.key(startRun(s, { explorer: { step() {}, choose: () => 'pause' }, keep: true }));
    const sender = new StateKeys(s);
    const key = first(sender);
    const receiver = new StateKeys(s);
    const ours = first(receiver);
    const from = new ForeignKeys();
    const defs = sender.definitions(keyMark());
    // A sender that numbered one of its strings as another text: not the same key.
    from.add({ ...defs, strings: defs.strings.map((t, i) => (i === defs.strings.length - 1 ? `${t}?` : t)) });
    expect(receiver.matches(ours, from, key.codes, 0, key.codes.length)).toBe(false);
    // Two of the sender's functions described alike: neither is read as one of ours.
    const twice = new ForeignKeys();
    twice.add({ strings: defs.strings, identities: [...defs.identities, defs.identities[0]] });
    expect(receiver.matches(ours, twice, key.codes, 0, key.codes.length)).toBe(false);
    const right = new ForeignKeys();
    right.add(defs);
    expect(receiver.matches(ours, right, key.codes, 0, key.codes.length)).toBe(true);
  });
});

describe('StateTable', () => {
  it('finds a state by its key, and keeps two keys that share a digest apart', () => {
    const table = new StateTable<string>();
    const a: StateKey = { codes: Uint16Array.of(1, 2, 3), digest: '00000000000000ff', high: 0, low: 0xff };
    const b: StateKey = { codes: Uint16Array.of(1, 2, 4), digest: '00000000000000ff', high: 0, low: 0xff };
    table.set(a, 'a');
    expect(table.get(b)).toBeUndefined();
    table.set(b, 'b');
    expect(table.get({ ...a, codes: Uint16Array.of(1, 2, 3) })).toBe('a');
    expect(table.get(b)).toBe('b');
    table.set(a, 'a again');
    expect(table.get(a)).toBe('a again');
    expect(table.get({ codes: Uint16Array.of(1, 2, 3), digest: '0000000000000000', high: 0, low: 0 })).toBeUndefined();
  });
});

describe('what a key writes in place, with no number, has one holder', () => {
  /** How many references the state a key walks (the engine but for what records the past or is shared) holds to each object. */
  const references = (run: Engine): Map<object, number> => {
    const shared = reachable(run.scenario);
    const leftOut = new Set(['trace', 'kept', 'lastEntry', 'scenario', 'handlers', 'limits', 'explorer', 'sink']);
    const refs = new Map<object, number>();
    const stack: unknown[] = [run];
    while (stack.length > 0) {
      const v = stack.pop();
      if (typeof v !== 'object' || v === null || shared.has(v) || derivedName(v) !== undefined) continue;
      const n = refs.get(v);
      refs.set(v, (n ?? 0) + 1);
      if (n !== undefined) continue;
      if (v instanceof Map) for (const [k, x] of v) stack.push(k, x);
      else if (v instanceof Set) for (const x of v) stack.push(x);
      else for (const k of Object.keys(v)) if (v !== run || !leftOut.has(k)) stack.push((v as Record<string, unknown>)[k]);
    }
    return refs;
  };

  it.each(DEMOS.map((d) => d.id))('%s: at its choice points, the world, the run\'s progress, the engine\'s own lists and maps, a choice point\'s parts and a component\'s vars', (id) => {
    const s = scenario(id);
    let budget = 40;
    const visit = (run: Engine): void => {
      while (run.paused && budget-- > 0) {
        const refs = references(run);
        const e = run as unknown as Record<string, object>;
        const point = run.paused.point;
        const only = [
          run.world, run.progress, e.overrides, e.overridesAt, run.scheduleErrors, e.choices, e.triggers,
          point.runnable, point.next, ...point.next, ...Object.values(run.world.components).map((c) => c.vars),
        ];
        for (const o of only) expect(refs.get(o)).toBe(1);
        for (const name of point.runnable.slice(1)) {
          const copy = run.fork();
          copy.resume(name);
          proceed(copy);
          visit(copy);
        }
        run.resume(run.paused.pick);
        proceed(run);
      }
    };
    visit(startRun(s, { explorer: { step() {}, choose: () => 'pause' }, keep: true }));
  });
});
