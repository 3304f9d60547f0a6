// The typed scenario builder: one place that writes scenario format v1 in code. Templates,
// behaviours, the conformance corpus, UI and e2e tests and the benches build their scenarios from
// these pieces instead of writing op literals out again. Everything returns plain data (the
// Scenario types of types.ts); `load` still validates what is built.
//
// Names follow the Windows API: `ioRegister` is an IoRegisterPlugPlayNotification call,
// `cmRegister` a CM_Register_Notification call, and so on (docs/scenario-format.md).
import { SCENARIO_FORMAT, type ApiName, type ComponentSpec, type Cond, type DeviceSpec, type Op, type RoutineBody, type Scenario, type SwitchBody, type TimelineAction, type Value } from './types.ts';

export type Ops = Op[];
export type Routines = Record<string, RoutineBody>;
export type Globals = Record<string, Value>;

/** The scenario envelope; everything but `format` optional. */
export function scenario(parts: Omit<Scenario, 'format'> = {}): Scenario {
  return { format: SCENARIO_FORMAT, ...parts };
}

/** A driver or an app. */
export const component = (routines: Routines = {}, globals: Globals = {}): Required<ComponentSpec> => ({ globals, routines });

// ---------------------------------------------------------------- control ops

export const note = (text: string): Op => ({ op: 'note', text });
export const ret = (value: Value = 'STATUS_SUCCESS'): Op => ({ op: 'return', value });
/** `return` without a value. */
export const retVoid = (): Op => ({ op: 'return' });
export const set = (v: string, value: Value): Op => ({ op: 'set', var: v, value });
/** A processor callback's veto: `*OperationStatus = status` (KE-4). */
export const veto = (status = 'STATUS_INSUFFICIENT_RESOURCES'): Op => ({ op: 'set', var: '*OperationStatus', value: status });
export const ifThen = (cond: Cond, then: Ops, otherwise?: Ops): Op => (otherwise ? { op: 'if', cond, then, else: otherwise } : { op: 'if', cond, then });
export const ifNull = (v: string, then: Ops, otherwise: Ops = []): Op => ({ op: 'if', cond: { isNull: v }, then, else: otherwise });
export const forEach = (list: string, as: string, body: Ops): Op => ({ op: 'forEach', in: list, as, do: body });

/** A routine body that switches on a callback argument. */
export const sw = (on: SwitchBody['switch'], cases: Record<string, Ops>, dflt?: Ops): SwitchBody => (dflt ? { switch: on, cases, default: dflt } : { switch: on, cases });

// ---------------------------------------------------------------- API calls

/** Any API call: `call` is the documented name, `params` its documented parameters (and `result`). */
export const call = (name: ApiName, params: Record<string, unknown> = {}): Op => ({ call: name, ...params });

export const keRegister = (callback: string, context: string | null, addExisting: boolean, result = 'CallbackRegistrationHandle'): Op =>
  call('KeRegisterProcessorChangeCallback', {
    CallbackFunction: callback, CallbackContext: context, Flags: addExisting ? ['KE_PROCESSOR_CHANGE_ADD_EXISTING'] : [], result,
  });
export const keDeregister = (handle = 'CallbackRegistrationHandle'): Op => call('KeDeregisterProcessorChangeCallback', { CallbackHandle: handle });

/** IoRegisterPlugPlayNotification for a device interface class (seed 001's call shape). */
export const ioRegister = (
  guid: string, callback: string, entry: string,
  opts: { includeExisting?: boolean; context?: string | null; result?: string } = {},
): Op =>
  call('IoRegisterPlugPlayNotification', {
    EventCategory: 'EventCategoryDeviceInterfaceChange',
    EventCategoryFlags: opts.includeExisting ? ['PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES'] : [],
    EventCategoryData: guid, CallbackRoutine: callback, Context: opts.context ?? null,
    NotificationEntry: entry, result: opts.result ?? 'Status',
  });
/** IoRegisterPlugPlayNotification on a target device, by file object (IO-8). */
export const ioRegisterTarget = (fileObject: string, callback: string, entry: string, context: string | null = null): Op =>
  call('IoRegisterPlugPlayNotification', {
    EventCategory: 'EventCategoryTargetDeviceChange', EventCategoryFlags: [],
    EventCategoryData: fileObject, CallbackRoutine: callback, Context: context, NotificationEntry: entry, result: 'Status',
  });
export const ioUnregister = (entry: string, result: string | null = 'Status'): Op =>
  call('IoUnregisterPlugPlayNotification', result === null ? { NotificationEntry: entry } : { NotificationEntry: entry, result });
export const ioUnregisterEx = (entry: string, result: string | null = 'Status'): Op =>
  call('IoUnregisterPlugPlayNotificationEx', result === null ? { NotificationEntry: entry } : { NotificationEntry: entry, result });
export const getDeviceObjectPointer = (name: string, fileObject = 'TargetFileObject', device = 'TargetDevice'): Op =>
  call('IoGetDeviceObjectPointer', { ObjectName: name, FileObject: fileObject, DeviceObject: device, result: 'Status' });
export const obDereference = (v = 'TargetFileObject'): Op => call('ObDereferenceObject', { Object: v });
export const allocNonPaged = (result: string, tag = 'Ctx0', bytes = 64): Op => call('ExAllocatePool2', { Flags: ['POOL_FLAG_NON_PAGED'], NumberOfBytes: bytes, Tag: tag, result });
export const allocPaged = (result: string, tag = 'Pgd0'): Op => call('ExAllocatePool2', { Flags: ['POOL_FLAG_PAGED'], NumberOfBytes: 64, Tag: tag, result });
export const freePool = (v: string): Op => call('ExFreePool', { P: v });
export const queueWorkItem = (routine: string, context: string | null, result = 'WorkItem'): Op => call('IoQueueWorkItem', { WorkerRoutine: routine, Context: context, result });
export const waitFor = (v = 'WorkItem'): Op => call('KeWaitForSingleObject', { Object: v });
export const acquire = (lock = 'Lock'): Op => call('KeAcquireSpinLock', { SpinLock: lock });
export const release = (lock = 'Lock'): Op => call('KeReleaseSpinLock', { SpinLock: lock });

/** A CM_NOTIFY_FILTER for a device interface class. */
export const interfaceFilter = (classGuid: string) => ({ FilterType: 'CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE', ClassGuid: classGuid });
/** A CM_NOTIFY_FILTER for a device opened with CreateFile. */
export const handleFilter = (handle: string) => ({ FilterType: 'CM_NOTIFY_FILTER_TYPE_DEVICEHANDLE', hTarget: handle });

/** CM_Register_Notification (seed 002's call shape); `result: null` leaves the CONFIGRET unread. */
export const cmRegister = (
  filter: Record<string, unknown> | null, callback: string | null, notifyContext: string | null,
  opts: { context?: Value; result?: string | null } = {},
): Op => {
  const result = opts.result === undefined ? 'cr' : opts.result;
  return call('CM_Register_Notification', {
    pFilter: filter, pContext: opts.context ?? null, pCallback: callback, pNotifyContext: notifyContext, ...(result === null ? {} : { result }),
  });
};
export const cmUnregister = (notifyContext: string, result: string | null = null): Op =>
  call('CM_Unregister_Notification', result === null ? { NotifyContext: notifyContext } : { NotifyContext: notifyContext, result });
/** CM_Get_Device_Interface_List of the present interfaces of a class, into `buffer`. */
export const cmGetInterfaceList = (classGuid: string, buffer = 'Links'): Op =>
  call('CM_Get_Device_Interface_List', { InterfaceClassGuid: classGuid, ulFlags: 'CM_GET_DEVICE_INTERFACE_LIST_PRESENT', Buffer: buffer, result: 'cr' });
export const createFile = (name: string, result = 'hDevice'): Op => call('CreateFile', { lpFileName: name, result });
export const closeHandle = (handle = 'hDevice'): Op => call('CloseHandle', { hObject: handle });
export const heapAlloc = (result: string): Op => call('HeapAlloc', { result });
export const heapFree = (v: string): Op => call('HeapFree', { lpMem: v });

// ---------------------------------------------------------------- machine

export const TOASTER = 'GUID_DEVINTERFACE_TOASTER';

/** A toaster device whose function driver is `driver`, exposing GUID_DEVINTERFACE_TOASTER. */
export const toasterDevice = (id = 'toaster0', driver = 'toaster', present = true): Required<DeviceSpec> => ({
  id, parent: 'root', stack: [driver], interfaces: [TOASTER], present,
});

// ---------------------------------------------------------------- timeline

type Extra = { concurrent?: boolean; note?: string };
export const load = (driver: string, extra: Extra = {}): TimelineAction => ({ do: 'load', driver, ...extra });
export const unload = (driver: string, extra: Extra = {}): TimelineAction => ({ do: 'unload', driver, ...extra });
export const start = (app: string, extra: Extra = {}): TimelineAction => ({ do: 'start', app, ...extra });
export const exit = (app: string, extra: Extra = {}): TimelineAction => ({ do: 'exit', app, ...extra });
export const runRoutine = (component: string, routine: string, extra: Extra = {}): TimelineAction => ({ do: 'run', component, routine, ...extra });
export const hotAdd = (extra: Extra = {}): TimelineAction => ({ do: 'hotAddProcessor', ...extra });
export const hotAddMemory = (id = 'mem1', sizeMiB = 2048, extra: Extra = {}): TimelineAction => ({ do: 'hotAddMemory', id, sizeMiB, ...extra });
export const plug = (device: string, extra: Extra = {}): TimelineAction => ({ do: 'plug', device, ...extra });
export const eject = (device: string, extra: Extra = {}): TimelineAction => ({ do: 'eject', device, ...extra });
export const surpriseRemove = (device: string, extra: Extra = {}): TimelineAction => ({ do: 'surpriseRemove', device, ...extra });
