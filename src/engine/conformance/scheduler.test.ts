// Conformance: the execution model (docs/architecture.md §2.1, §2.2): threads, the default schedule, timeline
// actions, choice points and schedule overrides (docs/scenario-format.md §5).
import { describe, expect, it } from 'vitest';
import { run, runRaw } from '../testing.ts';
import type { Scenario } from '../../scenario/types.ts';
import { hotAdd, load, note, overrideBefore, plainDriver, plug, runRoutine, scenario, seed000Driver, seed001Driver, sync, toasterDevice } from './fixtures.ts';

/** Two drivers whose routines take several steps, started concurrently. */
const twoRoutines = (): Scenario =>
  scenario({
    drivers: {
      a: { routines: { DriverEntry: [], Work: [note('a1'), note('a2'), note('a3')] } },
      b: { routines: { DriverEntry: [], Work: [note('b1'), note('b2')] } },
    },
    timeline: [load('a'), load('b'), runRoutine('a', 'Work'), runRoutine('b', 'Work', { concurrent: true })],
  });

const choicesOf = (s: Scenario) => {
  const out = runRaw(s);
  if (!out.ok) throw new Error(JSON.stringify(out.errors));
  return out.choices;
};

describe('docs/architecture.md §2.2 default schedule', () => {
  it('the running thread keeps running until it finishes; then the earliest runnable thread runs', () => {
    const r = run(twoRoutines());
    expect(r.labels('note')).toEqual(['note a1', 'note a2', 'note a3', 'note b1', 'note b2']);
    expect(r.of('note').map((e) => e.thread)).toEqual(['sys:a', 'sys:a', 'sys:a', 'sys:b', 'sys:b']);
  });

  it('timeline actions start when the system is quiescent; a concurrent one right after the previous started', () => {
    const r = run(twoRoutines());
    const actions = r.of('action');
    expect(actions.map((e) => [e.action.do, e.step, e.index])).toEqual([['load', 1, 0], ['load', 2, 1], ['run', 3, 2], ['run', 4, 3]]);
    // The concurrent action starts before anything of the previous one ran.
    const runA = actions[2].seq;
    const runB = actions[3].seq;
    expect(r.trace.slice(runA + 1, runB).every((e) => e.type === 'state' && e.entity.startsWith('thread:'))).toBe(true);
    // A non-concurrent action starts only after everything before it is done.
    const lastOfLoadB = r.trace.findIndex((e) => e.type === 'complete' && e.component === 'b');
    expect(lastOfLoadB).toBeLessThan(runA);
  });

  it('a blocked thread lets the earliest runnable one run; it resumes when its wait is satisfied', () => {
    const r = run(scenario({
      machine: { processors: 1 },
      drivers: { drv: seed001Driver({ memory: false, processorOps: [{ call: 'IoQueueWorkItem', WorkerRoutine: 'Work', Context: null, result: 'WorkItem' }, { call: 'KeWaitForSingleObject', Object: 'WorkItem' }, note('pnp again')], extraRoutines: { Work: [note('worker')] } }) },
      timeline: [load('drv'), hotAdd()],
    }));
    expect(r.of('note').map((e) => `${e.thread}:${e.text}`)).toEqual(['worker:1:worker', 'pnp:pnp again']);
    expect(r.states('thread:pnp')).toContain('runnable>blocked');
    expect(r.states('thread:pnp')).toContain('blocked>runnable');
    expect(r.states('thread:worker:1')).toEqual(['idle>runnable', 'runnable>done']);
  });

  it('kernel callbacks run on the delivering thread (synchronous delivery); user-mode ones on the app notify thread while pnp waits', () => {
    const r = run(scenario({
      machine: { devices: [toasterDevice('toaster0', 'toaster', false)] },
      drivers: { toaster: plainDriver(), k: { routines: { DriverEntry: [{ call: 'IoRegisterPlugPlayNotification', EventCategory: 'EventCategoryDeviceInterfaceChange', EventCategoryFlags: [], EventCategoryData: 'GUID_DEVINTERFACE_TOASTER', CallbackRoutine: 'Cb', Context: null, NotificationEntry: 'E', result: 'S' }], Cb: [] } } },
      apps: { app: { routines: { main: [{ call: 'CM_Register_Notification', pFilter: { FilterType: 'CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE', ClassGuid: 'GUID_DEVINTERFACE_TOASTER' }, pContext: null, pCallback: 'OnIf', pNotifyContext: 'h', result: 'cr' }], OnIf: [] } } },
      timeline: [load('k'), { do: 'start', app: 'app' }, plug('toaster0')],
    }));
    expect(r.of('invoke').filter((e) => e.registration).map((e) => `${e.component}@${e.thread}`)).toEqual(['k@pnp', 'app@app:app:notify']);
    const blocked = r.of('state').filter((e) => e.entity === 'thread:pnp' && e.to === 'blocked').map((e) => e.on);
    expect(blocked).toContain('app!OnIf (cm:1) to return');
  });
});

describe('docs/architecture.md §2.2 choice points and overrides', () => {
  it('a choice point is a boundary with more than one runnable thread; the default choice is reported', () => {
    const choices = choicesOf(twoRoutines());
    expect(choices.length).toBeGreaterThan(0);
    for (const c of choices) {
      expect(c.runnable.length).toBeGreaterThan(1);
      expect(c.runnable).toContain(c.chosen);
    }
    // While sys:a runs its routine, sys:b is runnable: sys:a is the default each time.
    const r = run(twoRoutines());
    const a1 = r.of('note')[0].seq;
    expect(choices.find((c) => c.at === a1)).toEqual({
      at: a1, step: 4, choice: 2, runnable: ['sys:a', 'sys:b'], chosen: 'sys:a',
      next: [
        { thread: 'sys:a', does: 'op', routine: 'a!Work', op: '/drivers/a/routines/Work/0', what: 'note' },
        { thread: 'sys:b', does: 'start', job: 'run' },
      ],
    });
  });

  it('an override runs the named thread at that boundary; the choice is reported as made', () => {
    const s = overrideBefore(twoRoutines(), 'note a2', 'sys:b');
    const r = run(s);
    expect(r.labels('note')).toEqual(['note a1', 'note b1', 'note b2', 'note a2', 'note a3']);
    const at = s.schedule![0].at;
    expect(choicesOf(s).find((c) => c.at === at)?.chosen).toBe('sys:b');
  });

  it('several overrides interleave two threads op by op', () => {
    let s = overrideBefore(twoRoutines(), 'note a2', 'sys:b');
    s = overrideBefore(s, 'note b2', 'sys:a');
    const r = run(s);
    expect(r.labels('note')).toEqual(['note a1', 'note b1', 'note a2', 'note a3', 'note b2']);
  });

  it('an override naming a thread that is not runnable there: ok:false, naming the step and the runnable threads; nothing half-run is returned', () => {
    const r0 = run(twoRoutines());
    const at = r0.of('note')[0].seq;
    const out = runRaw({ ...twoRoutines(), schedule: [{ at, run: 'hotplug' }] });
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.errors).toEqual([{ path: '/schedule/0/run', message: `at step ${at} thread "hotplug" is not runnable; runnable threads: sys:a, sys:b` }]);
    expect('trace' in out).toBe(false);
  });

  it('an override at a step that is never a boundary is reported too', () => {
    const out = runRaw({ ...twoRoutines(), schedule: [{ at: 100000, run: 'sys:a' }] });
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0].path).toBe('/schedule/0/at');
    expect(out.errors[0].message).toMatch(/^step 100000 is never reached as a step boundary/);
  });

  it('two overrides for the same step are reported, not silently reduced to one', () => {
    const r0 = run(twoRoutines());
    const at = r0.of('note')[1].seq;
    const out = runRaw({ ...twoRoutines(), schedule: [{ at, run: 'sys:b' }, { at, run: 'sys:a' }] });
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.errors).toEqual([{ path: '/schedule/1/at', message: `step ${at} already has an override (/schedule/0); a step has one choice` }]);
  });

  it('an override that names the running thread at a boundary with one runnable thread is accepted and changes nothing', () => {
    const base = scenario({ machine: { processors: 1 }, drivers: { a: seed000Driver({ addExisting: false, start: [note('in Start')] }) }, timeline: [load('a'), hotAdd()] });
    const r0 = run(base);
    const at = r0.of('note')[0].seq;
    expect(choicesOf(base).find((c) => c.at === at)).toBeUndefined();
    const r = run({ ...base, schedule: [{ at, run: 'hotplug' }] });
    expect(JSON.stringify(r.trace)).toBe(JSON.stringify(r0.trace));
    expect(r.callbacks()).toEqual([sync('a', 'Start', 1), sync('a', 'Complete', 1)]);
  });
});

describe('docs/architecture.md §2.5 / trace format: halting', () => {
  it('every run ends with exactly one halt, the last entry; seq is the position and step the timeline index', () => {
    for (const s of [twoRoutines(), scenario({}), scenario({ drivers: { a: seed000Driver({ unload: false }) }, timeline: [load('a'), { do: 'unload', driver: 'a' }, hotAdd()] })]) {
      const r = run(s);
      expect(r.of('halt')).toHaveLength(1);
      expect(r.trace.at(-1)?.type).toBe('halt');
      r.trace.forEach((e, i) => expect(e.seq).toBe(i));
      for (const a of r.of('action')) expect(a.step).toBe(a.index + 1);
      expect(r.trace.filter((e) => e.step === 0).every((e) => e.type !== 'action')).toBe(true);
    }
  });
});

describe('docs/scenario-format.md §5 stable schedule addressing: { step, choice, run }', () => {
  it('an override addressed by step and choice ordinal runs the named thread there, exactly like the old `at` form', () => {
    const old = overrideBefore(twoRoutines(), 'note a2', 'sys:b');
    const at = old.schedule![0].at!;
    const point = choicesOf(twoRoutines()).find((c) => c.at === at)!;
    expect([point.step, point.choice]).toEqual([4, 3]);
    const stable = { ...twoRoutines(), schedule: [{ step: 4, choice: 3, run: 'sys:b' }] };
    expect(JSON.stringify(run(stable).trace)).toBe(JSON.stringify(run(old).trace));
    expect(run(stable).labels('note')).toEqual(['note a1', 'note b1', 'note b2', 'note a2', 'note a3']);
  });

  it('the old `at` form is migrated at its first run: the outcome carries the schedule as { step, choice, run }', () => {
    const old = overrideBefore(overrideBefore(twoRoutines(), 'note a2', 'sys:b'), 'note b2', 'sys:a');
    const out = runRaw(old);
    if (!out.ok) throw new Error('schedule');
    // sys:b runs at the third choice point (before a2); b1 is the fourth; before b2, the fifth.
    expect(out.migratedSchedule).toEqual([{ step: 4, choice: 3, run: 'sys:b' }, { step: 4, choice: 5, run: 'sys:a' }]);
    const again = runRaw({ ...old, schedule: out.migratedSchedule });
    if (!again.ok) throw new Error('schedule');
    expect(JSON.stringify(again.trace)).toBe(JSON.stringify(out.trace));
    expect(again.migratedSchedule).toBeUndefined();
  });

  it('a stable override survives a change that adds trace entries before it; the old form does not', () => {
    const old = overrideBefore(twoRoutines(), 'note a2', 'sys:b');
    const stable = { ...twoRoutines(), schedule: [{ step: 4, choice: 3, run: 'sys:b' }] };
    // One more op in an earlier step shifts every later seq by two entries.
    const longer = (s: Scenario): Scenario => ({ ...s, drivers: { ...s.drivers, a: { routines: { DriverEntry: [note('a loads')], Work: [note('a1'), note('a2'), note('a3')] } } } });
    expect(run(longer(stable)).labels('note')).toEqual(['note a loads', 'note a1', 'note b1', 'note b2', 'note a2', 'note a3']);
    expect(run(longer(old)).labels('note')).not.toEqual(['note a loads', 'note a1', 'note b1', 'note b2', 'note a2', 'note a3']);
  });

  it('a stable override naming a thread that is not runnable: ok:false with the choice point and the runnable threads', () => {
    const out = runRaw({ ...twoRoutines(), schedule: [{ step: 4, choice: 2, run: 'hotplug' }] });
    const at = run(twoRoutines()).of('note')[0].seq;
    expect(out).toEqual({ ok: false, errors: [{ path: '/schedule/0/run', message: `at choice 2 of step 4 (seq ${at}) thread "hotplug" is not runnable; runnable threads: sys:a, sys:b` }] });
  });

  it('a choice point that is never reached, and two overrides for one choice point, are reported', () => {
    const never = runRaw({ ...twoRoutines(), schedule: [{ step: 4, choice: 9, run: 'sys:a' }] });
    expect(never).toEqual({ ok: false, errors: [{ path: '/schedule/0/choice', message: 'step 4 has 4 choice points; choice 9 is never reached' }] });
    const twice = runRaw({ ...twoRoutines(), schedule: [{ step: 4, choice: 1, run: 'sys:a' }, { step: 4, choice: 1, run: 'sys:b' }] });
    expect(twice).toEqual({ ok: false, errors: [{ path: '/schedule/1/choice', message: 'choice 1 of step 4 already has an override (/schedule/0); a choice point has one choice' }] });
  });

  it('validation: step and choice go together, and not with `at`', () => {
    const bad = (schedule: unknown[]) => {
      const out = runRaw({ ...twoRoutines(), schedule } as Scenario);
      return out.ok ? [] : out.errors.map((e) => e.path);
    };
    expect(bad([{ step: 4, run: 'sys:a' }])).toEqual(['/schedule/0/choice']);
    expect(bad([{ choice: 1, run: 'sys:a' }])).toEqual(['/schedule/0/step']);
    expect(bad([{ at: 3, step: 4, choice: 1, run: 'sys:a' }])).toEqual(['/schedule/0/at']);
    expect(bad([{ run: 'sys:a' }])).toEqual(['/schedule/0']);
    expect(bad([{ step: 4, choice: 0, run: 'sys:a' }])).toEqual(['/schedule/0/choice']);
  });
});
