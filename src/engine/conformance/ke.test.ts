// Conformance: synchronous processor notification (KE rules, seed 000).
import { describe, expect, it } from 'vitest';
import { run } from '../testing.ts';
import {
  acquire, hotAdd, ioRegister, keDeregister, load, note, overrideBefore, runRoutine, scenario, seed000Driver, set, sync, unload, veto,
} from './fixtures.ts';

const S = (drv: string, n: number) => sync(drv, 'Start', n);
const C = (drv: string, n: number) => sync(drv, 'Complete', n);
const F = (drv: string, n: number) => sync(drv, 'Failure', n);

/** Seed 000, as in docs/scenario-format.md §8: load, hot-add, unload. */
const seed000 = (extra: object = {}) =>
  scenario({
    machine: { processors: 2, maxProcessors: 4 },
    drivers: { sampledrv: seed000Driver() },
    timeline: [load('sampledrv'), hotAdd(), unload('sampledrv')],
    ...extra,
  });

/** The NtNumbers of the processors as the trace leaves them (active ones). */
const activeProcessors = (r: ReturnType<typeof run>) => {
  const state = new Map<number, string>();
  for (const e of r.of('state')) if (e.entity.startsWith('processor:')) state.set(Number(e.entity.slice(10)), e.to);
  return [...state].filter(([, s]) => s === 'active').map(([n]) => n).sort((a, b) => a - b);
};

describe('KE-1 hot-add sequence', () => {
  it('KE-1 seed 000: replay Start/Complete, then Start(2), processor active, Complete(2), arrival queued, Unload deregisters', () => {
    const r = run(seed000());
    expect(r.callbacks()).toEqual([S('sampledrv', 0), S('sampledrv', 1), C('sampledrv', 0), C('sampledrv', 1), S('sampledrv', 2), C('sampledrv', 2)]);
    const labels = r.labels();
    const at = (l: string) => {
      const i = labels.indexOf(l);
      expect(i, l).toBeGreaterThanOrEqual(0);
      return i;
    };
    // The processor starts between Start and Complete; only then is its arrival queued (KE-9).
    expect(at('processor:2 starting>active')).toBeGreaterThan(at(S('sampledrv', 2)));
    expect(at('processor:2 starting>active')).toBeLessThan(at(C('sampledrv', 2)));
    expect(at('queue ARRIVAL(processor2)')).toBeGreaterThan(at(C('sampledrv', 2)));
    expect(r.states('processor:2')).toEqual(['not-present>starting', 'starting>active']);
    expect(r.returned('KeRegisterProcessorChangeCallback').map((e) => e.result)).toEqual(['ke:1']);
    expect(r.states('registration:ke:1')).toEqual(['none>active', 'active>unregistered']);
    expect(r.states('driver:sampledrv')).toEqual(['not-loaded>loaded', 'loaded>unloading', 'unloading>unloaded']);
    expect(r.hazards()).toEqual([]);
    expect(r.halt).toBe('quiescent');
  });

  it('KE-1 every registered callback, in registration order, gets Start, then every one Complete; each exactly twice per hot-add', () => {
    const r = run(scenario({
      machine: { processors: 1, maxProcessors: 4 },
      drivers: { a: seed000Driver({ addExisting: false }), b: seed000Driver({ addExisting: false }), c: seed000Driver({ addExisting: false }) },
      timeline: [load('b'), load('a'), load('c'), hotAdd(), hotAdd()],
    }));
    expect(r.callbacks()).toEqual([
      S('b', 1), S('a', 1), S('c', 1), C('b', 1), C('a', 1), C('c', 1),
      S('b', 2), S('a', 2), S('c', 2), C('b', 2), C('a', 2), C('c', 2),
    ]);
    const inv = r.of('invoke').filter((e) => e.registration);
    expect(new Set(inv.map((e) => e.thread))).toEqual(new Set(['hotplug']));
    // ChangeContext: NtNumber, ProcNumber {Group, Number} and the shared status.
    expect(inv[0].args).toMatchObject({ State: 'KeProcessorAddStartNotify', NtNumber: 1, ProcNumber: { Group: 0, Number: 1 }, Status: 'STATUS_SUCCESS', CallbackContext: '&CallbackStatus' });
    expect(activeProcessors(r)).toEqual([0, 1, 2]);
    expect(r.hazards()).toEqual([]);
    expect(r.halt).toBe('quiescent');
  });

  it('KE-1 ProcNumber: group = NtNumber / 64, number = NtNumber mod 64 (CHOICE)', () => {
    const r = run(scenario({
      machine: { processors: 64, maxProcessors: 66 },
      drivers: { a: seed000Driver({ addExisting: false }) },
      timeline: [load('a'), hotAdd()],
    }));
    expect(r.callbacks()).toEqual([S('a', 64), C('a', 64)]);
    expect(r.of('invoke').filter((e) => e.registration).map((e) => e.args.ProcNumber)).toEqual([{ Group: 1, Number: 0 }, { Group: 1, Number: 0 }]);
  });
});

describe('KE-2 veto', () => {
  const vetoAt2 = [{ op: 'if' as const, cond: { eq: ['$NtNumber', 2] as [string, number] }, then: [veto()] }];
  const s = scenario({
    machine: { processors: 2, maxProcessors: 4 },
    drivers: {
      a: seed000Driver({ addExisting: false }),
      b: seed000Driver({ addExisting: false, start: vetoAt2 }),
      c: seed000Driver({ addExisting: false }),
    },
    timeline: [load('a'), load('b'), load('c'), hotAdd(), hotAdd()],
  });

  it('KE-2 a later callback still gets Start, seeing the error; Failure in registration order (not reversed); no processor left', () => {
    const r = run(s);
    expect(r.callbacks()).toEqual([
      S('a', 2), S('b', 2), S('c', 2), F('a', 2), F('b', 2), F('c', 2),
      // The next hot-add reuses NtNumber 2: NtNumbers stay dense.
      S('a', 2), S('b', 2), S('c', 2), F('a', 2), F('b', 2), F('c', 2),
    ]);
    const inv = r.of('invoke').filter((e) => e.registration);
    expect(inv.slice(0, 6).map((e) => e.args.Status)).toEqual([
      'STATUS_SUCCESS', 'STATUS_SUCCESS', 'STATUS_INSUFFICIENT_RESOURCES',
      'STATUS_INSUFFICIENT_RESOURCES', 'STATUS_INSUFFICIENT_RESOURCES', 'STATUS_INSUFFICIENT_RESOURCES',
    ]);
    expect(r.states('processor:2')).toEqual(['not-present>starting', 'starting>failed', 'not-present>starting', 'starting>failed']);
    expect(activeProcessors(r)).toEqual([0, 1]);
    // A failed add produces no arrival (KE-9).
    expect(r.labels('queue')).toEqual([]);
    expect(r.hazards()).toEqual([]);
    expect(r.halt).toBe('quiescent');
  });

  it('KE-2 after a vetoed add, the next successful add takes the next dense NtNumber', () => {
    const r = run(scenario({
      machine: { processors: 2, maxProcessors: 4 },
      drivers: { a: seed000Driver({ addExisting: false, start: [{ op: 'if', cond: { eq: ['CallbackStatus', 'STATUS_SUCCESS'] }, then: [set('CallbackStatus', 'STATUS_UNSUCCESSFUL'), veto()] }] }) },
      timeline: [load('a'), hotAdd(), hotAdd(), hotAdd()],
    }));
    expect(r.callbacks()).toEqual([S('a', 2), F('a', 2), S('a', 2), C('a', 2), S('a', 3), C('a', 3)]);
    expect(activeProcessors(r)).toEqual([0, 1, 2, 3]);
    expect(r.hazards()).toEqual([]);
  });
});

describe('KE-3 contract violations', () => {
  it('KE-3 writing *OperationStatus in Complete is flagged and ignored; the add completes', () => {
    const r = run(scenario({
      machine: { processors: 1, maxProcessors: 4 },
      drivers: { a: seed000Driver({ addExisting: false, complete: [veto()] }) },
      timeline: [load('a'), hotAdd()],
    }));
    expect(r.callbacks()).toEqual([S('a', 1), C('a', 1)]);
    expect(r.hazards()).toEqual([{ rule: 'KE-3', severity: 'error' }]);
    expect(activeProcessors(r)).toEqual([0, 1]);
    expect(r.halt).toBe('quiescent');
  });

  it('KE-3 writing in Failure, overwriting another callback\'s error, and writing STATUS_SUCCESS over an error are each flagged; the first error stays', () => {
    const r = run(scenario({
      machine: { processors: 1, maxProcessors: 4 },
      drivers: {
        a: seed000Driver({ addExisting: false, start: [veto('STATUS_INSUFFICIENT_RESOURCES')], failure: [veto('STATUS_UNSUCCESSFUL')] }),
        b: seed000Driver({ addExisting: false, start: [veto('STATUS_UNSUCCESSFUL')] }),
        c: seed000Driver({ addExisting: false, start: [veto('STATUS_SUCCESS')] }),
      },
      timeline: [load('a'), load('b'), load('c'), hotAdd()],
    }));
    expect(r.callbacks()).toEqual([S('a', 1), S('b', 1), S('c', 1), F('a', 1), F('b', 1), F('c', 1)]);
    expect(r.hazards()).toEqual([
      { rule: 'KE-3', severity: 'error' }, // b overwrites a's error
      { rule: 'KE-3', severity: 'error' }, // c writes STATUS_SUCCESS over it
      { rule: 'KE-3', severity: 'error' }, // a writes in Failure
    ]);
    const failures = r.of('invoke').filter((e) => e.args.State === 'KeProcessorAddFailureNotify');
    expect(failures.map((e) => e.args.Status)).toEqual(['STATUS_INSUFFICIENT_RESOURCES', 'STATUS_INSUFFICIENT_RESOURCES', 'STATUS_INSUFFICIENT_RESOURCES']);
    const hz = r.of('hazard').map((h) => h.thread);
    expect(hz).toEqual(['hotplug', 'hotplug', 'hotplug']);
    expect(r.halt).toBe('quiescent');
  });

  it('KE-3 a success status other than STATUS_SUCCESS is flagged (only errors may be reported)', () => {
    const r = run(scenario({
      machine: { processors: 1, maxProcessors: 4 },
      drivers: { a: seed000Driver({ addExisting: false, start: [veto('STATUS_PENDING')] }) },
      timeline: [load('a'), hotAdd()],
    }));
    expect(r.callbacks()).toEqual([S('a', 1), C('a', 1)]);
    expect(r.hazards()).toEqual([{ rule: 'KE-3', severity: 'error' }]);
  });
});

describe('KE-4 ADD_EXISTING', () => {
  it('KE-4 Start for each active processor in NtNumber order, then Complete for each, on the caller\'s thread before the call returns', () => {
    const r = run(scenario({ machine: { processors: 3, maxProcessors: 4 }, drivers: { a: seed000Driver() }, timeline: [load('a')] }));
    expect(r.labels('invoke', 'return').filter((l) => !l.includes('DriverEntry'))).toEqual([
      S('a', 0), S('a', 1), S('a', 2), C('a', 0), C('a', 1), C('a', 2), 'a<KeRegisterProcessorChangeCallback=ke:1',
    ]);
    expect(new Set(r.of('invoke').filter((e) => e.registration).map((e) => e.thread))).toEqual(new Set(['sys:a']));
  });

  it('KE-4 a failing Start: no further Starts, Failure for the processors that got Start except the failing one, NULL, DriverEntry returns CallbackStatus', () => {
    const failAt1 = [{ op: 'if' as const, cond: { eq: ['$NtNumber', 1] as [string, number] }, then: [set('CallbackStatus', 'STATUS_INSUFFICIENT_RESOURCES'), veto()] }];
    const r = run(scenario({
      machine: { processors: 3, maxProcessors: 4 },
      drivers: { a: seed000Driver({ start: failAt1 }) },
      timeline: [load('a'), hotAdd()],
    }));
    expect(r.callbacks()).toEqual([S('a', 0), S('a', 1), F('a', 0)]);
    expect(r.of('invoke').find((e) => e.args.State === 'KeProcessorAddFailureNotify')?.args.Status).toBe('STATUS_INSUFFICIENT_RESOURCES');
    expect(r.returned('KeRegisterProcessorChangeCallback').map((e) => e.result)).toEqual([null]);
    expect(r.states('registration:ke:1')).toEqual(['none>active', 'active>unregistered']);
    expect(r.of('complete').find((e) => e.routine === 'DriverEntry')?.result).toBe('STATUS_INSUFFICIENT_RESOURCES');
    // DRV-1: the failed DriverEntry unloads the driver at once, without Unload; nothing left registered.
    expect(r.states('driver:a')).toEqual(['not-loaded>loaded', 'loaded>unloaded']);
    expect(r.of('invoke').map((e) => e.routine)).not.toContain('Unload');
    // The later hot-add notifies nobody (the registration was removed) and succeeds.
    expect(r.states('processor:3')).toEqual(['not-present>starting', 'starting>active']);
    expect(r.hazards()).toEqual([]);
    expect(r.halt).toBe('quiescent');
  });

  it('KE-4 failing on the first processor: no Failure at all (the failing one is excluded), DriverEntry returns the error', () => {
    const r = run(scenario({
      machine: { processors: 2, maxProcessors: 4 },
      drivers: { a: seed000Driver({ start: [set('CallbackStatus', 'STATUS_UNSUCCESSFUL'), veto()] }) },
      timeline: [load('a')],
    }));
    expect(r.callbacks()).toEqual([S('a', 0)]);
    expect(r.returned('KeRegisterProcessorChangeCallback').map((e) => e.result)).toEqual([null]);
    expect(r.of('complete').find((e) => e.routine === 'DriverEntry')?.result).toBe('STATUS_UNSUCCESSFUL');
  });

  it('KE-4 a Start failure that the driver did not carry in CallbackStatus: DriverEntry returns STATUS_UNSUCCESSFUL (seed 000\'s else branch)', () => {
    const r = run(scenario({
      machine: { processors: 1, maxProcessors: 4 },
      drivers: { a: seed000Driver({ start: [veto()] }) },
      timeline: [load('a')],
    }));
    expect(r.callbacks()).toEqual([S('a', 0)]);
    expect(r.of('complete').find((e) => e.routine === 'DriverEntry')?.result).toBe('STATUS_UNSUCCESSFUL');
  });
});

describe('KE-5 deregister before unload', () => {
  it('KE-5 unloading without KeDeregisterProcessorChangeCallback: warning at unload, bug check 0xCE at the next hot-add', () => {
    const r = run(scenario({
      machine: { processors: 1, maxProcessors: 4 },
      drivers: { a: seed000Driver({ unload: false }) },
      timeline: [load('a'), unload('a'), hotAdd(), hotAdd()],
    }));
    expect(r.callbacks()).toEqual([S('a', 0), C('a', 0)]);
    // Unlike an io registration, it does not pin the DriverObject: the driver is unloaded.
    expect(r.states('driver:a')).toEqual(['not-loaded>loaded', 'loaded>unloading', 'unloading>unloaded']);
    expect(r.hazards()).toEqual([
      { rule: 'KE-5', severity: 'warning' },
      { rule: 'KE-5', severity: 'bugcheck', bugcheck: '0xCE' },
    ]);
    const bug = r.of('hazard')[1];
    expect(bug.thread).toBe('hotplug');
    expect(bug.bugcheck).toBe('0xCE DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS');
    expect(r.halt).toBe('bugcheck');
    // The run halts at the first hot-add: the second never starts.
    expect(r.of('action').map((e) => e.action.do)).toEqual(['load', 'unload', 'hotAddProcessor']);
  });

  it('KE-5 no bug check if no processor is ever added after the unload', () => {
    const r = run(scenario({ drivers: { a: seed000Driver({ unload: false }) }, timeline: [load('a'), unload('a')] }));
    expect(r.hazards()).toEqual([{ rule: 'KE-5', severity: 'warning' }]);
    expect(r.halt).toBe('quiescent');
  });
});

describe('KE-6 no hot-remove', () => {
  it('KE-6 removeProcessor is refused with a warning and nothing changes', () => {
    const r = run(scenario({
      machine: { processors: 2, maxProcessors: 4 },
      drivers: { a: seed000Driver({ addExisting: false }) },
      timeline: [load('a'), { do: 'removeProcessor', NtNumber: 1 }, hotAdd()],
    }));
    expect(r.hazards()).toEqual([{ rule: 'KE-6', severity: 'warning' }]);
    expect(r.callbacks()).toEqual([S('a', 2), C('a', 2)]);
    expect(r.states('processor:1')).toEqual(['not-present>active']);
    expect(activeProcessors(r)).toEqual([0, 1, 2]);
    expect(r.halt).toBe('quiescent');
  });
});

describe('KE-7 deregistration waits', () => {
  it('KE-7 KeDeregisterProcessorChangeCallback from inside its own callback waits for itself: deadlock (cycle of one)', () => {
    const r = run(scenario({
      machine: { processors: 1, maxProcessors: 4 },
      drivers: { a: seed000Driver({ addExisting: false, complete: [keDeregister(), note('never reached')] }) },
      timeline: [load('a'), hotAdd()],
    }));
    expect(r.callbacks()).toEqual([S('a', 1), C('a', 1)]);
    expect(r.hazards()).toEqual([{ rule: 'KE-7', severity: 'deadlock' }]);
    const h = r.of('hazard')[0];
    expect(h.cycle).toEqual([{ thread: 'hotplug', waitsFor: 'hotplug', reason: 'the callbacks of ke:1 to return' }]);
    expect(r.labels('note')).toEqual([]);
    expect(r.returned('KeDeregisterProcessorChangeCallback')).toEqual([]);
    expect(r.halt).toBe('deadlock');
  });

  it('KE-7 from another thread it waits for the in-flight callback, then returns; the later hot-add notifies nobody', () => {
    const base = scenario({
      machine: { processors: 1, maxProcessors: 4 },
      drivers: {
        a: seed000Driver({
          addExisting: false, start: [note('start: step 1'), note('start: step 2')],
          extraRoutines: { Stop: [keDeregister(), note('Stop: deregistered')] },
        }),
      },
      timeline: [load('a'), hotAdd(), runRoutine('a', 'Stop', { concurrent: true }), hotAdd()],
    });
    // By default hotplug (runnable first) runs the whole add; switch to sys:a at the Start callback's first op.
    const r = run(overrideBefore(base, 'note start: step 1', 'sys:a'));
    const labels = r.labels('invoke', 'call', 'return', 'note', 'complete').filter((l) => !l.includes('DriverEntry') && !/^a[<>]KeRegister/.test(l));
    expect(labels).toEqual([
      S('a', 1), 'a!Stop', 'a>KeDeregisterProcessorChangeCallback',
      'note start: step 1', 'note start: step 2', 'a!SyncProcessorCallback=null',
      // The wait is satisfied between the two callbacks, but hotplug keeps running (docs/architecture.md §2.2 default),
      // so the add's Complete is still delivered before sys:a runs again.
      C('a', 1), 'a!SyncProcessorCallback=null',
      'a<KeDeregisterProcessorChangeCallback=null', 'note Stop: deregistered', 'a!Stop=STATUS_SUCCESS',
    ]);
    const blocked = r.of('state').find((e) => e.entity === 'thread:sys:a' && e.to === 'blocked');
    expect(blocked?.on).toBe('the callbacks of ke:1 to return');
    expect(r.states('processor:2')).toEqual(['not-present>starting', 'starting>active']);
    expect(r.callbacks()).toEqual([S('a', 1), C('a', 1)]);
    expect(r.hazards()).toEqual([]);
    expect(r.halt).toBe('quiescent');
  });
});

describe('KE-8 IRQL', () => {
  it('KE-8 callbacks run at PASSIVE_LEVEL; replay on the caller\'s thread, hot-add on hotplug', () => {
    const r = run(seed000());
    const inv = r.of('invoke').filter((e) => e.routine === 'SyncProcessorCallback');
    expect(inv.map((e) => e.thread)).toEqual(['sys:sampledrv', 'sys:sampledrv', 'sys:sampledrv', 'sys:sampledrv', 'hotplug', 'hotplug']);
    expect(new Set(inv.map((e) => e.irql))).toEqual(new Set(['PASSIVE_LEVEL']));
    expect(new Set(r.of('call').filter((e) => e.api.includes('ProcessorChange')).map((e) => e.irql))).toEqual(new Set(['PASSIVE_LEVEL']));
  });

  it('KE-8 registering above PASSIVE_LEVEL is an IRQL violation: 0xC4, halt', () => {
    const r = run(scenario({
      drivers: { a: { routines: { DriverEntry: [acquire(), { call: 'KeRegisterProcessorChangeCallback', CallbackFunction: 'Cb', CallbackContext: null, Flags: [], result: 'H' }], Cb: [] } } },
      timeline: [load('a')],
    }));
    expect(r.hazards()).toEqual([{ rule: 'IRQL-1', severity: 'bugcheck', bugcheck: '0xC4' }]);
    expect(r.of('call').at(-1)).toMatchObject({ api: 'KeRegisterProcessorChangeCallback', irql: 'DISPATCH_LEVEL' });
    expect(r.returned('KeRegisterProcessorChangeCallback')).toEqual([]);
    expect(r.halt).toBe('bugcheck');
  });

  it('KE-8 deregistering above PASSIVE_LEVEL is an IRQL violation too', () => {
    const r = run(scenario({
      drivers: { a: seed000Driver({ addExisting: false, extraRoutines: { Stop: [acquire(), keDeregister()] } }) },
      timeline: [load('a'), runRoutine('a', 'Stop')],
    }));
    expect(r.hazards()).toEqual([{ rule: 'IRQL-1', severity: 'bugcheck', bugcheck: '0xC4' }]);
    expect(r.halt).toBe('bugcheck');
  });
});

describe('KE-9 order with the asynchronous notification', () => {
  /** One driver with both registrations: seed 000's sync callback and seed 001's processor registration. */
  const both = seed000Driver({
    addExisting: false,
    extraEntry: [ioRegister('GUID_DEVICE_PROCESSOR', 'AsyncProcessorCallback', 'ProcessorNotificationEntry')],
    extraRoutines: { AsyncProcessorCallback: [] },
  });

  it('KE-9 Start, Complete (hotplug), then the processor\'s device starts and its GUID_DEVICE_INTERFACE_ARRIVAL is delivered on the pnp thread', () => {
    const r = run(scenario({ machine: { processors: 1, maxProcessors: 4 }, drivers: { both }, timeline: [load('both'), hotAdd()] }));
    expect(r.callbacks()).toEqual([S('both', 1), C('both', 1), 'both!AsyncProcessorCallback:ARRIVAL(processor1)']);
    expect(r.of('invoke').filter((e) => e.registration).map((e) => e.thread)).toEqual(['hotplug', 'hotplug', 'pnp']);
    const labels = r.labels('invoke', 'queue', 'state').filter((l) => l.startsWith('processor:1') || l.startsWith('queue') || (l.startsWith('interface:') && l.includes('ACPI0007#1#')) || l.includes('Callback'));
    expect(labels).toEqual([
      'processor:1 not-present>starting', S('both', 1), 'processor:1 starting>active', C('both', 1),
      'queue DeviceArrival(processor1)',
      `interface:${r.of('queue')[1].interface} none>enabled`, 'queue ARRIVAL(processor1)', 'both!AsyncProcessorCallback:ARRIVAL(processor1)',
    ]);
    expect(r.of('queue').map((e) => e.thread)).toEqual(['hotplug', 'pnp']);
    const arrival = r.of('invoke').find((e) => e.routine === 'AsyncProcessorCallback');
    expect(arrival?.args).toMatchObject({ Event: 'GUID_DEVICE_INTERFACE_ARRIVAL', InterfaceClassGuid: 'GUID_DEVICE_PROCESSOR', Context: null });
    expect(r.hazards()).toEqual([]);
  });

  it('KE-9 a failed (vetoed) add produces no arrival', () => {
    const vetoing = seed000Driver({
      addExisting: false, start: [veto()],
      extraEntry: [ioRegister('GUID_DEVICE_PROCESSOR', 'AsyncProcessorCallback', 'ProcessorNotificationEntry')],
      extraRoutines: { AsyncProcessorCallback: [] },
    });
    const r = run(scenario({ machine: { processors: 1, maxProcessors: 4 }, drivers: { vetoing }, timeline: [load('vetoing'), hotAdd()] }));
    expect(r.callbacks()).toEqual([S('vetoing', 1), F('vetoing', 1)]);
    expect(r.labels('queue')).toEqual([]);
  });
});

describe('KE-10 capacity', () => {
  it('KE-10 a hot-add at maxProcessors is refused before any notification, with a warning; nothing changes', () => {
    const r = run(scenario({
      machine: { processors: 1, maxProcessors: 2 },
      drivers: { a: seed000Driver({ addExisting: false }) },
      timeline: [load('a'), hotAdd(), hotAdd()],
    }));
    expect(r.callbacks()).toEqual([S('a', 1), C('a', 1)]);
    expect(r.hazards()).toEqual([{ rule: 'KE-10', severity: 'warning' }]);
    expect(r.of('hazard')[0].step).toBe(3);
    expect(r.states('processor:2')).toEqual([]);
    expect(activeProcessors(r)).toEqual([0, 1]);
    expect(r.halt).toBe('quiescent');
  });
});
