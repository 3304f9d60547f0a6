// Conformance: asynchronous notification and IoRegisterPlugPlayNotification (IO and UN rules, seeds 001, 003).
import { describe, expect, it } from 'vitest';
import { run } from '../testing.ts';
import type { Scenario } from '../../scenario/types.ts';
import {
  eject, getDeviceObjectPointer, hotAdd, hotAddMemory, ifNull, ioRegister, ioRegisterTarget, ioUnregisterEx, load, note,
  overrideBefore, plainDriver, plug, queueWorkItem, ret, runRoutine, scenario, seed000Driver, seed001Driver,
  sync, toasterDevice, toastmonDriver, unload, waitFor,
} from './fixtures.ts';

const TOASTER = 'GUID_DEVINTERFACE_TOASTER';
const ARRIVAL = (drv: string, device: string, routine = 'OnToaster') => `${drv}!${routine}:ARRIVAL(${device})`;
const target = (drv: string, event: string, routine = 'TargetCallback') => `${drv}!${routine}:${event}`;

/** A kernel client of the toaster interface class: registers in DriverEntry, records nothing. */
const toasterClient = (opts: { includeExisting?: boolean; ops?: unknown[] } = {}) => ({
  globals: {},
  routines: {
    DriverEntry: [ioRegister(TOASTER, 'OnToaster', 'ToasterEntry', { includeExisting: opts.includeExisting })],
    OnToaster: (opts.ops ?? []) as never[],
  },
});

describe('IO-1 INCLUDE_EXISTING', () => {
  it('IO-1 inserted first, then one ARRIVAL per enabled interface on the caller\'s thread before the return; NotificationEntry still NULL inside', () => {
    const r = run(scenario({
      machine: { processors: 2, devices: [toasterDevice('toaster0'), toasterDevice('toaster1')] },
      drivers: {
        toaster: plainDriver(),
        mon: toasterClient({ includeExisting: true, ops: [ifNull('ToasterEntry', [note('ToasterEntry is still NULL')], [note('ToasterEntry is set')])] }),
      },
      timeline: [load('mon'), plug('toaster1')],
    }));
    expect(r.labels('invoke', 'note', 'return', 'state').filter((l) => /OnToaster|ToasterEntry|registration|IoRegister/.test(l))).toEqual([
      'registration:io:1 none>active',
      ARRIVAL('mon', 'toaster0'), 'note ToasterEntry is still NULL',
      ARRIVAL('mon', 'toaster1'), 'note ToasterEntry is still NULL',
      'mon<IoRegisterPlugPlayNotification=STATUS_SUCCESS',
    ]);
    expect(r.of('invoke').filter((e) => e.registration).map((e) => e.thread)).toEqual(['sys:mon', 'sys:mon']);
    expect(r.returned('IoRegisterPlugPlayNotification')[0].out).toEqual({ NotificationEntry: 'io:1' });
    // Re-plugging a started device does nothing; no extra arrival.
    expect(r.callbacks()).toEqual([ARRIVAL('mon', 'toaster0'), ARRIVAL('mon', 'toaster1')]);
    expect(r.hazards()).toEqual([]);
  });

  it('IO-1 seed 001 with INCLUDE_EXISTING: each boot processor replayed to the processor callback, boot memory to the memory callback', () => {
    const r = run(scenario({
      machine: { processors: 2, memory: [{ id: 'mem0', sizeMiB: 4096 }] },
      drivers: { drv: seed001Driver({ includeExisting: true }) },
      timeline: [load('drv')],
    }));
    expect(r.callbacks()).toEqual([
      'drv!AsyncProcessorCallback:ARRIVAL(processor0)', 'drv!AsyncProcessorCallback:ARRIVAL(processor1)',
      'drv!AsyncMemoryCallback:ARRIVAL(mem0)',
    ]);
  });

  it('IO-1 INCLUDE_EXISTING with another category is STATUS_INVALID_PARAMETER (CHOICE); NotificationEntry stays NULL', () => {
    const withFlag = (category: string, data: string | null, entry: string) => ({
      call: 'IoRegisterPlugPlayNotification' as const, EventCategory: category, EventCategoryFlags: ['PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES'],
      EventCategoryData: data, CallbackRoutine: 'Cb', Context: null, NotificationEntry: entry, result: 'Status',
    });
    const r = run(scenario({
      machine: { devices: [toasterDevice('toaster0')] },
      drivers: {
        toaster: plainDriver(),
        mon: {
          routines: {
            DriverEntry: [withFlag('EventCategoryHardwareProfileChange', null, 'HwEntry'), ioRegister(TOASTER, 'OnToaster', 'ToasterEntry', { includeExisting: true })],
            OnToaster: [
              getDeviceObjectPointer('$SymbolicLinkName'),
              withFlag('EventCategoryTargetDeviceChange', 'TargetFileObject', 'TargetEntry'),
              ioRegisterTarget('TargetFileObject', 'Cb', 'TargetEntry'),
            ],
            Cb: [],
          },
        },
      },
      timeline: [load('mon')],
    }));
    expect(r.returned('IoGetDeviceObjectPointer').map((e) => e.result)).toEqual(['STATUS_SUCCESS']);
    expect(r.returned('IoRegisterPlugPlayNotification').map((e) => [e.result, e.out])).toEqual([
      ['STATUS_INVALID_PARAMETER', { NotificationEntry: null }],
      ['STATUS_INVALID_PARAMETER', { NotificationEntry: null }],
      ['STATUS_SUCCESS', { NotificationEntry: 'io:2' }],
      ['STATUS_SUCCESS', { NotificationEntry: 'io:1' }],
    ]);
    expect(r.callbacks()).toEqual([ARRIVAL('mon', 'toaster0')]);
    expect(r.hazards()).toEqual([]);
  });
});

describe('IO-2 asynchronous delivery', () => {
  const app = {
    globals: {},
    routines: {
      main: [{ call: 'CM_Register_Notification' as const, pFilter: { FilterType: 'CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE', ClassGuid: TOASTER }, pContext: null, pCallback: 'OnInterface', pNotifyContext: 'hNotify', result: 'cr' }],
      OnInterface: [],
    },
  };

  it('IO-2 one event at a time on pnp; registrants in registration order, kernel before user mode (CHOICE)', () => {
    const r = run(scenario({
      machine: { devices: [toasterDevice('toaster0', 'toaster', false), toasterDevice('toaster1', 'toaster', false)] },
      drivers: { toaster: plainDriver(), b: toasterClient(), a: toasterClient() },
      apps: { monitor: app },
      timeline: [{ do: 'start', app: 'monitor' }, load('b'), load('a'), plug('toaster0'), plug('toaster1', { concurrent: true })],
    }));
    expect(r.callbacks()).toEqual([
      ARRIVAL('b', 'toaster0'), ARRIVAL('a', 'toaster0'), 'monitor!OnInterface:INTERFACEARRIVAL(toaster0)',
      ARRIVAL('b', 'toaster1'), ARRIVAL('a', 'toaster1'), 'monitor!OnInterface:INTERFACEARRIVAL(toaster1)',
    ]);
    expect(r.of('invoke').filter((e) => e.registration).map((e) => e.thread)).toEqual(['pnp', 'pnp', 'app:monitor:notify', 'pnp', 'pnp', 'app:monitor:notify']);
    // Each callback completes before the next starts (one at a time).
    const seq = r.labels('invoke', 'complete').filter((l) => l.includes('OnToaster') || l.includes('OnInterface'));
    for (let i = 0; i < seq.length; i += 2) expect(seq[i + 1]).toMatch(/=/);
    expect(r.hazards()).toEqual([]);
  });

  it('IO-2 REMOVE_CANCELLED goes in reverse registration order', () => {
    const r = run(scenario({
      machine: { devices: [toasterDevice('toaster0')] },
      drivers: { toaster: plainDriver({ IRP_MN_QUERY_REMOVE_DEVICE: [ret('STATUS_UNSUCCESSFUL')] }), m1: toastmonDriver(), m2: toastmonDriver(), m3: toastmonDriver() },
      timeline: [load('m1'), load('m2'), load('m3'), eject('toaster0')],
    }));
    expect(r.callbacks().filter((l) => l.includes('TargetCallback'))).toEqual([
      target('m1', 'QUERY_REMOVE'), target('m2', 'QUERY_REMOVE'), target('m3', 'QUERY_REMOVE'),
      target('m3', 'REMOVE_CANCELLED'), target('m2', 'REMOVE_CANCELLED'), target('m1', 'REMOVE_CANCELLED'),
    ]);
    expect(r.returned('CM_Query_And_Remove_SubTree')[0]).toMatchObject({ result: 'CR_REMOVE_VETOED', out: { pVetoType: 'PNP_VetoDevice' } });
  });
});

describe('IO-3 duplicate arrival', () => {
  /** toaster1 is plugged while mon loads concurrently; mon registers with INCLUDE_EXISTING. */
  const base = scenario({
    machine: { devices: [toasterDevice('toaster0'), toasterDevice('toaster1', 'toaster', false)] },
    drivers: { toaster: plainDriver(), mon: toasterClient({ includeExisting: true }) },
    timeline: [plug('toaster1'), load('mon', { concurrent: true })],
  });

  it('IO-3 without an override: pnp delivers toaster1\'s queued arrival before mon registers; each interface once, by the replay', () => {
    const r = run(base);
    expect(r.callbacks()).toEqual([ARRIVAL('mon', 'toaster0'), ARRIVAL('mon', 'toaster1')]);
    expect(r.of('invoke').filter((e) => e.registration).map((e) => e.thread)).toEqual(['sys:mon', 'sys:mon']);
  });

  it('IO-3 enabled before the replay, arrival delivered after the insert: exactly twice (replay + pnp), never more', () => {
    // Run once: pnp starts toaster1, enables its interface and queues its ARRIVAL; at the next step
    // boundary it goes straight on to deliver it (to nobody yet) and goes idle. Run sys:mon there instead.
    const s = overrideBefore(base, 'thread:pnp runnable>idle', 'sys:mon', 'queue ARRIVAL(toaster1)');
    const r0 = run(base);
    expect(r0.label(r0.trace[s.schedule![0].at! - 1])).toBe('queue ARRIVAL(toaster1)');
    const r = run(s);
    expect(r.callbacks()).toEqual([ARRIVAL('mon', 'toaster0'), ARRIVAL('mon', 'toaster1'), ARRIVAL('mon', 'toaster1')]);
    expect(r.of('invoke').filter((e) => e.registration).map((e) => e.thread)).toEqual(['sys:mon', 'sys:mon', 'pnp']);
    const twice = r.callbacks().filter((l) => l === ARRIVAL('mon', 'toaster1'));
    expect(twice).toHaveLength(2);
    expect(r.hazards()).toEqual([]);
    expect(r.halt).toBe('quiescent');
  });

  it('IO-3 with the same override and no INCLUDE_EXISTING: once (only the queued arrival)', () => {
    const plain = { ...base, drivers: { toaster: plainDriver(), mon: toasterClient() } };
    const r = run(overrideBefore(plain, 'thread:pnp runnable>idle', 'sys:mon', 'queue ARRIVAL(toaster1)'));
    expect(r.callbacks()).toEqual([ARRIVAL('mon', 'toaster1')]);
  });
});

describe('IO-4 registration during an event', () => {
  it('IO-4 a registration made inside an ARRIVAL callback does not receive that event, only later ones', () => {
    const r = run(scenario({
      machine: { devices: [toasterDevice('toaster0', 'toaster', false), toasterDevice('toaster1', 'toaster', false)] },
      drivers: {
        toaster: plainDriver(),
        a: {
          routines: {
            DriverEntry: [ioRegister(TOASTER, 'OnToaster', 'ToasterEntry')],
            OnToaster: [ifNull('SecondEntry', [ioRegister(TOASTER, 'OnToaster2', 'SecondEntry')])],
            OnToaster2: [],
          },
        },
      },
      timeline: [load('a'), plug('toaster0'), plug('toaster1')],
    }));
    expect(r.callbacks()).toEqual([ARRIVAL('a', 'toaster0'), ARRIVAL('a', 'toaster1'), ARRIVAL('a', 'toaster1', 'OnToaster2')]);
    expect(r.returned('IoRegisterPlugPlayNotification').map((e) => [e.thread, e.result])).toEqual([['sys:a', 'STATUS_SUCCESS'], ['pnp', 'STATUS_SUCCESS']]);
  });

  it('IO-4 toastmon re-registers inside REMOVE_CANCELLED: the new registration misses that event, gets the next query-remove', () => {
    const r = run(scenario({
      machine: { devices: [toasterDevice('toaster0')] },
      drivers: { toaster: plainDriver({ IRP_MN_QUERY_REMOVE_DEVICE: [ret('STATUS_UNSUCCESSFUL')] }), m1: toastmonDriver(), m2: toastmonDriver() },
      timeline: [load('m1'), load('m2'), eject('toaster0'), eject('toaster0')],
    }));
    const regOf = (routine: string) => r.of('invoke').filter((e) => e.routine === routine).map((e) => `${e.component}:${String(e.args.Event).replace('GUID_TARGET_DEVICE_', '')}@${e.registration}`);
    expect(regOf('TargetCallback')).toEqual([
      'm1:QUERY_REMOVE@io:2', 'm2:QUERY_REMOVE@io:4',
      // m2 (io:4) re-registers as io:5 before m1 gets its REMOVE_CANCELLED; io:5 does not get this one.
      'm2:REMOVE_CANCELLED@io:4', 'm1:REMOVE_CANCELLED@io:2',
      // The second eject: the new registrations, in their registration order (io:5 then io:6).
      'm2:QUERY_REMOVE@io:5', 'm1:QUERY_REMOVE@io:6',
      'm1:REMOVE_CANCELLED@io:6', 'm2:REMOVE_CANCELLED@io:5',
    ]);
  });
});

describe('IO-5 return values', () => {
  it('IO-5 a failure returned for ARRIVAL is ignored: later registrants still get it, no hazard', () => {
    const r = run(scenario({
      machine: { devices: [toasterDevice('toaster0', 'toaster', false)] },
      drivers: { toaster: plainDriver(), a: toasterClient({ ops: [ret('STATUS_UNSUCCESSFUL')] }), b: toasterClient() },
      timeline: [load('a'), load('b'), plug('toaster0')],
    }));
    expect(r.labels('invoke', 'complete').filter((l) => l.includes('OnToaster'))).toEqual([
      ARRIVAL('a', 'toaster0'), 'a!OnToaster=STATUS_UNSUCCESSFUL', ARRIVAL('b', 'toaster0'), 'b!OnToaster=STATUS_SUCCESS',
    ]);
    expect(r.hazards()).toEqual([]);
    expect(r.states('interface:' + String(r.of('invoke').find((e) => e.routine === 'OnToaster')?.args.SymbolicLinkName))).toEqual(['none>enabled']);
  });

  it('IO-5 a failure returned for QUERY_REMOVE vetoes (RM-3): later registrants get nothing, earlier ones and the vetoer get REMOVE_CANCELLED in reverse', () => {
    const r = run(scenario({
      machine: { devices: [toasterDevice('toaster0')] },
      drivers: { toaster: plainDriver(), m1: toastmonDriver(), m2: toastmonDriver({ closeOnQueryRemove: false, queryRemove: [ret('STATUS_UNSUCCESSFUL')] }), m3: toastmonDriver() },
      timeline: [load('m1'), load('m2'), load('m3'), eject('toaster0')],
    }));
    expect(r.callbacks().filter((l) => l.includes('TargetCallback'))).toEqual([
      target('m1', 'QUERY_REMOVE'), target('m2', 'QUERY_REMOVE'), target('m2', 'REMOVE_CANCELLED'), target('m1', 'REMOVE_CANCELLED'),
    ]);
    expect(r.labels('irp')).toEqual([]);
    expect(r.returned('CM_Query_And_Remove_SubTree')[0]).toMatchObject({ result: 'CR_REMOVE_VETOED', out: { pVetoType: 'PNP_VetoDriver', pszVetoName: 'm2' } });
  });

  it('IO-5 a failure returned for REMOVE_COMPLETE is ignored: the removal completes', () => {
    const failing = toastmonDriver();
    (failing.routines.TargetCallback as { cases: Record<string, unknown[]> }).cases.GUID_TARGET_DEVICE_REMOVE_COMPLETE = [ioUnregisterEx('TargetEntry'), ret('STATUS_UNSUCCESSFUL')];
    const r = run(scenario({
      machine: { devices: [toasterDevice('toaster0')] },
      drivers: { toaster: plainDriver(), m1: failing },
      timeline: [load('m1'), eject('toaster0')],
    }));
    expect(r.returned('CM_Query_And_Remove_SubTree')[0].result).toBe('CR_SUCCESS');
    expect(r.states('device:toaster0').at(-1)).toBe('remove-pending>removed');
    expect(r.hazards()).toEqual([]);
  });
});

describe('IO-6 DriverObject reference', () => {
  it('IO-6 Unload returning with registrations left: unload-blocked (warning), callbacks keep coming; the last unregister releases the image', () => {
    const r = run(scenario({
      machine: { processors: 1 },
      drivers: { drv: seed001Driver({ memory: false, unload: false, extraRoutines: { Cleanup: [ioUnregisterEx('ProcessorNotificationEntry')] } }) },
      timeline: [load('drv'), unload('drv'), hotAdd(), runRoutine('drv', 'Cleanup'), hotAdd()],
    }));
    expect(r.hazards()).toEqual([{ rule: 'IO-6', severity: 'warning' }]);
    expect(r.states('driver:drv')).toEqual(['not-loaded>loaded', 'loaded>unloading', 'unloading>unload-blocked', 'unload-blocked>unloaded']);
    expect(r.callbacks()).toEqual(['drv!AsyncProcessorCallback:ARRIVAL(processor1)']);
    expect(r.of('invoke').find((e) => e.registration)?.step).toBe(3);
    // The image is released by the unregister inside Cleanup (DRV-2).
    const released = r.of('state').find((e) => e.entity === 'driver:drv' && e.to === 'unloaded');
    expect(released?.thread).toBe('sys:drv');
    expect(released?.step).toBe(4);
    expect(r.halt).toBe('quiescent');
  });

  it('IO-6 seed 001\'s Unload unregisters both: the driver unloads', () => {
    const r = run(scenario({ drivers: { drv: seed001Driver() }, timeline: [load('drv'), unload('drv'), hotAdd(), hotAddMemory()] }));
    expect(r.states('driver:drv')).toEqual(['not-loaded>loaded', 'loaded>unloading', 'unloading>unloaded']);
    expect(r.labels('call').filter((l) => l.includes('Unregister'))).toEqual(['drv>IoUnregisterPlugPlayNotification', 'drv>IoUnregisterPlugPlayNotification']);
    expect(r.returned('IoUnregisterPlugPlayNotification').map((e) => e.result)).toEqual(['STATUS_SUCCESS', 'STATUS_SUCCESS']);
    expect(r.callbacks()).toEqual([]);
    expect(r.hazards()).toEqual([]);
  });
});

describe('IO-7 callback discipline', () => {
  const drv = (ops: unknown[], extra: Record<string, unknown> = {}) =>
    scenario({
      machine: { processors: 1, devices: [toasterDevice('toaster0')] },
      drivers: { toaster: plainDriver(), drv: seed001Driver({ memory: false, processorOps: ops as never[], extraRoutines: extra as never }) },
      timeline: [load('drv'), hotAdd()],
    });

  it('IO-7 returning at a different IRQL than called: bug check 0xCA (parameter 0xA), halt', () => {
    const r = run(drv([{ call: 'KeAcquireSpinLock', SpinLock: 'Lock' }]));
    expect(r.hazards()).toEqual([{ rule: 'IO-7', severity: 'bugcheck', bugcheck: '0xCA' }]);
    expect(r.of('hazard')[0].bugcheck).toBe('0xCA PNP_DETECTED_FATAL_ERROR (parameter 1 = 0xA)');
    expect(r.of('hazard')[0].thread).toBe('pnp');
    expect(r.of('complete').filter((e) => e.routine === 'AsyncProcessorCallback')).toEqual([]);
    expect(r.halt).toBe('bugcheck');
  });

  it('IO-7 raising and restoring before the return is fine', () => {
    const r = run(drv([{ call: 'KeAcquireSpinLock', SpinLock: 'Lock' }, { call: 'KeReleaseSpinLock', SpinLock: 'Lock' }]));
    expect(r.hazards()).toEqual([]);
    expect(r.states('irql:pnp')).toEqual(['PASSIVE_LEVEL>DISPATCH_LEVEL', 'DISPATCH_LEVEL>PASSIVE_LEVEL']);
  });

  it('IO-7 a callback that waits holds up the PnP manager: error, then it goes on when the work item finishes', () => {
    const r = run(drv([queueWorkItem('Work', null), waitFor(), note('after the wait')], { Work: [note('work item runs')] }));
    expect(r.hazards()).toEqual([{ rule: 'IO-7', severity: 'error' }]);
    expect(r.labels('note')).toEqual(['note work item runs', 'note after the wait']);
    expect(r.of('note').map((e) => e.thread)).toEqual(['worker:1', 'pnp']);
    expect(r.halt).toBe('quiescent');
  });

  it('IO-7 calling the synchronous IoReportTargetDeviceChange from a callback: deadlock (CU-8)', () => {
    const r = run(drv([{ call: 'IoReportTargetDeviceChange', PhysicalDeviceObject: 'toaster0', NotificationStructure: { Event: 'GUID_TOASTER_CUSTOM', FileObject: null, NameBufferOffset: -1, CustomData: 'x' } }]));
    expect(r.hazards()).toEqual([{ rule: 'CU-8', severity: 'deadlock' }]);
    expect(r.of('hazard')[0].cycle).toEqual([{ thread: 'pnp', waitsFor: 'pnp', reason: 'the PnP manager to deliver GUID_TOASTER_CUSTOM' }]);
    expect(r.halt).toBe('deadlock');
  });
});

describe('IO-8 target-device registration', () => {
  it('IO-8 registration on a file object from IoGetDeviceObjectPointer; each registrant gets its own FileObject; it survives closing it', () => {
    const r = run(scenario({
      machine: { devices: [toasterDevice('toaster0')] },
      drivers: { toaster: plainDriver(), m1: toastmonDriver(), m2: toastmonDriver() },
      timeline: [load('m1'), load('m2'), eject('toaster0')],
    }));
    const targets = r.of('invoke').filter((e) => e.routine === 'TargetCallback');
    expect(targets.map((e) => `${e.component}:${String(e.args.Event).replace('GUID_TARGET_DEVICE_', '')}:${String(e.args.FileObject)}`)).toEqual([
      'm1:QUERY_REMOVE:fo:m1:1', 'm2:QUERY_REMOVE:fo:m2:1',
      // The file objects were closed in QUERY_REMOVE; the registrations still get REMOVE_COMPLETE.
      'm1:REMOVE_COMPLETE:fo:m1:1', 'm2:REMOVE_COMPLETE:fo:m2:1',
    ]);
    expect(r.states('handle:fo:m1:1')).toEqual(['none>open', 'open>closed']);
    expect(r.returned('IoRegisterPlugPlayNotification').map((e) => e.result)).toEqual(['STATUS_SUCCESS', 'STATUS_SUCCESS', 'STATUS_SUCCESS', 'STATUS_SUCCESS']);
    expect(r.hazards()).toEqual([]);
  });

  it('IO-8 a driver registering on its own device is flagged; a NULL file object is STATUS_INVALID_PARAMETER', () => {
    const r = run(scenario({
      machine: { devices: [toasterDevice('toaster0')] },
      drivers: {
        toaster: {
          globals: { NoFileObject: null },
          routines: {
            Register: [ioRegister(TOASTER, 'OnToaster', 'ToasterEntry', { includeExisting: true })],
            OnToaster: [getDeviceObjectPointer('$SymbolicLinkName'), ioRegisterTarget('TargetFileObject', 'Cb', 'OwnEntry'), ioRegisterTarget('NoFileObject', 'Cb', 'BadEntry')],
            Cb: [],
          },
        },
      },
      timeline: [runRoutine('toaster', 'Register')],
    }));
    expect(r.hazards()).toEqual([{ rule: 'IO-8', severity: 'error' }]);
    expect(r.returned('IoRegisterPlugPlayNotification').map((e) => [e.result, e.out])).toEqual([
      ['STATUS_SUCCESS', { NotificationEntry: 'io:2' }],
      ['STATUS_INVALID_PARAMETER', { NotificationEntry: null }],
      ['STATUS_SUCCESS', { NotificationEntry: 'io:1' }],
    ]);
  });
});

describe('IO-9 close on query-remove', () => {
  it('IO-9 closing in QUERY_REMOVE lets the removal succeed: QUERY_REMOVE, IRP, REMOVE_COMPLETE (unregister), REMOVE IRP, interface REMOVAL', () => {
    const r = run(scenario({
      machine: { devices: [toasterDevice('toaster0')] },
      drivers: { toaster: plainDriver(), mon: toastmonDriver() },
      timeline: [load('mon'), eject('toaster0')],
    }));
    expect(r.labels('invoke', 'irp', 'call').filter((l) => !l.includes('DriverEntry') && !l.startsWith('shell') && !l.includes('IoGetDevice') && !l.includes('>IoRegister'))).toEqual([
      'mon!InterfaceCallback:ARRIVAL(toaster0)',
      target('mon', 'QUERY_REMOVE'), 'mon>ObDereferenceObject',
      'QUERY_REMOVE_DEVICE@toaster0:toaster',
      target('mon', 'REMOVE_COMPLETE'), 'mon>IoUnregisterPlugPlayNotificationEx',
      'REMOVE_DEVICE@toaster0:toaster',
      'mon!InterfaceCallback:REMOVAL(toaster0)',
    ]);
    expect(r.returned('CM_Query_And_Remove_SubTree')[0]).toMatchObject({ result: 'CR_SUCCESS' });
    expect(r.states('registration:io:2')).toEqual(['none>active', 'active>unregistered']);
    expect(r.hazards()).toEqual([]);
  });

  it('IO-9 not closing it: the query-remove fails for an open handle (RM-4, PNP_VetoOutstandingOpen naming the holder); REMOVE_CANCELLED reopens and re-registers', () => {
    const r = run(scenario({
      machine: { devices: [toasterDevice('toaster0')] },
      drivers: { toaster: plainDriver(), mon: toastmonDriver({ closeOnQueryRemove: false }) },
      timeline: [load('mon'), eject('toaster0')],
    }));
    expect(r.labels('invoke', 'irp', 'hazard').filter((l) => !l.includes('DriverEntry'))).toEqual([
      'mon!InterfaceCallback:ARRIVAL(toaster0)',
      target('mon', 'QUERY_REMOVE'),
      'QUERY_REMOVE_DEVICE@toaster0:toaster',
      'hazard RM-4 warning',
      'CANCEL_REMOVE_DEVICE@toaster0:toaster',
      target('mon', 'REMOVE_CANCELLED'),
    ]);
    expect(r.returned('CM_Query_And_Remove_SubTree')[0]).toMatchObject({
      result: 'CR_REMOVE_VETOED', out: { pVetoType: 'PNP_VetoOutstandingOpen', pszVetoName: 'mon (file object fo:mon:1)' },
    });
    // REMOVE_CANCELLED: the old registration goes, a new file object and registration come.
    expect(r.states('registration:io:2')).toEqual(['none>active', 'active>unregistered']);
    expect(r.states('registration:io:3')).toEqual(['none>active']);
    expect(r.states('handle:fo:mon:2')).toEqual(['none>open']);
    expect(r.states('device:toaster0').slice(-2)).toEqual(['started>query-remove-pending', 'query-remove-pending>started']);
  });
});

describe('IO-10 processor and memory arrival', () => {
  const s: Scenario = scenario({
    machine: { processors: 1, memory: [{ id: 'mem0', sizeMiB: 4096 }] },
    drivers: {
      both: seed001Driver(),
      proc: seed001Driver({ memory: false }),
      mem: seed001Driver({ processor: false }),
      sync: seed000Driver({ addExisting: false }),
    },
    timeline: [load('both'), load('proc'), load('mem'), load('sync'), hotAddMemory('mem1'), hotAdd()],
  });

  it('IO-10 memory arrival goes only to memory registrants, processor arrival only to processor registrants; memory has no synchronous notification', () => {
    const r = run(s);
    expect(r.callbacks()).toEqual([
      'both!AsyncMemoryCallback:ARRIVAL(mem1)', 'mem!AsyncMemoryCallback:ARRIVAL(mem1)',
      sync('sync', 'Start', 1), sync('sync', 'Complete', 1),
      'both!AsyncProcessorCallback:ARRIVAL(processor1)', 'proc!AsyncProcessorCallback:ARRIVAL(processor1)',
    ]);
    const arrivals = r.of('invoke').filter((e) => e.routine.startsWith('Async'));
    expect(arrivals.map((e) => e.args.InterfaceClassGuid)).toEqual(['GUID_DEVICE_MEMORY', 'GUID_DEVICE_MEMORY', 'GUID_DEVICE_PROCESSOR', 'GUID_DEVICE_PROCESSOR']);
    expect(new Set(arrivals.map((e) => e.thread))).toEqual(new Set(['pnp']));
    expect(r.states('memory:mem1')).toEqual(['not-present>active']);
    expect(r.hazards()).toEqual([]);
  });

  it('IO-10 seed 001 code shape: two registrations, one per GUID, with their own callbacks and entries', () => {
    const r = run(s);
    const regs = r.of('state').filter((e) => e.entity.startsWith('registration:io:') && e.from === 'none' && e.info?.owner === 'both');
    expect(regs.map((e) => [e.info?.routine, e.info?.className])).toEqual([['AsyncProcessorCallback', 'GUID_DEVICE_PROCESSOR'], ['AsyncMemoryCallback', 'GUID_DEVICE_MEMORY']]);
    expect(r.returned('IoRegisterPlugPlayNotification').filter((e) => e.component === 'both').map((e) => e.out)).toEqual([
      { NotificationEntry: 'io:1' }, { NotificationEntry: 'io:2' },
    ]);
  });
});

