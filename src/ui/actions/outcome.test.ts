import { describe, expect, it } from 'vitest';
import { runScenario } from '../../engine/index.ts';
import { addProcessor, insertionPoint } from '../../scenario/gestures.ts';
import { load } from '../../scenario/load.ts';
import { DEFAULT_SCENARIO } from '../url.ts';
import { teachingPlacement, watchersAt, seesFor } from '../palette/placement.ts';
import { outcomeOf, seenSoFar, tallyText } from './outcome.ts';

function seed000() {
  const l = load(DEFAULT_SCENARIO);
  if (!l.ok) throw new Error('no seed 000');
  const r = runScenario(l.scenario);
  if (!r.ok) throw new Error('seed 000 does not run');
  return { scenario: l.scenario, trace: r.trace };
}

describe('palette placement', () => {
  it('puts a processor where the processor change callback is registered, even from step 1', () => {
    const { scenario, trace } = seed000();
    // seed 000: load sampledrv (registers), hot-add, unload (deregisters).
    const w = watchersAt(scenario, trace, seesFor('processor', scenario));
    expect(w).toEqual([[], ['sampledrv'], ['sampledrv'], []]);
    expect(insertionPoint(scenario, trace, 0).index).toBe(0); // "now" at boot would teach nothing
    const p = teachingPlacement(scenario, trace, 0, 'processor');
    expect(p.index).toBe(1);
    expect(p.watchers).toEqual(['sampledrv']);
    expect(p.where).toBe('after action 1, “load sampledrv”');
    // From the last action (after unload nobody listens), it goes back to the last point that teaches.
    expect(teachingPlacement(scenario, trace, trace.length - 1, 'processor').index).toBe(2);
  });

  it('counts what the gesture caused, and how much of it the cursor has passed', () => {
    const { scenario, trace } = seed000();
    const p = teachingPlacement(scenario, trace, 0, 'processor');
    const { scenario: next, actionIndex } = addProcessor(scenario, p);
    const r = runScenario(next);
    if (!r.ok) throw new Error('does not run');
    const o = outcomeOf(r.trace, actionIndex);
    expect(o.started).toBe(true);
    expect(o.tallies.map(tallyText)).toEqual(['2 callbacks to sampledrv', '1 interface arrival']);
    const [first, second] = o.tallies[0].seqs;
    expect(seenSoFar(o.tallies[0].seqs, first - 1)).toBe(0);
    expect(seenSoFar(o.tallies[0].seqs, first)).toBe(1);
    expect(seenSoFar(o.tallies[0].seqs, second)).toBe(2);
    expect(o.hazards).toEqual([]);
  });
});
