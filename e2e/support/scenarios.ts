// Scenarios the playground e2e specs open through a link (scenarioToHash), built here so each
// test says what machine it needs.
import {
  closeHandle, cmGetInterfaceList, cmRegister, cmUnregister, createFile, forEach, getDeviceObjectPointer, handleFilter, ifThen, interfaceFilter,
  ioRegister, ioRegisterTarget, ioUnregisterEx, load, note, obDereference, scenario, set, start, sw, TOASTER,
} from '../../src/scenario/builder.ts';
import type { Scenario } from '../../src/scenario/types.ts';

/**
 * A toaster, a user-mode monitor (seed 002's shape: CM interface registration, CreateFile, a
 * handle registration; closes the handle on QUERYREMOVE) and a kernel monitor (toastmon's shape:
 * IoRegisterPlugPlayNotification for the class, a file object and a target-device registration).
 */
export const toasterMonitors: Scenario = scenario({
  title: 'A toaster, watched from user mode and from the kernel',
  machine: { processors: 2, devices: [{ id: 'toaster0', stack: ['toaster'], interfaces: [TOASTER], present: true }] },
  drivers: {
    toaster: {},
    kmon: {
      routines: {
        DriverEntry: [ioRegister(TOASTER, 'InterfaceCallback', 'InterfaceEntry', { includeExisting: true })],
        Unload: [ioUnregisterEx('InterfaceEntry', null)],
        Ping: [note('kmon: ping')],
        InterfaceCallback: sw('Event', {
          GUID_DEVICE_INTERFACE_ARRIVAL: [getDeviceObjectPointer('$SymbolicLinkName', 'FileObject'), ioRegisterTarget('FileObject', 'TargetCallback', 'TargetEntry')],
        }),
        TargetCallback: sw('Event', {
          GUID_TARGET_DEVICE_QUERY_REMOVE: [obDereference('FileObject'), set('FileObject', null)],
          GUID_TARGET_DEVICE_REMOVE_COMPLETE: [
            ioUnregisterEx('TargetEntry', null),
            ifThen({ not: { isNull: 'FileObject' } }, [obDereference('FileObject'), set('FileObject', null)]),
          ],
        }),
      },
    },
  },
  apps: {
    monitor: {
      routines: {
        main: [
          cmRegister(interfaceFilter(TOASTER), 'OnInterface', 'hInterfaceNotify'),
          cmGetInterfaceList(TOASTER),
          forEach('Links', 'Link', [createFile('Link'), cmRegister(handleFilter('hDevice'), 'OnDevice', 'hDeviceNotify')]),
        ],
        OnInterface: [note('monitor: an interface arrived or left')],
        Cleanup: [cmUnregister('hInterfaceNotify')],
        OnDevice: sw('Action', { CM_NOTIFY_ACTION_DEVICEQUERYREMOVE: [note('Close the handle so the device can go.'), closeHandle()] }),
      },
    },
  },
  timeline: [load('kmon'), start('monitor')],
});

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
