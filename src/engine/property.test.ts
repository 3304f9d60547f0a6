// Property-based tests (fast-check): thousands of small random valid scenarios — random drivers
// whose routines are random op lists over the kernel APIs and the control ops, random timelines
// with concurrent actions, random schedules — never throw, end with exactly one halt, are
// deterministic, report schedule errors cleanly, and keep the spec's invariants:
//   UN-2 / KE-7  no callback of a registration after IoUnregisterPlugPlayNotificationEx (or
//                KeDeregisterProcessorChangeCallback) returned for it;
//   KE-1         each completed hot-add gives each live sync callback exactly Start then Complete;
//   §1.1         NtNumbers stay dense.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { load } from '../scenario/load.ts';
import type { Op, RoutineBody, Scenario, ScheduleOverride, TimelineAction } from '../scenario/types.ts';
import { RULE_IDS } from './rules/ids.ts';
import { runRaw } from './testing.ts';
import type { TraceEntry } from './trace.ts';

// ---------------------------------------------------------------- generators

const VARS = { KeHandle: null, E0: null, E1: null, Ctx: null, WorkItem: null, TargetFileObject: null, TargetEntry: null, Status: null, CallbackStatus: 'STATUS_SUCCESS' };
const CLASSES = ['GUID_DEVICE_PROCESSOR', 'GUID_DEVICE_MEMORY', 'GUID_DEVINTERFACE_TOASTER'] as const;

const entryArb = fc.constantFrom('E0', 'E1');
const keRegisterArb = fc.boolean().map<Op>((addExisting) => ({
  call: 'KeRegisterProcessorChangeCallback', CallbackFunction: 'SyncCb', CallbackContext: 'CallbackStatus',
  Flags: addExisting ? ['KE_PROCESSOR_CHANGE_ADD_EXISTING'] : [], result: 'KeHandle',
}));
const ioRegisterArb = fc.record({ cls: fc.constantFrom(...CLASSES), existing: fc.boolean(), ctx: fc.boolean(), entry: entryArb }).map<Op>(({ cls, existing, ctx, entry }) => ({
  call: 'IoRegisterPlugPlayNotification', EventCategory: 'EventCategoryDeviceInterfaceChange',
  EventCategoryFlags: existing ? ['PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES'] : [],
  EventCategoryData: cls, CallbackRoutine: 'AsyncCb', Context: ctx ? 'Ctx' : null, NotificationEntry: entry, result: 'Status',
}));
const allocArb = fc.constant<Op>({ call: 'ExAllocatePool2', Flags: ['POOL_FLAG_NON_PAGED'], NumberOfBytes: 64, Tag: 'Ctx0', result: 'Ctx' });
const exArb = entryArb.map<Op>((e) => ({ call: 'IoUnregisterPlugPlayNotificationEx', NotificationEntry: e, result: 'Status' }));
const nonExArb = entryArb.map<Op>((e) => ({ call: 'IoUnregisterPlugPlayNotification', NotificationEntry: e, result: 'Status' }));
const keDeregisterArb = fc.constant<Op>({ call: 'KeDeregisterProcessorChangeCallback', CallbackHandle: 'KeHandle' });
const freeArb = fc.constant<Op>({ call: 'ExFreePool', P: 'Ctx' });
const noteArb = fc.constant<Op>({ op: 'note', text: 'n' });

/** Ops any routine may run (no work-item queueing inside a work item: work items must not chain forever). */
function leafOps(where: 'sync' | 'async' | 'work' | 'plain'): fc.WeightedArbitrary<Op>[] {
  const w = (arbitrary: fc.Arbitrary<Op>, weight = 1) => ({ arbitrary, weight });
  const ops = [
    w(noteArb, 6), w(keRegisterArb), w(keDeregisterArb), w(ioRegisterArb, 2), w(exArb, 2), w(nonExArb), w(allocArb), w(freeArb),
    w(fc.constant<Op>({ call: 'KeWaitForSingleObject', Object: 'WorkItem' })),
    w(fc.constant<Op>({ call: 'KeAcquireSpinLock', SpinLock: 'Lock' })),
    w(fc.constant<Op>({ call: 'KeReleaseSpinLock', SpinLock: 'Lock' })),
    w(fc.constant<Op>({ call: 'ObDereferenceObject', Object: 'TargetFileObject' })),
    w(fc.constant<Op>({ call: 'IoUnregisterPlugPlayNotificationEx', NotificationEntry: 'TargetEntry', result: 'Status' })),
    w(fc.constantFrom('STATUS_SUCCESS', 'STATUS_UNSUCCESSFUL').map<Op>((v) => ({ op: 'return', value: v }))),
  ];
  if (where === 'sync') ops.push(w(fc.constantFrom('STATUS_INSUFFICIENT_RESOURCES', 'STATUS_UNSUCCESSFUL', 'STATUS_SUCCESS').map<Op>((v) => ({ op: 'set', var: '*OperationStatus', value: v })), 2));
  if (where === 'async') {
    ops.push(w(fc.constant<Op>({ call: 'IoGetDeviceObjectPointer', ObjectName: '$SymbolicLinkName', FileObject: 'TargetFileObject', DeviceObject: 'Status', result: 'Status' })));
    ops.push(w(fc.constant<Op>({
      call: 'IoRegisterPlugPlayNotification', EventCategory: 'EventCategoryTargetDeviceChange', EventCategoryFlags: [],
      EventCategoryData: 'TargetFileObject', CallbackRoutine: 'TargetCb', Context: null, NotificationEntry: 'TargetEntry', result: 'Status',
    })));
  }
  if (where !== 'work') ops.push(w(fc.constant<Op>({ call: 'IoQueueWorkItem', WorkerRoutine: 'Work', Context: null, result: 'WorkItem' })));
  return ops;
}

function opList(where: 'sync' | 'async' | 'work' | 'plain', depth = 1, maxLength = 4): fc.Arbitrary<Op[]> {
  const leaf = fc.oneof(...leafOps(where));
  if (depth === 0) return fc.array(leaf, { maxLength });
  const cond = fc.oneof(
    fc.constantFrom('KeHandle', 'E0', 'E1', 'Ctx', 'WorkItem', 'TargetFileObject').map((v) => ({ isNull: v })),
    fc.constant({ ntSuccess: 'Status' }),
    fc.constant({ not: { eq: ['CallbackStatus', 'STATUS_SUCCESS'] as [string, string] } }),
  );
  const ifOp = fc.record({ cond, then: opList(where, depth - 1, 3), else: opList(where, depth - 1, 2) }).map<Op>((r) => ({ op: 'if', ...r }));
  return fc.array(fc.oneof({ arbitrary: leaf, weight: 6 }, { arbitrary: ifOp, weight: 1 }), { maxLength });
}

/** Seed-shaped drivers: DriverEntry registers first (seed 000 / 001 shapes), then random ops. */
const driverArb = fc.record({
  prelude: fc.array(fc.oneof({ arbitrary: keRegisterArb, weight: 2 }, { arbitrary: ioRegisterArb, weight: 3 }, { arbitrary: allocArb, weight: 1 }), { minLength: 1, maxLength: 3 }),
  entry: opList('plain', 1, 2),
  unload: fc.option(fc.oneof(fc.constant([] as Op[]), fc.array(fc.oneof(exArb, nonExArb, keDeregisterArb, freeArb), { maxLength: 3 }), opList('plain')), { nil: undefined }),
  start: opList('sync', 0),
  complete: opList('sync', 0),
  failure: opList('sync', 0),
  async: opList('async'),
  target: opList('async', 0),
  work: opList('work', 0),
  stop: fc.oneof(fc.array(fc.oneof(exArb, nonExArb, keDeregisterArb, freeArb, noteArb), { minLength: 1, maxLength: 3 }), opList('plain')),
}).map(({ prelude, entry, unload, start, complete, failure, async, target, work, stop }) => {
  const routines: Record<string, RoutineBody> = {
    DriverEntry: [...prelude, ...entry],
    SyncCb: { switch: 'State', cases: { KeProcessorAddStartNotify: start, KeProcessorAddCompleteNotify: complete, KeProcessorAddFailureNotify: failure } },
    AsyncCb: async, TargetCb: target, Work: work, Stop: stop,
  };
  if (unload) routines.Unload = unload;
  return { globals: { ...VARS }, routines };
});

interface Shape {
  processors: number;
  extra: number;
  memory: boolean;
  devices: boolean[];
  drivers: number;
}

const shapeArb: fc.Arbitrary<Shape> = fc.record({
  processors: fc.integer({ min: 1, max: 3 }),
  extra: fc.integer({ min: 0, max: 3 }),
  memory: fc.boolean(),
  devices: fc.array(fc.boolean(), { maxLength: 2 }),
  drivers: fc.integer({ min: 1, max: 3 }),
});

function actionArb(shape: Shape): fc.Arbitrary<Omit<TimelineAction, 'concurrent'>> {
  const d = fc.integer({ min: 0, max: shape.drivers - 1 }).map((i) => `d${i}`);
  const w = <T,>(arbitrary: fc.Arbitrary<T>, weight: number) => ({ arbitrary, weight });
  const acts: fc.WeightedArbitrary<Omit<TimelineAction, 'concurrent'>>[] = [
    w(d.map((driver) => ({ do: 'load' as const, driver })), 1),
    w(d.map((driver) => ({ do: 'unload' as const, driver })), 2),
    w(d.map((component) => ({ do: 'run' as const, component, routine: 'Stop' })), 3),
    w(fc.constant({ do: 'hotAddProcessor' as const }), 4),
    w(fc.constant({ do: 'hotAddMemory' as const, id: 'MEM', sizeMiB: 1024 }), 2),
    w(fc.integer({ min: 0, max: 3 }).map((NtNumber) => ({ do: 'removeProcessor' as const, NtNumber })), 1),
  ];
  if (shape.devices.length > 0) {
    const dev = fc.integer({ min: 0, max: shape.devices.length - 1 }).map((i) => `toaster${i}`);
    acts.push(w(dev.map((device) => ({ do: 'plug' as const, device })), 2));
    acts.push(w(dev.map((device) => ({ do: 'eject' as const, device })), 1));
    acts.push(w(dev.map((device) => ({ do: 'surpriseRemove' as const, device })), 1));
  }
  return fc.oneof(...acts);
}

export const scenarioArb: fc.Arbitrary<Scenario> = shapeArb.chain((shape) =>
  fc.record({
    drivers: fc.array(driverArb, { minLength: shape.drivers, maxLength: shape.drivers }),
    // Most runs load every driver first (some concurrently), then do random things.
    loads: fc.array(fc.record({ load: fc.boolean().map((b) => b || shape.drivers === 1), concurrent: fc.boolean() }), { minLength: shape.drivers, maxLength: shape.drivers }),
    timeline: fc.array(fc.record({ a: actionArb(shape), concurrent: fc.boolean(), race: fc.option(fc.nat({ max: shape.drivers - 1 }), { freq: 3 }) }), { minLength: 1, maxLength: 5 }),
  }).map(({ drivers, loads, timeline }) => {
    let mem = 0;
    const first: TimelineAction[] = loads.flatMap(({ load: l, concurrent }, i) => (l ? [{ do: 'load' as const, driver: `d${i}`, ...(concurrent ? { concurrent } : {}) }] : []));
    const actions = timeline.flatMap(({ a, concurrent, race }) => {
      const action = (a.do === 'hotAddMemory' ? { ...a, id: `mem${++mem}` } : { ...a }) as TimelineAction;
      if (concurrent) action.concurrent = true;
      // Sometimes a driver's Stop races with the action (the UN-1 / UN-2 / KE-7 situations).
      return race === null ? [action] : [action, { do: 'run' as const, component: `d${race}`, routine: 'Stop', concurrent: true }];
    });
    const driverSpecs: Record<string, unknown> = Object.fromEntries(drivers.map((spec, i) => [`d${i}`, spec]));
    if (shape.devices.length > 0) driverSpecs.toaster = { routines: {} };
    return {
      format: 'pnp-scenario/1',
      machine: {
        processors: shape.processors,
        maxProcessors: shape.processors + shape.extra,
        memory: shape.memory ? [{ id: 'mem0', sizeMiB: 4096 }] : [],
        devices: shape.devices.map((present, i) => ({ id: `toaster${i}`, stack: ['toaster'], interfaces: ['GUID_DEVINTERFACE_TOASTER'], present })),
      },
      drivers: driverSpecs,
      timeline: [...first, ...actions],
    } as Scenario;
  }),
);

/**
 * A focused family for the unregister races (UN-1, UN-2, KE-7): 2–3 drivers registered for the same
 * processor arrivals (and sometimes the sync callback), whose Stop routines unregister while a
 * hot-add is being delivered.
 */
export const raceArb: fc.Arbitrary<Scenario> = fc.record({
  drivers: fc.array(fc.record({
    sync: fc.boolean(),
    notes: fc.nat({ max: 3 }),
    stop: fc.constantFrom('ex', 'nonEx', 'ke', 'exSelf'),
  }), { minLength: 2, maxLength: 3 }),
  stops: fc.array(fc.nat({ max: 2 }), { minLength: 1, maxLength: 2 }),
  adds: fc.integer({ min: 1, max: 2 }),
}).map(({ drivers, stops, adds }) => {
  const specs: Record<string, unknown> = {};
  drivers.forEach((d, i) => {
    const notes: Op[] = Array.from({ length: d.notes }, () => ({ op: 'note', text: `d${i}` }));
    const unreg: Op = d.stop === 'ke'
      ? { call: 'KeDeregisterProcessorChangeCallback', CallbackHandle: 'KeHandle' }
      : { call: d.stop === 'nonEx' ? 'IoUnregisterPlugPlayNotification' : 'IoUnregisterPlugPlayNotificationEx', NotificationEntry: 'E0', result: 'Status' };
    specs[`d${i}`] = {
      globals: { ...VARS },
      routines: {
        DriverEntry: [
          { call: 'IoRegisterPlugPlayNotification', EventCategory: 'EventCategoryDeviceInterfaceChange', EventCategoryFlags: [], EventCategoryData: 'GUID_DEVICE_PROCESSOR', CallbackRoutine: 'AsyncCb', Context: null, NotificationEntry: 'E0', result: 'Status' },
          ...(d.sync ? [{ call: 'KeRegisterProcessorChangeCallback', CallbackFunction: 'SyncCb', CallbackContext: 'CallbackStatus', Flags: [], result: 'KeHandle' }] : []),
        ],
        SyncCb: notes,
        AsyncCb: d.stop === 'exSelf' ? [...notes, unreg] : notes,
        Stop: [unreg, { op: 'note', text: 'stopped' }],
      },
    };
  });
  const timeline: TimelineAction[] = drivers.map((_, i) => ({ do: 'load', driver: `d${i}` }) as TimelineAction);
  for (let k = 0; k < adds; k++) {
    timeline.push({ do: 'hotAddProcessor' });
    for (const i of stops) if (i < drivers.length) timeline.push({ do: 'run', component: `d${i}`, routine: 'Stop', concurrent: true });
  }
  return { format: 'pnp-scenario/1', machine: { processors: 1, maxProcessors: 4 }, drivers: specs, timeline } as Scenario;
});

// ---------------------------------------------------------------- invariants

/** Checks every invariant on one trace; returns the violations (empty when all hold). */
function violations(trace: TraceEntry[]): string[] {
  const out: string[] = [];
  const halts = trace.filter((e) => e.type === 'halt');
  if (halts.length !== 1) out.push(`${halts.length} halts`);
  if (trace.at(-1)?.type !== 'halt') out.push('the last entry is not the halt');
  trace.forEach((e, i) => {
    if (e.seq !== i) out.push(`entry ${i} has seq ${e.seq}`);
  });
  const rules = new Set<string>(RULE_IDS);
  for (const e of trace) if (e.type === 'hazard' && !rules.has(e.rule)) out.push(`unknown rule ${e.rule}`);

  // UN-2 / KE-7: after the Ex unregister (or the KE deregister) returned, no invoke of that registration.
  const pending = new Map<string, { api: string; args: Record<string, unknown> }[]>();
  const dead = new Map<string, number>();
  for (const e of trace) {
    if (e.type === 'call') {
      const stack = pending.get(e.thread) ?? [];
      stack.push({ api: e.api, args: e.args });
      pending.set(e.thread, stack);
    } else if (e.type === 'return') {
      const c = pending.get(e.thread)?.pop();
      if (!c || c.api !== e.api) out.push(`return of ${e.api} at ${e.seq} does not match a call`);
      else if (c.api === 'IoUnregisterPlugPlayNotificationEx' && e.result === 'STATUS_SUCCESS') dead.set(String(c.args.NotificationEntry), e.seq);
      else if (c.api === 'KeDeregisterProcessorChangeCallback' && typeof c.args.CallbackHandle === 'string') dead.set(c.args.CallbackHandle, e.seq);
    } else if (e.type === 'invoke' && e.registration && dead.has(e.registration)) {
      out.push(`${e.registration} invoked at ${e.seq} after its unregister returned at ${dead.get(e.registration)}`);
    }
  }

  // §1.1 NtNumbers dense; KE-1 each completed hot-add: exactly Start then Complete for each live ke registration.
  const active = new Set<number>();
  for (const e of trace) {
    if (e.type !== 'state' || !e.entity.startsWith('processor:')) continue;
    const n = Number(e.entity.slice('processor:'.length));
    if (e.to === 'starting' && n !== active.size) out.push(`hot-add of NtNumber ${n} with ${active.size} active processors`);
    if (e.to === 'active' && e.from === 'not-present' && n !== active.size) out.push(`boot processor ${n} not dense`);
    if (e.to === 'active') active.add(n);
    if (e.to === 'failed') active.delete(n);
  }
  for (let n = 0; n < active.size; n++) if (!active.has(n)) out.push(`NtNumbers not dense: ${[...active].join(',')}`);
  // Each completed add: from `processor:n starting` to the enabling of processor n's interface (KE-9),
  // which follows the Complete broadcast. A failed add (KE-2) or a halt before the end has no window.
  const adds: { n: number; from: number; to: number }[] = [];
  for (const e of trace) {
    if (e.type !== 'state') continue;
    if (e.entity.startsWith('processor:') && e.to === 'starting') adds.push({ n: Number(e.entity.slice(10)), from: e.seq, to: -1 });
    const open = adds.at(-1);
    if (open && open.to < 0 && e.entity.startsWith('interface:') && e.entity.includes(`ACPI0007#${open.n}#`) && e.to === 'enabled') open.to = e.seq;
  }
  for (const w of adds.filter((a) => a.to > 0)) {
    const states = new Map<string, string>();
    for (const e of trace.slice(0, w.from)) if (e.type === 'state' && e.entity.startsWith('registration:ke:')) states.set(e.entity.slice(13), e.to);
    const liveAtStart = [...states].filter(([, s]) => s === 'active').map(([id]) => id);
    const window = trace.slice(w.from, w.to);
    const goneDuring = new Set(window.filter((e) => e.type === 'state' && e.entity.startsWith('registration:ke:') && e.to === 'unregistered').map((e) => (e as { entity: string }).entity.slice(13)));
    for (const id of liveAtStart.filter((r) => !goneDuring.has(r))) {
      const got = window
        .filter((e): e is Extract<TraceEntry, { type: 'invoke' }> => e.type === 'invoke' && e.registration === id && e.thread === 'hotplug' && e.args.NtNumber === w.n)
        .map((e) => String(e.args.State));
      if (got.join() !== 'KeProcessorAddStartNotify,KeProcessorAddCompleteNotify') out.push(`${id} got [${got.join()}] for the hot-add of ${w.n}`);
    }
  }
  return out;
}

/** Schedule errors are reported cleanly: each names a schedule path and says what is wrong. */
function cleanErrors(errors: { path: string; message: string }[]): boolean {
  return errors.length > 0 && errors.every((e) => /^\/schedule\/\d+\/(at|run)$/.test(e.path) && typeof e.message === 'string' && e.message.length > 0);
}

const OPTS = { opBudget: 2_000 };

describe('property: random valid scenarios', () => {
  it('are valid, never throw, end with exactly one halt, are deterministic and keep the invariants', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const loaded = load(s);
        if (!loaded.ok) throw new Error(`generator produced an invalid scenario: ${loaded.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
        const a = runRaw(s, OPTS);
        if (!a.ok) throw new Error(`no schedule, yet: ${JSON.stringify(a.errors)}`);
        const b = runRaw(s, OPTS);
        expect(b.ok && JSON.stringify(b.trace)).toBe(JSON.stringify(a.trace));
        expect(violations(a.trace)).toEqual([]);
        // The explicit default schedule changes nothing.
        const explicit = runRaw({ ...s, schedule: a.choices.map((c) => ({ at: c.at, run: c.chosen })) }, OPTS);
        expect(explicit.ok && JSON.stringify(explicit.trace)).toBe(JSON.stringify(a.trace));
      }),
      { numRuns: 1500, seed: 20261121 },
    );
  }, 60_000);

  // Each pick chooses a choice point after the previous override (often one of the next few) and a
  // runnable thread there: the run up to that point is unchanged, so the override must be accepted
  // (docs/architecture.md §2.2, docs/scenario-format.md §5) — a random scheduler driven through the schedule format.
  const picks = fc.array(fc.tuple(fc.oneof(fc.nat({ max: 2 }), fc.nat()), fc.nat()), { minLength: 1, maxLength: 6 });

  function walk(s: Scenario, steps: [number, number][]) {
    const schedule: ScheduleOverride[] = [];
    let last = runRaw(s, OPTS);
    for (const [i, j] of steps) {
      if (!last.ok) throw new Error(`schedule error at a real choice point: ${JSON.stringify(last.errors)}`);
      const after = schedule.length > 0 ? schedule[schedule.length - 1].at! : -1;
      const later = last.choices.filter((c) => c.at > after);
      if (later.length === 0) break;
      const c = later[i % later.length];
      schedule.push({ at: c.at, run: c.runnable[j % c.runnable.length] });
      last = runRaw({ ...s, schedule: [...schedule] }, OPTS);
      if (!last.ok) throw new Error(`schedule error at a real choice point: ${JSON.stringify(last.errors)}`);
      expect(violations(last.trace)).toEqual([]);
    }
    return { schedule, last };
  }

  it('with random schedules: a random walk over choice points keeps every invariant; arbitrary overrides fail cleanly or run', () => {
    const wild = fc.array(fc.record({ at: fc.nat({ max: 300 }), run: fc.constantFrom('pnp', 'hotplug', 'sys:d0', 'sys:d1', 'worker:1', 'nobody') }), { maxLength: 2 });
    fc.assert(
      fc.property(scenarioArb, picks, wild, (s, steps, extra) => {
        const { schedule, last } = walk(s, steps);
        expect(JSON.stringify(runRaw({ ...s, schedule: [...schedule] }, OPTS))).toBe(JSON.stringify(last));
        // Arbitrary extra overrides (mostly not runnable, or never a boundary): a clean report or a good run.
        if (extra.length === 0) return;
        const scheduled = { ...s, schedule: [...schedule, ...extra] };
        const wildRun = runRaw(scheduled, OPTS);
        expect(JSON.stringify(runRaw(scheduled, OPTS))).toBe(JSON.stringify(wildRun));
        if (wildRun.ok) expect(violations(wildRun.trace)).toEqual([]);
        else expect(cleanErrors(wildRun.errors)).toBe(true);
      }),
      { numRuns: 1000, seed: 424242 },
    );
  }, 60_000);

  it('unregister races (UN-1, UN-2, KE-7): under random schedules no callback follows a returned Ex / KE deregistration', () => {
    fc.assert(
      fc.property(raceArb, picks, (s, steps) => {
        walk(s, steps);
      }),
      { numRuns: 800, seed: 31337 },
    );
  }, 60_000);

  it('the invariant checker itself catches violations (a callback after the Ex returned, a non-dense add, two halts)', () => {
    const t = fc.sample(raceArb, { numRuns: 50, seed: 1 })
      .map((s) => runRaw(s, OPTS))
      .map((o) => (o.ok ? o.trace : []))
      .find((tr) => tr.some((e) => e.type === 'invoke' && e.registration?.startsWith('io:')))!;
    expect(violations(t)).toEqual([]);
    const invoke = t.find((e) => e.type === 'invoke' && e.registration?.startsWith('io:'))!;
    const ex: TraceEntry[] = [
      { seq: 0, step: 9, thread: 'sys:x', type: 'call', component: 'x', api: 'IoUnregisterPlugPlayNotificationEx', args: { NotificationEntry: (invoke as { registration: string }).registration } },
      { seq: 0, step: 9, thread: 'sys:x', type: 'return', component: 'x', api: 'IoUnregisterPlugPlayNotificationEx', result: 'STATUS_SUCCESS' },
      { ...invoke },
    ];
    const bad = [...t.slice(0, -1), ...ex, t[t.length - 1]].map((e, i) => ({ ...e, seq: i }));
    expect(violations(bad).some((v) => v.includes('after its unregister returned'))).toBe(true);
    const jump = [...t.slice(0, -1), { seq: 0, step: 9, thread: 'hotplug', type: 'state', entity: 'processor:7', from: 'not-present', to: 'starting' } as TraceEntry, t[t.length - 1]].map((e, i) => ({ ...e, seq: i }));
    expect(violations(jump).some((v) => v.startsWith('hot-add of NtNumber 7'))).toBe(true);
    expect(violations([...t, { ...t[t.length - 1], seq: t.length }])).toContain('2 halts');
  });
});
