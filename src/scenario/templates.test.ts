import { describe, expect, it } from 'vitest';
import seed000 from './demos/seed000-sync.json';
import cmDevicesApps from './fixtures/golden/cm-devices-apps.json';
import { run } from '../engine/testing.ts';
import { load } from './load.ts';
import { addTemplate, contextOf, freshId, makeTemplate, TEMPLATES, type TemplateId } from './templates.ts';

const EMPTY = { format: 'pnp-scenario/1' };
const ids = TEMPLATES.map((t) => t.id);

const hazards = (r: ReturnType<typeof run>) => r.hazards();

describe('templates', () => {
  it.each(ids)('%s loads cleanly into an empty scenario and runs to quiescence without hazards', (id) => {
    const { scenario, id: component } = addTemplate(EMPTY, id);
    const loaded = load(scenario);
    expect(loaded.ok ? [] : loaded.errors).toEqual([]);
    if (!loaded.ok) return;
    expect(loaded.warnings).toEqual([]);
    const r = run(scenario);
    expect(r.halt).toBe('quiescent');
    expect(hazards(r)).toEqual([]);
    // The component's own callbacks run: the timeline exercises what the template is about.
    expect(r.callbacks().some((c) => c.startsWith(`${component}!`))).toBe(true);
  });

  it.each(ids)('%s can be added twice, and next to every other template', (id) => {
    let s: unknown = EMPTY;
    for (const other of [id, ...ids]) s = addTemplate(s, other).scenario;
    const loaded = load(s);
    expect(loaded.ok ? [] : loaded.errors).toEqual([]);
    expect(run(s).halt).toBe('quiescent');
  });

  it('adds to an existing scenario without changing it, under a fresh id', () => {
    const before = structuredClone(seed000);
    const { scenario, id } = addTemplate(seed000, 'seed000-sync-driver');
    expect(seed000).toEqual(before);
    expect(id).toBe('syncdrv');
    expect(Object.keys(scenario.drivers!)).toEqual(['sampledrv', 'syncdrv']);
    expect(scenario.timeline!.slice(0, 3)).toEqual(seed000.timeline);
    expect(scenario.timeline!.slice(3)).toEqual([{ do: 'load', driver: 'syncdrv' }, { do: 'hotAddProcessor' }, { do: 'unload', driver: 'syncdrv' }]);
    expect(addTemplate(scenario, 'seed000-sync-driver').id).toBe('syncdrv2');
    // seed 000's machine tops out at 4 processors: the two hot-adds fit.
    const r = run(scenario);
    expect(r.halt).toBe('quiescent');
    expect(r.hazards()).toEqual([]);
  });

  it('reuses a present toaster and its function driver when the scenario has one', () => {
    const { scenario } = addTemplate(cmDevicesApps, 'toastmon-monitor');
    expect(scenario.machine!.devices).toEqual(cmDevicesApps.machine.devices);
    expect(Object.keys(scenario.drivers!)).toEqual(['toaster', 'toastmon']);
    expect(scenario.timeline!.slice(-2)).toEqual([
      { do: 'eject', device: 'toaster0' },
      { do: 'plug', device: 'toaster0' },
    ]);
    expect(load(scenario).ok).toBe(true);
  });

  it('gives a plugged device a fresh id on the toaster stack already there', () => {
    const { scenario } = addTemplate(cmDevicesApps, 'interface-watcher');
    const added = scenario.machine!.devices!.at(-1)!;
    expect(added).toEqual({ id: 'toaster2', parent: 'root', stack: ['toaster'], interfaces: ['GUID_DEVINTERFACE_TOASTER'], present: false });
    expect(load(scenario).ok).toBe(true);
  });

  it('adds its own toaster driver when "toaster" is an app', () => {
    const s = { format: 'pnp-scenario/1', apps: { toaster: { routines: { main: [] } } } };
    const { scenario } = addTemplate(s, 'seed002-monitor-app');
    expect(scenario.machine!.devices![0].stack).toEqual(['toaster2']);
    expect(Object.keys(scenario.drivers!)).toEqual(['toaster2']);
    expect(load(scenario).ok).toBe(true);
  });

  it('uses a memory id nobody uses yet', () => {
    const s = { format: 'pnp-scenario/1', machine: { memory: [{ id: 'mem', sizeMiB: 512 }] }, timeline: [{ do: 'hotAddMemory', id: 'mem2', sizeMiB: 64 }] };
    const { scenario } = addTemplate(s, 'seed001-async-driver');
    expect(scenario.timeline).toContainEqual({ do: 'hotAddMemory', id: 'mem3', sizeMiB: 1024 });
    expect(load(scenario).ok).toBe(true);
  });

  it('starts from nothing when the input is not a scenario object', () => {
    for (const bad of [null, 42, 'x', []]) expect(load(addTemplate(bad, 'seed000-sync-driver').scenario).ok).toBe(true);
  });

  it('keeps odd keys as plain data (no prototype setter)', () => {
    const s = JSON.parse('{"format":"pnp-scenario/1","drivers":{"__proto__":{"routines":{}}}}');
    const { scenario } = addTemplate(s, 'seed000-sync-driver');
    expect(Object.keys(scenario.drivers!)).toEqual(['__proto__', 'syncdrv']);
    expect(Object.getPrototypeOf(scenario.drivers)).toBe(Object.prototype);
  });

  it('follows the seed documents’ code shapes', () => {
    const t000 = makeTemplate('seed000-sync-driver', 'd');
    expect(JSON.stringify(t000.spec)).toContain('"Flags":["KE_PROCESSOR_CHANGE_ADD_EXISTING"]');
    const t001 = makeTemplate('seed001-async-driver', 'd');
    const calls = (t001.spec.routines!.DriverEntry as { EventCategoryData?: string }[]).map((o) => o.EventCategoryData);
    expect(calls).toEqual(['GUID_DEVICE_PROCESSOR', 'GUID_DEVICE_MEMORY']);
    const app = JSON.stringify(makeTemplate('seed002-monitor-app', 'a').spec);
    // Register first, then list (CM-3); unregister from threadpool work (CM-6).
    expect(app.indexOf('CM_Register_Notification')).toBeLessThan(app.indexOf('CM_Get_Device_Interface_List'));
    expect(app).toContain('"call":"SubmitThreadpoolWork"');
  });

  it('shows what each template is for', () => {
    const r = (id: TemplateId) => run(addTemplate(EMPTY, id).scenario);
    expect(r('seed000-sync-driver').callbacks()).toEqual([
      'syncdrv!SyncProcessorCallback:Start(0)',
      'syncdrv!SyncProcessorCallback:Complete(0)',
      'syncdrv!SyncProcessorCallback:Start(1)',
      'syncdrv!SyncProcessorCallback:Complete(1)',
    ]);
    expect(r('seed001-async-driver').callbacks()).toEqual(['asyncdrv!AsyncProcessorCallback:ARRIVAL(processor1)', 'asyncdrv!AsyncMemoryCallback:ARRIVAL(mem)']);
    expect(r('interface-watcher').callbacks()).toEqual(['watcher!InterfaceCallback:ARRIVAL(toaster0)', 'watcher!InterfaceCallback:REMOVAL(toaster0)']);
    const toastmon = r('toastmon-monitor');
    expect(toastmon.callbacks()).toEqual([
      'toastmon!InterfaceCallback:ARRIVAL(toaster0)',
      'toastmon!TargetCallback:QUERY_REMOVE',
      'toastmon!TargetCallback:REMOVE_COMPLETE',
      'toastmon!InterfaceCallback:REMOVAL(toaster0)',
      'toastmon!InterfaceCallback:ARRIVAL(toaster0)',
    ]);
    expect(toastmon.returned('CM_Query_And_Remove_SubTree').map((e) => e.result)).toEqual(['CR_SUCCESS']);
    const monitor = r('seed002-monitor-app');
    expect(monitor.returned('CM_Query_And_Remove_SubTree').map((e) => e.result)).toEqual(['CR_SUCCESS']);
    expect(monitor.of('call').filter((c) => c.api === 'SubmitThreadpoolWork')).toHaveLength(1);
  });
});

describe('helpers', () => {
  it('freshId numbers from 2', () => {
    expect(freshId('a', new Set())).toBe('a');
    expect(freshId('a', new Set(['a', 'a2']))).toBe('a3');
  });

  it('contextOf reads a half-written scenario without throwing', () => {
    expect(contextOf({ drivers: 3, apps: { x: {} }, machine: { devices: [null, { id: 'd', stack: [] }], memory: 'no' }, timeline: {} })).toEqual({
      components: new Set(['x']),
      drivers: new Set(),
      devices: [{ id: 'd', stack: [] }],
      memory: new Set(),
    });
  });
});
