// Conformance: seed 002's complete recipe as one app (CM-2…CM-10, RM-1/RM-4/RM-5) —
// register the DEVICEINTERFACE class, list, de-duplicate, CreateFile, register the handle, the
// per-action table with deferred unregistration, heap contexts freed only after the unregister —
// through an orderly removal, a failed query-remove and a surprise removal; then each documented
// mistake.
import { describe, expect, it } from 'vitest';
import { run } from '../testing.ts';
import type { TraceEntry } from '../trace.ts';
import {
  A, device, ejects, freedBeforeUnregister, holderApp, isInvoke, isQueued, isReturn, recipeApp, scenario, steer, stepLabels,
  type RecipeOpts,
} from './fixtures-devices.ts';

const MAIN = [
  'app!main',
  'app>HeapAlloc', 'app>CM_Register_Notification', // step 1: the interface class, with a heap context
  'app>CM_Get_Device_Interface_List', // step 2: what already exists (CM-2)
  'app>CreateFile', 'app>HeapAlloc', 'app>CM_Register_Notification', // steps 3 and 4: open, register the handle
];

const world = (timeline: unknown[], o: RecipeOpts = {}, withHolder = false) => scenario({
  devices: [device('toaster0')],
  apps: { app: recipeApp(o), ...(withHolder ? { holder: holderApp() } : {}) },
  timeline: [{ do: 'start', app: 'app' }, ...(withHolder ? [{ do: 'start', app: 'holder' }] : []), ...timeline],
});
const app = (labels: string[]) => labels.filter((l) => l.startsWith('app') || l.includes('@'));

describe('seed 002 recipe: (a) orderly removal', () => {
  const r = run(world([{ do: 'eject', device: 'toaster0' }, { do: 'run', component: 'app', routine: 'Cleanup' }]));

  it('steps 1–4: register the class, list, open, register the handle (each registration with its own heap context)', () => {
    expect(app(stepLabels(r, 1, 'invoke', 'call'))).toEqual(MAIN);
    expect(r.returned('CM_Register_Notification').map((e) => [e.result, e.out?.pNotifyContext])).toEqual([['CR_SUCCESS', 'cm:1'], ['CR_SUCCESS', 'cm:2']]);
    expect(r.of('call').filter((e) => e.api === 'CM_Register_Notification').map((e) => e.args.pContext)).toEqual(['heap:1', 'heap:2']);
  });

  it('QUERYREMOVE closes the handle; REMOVEPENDING defers the unregister to the threadpool, which frees the context after it returned; CR_SUCCESS', () => {
    expect(app(stepLabels(r, 2, 'invoke', 'call', 'irp'))).toEqual([
      'app!OnDevice:QUERYREMOVE', 'app>CloseHandle',
      'QUERY_REMOVE_DEVICE@toaster0:toaster',
      'app!OnDevice:REMOVEPENDING', 'app>SubmitThreadpoolWork',
      'app!UnregisterOld', 'app>CM_Unregister_Notification', 'app>HeapFree',
      'REMOVE_DEVICE@toaster0:toaster',
      'app!OnInterface:INTERFACEREMOVAL(toaster0)',
    ]);
    expect(r.of('call').find((e) => e.api === 'CM_Unregister_Notification')!.thread).toBe('app:app:pool:1');
    expect(ejects(r)).toEqual([{ result: 'CR_SUCCESS', vetoType: null, vetoName: null }]);
  });

  it('step 6: when done, unregister the interface registration, then free its context', () => {
    expect(stepLabels(r, 3, 'invoke', 'call', 'return')).toEqual([
      'app!Cleanup', 'app>CM_Unregister_Notification', 'app<CM_Unregister_Notification=CR_SUCCESS', 'app>HeapFree', 'app<HeapFree=TRUE',
    ]);
    expect(r.states('registration:cm:1')).toEqual(['none>active', 'active>unregistered']);
    expect(r.states('registration:cm:2')).toEqual(['none>active', 'active>unregistered']);
    expect(freedBeforeUnregister(r)).toEqual([]);
    expect(r.hazards()).toEqual([]);
    expect(r.halt).toBe('quiescent');
  });
});

describe('seed 002 recipe: (b) failed query-remove (another app keeps a handle open)', () => {
  const r = run(world([
    { do: 'eject', device: 'toaster0' },
    { do: 'run', component: 'holder', routine: 'Release' },
    { do: 'eject', device: 'toaster0' },
  ], {}, true));

  it('the holder vetoes (PNP_VetoOutstandingOpen names it); QUERYREMOVEFAILED: deferred unregister of the old registration, reopen, re-register', () => {
    expect(ejects(r)[0]).toEqual({ result: 'CR_REMOVE_VETOED', vetoType: 'PNP_VetoOutstandingOpen', vetoName: 'holder (handle app:holder:1)' });
    expect(app(stepLabels(r, 3, 'invoke', 'call', 'irp'))).toEqual([
      'app!OnDevice:QUERYREMOVE', 'app>CloseHandle',
      'QUERY_REMOVE_DEVICE@toaster0:toaster', 'CANCEL_REMOVE_DEVICE@toaster0:toaster',
      'app!OnDevice:QUERYREMOVEFAILED', 'app>SubmitThreadpoolWork', 'app>CreateFile', 'app>HeapAlloc', 'app>CM_Register_Notification',
      'app!UnregisterOld', 'app>CM_Unregister_Notification', 'app>HeapFree',
    ]);
    // The old registration cm:2 is unregistered with its context heap:2; the new one (cm:3, heap:3) is live.
    expect(r.of('call').filter((e) => e.step === 3 && (e.api === 'CM_Unregister_Notification' || e.api === 'HeapFree')).map((e) => e.args.NotifyContext ?? e.args.lpMem))
      .toEqual(['cm:2', 'heap:2']);
    expect(r.returned('CM_Register_Notification').map((e) => e.out?.pNotifyContext)).toEqual(['cm:1', 'cm:2', 'cm:3']);
  });

  it('IO-4: the registration made inside QUERYREMOVEFAILED does not get that QUERYREMOVEFAILED; it gets the next removal', () => {
    const cbs = r.of('invoke').filter((e) => e.registration === 'cm:3').map((e) => `${e.step}:${String(e.args.Action).replace('CM_NOTIFY_ACTION_DEVICE', '')}`);
    expect(cbs).toEqual(['5:QUERYREMOVE', '5:REMOVEPENDING']);
  });

  it('once the holder closed its handle, the next eject succeeds through the new registration', () => {
    expect(app(stepLabels(r, 5, 'invoke', 'call', 'irp'))).toEqual([
      'app!OnDevice:QUERYREMOVE', 'app>CloseHandle',
      'QUERY_REMOVE_DEVICE@toaster0:toaster',
      'app!OnDevice:REMOVEPENDING', 'app>SubmitThreadpoolWork',
      'app!UnregisterOld', 'app>CM_Unregister_Notification', 'app>HeapFree',
      'REMOVE_DEVICE@toaster0:toaster',
      'app!OnInterface:INTERFACEREMOVAL(toaster0)',
    ]);
    expect(ejects(r)[1]).toEqual({ result: 'CR_SUCCESS', vetoType: null, vetoName: null });
    expect(freedBeforeUnregister(r)).toEqual([]);
    expect(r.hazards()).toEqual([{ rule: 'RM-4', severity: 'warning' }]);
  });
});

describe('seed 002 recipe: (c) surprise removal', () => {
  const r = run(world([{ do: 'surpriseRemove', device: 'toaster0' }, { do: 'plug', device: 'toaster0' }]));

  it('REMOVECOMPLETE: deferred unregister, close the handle; REMOVE_DEVICE follows once the handle is closed', () => {
    expect(app(stepLabels(r, 2, 'invoke', 'call', 'irp'))).toEqual([
      'SURPRISE_REMOVAL@toaster0:toaster',
      'app!OnDevice:REMOVECOMPLETE', 'app>SubmitThreadpoolWork', 'app>CloseHandle',
      'app!UnregisterOld', 'app>CM_Unregister_Notification', 'app>HeapFree',
      'app!OnInterface:INTERFACEREMOVAL(toaster0)',
      'REMOVE_DEVICE@toaster0:toaster',
    ]);
    expect(freedBeforeUnregister(r)).toEqual([]);
    expect(r.hazards()).toEqual([]);
  });

  it('RM-8 on re-plug the interface registration sees the arrival and the recipe opens and registers again', () => {
    expect(app(stepLabels(r, 3, 'invoke', 'call'))).toEqual([
      'app!OnInterface:INTERFACEARRIVAL(toaster0)', 'app>CreateFile', 'app>HeapAlloc', 'app>CM_Register_Notification',
    ]);
    expect(r.halt).toBe('quiescent');
  });
});

describe('seed 002 recipe: CM-3 register first, then list — and the reverse', () => {
  const plugDuring = (o: RecipeOpts, after: string, until: (e: TraceEntry) => boolean) => run(steer(scenario({
    devices: [device('toaster1', { present: false })],
    apps: { app: recipeApp(o) },
    timeline: [{ do: 'start', app: 'app' }, { do: 'plug', device: 'toaster1', concurrent: true }],
  }), [{ hold: 'app:app:main', from: isReturn('app', after), until }]));

  it('register-then-list: the interface is listed and notified; the app de-duplicates with contains and opens it once', () => {
    const r = plugDuring({}, 'CM_Register_Notification', isQueued('GUID_DEVICE_INTERFACE_ARRIVAL', 'toaster1'));
    expect(app(stepLabels(r, 2, 'invoke', 'call', 'note'))).toEqual([
      ...MAIN,
      'app!OnInterface:INTERFACEARRIVAL(toaster1)',
    ]);
    expect(stepLabels(r, 2, 'note')).toEqual(['note already listed: duplicate arrival ignored (CM-3)']);
    expect(r.returned('CreateFile').length).toBe(1);
    expect(r.hazards()).toEqual([]);
  });

  it('register-then-list without de-duplication opens the same interface twice', () => {
    const r = plugDuring({ dedupe: false }, 'CM_Register_Notification', isQueued('GUID_DEVICE_INTERFACE_ARRIVAL', 'toaster1'));
    expect(app(stepLabels(r, 2, 'invoke', 'call'))).toEqual([
      ...MAIN,
      'app!OnInterface:INTERFACEARRIVAL(toaster1)', 'app>CreateFile', 'app>HeapAlloc', 'app>CM_Register_Notification',
    ]);
    const links = r.of('call').filter((e) => e.api === 'CreateFile').map((e) => e.args.lpFileName);
    expect(links.length).toBe(2);
    expect(links[0]).toBe(links[1]);
  });

  it('list-then-register misses the interface that arrives in between (CM-3 warning): no handle, no notification', () => {
    const r = plugDuring({ order: 'list-then-register' }, 'CM_Get_Device_Interface_List', isQueued('GUID_DEVICE_INTERFACE_ARRIVAL', 'toaster1'));
    expect(app(stepLabels(r, 2, 'invoke', 'call'))).toEqual(['app!main', 'app>CM_Get_Device_Interface_List', 'app>HeapAlloc', 'app>CM_Register_Notification']);
    expect(r.callbacks()).toEqual([]);
    expect(r.hazards()).toEqual([{ rule: 'CM-3', severity: 'warning' }]);
  });
});

describe('seed 002 recipe: the documented mistakes', () => {
  it('RM-4 the handle is not closed on QUERYREMOVE: PNP_VetoOutstandingOpen naming the app', () => {
    const r = run(world([{ do: 'eject', device: 'toaster0' }], { closeOnQueryRemove: false }));
    expect(ejects(r)).toEqual([{ result: 'CR_REMOVE_VETOED', vetoType: 'PNP_VetoOutstandingOpen', vetoName: 'app (handle app:app:1)' }]);
    expect(r.hazards()).toEqual([{ rule: 'RM-4', severity: 'warning' }]);
    expect(r.callbacks()).toEqual(['app!OnDevice:QUERYREMOVE', 'app!OnDevice:QUERYREMOVEFAILED']);
  });

  it('CM-6 CM_Unregister_Notification inside its own callback: deadlock CM-6; the PnP manager and the shell wait forever', () => {
    const r = run(world([{ do: 'eject', device: 'toaster0' }], { unregisterInCallback: true }));
    expect(app(stepLabels(r, 2, 'invoke', 'call'))).toEqual([
      'app!OnDevice:QUERYREMOVE', 'app>CloseHandle', 'app!OnDevice:REMOVEPENDING', 'app>CM_Unregister_Notification',
    ]);
    expect(r.hazards()).toEqual([{ rule: 'CM-6', severity: 'deadlock' }]);
    expect(r.of('hazard')[0].cycle).toEqual([{ thread: 'app:app:notify', waitsFor: 'app:app:notify', reason: 'the pending callbacks of cm:2 to return' }]);
    expect(r.halt).toBe('deadlock');
    expect(ejects(r)).toEqual([]);
  });

  it('CM-10 the context freed before the deferred unregister returned: a latent bug, a use-after-free when REMOVECOMPLETE comes first (CM-7)', () => {
    const base = world([{ do: 'eject', device: 'toaster0' }], { freeContextEarly: true });
    expect(run(base).hazards()).toEqual([]); // the default schedule: the work item unregisters first
    const r = run(steer(base, [{ hold: 'app:app:pool:1', until: isInvoke('app', 'OnDevice', A.REMOVECOMPLETE) }]));
    expect(app(stepLabels(r, 2, 'invoke', 'call', 'hazard'))).toEqual([
      'app!OnDevice:QUERYREMOVE', 'app>CloseHandle',
      'app!OnDevice:REMOVEPENDING', 'app>HeapFree', 'app>SubmitThreadpoolWork',
      'app!OnDevice:REMOVECOMPLETE',
      'app!UnregisterOld', 'app>CM_Unregister_Notification',
      'app!OnInterface:INTERFACEREMOVAL(toaster0)',
    ]);
    expect(r.hazards()).toEqual([{ rule: 'CM-10', severity: 'error' }]);
    const h = r.trace.findIndex((e) => e.type === 'hazard');
    expect(h).toBeGreaterThan(r.trace.findIndex(isInvoke('app', 'OnDevice', A.REMOVEPENDING)));
    expect(h).toBeLessThan(r.trace.findIndex(isInvoke('app', 'OnDevice', A.REMOVECOMPLETE)));
    expect(freedBeforeUnregister(r)).toEqual(['heap:2 of cm:2 freed at #' + r.of('call').find((e) => e.api === 'HeapFree')!.seq + ', unregister returned at #' + r.returned('CM_Unregister_Notification')[0].seq]);
  });
});
