// Small, self-contained scenarios for the panels' tests: each one drives a flow whose trace the
// panels must explain (KE-1/2/4/5, IO-1/2/10, UN-3, RM-1/2/3/4/5, CM-4/6, CU-1). Built with the
// scenario builder, loaded and run through the real engine (src/engine/testing.ts `run`).
import {
  call, closeHandle, cmGetInterfaceList, cmRegister, cmUnregister, createFile, eject, forEach, getDeviceObjectPointer, handleFilter, hotAdd,
  ifThen, interfaceFilter, ioRegister, ioRegisterTarget, ioUnregister, ioUnregisterEx, keDeregister, keRegister, load, note, plug, ret,
  runRoutine, scenario, start, surpriseRemove, sw, TOASTER, unload, veto, type Ops, type Routines,
} from '../../../scenario/builder.ts';
import seed000 from '../../../scenario/demos/seed000-sync.json';
import type { DeviceSpec, TimelineAction } from '../../../scenario/types.ts';
import { dictOf } from '../../../engine/dict.ts';

export const SEED000: unknown = seed000;

const syncDriver = (start: Ops = [], withUnload = true) => ({
  globals: { CallbackStatus: 'STATUS_SUCCESS' },
  routines: {
    DriverEntry: [
      keRegister('SyncProcessorCallback', 'CallbackStatus', true),
      ifThen({ isNull: 'CallbackRegistrationHandle' }, [ifThen({ not: { eq: ['CallbackStatus', 'STATUS_SUCCESS'] } }, [ret('CallbackStatus')], [ret('STATUS_UNSUCCESSFUL')])]),
    ],
    ...(withUnload ? { Unload: [keDeregister()] } : {}),
    SyncProcessorCallback: sw('State', { KeProcessorAddStartNotify: start, KeProcessorAddCompleteNotify: [], KeProcessorAddFailureNotify: [note('free per-processor data')] }),
  },
});

/** A toaster device of the `toaster` driver (present unless said otherwise). */
const toaster = (id: string, present?: boolean): DeviceSpec => ({ id, stack: ['toaster'], interfaces: [TOASTER], ...(present === undefined ? {} : { present }) });
const ONE_TOASTER = { processors: 1, devices: [toaster('toaster0')] };

/** KE-2: the second driver vetoes the hot-add in its Start callback (only for NtNumber 2). */
export const KE_VETO: unknown = scenario({
  title: 'Veto',
  machine: { processors: 2, maxProcessors: 4 },
  drivers: { first: syncDriver(), vetoer: syncDriver([ifThen({ eq: ['$NtNumber', 2] }, [veto()])]) },
  timeline: [load('first'), load('vetoer'), hotAdd()],
});

/** KE-5: no Unload, so the registration outlives the driver; the next hot-add is bug check 0xCE. */
export const KE_BUGCHECK: unknown = scenario({
  title: 'Forgot to deregister',
  machine: { processors: 1, maxProcessors: 4 },
  drivers: { leaky: syncDriver([], false) },
  timeline: [load('leaky'), unload('leaky'), hotAdd()],
});

/** IO-1 replay (INCLUDE_EXISTING) for the toaster class, then IO-2 arrival by plug, IO-10 for a processor. */
export const IO_ASYNC: unknown = scenario({
  title: 'Async',
  machine: { processors: 1, maxProcessors: 4, devices: [toaster('toaster0'), toaster('toaster1', false)] },
  drivers: {
    toaster: { routines: {} },
    watcher: {
      routines: {
        DriverEntry: [
          ioRegister(TOASTER, 'InterfaceCallback', 'InterfaceEntry', { includeExisting: true }),
          ioRegister('GUID_DEVICE_PROCESSOR', 'ProcessorCallback', 'ProcessorEntry'),
        ],
        Unload: [ioUnregisterEx('InterfaceEntry', null), ioUnregister('ProcessorEntry', null)],
        InterfaceCallback: sw('Event', { GUID_DEVICE_INTERFACE_ARRIVAL: [note('a toaster arrived')] }, []),
        ProcessorCallback: [note('a processor arrived')],
      },
    },
  },
  timeline: [load('watcher'), plug('toaster1'), hotAdd(), unload('watcher')],
});

/** One toaster and a kernel driver `id` registered for its interface with INCLUDE_EXISTING (IO-1). */
const kernelMonitor = (title: string, id: string, routines: Routines, timeline: TimelineAction[]) =>
  scenario({
    title,
    machine: ONE_TOASTER,
    drivers: {
      toaster: { routines: {} },
      [id]: { routines: { DriverEntry: [ioRegister(TOASTER, 'InterfaceCallback', 'InterfaceEntry', { includeExisting: true })], ...routines } },
    },
    timeline,
  });

/** UN-3: the Ex routine from a callback of the INCLUDE_EXISTING replay: deadlock. */
export const UN3_DEADLOCK: unknown = kernelMonitor('UN-3', 'watcher', { InterfaceCallback: [ioUnregisterEx('InterfaceEntry', null)] }, [load('watcher')]);

const cmApp = (onDevice: Record<string, Ops>) => ({
  globals: { hInterfaceNotify: null, hDeviceNotify: null, hDevice: null },
  routines: {
    main: [
      cmRegister(interfaceFilter(TOASTER), 'OnInterface', 'hInterfaceNotify'),
      cmGetInterfaceList(TOASTER),
      forEach('Links', 'Link', [createFile('Link'), cmRegister(handleFilter('hDevice'), 'OnDevice', 'hDeviceNotify')]),
    ],
    OnInterface: sw('Action', { CM_NOTIFY_ACTION_DEVICEINTERFACEARRIVAL: [note('arrival')] }),
    OnDevice: sw('Action', onDevice),
    Cleanup: [cmUnregister('hInterfaceNotify')],
  },
});

const closeOnQuery = { CM_NOTIFY_ACTION_DEVICEQUERYREMOVE: [note('Close the handle so the device can be removed.'), closeHandle()] };

/** A scenario with the monitor app of `cmApp` and one toaster, ejected. */
const cmEject = (title: string, onDevice: Record<string, Ops>) =>
  scenario({ title, machine: ONE_TOASTER, drivers: { toaster: { routines: {} } }, apps: { monitor: cmApp(onDevice) }, timeline: [start('monitor'), eject('toaster0')] });

/** RM-1: an orderly eject that succeeds (the app closes its handle on QUERYREMOVE). */
export const CM_REMOVAL: unknown = cmEject('Removal', closeOnQuery);

/** CU-1 (a custom event reported by the driver), then RM-5 (surprise removal). */
export const CM_SURPRISE: unknown = scenario({
  title: 'Custom event and surprise removal',
  machine: ONE_TOASTER,
  drivers: {
    toaster: {
      routines: {
        Report: [
          call('IoReportTargetDeviceChangeAsynchronous', {
            PhysicalDeviceObject: 'toaster0',
            NotificationStructure: { Event: 'GUID_TOASTER_CUSTOM', FileObject: null, NameBufferOffset: -1, CustomData: 'hi', Pool: 'NonPaged' },
            Callback: 'ReportDone', Context: null, result: 'Status',
          }),
        ],
        ReportDone: [],
      },
    },
  },
  apps: { monitor: cmApp(closeOnQuery) },
  timeline: [start('monitor'), runRoutine('toaster', 'Report'), surpriseRemove('toaster0')],
});

/** RM-2: the app vetoes the query-remove with ERROR_CANCELLED. */
export const CM_VETO: unknown = cmEject('Veto by app', { CM_NOTIFY_ACTION_DEVICEQUERYREMOVE: [ret('ERROR_CANCELLED')] });

/** RM-4: the app keeps its handle open; the query-remove fails on the open handle. */
export const CM_OPEN_HANDLE: unknown = cmEject('Open handle', { CM_NOTIFY_ACTION_DEVICEQUERYREMOVE: [note('keeps its handle open')] });

/** RM-3: a kernel target-device callback vetoes QUERY_REMOVE. */
export const KM_VETO: unknown = kernelMonitor(
  'Veto by driver',
  'mon',
  {
    InterfaceCallback: sw('Event', {
      GUID_DEVICE_INTERFACE_ARRIVAL: [getDeviceObjectPointer('$SymbolicLinkName', 'FileObject'), ioRegisterTarget('FileObject', 'TargetCallback', 'TargetEntry')],
    }),
    TargetCallback: sw('Event', { GUID_TARGET_DEVICE_QUERY_REMOVE: [ret('STATUS_UNSUCCESSFUL')] }, []),
  },
  [load('mon'), eject('toaster0')],
);

/** CM-6: CM_Unregister_Notification of the handle registration inside its own callback: deadlock. */
export const CM6_DEADLOCK: unknown = cmEject('CM-6', { CM_NOTIFY_ACTION_DEVICEQUERYREMOVE: [cmUnregister('$hNotify')] });

/** Two concurrent actions: a choice point between the threads. */
export const CONCURRENT: unknown = scenario({
  title: 'Concurrent',
  machine: { processors: 1, maxProcessors: 4 },
  drivers: { a: syncDriver(), b: syncDriver() },
  timeline: [load('a'), load('b', { concurrent: true }), hotAdd()],
});

export const ALL: Readonly<Record<string, unknown>> = dictOf({
  SEED000, KE_VETO, KE_BUGCHECK, IO_ASYNC, UN3_DEADLOCK, CM_REMOVAL, CM_SURPRISE, CM_VETO, CM_OPEN_HANDLE, KM_VETO, CM6_DEADLOCK, CONCURRENT,
});
