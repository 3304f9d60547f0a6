// The API surface a scenario can call: the documented names, the documented parameter names,
// what kind of thing each parameter is, who may call it and at which IRQL (IRQL-1).
// Shared by validation (src/scenario) and the interpreter (src/engine): one table, no copies.

export type Irql = 0 | 1 | 2; // PASSIVE_LEVEL, APC_LEVEL, DISPATCH_LEVEL
export const IRQL_NAMES = ['PASSIVE_LEVEL', 'APC_LEVEL', 'DISPATCH_LEVEL'] as const;
export type IrqlName = (typeof IRQL_NAMES)[number];

/**
 * - value:    a Value (constant, `$Arg`, variable or number) evaluated at run time
 * - out:      a variable name the call writes (declares the variable)
 * - outOrNull: like out, but NULL is allowed (CM-1 shows the NULL case)
 * - lockVar:  a variable name used as the identity of a lock (declares it)
 * - routine:  a routine of the calling component
 * - device:   a device id of the machine
 * - flags:    a constant or an array of constants
 * - number:   a JSON number
 * - literal:  literal text (or, for CustomData, an array of byte values)
 * - filter:   a CM_NOTIFY_FILTER object
 * - notification: a TARGET_DEVICE_CUSTOM_NOTIFICATION object
 * - instanceId: a device instance id written out (`ACPI\\ACPI0007\\1`: it has backslashes, so it is
 *               never a variable name), or a value as for `value`
 */
export type ParamKind =
  | 'value'
  | 'out'
  | 'outOrNull'
  | 'lockVar'
  | 'routine'
  | 'device'
  | 'flags'
  | 'number'
  | 'literal'
  | 'filter'
  | 'notification'
  | 'instanceId';

export interface ParamSpec {
  kind: ParamKind;
  required?: boolean;
}

export interface ApiSpec {
  mode: 'kernel' | 'user';
  /** Maximum IRQL (kernel only, IRQL-1). */
  maxIrql?: Irql;
  params: Record<string, ParamSpec>;
  /** Does the call return something a `result` variable can receive? */
  returns: 'status' | 'handle' | 'configret' | 'void' | 'bool' | 'pointer';
}

const req = (kind: ParamKind): ParamSpec => ({ kind, required: true });
const opt = (kind: ParamKind): ParamSpec => ({ kind });

export const APIS = {
  // ---- kernel: synchronous processor notification (seed 000)
  KeRegisterProcessorChangeCallback: {
    mode: 'kernel', maxIrql: 0, returns: 'handle',
    params: { CallbackFunction: req('routine'), CallbackContext: opt('value'), Flags: opt('flags') },
  },
  KeDeregisterProcessorChangeCallback: {
    mode: 'kernel', maxIrql: 0, returns: 'void', params: { CallbackHandle: req('value') },
  },
  // ---- kernel: PnP notification (seeds 001, 003)
  IoRegisterPlugPlayNotification: {
    mode: 'kernel', maxIrql: 0, returns: 'status',
    params: {
      EventCategory: req('value'), EventCategoryFlags: opt('flags'), EventCategoryData: opt('value'),
      CallbackRoutine: req('routine'), Context: opt('value'), NotificationEntry: req('out'),
    },
  },
  IoUnregisterPlugPlayNotification: {
    mode: 'kernel', maxIrql: 0, returns: 'status', params: { NotificationEntry: req('value') },
  },
  IoUnregisterPlugPlayNotificationEx: {
    mode: 'kernel', maxIrql: 0, returns: 'status', params: { NotificationEntry: req('value') },
  },
  // ---- kernel: a driver's own device interfaces (IO-11)
  IoRegisterDeviceInterface: {
    mode: 'kernel', maxIrql: 0, returns: 'status',
    params: { PhysicalDeviceObject: req('device'), InterfaceClassGuid: req('value'), ReferenceString: opt('value'), SymbolicLinkName: req('out') },
  },
  IoSetDeviceInterfaceState: {
    mode: 'kernel', maxIrql: 0, returns: 'status', params: { SymbolicLinkName: req('value'), Enable: req('value') },
  },
  // ---- kernel: removal started by a driver (RM-10, RM-11)
  IoRequestDeviceEject: { mode: 'kernel', maxIrql: 2, returns: 'void', params: { PhysicalDeviceObject: req('device') } },
  IoInvalidateDeviceState: { mode: 'kernel', maxIrql: 2, returns: 'void', params: { PhysicalDeviceObject: req('device') } },
  IoGetDeviceObjectPointer: {
    mode: 'kernel', maxIrql: 0, returns: 'status',
    params: { ObjectName: req('value'), DesiredAccess: opt('value'), FileObject: opt('out'), DeviceObject: opt('out') },
  },
  ObDereferenceObject: { mode: 'kernel', maxIrql: 0, returns: 'void', params: { Object: req('value') } },
  // ---- kernel: custom events (seed 004)
  IoReportTargetDeviceChangeAsynchronous: {
    mode: 'kernel', maxIrql: 2, returns: 'status',
    params: {
      PhysicalDeviceObject: req('device'), NotificationStructure: req('notification'),
      Callback: opt('routine'), Context: opt('value'),
    },
  },
  IoReportTargetDeviceChange: {
    mode: 'kernel', maxIrql: 0, returns: 'status',
    params: { PhysicalDeviceObject: req('device'), NotificationStructure: req('notification') },
  },
  // ---- kernel: memory, work items, waits, IRQL
  ExAllocatePool2: {
    mode: 'kernel', maxIrql: 2, returns: 'pointer',
    params: { Flags: req('flags'), NumberOfBytes: opt('number'), Tag: opt('literal') },
  },
  ExFreePool: { mode: 'kernel', maxIrql: 2, returns: 'void', params: { P: req('value') } },
  IoQueueWorkItem: {
    mode: 'kernel', maxIrql: 2, returns: 'handle', params: { WorkerRoutine: req('routine'), Context: opt('value') },
  },
  KeWaitForSingleObject: { mode: 'kernel', maxIrql: 1, returns: 'status', params: { Object: req('value') } },
  KeAcquireSpinLock: { mode: 'kernel', maxIrql: 2, returns: 'void', params: { SpinLock: req('lockVar') } },
  KeReleaseSpinLock: { mode: 'kernel', maxIrql: 2, returns: 'void', params: { SpinLock: req('lockVar') } },
  KeRaiseIrql: { mode: 'kernel', maxIrql: 2, returns: 'void', params: { NewIrql: req('value') } },
  KeLowerIrql: { mode: 'kernel', maxIrql: 2, returns: 'void', params: { NewIrql: req('value') } },
  // ---- user mode (seed 002)
  CM_Register_Notification: {
    mode: 'user', returns: 'configret',
    params: { pFilter: req('filter'), pContext: opt('value'), pCallback: req('routine'), pNotifyContext: req('outOrNull') },
  },
  CM_Unregister_Notification: { mode: 'user', returns: 'configret', params: { NotifyContext: req('value') } },
  CM_Get_Device_Interface_List: {
    mode: 'user', returns: 'configret',
    params: { InterfaceClassGuid: req('value'), pDeviceID: opt('instanceId'), ulFlags: opt('flags'), Buffer: req('out'), BufferLen: opt('value') },
  },
  CM_Get_Device_Interface_List_Size: {
    mode: 'user', returns: 'configret',
    params: { InterfaceClassGuid: req('value'), pDeviceID: opt('instanceId'), ulFlags: opt('flags'), pulLen: req('out') },
  },
  // A device instance handle (DEVINST) is written as the device's instance id or its id (RM-9).
  CM_Request_Device_Eject: {
    mode: 'user', returns: 'configret',
    params: { dnDevInst: req('instanceId'), pVetoType: opt('outOrNull'), pszVetoName: opt('outOrNull'), ulNameLength: opt('number'), ulFlags: opt('flags') },
  },
  CreateFile: { mode: 'user', returns: 'handle', params: { lpFileName: req('value') } },
  CloseHandle: { mode: 'user', returns: 'bool', params: { hObject: req('value') } },
  SubmitThreadpoolWork: { mode: 'user', returns: 'handle', params: { Callback: req('routine'), Context: opt('value') } },
  QueueUserWorkItem: { mode: 'user', returns: 'bool', params: { Function: req('routine'), Context: opt('value') } },
  WaitForThreadpoolWorkCallbacks: { mode: 'user', returns: 'void', params: { pwk: req('value') } },
  HeapAlloc: { mode: 'user', returns: 'pointer', params: { dwBytes: opt('number') } },
  HeapFree: { mode: 'user', returns: 'bool', params: { lpMem: req('value') } },
} as const satisfies Record<string, ApiSpec>;

export type ApiName = keyof typeof APIS;

export const isApiName = (name: string): name is ApiName => Object.prototype.hasOwnProperty.call(APIS, name);

/** Fields of a CM_NOTIFY_FILTER in a scenario. */
export const FILTER_FIELDS = {
  FilterType: 'value', ClassGuid: 'value', hTarget: 'value', InstanceId: 'instanceId',
  Flags: 'flags', cbSize: 'number', Reserved: 'number',
} as const;

/** Fields of a TARGET_DEVICE_CUSTOM_NOTIFICATION in a scenario. `Pool` says where the caller put it. */
export const NOTIFICATION_FIELDS = {
  Event: 'value', FileObject: 'value', NameBufferOffset: 'number', CustomData: 'literal',
  Pool: 'literal', Size: 'number', Version: 'number',
} as const;

/**
 * `$Name` arguments a routine may read. The format lists the documented ones; the others are the
 * remaining documented field names of the same structures (added in v1, which the format allows).
 */
export const ARG_NAMES = [
  'CallbackContext', 'Context', 'State', 'NtNumber', 'ProcNumber', 'Status', 'Event', 'InterfaceClassGuid',
  'SymbolicLinkName', 'FileObject', 'hNotify', 'Action', 'FilterType', 'SymbolicLink', 'EventGuid', 'Data',
  'NameOffset', 'DeviceObject', 'InstanceId',
  // Fields of a structure argument, read as `$Struct.Field` (the processor's group and number within it).
  'ProcNumber.Group', 'ProcNumber.Number',
] as const;
export type ArgName = (typeof ARG_NAMES)[number];

/** Routine names that are IRP handlers. */
export const IRP_MINORS = [
  'IRP_MN_QUERY_REMOVE_DEVICE', 'IRP_MN_REMOVE_DEVICE', 'IRP_MN_SURPRISE_REMOVAL', 'IRP_MN_CANCEL_REMOVE_DEVICE',
  'IRP_MN_QUERY_PNP_DEVICE_STATE', 'IRP_MN_EJECT',
] as const;
export type IrpMinor = (typeof IRP_MINORS)[number];
