// The user-mode notification API (CM rules, seed 002): CM_Register_Notification and friends,
// CreateFile/CloseHandle, threadpool work and heap contexts.
import type { Engine } from '../engine.ts';
import { callFrame, frame, pauseThen, ret, waitThen, type Frame, type Routine } from '../frame.ts';
import type { Registration } from '../model.ts';
import { CM_NOTIFY_FILTER_SIZE } from '../constants.ts';
import { invoke, type CallResult, type Handler } from '../interp.ts';
import { nextId } from '../model.ts';
import { newRegistration, registrationsOf, unregister } from '../kernel/registrations.ts';
import { allocate, flagBlockingCallback, free, freeVerdict, governWait } from '../kernel/mem.ts';
import { closeHandle, deviceByInstanceId, interfacesOf, newHandle } from '../pnp/devices.ts';
import { appPoolThread } from '../ids/threads.ts';
import { entityId } from '../ids/entities.ts';

const ALL_CLASSES = 'CM_NOTIFY_FILTER_FLAG_ALL_INTERFACE_CLASSES';
const ALL_INSTANCES = 'CM_NOTIFY_FILTER_FLAG_ALL_DEVICE_INSTANCES';

/** CM-1: validate the filter. Returns the registration's target, or the CONFIGRET of the refusal. */
function checkFilter(engine: Engine, app: string, f: Record<string, unknown>) {
  const type = f.FilterType;
  const flags = ([] as unknown[]).concat(f.Flags ?? []);
  const cbSize = f.cbSize ?? CM_NOTIFY_FILTER_SIZE;
  const bad = (why: string) => ({ error: 'CR_INVALID_DATA', why });
  if (cbSize !== CM_NOTIFY_FILTER_SIZE) return bad(`cbSize is ${String(cbSize)}, not sizeof(CM_NOTIFY_FILTER) = ${CM_NOTIFY_FILTER_SIZE}`);
  if (flags.includes(ALL_CLASSES) && flags.includes(ALL_INSTANCES)) return bad('both CM_NOTIFY_FILTER_FLAG_ALL_* flags are set');
  if ((f.Reserved ?? 0) !== 0) return bad('Reserved is not zero');
  if (type === 'CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE') {
    if (flags.includes(ALL_INSTANCES)) return bad('CM_NOTIFY_FILTER_FLAG_ALL_DEVICE_INSTANCES is for DEVICEINSTANCE filters');
    if (flags.includes(ALL_CLASSES)) return f.ClassGuid ? bad('ALL_INTERFACE_CLASSES with a non-zero ClassGuid') : { className: 'ALL' };
    return typeof f.ClassGuid === 'string' ? { className: f.ClassGuid } : bad('ClassGuid is missing');
  }
  if (type === 'CM_NOTIFY_FILTER_TYPE_DEVICEINSTANCE') {
    if (flags.includes(ALL_CLASSES)) return bad('CM_NOTIFY_FILTER_FLAG_ALL_INTERFACE_CLASSES is for DEVICEINTERFACE filters');
    if (flags.includes(ALL_INSTANCES)) return f.InstanceId ? bad('ALL_DEVICE_INSTANCES with an InstanceId') : { instanceId: 'ALL' };
    return typeof f.InstanceId === 'string' ? { instanceId: f.InstanceId } : bad('InstanceId is missing');
  }
  if (type === 'CM_NOTIFY_FILTER_TYPE_DEVICEHANDLE') {
    if (flags.length > 0) return bad(`${String(flags[0])} is not valid with a DEVICEHANDLE filter`);
    const h = typeof f.hTarget === 'string' ? engine.world.handles[f.hTarget] : undefined;
    if (!h || h.kind !== 'handle' || h.owner !== app || !h.open) return bad(`hTarget ${JSON.stringify(f.hTarget ?? null)} is not an open handle of ${app}`);
    return { device: h.device, handle: h.id };
  }
  return bad(`unknown FilterType ${String(type)}`);
}

export const CM_Register_Notification: Handler = (x) => {
  const { engine, act, op, args } = x;
  const app = act.component.id;
  const filterType = (args.pFilter as Record<string, unknown> | null)?.FilterType;
  if (filterType === 'CM_NOTIFY_FILTER_TYPE_DEVICEHANDLE') x.govern('CM-4');
  else if (filterType === 'CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE') x.govern('CM-2');
  if (op.pNotifyContext === null) return { result: 'CR_FAILURE', rule: 'CM-1' }; // CM-1 (OBS)
  const target = typeof op.pCallback !== 'string'
    ? { error: 'CR_INVALID_DATA', why: 'pCallback is NULL' }
    : checkFilter(engine, app, (args.pFilter ?? {}) as Record<string, unknown>);
  if ('error' in target) {
    engine.raise('CM-1', 'invalidArgs', `CM_Register_Notification refuses the filter: ${target.why}.`);
    return { result: target.error, out: { pNotifyContext: null }, rule: 'CM-1' };
  }
  if ('className' in target && target.className !== 'ALL') missedArrivals(engine, app, String(target.className));
  const reg = newRegistration(engine, {
    kind: 'cm', owner: app, routine: String(op.pCallback), context: args.pContext ?? null, category: String(filterType),
    ...target, entryVar: String(op.pNotifyContext),
  });
  // CM-9: the registration is live before the call returns; a callback may run in this window.
  reg.registering = true;
  return pauseThen(reg, registered);
};

const registered = (_engine: Engine, reg: Registration): CallResult => {
  reg.registering = false;
  return { result: 'CR_SUCCESS', out: { pNotifyContext: reg.id } };
};

/** CM-3: the app listed first and registers now: interfaces that arrived in between are missed. */
function missedArrivals(engine: Engine, app: string, className: string) {
  const listedAt = engine.world.counters[`listed:${app}:${className}`];
  if (listedAt === undefined) return;
  if (registrationsOf(engine, (r) => r.kind === 'cm' && r.owner === app && r.category === 'CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE' && (r.className === className || r.className === 'ALL')).length > 0) return;
  const missed = interfacesOf(engine, className).filter((i) => (i.enabledAt ?? -1) > listedAt);
  if (missed.length > 0) {
    engine.raise('CM-3', 'missedArrival', `${app} listed ${className} interfaces first and registered afterwards: ${missed.map((i) => i.symlink).join(', ')} arrived in between and is neither listed nor notified (a missed arrival). Register first, then list, and de-duplicate.`);
  }
}

/** CM-6: waits for pending callbacks of the registration — its own included. CM-11: invalid handle. */
export const CM_Unregister_Notification: Handler = (x) => {
  const { engine, act, args } = x;
  x.govern('CM-6');
  const id = args.NotifyContext;
  const reg = typeof id === 'string' ? engine.world.registrations[id] : undefined;
  if (!reg || reg.kind !== 'cm' || reg.state !== 'active' || reg.owner !== act.component.id) {
    engine.raise('CM-11', 'invalidHandle', `CM_Unregister_Notification(${JSON.stringify(id ?? null)}): not a live notification handle of ${act.component.id}.`);
    return { result: 'CR_INVALID_DATA' };
  }
  return waitThen(
    { k: 'callbacks', registration: reg.id, waiter: act.thread.name, includeSelf: true, rule: 'CM-6', what: `the pending callbacks of ${reg.id} to return` },
    reg,
    unregistered,
  );
};

const unregistered = (engine: Engine, reg: Registration): CallResult => {
  unregister(engine, reg);
  return { result: 'CR_SUCCESS' };
};

/**
 * CM-2: the symbolic links of a class — only those of one device when `pDeviceID` names a device
 * instance (a NULL or empty pDeviceID lists the whole class). An instance id that names no device:
 * CR_NO_SUCH_DEVNODE (a modelling choice; the page does not say).
 */
function listInterfaces(engine: Engine, app: string, args: Record<string, unknown>): string[] | 'CR_NO_SUCH_DEVNODE' {
  const className = String(args.InterfaceClassGuid);
  const flags = ([] as unknown[]).concat(args.ulFlags ?? []);
  const id = args.pDeviceID;
  const device = typeof id === 'string' && id !== '' ? deviceByInstanceId(engine, id) : null;
  if (device === undefined) return 'CR_NO_SUCH_DEVNODE';
  engine.world.counters[`listed:${app}:${className}`] = engine.seq;
  return interfacesOf(engine, className, flags.includes('CM_GET_DEVICE_INTERFACE_LIST_ALL_DEVICES'))
    .filter((i) => device === null || i.device === device)
    .map((i) => i.symlink);
}

/** CM-2: the app lists what exists; CM-13: a buffer sized before an arrival is too small. */
export const CM_Get_Device_Interface_List: Handler = (x) => {
  const { engine, act, args } = x;
  x.govern('CM-3');
  const links = listInterfaces(engine, act.component.id, args);
  if (!Array.isArray(links)) return { result: links, out: { Buffer: [] } };
  if (typeof args.BufferLen === 'number' && links.length > args.BufferLen) {
    engine.raise('CM-13', 'bufferSmall', `The list grew from ${args.BufferLen} to ${links.length} interfaces since CM_Get_Device_Interface_List_Size: CR_BUFFER_SMALL, the caller must get the size again and retry.`);
    return { result: 'CR_BUFFER_SMALL', out: { Buffer: [] } };
  }
  return { result: 'CR_SUCCESS', out: { Buffer: links } };
};

export const CM_Get_Device_Interface_List_Size: Handler = (x) => {
  const { engine, act, args } = x;
  x.govern('CM-13');
  const links = listInterfaces(engine, act.component.id, args);
  return Array.isArray(links) ? { result: 'CR_SUCCESS', out: { pulLen: links.length } } : { result: links, out: { pulLen: 0 } };
};

/** CM-4 / RM-6: open a handle on the device behind a symbolic link. */
export const CreateFile: Handler = (x) => {
  const { engine, act, args } = x;
  x.govern('CM-4');
  const itf = typeof args.lpFileName === 'string' ? engine.world.interfaces[args.lpFileName] : undefined;
  if (!itf || !itf.enabled) return { result: 'INVALID_HANDLE_VALUE', out: { LastError: 'ERROR_FILE_NOT_FOUND' }, rule: 'RM-6' };
  const d = engine.world.devices[itf.device];
  if (d && d.state === 'remove-pending') return { result: 'INVALID_HANDLE_VALUE', out: { LastError: 'ERROR_ACCESS_DENIED' }, rule: 'RM-6' };
  return { result: newHandle(engine, act.component.id, itf.device, 'handle') };
};

export const CloseHandle: Handler = (x) => {
  const { engine, act, args } = x;
  const h = typeof args.hObject === 'string' ? engine.world.handles[args.hObject] : undefined;
  const open = !!h && h.owner === act.component.id && h.open;
  // CM-5: on QUERYREMOVE the app closes its handle, or the query-remove fails (RM-4).
  if (act.args.Action === 'CM_NOTIFY_ACTION_DEVICEQUERYREMOVE') x.govern('CM-5', open ? 'obeys' : undefined);
  else x.govern('CM-4');
  if (!h || !open) return { result: 'FALSE', out: { LastError: 'ERROR_INVALID_HANDLE' } };
  closeHandle(engine, h.id);
  return { result: 'TRUE' };
};

function submitWork(engine: Engine, app: string, routine: string, context: unknown) {
  const n = nextId(engine.world, `pool:${app}`);
  const id = `tpwork:${app}:${n}`;
  const thread = appPoolThread(app, n);
  engine.world.workItems[id] = { id, owner: app, routine, thread, done: false };
  engine.state(entityId('workitem', id), 'none', 'queued', { owner: app, routine, thread });
  engine.submit(thread, routine, frame(poolWork, { id, app, routine, context: context ?? null }), false);
  return id;
}

interface PoolWorkFrame extends Frame {
  id: string;
  app: string;
  routine: string;
  context: unknown;
}

/** A threadpool work item's job on its pool thread. */
const poolWork: Routine<PoolWorkFrame> = (engine, f) => {
  if (f.pc === 0) {
    f.pc = 1;
    return callFrame(invoke(f.app, f.routine, { Context: f.context }, { isVoid: true }));
  }
  engine.world.workItems[f.id].done = true;
  engine.state(entityId('workitem', f.id), 'queued', 'done');
  return ret();
};

export const SubmitThreadpoolWork: Handler = (x) => {
  const { engine, act, op, args } = x;
  x.govern('CM-6');
  return { result: submitWork(engine, act.component.id, String(op.Callback), args.Context) };
};

export const QueueUserWorkItem: Handler = (x) => {
  const { engine, act, op, args } = x;
  x.govern('CM-6');
  submitWork(engine, act.component.id, String(op.Function), args.Context);
  return { result: 'TRUE' };
};

export const WaitForThreadpoolWorkCallbacks: Handler = (x) => {
  const { engine, act, args } = x;
  governWait(x);
  const item = typeof args.pwk === 'string' ? engine.world.workItems[args.pwk] : undefined;
  if (!item) return { result: null };
  if (!item.done) flagBlockingCallback(engine, act.thread, item.id);
  return waitThen({ k: 'work', item: item.id, what: `${item.id} (${item.routine}) to finish` }, null, resultNull);
};

export const HeapAlloc: Handler = (x) => {
  const { engine, act } = x;
  return { result: allocate(engine, act.component.id, 'heap', '', false) };
};

export const HeapFree: Handler = (x) => {
  const { engine, act, args } = x;
  x.govern('CM-10', freeVerdict(engine, args.lpMem));
  return { result: free(engine, act.component.id, args.lpMem) ? 'TRUE' : 'FALSE' };
};

/** The call returns no result (module-level, so a run's state holds no closure: src/engine/explore/state.ts). */
const resultNull = (): CallResult => ({ result: null });
