// Conformance: IoSetDeviceInterfaceState (IO-11) — a driver disables and re-enables one of its
// device's interfaces without removing the device: REMOVAL then ARRIVAL, kernel and user mode.
import { describe, expect, it } from 'vitest';
import { run } from '../testing.ts';
import type { Op, Scenario } from '../../scenario/types.ts';
import { ioRegister, load, runRoutine, scenario, toasterDevice } from './fixtures.ts';

const TOASTER = 'GUID_DEVINTERFACE_TOASTER';
const call = (name: string, params: Record<string, unknown>): Op => ({ call: name, ...params }) as Op;

/** The toaster's function driver turns its interface off (Off) and on again (On). */
const toaster = {
  routines: {
    DriverEntry: [],
    Off: [
      call('IoRegisterDeviceInterface', { PhysicalDeviceObject: 'toaster0', InterfaceClassGuid: TOASTER, SymbolicLinkName: 'Link', result: 'Status' }),
      call('IoSetDeviceInterfaceState', { SymbolicLinkName: 'Link', Enable: false, result: 'Status' }),
    ],
    On: [call('IoSetDeviceInterfaceState', { SymbolicLinkName: 'Link', Enable: true, result: 'Status' })],
  },
};
const watcher = { routines: { DriverEntry: [ioRegister(TOASTER, 'OnInterface', 'Entry')], OnInterface: [] } };
const app = {
  routines: {
    main: [call('CM_Register_Notification', { pFilter: { FilterType: 'CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE', ClassGuid: TOASTER }, pContext: null, pCallback: 'OnInterface', pNotifyContext: 'h', result: 'cr' })],
    OnInterface: [],
  },
};
const base = (timeline: Scenario['timeline']): Scenario =>
  scenario({ machine: { devices: [toasterDevice('toaster0', 'toaster')] }, drivers: { toaster, watcher }, apps: { app }, timeline });

describe('IO-11 IoSetDeviceInterfaceState', () => {
  it('IO-11 disable then enable: REMOVAL then ARRIVAL to kernel and user-mode registrants; the device stays started', () => {
    const r = run(base([load('watcher'), { do: 'start', app: 'app' }, runRoutine('toaster', 'Off'), runRoutine('toaster', 'On')]));
    const link = r.returned('IoRegisterDeviceInterface')[0].out?.SymbolicLinkName as string;
    expect(link).toBe(r.of('state').find((e) => e.entity.startsWith('interface:') && e.info?.device === 'toaster0')!.entity.slice('interface:'.length));
    const all = r.labels('call', 'return', 'state', 'queue', 'invoke', 'complete').filter((l) => !l.startsWith('cm:') && !l.startsWith('registration:'));
    expect(all.slice(all.indexOf('toaster!Off'))).toEqual([
      'toaster!Off',
      'toaster>IoRegisterDeviceInterface', 'toaster<IoRegisterDeviceInterface=STATUS_SUCCESS',
      'toaster>IoSetDeviceInterfaceState', `interface:${link} enabled>disabled`, 'queue REMOVAL(toaster0)', 'toaster<IoSetDeviceInterfaceState=STATUS_SUCCESS',
      'toaster!Off=STATUS_SUCCESS',
      'watcher!OnInterface:REMOVAL(toaster0)', 'watcher!OnInterface=STATUS_SUCCESS',
      'app!OnInterface:INTERFACEREMOVAL(toaster0)', 'app!OnInterface=ERROR_SUCCESS',
      'toaster!On',
      'toaster>IoSetDeviceInterfaceState', `interface:${link} disabled>enabled`, 'queue ARRIVAL(toaster0)', 'toaster<IoSetDeviceInterfaceState=STATUS_SUCCESS',
      'toaster!On=STATUS_SUCCESS',
      'watcher!OnInterface:ARRIVAL(toaster0)', 'watcher!OnInterface=STATUS_SUCCESS',
      'app!OnInterface:INTERFACEARRIVAL(toaster0)', 'app!OnInterface=ERROR_SUCCESS',
    ]);
    expect(r.states('device:toaster0')).toEqual(['none>not-present', 'not-present>started']);
    expect(r.hazards()).toEqual([]);
  });

  it('IO-11 documented statuses: enabling an enabled interface is STATUS_OBJECT_NAME_EXISTS, disabling a disabled one STATUS_OBJECT_NAME_NOT_FOUND; neither notifies', () => {
    const r = run(base([load('watcher'), runRoutine('toaster', 'Off'), runRoutine('toaster', 'Off'), runRoutine('toaster', 'On'), runRoutine('toaster', 'On')]));
    expect(r.returned('IoSetDeviceInterfaceState').map((e) => e.result)).toEqual([
      'STATUS_SUCCESS', 'STATUS_OBJECT_NAME_NOT_FOUND', 'STATUS_SUCCESS', 'STATUS_OBJECT_NAME_EXISTS',
    ]);
    expect(r.callbacks()).toEqual(['watcher!OnInterface:REMOVAL(toaster0)', 'watcher!OnInterface:ARRIVAL(toaster0)']);
  });

  it('IO-11 the validator checks the parameters (Enable is required)', () => {
    const bad = { ...toaster, routines: { ...toaster.routines, On: [call('IoSetDeviceInterfaceState', { SymbolicLinkName: 'Link' })] } };
    expect(() => run({ ...base([]), drivers: { toaster: bad, watcher } } as Scenario)).toThrow(/\/drivers\/toaster\/routines\/On\/0\/Enable: missing required parameter "Enable"/);
  });
});
