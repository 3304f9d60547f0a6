// The interleaving explorer (docs/explore.md): every outcome's schedule reproduces it through the
// engine as `simulate` runs it; the reduction finds the same outcomes as trying every order; the
// result is deterministic, and the same when the tree is cut into tasks and merged (workers).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEMOS } from '../../scenario/demos/index.ts';
import { load } from '../../scenario/load.ts';
import type { NormalizedScenario, Op, Scenario } from '../../scenario/types.ts';
import { runScenario } from '../index.ts';
import { explore, exploreTask, mergeResults, splitTasks, type ExploreResult } from './index.ts';
import { outcomeKey, outcomeOf } from './outcome.ts';
import { A, actions, closeHandle, device, handleApp, note, ret, scenario as devScenario, toastmon } from '../conformance/fixtures-devices.ts';

const normalized = (s: unknown): NormalizedScenario => {
  const l = load(s);
  if (!l.ok) throw new Error(l.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return l.scenario;
};

/** Each outcome, run with its schedule as the scenario's `schedule`, ends exactly so. */
function expectReproducible(s: NormalizedScenario, r: ExploreResult) {
  for (const o of r.outcomes) {
    const run = runScenario({ ...s, schedule: o.schedule });
    if (!run.ok) throw new Error(`schedule ${JSON.stringify(o.schedule)} does not fit: ${run.errors.map((e) => e.message).join('; ')}`);
    expect(outcomeKey(outcomeOf(s, run.trace))).toBe(outcomeKey(o));
  }
}

const outcomeSet = (r: ExploreResult) => new Set(r.outcomes.map(outcomeKey));
/** A result but the count of states (pruning visits fewer). */
const exceptStates = (r: ExploreResult) => ({ ...r, states: 0 });

const SMALL_DEMOS = DEMOS.filter((d) => d.id !== 'seed002-recipe').map((d) => ({ id: d.id, scenario: normalized(d.scenario) }));

describe('explore on the built-in demos', { timeout: 60_000 }, () => {
  it.each(SMALL_DEMOS)('$id: complete, every outcome reproducible, default run first', ({ scenario }) => {
    const r = explore(scenario);
    expect(r.complete).toBe(true);
    expect(r.stoppedBy).toEqual([]);
    expect(r.runs).toBe(r.outcomes.reduce((n, o) => n + o.runs, 0));
    // The first outcome is the default run's: no override, no divergence.
    expect(r.outcomes[0].schedule).toEqual([]);
    expect(r.outcomes[0].divergesAt).toBeNull();
    for (const o of r.outcomes.slice(1)) {
      expect(o.schedule.length).toBeGreaterThan(0);
      expect(o.divergesAt).toMatchObject({ step: o.schedule[0].step, choice: o.schedule[0].choice, ran: o.schedule[0].run });
      expect(o.divergesAt!.insteadOf).not.toBe(o.divergesAt!.ran);
    }
    expectReproducible(scenario, r);
    expect(new Set(r.outcomes.map(outcomeKey)).size).toBe(r.outcomes.length);
  });

  it('seed003 non-Ex window: the explorer finds the bug check the default run misses', () => {
    const s = SMALL_DEMOS.find((d) => d.id === 'seed003-non-ex-window')!.scenario;
    const r = explore({ ...s, schedule: [] });
    expect(r.outcomes[0].halt).toBe('quiescent');
    const bug = r.outcomes.filter((o) => o.halt === 'bugcheck');
    expect(bug.length).toBeGreaterThan(0);
    expect(bug.every((o) => o.hazards.includes('UN-5:bugcheck:0x50'))).toBe(true);
  });

  it('the scenario\'s own schedule is ignored: the same exploration as without it', () => {
    const s = SMALL_DEMOS.find((d) => d.id === 'seed003-non-ex-window')!.scenario;
    expect(s.schedule.length).toBeGreaterThan(0);
    expect(explore(s)).toEqual(explore({ ...s, schedule: [] }));
  });

  it.each(SMALL_DEMOS)('$id: with and without pruning the same outcomes, counts and schedules; pruning visits no more states', ({ scenario }) => {
    const pruned = explore(scenario);
    const full = explore(scenario, { reduction: false });
    expect(exceptStates(pruned)).toEqual(exceptStates(full));
    expect(pruned.states).toBeLessThanOrEqual(full.states);
  });

  it('a schedule-free race demo: pruning visits fewer states', () => {
    const s = SMALL_DEMOS.find((d) => d.id === 'seed003-non-ex-window')!.scenario;
    expect(explore(s).states).toBeLessThan(explore(s, { reduction: false }).states);
  });

  it.each(SMALL_DEMOS.filter((d) => ['seed002-missed-arrival', 'seed003-non-ex-window'].includes(d.id)))(
    '$id: cut into tasks at any depth and merged, the same result as one exploration',
    ({ scenario }) => {
      const whole = explore(scenario);
      for (const depth of [1, 2, 4]) {
        const { above, tasks } = splitTasks(scenario, depth);
        // Workers finish in any order: the merge does not depend on it.
        const parts = [above, ...tasks.map((t) => exploreTask(scenario, t))].reverse();
        expect(mergeResults(parts)).toEqual(whole);
      }
    },
  );
});

describe('forking (resuming a copy of the run at each choice point) against re-running from the start', { timeout: 120_000 }, () => {
  const OPTIONS = [{}, { preemptions: 1 }, { preemptions: 0 }, { reduction: false, maxRuns: 300 }, { maxRuns: 5 }, { maxRuns: 40, preemptions: 1 }];
  it.each(SMALL_DEMOS)('$id: the same result, field for field, under every bound', ({ scenario }) => {
    for (const options of OPTIONS) {
      expect(explore(scenario, { ...options, fork: true })).toEqual(explore(scenario, { ...options, fork: false }));
    }
  });

  it('the same result with actions that start inside an earlier one (during an op, at a choice point) and a process exit', () => {
    const QUERYREMOVE_OP = `/apps/appA/routines/OnDevice/cases/${A.QUERYREMOVE}/1`;
    const world = (onQueryRemove: unknown[], during: Record<string, unknown>) => normalized(devScenario({
      devices: [device('toaster0', { stack: ['bus', 'toaster'] })],
      drivers: { kmonA: toastmon() },
      apps: { appA: handleApp(actions({ [A.QUERYREMOVE]: onQueryRemove, [A.REMOVECOMPLETE]: [closeHandle()] })) },
      timeline: [{ do: 'load', driver: 'kmonA' }, { do: 'start', app: 'appA' }, { do: 'eject', device: 'toaster0' }, during],
    }));
    const scenarios = [
      world([note('vetoing'), ret('ERROR_CANCELLED')], { do: 'surpriseRemove', device: 'toaster0', during: { step: 3, op: QUERYREMOVE_OP } }),
      world([note('closing'), closeHandle()], { do: 'exit', app: 'appA', during: { step: 3, op: QUERYREMOVE_OP } }),
      world([note('closing'), closeHandle()], { do: 'surpriseRemove', device: 'toaster0', during: { step: 3, choice: 1 } }),
    ];
    for (const s of scenarios) {
      const forked = explore(s, { maxRuns: 400 });
      expect(forked.runs).toBeGreaterThan(1);
      expect(forked).toEqual(explore(s, { maxRuns: 400, fork: false }));
    }
  });

  it('the same tasks and the same task results when the tree is cut', () => {
    const s = SMALL_DEMOS.find((d) => d.id === 'seed003-non-ex-window')!.scenario;
    for (const depth of [1, 2, 4]) {
      const forked = splitTasks(s, depth, { fork: true });
      const replayed = splitTasks(s, depth, { fork: false });
      expect(forked).toEqual(replayed);
      for (const task of forked.tasks) expect(exploreTask(s, task, { fork: true })).toEqual(exploreTask(s, task, { fork: false }));
    }
  });
});

describe('bounds', { timeout: 60_000 }, () => {
  const s = SMALL_DEMOS.find((d) => d.id === 'seed002-missed-arrival')!.scenario;

  it('--max-runs: stops there, says so', () => {
    const r = explore(s, { maxRuns: 5 });
    expect(r).toMatchObject({ complete: false, stoppedBy: ['max-runs'], runs: 5 });
    expectReproducible(s, r);
  });

  it('a time limit of 0 stops after the first run', () => {
    let t = 0;
    const r = explore(s, { timeLimitMs: 0, now: () => t++ });
    expect(r).toMatchObject({ complete: false, stoppedBy: ['time-limit'], runs: 1 });
  });

  it('preemption bound: 0 explores only switches where the running thread stopped; more bound, more schedules', () => {
    const r0 = explore(s, { preemptions: 0 });
    const r1 = explore(s, { preemptions: 1 });
    const all = explore(s);
    expect(r0.stoppedBy).toEqual(['preemptions']);
    expect(r0.runs).toBeLessThan(r1.runs);
    expect(r1.runs).toBeLessThanOrEqual(all.runs);
    for (const o of outcomeSet(r0)) expect(outcomeSet(all).has(o)).toBe(true);
    expectReproducible(s, r1);
    // A bound the tree never reaches leaves it complete.
    expect(explore(s, { preemptions: 1000 })).toEqual(all);
  });
});

// ---------------------------------------------------------------- random small scenarios

const VARS = ['V', 'W'];
const controlOp = fc.oneof(
  fc.constant<Op>({ op: 'note', text: 'n' }),
  fc.constantFrom(...VARS).map<Op>((v) => ({ op: 'set', var: v, value: 'STATUS_UNSUCCESSFUL' })),
  fc.constantFrom(...VARS).map<Op>((v) => ({ op: 'if', cond: { isNull: v }, then: [{ op: 'note', text: `${v} is NULL` }], else: [{ op: 'set', var: v, value: null }] })),
);
const workOp = fc.oneof(
  { arbitrary: controlOp, weight: 4 },
  { arbitrary: fc.constant<Op>({ call: 'IoUnregisterPlugPlayNotification', NotificationEntry: 'E', result: 'Status' }), weight: 1 },
  { arbitrary: fc.constant<Op>({ call: 'IoUnregisterPlugPlayNotificationEx', NotificationEntry: 'E', result: 'Status' }), weight: 1 },
  { arbitrary: fc.constant<Op>({ call: 'ExFreePool', P: 'Ctx' }), weight: 1 },
);
const callbackOp = fc.oneof(
  { arbitrary: controlOp, weight: 4 },
  { arbitrary: fc.constant<Op>({ op: 'set', var: 'V', value: '$Context' }), weight: 1 },
);
const driverArb = fc.record({
  work: fc.array(workOp, { maxLength: 3 }),
  callback: fc.array(callbackOp, { maxLength: 2 }),
});
const scenarioArb = fc.record({
  drivers: fc.array(driverArb, { minLength: 1, maxLength: 2 }),
  hotAdd: fc.boolean(),
  concurrentLoad: fc.boolean(),
}).map(({ drivers, hotAdd, concurrentLoad }): Scenario => {
  const ids = drivers.map((_, i) => `d${i}`);
  return {
    format: 'pnp-scenario/1',
    machine: { processors: 1, maxProcessors: 4 },
    drivers: Object.fromEntries(drivers.map((d, i) => [ids[i], {
      globals: { V: null, W: null },
      routines: {
        DriverEntry: [
          { call: 'ExAllocatePool2', Flags: ['POOL_FLAG_NON_PAGED'], NumberOfBytes: 64, Tag: 'Ctx', result: 'Ctx' },
          { call: 'IoRegisterPlugPlayNotification', EventCategory: 'EventCategoryDeviceInterfaceChange', EventCategoryFlags: [], EventCategoryData: 'GUID_DEVICE_PROCESSOR', CallbackRoutine: 'Cb', Context: 'Ctx', NotificationEntry: 'E', result: 'Status' },
        ],
        Work: d.work,
        Cb: d.callback,
      },
    }])),
    timeline: [
      ...ids.map((id, i) => ({ do: 'load' as const, driver: id, ...(i > 0 && concurrentLoad ? { concurrent: true } : {}) })),
      ...(hotAdd ? [{ do: 'hotAddProcessor' as const }] : []),
      ...ids.map((id) => ({ do: 'run' as const, component: id, routine: 'Work', concurrent: true })),
    ],
  };
});

describe('explore on random small scenarios (property)', () => {
  it('every outcome reproduces; pruning gives the outcomes and counts of no pruning; deterministic; the merge of tasks equals one exploration', () => {
    let pruned = 0;
    fc.assert(
      fc.property(scenarioArb, (raw) => {
        const s = normalized(raw);
        const por = explore(s, { maxRuns: 150 });
        expectReproducible(s, por);
        expect(explore(s, { maxRuns: 150 })).toEqual(por);
        expect(explore(s, { maxRuns: 150, fork: false })).toEqual(por);
        if (!por.complete) return;
        const full = explore(s, { reduction: false, maxRuns: 600 });
        if (full.complete) {
          expect(exceptStates(por)).toEqual(exceptStates(full));
          expect(por.states).toBeLessThanOrEqual(full.states);
          if (por.states < full.states) pruned++;
        }
        // Under a bound too: a state seen before stands for a run of whole subtrees, in tree order.
        for (const bound of [{ maxRuns: 7 }, { preemptions: 1 }, { preemptions: 0, maxRuns: 3 }]) {
          expect(exceptStates(explore(s, bound))).toEqual(exceptStates(explore(s, { ...bound, reduction: false })));
        }
        const { above, tasks } = splitTasks(s, 2);
        expect(mergeResults([above, ...tasks.map((t) => exploreTask(s, t))])).toEqual(por);
      }),
      { numRuns: 20, seed: 12 },
    );
    expect(pruned).toBeGreaterThan(0);
  }, 120_000);
});
