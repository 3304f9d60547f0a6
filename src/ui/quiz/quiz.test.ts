// The quiz's questions come from the trace: the right answer is the next callback (or the choice
// point's chosen thread), the wrong ones are other callbacks of the run (or the other threads).
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../engine/index.ts';
import type { EntryOf } from '../../engine/trace.ts';
import { DEMOS } from '../../scenario/demos/index.ts';
import { load } from '../../scenario/load.ts';
import { callbackSeqs } from '../stepper/model.ts';
import { callbackLabel, MAX_OPTIONS, NO_MORE_CALLBACKS, questionAt } from './quiz.ts';

function runDemo(id: string) {
  const demo = DEMOS.find((d) => d.id === id);
  if (!demo) throw new Error(`no demo ${id}`);
  const l = load(demo.scenario);
  if (!l.ok) throw new Error(`${id} does not load`);
  const r = runScenario(l.scenario);
  if (!r.ok) throw new Error(`${id} does not run`);
  return r;
}

describe('questionAt', () => {
  it('asks for the next callback of seed 000, with other callbacks of the run as the wrong answers', () => {
    const { trace, choices } = runDemo('seed000-sync');
    const seqs = callbackSeqs(trace);
    const q = questionAt(trace, choices, 0);
    expect(q?.kind).toBe('callback');
    expect(q?.reveal).toBe(seqs[0]);
    expect(q?.answer).toBe('sampledrv!SyncProcessorCallback — KeProcessorAddStartNotify · CPU 0');
    expect(q?.options.map((o) => o.id)).toContain(q?.answer);
    expect(q!.options.length).toBeGreaterThanOrEqual(2);
    expect(q!.options.length).toBeLessThanOrEqual(MAX_OPTIONS);
    expect(new Set(q!.options.map((o) => o.label)).size).toBe(q!.options.length);
    // Every option is a callback this run makes.
    const made = new Set(seqs.map((s) => callbackLabel(trace[s] as EntryOf<'invoke'>)));
    for (const o of q!.options) expect(made.has(o.label)).toBe(true);
    // From the first callback, the question is about the second one.
    const q2 = questionAt(trace, choices, seqs[0]);
    expect(q2?.reveal).toBe(seqs[1]);
    expect(q2?.answer).toBe('sampledrv!SyncProcessorCallback — KeProcessorAddStartNotify · CPU 1');
    // After the last callback there is nothing to ask.
    expect(questionAt(trace, choices, seqs.at(-1)!)).toBeNull();
  });

  it('asks which thread runs at a choice point before the next callback (the chosen thread is right)', () => {
    for (const demo of DEMOS) {
      const { trace, choices } = runDemo(demo.id);
      const point = choices.find((c) => c.runnable.length > 1);
      if (!point) continue;
      const q = questionAt(trace, choices, point.at - 1);
      const next = callbackSeqs(trace).find((s) => s > point.at - 1);
      if (next === undefined || next < point.at) continue;
      expect(q?.kind, demo.id).toBe('thread');
      expect(q?.answer).toBe(point.chosen);
      expect(q?.reveal).toBe(point.at);
      expect(trace[point.at].thread).toBe(point.chosen);
      expect(q?.options.map((o) => o.id).sort()).toEqual(point.runnable.slice(0, MAX_OPTIONS).sort());
      return;
    }
    throw new Error('no demo has a choice point before a callback');
  });

  it('offers a wrong answer even when a run has one kind of callback', () => {
    const { trace } = runDemo('seed000-sync');
    const first = trace[callbackSeqs(trace)[0]] as EntryOf<'invoke'>;
    const only = trace.filter((e) => e.type !== 'invoke' || !e.registration || callbackLabel(e) === callbackLabel(first)).map((e, seq) => ({ ...e, seq }));
    const q = questionAt(only, [], 0);
    expect(q?.options.map((o) => o.label).sort()).toEqual([callbackLabel(first), NO_MORE_CALLBACKS].sort());
  });
});
