// Conformance: the user-mode notification API (CM-1…CM-13; seed 002).
import { describe, expect, it } from 'vitest';
import { run } from '../testing.ts';
import {
  A, actions, closeHandle, createFile, device, ejects, handleApp, ifThen, isInvoke, isQueued, isReturn, isState, list,
  note, recipeApp, registerHandle, registerInterface, ret, scenario, steer, stepLabels, submitWork, TOASTER,
  unregisterCm, results, type Component, type Ops,
} from './fixtures-devices.ts';

/** toaster0 present at boot (its driver loads then), toaster1 plugged later. */
const world = (apps: Record<string, Component>, timeline: unknown[], drivers: Record<string, Component> = {}) =>
  scenario({ devices: [device('toaster0'), device('toaster1', { present: false })], apps, drivers, timeline });

const app = (routines: Record<string, unknown>): Component => ({
  globals: { hNotify: null, hDevice: null, hBogus: 'cm:99' },
  routines: { OnInterface: [], OnDevice: [], ...routines } as Component['routines'],
});
const startApp = (main: Ops, more: Record<string, unknown> = {}) => world({ app: app({ main, ...more }) }, [{ do: 'start', app: 'app' }]);
const itf = (extra: Record<string, unknown> = {}) => ({ FilterType: 'CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE', ClassGuid: TOASTER, ...extra });
const register = (pFilter: unknown, over: Record<string, unknown> = {}) =>
  ({ call: 'CM_Register_Notification', pFilter, pContext: null, pCallback: 'OnInterface', pNotifyContext: 'hNotify', result: 'cr', ...over });
const stillNull = ifThen({ isNull: 'hNotify' }, [note('hNotify is NULL')], [note('hNotify is set')]);

describe('CM-1 validation', () => {
  const refused = (op: unknown) => {
    const r = run(startApp([op, stillNull]));
    return { r, cr: results(r, 'CM_Register_Notification'), notes: r.of('note').map((e) => e.text) };
  };

  it('CM-1 NULL pNotifyContext → CR_FAILURE, no registration', () => {
    const { r, cr } = refused(register(itf(), { pNotifyContext: null }));
    expect(cr).toEqual(['CR_FAILURE']);
    expect(r.of('state').filter((e) => e.entity.startsWith('registration:'))).toEqual([]);
    expect(r.halt).toBe('quiescent');
  });

  const invalid: [string, unknown][] = [
    ['a NULL filter', register(null)],
    ['a NULL callback', register(itf(), { pCallback: null })],
    ['cbSize not the structure size', register(itf({ cbSize: 100 }))],
    ['ALL_INTERFACE_CLASSES with a non-zero ClassGuid', register(itf({ Flags: ['CM_NOTIFY_FILTER_FLAG_ALL_INTERFACE_CLASSES'] }))],
    ['ALL_DEVICE_INSTANCES on a DEVICEINTERFACE filter', register(itf({ Flags: ['CM_NOTIFY_FILTER_FLAG_ALL_DEVICE_INSTANCES'] }))],
    ['ALL_INTERFACE_CLASSES on a DEVICEINSTANCE filter', register({ FilterType: 'CM_NOTIFY_FILTER_TYPE_DEVICEINSTANCE', Flags: ['CM_NOTIFY_FILTER_FLAG_ALL_INTERFACE_CLASSES'] })],
    ['a flag on a DEVICEHANDLE filter', register({ FilterType: 'CM_NOTIFY_FILTER_TYPE_DEVICEHANDLE', hTarget: 'hDevice', Flags: ['CM_NOTIFY_FILTER_FLAG_ALL_INTERFACE_CLASSES'] })],
    ['both flags together', register({ FilterType: 'CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE', Flags: ['CM_NOTIFY_FILTER_FLAG_ALL_INTERFACE_CLASSES', 'CM_NOTIFY_FILTER_FLAG_ALL_DEVICE_INSTANCES'] })],
    ['a non-zero Reserved', register(itf({ Reserved: 1 }))],
  ];
  for (const [what, op] of invalid) {
    it(`CM-1 ${what} → CR_INVALID_DATA, the output handle stays NULL, flagged`, () => {
      const { r, cr, notes } = refused(op);
      expect(cr).toEqual(['CR_INVALID_DATA']);
      expect(r.returned('CM_Register_Notification')[0].out).toEqual({ pNotifyContext: null });
      expect(notes).toEqual(['hNotify is NULL']);
      expect(r.hazards()).toEqual([{ rule: 'CM-1', severity: 'error' }]);
      expect(r.of('state').filter((e) => e.entity.startsWith('registration:'))).toEqual([]);
    });
  }

  it('CM-1 the valid forms succeed: ALL_INTERFACE_CLASSES without ClassGuid, a class GUID, a handle', () => {
    const r = run(startApp([
      register({ FilterType: 'CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE', Flags: ['CM_NOTIFY_FILTER_FLAG_ALL_INTERFACE_CLASSES'] }),
      register(itf(), { pNotifyContext: 'hNotify2' }),
      list(TOASTER), { op: 'forEach', in: 'Links', as: 'Link', do: [createFile('Link'), registerHandle('hDevice', 'OnDevice', 'hDeviceNotify')] },
    ]));
    expect(results(r, 'CM_Register_Notification')).toEqual(['CR_SUCCESS', 'CR_SUCCESS', 'CR_SUCCESS']);
    expect(r.hazards()).toEqual([]);
  });
});

describe('CM-2 no replay', () => {
  it('CM-2 a DEVICEINTERFACE registration does not report existing interfaces; the list does; ALL_DEVICES includes disabled ones', () => {
    const r = run(world({
      app: app({
        main: [registerInterface(TOASTER, 'OnInterface', 'hNotify'), list(TOASTER)],
        ListAll: [list(TOASTER), { call: 'CM_Get_Device_Interface_List', InterfaceClassGuid: TOASTER, ulFlags: 'CM_GET_DEVICE_INTERFACE_LIST_ALL_DEVICES', Buffer: 'All', result: 'cr' }],
      }),
    }, [{ do: 'start', app: 'app' }, { do: 'plug', device: 'toaster1' }, { do: 'eject', device: 'toaster1' }, { do: 'run', component: 'app', routine: 'ListAll' }]));
    expect(r.callbacks()).toEqual(['app!OnInterface:INTERFACEARRIVAL(toaster1)', 'app!OnInterface:INTERFACEREMOVAL(toaster1)']);
    const lists = r.returned('CM_Get_Device_Interface_List').map((e) => (e.out!.Buffer as string[]).map((s) => r.deviceOf(s)));
    expect(lists).toEqual([['toaster0'], ['toaster0'], ['toaster0', 'toaster1']]);
  });
});

describe('CM-3 register, then list', () => {
  const ARRIVED = isQueued('GUID_DEVICE_INTERFACE_ARRIVAL', 'toaster1');
  const plugDuring = (main: Ops, after: string, until = ARRIVED) => steer(
    world({ app: app({ main }) }, [{ do: 'start', app: 'app' }, { do: 'plug', device: 'toaster1', concurrent: true }]),
    // The arrival lands between the two calls: keep main back from `after` until the arrival is queued (or delivered).
    [{ hold: 'app:app:main', from: isReturn('app', after), until }],
  );

  it('CM-3 an interface arriving between the registration and the list is both notified and listed: the app must de-duplicate', () => {
    const s = plugDuring([registerInterface(TOASTER, 'OnInterface', 'hNotify'), list(TOASTER)], 'CM_Register_Notification', isInvoke('app', 'OnInterface'));
    const r = run(s);
    expect(r.callbacks()).toEqual(['app!OnInterface:INTERFACEARRIVAL(toaster1)']);
    expect((r.returned('CM_Get_Device_Interface_List')[0].out!.Buffer as string[]).map((x) => r.deviceOf(x))).toEqual(['toaster0', 'toaster1']);
    expect(r.hazards()).toEqual([]);
  });

  it('CM-3 listing first and registering second misses an interface that arrives in between: flagged (warning)', () => {
    const r = run(plugDuring([list(TOASTER), registerInterface(TOASTER, 'OnInterface', 'hNotify')], 'CM_Get_Device_Interface_List'));
    expect((r.returned('CM_Get_Device_Interface_List')[0].out!.Buffer as string[]).map((x) => r.deviceOf(x))).toEqual(['toaster0']);
    expect(r.callbacks()).toEqual([]);
    expect(r.hazards()).toEqual([{ rule: 'CM-3', severity: 'warning' }]);
    const h = r.of('hazard')[0];
    expect(h.message).toContain('TOASTER1');
    expect(r.trace.findIndex(isReturn('app', 'CM_Get_Device_Interface_List'))).toBeLessThan(r.trace.indexOf(h));
  });

  it('CM-3 no arrival in between: no warning', () => {
    const r = run(startApp([list(TOASTER), registerInterface(TOASTER, 'OnInterface', 'hNotify')]));
    expect(r.hazards()).toEqual([]);
  });
});


describe('CM-4 open, then register the handle', () => {
  it('CM-4 the handle may be closed after registering; the registration keeps receiving events', () => {
    const r = run(world({
      app: handleApp([], { extra: {} }),
    }, [{ do: 'start', app: 'app' }, { do: 'eject', device: 'toaster0' }]));
    // handleApp leaves the handle open: veto; now the same with the handle closed right after registering
    expect(ejects(r)[0].vetoType).toBe('PNP_VetoOutstandingOpen');
    const closed = run(world({
      app: { routines: { ...handleApp([]).routines, main: [...(handleApp([]).routines.main as Ops), closeHandle()] } },
    }, [{ do: 'start', app: 'app' }, { do: 'eject', device: 'toaster0' }]));
    expect(closed.callbacks()).toEqual(['app!OnDevice:QUERYREMOVE', 'app!OnDevice:REMOVEPENDING', 'app!OnDevice:REMOVECOMPLETE']);
    expect(ejects(closed)).toEqual([{ result: 'CR_SUCCESS', vetoType: null, vetoName: null }]);
    expect(closed.hazards()).toEqual([]);
  });

  it('CM-4 registering a handle that is not open is refused (CR_INVALID_DATA)', () => {
    const r = run(startApp([list(TOASTER), { op: 'forEach', in: 'Links', as: 'Link', do: [createFile('Link'), closeHandle(), registerHandle('hDevice', 'OnDevice', 'hDeviceNotify')] }]));
    expect(results(r, 'CM_Register_Notification')).toEqual(['CR_INVALID_DATA']);
    expect(r.hazards()).toEqual([{ rule: 'CM-1', severity: 'error' }]);
  });
});

describe('CM-5 handle callback table (the recipe; full paths in recipe002.test.ts)', () => {
  it('CM-5 QUERYREMOVE closes; QUERYREMOVEFAILED defers the old unregister, reopens, re-registers; REMOVEPENDING/REMOVECOMPLETE defer the unregister', () => {
    const r = run(world({ app: recipeApp(), holder: { routines: { main: [list(TOASTER), { op: 'forEach', in: 'Links', as: 'Link', do: [createFile('Link', 'hHeld')] }], Release: [closeHandle('hHeld')] } } },
      [{ do: 'start', app: 'app' }, { do: 'start', app: 'holder' }, { do: 'eject', device: 'toaster0' }, { do: 'run', component: 'holder', routine: 'Release' }, { do: 'eject', device: 'toaster0' }]));
    expect(stepLabels(r, 3, 'invoke', 'call').filter((l) => !l.startsWith('shell'))).toEqual([
      'app!OnDevice:QUERYREMOVE', 'app>CloseHandle',
      'app!OnDevice:QUERYREMOVEFAILED', 'app>SubmitThreadpoolWork', 'app>CreateFile', 'app>HeapAlloc', 'app>CM_Register_Notification',
      'app!UnregisterOld', 'app>CM_Unregister_Notification', 'app>HeapFree',
    ]);
    expect(ejects(r)[0]).toEqual({ result: 'CR_REMOVE_VETOED', vetoType: 'PNP_VetoOutstandingOpen', vetoName: 'holder (handle app:holder:1)' });
    expect(stepLabels(r, 5, 'invoke', 'call').filter((l) => !l.startsWith('shell'))).toEqual([
      'app!OnDevice:QUERYREMOVE', 'app>CloseHandle',
      'app!OnDevice:REMOVEPENDING', 'app>SubmitThreadpoolWork',
      'app!UnregisterOld', 'app>CM_Unregister_Notification', 'app>HeapFree',
      'app!OnInterface:INTERFACEREMOVAL(toaster0)',
    ]);
    expect(ejects(r)[1].result).toBe('CR_SUCCESS');
    expect(r.hazards()).toEqual([{ rule: 'RM-4', severity: 'warning' }]);
  });
});

describe('CM-6 no unregister of your own handle in its callback', () => {
  it('CM-6 CM_Unregister_Notification inside its own callback waits for itself: deadlock CM-6', () => {
    const r = run(world({ app: handleApp(actions({ [A.QUERYREMOVE]: [closeHandle(), unregisterCm('$hNotify')] })) },
      [{ do: 'start', app: 'app' }, { do: 'eject', device: 'toaster0' }]));
    expect(r.hazards()).toEqual([{ rule: 'CM-6', severity: 'deadlock' }]);
    expect(r.halt).toBe('deadlock');
    const h = r.of('hazard')[0];
    expect(h.cycle).toEqual([{ thread: 'app:app:notify', waitsFor: 'app:app:notify', reason: 'the pending callbacks of cm:1 to return' }]);
    expect(r.returned('CM_Unregister_Notification')).toEqual([]);
    expect(ejects(r)).toEqual([]);
  });

  it('CM-6 unregistering a different registration from a callback is allowed', () => {
    const r = run(world({
      app: handleApp(actions({ [A.QUERYREMOVE]: [closeHandle(), unregisterCm('hInterfaceNotify')] }), { pre: [registerInterface(TOASTER, 'OnInterface', 'hInterfaceNotify')], extra: { OnInterface: [] } }),
    }, [{ do: 'start', app: 'app' }, { do: 'eject', device: 'toaster0' }]));
    expect(results(r, 'CM_Unregister_Notification')).toEqual(['CR_SUCCESS']);
    expect(r.hazards()).toEqual([]);
    expect(r.callbacks()).toEqual(['app!OnDevice:QUERYREMOVE', 'app!OnDevice:REMOVEPENDING', 'app!OnDevice:REMOVECOMPLETE']);
    expect(ejects(r)[0].result).toBe('CR_SUCCESS');
  });

  it('CM-6 the documented fix: defer it (SubmitThreadpoolWork, Context: hDeviceNotify as in the format); the work item unregisters once the callback returned', () => {
    const r = run(world({
      app: handleApp(actions({ [A.QUERYREMOVE]: [closeHandle(), submitWork('Unregister', 'hDeviceNotify')] }), { extra: { Unregister: [unregisterCm('$Context')] } }),
    }, [{ do: 'start', app: 'app' }, { do: 'eject', device: 'toaster0' }]));
    expect(stepLabels(r, 2, 'invoke', 'call', 'return').filter((l) => !l.startsWith('shell'))).toEqual([
      'app!OnDevice:QUERYREMOVE', 'app>CloseHandle', 'app<CloseHandle=TRUE', 'app>SubmitThreadpoolWork', 'app<SubmitThreadpoolWork=tpwork:app:1',
      'app!Unregister', 'app>CM_Unregister_Notification', 'app<CM_Unregister_Notification=CR_SUCCESS',
    ]);
    const unreg = r.of('call').find((e) => e.api === 'CM_Unregister_Notification')!;
    expect(unreg.thread).toBe('app:app:pool:1');
    expect(r.hazards()).toEqual([]);
  });
});

describe('CM-7 notifications after deferring', () => {
  it('CM-7 between the submit and the work item\'s unregister, REMOVECOMPLETE still arrives; the context is still valid', () => {
    const base = world({ app: recipeApp() }, [{ do: 'start', app: 'app' }, { do: 'eject', device: 'toaster0' }]);
    // Let the PnP manager go on before the threadpool: REMOVECOMPLETE is delivered before the unregister.
    const s = steer(base, [{ hold: 'app:app:pool:1', until: isInvoke('app', 'OnDevice', A.REMOVECOMPLETE) }]);
    const r = run(s);
    expect(stepLabels(r, 2, 'invoke', 'call').filter((l) => !l.startsWith('shell'))).toEqual([
      'app!OnDevice:QUERYREMOVE', 'app>CloseHandle',
      'app!OnDevice:REMOVEPENDING', 'app>SubmitThreadpoolWork',
      'app!OnDevice:REMOVECOMPLETE',
      'app!UnregisterOld', 'app>CM_Unregister_Notification', 'app>HeapFree',
      'app!OnInterface:INTERFACEREMOVAL(toaster0)',
    ]);
    expect(r.hazards()).toEqual([]);
  });
});

describe('CM-8 return values', () => {
  it('CM-8 any other value than ERROR_SUCCESS/ERROR_CANCELLED to QUERYREMOVE is flagged and counts as a veto', () => {
    const r = run(world({ app: handleApp(actions({ [A.QUERYREMOVE]: [closeHandle(), ret('ERROR_GEN_FAILURE')] })) }, [{ do: 'start', app: 'app' }, { do: 'eject', device: 'toaster0' }]));
    expect(r.hazards()).toEqual([{ rule: 'CM-8', severity: 'error' }]);
    expect(r.callbacks()).toEqual(['app!OnDevice:QUERYREMOVE', 'app!OnDevice:QUERYREMOVEFAILED']);
    expect(ejects(r)).toEqual([{ result: 'CR_REMOVE_VETOED', vetoType: 'PNP_VetoWindowsApp', vetoName: 'app' }]);
  });

  it('CM-8 for any other action only ERROR_SUCCESS is allowed: flagged, ignored', () => {
    const r = run(world({
      app: handleApp(actions({ [A.QUERYREMOVE]: [closeHandle()], [A.REMOVEPENDING]: [ret('ERROR_CANCELLED')] }), {
        pre: [registerInterface(TOASTER, 'OnInterface', 'hInterfaceNotify')], extra: { OnInterface: [ret('ERROR_CANCELLED')] },
      }),
    }, [{ do: 'start', app: 'app' }, { do: 'eject', device: 'toaster0' }]));
    expect(r.hazards()).toEqual([{ rule: 'CM-8', severity: 'error' }, { rule: 'CM-8', severity: 'error' }]);
    expect(r.callbacks()).toEqual(['app!OnDevice:QUERYREMOVE', 'app!OnDevice:REMOVEPENDING', 'app!OnDevice:REMOVECOMPLETE', 'app!OnInterface:INTERFACEREMOVAL(toaster0)']);
    expect(ejects(r)[0].result).toBe('CR_SUCCESS');
  });

  it('CM-8 ERROR_CANCELLED to QUERYREMOVE is a veto, not a violation', () => {
    const r = run(world({ app: handleApp(actions({ [A.QUERYREMOVE]: [ret('ERROR_CANCELLED')] })) }, [{ do: 'start', app: 'app' }, { do: 'eject', device: 'toaster0' }]));
    expect(r.hazards()).toEqual([]);
    expect(ejects(r)[0].vetoType).toBe('PNP_VetoWindowsApp');
  });
});

describe('CM-9 the callback may precede the return', () => {
  it('CM-9 an arrival delivered while CM_Register_Notification has not returned: the app variable is still NULL, hNotify is right', () => {
    const base = world(
      { app: app({ main: [registerInterface(TOASTER, 'OnInterface', 'hNotify')], OnInterface: [stillNull] }) },
      [{ do: 'start', app: 'app' }, { do: 'plug', device: 'toaster1', concurrent: true }],
    );
    // Keep main back from the moment the registration is live until its callback ran.
    const s = steer(base, [{ hold: 'app:app:main', from: isState('registration:cm:1', 'active'), until: isInvoke('app', 'OnInterface') }]);
    const r = run(s);
    const labels = stepLabels(r, 2, 'invoke', 'call', 'return', 'note');
    expect(labels).toEqual([
      'app!main', 'app>CM_Register_Notification',
      'app!OnInterface:INTERFACEARRIVAL(toaster1)', 'note hNotify is NULL',
      'app<CM_Register_Notification=CR_SUCCESS',
    ]);
    const cb = r.of('invoke').find((e) => e.routine === 'OnInterface')!;
    expect(cb.args.hNotify).toBe('cm:1');
    expect(cb.thread).toBe('app:app:notify');
    expect(r.returned('CM_Register_Notification')[0].out).toEqual({ pNotifyContext: 'cm:1' });
    expect(r.hazards()).toEqual([]);
  });
});

describe('CM-10 unregister, then free', () => {
  const ctxApp = (onDevice: Ops) => ({
    ...handleApp(actions({ [A.QUERYREMOVE]: [closeHandle(), ...onDevice] }), { pre: [{ call: 'HeapAlloc', result: 'Ctx' }], context: 'Ctx' }),
  });

  it('CM-10 freeing the context before the unregister: the next callback is a use-after-free', () => {
    const r = run(world({ app: ctxApp([{ call: 'HeapFree', lpMem: '$Context' }]) }, [{ do: 'start', app: 'app' }, { do: 'eject', device: 'toaster0' }]));
    expect(r.callbacks()).toEqual(['app!OnDevice:QUERYREMOVE', 'app!OnDevice:REMOVEPENDING', 'app!OnDevice:REMOVECOMPLETE']);
    expect(r.hazards()).toEqual([{ rule: 'CM-10', severity: 'error' }, { rule: 'CM-10', severity: 'error' }]);
    const first = r.trace.findIndex((e) => e.type === 'hazard');
    expect(first).toBeGreaterThan(r.trace.findIndex(isInvoke('app', 'OnDevice', A.QUERYREMOVE)));
    expect(first).toBeLessThan(r.trace.findIndex(isInvoke('app', 'OnDevice', A.REMOVEPENDING)));
  });

  it('CM-10 unregister (deferred), then free: no hazard', () => {
    const r = run(world({
      app: { routines: { ...ctxApp([submitWork('Unregister', '$hNotify')]).routines, Unregister: [unregisterCm('$Context'), { call: 'HeapFree', lpMem: 'Ctx' }] } },
    }, [{ do: 'start', app: 'app' }, { do: 'eject', device: 'toaster0' }]));
    expect(r.hazards()).toEqual([]);
    expect(r.callbacks()).toEqual(['app!OnDevice:QUERYREMOVE']);
  });
});

describe('CM-11 invalid handle', () => {
  it('CM-11 an unknown or already unregistered handle → CR_INVALID_DATA, flagged', () => {
    const r = run(startApp([unregisterCm(null as unknown as string), unregisterCm('hBogus'), registerInterface(TOASTER, 'OnInterface', 'hNotify'), unregisterCm('hNotify'), unregisterCm('hNotify')]));
    expect(results(r, 'CM_Unregister_Notification')).toEqual(['CR_INVALID_DATA', 'CR_INVALID_DATA', 'CR_SUCCESS', 'CR_INVALID_DATA']);
    expect(r.hazards()).toEqual([{ rule: 'CM-11', severity: 'error' }, { rule: 'CM-11', severity: 'error' }, { rule: 'CM-11', severity: 'error' }]);
    expect(r.halt).toBe('quiescent');
  });
});

describe('CM-12 blocking callbacks', () => {
  it('CM-12 a callback that waits holds up the PnP manager: flagged (error); it goes on when the wait ends', () => {
    const r = run(world({
      app: handleApp(actions({ [A.QUERYREMOVE]: [closeHandle(), submitWork('Slow', null), { call: 'WaitForThreadpoolWorkCallbacks', pwk: 'Work' }] }), { extra: { Slow: [note('slow work')] } }),
    }, [{ do: 'start', app: 'app' }, { do: 'eject', device: 'toaster0' }]));
    expect(r.hazards()).toEqual([{ rule: 'CM-12', severity: 'error' }]);
    expect(r.callbacks()).toEqual(['app!OnDevice:QUERYREMOVE', 'app!OnDevice:REMOVEPENDING', 'app!OnDevice:REMOVECOMPLETE']);
    expect(ejects(r)[0].result).toBe('CR_SUCCESS');
  });

  it('CM-12 a callback waiting for a work item that unregisters the same registration: deadlock CM-12', () => {
    const r = run(world({
      app: handleApp(actions({ [A.QUERYREMOVE]: [closeHandle(), submitWork('Unregister', '$hNotify'), { call: 'WaitForThreadpoolWorkCallbacks', pwk: 'Work' }] }), { extra: { Unregister: [unregisterCm('$Context')] } }),
    }, [{ do: 'start', app: 'app' }, { do: 'eject', device: 'toaster0' }]));
    expect(r.hazards()).toEqual([{ rule: 'CM-12', severity: 'error' }, { rule: 'CM-12', severity: 'deadlock' }]);
    expect(r.halt).toBe('deadlock');
    expect(new Set(r.of('hazard')[1].cycle!.map((e) => `${e.thread} → ${e.waitsFor}`))).toEqual(new Set(['app:app:notify → app:app:pool:1', 'app:app:pool:1 → app:app:notify']));
  });
});

describe('CM-13 list size race', () => {
  it('CM-13 an arrival between CM_Get_Device_Interface_List_Size and the list: CR_BUFFER_SMALL, flagged; the retry succeeds', () => {
    const size = { call: 'CM_Get_Device_Interface_List_Size', InterfaceClassGuid: TOASTER, ulFlags: 'CM_GET_DEVICE_INTERFACE_LIST_PRESENT', pulLen: 'Len', result: 'cr' };
    const get = { call: 'CM_Get_Device_Interface_List', InterfaceClassGuid: TOASTER, ulFlags: 'CM_GET_DEVICE_INTERFACE_LIST_PRESENT', BufferLen: 'Len', Buffer: 'Links', result: 'cr' };
    const base = world({ app: app({ main: [size, get, ifThen({ eq: ['cr', 'CR_BUFFER_SMALL'] }, [size, get])] }) },
      [{ do: 'start', app: 'app' }, { do: 'plug', device: 'toaster1', concurrent: true }]);
    const s = steer(base, [{ hold: 'app:app:main', from: isReturn('app', 'CM_Get_Device_Interface_List_Size'), until: isQueued('GUID_DEVICE_INTERFACE_ARRIVAL', 'toaster1') }]);
    const r = run(s);
    expect(stepLabels(r, 2, 'call', 'return').filter((l) => l.startsWith('app'))).toEqual([
      'app>CM_Get_Device_Interface_List_Size', 'app<CM_Get_Device_Interface_List_Size=CR_SUCCESS',
      'app>CM_Get_Device_Interface_List', 'app<CM_Get_Device_Interface_List=CR_BUFFER_SMALL',
      'app>CM_Get_Device_Interface_List_Size', 'app<CM_Get_Device_Interface_List_Size=CR_SUCCESS',
      'app>CM_Get_Device_Interface_List', 'app<CM_Get_Device_Interface_List=CR_SUCCESS',
    ]);
    expect(r.returned('CM_Get_Device_Interface_List_Size').map((e) => e.out!.pulLen)).toEqual([1, 2]);
    expect(r.returned('CM_Get_Device_Interface_List').map((e) => (e.out!.Buffer as string[]).length)).toEqual([0, 2]);
    expect(r.hazards()).toEqual([{ rule: 'CM-13', severity: 'warning' }]);
  });

  it('CM-13 without an interleaved arrival the sized list succeeds at once', () => {
    const r = run(startApp([
      { call: 'CM_Get_Device_Interface_List_Size', InterfaceClassGuid: TOASTER, pulLen: 'Len', result: 'cr' },
      { call: 'CM_Get_Device_Interface_List', InterfaceClassGuid: TOASTER, BufferLen: 'Len', Buffer: 'Links', result: 'cr' },
    ]));
    expect(results(r, 'CM_Get_Device_Interface_List')).toEqual(['CR_SUCCESS']);
    expect(r.hazards()).toEqual([]);
  });
});
