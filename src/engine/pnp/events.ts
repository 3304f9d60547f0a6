// The PnP manager's event worker (`pnp` thread): one event at a time, FIFO (docs/architecture.md §2.1, IO-2, RM and CU rules).
import type { Engine } from '../engine.ts';
import { OP, call, callFrame, frame, ret, waitFor, type Frame, type Routine, type Step } from '../frame.ts';
import { hasRoutine, invoke } from '../interp.ts';
import { final, immutableLocals } from '../fork.ts';
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

/** The locals of the event routines below (each uses the ones it needs). */
interface EventFrame extends Frame {
  ev: PnpEvent;
  devices: Device[];
  regs: Registration[];
  /** Kernel registrants notified of a query-remove (its cancel goes to them). */
  notified: Registration[];
  i: number;
  k: number;
  veto: { vetoType: string; vetoName: string } | null;
  irpsSent: boolean;
  replug: boolean;
  reported: Set<string> | null;
}

const eventFrame = (fn: Routine<EventFrame>, ev: PnpEvent, more: Partial<EventFrame> = {}): Frame =>
  frame(fn, { ev, devices: [], regs: [], notified: [], i: 0, k: 0, veto: null, irpsSent: false, replug: false, reported: null, ...more });

/** The routine that processes each kind of event. */
const EVENT_ROUTINES: Record<PnpEvent['kind'], Routine<EventFrame>> = {
  DeviceArrival: deviceArrival,
  InterfaceArrival: interfaceChange,
  InterfaceRemoval: interfaceChange,
  QueryAndRemove: queryAndRemove,
  SurpriseRemoval: surpriseRemoval,
  RemoveDevice: removeAfterSurprise,
  DeviceStateChange: deviceStateChange,
  CustomEvent: customEvent,
};

interface ProcessFrame extends Frame {
  ev: PnpEvent;
}

/** The pnp thread's job for one event. */
export const processEvent: Routine<ProcessFrame> = (engine, f) => {
  const { ev } = f;
  if (f.pc === 0) {
    engine.currentEvent = ev.id;
    f.pc = 1;
    return callFrame(eventFrame(EVENT_ROUTINES[ev.kind], ev));
  }
  ev.done = true;
  // Never changed again: forks share it (fork.ts `final`).
  final(ev);
  engine.currentEvent = null;
  return ret();
};

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

interface BroadcastFrame extends Frame {
  regs: Registration[];
  i: number;
  action: string;
  rule: RuleId | undefined;
  extra: Record<string, unknown>;
}

/** Deliver one user-mode handle action to a snapshot of registrations (IO-4: later ones miss it). */
const broadcastUserRoutine: Routine<BroadcastFrame> = (engine, f) => {
  for (;;) {
    if (f.pc === 0) {
      if (f.i >= f.regs.length) return ret();
      if (f.regs[f.i].state !== 'active') {
        f.i++;
        continue;
      }
      f.pc = 1;
      return OP;
    }
    const reg = f.regs[f.i];
    if (f.pc === 1) {
      f.pc = 2;
      return callFrame(deliverUser(engine, reg, { Action: f.action, FilterType: reg.category, ...f.extra }, { rule: f.rule }));
    }
    checkCmReturn(engine, reg, f.action, f.ret);
    f.i++;
    f.pc = 0;
  }
};

immutableLocals(broadcastUserRoutine, 'extra');

const broadcastUser = (regs: Registration[], action: string, rule: RuleId | undefined, extra: Record<string, unknown> = {}): Frame =>
  frame(broadcastUserRoutine, { regs, i: 0, action, rule, extra });

const broadcastKernelRoutine: Routine<BroadcastFrame> = (engine, f) => {
  for (;;) {
    if (f.pc === 0) {
      if (f.i >= f.regs.length) return ret();
      // Check after the step boundary: an Ex unregister that ran there must see no callback after it (UN-2).
      f.pc = 1;
      return OP;
    }
    const reg = f.regs[f.i++];
    f.pc = 0;
    if (reg.state !== 'active') continue;
    return callFrame(deliverKernel(engine, reg, { Event: f.action, FileObject: reg.fileObject ?? null }, { rule: f.rule }));
  }
};

const broadcastKernel = (regs: Registration[], event: string, rule: RuleId): Frame =>
  frame(broadcastKernelRoutine, { regs, i: 0, action: event, rule, extra: {} });

/** DEVICEINSTANCE registrations of the device, by its instance id (or ALL_DEVICE_INSTANCES), get `action`. */
function instanceBroadcast(engine: Engine, device: string, action: string): Frame {
  const id = instanceIdOf(engine, device) ?? device;
  const upper = id.toUpperCase();
  const regs = registrationsOf(engine, (r) =>
    r.kind === 'cm' && r.category === 'CM_NOTIFY_FILTER_TYPE_DEVICEINSTANCE'
    && (r.instanceId === 'ALL' || r.instanceId?.toUpperCase() === upper || r.instanceId === device));
  return broadcastUser(regs, action, undefined, { InstanceId: id });
}

// ---------------------------------------------------------------- arrival

function deviceArrival(engine: Engine, f: EventFrame): Step {
  const { ev } = f;
  if (ev.unit) return unitArrival(engine, f, ev.unit);
  const d = engine.world.devices[ev.device];
  if (f.pc === 0) {
    if (!['not-present', 'removed', 'start-failed'].includes(d.state)) return ret();
    f.replug = d.state === 'removed'; // RM-8
    f.pc = 1;
  }
  if (f.pc === 1) {
    while (f.i < d.stack.length) {
      const drv = d.stack[f.i++];
      const c = engine.world.components[drv];
      if (c.state !== 'not-loaded' && c.state !== 'unloaded') continue;
      const thread = driverThread(drv);
      const job = engine.submit(thread, 'load', frame(loadDriver, { driver: drv }));
      return call(waitFor, { wait: { k: 'job', thread, job: job.id, what: `${drv}!DriverEntry to return` } });
    }
    const failed = d.stack.find((drv) => engine.world.components[drv].state !== 'loaded');
    if (failed) {
      setDeviceState(engine, d, 'start-failed', 'DRV-1');
      engine.emit({ type: 'note', text: `${d.id} cannot start: its driver ${failed} is not loaded.`, rule: 'DRV-1' });
      return ret();
    }
    d.arrivals++;
    setDeviceState(engine, d, 'started', f.replug ? 'RM-8' : undefined);
    f.pc = 2;
    return callFrame(instanceBroadcast(engine, d.id, 'CM_NOTIFY_ACTION_DEVICEINSTANCEENUMERATED'));
  }
  if (f.pc === 2) {
    f.pc = 3;
    return callFrame(instanceBroadcast(engine, d.id, 'CM_NOTIFY_ACTION_DEVICEINSTANCESTARTED'));
  }
  d.symlinks = d.classes.map((cls, i) => deviceSymlink(d, cls, i));
  d.classes.forEach((cls, i) => enableInterface(engine, d.symlinks[i], cls, d.id, true));
  return ret();
}

/**
 * A hot-added processor (after its Complete pass, KE-9) or memory module (IO-10) is a device that
 * starts: user-mode instance registrations learn of it, then its interface is enabled and its
 * ARRIVAL queued (IO-2).
 */
function unitArrival(engine: Engine, f: EventFrame, unit: NonNullable<PnpEvent['unit']>): Step {
  const { ev } = f;
  if (f.pc === 0) {
    f.pc = 1;
    return callFrame(instanceBroadcast(engine, ev.device, 'CM_NOTIFY_ACTION_DEVICEINSTANCEENUMERATED'));
  }
  if (f.pc === 1) {
    f.pc = 2;
    return callFrame(instanceBroadcast(engine, ev.device, 'CM_NOTIFY_ACTION_DEVICEINSTANCESTARTED'));
  }
  enableInterface(engine, unit.symlink, unit.className, ev.device, true, unit.className === 'GUID_DEVICE_PROCESSOR' ? 'KE-9' : 'IO-10');
  return ret();
}

/** IO-2: kernel registrants first (CHOICE), then user mode; registration order within each. */
function interfaceChange(engine: Engine, f: EventFrame): Step {
  const { ev } = f;
  const arrival = ev.kind === 'InterfaceArrival';
  const className = ev.className!;
  if (f.pc === 0) {
    f.regs = registrationsOf(engine, (r) => r.kind === 'io' && r.category === 'EventCategoryDeviceInterfaceChange' && r.className === className);
    f.notified = registrationsOf(engine, (r) => r.kind === 'cm' && r.category === 'CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE' && (r.className === className || r.className === 'ALL'));
    f.pc = 1;
  }
  const event = arrival ? 'GUID_DEVICE_INTERFACE_ARRIVAL' : 'GUID_DEVICE_INTERFACE_REMOVAL';
  for (;;) {
    if (f.pc === 1) {
      if (f.i >= f.regs.length) break;
      f.pc = 2;
      return OP;
    }
    if (f.pc === 2) {
      const reg = f.regs[f.i++];
      f.pc = 1;
      if (reg.state !== 'active') continue;
      const rule = interfaceRule(reg, arrival, ev.symlink!, className, 'IO-2');
      return callFrame(deliverKernel(engine, reg, { Event: event, InterfaceClassGuid: className, SymbolicLinkName: ev.symlink }, { rule }));
    }
    return ret();
  }
  const action = arrival ? 'CM_NOTIFY_ACTION_DEVICEINTERFACEARRIVAL' : 'CM_NOTIFY_ACTION_DEVICEINTERFACEREMOVAL';
  f.pc = 3;
  return callFrame(broadcastUser(f.notified, action, isPartitionClass(className) ? 'IO-10' : 'IO-2', { ClassGuid: className, SymbolicLink: ev.symlink }));
}

// ---------------------------------------------------------------- IRPs

interface IrpFrame extends Frame {
  d: Device;
  driver: string;
  minor: string;
  rule: RuleId;
  pnpState: Set<string> | undefined;
  status: string;
}

/**
 * One IRP to one driver of the stack, under the rule of the flow that sends it (RM-1, RM-4, RM-5).
 * `pnpState` collects the PNP_DEVICE_STATE flags an IRP_MN_QUERY_PNP_DEVICE_STATE handler reports (RM-11).
 * Its result is the IRP's status.
 */
const sendIrpRoutine: Routine<IrpFrame> = (engine, f) => {
  const { d, driver, minor, rule } = f;
  if (f.pc === 0) {
    engine.emit({ type: 'irp', minor, device: d.id, driver, rule });
    f.status = 'STATUS_SUCCESS';
    if (hasRoutine(engine, driver, minor)) {
      f.pc = 1;
      return OP;
    }
    f.pc = 3;
  }
  if (f.pc === 1) {
    f.pc = 2;
    return callFrame(invoke(driver, minor, { DeviceObject: d.id, MinorFunction: minor }, { rule, pnpDeviceState: f.pnpState }));
  }
  if (f.pc === 2) f.status = String(f.ret);
  // The function driver disables its interfaces while it handles REMOVE / SURPRISE_REMOVAL (RM-1, RM-5).
  if ((minor === 'IRP_MN_REMOVE_DEVICE' || minor === 'IRP_MN_SURPRISE_REMOVAL') && driver === functionDriver(d)) {
    for (const s of d.symlinks) disableInterface(engine, s, rule);
  }
  // A driver failing IRP_MN_QUERY_REMOVE_DEVICE vetoes the removal (RM-4).
  const done: RuleId = minor === 'IRP_MN_QUERY_REMOVE_DEVICE' && !ntSuccess(f.status) ? 'RM-4' : rule;
  engine.emit({ type: 'irpComplete', minor, device: d.id, driver, status: f.status, rule: done });
  return ret(f.status);
};

const sendIrp = (d: Device, driver: string, minor: string, rule: RuleId, pnpState?: Set<string>): Frame =>
  frame(sendIrpRoutine, { d, driver, minor, rule, pnpState, status: '' });

interface IrpDownFrame extends Frame {
  devices: Device[];
  minor: string;
  canFail: boolean;
  rule: RuleId;
  /** The device, and the driver of its stack (top to bottom), the IRP goes to next. */
  i: number;
  drivers: string[] | null;
  k: number;
}

/** Top to bottom through each stack, descendants first. Stops at the first failure when `canFail`. */
const irpDownRoutine: Routine<IrpDownFrame> = (engine, f) => {
  const { minor, rule } = f;
  if (f.pc === 1) {
    // An IRP returned.
    const d = f.devices[f.i];
    const drv = f.drivers![f.k - 1];
    const status = f.ret as string;
    if (f.canFail && !ntSuccess(status)) return ret({ device: d, driver: drv, status });
  }
  while (f.i < f.devices.length) {
    const d = f.devices[f.i];
    f.drivers ??= [...d.stack].reverse();
    if (f.k < f.drivers.length) {
      f.pc = 1;
      return callFrame(sendIrp(d, f.drivers[f.k++], minor, rule));
    }
    // If a driver left an interface enabled, the PnP manager disables it (RM-1 step 7).
    if (minor === 'IRP_MN_REMOVE_DEVICE' || minor === 'IRP_MN_SURPRISE_REMOVAL') for (const s of d.symlinks) disableInterface(engine, s, rule);
    f.i++;
    f.drivers = null;
    f.k = 0;
  }
  return ret(null);
};

const irpDown = (devices: Device[], minor: string, canFail: boolean, rule: RuleId): Frame =>
  frame(irpDownRoutine, { devices, minor, canFail, rule, i: 0, drivers: null, k: 0 });

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

function queryAndRemove(engine: Engine, f: EventFrame): Step {
  const { ev } = f;
  const root = engine.world.devices[ev.device];
  for (;;) {
    switch (f.pc) {
      case 0:
        if (root.state !== 'started') {
          ev.result = { status: 'CR_INVALID_DEVNODE' };
          return ret();
        }
        f.devices = subtree(engine, ev.device, ['started']);
        for (const d of f.devices) setDeviceState(engine, d, 'query-remove-pending', 'RM-1');
        // RM-1.1 / RM-2: user-mode QUERYREMOVE, registration order; a veto stops the broadcast.
        f.regs = handleRegs(engine, f.devices);
        f.i = 0;
        f.pc = 1;
        continue;
      case 1: // the next app's QUERYREMOVE
        if (f.i >= f.regs.length) {
          // RM-1.2 / RM-3: kernel QUERY_REMOVE; a failure status vetoes (IO-5).
          f.regs = targetRegs(engine, f.devices);
          f.i = 0;
          f.pc = 4;
          continue;
        }
        if (f.regs[f.i].state !== 'active') {
          f.i++;
          continue;
        }
        f.pc = 2;
        return OP;
      case 2: {
        const reg = f.regs[f.i];
        f.pc = 3;
        return callFrame(deliverUser(engine, reg, { Action: 'CM_NOTIFY_ACTION_DEVICEQUERYREMOVE', FilterType: reg.category }, APP_QUERY));
      }
      case 3: {
        const reg = f.regs[f.i++];
        f.pc = 1;
        if (checkCmReturn(engine, reg, 'CM_NOTIFY_ACTION_DEVICEQUERYREMOVE', f.ret) === 'veto') {
          f.veto = { vetoType: 'PNP_VetoWindowsApp', vetoName: reg.owner };
          f.pc = 20;
        }
        continue;
      }
      case 4: // the next kernel QUERY_REMOVE
        if (f.i >= f.regs.length) {
          // RM-1.3 / RM-4: IRP_MN_QUERY_REMOVE_DEVICE, then the open-handle check.
          f.pc = 7;
          return callFrame(irpDown(f.devices, 'IRP_MN_QUERY_REMOVE_DEVICE', true, 'RM-1'));
        }
        f.pc = 5;
        return OP;
      case 5: {
        const reg = f.regs[f.i];
        if (reg.state !== 'active') {
          f.i++;
          f.pc = 4;
          continue;
        }
        f.notified.push(reg);
        f.pc = 6;
        return callFrame(deliverKernel(engine, reg, { Event: 'GUID_TARGET_DEVICE_QUERY_REMOVE', FileObject: reg.fileObject ?? null }, KERNEL_QUERY));
      }
      case 6: {
        const reg = f.regs[f.i++];
        f.pc = 4;
        if (!ntSuccess(f.ret)) {
          f.veto = { vetoType: 'PNP_VetoDriver', vetoName: reg.owner };
          f.pc = 20;
        }
        continue;
      }
      case 7: { // the IRPs returned
        const failed = f.ret as { device: Device; driver: string; status: string } | null;
        if (failed) f.veto = { vetoType: 'PNP_VetoDevice', vetoName: `${failed.device.id} (${failed.driver} returned ${failed.status})` };
        else {
          const open = openHandlesOn(engine, f.devices.map((d) => d.id));
          if (open.length > 0) {
            const holders = open.map((h) => `${h.owner} (${h.kind === 'handle' ? 'handle' : 'file object'} ${h.id})`);
            f.veto = { vetoType: 'PNP_VetoOutstandingOpen', vetoName: holders.join(', ') };
            engine.raise('RM-4', 'outstandingOpen', `The query-remove of ${ev.device} fails: ${holders.join(', ')} still open on the device after IRP_MN_QUERY_REMOVE_DEVICE.`);
          }
        }
        if (f.veto) {
          f.irpsSent = true;
          f.pc = 20;
          continue;
        }
        // RM-1.5 … RM-1.8: success.
        for (const d of f.devices) setDeviceState(engine, d, 'remove-pending', 'RM-1');
        f.pc = 8;
        return callFrame(broadcastUser(handleRegs(engine, f.devices), 'CM_NOTIFY_ACTION_DEVICEREMOVEPENDING', 'RM-1'));
      }
      case 8:
        f.pc = 9;
        return callFrame(broadcastKernel(targetRegs(engine, f.devices), 'GUID_TARGET_DEVICE_REMOVE_COMPLETE', 'RM-1'));
      case 9:
        f.pc = 10;
        return callFrame(irpDown(f.devices, 'IRP_MN_REMOVE_DEVICE', false, 'RM-1'));
      case 10:
        f.pc = 11;
        f.i = 0;
        return callFrame(broadcastUser(handleRegs(engine, f.devices), 'CM_NOTIFY_ACTION_DEVICEREMOVECOMPLETE', 'RM-1'));
      case 11: // each device removed
        if (f.i < f.devices.length) {
          const d = f.devices[f.i++];
          setDeviceState(engine, d, 'removed', 'RM-1');
          return callFrame(instanceBroadcast(engine, d.id, 'CM_NOTIFY_ACTION_DEVICEINSTANCEREMOVED'));
        }
        f.pc = 12;
        // An eject (RM-9, RM-10) ends with IRP_MN_EJECT to the bus driver, when the scenario has one (a one-element stack's is the system's).
        if (ev.eject && root.stack.length > 1) return callFrame(sendIrp(root, root.stack[0], 'IRP_MN_EJECT', ev.eject === 'app' ? 'RM-9' : 'RM-10'));
        continue;
      case 12:
        ev.result = { status: 'CR_SUCCESS' };
        return ret();
      case 20: // vetoed
        f.pc = 21;
        return callFrame(eventFrame(queryRemoveFailed, ev, { devices: f.devices, notified: f.notified, veto: f.veto, irpsSent: f.irpsSent }));
      default:
        return ret();
    }
  }
}

/** RM-2 / RM-3 / RM-4: undo a failed query-remove. */
const queryRemoveFailed: Routine<EventFrame> = (engine, f) => {
  const { ev, devices, veto } = f;
  // The failure path answers to the rule of the veto: RM-2 an app, RM-3 a kernel callback, RM-4 a driver or an open handle.
  const rule = vetoRule(veto!.vetoType);
  if (f.pc === 0) {
    // Bottom to top, parents before children: the reverse of the query.
    if (f.irpsSent) {
      const reversed = [...devices].reverse();
      while (f.i < reversed.length) {
        const d = reversed[f.i];
        if (f.k < d.stack.length) return callFrame(sendIrp(d, d.stack[f.k++], 'IRP_MN_CANCEL_REMOVE_DEVICE', rule));
        f.i++;
        f.k = 0;
      }
    }
    // KM REMOVE_CANCELLED in reverse registration order (IO-2, RM-3 OBS).
    f.pc = 1;
    return callFrame(broadcastKernel([...f.notified].reverse(), 'GUID_TARGET_DEVICE_REMOVE_CANCELLED', rule));
  }
  if (f.pc === 1) {
    for (const d of devices) setDeviceState(engine, d, 'started', rule);
    // Every current handle registration, including ones that never got QUERYREMOVE (RM-2, RM-7).
    f.pc = 2;
    return callFrame(broadcastUser(handleRegs(engine, devices), 'CM_NOTIFY_ACTION_DEVICEQUERYREMOVEFAILED', rule));
  }
  ev.result = { status: 'CR_REMOVE_VETOED', ...veto! };
  // RM-10: nobody returns the veto to the driver that asked; the PnP manager tells the user.
  if (ev.eject === 'driver') {
    engine.emit({ type: 'note', text: `The eject of ${ev.device} that a driver requested was vetoed (${veto!.vetoType}: ${veto!.vetoName}); the PnP manager tells the user in a dialog and the device stays started (RM-10).`, rule: 'RM-10' });
  }
  return ret();
};

// ---------------------------------------------------------------- surprise removal

function surpriseRemoval(engine: Engine, f: EventFrame): Step {
  const { ev } = f;
  switch (f.pc) {
    case 0:
      f.devices = subtree(engine, ev.device, ['started', 'query-remove-pending', 'remove-pending']);
      if (f.devices.length === 0) return ret();
      for (const d of f.devices) setDeviceState(engine, d, 'surprise-removed', 'RM-5');
      f.pc = 1;
      return callFrame(irpDown(f.devices, 'IRP_MN_SURPRISE_REMOVAL', false, 'RM-5'));
    case 1:
      f.pc = 2;
      return callFrame(broadcastUser(handleRegs(engine, f.devices), 'CM_NOTIFY_ACTION_DEVICEREMOVECOMPLETE', 'RM-5'));
    case 2:
      f.pc = 3;
      return callFrame(broadcastKernel(targetRegs(engine, f.devices), 'GUID_TARGET_DEVICE_REMOVE_COMPLETE', 'RM-5'));
  }
  for (const d of f.devices) {
    const open = openHandlesOn(engine, [d.id]);
    if (open.length > 0) {
      engine.emit({ type: 'note', text: `${d.id} waits for ${open.map((h) => h.id).join(', ')} to close before IRP_MN_REMOVE_DEVICE (RM-5).`, rule: 'RM-5' });
    }
    // Queued behind the interface REMOVAL events (RM-5); a parent waits for its children (§1.2).
    handleClosed(engine, d.id);
  }
  return ret();
}

function removeAfterSurprise(engine: Engine, f: EventFrame): Step {
  const d = engine.world.devices[f.ev.device];
  switch (f.pc) {
    case 0:
      if (!readyForRemove(engine, d)) return ret();
      f.pc = 1;
      return callFrame(irpDown([d], 'IRP_MN_REMOVE_DEVICE', false, 'RM-5'));
    case 1:
      setDeviceState(engine, d, 'removed', 'RM-5');
      f.pc = 2;
      return callFrame(instanceBroadcast(engine, d.id, 'CM_NOTIFY_ACTION_DEVICEINSTANCEREMOVED'));
  }
  // Children before parents (docs/architecture.md §1.2): the parent may have been waiting for this child.
  handleClosed(engine, d.parent);
  return ret();
}

// ---------------------------------------------------------------- device state (RM-11)

/**
 * IoInvalidateDeviceState: IRP_MN_QUERY_PNP_DEVICE_STATE top to bottom; each driver may report
 * PNP_DEVICE_STATE flags (`*PnpDeviceState`). PNP_DEVICE_FAILED: the device is surprise-removed (RM-5).
 */
function deviceStateChange(engine: Engine, f: EventFrame): Step {
  const d = engine.world.devices[f.ev.device];
  if (f.pc === 0) {
    if (d.state !== 'started') {
      engine.emit({ type: 'note', text: `${d.id} is ${d.state}, not started: the PnP manager does not query its PnP state.`, rule: 'RM-11' });
      return ret();
    }
    f.reported = new Set<string>();
    f.devices = [d];
    f.pc = 1;
  }
  const drivers = [...d.stack].reverse();
  if (f.i < drivers.length) return callFrame(sendIrp(d, drivers[f.i++], 'IRP_MN_QUERY_PNP_DEVICE_STATE', 'RM-11', f.reported!));
  if (!f.reported!.has('PNP_DEVICE_FAILED')) return ret();
  engine.emit({ type: 'note', text: `${d.id}'s stack reports PNP_DEVICE_FAILED: the PnP manager removes the device as a surprise removal (RM-11, RM-5).`, rule: 'RM-11' });
  queueEvent(engine, { kind: 'SurpriseRemoval', device: d.id }, 'RM-11');
  return ret();
}

// ---------------------------------------------------------------- custom events (CU-1)

function customEvent(engine: Engine, f: EventFrame): Step {
  const c = f.ev.custom!;
  const d = engine.world.devices[f.ev.device];
  for (;;) {
    switch (f.pc) {
      case 0:
        f.pc = 1;
        return callFrame(broadcastUser(handleRegs(engine, [d]), 'CM_NOTIFY_ACTION_DEVICECUSTOMEVENT', 'CU-1', {
          EventGuid: c.event, NameOffset: c.nameBufferOffset, Data: c.data,
        }));
      case 1:
        f.regs = targetRegs(engine, [d]);
        f.pc = 2;
        continue;
      case 2: // the next kernel registrant
        if (f.i < f.regs.length) {
          f.pc = 3;
          return OP;
        }
        if (!c.callback) return ret();
        f.pc = 4;
        return OP;
      case 3: {
        const reg = f.regs[f.i++];
        f.pc = 2;
        if (reg.state !== 'active') continue;
        return callFrame(deliverKernel(engine, reg, {
          Event: c.event, FileObject: reg.fileObject ?? null, NameBufferOffset: c.nameBufferOffset, CustomDataBuffer: c.data,
        }, { rule: 'CU-1' }));
      }
      case 4: {
        const thread = engine.thread;
        thread.inCompletion = (thread.inCompletion ?? 0) + 1;
        f.pc = 5;
        return callFrame(invoke(c.reporter, c.callback!, { Context: c.context }, { isVoid: true, rule: 'CU-1' }));
      }
      default:
        engine.thread.inCompletion!--;
        return ret();
    }
  }
}
