// Shared scenario builders for the conformance corpus, the determinism, property and snapshot
// tests. The drivers follow the seed documents' own code shapes: seed 000's DriverEntry / Unload /
// SyncProcessorCallback, seed 001's two IoRegisterPlugPlayNotification calls, seed 003's
// IoUnregisterPlugPlayNotificationEx discipline.
import type { Op, RoutineBody, Scenario, TimelineAction } from '../../scenario/types.ts';
import { run, type Run } from '../testing.ts';

export type Ops = Op[];
type Routines = Record<string, RoutineBody>;
type Globals = Record<string, string | number | boolean | null>;
export interface Component {
  globals?: Globals;
  routines: Routines;
}

/** The scenario envelope; everything but `format` optional. */
export function scenario(parts: Omit<Scenario, 'format'> = {}): Scenario {
  return { format: 'pnp-scenario/1', ...parts };
}

// ---------------------------------------------------------------- ops

export const note = (text: string): Op => ({ op: 'note', text });
export const ret = (value: string | null = 'STATUS_SUCCESS'): Op => ({ op: 'return', value });
export const set = (v: string, value: string | number | boolean | null): Op => ({ op: 'set', var: v, value });
export const veto = (status = 'STATUS_INSUFFICIENT_RESOURCES'): Op => ({ op: 'set', var: '*OperationStatus', value: status });
export const ifNull = (v: string, then: Ops, otherwise: Ops = []): Op => ({ op: 'if', cond: { isNull: v }, then, else: otherwise });

export const keRegister = (callback: string, context: string | null, addExisting: boolean, result = 'CallbackRegistrationHandle'): Op => ({
  call: 'KeRegisterProcessorChangeCallback', CallbackFunction: callback, CallbackContext: context,
  Flags: addExisting ? ['KE_PROCESSOR_CHANGE_ADD_EXISTING'] : [], result,
});
export const keDeregister = (handle = 'CallbackRegistrationHandle'): Op => ({ call: 'KeDeregisterProcessorChangeCallback', CallbackHandle: handle });

/** IoRegisterPlugPlayNotification for a device interface class (seed 001's call shape). */
export const ioRegister = (
  guid: string, callback: string, entry: string,
  opts: { includeExisting?: boolean; context?: string | null; result?: string } = {},
): Op => ({
  call: 'IoRegisterPlugPlayNotification', EventCategory: 'EventCategoryDeviceInterfaceChange',
  EventCategoryFlags: opts.includeExisting ? ['PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES'] : [],
  EventCategoryData: guid, CallbackRoutine: callback, Context: opts.context ?? null,
  NotificationEntry: entry, result: opts.result ?? 'Status',
});
/** IoRegisterPlugPlayNotification on a target device, by file object (IO-8). */
export const ioRegisterTarget = (fileObject: string, callback: string, entry: string, context: string | null = null): Op => ({
  call: 'IoRegisterPlugPlayNotification', EventCategory: 'EventCategoryTargetDeviceChange', EventCategoryFlags: [],
  EventCategoryData: fileObject, CallbackRoutine: callback, Context: context, NotificationEntry: entry, result: 'Status',
});
export const ioUnregister = (entry: string): Op => ({ call: 'IoUnregisterPlugPlayNotification', NotificationEntry: entry, result: 'Status' });
export const ioUnregisterEx = (entry: string): Op => ({ call: 'IoUnregisterPlugPlayNotificationEx', NotificationEntry: entry, result: 'Status' });
export const getDeviceObjectPointer = (name: string, fileObject = 'TargetFileObject', device = 'TargetDevice'): Op => ({
  call: 'IoGetDeviceObjectPointer', ObjectName: name, FileObject: fileObject, DeviceObject: device, result: 'Status',
});
export const obDereference = (v = 'TargetFileObject'): Op => ({ call: 'ObDereferenceObject', Object: v });
export const allocNonPaged = (result: string, tag = 'Ctx0'): Op => ({ call: 'ExAllocatePool2', Flags: ['POOL_FLAG_NON_PAGED'], NumberOfBytes: 64, Tag: tag, result });
export const allocPaged = (result: string, tag = 'Pgd0'): Op => ({ call: 'ExAllocatePool2', Flags: ['POOL_FLAG_PAGED'], NumberOfBytes: 64, Tag: tag, result });
export const freePool = (v: string): Op => ({ call: 'ExFreePool', P: v });
export const queueWorkItem = (routine: string, context: string | null, result = 'WorkItem'): Op => ({ call: 'IoQueueWorkItem', WorkerRoutine: routine, Context: context, result });
export const waitFor = (v = 'WorkItem'): Op => ({ call: 'KeWaitForSingleObject', Object: v });
export const acquire = (lock = 'Lock'): Op => ({ call: 'KeAcquireSpinLock', SpinLock: lock });
export const release = (lock = 'Lock'): Op => ({ call: 'KeReleaseSpinLock', SpinLock: lock });

// ---------------------------------------------------------------- seed 000

/** Seed 000's sync driver: DriverEntry registers (ADD_EXISTING by default) and carries the callback's error in CallbackStatus. */
export function seed000Driver(
  opts: { start?: Ops; complete?: Ops; failure?: Ops; addExisting?: boolean; unload?: boolean; callback?: string; extraEntry?: Ops; extraRoutines?: Routines } = {},
): Component {
  const callback = opts.callback ?? 'SyncProcessorCallback';
  return {
    globals: { CallbackStatus: 'STATUS_SUCCESS' },
    routines: {
      DriverEntry: [
        keRegister(callback, 'CallbackStatus', opts.addExisting ?? true),
        ifNull('CallbackRegistrationHandle', [
          { op: 'if', cond: { not: { eq: ['CallbackStatus', 'STATUS_SUCCESS'] } }, then: [ret('CallbackStatus')], else: [ret('STATUS_UNSUCCESSFUL')] },
        ]),
        ...(opts.extraEntry ?? []),
      ],
      ...(opts.unload === false ? {} : { Unload: [keDeregister()] }),
      [callback]: {
        switch: 'State',
        cases: {
          KeProcessorAddStartNotify: opts.start ?? [],
          KeProcessorAddCompleteNotify: opts.complete ?? [],
          KeProcessorAddFailureNotify: opts.failure ?? [],
        },
      },
      ...(opts.extraRoutines ?? {}),
    },
  };
}

// ---------------------------------------------------------------- seed 001

/**
 * Seed 001's async driver: registers AsyncProcessorCallback for GUID_DEVICE_PROCESSOR and
 * AsyncMemoryCallback for GUID_DEVICE_MEMORY in DriverEntry, unregisters both in Unload
 * (seed 001 uses IoUnregisterPlugPlayNotification; `ex` uses the Ex routine, seed 003).
 */
export function seed001Driver(
  opts: { processor?: boolean; memory?: boolean; ex?: boolean; unload?: boolean; processorOps?: Ops; memoryOps?: Ops; includeExisting?: boolean; extraRoutines?: Routines } = {},
): Component {
  const proc = opts.processor ?? true;
  const mem = opts.memory ?? true;
  const unreg = opts.ex ? ioUnregisterEx : ioUnregister;
  const routines: Routines = {
    DriverEntry: [
      ...(proc ? [ioRegister('GUID_DEVICE_PROCESSOR', 'AsyncProcessorCallback', 'ProcessorNotificationEntry', { includeExisting: opts.includeExisting })] : []),
      ...(mem ? [ioRegister('GUID_DEVICE_MEMORY', 'AsyncMemoryCallback', 'MemoryNotificationEntry', { includeExisting: opts.includeExisting })] : []),
    ],
    ...(opts.extraRoutines ?? {}),
  };
  if (opts.unload !== false) {
    routines.Unload = [...(proc ? [unreg('ProcessorNotificationEntry')] : []), ...(mem ? [unreg('MemoryNotificationEntry')] : [])];
  }
  if (proc) routines.AsyncProcessorCallback = opts.processorOps ?? [];
  if (mem) routines.AsyncMemoryCallback = opts.memoryOps ?? [];
  return { globals: {}, routines };
}

// ---------------------------------------------------------------- devices (IO-8, IO-9)

/** A toaster device whose function driver is `driver`, exposing GUID_DEVINTERFACE_TOASTER. */
export const toasterDevice = (id = 'toaster0', driver = 'toaster', present = true) => ({
  id, parent: 'root', stack: [driver], interfaces: ['GUID_DEVINTERFACE_TOASTER'], present,
});

/** A function driver that does nothing special (default IRP handlers). */
export const plainDriver = (routines: Routines = {}): Component => ({ globals: {}, routines });

/**
 * A toastmon-like kernel client (IO-8, IO-9): on each toaster interface arrival it opens the device
 * with IoGetDeviceObjectPointer and registers for target-device notification on the file object;
 * on QUERY_REMOVE it closes the file object; on REMOVE_CANCELLED it reopens and re-registers; on
 * REMOVE_COMPLETE it unregisters.
 */
export function toastmonDriver(opts: { closeOnQueryRemove?: boolean; queryRemove?: Ops } = {}): Component {
  const close = opts.closeOnQueryRemove ?? true;
  return {
    globals: {},
    routines: {
      DriverEntry: [ioRegister('GUID_DEVINTERFACE_TOASTER', 'InterfaceCallback', 'InterfaceEntry', { includeExisting: true })],
      Unload: [ioUnregisterEx('InterfaceEntry')],
      InterfaceCallback: {
        switch: 'Event',
        cases: {
          GUID_DEVICE_INTERFACE_ARRIVAL: [
            set('Link', '$SymbolicLinkName'),
            getDeviceObjectPointer('$SymbolicLinkName'),
            ioRegisterTarget('TargetFileObject', 'TargetCallback', 'TargetEntry'),
          ],
        },
        default: [],
      },
      TargetCallback: {
        switch: 'Event',
        cases: {
          GUID_TARGET_DEVICE_QUERY_REMOVE: [...(opts.queryRemove ?? []), ...(close ? [obDereference()] : [])],
          GUID_TARGET_DEVICE_REMOVE_CANCELLED: [
            ioUnregisterEx('TargetEntry'),
            getDeviceObjectPointer('Link'),
            ioRegisterTarget('TargetFileObject', 'TargetCallback', 'TargetEntry'),
          ],
          GUID_TARGET_DEVICE_REMOVE_COMPLETE: [ioUnregisterEx('TargetEntry')],
        },
        default: [],
      },
    },
  };
}

export const load = (driver: string, extra: Partial<TimelineAction> = {}): TimelineAction => ({ do: 'load', driver, ...extra }) as TimelineAction;
export const unload = (driver: string, extra: Partial<TimelineAction> = {}): TimelineAction => ({ do: 'unload', driver, ...extra }) as TimelineAction;
export const runRoutine = (component: string, routine: string, extra: Partial<TimelineAction> = {}): TimelineAction =>
  ({ do: 'run', component, routine, ...extra }) as TimelineAction;
export const hotAdd = (extra: Partial<TimelineAction> = {}): TimelineAction => ({ do: 'hotAddProcessor', ...extra }) as TimelineAction;
export const hotAddMemory = (id = 'mem1', sizeMiB = 2048, extra: Partial<TimelineAction> = {}): TimelineAction =>
  ({ do: 'hotAddMemory', id, sizeMiB, ...extra }) as TimelineAction;
export const plug = (device: string, extra: Partial<TimelineAction> = {}): TimelineAction => ({ do: 'plug', device, ...extra }) as TimelineAction;
export const eject = (device: string, extra: Partial<TimelineAction> = {}): TimelineAction => ({ do: 'eject', device, ...extra }) as TimelineAction;

/** Callback label helpers matching `Run.callbacks()`. */
export const sync = (drv: string, state: 'Start' | 'Complete' | 'Failure', n: number, routine = 'SyncProcessorCallback') => `${drv}!${routine}:${state}(${n})`;

// ---------------------------------------------------------------- choice points

/** Trace position of the first entry at or after `from` whose `Run.label` is `label` (throws if none: a test setup error). */
export function seqOf(r: Run, label: string, from = 0): number {
  const i = r.trace.findIndex((e, k) => k >= from && r.label(e) === label);
  if (i < 0) throw new Error(`no entry labelled ${JSON.stringify(label)}`);
  return i;
}

/**
 * Add a schedule override running `thread` at the step boundary where the default schedule
 * produced the entry labelled `label` (thread state entries included, e.g. `thread:pnp runnable>idle`).
 * Found by running the scenario once, as a user reads the trace; `after` narrows the search to
 * entries after the first one labelled `after`. `run` throws if `thread` is not runnable there.
 */
export function overrideBefore(s: Scenario, label: string, thread: string, after?: string): Scenario {
  const r = run(s);
  const at = seqOf(r, label, after === undefined ? 0 : seqOf(r, after) + 1);
  return { ...s, schedule: [...(s.schedule ?? []), { at, run: thread }] };
}
