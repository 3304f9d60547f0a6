// Removal started by software (RM-9, RM-10, RM-11): an app's CM_Request_Device_Eject, a driver's
// IoRequestDeviceEject, and IoInvalidateDeviceState answered with PNP_DEVICE_FAILED.
import type { Engine } from '../engine.ts';
import { waitThen } from '../frame.ts';
import type { CallCtx, CallResult, Handler } from '../interp.ts';
import type { PnpEvent } from '../model.ts';
import { deviceByInstanceId, queueEvent } from './devices.ts';
import { vetoRule } from './events.ts';

/**
 * RM-9: the app's eject request runs the query-and-remove of RM-1…RM-4 on the `pnp` thread and waits
 * for it; the result comes back like CM_Query_And_Remove_SubTree's (veto type and name out).
 */
export const CM_Request_Device_Eject: Handler = (x) => {
  const { engine, act, args } = x;
  x.govern('RM-9');
  const id = args.dnDevInst;
  const device = typeof id === 'string' && id !== '' ? deviceByInstanceId(engine, id) : undefined;
  const noVeto = { pVetoType: null, pszVetoName: null };
  if (device === undefined) return { result: 'CR_NO_SUCH_DEVNODE', out: noVeto };
  if (!Object.hasOwn(engine.world.devices, device)) {
    // A processor or a memory module: never removed (KE-6).
    engine.raise('KE-6', 'remove', `${act.component.id} asks to eject ${String(id)}, a processor or memory module: it is never removed, the request is refused.`);
    return { result: 'CR_REMOVE_VETOED', out: { pVetoType: 'PNP_VetoIllegalDeviceRequest', pszVetoName: String(id) }, rule: 'KE-6' };
  }
  const ev = queueEvent(engine, { kind: 'QueryAndRemove', device, eject: 'app' }, 'RM-9');
  return waitThen({ k: 'event', event: ev.id, rule: 'RM-9', what: `the PnP manager to eject ${device}` }, { x, ev, device }, ejected);
};

const ejected = (engine: Engine, { x, ev, device }: { x: CallCtx; ev: PnpEvent; device: string }): CallResult => {
  const { op } = x;
  const r = ev.result ?? { status: 'CR_FAILURE' };
  if (r.vetoType && !op.pszVetoName) {
    engine.emit({ type: 'note', text: `pszVetoName is NULL, so the PnP manager shows the user why the eject of ${device} failed: ${r.vetoType}, ${r.vetoName} (RM-9).`, rule: 'RM-9' });
  }
  const out = { pVetoType: r.vetoType ?? null, pszVetoName: r.vetoName ?? null };
  return { result: r.status, out, ...(r.vetoType ? { rule: vetoRule(r.vetoType) } : {}) };
};

/** RM-10: the driver reports the eject button; the PnP manager ejects later, on its own thread. */
export const IoRequestDeviceEject: Handler = (x) => {
  const { engine, args } = x;
  x.govern('RM-10');
  queueEvent(engine, { kind: 'QueryAndRemove', device: String(args.PhysicalDeviceObject), eject: 'driver' }, 'RM-10');
  return { result: null };
};

/** RM-11: the PnP manager will ask the stack for its PnP state (IRP_MN_QUERY_PNP_DEVICE_STATE). */
export const IoInvalidateDeviceState: Handler = (x) => {
  const { engine, args } = x;
  x.govern('RM-11');
  queueEvent(engine, { kind: 'DeviceStateChange', device: String(args.PhysicalDeviceObject) }, 'RM-11');
  return { result: null };
};
