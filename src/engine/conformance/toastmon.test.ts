// Conformance: a toastmon-shaped kernel monitor (Microsoft's toaster sample) through the three
// removals — IO-1 replay, IO-2 delivery, IO-4 re-registration inside REMOVE_CANCELLED, IO-8 target
// registration on a file object, IO-9 close on QUERY_REMOVE, UN-2 unregister (Ex) on
// REMOVE_COMPLETE, RM-1/RM-4/RM-5.
import { describe, expect, it } from 'vitest';
import { run } from '../testing.ts';
import { device, ejects, holderApp, scenario, stepLabels, toastmon } from './fixtures-devices.ts';

const world = (timeline: unknown[], opts: { holder?: boolean; plugged?: boolean } = {}) => scenario({
  devices: [device('toaster0'), ...(opts.plugged ? [device('toaster1', { present: false })] : [])],
  drivers: { kmon: toastmon() },
  apps: opts.holder ? { holder: holderApp() } : {},
  timeline: [{ do: 'load', driver: 'kmon' }, ...(opts.holder ? [{ do: 'start', app: 'holder' }] : []), ...timeline],
});
/** kmon's calls and callbacks, IRPs, and the shell's eject. */
const seq = (r: ReturnType<typeof run>, step: number) =>
  stepLabels(r, step, 'invoke', 'irp', 'call', 'return').filter((l) => l.startsWith('kmon') || l.startsWith('shell') || l.includes('@'));

const OPEN_AND_REGISTER = [
  'kmon>IoGetDeviceObjectPointer', 'kmon<IoGetDeviceObjectPointer=STATUS_SUCCESS',
  'kmon>IoRegisterPlugPlayNotification', 'kmon<IoRegisterPlugPlayNotification=STATUS_SUCCESS',
];

describe('toastmon: DriverEntry with INCLUDE_EXISTING', () => {
  const r = run(world([], { plugged: true }));

  it('IO-1 the existing toaster is replayed inside the register call, on sys:kmon: open it and register for target-device change on the file object', () => {
    expect(seq(r, 1)).toEqual([
      'kmon!DriverEntry',
      'kmon>IoRegisterPlugPlayNotification',
      'kmon!InterfaceCallback:ARRIVAL(toaster0)', ...OPEN_AND_REGISTER,
      'kmon<IoRegisterPlugPlayNotification=STATUS_SUCCESS',
    ]);
    const replay = r.of('invoke').find((e) => e.routine === 'InterfaceCallback')!;
    expect(replay.thread).toBe('sys:kmon');
    expect(replay.registration).toBe('io:1');
    const target = r.of('state').find((e) => e.entity === 'registration:io:2')!;
    expect(target.info).toMatchObject({ category: 'EventCategoryTargetDeviceChange', device: 'toaster0', fileObject: 'fo:kmon:1' });
    expect(r.returned('IoRegisterPlugPlayNotification').map((e) => e.out?.NotificationEntry)).toEqual(['io:2', 'io:1']);
    expect(r.hazards()).toEqual([]);
  });
});

describe('toastmon: (a) orderly removal', () => {
  const r = run(world([{ do: 'eject', device: 'toaster0' }]));

  it('QUERY_REMOVE: ObDereferenceObject; REMOVE_COMPLETE: IoUnregisterPlugPlayNotificationEx; then the interface REMOVAL', () => {
    expect(seq(r, 2)).toEqual([
      'shell>CM_Query_And_Remove_SubTree',
      'kmon!TargetCallback:QUERY_REMOVE', 'kmon>ObDereferenceObject', 'kmon<ObDereferenceObject=null',
      'QUERY_REMOVE_DEVICE@toaster0:toaster',
      'kmon!TargetCallback:REMOVE_COMPLETE', 'kmon>IoUnregisterPlugPlayNotificationEx', 'kmon<IoUnregisterPlugPlayNotificationEx=STATUS_SUCCESS',
      'REMOVE_DEVICE@toaster0:toaster',
      'kmon!InterfaceCallback:REMOVAL(toaster0)',
      'shell<CM_Query_And_Remove_SubTree=CR_SUCCESS',
    ]);
    expect(ejects(r)).toEqual([{ result: 'CR_SUCCESS', vetoType: null, vetoName: null }]);
    expect(r.states('handle:fo:kmon:1')).toEqual(['none>open', 'open>closed']);
    expect(r.states('registration:io:2')).toEqual(['none>active', 'active>unregistered']);
    expect(r.of('invoke').filter((e) => e.routine === 'TargetCallback').map((e) => e.args.FileObject)).toEqual(['fo:kmon:1', 'fo:kmon:1']);
    expect(r.hazards()).toEqual([]);
    expect(r.halt).toBe('quiescent');
  });

  it('the unload afterwards releases the image (only the interface registration was left, and Unload removes it)', () => {
    const u = run(world([{ do: 'eject', device: 'toaster0' }, { do: 'unload', driver: 'kmon' }]));
    expect(u.states('driver:kmon')).toEqual(['not-loaded>loaded', 'loaded>unloading', 'unloading>unloaded']);
    expect(u.hazards()).toEqual([]);
  });
});

describe('toastmon: (b) failed query-remove', () => {
  const r = run(world([
    { do: 'eject', device: 'toaster0' },
    { do: 'run', component: 'holder', routine: 'Release' },
    { do: 'eject', device: 'toaster0' },
  ], { holder: true }));

  it('REMOVE_CANCELLED: unregister the old registration, reopen, re-register; IO-4: the new registration does not get this REMOVE_CANCELLED', () => {
    expect(seq(r, 3)).toEqual([
      'shell>CM_Query_And_Remove_SubTree',
      'kmon!TargetCallback:QUERY_REMOVE', 'kmon>ObDereferenceObject', 'kmon<ObDereferenceObject=null',
      'QUERY_REMOVE_DEVICE@toaster0:toaster',
      'CANCEL_REMOVE_DEVICE@toaster0:toaster',
      'kmon!TargetCallback:REMOVE_CANCELLED',
      'kmon>IoUnregisterPlugPlayNotificationEx', 'kmon<IoUnregisterPlugPlayNotificationEx=STATUS_SUCCESS',
      ...OPEN_AND_REGISTER,
      'shell<CM_Query_And_Remove_SubTree=CR_REMOVE_VETOED',
    ]);
    expect(ejects(r)[0]).toEqual({ result: 'CR_REMOVE_VETOED', vetoType: 'PNP_VetoOutstandingOpen', vetoName: 'holder (handle app:holder:1)' });
    expect(r.of('invoke').filter((e) => e.registration === 'io:3').map((e) => `${e.step}:${String(e.args.Event)}`))
      .toEqual(['5:GUID_TARGET_DEVICE_QUERY_REMOVE', '5:GUID_TARGET_DEVICE_REMOVE_COMPLETE']);
    const newReg = r.of('state').find((e) => e.entity === 'registration:io:3')!;
    expect(newReg.info).toMatchObject({ fileObject: 'fo:kmon:2' });
  });

  it('the next eject (holder gone) succeeds through the new registration and its new file object', () => {
    expect(seq(r, 5)).toEqual([
      'shell>CM_Query_And_Remove_SubTree',
      'kmon!TargetCallback:QUERY_REMOVE', 'kmon>ObDereferenceObject', 'kmon<ObDereferenceObject=null',
      'QUERY_REMOVE_DEVICE@toaster0:toaster',
      'kmon!TargetCallback:REMOVE_COMPLETE', 'kmon>IoUnregisterPlugPlayNotificationEx', 'kmon<IoUnregisterPlugPlayNotificationEx=STATUS_SUCCESS',
      'REMOVE_DEVICE@toaster0:toaster',
      'kmon!InterfaceCallback:REMOVAL(toaster0)',
      'shell<CM_Query_And_Remove_SubTree=CR_SUCCESS',
    ]);
    expect(r.of('invoke').filter((e) => e.step === 5 && e.routine === 'TargetCallback').map((e) => e.args.FileObject)).toEqual(['fo:kmon:2', 'fo:kmon:2']);
    expect(r.hazards()).toEqual([{ rule: 'RM-4', severity: 'warning' }]);
  });

  it('IO-9 a monitor that forgets ObDereferenceObject on QUERY_REMOVE vetoes the removal itself', () => {
    const bad = run(scenario({ devices: [device('toaster0')], drivers: { kmon: toastmon({ closeOnQueryRemove: false }) }, timeline: [{ do: 'load', driver: 'kmon' }, { do: 'eject', device: 'toaster0' }] }));
    expect(ejects(bad)).toEqual([{ result: 'CR_REMOVE_VETOED', vetoType: 'PNP_VetoOutstandingOpen', vetoName: 'kmon (file object fo:kmon:1)' }]);
    // its REMOVE_CANCELLED closes the old file object before reopening
    expect(seq(bad, 2)).toEqual([
      'shell>CM_Query_And_Remove_SubTree',
      'kmon!TargetCallback:QUERY_REMOVE',
      'QUERY_REMOVE_DEVICE@toaster0:toaster',
      'CANCEL_REMOVE_DEVICE@toaster0:toaster',
      'kmon!TargetCallback:REMOVE_CANCELLED',
      'kmon>IoUnregisterPlugPlayNotificationEx', 'kmon<IoUnregisterPlugPlayNotificationEx=STATUS_SUCCESS',
      'kmon>ObDereferenceObject', 'kmon<ObDereferenceObject=null',
      ...OPEN_AND_REGISTER,
      'shell<CM_Query_And_Remove_SubTree=CR_REMOVE_VETOED',
    ]);
    expect(bad.hazards()).toEqual([{ rule: 'RM-4', severity: 'warning' }]);
  });
});

describe('toastmon: (c) surprise removal', () => {
  const r = run(world([{ do: 'surpriseRemove', device: 'toaster0' }]));

  it('SURPRISE_REMOVAL first, then REMOVE_COMPLETE (no QUERY_REMOVE): unregister and close the file object; REMOVE_DEVICE once it is closed', () => {
    expect(seq(r, 2)).toEqual([
      'SURPRISE_REMOVAL@toaster0:toaster',
      'kmon!TargetCallback:REMOVE_COMPLETE',
      'kmon>IoUnregisterPlugPlayNotificationEx', 'kmon<IoUnregisterPlugPlayNotificationEx=STATUS_SUCCESS',
      'kmon>ObDereferenceObject', 'kmon<ObDereferenceObject=null',
      'kmon!InterfaceCallback:REMOVAL(toaster0)',
      'REMOVE_DEVICE@toaster0:toaster',
    ]);
    expect(r.states('device:toaster0').slice(2)).toEqual(['started>surprise-removed', 'surprise-removed>removed']);
    expect(r.hazards()).toEqual([]);
  });
});

describe('toastmon: arrivals after DriverEntry', () => {
  it('IO-2 a toaster plugged later arrives on the pnp thread; the monitor opens it and registers on its file object', () => {
    const r = run(world([{ do: 'plug', device: 'toaster1' }, { do: 'eject', device: 'toaster1' }], { plugged: true }));
    expect(seq(r, 2)).toEqual(['kmon!InterfaceCallback:ARRIVAL(toaster1)', ...OPEN_AND_REGISTER]);
    expect(r.of('invoke').find((e) => e.step === 2 && e.routine === 'InterfaceCallback')!.thread).toBe('pnp');
    // only toaster1's registration gets toaster1's removal
    expect(r.callbacks().filter((l) => l.includes('TargetCallback'))).toEqual(['kmon!TargetCallback:QUERY_REMOVE', 'kmon!TargetCallback:REMOVE_COMPLETE']);
    expect(r.of('invoke').filter((e) => e.routine === 'TargetCallback').map((e) => e.registration)).toEqual(['io:3', 'io:3']);
    expect(ejects(r)[0].result).toBe('CR_SUCCESS');
  });
});

describe('toastmon: IO-8 from the device side', () => {
  it('IO-8 the device\'s own driver registering for target-device change on its own device is flagged; a separate monitor is not', () => {
    const r = run(scenario({
      devices: [device('toaster0', { stack: ['toaster'] })],
      drivers: { toaster: toastmon(), kmon: toastmon() },
      timeline: [{ do: 'load', driver: 'kmon' }],
    }));
    // At boot toaster's DriverEntry runs before toaster0 starts: the arrival reaches it on the pnp thread.
    expect(r.hazards()).toEqual([{ rule: 'IO-8', severity: 'error' }]);
    const h = r.of('hazard')[0];
    expect(h.thread).toBe('pnp');
    expect(h.message).toContain('toaster');
    expect(r.of('state').filter((e) => e.entity.startsWith('registration:') && e.info?.category === 'EventCategoryTargetDeviceChange').map((e) => e.info?.owner)).toEqual(['toaster', 'kmon']);
  });
});
