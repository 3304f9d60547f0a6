// The PnP manager's event worker (`pnp` thread): one event at a time, FIFO (docs/architecture.md §2.1, IO-2, RM and CU rules).
import { OP, type Body, type Engine } from '../engine.ts';
import { hasRoutine, invoke } from '../interp.ts';
import { isPartitionClass, ntSuccess } from '../constants.ts';
import type { Device, PnpEvent, Registration } from '../model.ts';
import type { RuleId } from '../rules/ids.ts';
import { registrationsOf } from '../kernel/registrations.ts';
import { loadDriver } from '../lifecycle.ts';
import { checkCmReturn, deliverKernel, deliverUser, interfaceRule, type DeliveryRule } from './deliver.ts';
import { driverThread } from '../ids/threads.ts';
import {
  deviceSymlink, disableInterface, enableInterface, functionDriver, handleClosed, instanceIdOf, openHandlesOn, queueEvent,
  readyForRemove, setDeviceState, subtree,
} from './devices.ts';

export function* processEvent(engine: Engine, ev: PnpEvent): Body<void> {
  engine.currentEvent = ev.id;
  switch (ev.kind) {
    case 'DeviceArrival':
      yield* deviceArrival(engine, ev);
      break;
    case 'InterfaceArrival':
    case 'InterfaceRemoval':
      yield* interfaceChange(engine, ev);
      break;
    case 'QueryAndRemove':
      yield* queryAndRemove(engine, ev);
      break;
    case 'SurpriseRemoval':
      yield* surpriseRemoval(engine, ev);
      break;
    case 'RemoveDevice':
      yield* removeAfterSurprise(engine, ev);
      break;
    case 'DeviceStateChange':
      yield* deviceStateChange(engine, ev);
      break;
    case 'CustomEvent':
      yield* customEvent(engine, ev);
      break;
  }
  ev.done = true;
  engine.currentEvent = null;
}

// ---------------------------------------------------------------- registrant sets

/** Registered on a handle opened on the device's current arrival: registrations do not carry over to a re-plug (RM-8). */
const onCurrentArrival = (engine: Engine, r: Registration) => {
  const d = engine.world.devices[r.device ?? ''];
  const h = engine.world.handles[r.handle ?? r.fileObject ?? ''];
  return !!d && (h?.arrival === undefined || h.arrival === d.arrivals);
};
const handleRegs = (engine: Engine, devices: Device[]) => {
  const ids = new Set(devices.map((d) => d.id));
  return registrationsOf(engine, (r) => r.kind === 'cm' && r.category === 'CM_NOTIFY_FILTER_TYPE_DEVICEHANDLE' && ids.has(r.device ?? '') && onCurrentArrival(engine, r));
};
const targetRegs = (engine: Engine, devices: Device[]) => {
  const ids = new Set(devices.map((d) => d.id));
  return registrationsOf(engine, (r) => r.kind === 'io' && r.category === 'EventCategoryTargetDeviceChange' && ids.has(r.device ?? '') && onCurrentArrival(engine, r));
};

/** Deliver one user-mode handle action to a snapshot of registrations (IO-4: later ones miss it). */
function* broadcastUser(engine: Engine, regs: Registration[], action: string, rule: RuleId | undefined, extra: Record<string, unknown> = {}) {
  for (const reg of regs) {
    if (reg.state !== 'active') continue;
    yield OP;
    const result = yield* deliverUser(engine, reg, { Action: action, FilterType: reg.category, ...extra }, { rule });
    checkCmReturn(engine, reg, action, result);
  }
}

function* broadcastKernel(engine: Engine, regs: Registration[], event: string, rule: RuleId) {
  for (const reg of regs) {
    // Check after the step boundary: an Ex unregister that ran there must see no callback after it (UN-2).
    yield OP;
    if (reg.state !== 'active') continue;
    yield* deliverKernel(engine, reg, { Event: event, FileObject: reg.fileObject ?? null }, { rule });
  }
}

/** DEVICEINSTANCE registrations of the device, by its instance id (or ALL_DEVICE_INSTANCES), get `action`. */
function* instanceBroadcast(engine: Engine, device: string, action: string) {
  const id = instanceIdOf(engine, device) ?? device;
  const upper = id.toUpperCase();
  const regs = registrationsOf(engine, (r) =>
    r.kind === 'cm' && r.category === 'CM_NOTIFY_FILTER_TYPE_DEVICEINSTANCE'
    && (r.instanceId === 'ALL' || r.instanceId?.toUpperCase() === upper || r.instanceId === device));
  for (const reg of regs) {
    if (reg.state !== 'active') continue;
    yield OP;
    const result = yield* deliverUser(engine, reg, { Action: action, FilterType: reg.category, InstanceId: id }, { rule: undefined });
    checkCmReturn(engine, reg, action, result);
  }
}

// ---------------------------------------------------------------- arrival

function* deviceArrival(engine: Engine, ev: PnpEvent): Body<void> {
  if (ev.unit) return yield* unitArrival(engine, ev, ev.unit);
  const d = engine.world.devices[ev.device];
  if (!['not-present', 'removed', 'start-failed'].includes(d.state)) return;
  const replug = d.state === 'removed'; // RM-8
  for (const drv of d.stack) {
    const c = engine.world.components[drv];
    if (c.state !== 'not-loaded' && c.state !== 'unloaded') continue;
    const thread = driverThread(drv);
    const job = engine.submit(thread, 'load', () => loadDriver(engine, drv));
    yield* engine.waitUntil({ k: 'job', thread, job: job.id, what: `${drv}!DriverEntry to return` }, () => job.done);
  }
  const failed = d.stack.find((drv) => engine.world.components[drv].state !== 'loaded');
  if (failed) {
    setDeviceState(engine, d, 'start-failed', 'DRV-1');
    engine.emit({ type: 'note', text: `${d.id} cannot start: its driver ${failed} is not loaded.`, rule: 'DRV-1' });
    return;
  }
  d.arrivals++;
  setDeviceState(engine, d, 'started', replug ? 'RM-8' : undefined);
  yield* instanceBroadcast(engine, d.id, 'CM_NOTIFY_ACTION_DEVICEINSTANCEENUMERATED');
  yield* instanceBroadcast(engine, d.id, 'CM_NOTIFY_ACTION_DEVICEINSTANCESTARTED');
  d.symlinks = d.classes.map((cls, i) => deviceSymlink(d, cls, i));
  d.classes.forEach((cls, i) => enableInterface(engine, d.symlinks[i], cls, d.id, true));
}

/**
 * A hot-added processor (after its Complete pass, KE-9) or memory module (IO-10) is a device that
 * starts: user-mode instance registrations learn of it, then its interface is enabled and its
 * ARRIVAL queued (IO-2).
 */
function* unitArrival(engine: Engine, ev: PnpEvent, unit: NonNullable<PnpEvent['unit']>): Body<void> {
  yield* instanceBroadcast(engine, ev.device, 'CM_NOTIFY_ACTION_DEVICEINSTANCEENUMERATED');
  yield* instanceBroadcast(engine, ev.device, 'CM_NOTIFY_ACTION_DEVICEINSTANCESTARTED');
  enableInterface(engine, unit.symlink, unit.className, ev.device, true, unit.className === 'GUID_DEVICE_PROCESSOR' ? 'KE-9' : 'IO-10');
}

/** IO-2: kernel registrants first (CHOICE), then user mode; registration order within each. */
function* interfaceChange(engine: Engine, ev: PnpEvent): Body<void> {
  const arrival = ev.kind === 'InterfaceArrival';
  const className = ev.className!;
  const kernel = registrationsOf(engine, (r) => r.kind === 'io' && r.category === 'EventCategoryDeviceInterfaceChange' && r.className === className);
  const user = registrationsOf(engine, (r) => r.kind === 'cm' && r.category === 'CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE' && (r.className === className || r.className === 'ALL'));
  const event = arrival ? 'GUID_DEVICE_INTERFACE_ARRIVAL' : 'GUID_DEVICE_INTERFACE_REMOVAL';
  for (const reg of kernel) {
    yield OP;
    if (reg.state !== 'active') continue;
    const rule = interfaceRule(reg, arrival, ev.symlink!, className, 'IO-2');
    yield* deliverKernel(engine, reg, { Event: event, InterfaceClassGuid: className, SymbolicLinkName: ev.symlink }, { rule });
  }
  const action = arrival ? 'CM_NOTIFY_ACTION_DEVICEINTERFACEARRIVAL' : 'CM_NOTIFY_ACTION_DEVICEINTERFACEREMOVAL';
  yield* broadcastUser(engine, user, action, isPartitionClass(className) ? 'IO-10' : 'IO-2', { ClassGuid: className, SymbolicLink: ev.symlink });
}

// ---------------------------------------------------------------- IRPs

/**
 * One IRP to one driver of the stack, under the rule of the flow that sends it (RM-1, RM-4, RM-5).
 * `pnpState` collects the PNP_DEVICE_STATE flags an IRP_MN_QUERY_PNP_DEVICE_STATE handler reports (RM-11).
 */
function* sendIrp(engine: Engine, d: Device, driver: string, minor: string, rule: RuleId, pnpState?: Set<string>): Body<string> {
  engine.emit({ type: 'irp', minor, device: d.id, driver, rule });
  let status = 'STATUS_SUCCESS';
  if (hasRoutine(engine, driver, minor)) {
    yield OP;
    status = String(yield* invoke(engine, driver, minor, { DeviceObject: d.id, MinorFunction: minor }, { rule, pnpDeviceState: pnpState }));
  }
  // The function driver disables its interfaces while it handles REMOVE / SURPRISE_REMOVAL (RM-1, RM-5).
  if ((minor === 'IRP_MN_REMOVE_DEVICE' || minor === 'IRP_MN_SURPRISE_REMOVAL') && driver === functionDriver(d)) {
    for (const s of d.symlinks) disableInterface(engine, s, rule);
  }
  // A driver failing IRP_MN_QUERY_REMOVE_DEVICE vetoes the removal (RM-4).
  const done: RuleId = minor === 'IRP_MN_QUERY_REMOVE_DEVICE' && !ntSuccess(status) ? 'RM-4' : rule;
  engine.emit({ type: 'irpComplete', minor, device: d.id, driver, status, rule: done });
  return status;
}

/** Top to bottom through each stack, descendants first. Stops at the first failure when `canFail`. */
function* irpDown(engine: Engine, devices: Device[], minor: string, canFail: boolean, rule: RuleId) {
  for (const d of devices) {
    for (const drv of [...d.stack].reverse()) {
      const status = yield* sendIrp(engine, d, drv, minor, rule);
      if (canFail && !ntSuccess(status)) return { device: d, driver: drv, status };
    }
    // If a driver left an interface enabled, the PnP manager disables it (RM-1 step 7).
    if (minor === 'IRP_MN_REMOVE_DEVICE' || minor === 'IRP_MN_SURPRISE_REMOVAL') for (const s of d.symlinks) disableInterface(engine, s, rule);
  }
  return null;
}

// ---------------------------------------------------------------- orderly removal

/** QUERYREMOVE to an app: anything but ERROR_SUCCESS vetoes (RM-2, CM-8). */
const APP_QUERY: DeliveryRule = { rule: 'RM-1', veto: (r) => (r !== 'ERROR_SUCCESS' ? 'RM-2' : undefined) };
/** QUERY_REMOVE to a kernel callback: a failure status vetoes (RM-3, IO-5). */
const KERNEL_QUERY: DeliveryRule = { rule: 'RM-1', veto: (r) => (ntSuccess(r) ? undefined : 'RM-3') };
const VETO_RULE = new Map<string, RuleId>([
  ['PNP_VetoWindowsApp', 'RM-2'], ['PNP_VetoDriver', 'RM-3'], ['PNP_VetoDevice', 'RM-4'], ['PNP_VetoOutstandingOpen', 'RM-4'],
]);

/** The rule a veto of this PNP_VETO_TYPE answers to. */
export const vetoRule = (vetoType: string): RuleId => VETO_RULE.get(vetoType) ?? 'RM-4';

function* queryAndRemove(engine: Engine, ev: PnpEvent): Body<void> {
  const root = engine.world.devices[ev.device];
  if (root.state !== 'started') {
    ev.result = { status: 'CR_INVALID_DEVNODE' };
    return;
  }
  const devices = subtree(engine, ev.device, ['started']);
  for (const d of devices) setDeviceState(engine, d, 'query-remove-pending', 'RM-1');
  let veto: { vetoType: string; vetoName: string } | null = null;

  // RM-1.1 / RM-2: user-mode QUERYREMOVE, registration order; a veto stops the broadcast.
  for (const reg of handleRegs(engine, devices)) {
    if (reg.state !== 'active') continue;
    yield OP;
    const action = 'CM_NOTIFY_ACTION_DEVICEQUERYREMOVE';
    const result = yield* deliverUser(engine, reg, { Action: action, FilterType: reg.category }, APP_QUERY);
    if (checkCmReturn(engine, reg, action, result) === 'veto') {
      veto = { vetoType: 'PNP_VetoWindowsApp', vetoName: reg.owner };
      break;
    }
  }
  if (veto) return yield* queryRemoveFailed(engine, ev, devices, [], veto, false);

  // RM-1.2 / RM-3: kernel QUERY_REMOVE; a failure status vetoes (IO-5).
  const notified: Registration[] = [];
  for (const reg of targetRegs(engine, devices)) {
    yield OP;
    if (reg.state !== 'active') continue;
    notified.push(reg);
    const result = yield* deliverKernel(engine, reg, { Event: 'GUID_TARGET_DEVICE_QUERY_REMOVE', FileObject: reg.fileObject ?? null }, KERNEL_QUERY);
    if (!ntSuccess(result)) {
      veto = { vetoType: 'PNP_VetoDriver', vetoName: reg.owner };
      break;
    }
  }
  if (veto) return yield* queryRemoveFailed(engine, ev, devices, notified, veto, false);

  // RM-1.3 / RM-4: IRP_MN_QUERY_REMOVE_DEVICE, then the open-handle check.
  const failed = yield* irpDown(engine, devices, 'IRP_MN_QUERY_REMOVE_DEVICE', true, 'RM-1');
  if (failed) veto = { vetoType: 'PNP_VetoDevice', vetoName: `${failed.device.id} (${failed.driver} returned ${failed.status})` };
  else {
    const open = openHandlesOn(engine, devices.map((d) => d.id));
    if (open.length > 0) {
      const holders = open.map((h) => `${h.owner} (${h.kind === 'handle' ? 'handle' : 'file object'} ${h.id})`);
      veto = { vetoType: 'PNP_VetoOutstandingOpen', vetoName: holders.join(', ') };
      engine.raise('RM-4', 'outstandingOpen', `The query-remove of ${ev.device} fails: ${holders.join(', ')} still open on the device after IRP_MN_QUERY_REMOVE_DEVICE.`);
    }
  }
  if (veto) return yield* queryRemoveFailed(engine, ev, devices, notified, veto, true);

  // RM-1.5 … RM-1.8: success.
  for (const d of devices) setDeviceState(engine, d, 'remove-pending', 'RM-1');
  yield* broadcastUser(engine, handleRegs(engine, devices), 'CM_NOTIFY_ACTION_DEVICEREMOVEPENDING', 'RM-1');
  yield* broadcastKernel(engine, targetRegs(engine, devices), 'GUID_TARGET_DEVICE_REMOVE_COMPLETE', 'RM-1');
  yield* irpDown(engine, devices, 'IRP_MN_REMOVE_DEVICE', false, 'RM-1');
  yield* broadcastUser(engine, handleRegs(engine, devices), 'CM_NOTIFY_ACTION_DEVICEREMOVECOMPLETE', 'RM-1');
  for (const d of devices) {
    setDeviceState(engine, d, 'removed', 'RM-1');
    yield* instanceBroadcast(engine, d.id, 'CM_NOTIFY_ACTION_DEVICEINSTANCEREMOVED');
  }
  // An eject (RM-9, RM-10) ends with IRP_MN_EJECT to the bus driver, when the scenario has one (a one-element stack's is the system's).
  if (ev.eject && root.stack.length > 1) yield* sendIrp(engine, root, root.stack[0], 'IRP_MN_EJECT', ev.eject === 'app' ? 'RM-9' : 'RM-10');
  ev.result = { status: 'CR_SUCCESS' };
}

/** RM-2 / RM-3 / RM-4: undo a failed query-remove. */
function* queryRemoveFailed(
  engine: Engine, ev: PnpEvent, devices: Device[], notified: Registration[],
  veto: { vetoType: string; vetoName: string }, irpsSent: boolean,
): Body<void> {
  // The failure path answers to the rule of the veto: RM-2 an app, RM-3 a kernel callback, RM-4 a driver or an open handle.
  const rule = vetoRule(veto.vetoType);
  if (irpsSent) {
    // Bottom to top, parents before children: the reverse of the query.
    for (const d of [...devices].reverse()) for (const drv of d.stack) yield* sendIrp(engine, d, drv, 'IRP_MN_CANCEL_REMOVE_DEVICE', rule);
  }
  // KM REMOVE_CANCELLED in reverse registration order (IO-2, RM-3 OBS).
  yield* broadcastKernel(engine, [...notified].reverse(), 'GUID_TARGET_DEVICE_REMOVE_CANCELLED', rule);
  for (const d of devices) setDeviceState(engine, d, 'started', rule);
  // Every current handle registration, including ones that never got QUERYREMOVE (RM-2, RM-7).
  yield* broadcastUser(engine, handleRegs(engine, devices), 'CM_NOTIFY_ACTION_DEVICEQUERYREMOVEFAILED', rule);
  ev.result = { status: 'CR_REMOVE_VETOED', ...veto };
  // RM-10: nobody returns the veto to the driver that asked; the PnP manager tells the user.
  if (ev.eject === 'driver') {
    engine.emit({ type: 'note', text: `The eject of ${ev.device} that a driver requested was vetoed (${veto.vetoType}: ${veto.vetoName}); the PnP manager tells the user in a dialog and the device stays started (RM-10).`, rule: 'RM-10' });
  }
}

// ---------------------------------------------------------------- surprise removal

function* surpriseRemoval(engine: Engine, ev: PnpEvent): Body<void> {
  const devices = subtree(engine, ev.device, ['started', 'query-remove-pending', 'remove-pending']);
  if (devices.length === 0) return;
  for (const d of devices) setDeviceState(engine, d, 'surprise-removed', 'RM-5');
  yield* irpDown(engine, devices, 'IRP_MN_SURPRISE_REMOVAL', false, 'RM-5');
  yield* broadcastUser(engine, handleRegs(engine, devices), 'CM_NOTIFY_ACTION_DEVICEREMOVECOMPLETE', 'RM-5');
  yield* broadcastKernel(engine, targetRegs(engine, devices), 'GUID_TARGET_DEVICE_REMOVE_COMPLETE', 'RM-5');
  for (const d of devices) {
    const open = openHandlesOn(engine, [d.id]);
    if (open.length > 0) {
      engine.emit({ type: 'note', text: `${d.id} waits for ${open.map((h) => h.id).join(', ')} to close before IRP_MN_REMOVE_DEVICE (RM-5).`, rule: 'RM-5' });
    }
    // Queued behind the interface REMOVAL events (RM-5); a parent waits for its children (§1.2).
    handleClosed(engine, d.id);
  }
}

function* removeAfterSurprise(engine: Engine, ev: PnpEvent): Body<void> {
  const d = engine.world.devices[ev.device];
  if (!readyForRemove(engine, d)) return;
  yield* irpDown(engine, [d], 'IRP_MN_REMOVE_DEVICE', false, 'RM-5');
  setDeviceState(engine, d, 'removed', 'RM-5');
  yield* instanceBroadcast(engine, d.id, 'CM_NOTIFY_ACTION_DEVICEINSTANCEREMOVED');
  // Children before parents (docs/architecture.md §1.2): the parent may have been waiting for this child.
  handleClosed(engine, d.parent);
}

// ---------------------------------------------------------------- device state (RM-11)

/**
 * IoInvalidateDeviceState: IRP_MN_QUERY_PNP_DEVICE_STATE top to bottom; each driver may report
 * PNP_DEVICE_STATE flags (`*PnpDeviceState`). PNP_DEVICE_FAILED: the device is surprise-removed (RM-5).
 */
function* deviceStateChange(engine: Engine, ev: PnpEvent): Body<void> {
  const d = engine.world.devices[ev.device];
  if (d.state !== 'started') {
    engine.emit({ type: 'note', text: `${d.id} is ${d.state}, not started: the PnP manager does not query its PnP state.`, rule: 'RM-11' });
    return;
  }
  const reported = new Set<string>();
  for (const drv of [...d.stack].reverse()) yield* sendIrp(engine, d, drv, 'IRP_MN_QUERY_PNP_DEVICE_STATE', 'RM-11', reported);
  if (!reported.has('PNP_DEVICE_FAILED')) return;
  engine.emit({ type: 'note', text: `${d.id}'s stack reports PNP_DEVICE_FAILED: the PnP manager removes the device as a surprise removal (RM-11, RM-5).`, rule: 'RM-11' });
  queueEvent(engine, { kind: 'SurpriseRemoval', device: d.id }, 'RM-11');
}

// ---------------------------------------------------------------- custom events (CU-1)

function* customEvent(engine: Engine, ev: PnpEvent): Body<void> {
  const c = ev.custom!;
  const d = engine.world.devices[ev.device];
  yield* broadcastUser(engine, handleRegs(engine, [d]), 'CM_NOTIFY_ACTION_DEVICECUSTOMEVENT', 'CU-1', {
    EventGuid: c.event, NameOffset: c.nameBufferOffset, Data: c.data,
  });
  for (const reg of targetRegs(engine, [d])) {
    yield OP;
    if (reg.state !== 'active') continue;
    yield* deliverKernel(engine, reg, {
      Event: c.event, FileObject: reg.fileObject ?? null, NameBufferOffset: c.nameBufferOffset, CustomDataBuffer: c.data,
    }, { rule: 'CU-1' });
  }
  if (c.callback) {
    yield OP;
    const thread = engine.thread;
    thread.inCompletion = (thread.inCompletion ?? 0) + 1;
    yield* invoke(engine, c.reporter, c.callback, { Context: c.context }, { isVoid: true, rule: 'CU-1' });
    thread.inCompletion--;
  }
}
