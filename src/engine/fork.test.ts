// Forking a run (docs/explore.md "Forking"): a copy of a run paused at a choice point resumes exactly
// as the run itself would, and the original is unaffected by what the copy does.
import { describe, expect, it } from 'vitest';
import { DEMOS } from '../scenario/demos/index.ts';
import { load } from '../scenario/load.ts';
import type { NormalizedScenario } from '../scenario/types.ts';
import { deepCopy, derivedName, reachable } from './fork.ts';
import { proceed, runScenario, startRun } from './index.ts';
import type { Engine } from './engine.ts';

describe('deepCopy', () => {
  it('copies once what is reached twice, keeps prototypes and data keys named __proto__, shares what it is told to', () => {
    class Box {
      constructor(readonly v: number) {}
      twice() {
        return this.v * 2;
      }
    }
    const shared = { big: true };
    const inner = { n: 1 };
    const dict = Object.create(null) as Record<string, unknown>;
    dict.__proto__ = 'a name';
    const plain = JSON.parse('{"__proto__": {"x": 1}}') as Record<string, unknown>;
    const root = { a: inner, b: [inner, new Box(3)], m: new Map([[inner, new Set([inner])]]), dict, plain, shared, f: () => 1 };
    const seen = new Map<object, object>([[shared, shared]]);
    const c = deepCopy(root, seen, new WeakSet());
    expect(c.a).not.toBe(inner);
    expect(c.a).toEqual(inner);
    expect(c.b[0]).toBe(c.a);
    expect([...c.m.keys()][0]).toBe(c.a);
    expect([...[...c.m.values()][0]][0]).toBe(c.a);
    expect((c.b[1] as Box).twice()).toBe(6);
    expect(Object.getPrototypeOf(c.dict)).toBe(null);
    expect(c.dict.__proto__).toBe('a name');
    expect(Object.getPrototypeOf(c.plain)).toBe(Object.prototype);
    expect(Object.hasOwn(c.plain, '__proto__')).toBe(true);
    expect(c.shared).toBe(shared);
    expect(c.f).toBe(root.f);
  });
});

const normalized = (s: unknown): NormalizedScenario => {
  const l = load(s);
  if (!l.ok) throw new Error('invalid demo');
  return l.scenario;
};

const pausing = (s: NormalizedScenario) => startRun(s, { explorer: { step() {}, choose: () => 'pause' }, keep: true });

describe('Engine.fork', () => {
  it.each(['seed003-non-ex-window', 'seed002-surprise', 'mistake-context-freed-early'])('%s: at every choice point of the default run, a copy resumed with any runnable thread ends as a run with that schedule', (id) => {
    // The demo's own schedule aside: every choice takes the default unless the test says otherwise.
    const s = { ...normalized(DEMOS.find((d) => d.id === id)!.scenario), schedule: [] };
    const run = pausing(s);
    let points = 0;
    while (run.paused) {
      const { point, pick } = run.paused;
      const before = JSON.stringify(run.entriesFrom(0));
      for (const name of point.runnable) {
        const copy: Engine = run.fork();
        copy.resume(name);
        proceed(copy);
        // Later choice points take the default: a copy run to its end is the run whose schedule names this one choice.
        while (copy.paused) {
          copy.resume(copy.paused.pick);
          proceed(copy);
        }
        const expected = runScenario({ ...s, schedule: name === pick ? [] : [{ step: point.step, choice: point.choice, run: name }] });
        if (!expected.ok) throw new Error('schedule');
        expect(JSON.stringify(copy.entriesFrom(0))).toBe(JSON.stringify(expected.trace));
      }
      // The copies changed nothing of the original.
      expect(JSON.stringify(run.entriesFrom(0))).toBe(before);
      run.resume(pick);
      proceed(run);
      points++;
    }
    expect(points).toBeGreaterThan(0);
    expect(JSON.stringify(run.entriesFrom(0))).toBe(JSON.stringify((runScenario(s) as { trace: unknown }).trace));
  });
});

/**
 * The copy has the original's structure, each object copied once (the same copy wherever the
 * original is referred to, and no two originals with one copy), with the original's prototype; the
 * only objects both refer to are final: frozen ones, the scenario's, the handlers, the limits, the
 * explorer, the batches handed over and the entries but the calls whose handler is still running
 * (it may stamp its entry), with everything they refer to.
 */
function expectSeparate(run: Engine, copy: Engine): void {
  const final = reachable(run.scenario);
  for (const o of [run.handlers, run.limits]) reachable(o, final);
  // A call entry is final once its handler returned: nothing but the trace refers to it then (its CallCtx is gone).
  const live = reachable(run.threads, new WeakSet([run]));
  for (const e of run.entriesFrom(0)) if (e.type !== 'call' || !live.has(e)) reachable(e, final);
  const { kept, explorer } = run as unknown as { kept: unknown[]; explorer: object };
  final.add(kept).add(explorer);
  for (const b of kept) final.add(b as object);
  const toCopy = new Map<object, object>();
  const toOriginal = new Map<object, object>();
  const stack: [unknown, unknown, string][] = [[run, copy, 'engine']];
  while (stack.length > 0) {
    const [a, b, path] = stack.pop()!;
    if (typeof a !== 'object' || a === null) {
      expect(b, path).toBe(a);
      continue;
    }
    if (a === b) {
      // Derived from the scenario (caches: fork.ts `derived`) is shared by every run of it.
      if (!Object.isFrozen(a) && !final.has(a) && derivedName(a) === undefined) throw new Error(`${path}: shared by the copy, but not final`);
      continue;
    }
    expect(typeof b === 'object' && b !== null, path).toBe(true);
    const o = b as object;
    if (toCopy.has(a) || toOriginal.has(o)) {
      if (toCopy.get(a) !== o) throw new Error(`${path}: an object reached twice was copied twice, or two objects have one copy`);
      continue;
    }
    toCopy.set(a, o);
    toOriginal.set(o, a);
    expect(Object.getPrototypeOf(o), path).toBe(Object.getPrototypeOf(a));
    if (a instanceof Map) {
      const x = [...a];
      const y = [...(o as Map<unknown, unknown>)];
      expect(y.length, path).toBe(x.length);
      x.forEach(([k, v], i) => stack.push([k, y[i][0], `${path}.<key ${i}>`], [v, y[i][1], `${path}.<value ${i}>`]));
    } else if (a instanceof Set) {
      const x = [...a];
      const y = [...(o as Set<unknown>)];
      expect(y.length, path).toBe(x.length);
      x.forEach((v, i) => stack.push([v, y[i], `${path}.<${i}>`]));
    } else {
      expect(Object.keys(o), path).toEqual(Object.keys(a));
      for (const k of Object.keys(a)) stack.push([(a as Record<string, unknown>)[k], (o as Record<string, unknown>)[k], `${path}.${k}`]);
    }
  }
}

describe('Engine.fork copies all that can change, and only that', () => {
  it.each(DEMOS.map((d) => d.id))('%s: at its choice points, the copy shares only final objects with the original', (id) => {
    depthFirst(id, 60, () => {}, expectSeparate);
  });
});

/**
 * Depth first through the schedule tree of demo `id` (its own schedule aside), up to `budget` choice
 * points: `atPoint` with the run paused at each, `atFork` with each copy made there, before it resumes.
 */
function depthFirst(id: string, budget: number, atPoint: (run: Engine) => void, atFork: (run: Engine, copy: Engine) => void): void {
  const s = { ...normalized(DEMOS.find((d) => d.id === id)!.scenario), schedule: [] };
  const visit = (run: Engine): void => {
    while (run.paused && budget-- > 0) {
      atPoint(run);
      for (const name of run.paused.point.runnable.slice(1)) {
        const copy = run.fork();
        atFork(run, copy);
        copy.resume(name);
        proceed(copy);
        visit(copy);
      }
      run.resume(run.paused.pick);
      proceed(run);
    }
  };
  visit(pausing(s));
}

describe('forks share what does not change', () => {
  it('a dormant thread is shared, frozen, until an engine gives it a job: that engine then has its own copy, the other keeps the original', () => {
    const s = { ...normalized(DEMOS.find((d) => d.id === 'seed002-recipe')!.scenario), schedule: [] };
    const run = pausing(s);
    let checked = 0;
    while (run.paused) {
      const dormant = [...run.threads.values()].filter((t) => (t.status === 'idle' || t.status === 'done') && t.stack.length === 0 && t.jobs.length === 0);
      const copy = run.fork();
      for (const t of dormant) {
        expect(copy.threads.get(t.name)).toBe(t);
        expect(Object.isFrozen(t) && Object.isFrozen(t.jobs) && Object.isFrozen(t.stack)).toBe(true);
      }
      copy.resume(run.paused.point.runnable.at(-1)!);
      proceed(copy);
      while (copy.paused) {
        copy.resume(copy.paused.pick);
        proceed(copy);
      }
      for (const t of dormant) {
        // The original's thread is as it was; the copy's, if it ran a job, is a copy of its own.
        expect(run.threads.get(t.name)).toBe(t);
        expect(t.status === 'idle' || t.status === 'done').toBe(true);
        expect(t.jobs.length + t.stack.length).toBe(0);
        if (copy.threads.get(t.name) !== t) checked++;
      }
      run.resume(run.paused.pick);
      proceed(run);
    }
    expect(checked).toBeGreaterThan(0);
  });
});

/** How many references to each object the run's state holds (the scenario's objects and frozen ones left out: forks share them). */
function references(run: Engine): Map<object, number> {
  const shared = reachable(run.scenario);
  const refs = new Map<object, number>();
  const stack: unknown[] = [run];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v !== 'object' || v === null || shared.has(v) || Object.isFrozen(v)) continue;
    const n = refs.get(v);
    refs.set(v, (n ?? 0) + 1);
    if (n !== undefined) continue;
    if (v instanceof Map) for (const [k, x] of v) stack.push(k, x);
    else if (v instanceof Set) for (const x of v) stack.push(x);
    else
      for (const k of Object.keys(v)) {
        // The engine's parts a fork shares (Engine.fork) and the batches handed over (final).
        if (v === run && (k === 'scenario' || k === 'handlers' || k === 'explorer' || k === 'limits' || k === 'kept')) continue;
        stack.push((v as Record<string, unknown>)[k]);
      }
  }
  return refs;
}

describe('what a fork copies without the identity map has one holder', () => {
  it.each(DEMOS.map((d) => d.id))('%s: at its choice points, a component\'s vars and the records of the first world tables are referred to once, and never frozen', (id) => {
    depthFirst(id, 40, (run) => {
      const refs = references(run);
      const w = run.world;
      // Copier.vars: only the component holds its variables.
      for (const c of Object.values(w.components)) expect(refs.get(c.vars)).toBe(1);
      // Copier.world's `fresh` tables (copied before anything else, so none of their records can
      // have been copied yet): each record is in one slot of them (frames may refer to it too)
      // and is never frozen (a frozen record is shared, not copied).
      const slots = [...w.processors, ...w.memory, ...Object.values(w.devices), ...Object.values(w.interfaces)];
      expect(new Set(slots).size).toBe(slots.length);
      for (const r of slots) expect(Object.isFrozen(r)).toBe(false);
    }, () => {});
  });
});
