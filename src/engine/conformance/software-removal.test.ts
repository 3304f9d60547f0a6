// Conformance: removal started by software (RM-9 CM_Request_Device_Eject, RM-10 IoRequestDeviceEject,
// RM-11 IoInvalidateDeviceState answered with PNP_DEVICE_FAILED).
import { describe, expect, it } from 'vitest';
import { run } from '../testing.ts';
import { A, actions, closeHandle, device, handleApp, type Component, type Ops, ret, scenario, set, stepLabels, toastmon } from './fixtures-devices.ts';

const INSTANCE = 'ROOT\\TOASTER0\\0000';
const closeOnQueryRemove = actions({ [A.QUERYREMOVE]: [closeHandle()], [A.REMOVECOMPLETE]: [closeHandle()] });

/** An app that asks for the eject of toaster0 from its routine `Eject` (RM-9). */
const requester = (extra: Record<string, unknown> = {}): Component => ({
  routines: {
    main: [],
    Eject: [{ call: 'CM_Request_Device_Eject', dnDevInst: INSTANCE, pVetoType: 'VetoType', pszVetoName: 'VetoName', ulNameLength: 260, ulFlags: [], result: 'cr', ...extra }],
  },
});

interface World {
  appA?: Component;
  bus?: Component;
  toaster?: Component;
  apps?: Record<string, Component>;
  gesture: unknown;
}

/** toaster0 (stack bus → toaster), kernel monitor kmonA, handle watcher appA; the gesture is timeline step 4. */
function world(o: World) {
  return scenario({
    devices: [device('toaster0', { stack: ['bus', 'toaster'] })],
    drivers: { kmonA: toastmon(), bus: o.bus ?? { routines: {} }, toaster: o.toaster ?? { routines: {} } },
    apps: { appA: o.appA ?? handleApp(closeOnQueryRemove), requester: requester(), ...o.apps },
    timeline: [{ do: 'load', driver: 'kmonA' }, { do: 'start', app: 'appA' }, { do: 'start', app: 'requester' }, o.gesture],
  });
}
const GESTURE = 4;
const ejectByApp = { do: 'run', component: 'requester', routine: 'Eject' };

const ORDERLY = [
  'appA!OnDevice:QUERYREMOVE', 'kmonA!TargetCallback:QUERY_REMOVE',
  'QUERY_REMOVE_DEVICE@toaster0:toaster', 'QUERY_REMOVE_DEVICE@toaster0:bus',
  'appA!OnDevice:REMOVEPENDING', 'kmonA!TargetCallback:REMOVE_COMPLETE',
  'REMOVE_DEVICE@toaster0:toaster', 'REMOVE_DEVICE@toaster0:bus',
  'appA!OnDevice:REMOVECOMPLETE',
];

const returns = (r: ReturnType<typeof run>, api: string) =>
  r.returned(api).map((e) => ({ result: e.result, vetoType: e.out?.pVetoType ?? null, vetoName: e.out?.pszVetoName ?? null }));

describe('RM-9 CM_Request_Device_Eject', () => {
  it('RM-9 the app waits while the PnP manager runs the orderly removal (RM-1), then IRP_MN_EJECT to the bus driver; CR_SUCCESS', () => {
    const r = run(world({ gesture: ejectByApp }));
    expect(stepLabels(r, GESTURE, 'call', 'return', 'invoke', 'irp', 'queue').filter((l) => !l.startsWith('appA>') && !l.startsWith('appA<') && !l.startsWith('kmonA>') && !l.startsWith('kmonA<'))).toEqual([
      'requester!Eject',
      'requester>CM_Request_Device_Eject', 'queue QueryAndRemove(toaster0)',
      ...ORDERLY.slice(0, 6), 'REMOVE_DEVICE@toaster0:toaster', 'queue REMOVAL(toaster0)', 'REMOVE_DEVICE@toaster0:bus',
      'appA!OnDevice:REMOVECOMPLETE',
      'EJECT@toaster0:bus',
      // The pnp thread goes on with the next queued event before the waiting app runs again (docs/architecture.md §2.2).
      'kmonA!InterfaceCallback:REMOVAL(toaster0)',
      'requester<CM_Request_Device_Eject=CR_SUCCESS',
    ]);
    expect(returns(r, 'CM_Request_Device_Eject')).toEqual([{ result: 'CR_SUCCESS', vetoType: null, vetoName: null }]);
    const call = r.of('call').find((e) => e.api === 'CM_Request_Device_Eject')!;
    expect(call.thread).toBe('app:requester:main');
    expect(call.rule).toBe('RM-9');
    expect(r.of('queue').find((e) => e.event === 'QueryAndRemove')!.rule).toBe('RM-9');
    expect(r.states('device:toaster0').slice(2)).toEqual(['started>query-remove-pending', 'query-remove-pending>remove-pending', 'remove-pending>removed']);
    expect(r.hazards()).toEqual([]);
    expect(r.halt).toBe('quiescent');
  });

  it('RM-9 a veto comes back like CM_Query_And_Remove_SubTree: CR_REMOVE_VETOED, veto type and name in the out-parameters (RM-2)', () => {
    const r = run(world({ appA: handleApp(actions({ [A.QUERYREMOVE]: [ret('ERROR_CANCELLED')] })), gesture: ejectByApp }));
    expect(stepLabels(r, GESTURE, 'invoke', 'irp')).toEqual(['requester!Eject', 'appA!OnDevice:QUERYREMOVE', 'appA!OnDevice:QUERYREMOVEFAILED']);
    expect(returns(r, 'CM_Request_Device_Eject')).toEqual([{ result: 'CR_REMOVE_VETOED', vetoType: 'PNP_VetoWindowsApp', vetoName: 'appA' }]);
    const ret_ = r.returned('CM_Request_Device_Eject')[0];
    expect(ret_.rule).toBe('RM-2');
    expect(r.of('note')).toEqual([]); // the app asked for the veto information: no message to the user
    expect(r.states('device:toaster0').slice(2)).toEqual(['started>query-remove-pending', 'query-remove-pending>started']);
  });

  it('RM-9 with pszVetoName NULL the PnP manager shows the veto to the user (a note)', () => {
    const s = world({ appA: handleApp(actions({ [A.QUERYREMOVE]: [ret('ERROR_CANCELLED')] })), gesture: ejectByApp });
    s.apps.requester = requester({ pVetoType: null, pszVetoName: null });
    const r = run(s);
    expect(returns(r, 'CM_Request_Device_Eject')).toEqual([{ result: 'CR_REMOVE_VETOED', vetoType: 'PNP_VetoWindowsApp', vetoName: 'appA' }]);
    expect(r.of('note').map((n) => n.rule)).toEqual(['RM-9']);
    expect(r.of('note')[0].text).toMatch(/pszVetoName is NULL.*PNP_VetoWindowsApp/);
  });

  it('RM-9 an unknown instance id is CR_NO_SUCH_DEVNODE and nothing is queued; a processor is never ejected (KE-6)', () => {
    const s = world({ gesture: ejectByApp });
    s.apps.requester = { routines: { main: [], Eject: [
      { call: 'CM_Request_Device_Eject', dnDevInst: 'ROOT\\NOPE\\0000', result: 'cr' },
      { call: 'CM_Request_Device_Eject', dnDevInst: 'ACPI\\ACPI0007\\0', pVetoType: 'VetoType', pszVetoName: 'VetoName', result: 'cr' },
    ] } };
    const r = run(s);
    expect(returns(r, 'CM_Request_Device_Eject')).toEqual([
      { result: 'CR_NO_SUCH_DEVNODE', vetoType: null, vetoName: null },
      { result: 'CR_REMOVE_VETOED', vetoType: 'PNP_VetoIllegalDeviceRequest', vetoName: 'ACPI\\ACPI0007\\0' },
    ]);
    expect(stepLabels(r, GESTURE, 'queue', 'hazard')).toEqual(['hazard KE-6 warning']);
  });

  it('RM-9 called from the app\'s own notification callback: the PnP manager waits for the callback, the callback for the eject — a deadlock', () => {
    const eject: Ops = [{ call: 'CM_Request_Device_Eject', dnDevInst: INSTANCE, pVetoType: 'VetoType', pszVetoName: 'VetoName', result: 'cr' }];
    const r = run(world({ appA: handleApp(actions({ [A.QUERYREMOVE]: [closeHandle()] }), { extra: {} }), apps: { requester: handleApp(actions({ [A.QUERYREMOVE]: eject }, [])) }, gesture: { do: 'eject', device: 'toaster0' } }));
    expect(r.hazards()).toEqual([{ rule: 'RM-9', severity: 'deadlock' }]);
    expect(r.halt).toBe('deadlock');
    const h = r.of('hazard')[0];
    expect(h.cycle?.map((e) => e.thread).sort()).toEqual(['app:requester:notify', 'pnp']);
  });

  it('RM-9 the validator checks the parameters (dnDevInst is required)', () => {
    const s = world({ gesture: ejectByApp });
    s.apps.requester = { routines: { main: [], Eject: [{ call: 'CM_Request_Device_Eject', result: 'cr' }] } };
    expect(() => run(s)).toThrow(/\/apps\/requester\/routines\/Eject\/0\/dnDevInst: missing required parameter "dnDevInst"/);
  });
});

describe('RM-10 IoRequestDeviceEject', () => {
  const bus = (extra: Record<string, Ops> = {}): Component => ({ routines: { PressEject: [{ call: 'IoRequestDeviceEject', PhysicalDeviceObject: 'toaster0' }, { op: 'note', text: 'eject requested' }], ...extra } });

  it('RM-10 returns at once; the PnP manager then runs the orderly removal and sends IRP_MN_EJECT to the bus driver', () => {
    const r = run(world({ bus: bus(), gesture: { do: 'run', component: 'bus', routine: 'PressEject' } }));
    expect(stepLabels(r, GESTURE, 'call', 'return', 'invoke', 'complete', 'irp', 'queue', 'note')).toEqual([
      'bus!PressEject',
      'bus>IoRequestDeviceEject', 'queue QueryAndRemove(toaster0)', 'bus<IoRequestDeviceEject=null',
      'note eject requested',
      'bus!PressEject=STATUS_SUCCESS',
      'appA!OnDevice:QUERYREMOVE', 'appA>CloseHandle', 'appA<CloseHandle=TRUE', 'appA!OnDevice=ERROR_SUCCESS',
      'kmonA!TargetCallback:QUERY_REMOVE', 'kmonA>ObDereferenceObject', 'kmonA<ObDereferenceObject=null', 'kmonA!TargetCallback=STATUS_SUCCESS',
      'QUERY_REMOVE_DEVICE@toaster0:toaster', 'QUERY_REMOVE_DEVICE@toaster0:bus',
      'appA!OnDevice:REMOVEPENDING', 'appA!OnDevice=ERROR_SUCCESS',
      'kmonA!TargetCallback:REMOVE_COMPLETE', 'kmonA>IoUnregisterPlugPlayNotificationEx', 'kmonA<IoUnregisterPlugPlayNotificationEx=STATUS_SUCCESS', 'kmonA!TargetCallback=STATUS_SUCCESS',
      'REMOVE_DEVICE@toaster0:toaster', 'queue REMOVAL(toaster0)', 'REMOVE_DEVICE@toaster0:bus',
      'appA!OnDevice:REMOVECOMPLETE', 'appA>CloseHandle', 'appA<CloseHandle=FALSE', 'appA!OnDevice=ERROR_SUCCESS',
      'EJECT@toaster0:bus',
      'kmonA!InterfaceCallback:REMOVAL(toaster0)', 'kmonA!InterfaceCallback=STATUS_SUCCESS',
    ]);
    expect(r.of('call').find((e) => e.api === 'IoRequestDeviceEject')!.rule).toBe('RM-10');
    expect(r.of('irp').find((e) => e.minor === 'IRP_MN_EJECT')!.rule).toBe('RM-10');
    expect(r.states('device:toaster0').at(-1)).toBe('remove-pending>removed');
    expect(r.hazards()).toEqual([]);
  });

  it('RM-10 a veto is not returned to the driver: the PnP manager tells the user, the device stays started', () => {
    const r = run(world({ bus: bus(), appA: handleApp(actions({ [A.QUERYREMOVE]: [ret('ERROR_CANCELLED')] })), gesture: { do: 'run', component: 'bus', routine: 'PressEject' } }));
    expect(stepLabels(r, GESTURE, 'invoke', 'irp', 'note')).toEqual([
      'bus!PressEject', 'note eject requested',
      'appA!OnDevice:QUERYREMOVE', 'appA!OnDevice:QUERYREMOVEFAILED',
      'note The eject of toaster0 that a driver requested was vetoed (PNP_VetoWindowsApp: appA); the PnP manager tells the user in a dialog and the device stays started (RM-10).',
    ]);
    expect(r.of('note').at(-1)!.rule).toBe('RM-10');
    expect(r.states('device:toaster0').at(-1)).toBe('query-remove-pending>started');
  });

  it('RM-10 may be called at DISPATCH_LEVEL (IRQL-1 allows it)', () => {
    const raised = bus({ PressEject: [{ call: 'KeRaiseIrql', NewIrql: 'DISPATCH_LEVEL' }, { call: 'IoRequestDeviceEject', PhysicalDeviceObject: 'toaster0' }, { call: 'KeLowerIrql', NewIrql: 'PASSIVE_LEVEL' }] });
    const r = run(world({ bus: raised, gesture: { do: 'run', component: 'bus', routine: 'PressEject' } }));
    expect(r.hazards()).toEqual([]);
    expect(r.of('irp').some((e) => e.minor === 'IRP_MN_EJECT')).toBe(true);
  });
});

describe('RM-11 IoInvalidateDeviceState', () => {
  const toaster = (state: string | undefined): Component => ({
    routines: {
      Fail: [{ call: 'IoInvalidateDeviceState', PhysicalDeviceObject: 'toaster0' }],
      IRP_MN_QUERY_PNP_DEVICE_STATE: state === undefined ? [] : [set('*PnpDeviceState', state)],
    },
  });
  const fail = { do: 'run', component: 'toaster', routine: 'Fail' };

  it('RM-11 PNP_DEVICE_FAILED: IRP_MN_QUERY_PNP_DEVICE_STATE top to bottom, then the surprise removal of RM-5 (no query first)', () => {
    const r = run(world({ toaster: toaster('PNP_DEVICE_FAILED'), gesture: fail }));
    expect(stepLabels(r, GESTURE, 'call', 'return', 'invoke', 'irp', 'queue', 'note')).toEqual([
      'toaster!Fail',
      'toaster>IoInvalidateDeviceState', 'queue DeviceStateChange(toaster0)', 'toaster<IoInvalidateDeviceState=null',
      'QUERY_PNP_DEVICE_STATE@toaster0:toaster', 'toaster!IRP_MN_QUERY_PNP_DEVICE_STATE',
      'QUERY_PNP_DEVICE_STATE@toaster0:bus',
      "note toaster0's stack reports PNP_DEVICE_FAILED: the PnP manager removes the device as a surprise removal (RM-11, RM-5).",
      'queue SurpriseRemoval(toaster0)',
      'SURPRISE_REMOVAL@toaster0:toaster', 'queue REMOVAL(toaster0)', 'SURPRISE_REMOVAL@toaster0:bus',
      'appA!OnDevice:REMOVECOMPLETE', 'appA>CloseHandle', 'appA<CloseHandle=TRUE',
      'kmonA!TargetCallback:REMOVE_COMPLETE',
      'kmonA>IoUnregisterPlugPlayNotificationEx', 'kmonA<IoUnregisterPlugPlayNotificationEx=STATUS_SUCCESS',
      // The last handle (kmonA's file object) closes: IRP_MN_REMOVE_DEVICE is queued (RM-5).
      'kmonA>ObDereferenceObject', 'queue RemoveDevice(toaster0)', 'kmonA<ObDereferenceObject=null',
      'kmonA!InterfaceCallback:REMOVAL(toaster0)',
      'REMOVE_DEVICE@toaster0:toaster', 'REMOVE_DEVICE@toaster0:bus',
    ]);
    const rules = (minor: string) => r.of('irp').filter((e) => e.minor === minor).map((e) => e.rule);
    expect(rules('IRP_MN_QUERY_PNP_DEVICE_STATE')).toEqual(['RM-11', 'RM-11']);
    expect(rules('IRP_MN_SURPRISE_REMOVAL')).toEqual(['RM-5', 'RM-5']);
    expect(r.of('queue').find((e) => e.event === 'SurpriseRemoval')!.rule).toBe('RM-11');
    expect(r.states('device:toaster0').slice(2)).toEqual(['started>surprise-removed', 'surprise-removed>removed']);
    expect(r.hazards()).toEqual([]);
  });

  it('RM-11 no failure reported: the stack is queried and nothing else happens', () => {
    for (const state of [undefined, 'PNP_DEVICE_DONT_DISPLAY_IN_UI']) {
      const r = run(world({ toaster: toaster(state), gesture: fail }));
      expect(stepLabels(r, GESTURE, 'irp', 'queue')).toEqual(['queue DeviceStateChange(toaster0)', 'QUERY_PNP_DEVICE_STATE@toaster0:toaster', 'QUERY_PNP_DEVICE_STATE@toaster0:bus']);
      expect(r.states('device:toaster0')).toEqual(['none>not-present', 'not-present>started']);
    }
  });

  it('RM-11 writing *PnpDeviceState outside the IRP handler is flagged and ignored', () => {
    const t = toaster(undefined);
    t.routines.Fail = [set('*PnpDeviceState', 'PNP_DEVICE_FAILED'), { call: 'IoInvalidateDeviceState', PhysicalDeviceObject: 'toaster0' }];
    const r = run(world({ toaster: t, gesture: fail }));
    expect(r.hazards()).toEqual([{ rule: 'RM-11', severity: 'error' }]);
    expect(r.states('device:toaster0')).toEqual(['none>not-present', 'not-present>started']);
  });

  it('RM-11 validation: only *OperationStatus and *PnpDeviceState can be written through a pointer', () => {
    const t = toaster(undefined);
    t.routines.Fail = [set('*Information', 'PNP_DEVICE_FAILED')];
    expect(() => run(world({ toaster: t, gesture: fail }))).toThrow(/\/drivers\/toaster\/routines\/Fail\/0\/var: only "\*OperationStatus".*"\*PnpDeviceState"/);
  });
});
