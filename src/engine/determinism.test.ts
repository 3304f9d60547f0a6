// Determinism (docs/architecture.md §2, docs/scenario-format.md §1): the same scenario gives the same trace, byte for byte;
// the default schedule is exactly the explicit schedule that names the default at every choice point.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { load } from '../scenario/load.ts';
import type { Scenario } from '../scenario/types.ts';
import { runScenario, streamScenario } from './index.ts';
import { run, runRaw } from './testing.ts';
import {
  allocNonPaged, eject, freePool, hotAdd, hotAddMemory, ioRegister, ioUnregister, ioUnregisterEx, load as loadDriver, note, overrideBefore,
  plainDriver, plug, queueWorkItem, runRoutine, scenario, seed000Driver, seed001Driver, toasterDevice, toastmonDriver, unload, veto, waitFor,
} from './conformance/fixtures.ts';

/** Scenarios with concurrency, overrides, vetoes, removals, deadlocks and bug checks. */
function corpus(): [string, Scenario][] {
  const race = scenario({
    machine: { processors: 1 },
    drivers: {
      a: seed001Driver({ memory: false, processorOps: [note('a callback')] }),
      b: seed001Driver({ memory: false, processorOps: [note('b 1'), note('b 2')], extraRoutines: { Stop: [ioUnregister('ProcessorNotificationEntry'), note('b stopped')] } }),
    },
    timeline: [loadDriver('a'), loadDriver('b'), hotAdd(), runRoutine('b', 'Stop', { concurrent: true }), hotAdd({ concurrent: true })],
  });
  const io3 = scenario({
    machine: { devices: [toasterDevice('toaster0'), toasterDevice('toaster1', 'toaster', false)] },
    drivers: { toaster: plainDriver(), mon: toastmonDriver() },
    timeline: [plug('toaster1'), loadDriver('mon', { concurrent: true }), eject('toaster0'), eject('toaster1', { concurrent: true })],
  });
  return [
    ['seed 000', scenario({ machine: { processors: 2, maxProcessors: 4 }, drivers: { sampledrv: seed000Driver() }, timeline: [loadDriver('sampledrv'), hotAdd(), unload('sampledrv')] })],
    ['KE-2 veto', scenario({
      machine: { processors: 2, maxProcessors: 8 },
      drivers: { a: seed000Driver({ addExisting: false }), b: seed000Driver({ start: [veto()] }), c: seed000Driver({ addExisting: false }) },
      timeline: [loadDriver('a'), loadDriver('c'), hotAdd(), loadDriver('b', { concurrent: true }), hotAdd({ concurrent: true })],
    })],
    ['seed 001', scenario({ machine: { processors: 1 }, drivers: { drv: seed001Driver({ includeExisting: true }) }, timeline: [loadDriver('drv'), hotAdd(), hotAddMemory(), unload('drv')] })],
    ['UN race', race],
    ['UN race, overridden', overrideBefore(overrideBefore(race, 'b!Stop', 'pnp'), 'note b 1', 'sys:b')],
    ['IO-3 / IO-9', io3],
    ['UN-4 deadlock', scenario({
      machine: { processors: 1 },
      drivers: { drv: seed001Driver({ memory: false, processorOps: [queueWorkItem('W', null), waitFor()], extraRoutines: { W: [ioUnregisterEx('ProcessorNotificationEntry')] } }) },
      timeline: [loadDriver('drv'), hotAdd()],
    })],
    ['UN-5 bug check', scenario({
      machine: { processors: 1 },
      drivers: { drv: { routines: { DriverEntry: [allocNonPaged('Ctx'), ioRegister('GUID_DEVICE_PROCESSOR', 'Cb', 'E', { context: 'Ctx' }), freePool('Ctx')], Cb: [] } } },
      timeline: [loadDriver('drv'), hotAdd()],
    })],
  ];
}

/** The gallery demos that exist and load (they are pure pnp-scenario/1 files). */
function demos(): [string, unknown][] {
  const dir = fileURLToPath(new URL('../scenario/demos/', import.meta.url));
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  } catch {
    return [];
  }
  return files
    .map((f) => [f, JSON.parse(readFileSync(dir + f, 'utf8'))] as [string, unknown])
    .filter(([, s]) => load(s).ok);
}

const all = (): [string, unknown][] => [...corpus(), ...demos()];

const traceJson = (s: unknown) => {
  const out = runRaw(s);
  if (!out.ok) throw new Error(JSON.stringify(out.errors));
  return JSON.stringify(out.trace);
};

describe('determinism', () => {
  it.each(all())('%s: the same scenario twice gives byte-identical JSON traces', (_name, s) => {
    expect(traceJson(s)).toBe(traceJson(s));
  });

  it('runs do not influence each other (no hidden global state), and a run does not mutate its scenario', () => {
    const [a, b] = [corpus()[3][1], corpus()[5][1]];
    const first = traceJson(a);
    traceJson(b);
    traceJson(b);
    expect(traceJson(a)).toBe(first);
    const loaded = load(a);
    if (!loaded.ok) throw new Error('invalid');
    const before = JSON.stringify(loaded.scenario);
    runScenario(loaded.scenario);
    runScenario(loaded.scenario);
    expect(JSON.stringify(loaded.scenario)).toBe(before);
  });

  it.each(all())('%s: an explicit schedule naming the default at every choice point gives the identical trace', (_name, s) => {
    const out = runRaw(s);
    if (!out.ok) throw new Error(JSON.stringify(out.errors));
    const original = ((s as Scenario).schedule ?? []);
    const key = (o: { step?: number; choice?: number; at?: number }) =>
      o.step !== undefined ? `${o.step}/${o.choice}` : (() => { const c = out.choices.find((p) => p.at === o.at); return c ? `${c.step}/${c.choice}` : `at ${o.at}`; })();
    const taken = new Set(original.map(key));
    const explicit = [...original, ...out.choices.filter((c) => !taken.has(key(c))).map((c) => ({ step: c.step, choice: c.choice, run: c.chosen }))];
    const again = runRaw({ ...(s as Scenario), schedule: explicit });
    if (!again.ok) throw new Error(JSON.stringify(again.errors));
    expect(JSON.stringify(again.trace)).toBe(JSON.stringify(out.trace));
    expect(again.choices).toEqual(out.choices);
  });

  it('the choice points are real: at each one, a different runnable thread changes the trace (or fails cleanly)', () => {
    const s = corpus()[3][1];
    const out = runRaw(s);
    if (!out.ok) throw new Error('schedule');
    expect(out.choices.length).toBeGreaterThan(2);
    const base = JSON.stringify(out.trace);
    let changed = 0;
    for (const c of out.choices) {
      for (const t of c.runnable.filter((n) => n !== c.chosen)) {
        const alt = runRaw({ ...s, schedule: [{ at: c.at, run: t }] });
        expect(alt.ok).toBe(true);
        if (alt.ok && JSON.stringify(alt.trace) !== base) changed++;
      }
    }
    expect(changed).toBeGreaterThan(0);
  });

  it('an override naming a non-runnable thread: runRaw returns ok:false with an error naming the step and the runnable threads', () => {
    const s = corpus()[3][1];
    const out = runRaw(s);
    if (!out.ok) throw new Error('schedule');
    const c = out.choices[0];
    const bad = runRaw({ ...s, schedule: [{ at: c.at, run: 'worker:99' }] });
    expect(bad).toEqual({
      ok: false,
      errors: [{ path: '/schedule/0/run', message: `at step ${c.at} thread "worker:99" is not runnable; runnable threads: ${c.runnable.join(', ')}` }],
    });
    // And it is deterministic too.
    expect(runRaw({ ...s, schedule: [{ at: c.at, run: 'worker:99' }] })).toEqual(bad);
  });

  it('the harness agrees: run() throws on that schedule error, with the same message', () => {
    const s = corpus()[3][1];
    const out = runRaw(s);
    if (!out.ok) throw new Error('schedule');
    const c = out.choices[0];
    expect(() => run({ ...s, schedule: [{ at: c.at, run: 'nobody' }] })).toThrow(`/schedule/0/run: at step ${c.at} thread "nobody" is not runnable`);
  });

  it.each(all())('%s: streamed (streamScenario), the run hands over the same entries in order, each final when handed over', (_name, s) => {
    const loaded = load(s);
    if (!loaded.ok) throw new Error('invalid');
    const kept = runScenario(loaded.scenario);
    // Serialised at hand-over: an entry changed afterwards (a late rule stamp) would differ from the kept trace.
    const handed: string[] = [];
    let batches = 0;
    const streamed = streamScenario(loaded.scenario, (entries) => {
      batches++;
      for (const e of entries) handed.push(JSON.stringify(e));
    });
    expect(streamed.ok).toBe(kept.ok);
    if (!kept.ok || !streamed.ok) return;
    expect(handed).toEqual(kept.trace.map((e) => JSON.stringify(e)));
    expect(streamed.entries).toBe(kept.trace.length);
    expect(streamed.choices).toEqual(kept.choices);
    expect(streamed.migratedSchedule).toEqual(kept.migratedSchedule);
    // Boot and each timeline batch that wrote entries: more than one hand-over when the timeline did something.
    if (loaded.scenario.timeline.length > 0 && kept.trace.at(-2)?.step !== 0) expect(batches).toBeGreaterThan(1);
  });

  it('streamed, a schedule that does not fit the run gives the same errors as runScenario', () => {
    const s = corpus()[3][1];
    const out = runRaw(s);
    if (!out.ok) throw new Error('schedule');
    const loaded = load({ ...s, schedule: [{ at: out.choices[0].at, run: 'worker:99' }] });
    if (!loaded.ok) throw new Error('invalid');
    expect(streamScenario(loaded.scenario, () => {})).toEqual(runScenario(loaded.scenario));
  });
});
