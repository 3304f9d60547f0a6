import { describe, expect, it } from 'vitest';
import { runScenario } from '../engine/index.ts';
import type { TraceEntry } from '../engine/trace.ts';
import { cmRegister, cmUnregister, interfaceFilter, note, scenario, start, TOASTER, toasterDevice } from './builder.ts';
import seed000 from './demos/seed000-sync.json';
import {
  addDevice,
  addMemory,
  addProcessor,
  appAction,
  deviceAction,
  driverAction,
  GENERIC_INTERFACE,
  GestureError,
  insertionPoint,
  newDeviceClass,
  pickThread,
  processorCount,
  removeMemory,
  removeProcessor,
  runnableRoutines,
  runRoutine,
  type GestureResult,
} from './gestures.ts';
import { load } from './load.ts';
import type { NormalizedScenario, Scenario } from './types.ts';

function norm(s: unknown): NormalizedScenario {
  const r = load(s);
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return r.scenario;
}

function trace(s: NormalizedScenario): TraceEntry[] {
  const r = runScenario(s);
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.trace;
}

/** The gesture's scenario is valid and runs; returns its trace. */
function runs(g: GestureResult): TraceEntry[] {
  return trace(norm(g.scenario));
}

const seed = norm(seed000);
const seedTrace = trace(seed);
const end = seedTrace.length - 1;
const atEnd = insertionPoint(seed, seedTrace, end);
/** The last entry of timeline step 1 (load sampledrv): the driver is loaded and registered. */
const afterLoad = seedTrace.findLastIndex((e) => e.step === 1);

const monitorScenario: Scenario = scenario({
  machine: { processors: 1, devices: [toasterDevice()] },
  drivers: { toaster: { routines: {} } },
  apps: {
    monitor: {
      routines: {
        main: [cmRegister(interfaceFilter(TOASTER), 'OnInterface', 'hNotify', { result: null })],
        OnInterface: [note('interface event')],
        Cleanup: [cmUnregister('hNotify')],
      },
    },
  },
  timeline: [start('monitor')],
});

describe('insertionPoint', () => {
  it('inserts after the action the cursor is in', () => {
    expect(insertionPoint(seed, seedTrace, 0)).toMatchObject({ index: 0 }); // boot
    expect(insertionPoint(seed, seedTrace, afterLoad)).toMatchObject({ index: 1 });
    expect(atEnd).toEqual({ index: 3, seq: seedTrace.length });
  });

  it('the first seq that may change is the first entry of the next action', () => {
    const ins = insertionPoint(seed, seedTrace, afterLoad);
    expect(seedTrace[ins.seq]).toMatchObject({ type: 'action', index: 1 });
  });

  it('skips past actions that start concurrently with the cursor action', () => {
    const s = norm({ ...seed000, timeline: [seed000.timeline[0], { do: 'hotAddProcessor' }, { do: 'unload', driver: 'sampledrv', concurrent: true }] });
    const t = trace(s);
    const inHotAdd = t.findIndex((e) => e.type === 'action' && e.index === 1);
    expect(insertionPoint(s, t, inHotAdd).index).toBe(3);
  });

  it('appends when there is no trace yet', () => {
    expect(insertionPoint(seed, [], 0)).toEqual({ index: 3, seq: Number.POSITIVE_INFINITY });
  });
});

describe('palette gestures', () => {
  it('Processor: hot-adds one where the cursor is; the registered callback sees Start and Complete for it', () => {
    const g = addProcessor(seed, insertionPoint(seed, seedTrace, afterLoad));
    expect(g.actionIndex).toBe(1);
    expect(g.scenario.timeline.map((a) => a.do)).toEqual(['load', 'hotAddProcessor', 'hotAddProcessor', 'unload']);
    expect(g.select).toEqual({ kind: 'processor' });
    const t = runs(g);
    const states = t
      .filter((e) => e.type === 'invoke' && e.step === 2)
      .map((e) => (e.type === 'invoke' ? `${e.args.State}(${e.args.NtNumber})` : ''));
    expect(states).toEqual(['KeProcessorAddStartNotify(2)', 'KeProcessorAddCompleteNotify(2)']);
    expect(seed.timeline).toHaveLength(3); // the input is not modified
  });

  it('Processor: raises maxProcessors when the machine is full', () => {
    let s = seed;
    for (let i = 0; i < 3; i++) s = addProcessor(s, { index: s.timeline.length, seq: Infinity }).scenario;
    expect(processorCount(s)).toBe(6);
    expect(s.machine.maxProcessors).toBe(6);
    const t = trace(norm(s));
    expect(t.filter((e) => e.type === 'hazard')).toEqual([]); // no KE-10 refusal
  });

  it('Memory module: hot-adds mem0, then mem1, 4 GiB each', () => {
    const a = addMemory(seed, atEnd);
    expect(a.scenario.timeline.at(-1)).toEqual({ do: 'hotAddMemory', id: 'mem0', sizeMiB: 4096 });
    expect(a.select).toEqual({ kind: 'memory', id: 'mem0' });
    const b = addMemory(a.scenario, { index: a.scenario.timeline.length, seq: Infinity });
    expect(b.scenario.timeline.at(-1)).toMatchObject({ id: 'mem1' });
    expect(runs(b).some((e) => e.type === 'state' && e.entity === 'memory:mem1' && e.to === 'active')).toBe(true);
  });

  it('Device: adds deviceN driven by genericN (no routines), not present at boot, and plugs it in', () => {
    const g = addDevice(seed, atEnd);
    expect(g.scenario.machine.devices).toEqual([
      { id: 'device1', parent: 'root', stack: ['generic1'], interfaces: [GENERIC_INTERFACE], present: false },
    ]);
    expect(g.scenario.drivers.generic1).toEqual({ globals: {}, routines: {} });
    expect(g.scenario.timeline.at(-1)).toEqual({ do: 'plug', device: 'device1' });
    expect(g.select).toEqual({ kind: 'device', id: 'device1' });
    const t = runs(g);
    expect(t.some((e) => e.type === 'state' && e.entity === 'device:device1' && e.to === 'started')).toBe(true);
    // A child of the new device, numbered past it.
    const child = addDevice(g.scenario, { index: g.scenario.timeline.length, seq: Infinity }, 'device1');
    expect(child.scenario.machine.devices[1]).toMatchObject({ id: 'device2', parent: 'device1', stack: ['generic2'] });
    runs(child);
  });

  it('Device: exposes an interface class somebody listens for', () => {
    const s = norm(monitorScenario);
    expect(newDeviceClass(s)).toBe('GUID_DEVINTERFACE_TOASTER');
    const g = addDevice(s, { index: 1, seq: Infinity });
    const t = runs(g);
    const arrivals = t.filter((e) => e.type === 'invoke' && e.component === 'monitor' && String(e.args.SymbolicLink).includes('DEVICE1'));
    expect(arrivals).toHaveLength(1);
  });

  it('Device: refuses an unknown parent', () => {
    expect(() => addDevice(seed, atEnd, 'nope')).toThrow(GestureError);
  });
});

describe('actions panel gestures', () => {
  const s = norm(monitorScenario);
  const ins = { index: 1, seq: Infinity };

  it('device: Eject, Surprise remove, Plug in', () => {
    for (const verb of ['eject', 'surpriseRemove'] as const) {
      const g = deviceAction(s, ins, verb, 'toaster0');
      expect(g.scenario.timeline[1]).toEqual({ do: verb, device: 'toaster0' });
      const t = runs(g);
      expect(t.some((e) => e.type === 'state' && e.entity === 'device:toaster0' && e.to === 'removed')).toBe(true);
    }
    const removed = deviceAction(s, ins, 'surpriseRemove', 'toaster0').scenario;
    const back = deviceAction(removed, { index: 2, seq: Infinity }, 'plug', 'toaster0');
    expect(back.scenario.timeline.map((a) => a.do)).toEqual(['start', 'surpriseRemove', 'plug']);
    expect(() => deviceAction(s, ins, 'eject', 'toaster9')).toThrow(/no device toaster9/);
  });

  it('driver: Load, Unload', () => {
    const g = driverAction(seed, { index: 3, seq: Infinity }, 'load', 'sampledrv');
    expect(g.scenario.timeline.at(-1)).toEqual({ do: 'load', driver: 'sampledrv' });
    expect(g.select).toEqual({ kind: 'driver', id: 'sampledrv' });
    const u = driverAction(g.scenario, { index: 4, seq: Infinity }, 'unload', 'sampledrv');
    expect(u.scenario.timeline.at(-1)).toEqual({ do: 'unload', driver: 'sampledrv' });
    runs(u);
  });

  it('app: Start, Exit, run a routine', () => {
    const e = appAction(s, ins, 'exit', 'monitor');
    expect(e.scenario.timeline[1]).toEqual({ do: 'exit', app: 'monitor' });
    runs(e);
    expect(runnableRoutines(s, 'monitor')).toEqual(['OnInterface', 'Cleanup']);
    const r = runRoutine(s, ins, 'monitor', 'Cleanup');
    expect(r.scenario.timeline[1]).toEqual({ do: 'run', component: 'monitor', routine: 'Cleanup' });
    expect(r.select).toEqual({ kind: 'app', id: 'monitor' });
    runs(r);
    expect(() => runRoutine(s, ins, 'monitor', 'Nope')).toThrow(GestureError);
    const st = appAction(e.scenario, { index: 2, seq: Infinity }, 'start', 'monitor');
    expect(st.scenario.timeline.map((a) => a.do)).toEqual(['start', 'exit', 'start']);
  });

  it('processor: Remove processor is refused by the engine with KE-6', () => {
    const g = removeProcessor(seed, atEnd, 1);
    const t = runs(g);
    const hazard = t.find((e) => e.type === 'hazard');
    expect(hazard).toMatchObject({ rule: 'KE-6', severity: 'warning' });
  });

  it('memory: Remove memory module is refused too', () => {
    const added = addMemory(seed, atEnd);
    const g = removeMemory(added.scenario, { index: 4, seq: Infinity }, 'mem0');
    expect(g.scenario.timeline.at(-1)).toEqual({ do: 'removeMemory', id: 'mem0' });
    expect(runs(g).find((e) => e.type === 'hazard')).toMatchObject({ rule: 'KE-6' });
    expect(() => removeMemory(seed, atEnd, 'mem9')).toThrow(GestureError);
  });
});

describe('schedule', () => {
  const racing = norm({
    ...seed000,
    timeline: [seed000.timeline[0], { do: 'hotAddProcessor' }, { do: 'unload', driver: 'sampledrv', concurrent: true }],
  });
  const r = runScenario(racing);
  if (!r.ok) throw new Error('racing scenario failed');

  it('pickThread writes { step, choice, run }, replaces the override at that choice point and drops later ones; the result runs with that choice', () => {
    const first = r.choices[0];
    const other = first.runnable.find((t) => t !== first.chosen)!;
    const { step, choice } = first;
    const s1 = pickThread({
      ...racing,
      schedule: [{ at: 1, run: 'x' }, { at: first.at, run: first.chosen }, { step, choice, run: first.chosen }, { step, choice: choice + 1, run: 'y' }, { at: first.at + 50, run: 'y' }],
    }, first, other);
    expect(s1.schedule).toEqual([{ at: 1, run: 'x' }, { step, choice, run: other }]);
    const s2 = pickThread(racing, first, other);
    const again = runScenario(norm(s2));
    expect(again.ok).toBe(true);
    if (again.ok) expect(again.choices.find((c) => c.at === first.at)?.chosen).toBe(other);
  });

  it('a gesture drops overrides at or after the insertion point and keeps the earlier ones', () => {
    const c = r.choices[0];
    const s = { ...racing, schedule: [{ at: c.at, run: c.chosen }] };
    const kept = addMemory(s, { index: 3, seq: c.at + 1 });
    expect(kept.scenario.schedule).toEqual([{ at: c.at, run: c.chosen }]);
    const dropped = addMemory(s, { index: 1, seq: c.at });
    expect(dropped.scenario.schedule).toEqual([]);
  });

  it('a gesture keeps stable overrides of the steps before the inserted action and drops the later ones', () => {
    const c = r.choices[0];
    const s = { ...racing, schedule: [{ step: c.step, choice: c.choice, run: c.chosen }] };
    expect(addMemory(s, { index: c.step, seq: 0 }).scenario.schedule).toEqual(s.schedule);
    expect(addMemory(s, { index: c.step - 1, seq: 0 }).scenario.schedule).toEqual([]);
  });
});
