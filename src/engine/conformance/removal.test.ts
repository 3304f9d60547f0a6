// Conformance: device removal flows (RM-1…RM-8; seeds 002, 003, 004), and the device
// side of IO-4, IO-8 and IO-9.
import { describe, expect, it } from 'vitest';
import { run } from '../testing.ts';
import {
  A, actions, closeHandle, createFile, device, ejects, holdBack, isInvoke, type Body, type Component, handleApp,
  type MonitorOpts, registerInterface, ret, runAfter, scenario, stepLabels, toastmon, TOASTER, results,
} from './fixtures-devices.ts';

const CHILD = 'GUID_DEVINTERFACE_TOASTER_CHILD';
const closeOnQueryRemove = actions({ [A.QUERYREMOVE]: [closeHandle()] });

interface WorldOpts {
  appA?: Body;
  appB?: Body;
  kmonA?: MonitorOpts;
  kmonB?: MonitorOpts;
  drivers?: Record<string, Component>;
  apps?: Record<string, Component>;
  extraSetup?: unknown[];
  gestures?: unknown[];
}

/**
 * toaster0 (stack bus → toaster → tfilter, top is tfilter) with a child child0 (stack toaster →
 * childdrv). Kernel monitors kmonA (on toaster0) and kmonB (on child0), toastmon-shaped; apps appA
 * (handle on toaster0) and appB (handle on child0); `watcher` has an interface registration for
 * toaster0's class. The gesture is timeline step 6.
 */
function world(o: WorldOpts = {}) {
  const extraApps = o.apps ?? {};
  return scenario({
    devices: [
      device('toaster0', { stack: ['bus', 'toaster', 'tfilter'] }),
      device('child0', { parent: 'toaster0', stack: ['toaster', 'childdrv'], interfaces: [CHILD] }),
    ],
    drivers: { kmonA: toastmon(o.kmonA), kmonB: toastmon({ cls: CHILD, ...o.kmonB }), ...o.drivers },
    apps: {
      appA: handleApp(o.appA ?? closeOnQueryRemove, { extra: { Reopen: [createFile('DeviceLink', 'hRetry')], Release: [closeHandle()] } }),
      appB: handleApp(o.appB ?? closeOnQueryRemove, { cls: CHILD, extra: { Release: [closeHandle()] } }),
      watcher: { routines: { main: [registerInterface(TOASTER, 'OnInterface', 'hInterfaceNotify')], OnInterface: [] } },
      ...extraApps,
    },
    timeline: [
      { do: 'load', driver: 'kmonA' }, { do: 'load', driver: 'kmonB' },
      { do: 'start', app: 'appA' }, { do: 'start', app: 'appB' }, { do: 'start', app: 'watcher' },
      ...(o.extraSetup ?? []),
      ...(o.gestures ?? [{ do: 'eject', device: 'toaster0' }]),
    ],
  });
}
const GESTURE = 6;

const QUERY_IRPS = [
  'QUERY_REMOVE_DEVICE@child0:childdrv', 'QUERY_REMOVE_DEVICE@child0:toaster',
  'QUERY_REMOVE_DEVICE@toaster0:tfilter', 'QUERY_REMOVE_DEVICE@toaster0:toaster', 'QUERY_REMOVE_DEVICE@toaster0:bus',
];
const REMOVE_IRPS = QUERY_IRPS.map((l) => l.replace('QUERY_REMOVE_DEVICE', 'REMOVE_DEVICE'));
const SURPRISE_IRPS = QUERY_IRPS.map((l) => l.replace('QUERY_REMOVE_DEVICE', 'SURPRISE_REMOVAL'));
// RM-4: bottom to top, parents before children (the reverse of the query).
const CANCEL_IRPS = [
  'CANCEL_REMOVE_DEVICE@toaster0:bus', 'CANCEL_REMOVE_DEVICE@toaster0:toaster', 'CANCEL_REMOVE_DEVICE@toaster0:tfilter',
  'CANCEL_REMOVE_DEVICE@child0:toaster', 'CANCEL_REMOVE_DEVICE@child0:childdrv',
];
const UM = (action: string) => ['appA!OnDevice:' + action, 'appB!OnDevice:' + action];
const REMOVALS = ['kmonB!InterfaceCallback:REMOVAL(child0)', 'kmonA!InterfaceCallback:REMOVAL(toaster0)', 'watcher!OnInterface:INTERFACEREMOVAL(toaster0)'];
const seqOf = (r: ReturnType<typeof run>, label: string) => {
  const i = r.trace.findIndex((e) => r.label(e) === label);
  if (i < 0) throw new Error(`no entry ${label}`);
  return i;
};

describe('RM-1 orderly removal, success', () => {
  const r = run(world());

  it('UM QUERYREMOVE, KM QUERY_REMOVE, QUERY_REMOVE_DEVICE top→bottom (descendants first), REMOVEPENDING, KM REMOVE_COMPLETE, REMOVE_DEVICE, UM REMOVECOMPLETE, then the interface REMOVAL events', () => {
    expect(stepLabels(r, GESTURE, 'invoke', 'irp')).toEqual([
      ...UM('QUERYREMOVE'),
      'kmonA!TargetCallback:QUERY_REMOVE', 'kmonB!TargetCallback:QUERY_REMOVE',
      ...QUERY_IRPS,
      ...UM('REMOVEPENDING'),
      'kmonA!TargetCallback:REMOVE_COMPLETE', 'kmonB!TargetCallback:REMOVE_COMPLETE',
      ...REMOVE_IRPS,
      ...UM('REMOVECOMPLETE'),
      ...REMOVALS,
    ]);
    expect(ejects(r)).toEqual([{ result: 'CR_SUCCESS', vetoType: null, vetoName: null }]);
    expect(r.hazards()).toEqual([]);
    expect(r.halt).toBe('quiescent');
  });

  it('the shell calls CM_Query_And_Remove_SubTree and gets its answer when the PnP manager is done', () => {
    const labels = stepLabels(r, GESTURE, 'call', 'return').filter((l) => l.startsWith('shell'));
    expect(labels).toEqual(['shell>CM_Query_And_Remove_SubTree', 'shell<CM_Query_And_Remove_SubTree=CR_SUCCESS']);
    const call = r.of('call').find((e) => e.api === 'CM_Query_And_Remove_SubTree')!;
    expect(call.thread).toBe('shell');
    expect(call.args).toMatchObject({ dnAncestor: 'toaster0' });
  });

  it('the function driver disables the interfaces during REMOVE_DEVICE; their REMOVAL events are separate PnP events after this one', () => {
    const itf = r.of('state').find((e) => e.entity.startsWith('interface:') && e.info?.device === 'toaster0')!.entity;
    const disabled = seqOf(r, `${itf} enabled>disabled`);
    expect(disabled).toBeGreaterThan(seqOf(r, 'REMOVE_DEVICE@toaster0:toaster'));
    expect(disabled).toBeLessThan(seqOf(r, 'REMOVE_DEVICE@toaster0:toaster=STATUS_SUCCESS'));
    const queued = seqOf(r, 'queue REMOVAL(toaster0)');
    const removed = seqOf(r, 'device:toaster0 remove-pending>removed');
    expect(queued).toBeLessThan(removed);
    expect(seqOf(r, 'appA!OnDevice:REMOVECOMPLETE')).toBeLessThan(removed);
    expect(seqOf(r, 'kmonA!InterfaceCallback:REMOVAL(toaster0)')).toBeGreaterThan(removed);
  });

  it('device states, threads and IRQL', () => {
    expect(r.states('device:toaster0')).toEqual(['none>not-present', 'not-present>started', 'started>query-remove-pending', 'query-remove-pending>remove-pending', 'remove-pending>removed']);
    expect(r.states('device:child0')).toEqual(r.states('device:toaster0'));
    const step = r.of('invoke').filter((e) => e.step === GESTURE && e.registration);
    for (const e of step) {
      expect(e.thread).toBe(e.component.startsWith('app') || e.component === 'watcher' ? `app:${e.component}:notify` : 'pnp');
      if (e.thread === 'pnp') expect(e.irql).toBe('PASSIVE_LEVEL');
    }
    expect(new Set(r.of('irp').filter((e) => e.step === GESTURE).map((e) => e.thread))).toEqual(new Set(['pnp']));
  });
});

describe('RM-2 veto by a user-mode callback', () => {
  it('ERROR_CANCELLED stops the QUERYREMOVE broadcast; no KM, no IRP; every handle registration gets QUERYREMOVEFAILED, including one that never got QUERYREMOVE', () => {
    const r = run(world({ appA: actions({ [A.QUERYREMOVE]: [ret('ERROR_CANCELLED')] }) }));
    expect(stepLabels(r, GESTURE, 'invoke', 'irp')).toEqual([
      'appA!OnDevice:QUERYREMOVE',
      ...UM('QUERYREMOVEFAILED'),
    ]);
    expect(ejects(r)).toEqual([{ result: 'CR_REMOVE_VETOED', vetoType: 'PNP_VetoWindowsApp', vetoName: 'appA' }]);
    expect(r.states('device:toaster0').slice(2)).toEqual(['started>query-remove-pending', 'query-remove-pending>started']);
    expect(r.hazards()).toEqual([]);
    expect(r.halt).toBe('quiescent');
  });

  it('a veto by the second registrant: both got QUERYREMOVE, both get QUERYREMOVEFAILED', () => {
    const r = run(world({ appB: actions({ [A.QUERYREMOVE]: [ret('ERROR_CANCELLED')] }) }));
    expect(stepLabels(r, GESTURE, 'invoke', 'irp')).toEqual([...UM('QUERYREMOVE'), ...UM('QUERYREMOVEFAILED')]);
    expect(ejects(r)).toEqual([{ result: 'CR_REMOVE_VETOED', vetoType: 'PNP_VetoWindowsApp', vetoName: 'appB' }]);
  });
});

describe('RM-3 veto by a kernel callback', () => {
  it('later KM registrants get nothing; the vetoer and earlier ones get REMOVE_CANCELLED in reverse order; no IRP; then UM QUERYREMOVEFAILED', () => {
    const r = run(world({
      kmonB: { queryRemoveStatus: 'STATUS_UNSUCCESSFUL', closeOnQueryRemove: false },
      drivers: { kmonC: toastmon() },
      extraSetup: [{ do: 'load', driver: 'kmonC' }],
    }));
    expect(stepLabels(r, GESTURE + 1, 'invoke', 'irp')).toEqual([
      ...UM('QUERYREMOVE'),
      'kmonA!TargetCallback:QUERY_REMOVE', 'kmonB!TargetCallback:QUERY_REMOVE',
      'kmonB!TargetCallback:REMOVE_CANCELLED', 'kmonA!TargetCallback:REMOVE_CANCELLED',
      ...UM('QUERYREMOVEFAILED'),
    ]);
    expect(r.of('complete').find((e) => e.component === 'kmonB' && e.step === GESTURE + 1)?.result).toBe('STATUS_UNSUCCESSFUL');
    expect(ejects(r)).toEqual([{ result: 'CR_REMOVE_VETOED', vetoType: 'PNP_VetoDriver', vetoName: 'kmonB' }]);
    expect(r.hazards()).toEqual([]);
    expect(r.halt).toBe('quiescent');
  });
});

describe('RM-4 veto by a driver or an open handle', () => {
  it('a driver failing IRP_MN_QUERY_REMOVE_DEVICE: CANCEL_REMOVE bottom→top, KM REMOVE_CANCELLED reversed, UM QUERYREMOVEFAILED; PNP_VetoDevice', () => {
    const r = run(world({ drivers: { tfilter: { routines: { IRP_MN_QUERY_REMOVE_DEVICE: [ret('STATUS_UNSUCCESSFUL')] } } } }));
    expect(stepLabels(r, GESTURE, 'invoke', 'irp', 'irpComplete')).toEqual([
      ...UM('QUERYREMOVE'),
      'kmonA!TargetCallback:QUERY_REMOVE', 'kmonB!TargetCallback:QUERY_REMOVE',
      'QUERY_REMOVE_DEVICE@child0:childdrv', 'QUERY_REMOVE_DEVICE@child0:childdrv=STATUS_SUCCESS',
      'QUERY_REMOVE_DEVICE@child0:toaster', 'QUERY_REMOVE_DEVICE@child0:toaster=STATUS_SUCCESS',
      'QUERY_REMOVE_DEVICE@toaster0:tfilter', 'tfilter!IRP_MN_QUERY_REMOVE_DEVICE', 'QUERY_REMOVE_DEVICE@toaster0:tfilter=STATUS_UNSUCCESSFUL',
      ...CANCEL_IRPS.flatMap((l) => [l, `${l}=STATUS_SUCCESS`]),
      'kmonB!TargetCallback:REMOVE_CANCELLED', 'kmonA!TargetCallback:REMOVE_CANCELLED',
      ...UM('QUERYREMOVEFAILED'),
    ]);
    expect(ejects(r)).toEqual([{ result: 'CR_REMOVE_VETOED', vetoType: 'PNP_VetoDevice', vetoName: 'toaster0 (tfilter returned STATUS_UNSUCCESSFUL)' }]);
    expect(r.hazards()).toEqual([]);
    expect(r.halt).toBe('quiescent');
  });

  it('a user-mode handle left open: all IRPs succeed, then the open-handle check fails; PNP_VetoOutstandingOpen names the app', () => {
    const r = run(world({ appA: [] }));
    expect(stepLabels(r, GESTURE, 'invoke', 'irp', 'hazard')).toEqual([
      ...UM('QUERYREMOVE'),
      'kmonA!TargetCallback:QUERY_REMOVE', 'kmonB!TargetCallback:QUERY_REMOVE',
      ...QUERY_IRPS,
      'hazard RM-4 warning',
      ...CANCEL_IRPS,
      'kmonB!TargetCallback:REMOVE_CANCELLED', 'kmonA!TargetCallback:REMOVE_CANCELLED',
      ...UM('QUERYREMOVEFAILED'),
    ]);
    expect(ejects(r)).toEqual([{ result: 'CR_REMOVE_VETOED', vetoType: 'PNP_VetoOutstandingOpen', vetoName: 'appA (handle app:appA:1)' }]);
    expect(r.states('device:toaster0').slice(2)).toEqual(['started>query-remove-pending', 'query-remove-pending>started']);
    expect(r.halt).toBe('quiescent');
  });

  it('IO-9: a kernel registrant that keeps its file object on QUERY_REMOVE vetoes the same way, named with its file object', () => {
    const r = run(world({ kmonA: { closeOnQueryRemove: false } }));
    expect(stepLabels(r, GESTURE, 'invoke', 'irp', 'hazard')).toEqual([
      ...UM('QUERYREMOVE'),
      'kmonA!TargetCallback:QUERY_REMOVE', 'kmonB!TargetCallback:QUERY_REMOVE',
      ...QUERY_IRPS,
      'hazard RM-4 warning',
      ...CANCEL_IRPS,
      'kmonB!TargetCallback:REMOVE_CANCELLED', 'kmonA!TargetCallback:REMOVE_CANCELLED',
      ...UM('QUERYREMOVEFAILED'),
    ]);
    expect(ejects(r)).toEqual([{ result: 'CR_REMOVE_VETOED', vetoType: 'PNP_VetoOutstandingOpen', vetoName: 'kmonA (file object fo:kmonA:1)' }]);
  });

  it('IO-9: closing the file object on QUERY_REMOVE lets the removal succeed (the registration survives the close, IO-8)', () => {
    const r = run(world());
    expect(r.states('handle:fo:kmonA:1')).toEqual(['none>open', 'open>closed']);
    const closed = seqOf(r, 'handle:fo:kmonA:1 open>closed');
    expect(closed).toBeLessThan(seqOf(r, 'kmonA!TargetCallback=STATUS_SUCCESS'));
    // still registered after the close: it gets REMOVE_COMPLETE with its own file object
    const rc = r.of('invoke').find((e) => e.component === 'kmonA' && e.args.Event === 'GUID_TARGET_DEVICE_REMOVE_COMPLETE')!;
    expect(rc.args.FileObject).toBe('fo:kmonA:1');
    expect(ejects(r)[0].result).toBe('CR_SUCCESS');
  });
});

describe('RM-5 surprise removal', () => {
  const surprise = (appB: Body, more: unknown[] = []) =>
    run(world({ appA: actions({ [A.REMOVECOMPLETE]: [closeHandle()] }), appB, gestures: [{ do: 'surpriseRemove', device: 'toaster0' }, ...more] }));

  it('SURPRISE_REMOVAL top→bottom first, UM REMOVECOMPLETE, KM REMOVE_COMPLETE, REMOVAL events; REMOVE_DEVICE only after the last handle closes, children first', () => {
    const r = surprise([], [{ do: 'run', component: 'appB', routine: 'Release' }]);
    expect(stepLabels(r, GESTURE, 'invoke', 'irp')).toEqual([
      ...SURPRISE_IRPS,
      ...UM('REMOVECOMPLETE'),
      'kmonA!TargetCallback:REMOVE_COMPLETE', 'kmonB!TargetCallback:REMOVE_COMPLETE',
      ...REMOVALS,
    ]);
    // appB still holds child0: no REMOVE_DEVICE for child0, nor for its parent toaster0.
    expect(stepLabels(r, GESTURE, 'state').filter((l) => l.startsWith('device:'))).toEqual(['device:child0 started>surprise-removed', 'device:toaster0 started>surprise-removed']);
    expect(stepLabels(r, GESTURE + 1, 'invoke', 'irp', 'call')).toEqual([
      'appB!Release', 'appB>CloseHandle',
      'REMOVE_DEVICE@child0:childdrv', 'REMOVE_DEVICE@child0:toaster',
      'REMOVE_DEVICE@toaster0:tfilter', 'REMOVE_DEVICE@toaster0:toaster', 'REMOVE_DEVICE@toaster0:bus',
    ]);
    expect(r.states('device:child0').slice(2)).toEqual(['started>surprise-removed', 'surprise-removed>removed']);
    expect(r.states('device:toaster0').slice(2)).toEqual(['started>surprise-removed', 'surprise-removed>removed']);
    expect(seqOf(r, 'device:child0 surprise-removed>removed')).toBeLessThan(seqOf(r, 'REMOVE_DEVICE@toaster0:tfilter'));
    expect(r.hazards()).toEqual([]);
    expect(r.halt).toBe('quiescent');
  });

  it('no QUERYREMOVE, no REMOVEPENDING, no QUERY_REMOVE; the initiator is not the shell', () => {
    const r = surprise(actions({ [A.REMOVECOMPLETE]: [closeHandle()] }));
    const cbs = r.callbacks();
    expect(cbs.filter((l) => /QUERYREMOVE|REMOVEPENDING|QUERY_REMOVE/.test(l))).toEqual([]);
    expect(ejects(r)).toEqual([]);
  });

  it('when every handle closes in the callbacks, REMOVE_DEVICE follows the REMOVAL events in the same step, children first', () => {
    const r = surprise(actions({ [A.REMOVECOMPLETE]: [closeHandle()] }));
    expect(stepLabels(r, GESTURE, 'invoke', 'irp')).toEqual([
      ...SURPRISE_IRPS,
      ...UM('REMOVECOMPLETE'),
      'kmonA!TargetCallback:REMOVE_COMPLETE', 'kmonB!TargetCallback:REMOVE_COMPLETE',
      ...REMOVALS,
      'REMOVE_DEVICE@child0:childdrv', 'REMOVE_DEVICE@child0:toaster',
      'REMOVE_DEVICE@toaster0:tfilter', 'REMOVE_DEVICE@toaster0:toaster', 'REMOVE_DEVICE@toaster0:bus',
    ]);
    expect(r.of('queue').filter((e) => e.event === 'RemoveDevice').map((e) => e.device)).toEqual(['child0', 'toaster0']);
  });

  it('never while a handle stays open: the device stays surprise-removed', () => {
    const r = surprise([]);
    expect(r.of('irp').filter((e) => e.minor === 'IRP_MN_REMOVE_DEVICE')).toEqual([]);
    expect(r.states('device:child0').at(-1)).toBe('started>surprise-removed');
    expect(r.states('device:toaster0').at(-1)).toBe('started>surprise-removed');
    expect(r.halt).toBe('quiescent');
  });

  it('process exit closes the last handle and releases the removal', () => {
    const r = surprise([], [{ do: 'exit', app: 'appB' }]);
    expect(stepLabels(r, GESTURE + 1, 'irp')).toEqual([
      'REMOVE_DEVICE@child0:childdrv', 'REMOVE_DEVICE@child0:toaster',
      'REMOVE_DEVICE@toaster0:tfilter', 'REMOVE_DEVICE@toaster0:toaster', 'REMOVE_DEVICE@toaster0:bus',
    ]);
  });
});

describe('RM-6 remove-pending refuses opens', () => {
  it('CreateFile → ERROR_ACCESS_DENIED and IoGetDeviceObjectPointer → STATUS_DELETE_PENDING while remove-pending; after the interface is disabled: ERROR_FILE_NOT_FOUND / STATUS_OBJECT_NAME_NOT_FOUND', () => {
    const r = run(world({
      appA: actions({ [A.QUERYREMOVE]: [closeHandle()], [A.REMOVEPENDING]: [createFile('DeviceLink', 'hRetry')] }),
      kmonA: { before: { GUID_TARGET_DEVICE_REMOVE_COMPLETE: [{ call: 'IoGetDeviceObjectPointer', ObjectName: 'DeviceLink', FileObject: 'RetryFile', DeviceObject: 'RetryDevice', result: 'RetryStatus' }] } },
      gestures: [
        { do: 'eject', device: 'toaster0' },
        { do: 'run', component: 'appA', routine: 'Reopen' },
      ],
    }));
    const creates = r.returned('CreateFile').filter((e) => e.component === 'appA');
    expect(creates.map((e) => [e.result, e.out?.LastError ?? null])).toEqual([
      ['app:appA:1', null],
      ['INVALID_HANDLE_VALUE', 'ERROR_ACCESS_DENIED'],
      ['INVALID_HANDLE_VALUE', 'ERROR_FILE_NOT_FOUND'],
    ]);
    expect(creates[1].step).toBe(GESTURE);
    expect(results(r, 'IoGetDeviceObjectPointer', 'kmonA')).toEqual(['STATUS_SUCCESS', 'STATUS_DELETE_PENDING']);
    expect(ejects(r)[0].result).toBe('CR_SUCCESS');
  });

  it('a kernel open after the removal: STATUS_OBJECT_NAME_NOT_FOUND', () => {
    const r = run(world({
      drivers: { kmonA: { ...toastmon(), routines: { ...toastmon().routines, Reopen: [{ call: 'IoGetDeviceObjectPointer', ObjectName: 'DeviceLink', FileObject: 'F', DeviceObject: 'D', result: 'S' }] } } },
      gestures: [{ do: 'eject', device: 'toaster0' }, { do: 'run', component: 'kmonA', routine: 'Reopen' }],
    }));
    expect(results(r, 'IoGetDeviceObjectPointer', 'kmonA')).toEqual(['STATUS_SUCCESS', 'STATUS_OBJECT_NAME_NOT_FOUND']);
  });
});

describe('RM-7 late registration', () => {
  it('a handle registration made after the QUERYREMOVE broadcast, before the failure, gets QUERYREMOVEFAILED without QUERYREMOVE', () => {
    const late: Component = { routines: { main: [], Register: handleApp([]).routines.main, OnDevice: [] } };
    const base = world({
      kmonA: { queryRemoveStatus: 'STATUS_UNSUCCESSFUL', closeOnQueryRemove: false },
      apps: { late },
      extraSetup: [{ do: 'start', app: 'late' }],
      gestures: [{ do: 'eject', device: 'toaster0' }, { do: 'run', component: 'late', routine: 'Register', concurrent: true }],
    });
    // The race by hand: keep late's thread back until kmonA's QUERY_REMOVE callback runs, then run it there.
    const marker = isInvoke('kmonA', 'TargetCallback', 'GUID_TARGET_DEVICE_QUERY_REMOVE');
    const s = runAfter(holdBack(base, 'app:late:main', marker), 'app:late:main', marker);
    const r = run(s);
    const step = GESTURE + 2; // the concurrent action starts right after the eject: what follows is its step
    expect(stepLabels(r, step, 'invoke', 'irp')).toEqual([
      ...UM('QUERYREMOVE'),
      'kmonA!TargetCallback:QUERY_REMOVE',
      'late!Register',
      'kmonA!TargetCallback:REMOVE_CANCELLED',
      ...UM('QUERYREMOVEFAILED'),
      'late!OnDevice:QUERYREMOVEFAILED',
    ]);
    expect(r.callbacks().filter((l) => l.startsWith('late'))).toEqual(['late!OnDevice:QUERYREMOVEFAILED']);
    expect(ejects(r)).toEqual([{ result: 'CR_REMOVE_VETOED', vetoType: 'PNP_VetoDriver', vetoName: 'kmonA' }]);
    expect(s.schedule!.length).toBeGreaterThan(0);
  });
});

describe('RM-8 re-plug', () => {
  const r = run(world({
    gestures: [{ do: 'eject', device: 'toaster0' }, { do: 'plug', device: 'toaster0' }, { do: 'plug', device: 'child0' }, { do: 'eject', device: 'toaster0' }],
  }));

  it('a removed device comes back: started, interfaces enabled, ARRIVAL events', () => {
    // toastmon's INCLUDE_EXISTING interface registrations are still live: they reopen and re-register.
    expect(stepLabels(r, GESTURE + 1, 'invoke', 'queue')).toEqual([
      'queue DeviceArrival(toaster0)', 'queue ARRIVAL(toaster0)',
      'kmonA!InterfaceCallback:ARRIVAL(toaster0)', 'watcher!OnInterface:INTERFACEARRIVAL(toaster0)',
    ]);
    expect(stepLabels(r, GESTURE + 2, 'invoke', 'queue')).toEqual([
      'queue DeviceArrival(child0)', 'queue ARRIVAL(child0)', 'kmonB!InterfaceCallback:ARRIVAL(child0)',
    ]);
    expect(r.states('device:toaster0')).toEqual([
      'none>not-present', 'not-present>started',
      'started>query-remove-pending', 'query-remove-pending>remove-pending', 'remove-pending>removed',
      'removed>started',
      'started>query-remove-pending', 'query-remove-pending>remove-pending', 'remove-pending>removed',
    ]);
    const itf = r.of('state').find((e) => e.entity.startsWith('interface:') && e.info?.device === 'toaster0')!.entity;
    expect(r.states(itf)).toEqual(['none>enabled', 'enabled>disabled', 'disabled>enabled', 'enabled>disabled']);
  });

  it("registrations are per handle: the apps' old handle registrations get nothing for the re-plugged device; the monitors' new ones do", () => {
    expect(stepLabels(r, GESTURE + 3, 'invoke')).toEqual([
      'kmonA!TargetCallback:QUERY_REMOVE', 'kmonB!TargetCallback:QUERY_REMOVE',
      'kmonA!TargetCallback:REMOVE_COMPLETE', 'kmonB!TargetCallback:REMOVE_COMPLETE',
      ...REMOVALS,
    ]);
    expect(ejects(r).map((e) => e.result)).toEqual(['CR_SUCCESS', 'CR_SUCCESS']);
    expect(r.of('invoke').filter((e) => e.registration === 'io:2' || e.registration === 'cm:1').every((e) => e.step === GESTURE)).toBe(true);
  });
});
