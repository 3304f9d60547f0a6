import { beforeAll, describe, expect, it } from 'vitest';
import { runScenario } from '../engine/index.ts';
import { scenarioToHash } from '../scenario/codec.ts';
import { load } from '../scenario/load.ts';
import type { Scenario } from '../scenario/types.ts';
import { DEFAULT_SCENARIO, hasLink, isFirstVisit, lastOpening, longRun, openingFor, withStep } from './url.ts';
import { loadLinkReader } from './linkReader.ts';
import { stressScenario } from '../../bench/stress.ts';
import { readdirSync, readFileSync } from 'node:fs';

// The page reads links once their codec is loaded (src/boot.ts does it first).
beforeAll(() => loadLinkReader());

describe('url', () => {
  it('appending the step gives exactly the codec link with that step', () => {
    const base = scenarioToHash(DEFAULT_SCENARIO);
    for (const step of [0, 7, 123]) expect(withStep(base, step)).toBe(scenarioToHash(DEFAULT_SCENARIO, step));
  });

  it('no hash opens the built-in demo at its first callback; a link opens its scenario and step', () => {
    const first = openingFor('');
    expect(first.scenario).toBe(DEFAULT_SCENARIO);
    expect(first.step).toBeUndefined();
    expect(first.from).toBe('demo');
    const loaded = load(DEFAULT_SCENARIO);
    if (!loaded.ok) throw new Error('seed 000 does not load');
    const run = runScenario(loaded.scenario);
    if (!run.ok) throw new Error('seed 000 does not run');
    const at = first.start!(run.trace);
    expect(run.trace[at]).toMatchObject({ type: 'invoke', routine: 'SyncProcessorCallback' });
    expect(run.trace.slice(0, at).some((e) => e.type === 'invoke' && e.registration)).toBe(false);
    const opened = openingFor(scenarioToHash({ ...DEFAULT_SCENARIO, title: 'Mine' }, 12));
    expect(opened.step).toBe(12);
    expect(opened.from).toBe('link');
    expect(opened.link).toBe(scenarioToHash({ ...DEFAULT_SCENARIO, title: 'Mine' }));
    // Not validated here (the worker does it when it runs): the JSON data of the link.
    expect((opened.scenario as Scenario).title).toBe('Mine');
  });

  it('a bad link falls back to the demo (no last link in this environment)', () => {
    const opened = openingFor('#s1.AAAA!');
    expect(opened.scenario).toBe(DEFAULT_SCENARIO);
  });
});

/** A Storage stand-in: a Map, optionally full or with a broken getter. */
function fakeStorage(init: Record<string, string> = {}, opts: { full?: boolean; broken?: boolean } = {}): Storage {
  const m = new Map(Object.entries(init));
  return {
    get length() {
      return m.size;
    },
    clear: () => m.clear(),
    key: (i: number) => [...m.keys()][i] ?? null,
    getItem: (k: string) => {
      if (opts.broken) throw new Error('SecurityError');
      return m.get(k) ?? null;
    },
    setItem: (k: string, v: string) => {
      if (opts.full) throw new DOMException('full', 'QuotaExceededError');
      m.set(k, v);
    },
    removeItem: (k: string) => void m.delete(k),
  };
}

describe('url: the last scenario this browser had open', () => {
  const KEY = 'pnp-playground:last-link';

  it('no hash restores the stored scenario and step', () => {
    const store = fakeStorage({ [KEY]: scenarioToHash({ ...DEFAULT_SCENARIO, title: 'Saved' }, 9) });
    const opened = openingFor('', store);
    expect((opened.scenario as Scenario).title).toBe('Saved');
    expect(opened.from).toBe('last');
    expect(opened.step).toBe(9);
    expect(lastOpening(store)?.step).toBe(9);
  });

  it('a corrupt stored value is dropped and the demo opens', () => {
    const store = fakeStorage({ [KEY]: '#s1.%%%garbage' });
    expect(openingFor('', store).scenario).toBe(DEFAULT_SCENARIO);
    expect(store.getItem(KEY)).toBeNull();
    expect(openingFor('#embed=1', fakeStorage({ [KEY]: '{"not":"a link"}' })).scenario).toBe(DEFAULT_SCENARIO);
  });

  it('storage that throws never breaks opening', () => {
    expect(openingFor('', fakeStorage({}, { broken: true })).scenario).toBe(DEFAULT_SCENARIO);
    expect(openingFor('', null).scenario).toBe(DEFAULT_SCENARIO);
  });

  it('a bad link keeps the stored scenario as the one to go back to', () => {
    const saved = scenarioToHash({ ...DEFAULT_SCENARIO, title: 'Saved' }, 3);
    expect((openingFor('#s1.AAAA!', fakeStorage({ [KEY]: saved })).scenario as Scenario).title).toBe('Saved');
  });
});

describe('url: what counts as a link', () => {
  it('every prefix but parameters is a link (reported when it does not open), on a first visit as on a hash change', () => {
    for (const h of ['#s1.AAAA', '#x1.AAAA', '#S1.AAAA', 's1.x&step=2', '#garbage']) expect(hasLink(h), h).toBe(true);
    for (const h of ['', '#', '#embed=1', '#step=3&embed=1']) expect(hasLink(h), h).toBe(false);
    expect(openingFor('#x1.AAAA').scenario).toBe(DEFAULT_SCENARIO);
  });

  it('a corrupt saved value is dropped and the caller hears why', () => {
    const store = fakeStorage({ 'pnp-playground:last-link': '#s1.%%%garbage' });
    const why: string[] = [];
    expect(lastOpening(store, (w) => why.push(w))).toBeNull();
    expect(why).toHaveLength(1);
    expect(store.getItem('pnp-playground:last-link')).toBeNull();
  });

  it('a first visit has no link and nothing saved (the "Start here" tour is offered then)', () => {
    expect(isFirstVisit('', fakeStorage())).toBe(true);
    expect(isFirstVisit('#embed=1', fakeStorage())).toBe(true);
    expect(isFirstVisit('', null)).toBe(true);
    expect(isFirstVisit(scenarioToHash(DEFAULT_SCENARIO, 3), fakeStorage())).toBe(false);
    expect(isFirstVisit('#x1.AAAA', fakeStorage())).toBe(false);
    expect(isFirstVisit('', fakeStorage({ 'pnp-playground:last-link': scenarioToHash(DEFAULT_SCENARIO, 3) }))).toBe(false);
  });
});

describe('url: a long run', () => {
  it('counts (components + 1) × timeline actions: the stress link is long, no built-in demo is, unreadable input is short', () => {
    expect(longRun(stressScenario({ drivers: 40, hotAdds: 270 }))).toBe(true);
    expect(longRun(stressScenario({ drivers: 5, hotAdds: 10 }))).toBe(false);
    const dir = new URL('../scenario/demos/', import.meta.url);
    const demos = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(demos.length).toBeGreaterThan(10);
    for (const f of demos) expect(longRun(JSON.parse(readFileSync(new URL(f, dir), 'utf8')))).toBe(false);
    for (const raw of [null, 7, 'x', [], { timeline: 'x' }, { drivers: [1, 2, 3], timeline: new Array(4000) }]) expect(longRun(raw)).toBe(false);
    expect(longRun({ apps: { a: {} }, timeline: new Array(2500) })).toBe(true);
    expect(longRun({ apps: { a: {} }, timeline: new Array(2499) })).toBe(false);
  });
});
