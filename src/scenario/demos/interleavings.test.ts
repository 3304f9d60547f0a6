// The gallery's interleavings lines state what the explorer finds: each demo that has one is
// explored here, and the counts in its text must be the explorer's (docs/explore.md).
import { describe, expect, it } from 'vitest';
import { explore } from '../../engine/explore/index.ts';
import { load } from '../load.ts';
import { DEMOS } from './index.ts';
import { interleavingsText } from './interleavings.ts';

describe('demo interleavings lines', () => {
  const withLine = DEMOS.filter((d) => d.interleavings);

  it('the seed-003 and seed-002 demos point at the explorer', () => {
    expect(withLine.map((d) => d.id)).toEqual(expect.arrayContaining(['seed003-non-ex-window', 'seed003-ex-guarantee', 'seed002-missed-arrival']));
  });

  for (const demo of withLine) {
    it(`${demo.id}: the counts are the explorer's`, () => {
      const loaded = load(demo.scenario);
      if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('\n'));
      const result = explore({ ...loaded.scenario, schedule: [] });
      expect(result.complete).toBe(true);
      const { counts } = demo.interleavings!;
      const counted = (o: (typeof result.outcomes)[number]) =>
        counts === 'bugcheck' ? o.halt === 'bugcheck' : o.hazards.some((h) => h.startsWith(`${counts.rule}:`));
      const hits = result.outcomes.filter(counted).reduce((sum, o) => sum + o.runs, 0);
      expect({ schedules: result.runs, hits }).toEqual({ schedules: demo.interleavings!.schedules, hits: demo.interleavings!.hits });
      const text = interleavingsText(demo.interleavings!);
      expect(text).toContain(`${hits === 0 ? 'none' : hits} of the ${result.runs} schedules`);
    });
  }
});
