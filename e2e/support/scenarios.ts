// Scenarios the playground e2e specs open through a link (scenarioToHash), built here so each
// test says what machine it needs.
import type { Scenario } from '../../src/scenario/types.ts';

const TOASTER = 'GUID_DEVINTERFACE_TOASTER';

/**
 * A toaster, a user-mode monitor (seed 002's shape: CM interface registration, CreateFile, a
 * handle registration; closes the handle on QUERYREMOVE) and a kernel monitor (toastmon's shape:
 * IoRegisterPlugPlayNotification for the class, a file object and a target-device registration).
 */
export const toasterMonitors: Scenario = {
  format: 'pnp-scenario/1',
  title: 'A toaster, watched from user mode and from the kernel',
  machine: {
    processors: 2,
    devices: [{ id: 'toaster0', stack: ['toaster'], interfaces: [TOASTER], present: true }],
  },
  drivers: {
    toaster: {},
    kmon: {
      routines: {
        DriverEntry: [
          {
            call: 'IoRegisterPlugPlayNotification',
            EventCategory: 'EventCategoryDeviceInterfaceChange',
            EventCategoryFlags: ['PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES'],
            EventCategoryData: TOASTER,
            CallbackRoutine: 'InterfaceCallback',
            Context: null,
            NotificationEntry: 'InterfaceEntry',
            result: 'Status',
          },
        ],
        Unload: [{ call: 'IoUnregisterPlugPlayNotificationEx', NotificationEntry: 'InterfaceEntry' }],
        Ping: [{ op: 'note', text: 'kmon: ping' }],
        InterfaceCallback: {
          switch: 'Event',
          cases: {
            GUID_DEVICE_INTERFACE_ARRIVAL: [
              { call: 'IoGetDeviceObjectPointer', ObjectName: '$SymbolicLinkName', FileObject: 'FileObject', DeviceObject: 'TargetDevice', result: 'Status' },
              {
                call: 'IoRegisterPlugPlayNotification',
                EventCategory: 'EventCategoryTargetDeviceChange',
                EventCategoryFlags: [],
                EventCategoryData: 'FileObject',
                CallbackRoutine: 'TargetCallback',
                Context: null,
                NotificationEntry: 'TargetEntry',
                result: 'Status',
              },
            ],
          },
        },
        TargetCallback: {
          switch: 'Event',
          cases: {
            GUID_TARGET_DEVICE_QUERY_REMOVE: [{ call: 'ObDereferenceObject', Object: 'FileObject' }, { op: 'set', var: 'FileObject', value: null }],
            GUID_TARGET_DEVICE_REMOVE_COMPLETE: [
              { call: 'IoUnregisterPlugPlayNotificationEx', NotificationEntry: 'TargetEntry' },
              {
                op: 'if',
                cond: { not: { isNull: 'FileObject' } },
                then: [{ call: 'ObDereferenceObject', Object: 'FileObject' }, { op: 'set', var: 'FileObject', value: null }],
              },
            ],
          },
        },
      },
    },
  },
  apps: {
    monitor: {
      routines: {
        main: [
          {
            call: 'CM_Register_Notification',
            pFilter: { FilterType: 'CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE', ClassGuid: TOASTER },
            pContext: null,
            pCallback: 'OnInterface',
            pNotifyContext: 'hInterfaceNotify',
            result: 'cr',
          },
          { call: 'CM_Get_Device_Interface_List', InterfaceClassGuid: TOASTER, ulFlags: 'CM_GET_DEVICE_INTERFACE_LIST_PRESENT', Buffer: 'Links', result: 'cr' },
          {
            op: 'forEach',
            in: 'Links',
            as: 'Link',
            do: [
              { call: 'CreateFile', lpFileName: 'Link', result: 'hDevice' },
              {
                call: 'CM_Register_Notification',
                pFilter: { FilterType: 'CM_NOTIFY_FILTER_TYPE_DEVICEHANDLE', hTarget: 'hDevice' },
                pContext: null,
                pCallback: 'OnDevice',
                pNotifyContext: 'hDeviceNotify',
                result: 'cr',
              },
            ],
          },
        ],
        OnInterface: [{ op: 'note', text: 'monitor: an interface arrived or left' }],
        Cleanup: [{ call: 'CM_Unregister_Notification', NotifyContext: 'hInterfaceNotify' }],
        OnDevice: {
          switch: 'Action',
          cases: {
            CM_NOTIFY_ACTION_DEVICEQUERYREMOVE: [{ op: 'note', text: 'Close the handle so the device can go.' }, { call: 'CloseHandle', hObject: 'hDevice' }],
          },
        },
      },
    },
  },
  timeline: [
    { do: 'load', driver: 'kmon' },
    { do: 'start', app: 'monitor' },
  ],
};

/** Seed 000 with a driver that forgets to deregister in Unload: the next hot-add is bug check 0xCE (KE-5). */
export function forgetsToDeregister(seed: Scenario): Scenario {
  const s = structuredClone(seed);
  s.title = 'Unload without deregistering';
  s.drivers!.sampledrv.routines!.Unload = [{ op: 'note', text: 'Forgot KeDeregisterProcessorChangeCallback.' }];
  s.timeline = [...(s.timeline ?? []), { do: 'hotAddProcessor' }];
  return s;
}

/** A hot-add racing an unload: choice points where the user picks the thread. */
export function racing(seed: Scenario): Scenario {
  const s = structuredClone(seed);
  s.title = 'Hot-add racing an unload';
  s.timeline = [{ do: 'load', driver: 'sampledrv' }, { do: 'hotAddProcessor' }, { do: 'unload', driver: 'sampledrv', concurrent: true }];
  return s;
}

/** A large machine: 256 processors at boot, memory, and dozens of devices with monitors. */
export function largeMachine(seed: Scenario): Scenario {
  const s = structuredClone(seed);
  s.title = 'A large machine: 256 processors, 24 devices';
  s.machine = {
    processors: 255,
    maxProcessors: 256,
    memory: [
      { id: 'mem0', sizeMiB: 65536 },
      { id: 'mem1', sizeMiB: 65536 },
    ],
    devices: Array.from({ length: 24 }, (_, i) => ({
      id: `toaster${i}`,
      parent: i >= 16 ? `toaster${i - 16}` : 'root',
      stack: ['toaster'],
      interfaces: [TOASTER],
      present: true,
    })),
  };
  s.drivers = { ...s.drivers, toaster: {}, kmon: toasterMonitors.drivers!.kmon };
  s.apps = { monitor: toasterMonitors.apps!.monitor };
  s.timeline = [{ do: 'load', driver: 'sampledrv' }, { do: 'load', driver: 'kmon' }, { do: 'start', app: 'monitor' }, { do: 'hotAddProcessor' }];
  return s;
}
