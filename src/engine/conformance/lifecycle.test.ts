// Conformance: driver lifecycle (DRV-1…DRV-3), IRQL (docs/architecture.md §2.4, IRQL-1) and
// deadlock / stall / budget (§2.3: DL-1…DL-3).
import { describe, expect, it } from 'vitest';
import { load as loadScenario } from '../../scenario/load.ts';
import { Engine } from '../engine.ts';
import { frame, waitFor as waitForRoutine } from '../frame.ts';
import type { World } from '../model.ts';
import { run } from '../testing.ts';
import {
  acquire, allocNonPaged, allocPaged, freePool, hotAdd, ioRegister, keRegister, load, note, queueWorkItem, release, ret, runRoutine, scenario,
  seed000Driver, seed001Driver, sync, unload, waitFor,
} from './fixtures.ts';

describe('DRV-1 loading', () => {
  it('DRV-1 DriverEntry runs on sys:<driver> at PASSIVE_LEVEL with its DriverObject and RegistryPath', () => {
    const r = run(scenario({ drivers: { drv: seed001Driver() }, timeline: [load('drv')] }));
    const entry = r.of('invoke').find((e) => e.routine === 'DriverEntry')!;
    expect(entry).toMatchObject({
      thread: 'sys:drv', irql: 'PASSIVE_LEVEL', step: 1,
      args: { DriverObject: 'drv', RegistryPath: '\\Registry\\Machine\\System\\CurrentControlSet\\Services\\drv' },
    });
    expect(r.states('driver:drv')).toEqual(['not-loaded>loaded']);
    expect(r.hazards()).toEqual([]);
  });

  it('DRV-1 drivers of present devices load at boot (step 0), bottom of the stack first', () => {
    const r = run(scenario({
      machine: { devices: [{ id: 'dev0', stack: ['bus', 'fn'], interfaces: ['GUID_DEVINTERFACE_TOASTER'] }] },
      drivers: { fn: { routines: { DriverEntry: [note('fn')] } }, bus: { routines: { DriverEntry: [note('bus')] } }, other: { routines: { DriverEntry: [] } } },
    }));
    expect(r.of('invoke').map((e) => [e.component, e.step])).toEqual([['bus', 0], ['fn', 0]]);
    expect(r.states('driver:other')).toEqual([]);
  });

  it('DRV-1 a failing DriverEntry unloads at once without Unload; a leftover io registration is a leak (IO-6) and keeps the image', () => {
    const d = seed001Driver({ memory: false });
    d.routines.DriverEntry = [...(d.routines.DriverEntry as never[]), ret('STATUS_UNSUCCESSFUL')];
    const r = run(scenario({ machine: { processors: 1 }, drivers: { d }, timeline: [load('d'), hotAdd()] }));
    expect(r.of('invoke').map((e) => e.routine)).not.toContain('Unload');
    expect(r.hazards()).toEqual([{ rule: 'IO-6', severity: 'warning' }]);
    expect(r.states('driver:d')).toEqual(['not-loaded>loaded', 'loaded>unload-blocked']);
    // Its callbacks keep being called.
    expect(r.callbacks()).toEqual(['d!AsyncProcessorCallback:ARRIVAL(processor1)']);
    expect(r.halt).toBe('quiescent');
  });

  it('DRV-1 a failing DriverEntry leaving a processor-change registration: dangling callback (KE-5), 0xCE at the next hot-add', () => {
    const k = seed000Driver({ addExisting: false, extraEntry: [ret('STATUS_UNSUCCESSFUL')] });
    const r = run(scenario({ machine: { processors: 1 }, drivers: { k }, timeline: [load('k'), hotAdd()] }));
    expect(r.states('driver:k')).toEqual(['not-loaded>loaded', 'loaded>unloaded']);
    expect(r.hazards()).toEqual([{ rule: 'KE-5', severity: 'warning' }, { rule: 'KE-5', severity: 'bugcheck', bugcheck: '0xCE' }]);
    expect(r.halt).toBe('bugcheck');
  });

  it('DRV-1 a driver can be loaded again after it was unloaded; loading a loaded driver is a no-op note', () => {
    const r = run(scenario({ drivers: { drv: seed001Driver() }, timeline: [load('drv'), load('drv'), unload('drv'), load('drv')] }));
    expect(r.states('driver:drv')).toEqual(['not-loaded>loaded', 'loaded>unloading', 'unloading>unloaded', 'unloaded>loaded']);
    expect(r.of('invoke').filter((e) => e.routine === 'DriverEntry')).toHaveLength(2);
    expect(r.labels('note')).toEqual(['note drv is already loaded (loaded).']);
  });
});

describe('DRV-2 unloading', () => {
  it('DRV-2 Unload runs on sys:<driver>, then the image goes (no registration left)', () => {
    const r = run(scenario({ drivers: { drv: seed001Driver({ ex: true }) }, timeline: [load('drv'), unload('drv')] }));
    expect(r.labels('invoke', 'state').filter((l) => l.startsWith('driver') || l.includes('Unload') || l.startsWith('registration'))).toEqual([
      'driver:drv not-loaded>loaded', 'registration:io:1 none>active', 'registration:io:2 none>active',
      'driver:drv loaded>unloading', 'drv!Unload',
      'registration:io:1 active>unregistered', 'registration:io:2 active>unregistered',
      'driver:drv unloading>unloaded',
    ]);
    expect(r.of('invoke').find((e) => e.routine === 'Unload')).toMatchObject({ thread: 'sys:drv', irql: 'PASSIVE_LEVEL', args: { DriverObject: 'drv' } });
  });

  it('DRV-2 without an Unload routine the driver unloads directly; an unload-blocked image goes with its last registration', () => {
    const r = run(scenario({
      drivers: {
        plain: { routines: { DriverEntry: [] } },
        leaky: { routines: { DriverEntry: [ioRegister('GUID_DEVICE_PROCESSOR', 'Cb', 'Entry')], Cb: [], Later: [{ call: 'IoUnregisterPlugPlayNotificationEx', NotificationEntry: 'Entry' }] } },
      },
      timeline: [load('plain'), unload('plain'), load('leaky'), unload('leaky'), runRoutine('leaky', 'Later')],
    }));
    expect(r.states('driver:plain')).toEqual(['not-loaded>loaded', 'loaded>unloading', 'unloading>unloaded']);
    expect(r.states('driver:leaky')).toEqual(['not-loaded>loaded', 'loaded>unloading', 'unloading>unload-blocked', 'unload-blocked>unloaded']);
    expect(r.hazards()).toEqual([{ rule: 'IO-6', severity: 'warning' }]);
  });

  it('DRV-2 unloading a driver that is not loaded is a no-op note', () => {
    const r = run(scenario({ drivers: { drv: seed001Driver() }, timeline: [unload('drv')] }));
    expect(r.states('driver:drv')).toEqual([]);
    expect(r.labels('note')).toEqual(['note drv is not loaded (not-loaded); nothing to unload.']);
  });
});

describe('DRV-3 calls into an unloaded image', () => {
  it('DRV-3 a work item still queued when the driver unloads: bug check 0xCE when it runs', () => {
    const r = run(scenario({
      drivers: { w: { routines: { Unload: [queueWorkItem('Work', null)], Work: [note('never runs')] } } },
      timeline: [load('w'), unload('w')],
    }));
    expect(r.states('driver:w').at(-1)).toBe('unloading>unloaded');
    expect(r.hazards()).toEqual([{ rule: 'DRV-3', severity: 'bugcheck', bugcheck: '0xCE' }]);
    expect(r.of('hazard')[0].thread).toBe('worker:1');
    expect(r.labels('note')).toEqual([]);
    expect(r.halt).toBe('bugcheck');
  });

  it('DRV-3 a processor-change callback into an unloaded driver is the same bug check, named KE-5', () => {
    const r = run(scenario({ machine: { processors: 1 }, drivers: { a: seed000Driver({ unload: false }) }, timeline: [load('a'), unload('a'), hotAdd()] }));
    expect(r.hazards().at(-1)).toEqual({ rule: 'KE-5', severity: 'bugcheck', bugcheck: '0xCE' });
  });
});

describe('IRQL-1 IRQL violations', () => {
  const atDispatch = (...ops: unknown[]) =>
    run(scenario({ drivers: { drv: { globals: {}, routines: { DriverEntry: [acquire(), ...(ops as never[]), release()], Cb: [], Work: [] } } }, timeline: [load('drv')] }));

  it('IRQL-1 IoRegisterPlugPlayNotification at DISPATCH_LEVEL: Driver Verifier 0xC4, halt; the call never returns', () => {
    const r = atDispatch(ioRegister('GUID_DEVICE_PROCESSOR', 'Cb', 'Entry'));
    expect(r.hazards()).toEqual([{ rule: 'IRQL-1', severity: 'bugcheck', bugcheck: '0xC4' }]);
    expect(r.of('hazard')[0].bugcheck).toBe('0xC4 DRIVER_VERIFIER_DETECTED_VIOLATION');
    expect(r.of('call').at(-1)).toMatchObject({ api: 'IoRegisterPlugPlayNotification', irql: 'DISPATCH_LEVEL' });
    expect(r.returned('IoRegisterPlugPlayNotification')).toEqual([]);
    expect(r.states('irql:sys:drv')).toEqual(['PASSIVE_LEVEL>DISPATCH_LEVEL']);
    expect(r.halt).toBe('bugcheck');
  });

  it('IRQL-1 paged pool at DISPATCH_LEVEL is a violation; non-paged pool and IoQueueWorkItem are allowed there', () => {
    expect(atDispatch(allocPaged('P')).hazards()).toEqual([{ rule: 'IRQL-1', severity: 'bugcheck', bugcheck: '0xC4' }]);
    const ok = atDispatch(allocNonPaged('N'), queueWorkItem('Work', null), freePool('N'));
    expect(ok.hazards()).toEqual([]);
    expect(ok.halt).toBe('quiescent');
  });

  it('IRQL-1 freeing paged pool at DISPATCH_LEVEL is a violation', () => {
    const r = run(scenario({
      drivers: { drv: { routines: { DriverEntry: [allocPaged('P'), acquire(), freePool('P')] } } },
      timeline: [load('drv')],
    }));
    expect(r.hazards()).toEqual([{ rule: 'IRQL-1', severity: 'bugcheck', bugcheck: '0xC4' }]);
    expect(r.states('pool:1')).toEqual(['none>allocated']);
  });

  it('IRQL-1 KeWaitForSingleObject above APC_LEVEL is a violation', () => {
    const r = atDispatch(queueWorkItem('Work', null), waitFor());
    expect(r.hazards()).toEqual([{ rule: 'IRQL-1', severity: 'bugcheck', bugcheck: '0xC4' }]);
    expect(r.of('call').at(-1)?.api).toBe('KeWaitForSingleObject');
  });

  it('IRQL-1 at APC_LEVEL paged pool is fine, the PnP registration is not', () => {
    const r = run(scenario({
      drivers: { drv: { routines: { DriverEntry: [{ call: 'KeRaiseIrql', NewIrql: 'APC_LEVEL' }, allocPaged('P'), ioRegister('GUID_DEVICE_PROCESSOR', 'Cb', 'Entry')], Cb: [] } } },
      timeline: [load('drv')],
    }));
    expect(r.returned('ExAllocatePool2').map((e) => e.result)).toEqual(['pool:1']);
    expect(r.hazards()).toEqual([{ rule: 'IRQL-1', severity: 'bugcheck', bugcheck: '0xC4' }]);
    expect(r.of('call').at(-1)).toMatchObject({ api: 'IoRegisterPlugPlayNotification', irql: 'APC_LEVEL' });
  });
});

describe('DL-1 deadlock', () => {
  it('DL-1 a work item waiting for itself: a cycle of one, named DL-1 (no more specific rule)', () => {
    const r = run(scenario({
      drivers: { drv: { routines: { DriverEntry: [queueWorkItem('Work', null)], Work: [waitFor(), note('never')] } } },
      timeline: [load('drv')],
    }));
    expect(r.hazards()).toEqual([{ rule: 'DL-1', severity: 'deadlock' }]);
    expect(r.of('hazard')[0].cycle).toEqual([{ thread: 'worker:1', waitsFor: 'worker:1', reason: 'workitem:1 (drv!Work) to finish' }]);
    expect(r.labels('note')).toEqual([]);
    expect(r.halt).toBe('deadlock');
  });

  it('DL-1 two work items waiting for each other: a 2-thread cycle', () => {
    const r = run(scenario({
      drivers: {
        drv: {
          routines: {
            DriverEntry: [queueWorkItem('First', null, 'WorkA')],
            First: [queueWorkItem('Second', null, 'WorkB'), waitFor('WorkB')],
            Second: [waitFor('WorkA')],
          },
        },
      },
      timeline: [load('drv')],
    }));
    expect(r.hazards()).toEqual([{ rule: 'DL-1', severity: 'deadlock' }]);
    expect(r.of('hazard')[0].cycle).toEqual([
      { thread: 'worker:2', waitsFor: 'worker:1', reason: 'workitem:1 (drv!First) to finish' },
      { thread: 'worker:1', waitsFor: 'worker:2', reason: 'workitem:2 (drv!Second) to finish' },
    ]);
    expect(r.halt).toBe('deadlock');
  });

  it('DL-1 the run halts at the deadlock: later timeline actions never start', () => {
    const r = run(scenario({
      machine: { processors: 1 },
      drivers: { drv: { routines: { DriverEntry: [queueWorkItem('Work', null)], Work: [waitFor()] } }, a: seed000Driver({ addExisting: false }) },
      timeline: [load('a'), load('drv'), hotAdd()],
    }));
    expect(r.of('action').map((e) => e.action.do)).toEqual(['load', 'load']);
    expect(r.callbacks()).toEqual([]);
    expect(r.of('halt')).toHaveLength(1);
    expect(r.trace.at(-1)?.type).toBe('halt');
  });
});

describe('DL-2 stall', () => {
  it('DL-2 a blocked thread, nothing runnable, no cycle: stalled (engine level: a wait on a thread that never runs)', () => {
    const loaded = loadScenario({ format: 'pnp-scenario/1' });
    if (!loaded.ok) throw new Error('scenario');
    const world: World = {
      maxProcessors: 1, processors: [], memory: [], devices: {}, deviceOrder: [], interfaces: {}, interfaceOrder: [], components: {},
      registrations: {}, registrationOrder: [], handles: {}, allocations: {}, workItems: {}, events: [], counters: {}, locks: {}, mutexes: new Map(),
    };
    world.workItems['workitem:9'] = { id: 'workitem:9', owner: 'drv', routine: 'Work', thread: 'worker:9', done: false };
    const engine = new Engine(loaded.scenario, world);
    engine.submit('sys:drv', 'wait', frame(waitForRoutine, { wait: { k: 'work', item: 'workitem:9', what: 'workitem:9 (drv!Work) to finish' } }));
    engine.runUntilQuiescent();
    const hz = engine.trace.filter((e) => e.type === 'hazard');
    expect(hz).toMatchObject([{ rule: 'DL-2', severity: 'error' }]);
    expect((hz[0] as { message: string }).message).toContain('sys:drv waits for workitem:9 (drv!Work) to finish');
    expect(engine.trace.at(-1)).toMatchObject({ type: 'halt', reason: 'stalled' });
  });
});

describe('DL-3 budget', () => {
  it('DL-3 exceeding the op budget halts with a clear reason', () => {
    const r = run(scenario({
      machine: { processors: 1 },
      drivers: { a: seed000Driver({ addExisting: false, start: [note('1'), note('2'), note('3')] }) },
      timeline: [load('a'), hotAdd(), hotAdd(), hotAdd()],
    }), { opBudget: 9 });
    expect(r.hazards()).toEqual([{ rule: 'DL-3', severity: 'error' }]);
    expect(r.of('hazard')[0].message).toContain('budget of 9 ops');
    expect(r.halt).toBe('budget');
    expect(r.trace.at(-1)).toMatchObject({ type: 'halt', reason: 'budget', limit: 'ops' });
    // Each routine invoked costs one op, as each op does: DriverEntry (1 + 2 ops), the first Start
    // (1 + 3 notes), the first Complete (1, empty), the second Start (1) and one note more: the
    // budget ends the run inside the second add.
    expect(r.callbacks()).toEqual([sync('a', 'Start', 1), sync('a', 'Complete', 1), sync('a', 'Start', 2)]);
    expect(r.of('action').map((e) => e.action.do)).toEqual(['load', 'hotAddProcessor', 'hotAddProcessor']);
  });

  it('DL-3 unbounded recursion (a Complete callback re-registering with ADD_EXISTING, whose replay calls it again) halts the same way, never overflowing the host', () => {
    const r = run(scenario({
      machine: { processors: 1 },
      drivers: { a: seed000Driver({ addExisting: false, unload: false, complete: [keRegister('SyncProcessorCallback', 'CallbackStatus', true)] }) },
      timeline: [load('a'), hotAdd()],
    }));
    expect(r.hazards()).toEqual([{ rule: 'DL-3', severity: 'error' }]);
    expect(r.of('hazard')[0].message).toContain('recurses without end');
    expect(r.halt).toBe('budget');
    const depth = Math.max(...r.trace.map((_, i) => i).filter((i) => r.trace[i].type === 'invoke').map((i) => r.trace.slice(0, i + 1).reduce((d, e) => d + (e.thread === 'hotplug' ? (e.type === 'invoke' ? 1 : e.type === 'complete' ? -1 : 0) : 0), 0)));
    expect(depth).toBeLessThanOrEqual(64);
  });

  it('DL-3 the default budget is far above any normal scenario', () => {
    const r = run(scenario({ machine: { processors: 1, maxProcessors: 64 }, drivers: { a: seed000Driver({ addExisting: false }) }, timeline: [load('a'), ...Array.from({ length: 20 }, () => hotAdd())] }));
    expect(r.halt).toBe('quiescent');
    expect(r.callbacks()).toHaveLength(40);
    expect(r.callbacks().slice(-2)).toEqual([sync('a', 'Start', 20), sync('a', 'Complete', 20)]);
  });
});
