// Shared scenario builders for the conformance corpus, the determinism, property and snapshot
// tests. The drivers follow the seed documents' own code shapes: seed 000's DriverEntry / Unload /
// SyncProcessorCallback, seed 001's two IoRegisterPlugPlayNotification calls, seed 003's
// IoUnregisterPlugPlayNotificationEx discipline.
import type { Scenario } from '../../scenario/types.ts';
import {
  getDeviceObjectPointer, ifNull, ioRegister, ioRegisterTarget, ioUnregister, ioUnregisterEx, keDeregister, keRegister, obDereference, ret, set,
  type Globals, type Ops, type Routines,
} from '../../scenario/builder.ts';
import { run, type Run } from '../testing.ts';

// The conformance corpus builds with the scenario builder; its pieces are re-exported here so a
// test imports one module.
export * from '../../scenario/builder.ts';

export interface Component {
  globals?: Globals;
  routines: Routines;
}

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
