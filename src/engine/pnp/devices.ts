// Devices, interfaces, open handles and the PnP event queue (docs/architecture.md §1.2, RM rules).
import type { Engine } from '../engine.ts';
import { guidOf, isPartitionClass } from '../constants.ts';
import type { RuleId } from '../rules/ids.ts';
import type { Device, PnpEvent } from '../model.ts';
import { nextId } from '../model.ts';
import { processEvent } from './events.ts';
import { frame } from '../frame.ts';
import { final } from '../fork.ts';
import { entityId } from '../ids/entities.ts';

export const processorSymlink = (n: number) => `\\\\?\\ACPI#ACPI0007#${n}#${guidOf('GUID_DEVICE_PROCESSOR')}`;
export const memorySymlink = (id: string) => `\\\\?\\ACPI#PNP0C80#${id}#${guidOf('GUID_DEVICE_MEMORY')}`;

export function deviceSymlink(d: Device, className: string, index: number): string {
  const bus = d.parent === 'root' ? 'ROOT' : d.parent.toUpperCase();
  return `\\\\?\\${bus}#${d.id.toUpperCase()}#${String(index).padStart(4, '0')}#${guidOf(className)}`;
}

/** The instance path a CM_NOTIFY_FILTER_TYPE_DEVICEINSTANCE filter names. */
export const instanceId = (d: Device) => `${d.parent === 'root' ? 'ROOT' : d.parent.toUpperCase()}\\${d.id.toUpperCase()}\\0000`;

/**
 * Processors and memory modules are PnP devices too (docs/architecture.md §1.1): a processor is the ACPI device
 * ACPI0007 with its NtNumber as instance, a memory module the ACPI memory device PNP0C80 with its
 * id — the same names their symbolic links use.
 */
export const processorInstanceId = (n: number) => `ACPI\\ACPI0007\\${n}`;
export const memoryInstanceId = (id: string) => `ACPI\\PNP0C80\\${id}`;
/** The device name a processor's interface belongs to. */
export const processorDevice = (n: number) => `processor${n}`;
/** The NtNumber a processor's device name stands for (`processor3` → 3), else undefined. */
function processorOf(device: string): number | undefined {
  const m = /^processor(\d+)$/.exec(device);
  return m && processorDevice(Number(m[1])) === device ? Number(m[1]) : undefined;
}

/** The instance id of any device: a device of the machine, a processor or a memory module. */
export function instanceIdOf(engine: Engine, device: string): string | undefined {
  const w = engine.world;
  if (Object.hasOwn(w.devices, device)) return instanceId(w.devices[device]);
  const n = processorOf(device);
  if (n !== undefined && w.processors.some((q) => q.NtNumber === n)) return processorInstanceId(n);
  return w.memory.some((m) => m.id === device) ? memoryInstanceId(device) : undefined;
}

/**
 * The device a device instance id names (case-insensitive, as Windows compares them), or its id in
 * the scenario; undefined when there is none.
 */
export function deviceByInstanceId(engine: Engine, id: string): string | undefined {
  const w = engine.world;
  const wanted = id.toUpperCase();
  const all = [...w.deviceOrder, ...w.processors.map((p) => processorDevice(p.NtNumber)), ...w.memory.map((m) => m.id)];
  return all.find((d) => d === id || instanceIdOf(engine, d)?.toUpperCase() === wanted);
}

/** The driver owning the FDO: the only driver of a one-element stack, else the one above the bus driver. */
export const functionDriver = (d: Device) => (d.stack.length === 1 ? d.stack[0] : d.stack[1]);

/** The rule an event is queued under, unless the caller applies a more specific one (KE-9). */
function queueRule(engine: Engine, ev: Omit<PnpEvent, 'id' | 'done'>): RuleId | undefined {
  switch (ev.kind) {
    case 'InterfaceArrival':
      return isPartitionClass(ev.className) ? 'IO-10' : 'IO-2';
    case 'InterfaceRemoval':
      return 'IO-2';
    case 'QueryAndRemove':
      return 'RM-1';
    case 'SurpriseRemoval':
    case 'RemoveDevice':
      return 'RM-5';
    case 'DeviceStateChange':
      return 'RM-11';
    case 'DeviceArrival':
      // A device plugged in again after it was removed (RM-8); a first arrival is plain PnP.
      return engine.world.devices[ev.device]?.state === 'removed' ? 'RM-8' : undefined;
    case 'CustomEvent':
      return 'CU-1';
  }
}

export function queueEvent(engine: Engine, ev: Omit<PnpEvent, 'id' | 'done'>, rule = queueRule(engine, ev)): PnpEvent {
  const event: PnpEvent = { ...ev, id: nextId(engine.world, 'event'), done: false };
  engine.world.events.push(event);
  const name = ev.kind === 'InterfaceArrival' ? 'GUID_DEVICE_INTERFACE_ARRIVAL'
    : ev.kind === 'InterfaceRemoval' ? 'GUID_DEVICE_INTERFACE_REMOVAL'
    : ev.kind === 'CustomEvent' ? ev.custom!.event
    : ev.kind;
  const symlink = ev.symlink ?? ev.unit?.symlink;
  engine.emit({ type: 'queue', event: name, device: ev.device, ...(symlink ? { interface: symlink } : {}), ...(rule ? { rule } : {}) });
  engine.submit('pnp', name, frame(processEvent, { ev: event }));
  return event;
}

/**
 * Enable an interface (creating it on first use); with `announce`, queue its ARRIVAL (IO-2, IO-10
 * for the partition's own interfaces, or the caller's rule: KE-9 after a processor's Complete).
 */
export function enableInterface(engine: Engine, symlink: string, className: string, device: string, announce: boolean, rule?: RuleId) {
  const w = engine.world;
  const governed: RuleId | undefined = announce ? (rule ?? (isPartitionClass(className) ? 'IO-10' : 'IO-2')) : undefined;
  const stamp = governed ? { rule: governed } : {};
  let itf = w.interfaces[symlink];
  if (!itf) {
    itf = { symlink, className, device, enabled: true, enabledAt: engine.seq };
    w.interfaces[symlink] = itf;
    w.interfaceOrder.push(symlink);
    engine.state(entityId('interface', symlink), 'none', 'enabled', { className, device }, stamp);
  } else {
    if (itf.enabled) return;
    itf.enabled = true;
    itf.enabledAt = engine.seq;
    engine.state(entityId('interface', symlink), 'disabled', 'enabled', undefined, stamp);
  }
  if (announce) queueEvent(engine, { kind: 'InterfaceArrival', device, symlink, className }, governed);
}

/** Create an interface, disabled (IoRegisterDeviceInterface of a class the device did not have, IO-11). */
export function registerInterface(engine: Engine, symlink: string, className: string, device: string) {
  const w = engine.world;
  if (w.interfaces[symlink]) return;
  w.interfaces[symlink] = { symlink, className, device, enabled: false };
  w.interfaceOrder.push(symlink);
  engine.state(entityId('interface', symlink), 'none', 'disabled', { className, device });
}

/** Disable an interface (`flow`: RM-1 or RM-5 in a removal, IO-11 for IoSetDeviceInterfaceState) and queue its REMOVAL, delivered after the current event (RM-1 step 9). */
export function disableInterface(engine: Engine, symlink: string, flow: RuleId) {
  const itf = engine.world.interfaces[symlink];
  if (!itf?.enabled) return;
  itf.enabled = false;
  engine.state(entityId('interface', symlink), 'enabled', 'disabled', undefined, { rule: flow });
  queueEvent(engine, { kind: 'InterfaceRemoval', device: itf.device, symlink, className: itf.className });
}

/** Interfaces of a class, in creation order. */
export function interfacesOf(engine: Engine, className: string, includeDisabled = false) {
  const w = engine.world;
  return w.interfaceOrder.map((s) => w.interfaces[s]).filter((i) => i.className === className && (includeDisabled || i.enabled));
}

export function openHandlesOn(engine: Engine, devices: string[]) {
  const set = new Set(devices);
  return Object.values(engine.world.handles).filter((h) => h.open && set.has(h.device));
}

/** The device and its started descendants, children before parents (docs/architecture.md §1.2). */
export function subtree(engine: Engine, root: string, states: Device['state'][]): Device[] {
  const w = engine.world;
  const out: Device[] = [];
  const visit = (id: string) => {
    for (const child of w.deviceOrder) if (w.devices[child].parent === id) visit(child);
    const d = w.devices[id];
    if (states.includes(d.state)) out.push(d);
  };
  visit(root);
  return out;
}

export function setDeviceState(engine: Engine, d: Device, to: Device['state'], rule?: RuleId) {
  if (d.state === to) return;
  engine.state(entityId('device', d.id), d.state, to, undefined, rule ? { rule } : {});
  d.state = to;
}

/**
 * Can a surprise-removed device get its IRP_MN_REMOVE_DEVICE: every handle and file object on it is
 * closed (RM-5) and its descendants are gone already (children before parents, docs/architecture.md §1.2).
 */
export function readyForRemove(engine: Engine, d: Device): boolean {
  if (d.state !== 'surprise-removed' || openHandlesOn(engine, [d.id]).length > 0) return false;
  return subtree(engine, d.id, ['surprise-removed']).every((x) => x === d);
}

/** A handle or file object closed, or a child removed: a surprise-removed device gets its REMOVE once ready (RM-5). */
export function handleClosed(engine: Engine, device: string) {
  const d = engine.world.devices[device];
  if (!d || !readyForRemove(engine, d)) return;
  if (engine.world.events.some((e) => e.kind === 'RemoveDevice' && e.device === device && !e.done)) return;
  queueEvent(engine, { kind: 'RemoveDevice', device });
}

export function closeHandle(engine: Engine, id: string) {
  const h = engine.world.handles[id];
  if (!h?.open) return false;
  h.open = false;
  final(h); // never changed again: forks share it (fork.ts)
  engine.state(entityId('handle', id), 'open', 'closed');
  handleClosed(engine, h.device);
  return true;
}

export function newHandle(engine: Engine, owner: string, device: string, kind: 'handle' | 'fileObject') {
  const w = engine.world;
  const id = kind === 'handle' ? `app:${owner}:${nextId(w, `handle:${owner}`)}` : `fo:${owner}:${nextId(w, `fo:${owner}`)}`;
  w.handles[id] = { id, owner, device, kind, open: true, arrival: w.devices[device]?.arrivals };
  engine.state(entityId('handle', id), 'none', 'open', { owner, device, kind });
  return id;
}
