// Small, self-contained scenarios for the panels' tests: each one drives a flow whose trace the
// panels must explain (KE-1/2/4/5, IO-1/2/10, UN-3, RM-1/2/3/4/5, CM-4/6, CU-1). Plain JSON,
// loaded and run through the real engine (src/engine/testing.ts `run`).
import seed000 from '../../../scenario/demos/seed000-sync.json';
import { dictOf } from '../../../engine/dict.ts';

const TOASTER = 'GUID_DEVINTERFACE_TOASTER';

export const SEED000: unknown = seed000;

const syncDriver = (start: unknown[] = [], unload = true) => ({
  globals: { CallbackStatus: 'STATUS_SUCCESS' },
  routines: {
    DriverEntry: [
      {
        call: 'KeRegisterProcessorChangeCallback', CallbackFunction: 'SyncProcessorCallback',
        CallbackContext: 'CallbackStatus', Flags: ['KE_PROCESSOR_CHANGE_ADD_EXISTING'], result: 'CallbackRegistrationHandle',
      },
      {
        op: 'if', cond: { isNull: 'CallbackRegistrationHandle' },
        then: [{ op: 'if', cond: { not: { eq: ['CallbackStatus', 'STATUS_SUCCESS'] } }, then: [{ op: 'return', value: 'CallbackStatus' }], else: [{ op: 'return', value: 'STATUS_UNSUCCESSFUL' }] }],
      },
    ],
    ...(unload ? { Unload: [{ call: 'KeDeregisterProcessorChangeCallback', CallbackHandle: 'CallbackRegistrationHandle' }] } : {}),
    SyncProcessorCallback: {
      switch: 'State',
      cases: { KeProcessorAddStartNotify: start, KeProcessorAddCompleteNotify: [], KeProcessorAddFailureNotify: [{ op: 'note', text: 'free per-processor data' }] },
    },
  },
});

/** KE-2: the second driver vetoes the hot-add in its Start callback (only for NtNumber 2). */
export const KE_VETO: unknown = {
  format: 'pnp-scenario/1',
  title: 'Veto',
  machine: { processors: 2, maxProcessors: 4 },
  drivers: {
    first: syncDriver(),
    vetoer: syncDriver([{ op: 'if', cond: { eq: ['$NtNumber', 2] }, then: [{ op: 'set', var: '*OperationStatus', value: 'STATUS_INSUFFICIENT_RESOURCES' }] }]),
  },
  timeline: [{ do: 'load', driver: 'first' }, { do: 'load', driver: 'vetoer' }, { do: 'hotAddProcessor' }],
};

/** KE-5: no Unload, so the registration outlives the driver; the next hot-add is bug check 0xCE. */
export const KE_BUGCHECK: unknown = {
  format: 'pnp-scenario/1',
  title: 'Forgot to deregister',
  machine: { processors: 1, maxProcessors: 4 },
  drivers: { leaky: syncDriver([], false) },
  timeline: [{ do: 'load', driver: 'leaky' }, { do: 'unload', driver: 'leaky' }, { do: 'hotAddProcessor' }],
};

/** IO-1 replay (INCLUDE_EXISTING) for the toaster class, then IO-2 arrival by plug, IO-10 for a processor. */
export const IO_ASYNC: unknown = {
  format: 'pnp-scenario/1',
  title: 'Async',
  machine: {
    processors: 1, maxProcessors: 4,
    devices: [
      { id: 'toaster0', stack: ['toaster'], interfaces: [TOASTER] },
      { id: 'toaster1', stack: ['toaster'], interfaces: [TOASTER], present: false },
    ],
  },
  drivers: {
    toaster: { routines: {} },
    watcher: {
      routines: {
        DriverEntry: [
          {
            call: 'IoRegisterPlugPlayNotification', EventCategory: 'EventCategoryDeviceInterfaceChange',
            EventCategoryFlags: ['PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES'], EventCategoryData: TOASTER,
            CallbackRoutine: 'InterfaceCallback', Context: null, NotificationEntry: 'InterfaceEntry', result: 'Status',
          },
          {
            call: 'IoRegisterPlugPlayNotification', EventCategory: 'EventCategoryDeviceInterfaceChange',
            EventCategoryFlags: [], EventCategoryData: 'GUID_DEVICE_PROCESSOR',
            CallbackRoutine: 'ProcessorCallback', Context: null, NotificationEntry: 'ProcessorEntry', result: 'Status',
          },
        ],
        Unload: [
          { call: 'IoUnregisterPlugPlayNotificationEx', NotificationEntry: 'InterfaceEntry' },
          { call: 'IoUnregisterPlugPlayNotification', NotificationEntry: 'ProcessorEntry' },
        ],
        InterfaceCallback: { switch: 'Event', cases: { GUID_DEVICE_INTERFACE_ARRIVAL: [{ op: 'note', text: 'a toaster arrived' }] }, default: [] },
        ProcessorCallback: [{ op: 'note', text: 'a processor arrived' }],
      },
    },
  },
  timeline: [{ do: 'load', driver: 'watcher' }, { do: 'plug', device: 'toaster1' }, { do: 'hotAddProcessor' }, { do: 'unload', driver: 'watcher' }],
};

/** UN-3: the Ex routine from a callback of the INCLUDE_EXISTING replay: deadlock. */
export const UN3_DEADLOCK: unknown = {
  format: 'pnp-scenario/1',
  title: 'UN-3',
  machine: { processors: 1, devices: [{ id: 'toaster0', stack: ['toaster'], interfaces: [TOASTER] }] },
  drivers: {
    toaster: { routines: {} },
    watcher: {
      routines: {
        DriverEntry: [
          {
            call: 'IoRegisterPlugPlayNotification', EventCategory: 'EventCategoryDeviceInterfaceChange',
            EventCategoryFlags: ['PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES'], EventCategoryData: TOASTER,
            CallbackRoutine: 'InterfaceCallback', Context: null, NotificationEntry: 'InterfaceEntry', result: 'Status',
          },
        ],
        InterfaceCallback: [{ call: 'IoUnregisterPlugPlayNotificationEx', NotificationEntry: 'InterfaceEntry' }],
      },
    },
  },
  timeline: [{ do: 'load', driver: 'watcher' }],
};

const cmApp = (onDevice: Record<string, unknown[]>) => ({
  globals: { hInterfaceNotify: null, hDeviceNotify: null, hDevice: null },
  routines: {
    main: [
      {
        call: 'CM_Register_Notification', pFilter: { FilterType: 'CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE', ClassGuid: TOASTER },
        pContext: null, pCallback: 'OnInterface', pNotifyContext: 'hInterfaceNotify', result: 'cr',
      },
      { call: 'CM_Get_Device_Interface_List', InterfaceClassGuid: TOASTER, ulFlags: 'CM_GET_DEVICE_INTERFACE_LIST_PRESENT', Buffer: 'Links', result: 'cr' },
      {
        op: 'forEach', in: 'Links', as: 'Link', do: [
          { call: 'CreateFile', lpFileName: 'Link', result: 'hDevice' },
          {
            call: 'CM_Register_Notification', pFilter: { FilterType: 'CM_NOTIFY_FILTER_TYPE_DEVICEHANDLE', hTarget: 'hDevice' },
            pContext: null, pCallback: 'OnDevice', pNotifyContext: 'hDeviceNotify', result: 'cr',
          },
        ],
      },
    ],
    OnInterface: { switch: 'Action', cases: { CM_NOTIFY_ACTION_DEVICEINTERFACEARRIVAL: [{ op: 'note', text: 'arrival' }] } },
    OnDevice: { switch: 'Action', cases: onDevice },
    Cleanup: [{ call: 'CM_Unregister_Notification', NotifyContext: 'hInterfaceNotify' }],
  },
});

const closeOnQuery = {
  CM_NOTIFY_ACTION_DEVICEQUERYREMOVE: [
    { op: 'note', text: 'Close the handle so the device can be removed.' },
    { call: 'CloseHandle', hObject: 'hDevice' },
  ],
};

/** RM-1: an orderly eject that succeeds (the app closes its handle on QUERYREMOVE). */
export const CM_REMOVAL: unknown = {
  format: 'pnp-scenario/1',
  title: 'Removal',
  machine: { processors: 1, devices: [{ id: 'toaster0', stack: ['toaster'], interfaces: [TOASTER] }] },
  drivers: { toaster: { routines: {} } },
  apps: { monitor: cmApp(closeOnQuery) },
  timeline: [{ do: 'start', app: 'monitor' }, { do: 'eject', device: 'toaster0' }],
};

/** CU-1 (a custom event reported by the driver), then RM-5 (surprise removal). */
export const CM_SURPRISE: unknown = {
  format: 'pnp-scenario/1',
  title: 'Custom event and surprise removal',
  machine: { processors: 1, devices: [{ id: 'toaster0', stack: ['toaster'], interfaces: [TOASTER] }] },
  drivers: {
    toaster: {
      routines: {
        Report: [{
          call: 'IoReportTargetDeviceChangeAsynchronous', PhysicalDeviceObject: 'toaster0',
          NotificationStructure: { Event: 'GUID_TOASTER_CUSTOM', FileObject: null, NameBufferOffset: -1, CustomData: 'hi', Pool: 'NonPaged' },
          Callback: 'ReportDone', Context: null, result: 'Status',
        }],
        ReportDone: [],
      },
    },
  },
  apps: { monitor: cmApp(closeOnQuery) },
  timeline: [
    { do: 'start', app: 'monitor' },
    { do: 'run', component: 'toaster', routine: 'Report' },
    { do: 'surpriseRemove', device: 'toaster0' },
  ],
};

/** RM-2: the app vetoes the query-remove with ERROR_CANCELLED. */
export const CM_VETO: unknown = {
  format: 'pnp-scenario/1',
  title: 'Veto by app',
  machine: { processors: 1, devices: [{ id: 'toaster0', stack: ['toaster'], interfaces: [TOASTER] }] },
  drivers: { toaster: { routines: {} } },
  apps: { monitor: cmApp({ CM_NOTIFY_ACTION_DEVICEQUERYREMOVE: [{ op: 'return', value: 'ERROR_CANCELLED' }] }) },
  timeline: [{ do: 'start', app: 'monitor' }, { do: 'eject', device: 'toaster0' }],
};

/** RM-4: the app keeps its handle open; the query-remove fails on the open handle. */
export const CM_OPEN_HANDLE: unknown = {
  format: 'pnp-scenario/1',
  title: 'Open handle',
  machine: { processors: 1, devices: [{ id: 'toaster0', stack: ['toaster'], interfaces: [TOASTER] }] },
  drivers: { toaster: { routines: {} } },
  apps: { monitor: cmApp({ CM_NOTIFY_ACTION_DEVICEQUERYREMOVE: [{ op: 'note', text: 'keeps its handle open' }] }) },
  timeline: [{ do: 'start', app: 'monitor' }, { do: 'eject', device: 'toaster0' }],
};

/** RM-3: a kernel target-device callback vetoes QUERY_REMOVE. */
export const KM_VETO: unknown = {
  format: 'pnp-scenario/1',
  title: 'Veto by driver',
  machine: { processors: 1, devices: [{ id: 'toaster0', stack: ['toaster'], interfaces: [TOASTER] }] },
  drivers: {
    toaster: { routines: {} },
    mon: {
      routines: {
        DriverEntry: [
          {
            call: 'IoRegisterPlugPlayNotification', EventCategory: 'EventCategoryDeviceInterfaceChange',
            EventCategoryFlags: ['PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES'], EventCategoryData: TOASTER,
            CallbackRoutine: 'InterfaceCallback', Context: null, NotificationEntry: 'InterfaceEntry', result: 'Status',
          },
        ],
        InterfaceCallback: {
          switch: 'Event', cases: {
            GUID_DEVICE_INTERFACE_ARRIVAL: [
              { call: 'IoGetDeviceObjectPointer', ObjectName: '$SymbolicLinkName', FileObject: 'FileObject', DeviceObject: 'TargetDevice', result: 'Status' },
              {
                call: 'IoRegisterPlugPlayNotification', EventCategory: 'EventCategoryTargetDeviceChange', EventCategoryFlags: [],
                EventCategoryData: 'FileObject', CallbackRoutine: 'TargetCallback', Context: null, NotificationEntry: 'TargetEntry', result: 'Status',
              },
            ],
          },
        },
        TargetCallback: {
          switch: 'Event', cases: {
            GUID_TARGET_DEVICE_QUERY_REMOVE: [{ op: 'return', value: 'STATUS_UNSUCCESSFUL' }],
          },
          default: [],
        },
      },
    },
  },
  timeline: [{ do: 'load', driver: 'mon' }, { do: 'eject', device: 'toaster0' }],
};

/** CM-6: CM_Unregister_Notification of the handle registration inside its own callback: deadlock. */
export const CM6_DEADLOCK: unknown = {
  format: 'pnp-scenario/1',
  title: 'CM-6',
  machine: { processors: 1, devices: [{ id: 'toaster0', stack: ['toaster'], interfaces: [TOASTER] }] },
  drivers: { toaster: { routines: {} } },
  apps: { monitor: cmApp({ CM_NOTIFY_ACTION_DEVICEQUERYREMOVE: [{ call: 'CM_Unregister_Notification', NotifyContext: '$hNotify' }] }) },
  timeline: [{ do: 'start', app: 'monitor' }, { do: 'eject', device: 'toaster0' }],
};

/** Two concurrent actions: a choice point between the threads. */
export const CONCURRENT: unknown = {
  format: 'pnp-scenario/1',
  title: 'Concurrent',
  machine: { processors: 1, maxProcessors: 4 },
  drivers: { a: syncDriver(), b: syncDriver() },
  timeline: [{ do: 'load', driver: 'a' }, { do: 'load', driver: 'b', concurrent: true }, { do: 'hotAddProcessor' }],
};

export const ALL: Readonly<Record<string, unknown>> = dictOf({
  SEED000, KE_VETO, KE_BUGCHECK, IO_ASYNC, UN3_DEADLOCK, CM_REMOVAL, CM_SURPRISE, CM_VETO, CM_OPEN_HANDLE, KM_VETO, CM6_DEADLOCK, CONCURRENT,
});
