import { describe, expect, it } from 'vitest';
import { runScenario } from '../../engine/index.ts';
import { createSeeker } from '../../engine/snapshot.ts';
import type { TraceEntry } from '../../engine/trace.ts';
import seed000 from '../../scenario/demos/seed000-sync.json';
import { cmRegister, createFile, handleFilter, interfaceFilter, note, plug, scenario, start, sw, TOASTER, toasterDevice } from '../../scenario/builder.ts';
import { addDevice, addProcessor } from '../../scenario/gestures.ts';
import { load } from '../../scenario/load.ts';
import type { NormalizedScenario, Scenario } from '../../scenario/types.ts';
import { buildTraceIndex } from '../../trace/indexes.ts';
import { deriveGraph } from './derive.ts';
import { COLLAPSE_AT, layoutGraph } from './layout.ts';
import { universeOf } from './universe.ts';

function norm(s: unknown): NormalizedScenario {
  const r = load(s);
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return r.scenario;
}

function run(s: NormalizedScenario): TraceEntry[] {
  const r = runScenario(s);
  if (!r.ok) throw new Error('run failed');
  return r.trace;
}

const seed = norm(seed000);

const monitor: Scenario = scenario({
  machine: { processors: 1, devices: [toasterDevice('toaster0'), toasterDevice('toaster1', 'toaster', false)] },
  drivers: { toaster: {} },
  apps: {
    monitor: {
      routines: {
        main: [cmRegister(interfaceFilter(TOASTER), 'OnInterface', 'hInterfaceNotify', { result: null })],
        OnInterface: sw('Action', {
          CM_NOTIFY_ACTION_DEVICEINTERFACEARRIVAL: [createFile('$SymbolicLink'), cmRegister(handleFilter('hDevice'), 'OnDevice', 'hDeviceNotify', { result: null })],
        }),
        OnDevice: [note('device event')],
      },
    },
  },
  timeline: [start('monitor'), plug('toaster1')],
});

describe('universe and layout', () => {
  it('counts every processor and memory module the scenario can ever have', () => {
    const u = universeOf(seed);
    expect(u.processors).toBe(3);
    expect(u.drivers).toEqual(['sampledrv']);
    expect(u.affinity.get('drv:sampledrv')).toEqual(['partition']);
  });

  it('is stable: positions depend on the scenario only, and adding a device does not move the others', () => {
    const a = layoutGraph(universeOf(seed));
    const b = layoutGraph(universeOf(seed));
    expect(a.nodes).toEqual(b.nodes);
    const more = addDevice(seed, { index: 3, seq: Infinity }).scenario;
    const c = layoutGraph(universeOf(more));
    for (const n of a.nodes) if (n.id !== 'partition') expect(c.byId.get(n.id)).toMatchObject({ x: n.x, y: n.y });
    expect(c.byId.get('dev:device1')).toBeDefined();
  });

  it('processors sit inside the partition; past COLLAPSE_AT they collapse into a count node unless expanded', () => {
    const small = layoutGraph(universeOf(seed));
    expect(small.nodes.filter((n) => n.kind === 'cpu').map((n) => n.parentId)).toEqual(['partition', 'partition', 'partition']);
    const big = norm({ ...seed000, machine: { processors: 256, maxProcessors: 256 } });
    const collapsed = layoutGraph(universeOf(big));
    expect(collapsed.collapsed).toBe(true);
    expect(collapsed.nodes.filter((n) => n.kind === 'cpu')).toHaveLength(0);
    expect(collapsed.byId.get('cpus')).toBeDefined();
    const expanded = layoutGraph(universeOf(big), true);
    expect(expanded.nodes.filter((n) => n.kind === 'cpu')).toHaveLength(256);
    expect(COLLAPSE_AT).toBe(16);
  });

  it('a device tree reads left to right: children one rank right of their parent, the parent centred beside them', () => {
    // root ── device1 ─┬─ device2 ── device4
    //                  └─ device3
    let s = seed;
    const add = (parent: string) => (s = addDevice(s, { index: s.timeline.length, seq: Infinity }, parent).scenario);
    add('root');
    add('device1');
    add('device1');
    add('device2');
    const l = layoutGraph(universeOf(s));
    const at = (id: string) => l.byId.get(`dev:${id}`)!;
    const [d1, d2, d3, d4] = ['device1', 'device2', 'device3', 'device4'].map(at);
    expect(d2.x).toBeGreaterThan(d1.x + d1.w);
    expect(d3.x).toBe(d2.x);
    expect(d4.x).toBeGreaterThan(d2.x + d2.w);
    expect(d3.y).toBeGreaterThanOrEqual(d2.y + d2.h);
    const centre = (n: { y: number; h: number }) => n.y + n.h / 2;
    expect(centre(d1)).toBeGreaterThan(centre(d2));
    expect(centre(d1)).toBeLessThan(centre(d3));
    expect(Math.abs(centre(d2) - centre(d4))).toBeLessThanOrEqual(1);
  });

  it('dozens of devices are packed in columns, without overlaps', () => {
    let s = seed;
    for (let i = 0; i < 40; i++) s = addDevice(s, { index: s.timeline.length, seq: Infinity }, i % 4 === 1 ? `device${i}` : 'root').scenario;
    const l = layoutGraph(universeOf(s));
    const devs = l.nodes.filter((n) => n.kind === 'device');
    expect(devs).toHaveLength(40);
    const columns = new Set(devs.map((d) => d.x));
    expect(columns.size).toBeGreaterThan(2);
    for (const a of devs) {
      for (const b of devs) {
        if (a === b) continue;
        const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
        expect(overlap, `${a.id} overlaps ${b.id}`).toBe(false);
      }
    }
  });
});

describe('derive', () => {
  const isApp = (s: NormalizedScenario) => (id: string) => id in s.apps;

  it('seed 000: the processor callback runs on the driver; the ke registration points at the partition and carries the notification', () => {
    const s = norm(addProcessor(seed, { index: 1, seq: Infinity }).scenario);
    const trace = run(s);
    const u = universeOf(s);
    const seeker = createSeeker(s, trace);
    const at = trace.findIndex((e) => e.type === 'invoke' && e.args.NtNumber === 2 && e.args.State === 'KeProcessorAddStartNotify');
    const g = deriveGraph({ universe: u, snapshot: seeker.at(at), trace, collapsed: false, isApp: isApp(s) });
    expect(g.nodes.get('drv:sampledrv')).toMatchObject({ state: 'loaded', running: true });
    expect(g.nodes.get('cpu:2')).toMatchObject({ state: 'starting', changed: true });
    const reg = g.edges.find((e) => e.kind === 'registration');
    expect(reg).toMatchObject({ source: 'drv:sampledrv', target: 'partition', status: 'inflight', current: true, caption: 'KeProcessorAddStartNotify · CPU 2' });
    // After unload the registration is gone.
    const end = deriveGraph({ universe: u, snapshot: seeker.at(trace.length - 1), trace, collapsed: false, isApp: isApp(s) });
    expect(end.edges.filter((e) => e.kind === 'registration')).toEqual([]);
    expect(end.nodes.get('drv:sampledrv')?.state).toBe('unloaded');
  });

  it('the partition counts the processors present at the cursor, not the slots', () => {
    const s = norm(addProcessor(seed, { index: 1, seq: Infinity }).scenario);
    const trace = run(s);
    const u = universeOf(s);
    const seeker = createSeeker(s, trace);
    const slots = u.processors;
    const at = (seq: number) => deriveGraph({ universe: u, snapshot: seeker.at(seq), trace, collapsed: false, isApp: isApp(s) }).nodes.get('partition')?.present;
    const added = trace.findIndex((e) => e.type === 'state' && e.entity === `processor:${slots - 1}`);
    expect(added).toBeGreaterThan(0);
    expect(at(added - 1)).toEqual({ processors: slots - 1, memory: 0 });
    expect(at(trace.length - 1)).toEqual({ processors: slots, memory: 0 });
  });

  it('an app: interface registration to each toaster interface, a handle and a handle registration to the opened device', () => {
    const s = norm(monitor);
    const trace = run(s);
    const seeker = createSeeker(s, trace);
    const g = deriveGraph({ universe: universeOf(s), snapshot: seeker.at(trace.length - 1), trace, collapsed: false, isApp: isApp(s) });
    const edges = g.edges.filter((e) => e.kind !== 'tree').map((e) => `${e.kind} ${e.source} → ${e.target}${e.targetHandle ? ` [${e.targetHandle}]` : ''}`);
    expect(edges.sort()).toEqual([
      'handle app:monitor → dev:toaster1',
      'registration app:monitor → dev:toaster0 [if:GUID_DEVINTERFACE_TOASTER]',
      'registration app:monitor → dev:toaster1',
      'registration app:monitor → dev:toaster1 [if:GUID_DEVINTERFACE_TOASTER]',
    ]);
    expect(g.nodes.get('dev:toaster1')).toMatchObject({ state: 'started', openHandles: 1 });
    expect(g.nodes.get('dev:toaster1')?.layers).toEqual([
      { driver: 'toaster', role: 'FDO', system: false, active: false },
      { driver: 'ROOT', role: 'PDO', system: true, active: false },
    ]);
    expect(g.nodes.get('dev:toaster1')?.interfaces).toEqual([{ className: 'GUID_DEVINTERFACE_TOASTER', state: 'enabled' }]);
  });

  it('a blocked delivering thread is drawn on the PnP manager while the app callback runs', () => {
    const s = norm(monitor);
    const trace = run(s);
    const seeker = createSeeker(s, trace);
    const at = trace.findIndex((e) => e.type === 'invoke' && e.component === 'monitor' && e.routine === 'OnInterface');
    const g = deriveGraph({ universe: universeOf(s), snapshot: seeker.at(at), trace, collapsed: false, isApp: isApp(s) });
    expect(g.nodes.get('root')?.blocked).toMatch(/^pnp waits for monitor!OnInterface/);
    expect(g.nodes.get('app:monitor')?.running).toBe(true);
  });

  it('collapsed processors are counted by state', () => {
    const big = norm({ ...seed000, machine: { processors: 20, maxProcessors: 32 } });
    const trace = run(big);
    const u = universeOf(big);
    const g = deriveGraph({ universe: u, snapshot: createSeeker(big, trace).at(trace.length - 1), trace, collapsed: true, isApp: () => false });
    expect(g.nodes.get('cpus')?.counts).toEqual({ active: 21 });
  });
});

describe('derive: edge states', () => {
  const isApp = (s: NormalizedScenario) => (id: string) => id in s.apps;
  const at = (s: NormalizedScenario, trace: TraceEntry[], i: number) =>
    deriveGraph({ universe: universeOf(s), snapshot: createSeeker(s, trace).at(i), trace, collapsed: false, isApp: isApp(s) });

  it('vetoing: a handle callback that refuses the query-remove', () => {
    const vetoing = structuredClone(monitor);
    vetoing.apps!.monitor.routines!.OnDevice = {
      switch: 'Action',
      cases: { CM_NOTIFY_ACTION_DEVICEQUERYREMOVE: [{ op: 'return', value: 'ERROR_CANCELLED' }] },
    };
    vetoing.timeline!.push({ do: 'eject', device: 'toaster1' });
    const s = norm(vetoing);
    const trace = run(s);
    const done = trace.findIndex((e) => e.type === 'complete' && e.routine === 'OnDevice' && e.result === 'ERROR_CANCELLED');
    expect(done).toBeGreaterThan(0);
    const reg = at(s, trace, done).edges.find((e) => e.kind === 'registration' && e.target === 'dev:toaster1' && !e.targetHandle);
    expect(reg?.status).toBe('vetoing');
    // The trace's index names the registration whose callback vetoed (what the graph reads).
    const opener = trace.slice(0, done).findLast((e) => e.type === 'invoke' && e.thread === trace[done].thread);
    expect(buildTraceIndex(trace).vetoes).toContainEqual({ seq: done, registration: opener?.type === 'invoke' ? opener.registration : null });
  });

  it('pinned: a registration unregistered from inside its own callback, while that callback still runs', () => {
    const s = norm({
      format: 'pnp-scenario/1',
      machine: { processors: 1, maxProcessors: 2 },
      drivers: {
        once: {
          routines: {
            DriverEntry: [
              {
                call: 'IoRegisterPlugPlayNotification',
                EventCategory: 'EventCategoryDeviceInterfaceChange',
                EventCategoryFlags: [],
                EventCategoryData: 'GUID_DEVICE_PROCESSOR',
                CallbackRoutine: 'OnProcessor',
                Context: null,
                NotificationEntry: 'Entry',
                result: 'Status',
              },
            ],
            OnProcessor: [{ call: 'IoUnregisterPlugPlayNotificationEx', NotificationEntry: 'Entry' }, { op: 'note', text: 'still in the callback' }],
          },
        },
      },
      timeline: [{ do: 'load', driver: 'once' }, { do: 'hotAddProcessor' }],
    });
    const trace = run(s);
    const i = trace.findIndex((e) => e.type === 'note' && e.text === 'still in the callback');
    expect(i).toBeGreaterThan(0);
    const g = at(s, trace, i);
    expect(g.edges.find((e) => e.kind === 'registration')).toMatchObject({ source: 'drv:once', target: 'partition', status: 'pinned' });
    // Once the callback returned, the registration is gone from the graph.
    const after = at(s, trace, trace.length - 1);
    expect(after.edges.filter((e) => e.kind === 'registration')).toEqual([]);
  });
});
