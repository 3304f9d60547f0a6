// The fuzz suite, short run (inside `npm test`). The long run: `npm run fuzz -- --runs 10000`
// (README "Fuzzing"). Any failure prints the scenario text that caused it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkScenario, PROTO_NAMES, protoSweep, scenarioArb } from './fuzz.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);

describe('fuzz: no scenario can crash, hang or poison the engine', () => {
  it(`${RUNS} mutated demos: exit 0 or 2, one halt, bounded entries, deterministic, finite layout`, { timeout: 600_000 }, () => {
    fc.assert(
      fc.property(scenarioArb, ({ text }) => {
        const r = checkScenario(text);
        expect(r.problems, text).toEqual([]);
        expect([0, 2]).toContain(r.exit);
      }),
      { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 13) },
    );
  });

  it('every Object.prototype name in every string position of seed 000 and the work-item demo', { timeout: 600_000 }, () => {
    let ran = 0;
    let valid = 0;
    for (const { text } of protoSweep(['seed000-sync', 'mistake-un4-wait-work-item'])) {
      const r = checkScenario(text);
      expect(r.problems, text).toEqual([]);
      expect([0, 2]).toContain(r.exit);
      ran++;
      if (r.exit === 0) valid++;
    }
    expect(ran).toBeGreaterThan(PROTO_NAMES.length * 50);
    // Renames keep a scenario valid: many of these runs are real runs, not validation errors.
    expect(valid).toBeGreaterThan(PROTO_NAMES.length * 5);
  });
});
