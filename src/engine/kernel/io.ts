// IoRegisterPlugPlayNotification and unregistering (IO and UN rules, seeds 001 and 003), and the kernel's
// way of opening a device (IoGetDeviceObjectPointer / ObDereferenceObject, IO-8, IO-9, RM-6).
import type { Engine } from '../engine.ts';
import { callFrame, frame, OP, pauseThen, ret, waitThen, type Frame, type Routine } from '../frame.ts';
import type { DeviceInterface, Registration } from '../model.ts';
import type { CallResult, Handler } from '../interp.ts';
import { deliverKernel, interfaceRule } from '../pnp/deliver.ts';
import { isPartitionClass } from '../constants.ts';
import { closeHandle, deviceSymlink, disableInterface, enableInterface, interfacesOf, newHandle, registerInterface } from '../pnp/devices.ts';
import { newRegistration, unregister } from './registrations.ts';

const CATEGORIES = ['EventCategoryHardwareProfileChange', 'EventCategoryDeviceInterfaceChange', 'EventCategoryTargetDeviceChange'];
const INCLUDE_EXISTING = 'PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES';
const invalid = { result: 'STATUS_INVALID_PARAMETER', out: { NotificationEntry: null } };

export const IoRegisterPlugPlayNotification: Handler = (x) => {
  const { engine, act, op, args } = x;
  const category = String(args.EventCategory);
  const flags = ([] as unknown[]).concat(args.EventCategoryFlags ?? []);
  const includeExisting = flags.includes(INCLUDE_EXISTING);
  const data = args.EventCategoryData ?? null;
  if (category === 'EventCategoryTargetDeviceChange') x.govern('IO-8');
  else if (includeExisting) x.govern('IO-1');
  else x.govern(isPartitionClass(data) ? 'IO-10' : 'IO-2');
  if (!CATEGORIES.includes(category)) return invalid;
  if (includeExisting && category !== 'EventCategoryDeviceInterfaceChange') return invalid; // IO-1 (CHOICE)
  const base = { kind: 'io' as const, owner: act.component.id, routine: String(op.CallbackRoutine), context: args.Context ?? null, category };

  if (category === 'EventCategoryHardwareProfileChange') {
    if (data !== null) return invalid;
    const reg = newRegistration(engine, base);
    return { result: 'STATUS_SUCCESS', out: { NotificationEntry: reg.id } };
  }

  if (category === 'EventCategoryTargetDeviceChange') {
    // IO-8: EventCategoryData is a file object obtained by opening the device.
    const fo = typeof data === 'string' ? engine.world.handles[data] : undefined;
    if (!fo || fo.kind !== 'fileObject' || !fo.open) return invalid;
    const device = engine.world.devices[fo.device];
    if (device?.stack.includes(act.component.id)) {
      engine.raise('IO-8', 'ownDevice', `${act.component.id} registered for target-device notification on ${fo.device}, a device in its own stack; a driver must not register on its own device.`);
    }
    const reg = newRegistration(engine, { ...base, device: fo.device, fileObject: fo.id });
    return { result: 'STATUS_SUCCESS', out: { NotificationEntry: reg.id } };
  }

  // EventCategoryDeviceInterfaceChange: EventCategoryData is the interface class GUID.
  if (typeof data !== 'string') return invalid;
  const reg = newRegistration(engine, { ...base, className: data, includeExisting, entryVar: String(op.NotificationEntry) });
  if (!includeExisting) return { result: 'STATUS_SUCCESS', out: { NotificationEntry: reg.id } };
  // IO-1: inserted first, then one ARRIVAL per enabled interface on the caller's thread;
  // *NotificationEntry is written only when the call returns.
  reg.registering = true;
  return frame(replayArrivals, { reg, className: data, interfaces: interfacesOf(engine, data), i: 0 });
};

interface ReplayFrame extends Frame {
  reg: Registration;
  className: string;
  interfaces: DeviceInterface[];
  i: number;
}

/** IO-1: the INCLUDE_EXISTING replay, on the caller's thread, before the register call returns. */
const replayArrivals: Routine<ReplayFrame> = (engine, f) => {
  const { reg, className } = f;
  if (f.pc === 1) {
    const itf = f.interfaces[f.i++];
    f.pc = 0;
    const rule = interfaceRule(reg, true, itf.symlink, className, 'IO-1');
    return callFrame(deliverKernel(engine, reg, { Event: 'GUID_DEVICE_INTERFACE_ARRIVAL', InterfaceClassGuid: className, SymbolicLinkName: itf.symlink }, { rule }));
  }
  if (f.i < f.interfaces.length && reg.state === 'active' && !engine.halted) {
    f.pc = 1;
    return OP;
  }
  reg.registering = false;
  return ret({ result: 'STATUS_SUCCESS', out: { NotificationEntry: reg.id } });
};

/** UN-7: the entry must come from a successful registration and still be live. */
function liveEntry(x: Parameters<Handler>[0]) {
  const id = x.args.NotificationEntry;
  const reg = typeof id === 'string' ? x.engine.world.registrations[id] : undefined;
  if (reg && reg.kind === 'io' && reg.state === 'active') return reg;
  x.engine.raise('UN-7', 'invalidEntry', `${x.act.component.id} called ${x.op.call} with ${JSON.stringify(id ?? null)}, which is not a live registration (unregistered twice, or never returned by a successful IoRegisterPlugPlayNotification).`);
  return null;
}

/** UN-1: returns at once; a callback running on another thread goes on after it returned. */
export const IoUnregisterPlugPlayNotification: Handler = (x) => {
  x.govern('UN-1');
  const reg = liveEntry(x);
  if (!reg) return { result: 'STATUS_INVALID_PARAMETER' };
  const running = x.engine.inFlightElsewhere(reg.id, x.act.thread.name);
  unregister(x.engine, reg);
  if (running.length > 0) {
    x.engine.raise('UN-1', 'window', `IoUnregisterPlugPlayNotification returns while ${reg.owner}!${reg.routine} of ${reg.id} is still running on ${running.join(', ')}: that callback goes on after the unregister returned (the hazard window). Freeing its context now would be a use-after-free; use IoUnregisterPlugPlayNotificationEx.`);
  }
  return { result: 'STATUS_SUCCESS' };
};

/** UN-2: waits for callbacks on other threads, not for its own (re-entrant); UN-3: not during its own replay. */
export const IoUnregisterPlugPlayNotificationEx: Handler = (x) => {
  const { engine, act, op } = x;
  const self = act.thread;
  const entryVar = typeof op.NotificationEntry === 'string' ? op.NotificationEntry : null;
  // From a callback of an INCLUDE_EXISTING replay, the register call has not returned yet (UN-3).
  x.govern(act.registration?.registering && act.registration.includeExisting ? 'UN-3' : 'UN-2');
  for (const id of self.callbacks) {
    const r = engine.world.registrations[id];
    if (r?.registering && r.includeExisting && r.owner === act.component.id && entryVar !== null && r.entryVar === entryVar) {
      engine.raise(
        'UN-3',
        'deadlock',
        `${act.component.id} calls IoUnregisterPlugPlayNotificationEx(${entryVar}) from the INCLUDE_EXISTING replay of ${r.id}, while IoRegisterPlugPlayNotification has not returned — ${entryVar} is not even written yet. The unregister waits for the registration the in-progress call holds: deadlock.`,
        { cycle: [{ thread: self.name, waitsFor: self.name, reason: `IoRegisterPlugPlayNotification(${r.id}) to return` }] },
      );
      return pauseThen(null, resultNull);
    }
  }
  const reg = liveEntry(x);
  if (!reg) return { result: 'STATUS_INVALID_PARAMETER' };
  return waitThen(
    { k: 'callbacks', registration: reg.id, waiter: self.name, includeSelf: false, rule: 'UN-2', what: `the callbacks of ${reg.id} on other threads to return` },
    reg,
    unregisterEx,
  );
};

const unregisterEx = (engine: Engine, reg: Registration): CallResult => {
  // Called from the registration's own callback: that callback keeps the DriverObject until it returns (DRV-2).
  unregister(engine, reg, { pinWhileRunning: true });
  return { result: 'STATUS_SUCCESS' };
};

/** IO-8 / RM-6: open a device by an interface's symbolic link; the file object counts as an open handle. */
export const IoGetDeviceObjectPointer: Handler = (x) => {
  const { engine, act, args } = x;
  x.govern('IO-8');
  const name = args.ObjectName;
  const itf = typeof name === 'string' ? engine.world.interfaces[name] : undefined;
  const fail = (status: string) => ({ result: status, out: { FileObject: null, DeviceObject: null }, rule: 'RM-6' as const });
  if (!itf || !itf.enabled) return fail('STATUS_OBJECT_NAME_NOT_FOUND');
  const device = engine.world.devices[itf.device];
  if (device && device.state === 'remove-pending') return fail('STATUS_DELETE_PENDING');
  const fo = newHandle(engine, act.component.id, itf.device, 'fileObject');
  return { result: 'STATUS_SUCCESS', out: { FileObject: fo, DeviceObject: itf.device } };
};

export const ObDereferenceObject: Handler = (x) => {
  const { engine, act, args } = x;
  // Releasing the file object while handling QUERY_REMOVE is what IO-9 asks for.
  if (act.args.Event === 'GUID_TARGET_DEVICE_QUERY_REMOVE') x.govern('IO-9', 'obeys');
  else x.govern('IO-8');
  if (typeof args.Object === 'string') closeHandle(engine, args.Object);
  return { result: null };
};

/**
 * IO-11: the link of the device's interface of that class (the one the engine created when the
 * device started); a class the scenario does not list gets a new interface, disabled until enabled.
 */
export const IoRegisterDeviceInterface: Handler = (x) => {
  const { engine, args } = x;
  x.govern('IO-11');
  const d = engine.world.devices[String(args.PhysicalDeviceObject)];
  const cls = String(args.InterfaceClassGuid);
  if (!d || d.state === 'not-present' || d.state === 'removed') return { result: 'STATUS_INVALID_DEVICE_REQUEST', out: { SymbolicLinkName: null } };
  const i = d.classes.indexOf(cls);
  if (i >= 0 && d.symlinks[i]) return { result: 'STATUS_SUCCESS', out: { SymbolicLinkName: d.symlinks[i] } };
  const index = i >= 0 ? i : d.classes.push(cls) - 1;
  d.symlinks[index] = deviceSymlink(d, cls, index);
  registerInterface(engine, d.symlinks[index], cls, d.id);
  return { result: 'STATUS_SUCCESS', out: { SymbolicLinkName: d.symlinks[index] } };
};

/** IO-11: disable → REMOVAL, enable → ARRIVAL, the device staying where it is; documented statuses otherwise. */
export const IoSetDeviceInterfaceState: Handler = (x) => {
  const { engine, args } = x;
  x.govern('IO-11');
  const itf = typeof args.SymbolicLinkName === 'string' ? engine.world.interfaces[args.SymbolicLinkName] : undefined;
  const enable = args.Enable === true || args.Enable === 'TRUE' || args.Enable === 1;
  if (!itf) return { result: 'STATUS_OBJECT_NAME_NOT_FOUND' };
  if (enable) {
    if (itf.enabled) return { result: 'STATUS_OBJECT_NAME_EXISTS' };
    enableInterface(engine, itf.symlink, itf.className, itf.device, true, 'IO-11');
    return { result: 'STATUS_SUCCESS' };
  }
  if (!itf.enabled) return { result: 'STATUS_OBJECT_NAME_NOT_FOUND' };
  disableInterface(engine, itf.symlink, 'IO-11');
  return { result: 'STATUS_SUCCESS' };
};

/** The call returns no result (module-level, so a run's state holds no closure: src/engine/explore/state.ts). */
const resultNull = (): CallResult => ({ result: null });
