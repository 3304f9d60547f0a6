import { describe, expect, it } from 'vitest';
import { scenarioToHash } from '../scenario/codec.ts';
import { DEFAULT_SCENARIO, openingFor, withStep } from './url.ts';

describe('url', () => {
  it('appending the step gives exactly the codec link with that step', () => {
    const base = scenarioToHash(DEFAULT_SCENARIO);
    for (const step of [0, 7, 123]) expect(withStep(base, step)).toBe(scenarioToHash(DEFAULT_SCENARIO, step));
  });

  it('no hash opens the built-in demo; a link opens its scenario and step', () => {
    expect(openingFor('')).toEqual({ scenario: DEFAULT_SCENARIO });
    const opened = openingFor(scenarioToHash({ ...DEFAULT_SCENARIO, title: 'Mine' }, 12));
    expect(opened.step).toBe(12);
    expect(opened.scenario.title).toBe('Mine');
  });

  it('a bad link falls back to the demo (no last link in this environment)', () => {
    const opened = openingFor('#s1.AAAA!');
    expect(opened.scenario).toBe(DEFAULT_SCENARIO);
  });
});
