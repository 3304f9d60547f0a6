// Conformance: unregistering (UN rules, seed 003: IoUnregisterPlugPlayNotificationEx).
import { describe, expect, it } from 'vitest';
import { run } from '../testing.ts';
import type { Scenario } from '../../scenario/types.ts';
import {
  allocNonPaged, freePool, hotAdd, ifNull, ioRegister, ioUnregister, ioUnregisterEx, keDeregister, load, note, overrideBefore,
  queueWorkItem, runRoutine, scenario, seed000Driver, seed001Driver, unload, waitFor, type Ops,
} from './fixtures.ts';

const PROC_ARRIVAL = (drv: string, n: number, routine = 'AsyncProcessorCallback') => `${drv}!${routine}:ARRIVAL(processor${n})`;

/**
 * Seed 001's driver whose processor callback takes two steps, and a `Stop` routine that unregisters
 * it; Stop runs concurrently with the hot-add's asynchronous delivery.
 */
function raceScenario(unregister: typeof ioUnregister, after: Ops = [note('Stop: unregistered')]): Scenario {
  return scenario({
    machine: { processors: 1 },
    drivers: {
      drv: seed001Driver({
        memory: false,
        processorOps: [note('callback: step 1'), note('callback: step 2')],
        extraRoutines: { Stop: [unregister('ProcessorNotificationEntry'), ...after] },
      }),
    },
    timeline: [load('drv'), hotAdd(), runRoutine('drv', 'Stop', { concurrent: true })],
  });
}

/** Let pnp start the callback (instead of sys:drv running Stop first), then switch to sys:drv inside it. */
function inTheWindow(s: Scenario): Scenario {
  const s1 = overrideBefore(s, 'drv!Stop', 'pnp');
  return overrideBefore(s1, 'note callback: step 1', 'sys:drv');
}

const bodyLabels = (r: ReturnType<typeof run>) =>
  r.labels('invoke', 'call', 'return', 'note', 'complete', 'hazard').filter((l) => !l.includes('DriverEntry') && !l.startsWith('drv>IoRegister') && !l.startsWith('drv<IoRegister'));

describe('UN-1 weak guarantee (IoUnregisterPlugPlayNotification)', () => {
  it('UN-1 returns at once while the callback runs on pnp; the callback goes on after the return: the hazard window', () => {
    const r = run(inTheWindow(raceScenario(ioUnregister)));
    expect(bodyLabels(r)).toEqual([
      PROC_ARRIVAL('drv', 1),
      'drv!Stop', 'drv>IoUnregisterPlugPlayNotification', 'hazard UN-1 warning', 'drv<IoUnregisterPlugPlayNotification=STATUS_SUCCESS',
      'note Stop: unregistered', 'drv!Stop=STATUS_SUCCESS',
      // The callback continues after the unregister returned.
      'note callback: step 1', 'note callback: step 2', 'drv!AsyncProcessorCallback=STATUS_SUCCESS',
    ]);
    expect(r.of('note').map((e) => e.thread)).toEqual(['sys:drv', 'pnp', 'pnp']);
    expect(r.of('hazard')[0].message).toContain('still running on pnp');
    expect(r.hazards()).toEqual([{ rule: 'UN-1', severity: 'warning' }]);
    expect(r.halt).toBe('quiescent');
  });

  it('UN-1 the window matters: freeing the context right after the non-Ex return, the running callback uses freed memory at its next delivery', () => {
    const s = scenario({
      machine: { processors: 1 },
      drivers: {
        drv: {
          routines: {
            DriverEntry: [allocNonPaged('Ctx'), ioRegister('GUID_DEVICE_PROCESSOR', 'AsyncProcessorCallback', 'ProcessorNotificationEntry', { context: 'Ctx' })],
            AsyncProcessorCallback: [note('callback: step 1')],
            Stop: [ioUnregister('ProcessorNotificationEntry'), freePool('Ctx')],
          },
        },
      },
      timeline: [load('drv'), hotAdd(), runRoutine('drv', 'Stop', { concurrent: true })],
    });
    const r = run(inTheWindow(s));
    expect(r.hazards()).toEqual([{ rule: 'UN-1', severity: 'warning' }]);
    expect(r.states('pool:1')).toEqual(['none>allocated', 'allocated>freed']);
    // The callback was already running with the now-freed context.
    const freed = r.of('state').findIndex((e) => e.entity === 'pool:1' && e.to === 'freed');
    const done = r.of('complete').findIndex((e) => e.routine === 'AsyncProcessorCallback');
    expect(r.of('state')[freed].seq).toBeLessThan(r.of('complete')[done].seq);
  });

  it('UN-1 with nothing in flight there is no hazard, and no later callback', () => {
    const r = run(raceScenario(ioUnregister));
    expect(r.hazards()).toEqual([]);
    expect(r.callbacks()).toEqual([]);
  });
});

describe('UN-2 strong guarantee (IoUnregisterPlugPlayNotificationEx)', () => {
  it('UN-2 waits until the callback on pnp returned, then unregisters; returns after it', () => {
    const r = run(inTheWindow(raceScenario(ioUnregisterEx)));
    expect(bodyLabels(r)).toEqual([
      PROC_ARRIVAL('drv', 1),
      'drv!Stop', 'drv>IoUnregisterPlugPlayNotificationEx',
      'note callback: step 1', 'note callback: step 2', 'drv!AsyncProcessorCallback=STATUS_SUCCESS',
      'drv<IoUnregisterPlugPlayNotificationEx=STATUS_SUCCESS', 'note Stop: unregistered', 'drv!Stop=STATUS_SUCCESS',
    ]);
    const blocked = r.of('state').find((e) => e.entity === 'thread:sys:drv' && e.to === 'blocked');
    expect(blocked?.on).toBe('the callbacks of io:1 on other threads to return');
    const unregistered = r.of('state').find((e) => e.entity === 'registration:io:1' && e.to === 'unregistered');
    const completed = r.of('complete').find((e) => e.routine === 'AsyncProcessorCallback');
    expect(unregistered!.seq).toBeGreaterThan(completed!.seq);
    expect(r.hazards()).toEqual([]);
  });

  it('UN-2 from inside its own callback it does not wait for itself (re-entrant); no later callback', () => {
    const r = run(scenario({
      machine: { processors: 1 },
      drivers: { drv: seed001Driver({ memory: false, processorOps: [ioUnregisterEx('ProcessorNotificationEntry'), note('still in the callback')] }) },
      timeline: [load('drv'), hotAdd(), hotAdd()],
    }));
    expect(bodyLabels(r)).toEqual([
      PROC_ARRIVAL('drv', 1), 'drv>IoUnregisterPlugPlayNotificationEx', 'drv<IoUnregisterPlugPlayNotificationEx=STATUS_SUCCESS',
      'note still in the callback', 'drv!AsyncProcessorCallback=STATUS_SUCCESS',
    ]);
    expect(r.hazards()).toEqual([]);
    expect(r.halt).toBe('quiescent');
  });

  it('UN-2 no callback after the Ex returned, even when it returns between two registrants of one event', () => {
    // a and b both registered; pnp delivers to a, then (at the boundary after a's callback) b's Stop unregisters.
    const base = scenario({
      machine: { processors: 1 },
      drivers: {
        a: seed001Driver({ memory: false, processorOps: [note('a callback')] }),
        b: seed001Driver({ memory: false, processorOps: [note('b callback')], extraRoutines: { Stop: [ioUnregisterEx('ProcessorNotificationEntry'), note('b: unregistered')] } }),
      },
      timeline: [load('a'), load('b'), hotAdd(), runRoutine('b', 'Stop', { concurrent: true })],
    });
    const s1 = overrideBefore(base, 'b!Stop', 'pnp');
    const s2 = overrideBefore(s1, 'b!AsyncProcessorCallback:ARRIVAL(processor1)', 'sys:b');
    const r = run(s2);
    expect(r.labels('invoke', 'return', 'note').filter((l) => !l.includes('DriverEntry') && !l.includes('IoRegister'))).toEqual([
      PROC_ARRIVAL('a', 1), 'note a callback',
      'b!Stop', 'b<IoUnregisterPlugPlayNotificationEx=STATUS_SUCCESS', 'note b: unregistered',
    ]);
    expect(r.callbacks()).toEqual([PROC_ARRIVAL('a', 1)]);
    expect(r.hazards()).toEqual([]);
  });
});

describe('UN-3 Ex during an INCLUDE_EXISTING replay', () => {
  const replayDriver = (ops: Ops) => ({
    routines: {
      DriverEntry: [ioRegister('GUID_DEVICE_PROCESSOR', 'AsyncProcessorCallback', 'ProcessorNotificationEntry', { includeExisting: true })],
      AsyncProcessorCallback: ops,
    },
  });

  it('UN-3 Ex on the NotificationEntry variable from the replay, before the register call returned: deadlock; the variable is still NULL', () => {
    const r = run(scenario({
      machine: { processors: 2 },
      drivers: { drv: replayDriver([ifNull('ProcessorNotificationEntry', [note('ProcessorNotificationEntry is still NULL')]), ioUnregisterEx('ProcessorNotificationEntry')]) },
      timeline: [load('drv'), hotAdd()],
    }));
    expect(bodyLabels(r)).toEqual([
      PROC_ARRIVAL('drv', 0), 'note ProcessorNotificationEntry is still NULL', 'drv>IoUnregisterPlugPlayNotificationEx', 'hazard UN-3 deadlock',
    ]);
    expect(r.of('call').at(-1)?.args).toEqual({ NotificationEntry: null });
    const h = r.of('hazard')[0];
    expect(h.thread).toBe('sys:drv');
    expect(h.message).toContain('not even written yet');
    expect(h.cycle).toEqual([{ thread: 'sys:drv', waitsFor: 'sys:drv', reason: 'IoRegisterPlugPlayNotification(io:1) to return' }]);
    expect(r.halt).toBe('deadlock');
  });

  it('UN-3 the same callback unregistering on a later, queued arrival (the call has returned) is safe', () => {
    const r = run(scenario({
      machine: { processors: 1 },
      drivers: {
        drv: {
          routines: {
            DriverEntry: [ioRegister('GUID_DEVICE_PROCESSOR', 'AsyncProcessorCallback', 'ProcessorNotificationEntry', { includeExisting: true })],
            AsyncProcessorCallback: [ifNull('ProcessorNotificationEntry', [note('replay: entry NULL, do not unregister')], [ioUnregisterEx('ProcessorNotificationEntry')])],
          },
        },
      },
      timeline: [load('drv'), hotAdd(), hotAdd()],
    }));
    expect(r.callbacks()).toEqual([PROC_ARRIVAL('drv', 0), PROC_ARRIVAL('drv', 1)]);
    expect(r.returned('IoUnregisterPlugPlayNotificationEx').map((e) => [e.thread, e.result])).toEqual([['pnp', 'STATUS_SUCCESS']]);
    expect(r.hazards()).toEqual([]);
    expect(r.halt).toBe('quiescent');
  });
});

describe('UN-4 waiting for a work item that unregisters', () => {
  it('UN-4 the callback queues a work item calling the Ex routine and waits for it: deadlock with a 2-thread cycle', () => {
    const r = run(scenario({
      machine: { processors: 1 },
      drivers: {
        drv: seed001Driver({
          memory: false,
          processorOps: [queueWorkItem('UnregisterWorker', null), waitFor(), note('never reached')],
          extraRoutines: { UnregisterWorker: [ioUnregisterEx('ProcessorNotificationEntry')] },
        }),
      },
      timeline: [load('drv'), hotAdd()],
    }));
    expect(bodyLabels(r)).toEqual([
      PROC_ARRIVAL('drv', 1), 'drv>IoQueueWorkItem', 'drv<IoQueueWorkItem=workitem:1', 'drv>KeWaitForSingleObject',
      'hazard IO-7 error',
      'drv!UnregisterWorker', 'drv>IoUnregisterPlugPlayNotificationEx',
      'hazard UN-4 deadlock',
    ]);
    const h = r.of('hazard').at(-1)!;
    expect(h.cycle).toHaveLength(2);
    expect(h.cycle).toEqual([
      { thread: 'worker:1', waitsFor: 'pnp', reason: 'the callbacks of io:1 on other threads to return' },
      { thread: 'pnp', waitsFor: 'worker:1', reason: 'workitem:1 (drv!UnregisterWorker) to finish' },
    ]);
    expect(r.halt).toBe('deadlock');
  });

  it('UN-4 queuing the work item without waiting for it is the documented fix: the unregister completes after the callback', () => {
    const r = run(scenario({
      machine: { processors: 1 },
      drivers: {
        drv: seed001Driver({
          memory: false,
          processorOps: [queueWorkItem('UnregisterWorker', null)],
          extraRoutines: { UnregisterWorker: [ioUnregisterEx('ProcessorNotificationEntry')] },
        }),
      },
      timeline: [load('drv'), hotAdd(), hotAdd()],
    }));
    expect(r.callbacks()).toEqual([PROC_ARRIVAL('drv', 1)]);
    expect(r.returned('IoUnregisterPlugPlayNotificationEx').map((e) => [e.thread, e.result])).toEqual([['worker:1', 'STATUS_SUCCESS']]);
    expect(r.hazards()).toEqual([]);
  });
});

describe('UN-5 unregister first, then free', () => {
  const ctxDriver = (entry: Ops, stop: Ops) => ({
    routines: {
      DriverEntry: [allocNonPaged('Ctx'), ioRegister('GUID_DEVICE_PROCESSOR', 'AsyncProcessorCallback', 'ProcessorNotificationEntry', { context: 'Ctx' }), ...entry],
      AsyncProcessorCallback: [],
      Stop: stop,
    },
  });

  it('UN-5 ExFreePool of the Context while registered, then a callback: bug check 0x50, halt', () => {
    const r = run(scenario({
      machine: { processors: 1 },
      drivers: { drv: ctxDriver([], [freePool('Ctx')]) },
      timeline: [load('drv'), runRoutine('drv', 'Stop'), hotAdd()],
    }));
    expect(r.callbacks()).toEqual([]);
    expect(r.hazards()).toEqual([{ rule: 'UN-5', severity: 'bugcheck', bugcheck: '0x50' }]);
    expect(r.of('hazard')[0]).toMatchObject({ thread: 'pnp', bugcheck: '0x50 PAGE_FAULT_IN_NONPAGED_AREA' });
    expect(r.halt).toBe('bugcheck');
  });

  it('UN-5 Ex first, then free: no hazard, no callback', () => {
    const r = run(scenario({
      machine: { processors: 1 },
      drivers: { drv: ctxDriver([], [ioUnregisterEx('ProcessorNotificationEntry'), freePool('Ctx')]) },
      timeline: [load('drv'), runRoutine('drv', 'Stop'), hotAdd()],
    }));
    expect(r.callbacks()).toEqual([]);
    expect(r.hazards()).toEqual([]);
    expect(r.halt).toBe('quiescent');
  });

  it('UN-5 freeing is harmless until a callback runs', () => {
    const r = run(scenario({ drivers: { drv: ctxDriver([freePool('Ctx')], []) }, timeline: [load('drv')] }));
    expect(r.hazards()).toEqual([]);
  });
});

describe('UN-6 unload needs all registrations removed', () => {
  it('UN-6 Unload removing only one of seed 001\'s two registrations leaves the driver unload-blocked; the other keeps being called', () => {
    const drv = seed001Driver({ unload: false });
    drv.routines.Unload = [ioUnregisterEx('ProcessorNotificationEntry')];
    drv.routines.Finish = [ioUnregisterEx('MemoryNotificationEntry')];
    const r = run(scenario({
      machine: { processors: 1 },
      drivers: { drv },
      timeline: [load('drv'), unload('drv'), hotAdd(), { do: 'hotAddMemory', id: 'mem1', sizeMiB: 1024 }, runRoutine('drv', 'Finish')],
    }));
    expect(r.hazards()).toEqual([{ rule: 'IO-6', severity: 'warning' }]);
    expect(r.callbacks()).toEqual(['drv!AsyncMemoryCallback:ARRIVAL(mem1)']);
    expect(r.states('driver:drv')).toEqual(['not-loaded>loaded', 'loaded>unloading', 'unloading>unload-blocked', 'unload-blocked>unloaded']);
    expect(r.halt).toBe('quiescent');
  });

  it('UN-6 a second unload of an unload-blocked driver does nothing', () => {
    const r = run(scenario({ drivers: { drv: seed001Driver({ unload: false }) }, timeline: [load('drv'), unload('drv'), unload('drv')] }));
    expect(r.states('driver:drv')).toEqual(['not-loaded>loaded', 'loaded>unloading', 'unloading>unload-blocked']);
    expect(r.hazards()).toEqual([{ rule: 'IO-6', severity: 'warning' }]);
  });
});

describe('UN-7 invalid entry', () => {
  it('UN-7 unregistering twice: the second is flagged and returns STATUS_INVALID_PARAMETER (Ex and non-Ex)', () => {
    const r = run(scenario({
      drivers: {
        drv: seed001Driver({
          extraRoutines: {
            Twice: [
              ioUnregisterEx('ProcessorNotificationEntry'), ioUnregisterEx('ProcessorNotificationEntry'),
              ioUnregister('MemoryNotificationEntry'), ioUnregister('MemoryNotificationEntry'),
            ],
          },
        }),
      },
      timeline: [load('drv'), runRoutine('drv', 'Twice')],
    }));
    expect(r.labels('return', 'hazard').filter((l) => l.includes('Unregister') || l.startsWith('hazard'))).toEqual([
      'drv<IoUnregisterPlugPlayNotificationEx=STATUS_SUCCESS', 'hazard UN-7 error', 'drv<IoUnregisterPlugPlayNotificationEx=STATUS_INVALID_PARAMETER',
      'drv<IoUnregisterPlugPlayNotification=STATUS_SUCCESS', 'hazard UN-7 error', 'drv<IoUnregisterPlugPlayNotification=STATUS_INVALID_PARAMETER',
    ]);
    expect(r.halt).toBe('quiescent');
  });

  it('UN-7 an entry never returned by a successful registration (NULL after a failed register) is flagged', () => {
    const r = run(scenario({
      drivers: {
        drv: {
          routines: {
            DriverEntry: [
              { call: 'IoRegisterPlugPlayNotification', EventCategory: 'EventCategoryHardwareProfileChange', EventCategoryFlags: [], EventCategoryData: 'GUID_DEVICE_PROCESSOR', CallbackRoutine: 'Cb', Context: null, NotificationEntry: 'Entry', result: 'Status' },
              ioUnregisterEx('Entry'),
            ],
            Cb: [],
          },
        },
      },
      timeline: [load('drv')],
    }));
    expect(r.returned('IoRegisterPlugPlayNotification').map((e) => e.result)).toEqual(['STATUS_INVALID_PARAMETER']);
    expect(r.returned('IoUnregisterPlugPlayNotificationEx').map((e) => e.result)).toEqual(['STATUS_INVALID_PARAMETER']);
    expect(r.hazards()).toEqual([{ rule: 'UN-7', severity: 'error' }]);
  });

  it('UN-7 KeDeregisterProcessorChangeCallback twice is flagged too', () => {
    const r = run(scenario({
      drivers: { drv: seed000Driver({ addExisting: false, extraRoutines: { Twice: [keDeregister(), keDeregister()] } }) },
      timeline: [load('drv'), runRoutine('drv', 'Twice'), hotAdd()],
    }));
    expect(r.hazards()).toEqual([{ rule: 'UN-7', severity: 'error' }]);
    expect(r.callbacks()).toEqual([]);
  });
});
