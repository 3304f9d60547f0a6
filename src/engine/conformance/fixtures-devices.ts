// Builders for the device-side conformance scenarios (RM rules: removal, CM rules: user-mode API, CU rules: custom
// events): devices and stacks, user-mode apps following (or breaking) seed 002's recipe, and a
// toastmon-shaped kernel monitor. Plain data in, plain scenario JSON out.

import { isThreadEntity } from '../ids/entities.ts';
import {
  call, closeHandle, cmGetInterfaceList, heapAlloc, heapFree, getDeviceObjectPointer, ioRegister, ioRegisterTarget, ioUnregisterEx, obDereference, cmRegister, cmUnregister, createFile, handleFilter, interfaceFilter, note, ret, set,
} from '../../scenario/builder.ts';
import { SCENARIO_FORMAT, type Cond, type Op, type Value } from '../../scenario/types.ts';
import { runRaw, type Run } from '../testing.ts';

export { closeHandle, createFile, note, ret, set } from '../../scenario/builder.ts';

/** `if` over loosely built ops (the builder's ifThen takes typed ones). */
export const ifThen = (cond: Cond, then: Ops, otherwise?: Ops): Op => ({ op: 'if', cond, then: then as Op[], ...(otherwise ? { else: otherwise as Op[] } : {}) });
import type { TraceEntry, TraceType } from '../trace.ts';
import { dictOf } from '../dict.ts';

export const TOASTER = 'GUID_DEVINTERFACE_TOASTER';
export const CUSTOM = 'GUID_TOASTER_CUSTOM';

// Loose on purpose: the device-side tests also build ops that validation must refuse.
export type Ops = unknown[];
export type Body = Ops | { switch: 'State' | 'Event' | 'Action'; cases: Record<string, Ops>; default?: Ops };
export interface Component {
  globals?: Record<string, unknown>;
  routines: Record<string, Body>;
}

export interface DeviceOpts {
  parent?: string;
  stack?: string[];
  interfaces?: string[];
  present?: boolean;
}

export const device = (id: string, o: DeviceOpts = {}) => ({
  id,
  parent: o.parent ?? 'root',
  stack: o.stack ?? ['toaster'],
  interfaces: o.interfaces ?? [TOASTER],
  present: o.present ?? true,
});

export interface ScenarioParts {
  devices?: ReturnType<typeof device>[];
  drivers?: Record<string, Component>;
  apps?: Record<string, Component>;
  timeline?: unknown[];
  schedule?: { at: number; run: string }[];
}

/** A scenario: one processor, the given devices, drivers and apps. Every driver named in a stack needs an entry. */
export function scenario(p: ScenarioParts) {
  const drivers = dictOf<Component>(p.drivers);
  for (const d of p.devices ?? []) for (const drv of d.stack) drivers[drv] ??= { routines: {} };
  return {
    format: SCENARIO_FORMAT,
    machine: { processors: 1, devices: p.devices ?? [] },
    drivers,
    apps: p.apps ?? {},
    timeline: p.timeline ?? [],
    ...(p.schedule ? { schedule: p.schedule } : {}),
  };
}

// ---------------------------------------------------------------- ops

export const actions = (cases: Record<string, Ops>, dflt: Ops = []): Body => ({ switch: 'Action', cases, default: dflt });
export const events = (cases: Record<string, Ops>, dflt: Ops = []): Body => ({ switch: 'Event', cases, default: dflt });

export const A = {
  QUERYREMOVE: 'CM_NOTIFY_ACTION_DEVICEQUERYREMOVE',
  QUERYREMOVEFAILED: 'CM_NOTIFY_ACTION_DEVICEQUERYREMOVEFAILED',
  REMOVEPENDING: 'CM_NOTIFY_ACTION_DEVICEREMOVEPENDING',
  REMOVECOMPLETE: 'CM_NOTIFY_ACTION_DEVICEREMOVECOMPLETE',
  CUSTOM: 'CM_NOTIFY_ACTION_DEVICECUSTOMEVENT',
  ARRIVAL: 'CM_NOTIFY_ACTION_DEVICEINTERFACEARRIVAL',
  REMOVAL: 'CM_NOTIFY_ACTION_DEVICEINTERFACEREMOVAL',
} as const;

export const E = {
  ARRIVAL: 'GUID_DEVICE_INTERFACE_ARRIVAL',
  REMOVAL: 'GUID_DEVICE_INTERFACE_REMOVAL',
  QUERY_REMOVE: 'GUID_TARGET_DEVICE_QUERY_REMOVE',
  REMOVE_CANCELLED: 'GUID_TARGET_DEVICE_REMOVE_CANCELLED',
  REMOVE_COMPLETE: 'GUID_TARGET_DEVICE_REMOVE_COMPLETE',
} as const;

export const registerInterface = (cls: string, callback: string, notifyVar: string, context: Value = null) =>
  cmRegister(interfaceFilter(cls), callback, notifyVar, { context });
export const registerHandle = (handleVar: string, callback: string, notifyVar: string, context: Value = null) =>
  cmRegister(handleFilter(handleVar), callback, notifyVar, { context });
export const list = (cls: string, into = 'Links') => cmGetInterfaceList(cls, into);
export const unregisterCm = (v: string) => cmUnregister(v);
export const submitWork = (callback: string, context: Value) => call('SubmitThreadpoolWork', { Callback: callback, Context: context, result: 'Work' });

/**
 * A plain handle watcher (CM-4): main lists the class, opens every link and registers the handle
 * with `OnDevice`. `onDevice` is the callback body. Variables: hDevice, hDeviceNotify, DeviceLink.
 */
export function handleApp(onDevice: Body, opts: { cls?: string; extra?: Record<string, Body>; context?: Value; pre?: Ops } = {}): Component {
  const cls = opts.cls ?? TOASTER;
  return {
    routines: {
      main: [
        ...(opts.pre ?? []),
        list(cls),
        { op: 'forEach', in: 'Links', as: 'Link', do: [createFile('Link'), set('DeviceLink', 'Link'), registerHandle('hDevice', 'OnDevice', 'hDeviceNotify', opts.context ?? null)] },
      ],
      OnDevice: onDevice,
      ...(opts.extra ?? {}),
    },
  };
}

/** An app that opens the device and keeps the handle open whatever happens (vetoes by open handle, RM-4). */
export const holderApp = (cls = TOASTER): Component => ({
  routines: {
    main: [list(cls), { op: 'forEach', in: 'Links', as: 'Link', do: [createFile('Link', 'hHeld')] }],
    Release: [closeHandle('hHeld')],
  },
});

// ---------------------------------------------------------------- kernel monitor (toastmon)

export interface MonitorOpts {
  cls?: string;
  /** Return value of the QUERY_REMOVE case (a failure status vetoes, RM-3). */
  queryRemoveStatus?: string;
  /** Dereference the file object on QUERY_REMOVE (IO-9); false keeps it open (RM-4 veto). */
  closeOnQueryRemove?: boolean;
  /** Extra ops per target event, run before the standard handling. */
  before?: Partial<Record<string, Ops>>;
  /** Unregister with the Ex routine (default) or the obsolete one. */
  unregisterApi?: 'IoUnregisterPlugPlayNotificationEx' | 'IoUnregisterPlugPlayNotification';
}

/**
 * Toastmon-shaped monitor: DriverEntry registers for the interface class with INCLUDE_EXISTING;
 * ARRIVAL opens the device (IoGetDeviceObjectPointer) and registers for target-device change on
 * the file object; QUERY_REMOVE dereferences the file object; REMOVE_CANCELLED reopens and
 * re-registers; REMOVE_COMPLETE unregisters. Variables: FileObject, TargetEntry, InterfaceEntry.
 */
export function toastmon(o: MonitorOpts = {}): Component {
  const cls = o.cls ?? TOASTER;
  const unreg = o.unregisterApi ?? 'IoUnregisterPlugPlayNotificationEx';
  const open = (link: string): Ops => [
    getDeviceObjectPointer(link, 'FileObject'),
    ifThen({ ntSuccess: 'Status' }, [set('DeviceLink', link), ioRegisterTarget('FileObject', 'TargetCallback', 'TargetEntry')]),
  ];
  const b = o.before ?? {};
  return {
    routines: {
      DriverEntry: [
        ioRegister(cls, 'InterfaceCallback', 'InterfaceEntry', { includeExisting: true }),
        ret('Status'),
      ],
      Unload: [ioUnregisterEx('InterfaceEntry', null)],
      InterfaceCallback: events({ [E.ARRIVAL]: open('$SymbolicLinkName') }),
      TargetCallback: events({
        [E.QUERY_REMOVE]: [
          ...(b[E.QUERY_REMOVE] ?? []),
          ...(o.closeOnQueryRemove === false ? [] : [obDereference('FileObject'), set('FileObject', null)]),
          ...(o.queryRemoveStatus ? [ret(o.queryRemoveStatus)] : []),
        ],
        [E.REMOVE_CANCELLED]: [
          ...(b[E.REMOVE_CANCELLED] ?? []),
          // IO-9: the old registration is still live; unregister it, then reopen and re-register.
          { call: unreg, NotificationEntry: 'TargetEntry' },
          ifThen({ not: { isNull: 'FileObject' } }, [obDereference('FileObject')]),
          ...open('DeviceLink'),
        ],
        [E.REMOVE_COMPLETE]: [
          ...(b[E.REMOVE_COMPLETE] ?? []),
          { call: unreg, NotificationEntry: 'TargetEntry' },
          ifThen({ not: { isNull: 'FileObject' } }, [obDereference('FileObject'), set('FileObject', null)]),
        ],
      }, b.default ?? []),
    },
  };
}

// ---------------------------------------------------------------- seed 002's recipe

export interface RecipeOpts {
  cls?: string;
  /** Step 5, QUERYREMOVE: close the handle (default). false: the documented mistake (RM-4). */
  closeOnQueryRemove?: boolean;
  /** The mistake of CM-6: CM_Unregister_Notification inside the registration's own callback. */
  unregisterInCallback?: boolean;
  /** The mistake of CM-10: HeapFree the context in the callback, before the deferred unregister returned. */
  freeContextEarly?: boolean;
  /** Order of steps 1 and 2: 'register-then-list' (documented) or 'list-then-register' (CM-3 missed arrival). */
  order?: 'register-then-list' | 'list-then-register';
  /** De-duplicate (CM-3) in the arrival callback (default true); false opens every arrival. */
  dedupe?: boolean;
}

/**
 * Seed 002's recipe as one app. Variables: hInterfaceNotify, InterfaceCtx, Links, DeviceLink,
 * hDevice, hDeviceNotify, DevCtx, OldNotify/OldCtx (for the deferred routines), Unregistering.
 * Routines: main, OnInterface, OnDevice, UnregisterOld (deferred), Cleanup (step 6).
 */
export function recipeApp(o: RecipeOpts = {}): Component {
  const cls = o.cls ?? TOASTER;
  const dedupe = o.dedupe ?? true;
  // Steps 3 and 4: open the interface and register the handle, with a fresh heap context.
  const open = (link: string): Ops => [
    createFile(link),
    ifThen({ eq: ['hDevice', 'INVALID_HANDLE_VALUE'] }, [set('hDevice', null), note('CreateFile failed: the interface is gone')], [
      set('DeviceLink', link),
      heapAlloc('DevCtx'),
      registerHandle('hDevice', 'OnDevice', 'hDeviceNotify', 'DevCtx'),
    ]),
  ];
  // CM-5 / CM-6: unregister from a deferred routine; CM-10: free the context only after it returned.
  const deferUnregister: Ops = o.unregisterInCallback
    ? [unregisterCm('$hNotify'), heapFree('$Context')]
    : [
        ifThen({ not: { eq: ['Unregistering', '$hNotify'] } }, [
          set('Unregistering', '$hNotify'),
          set('OldCtx', '$Context'),
          ...(o.freeContextEarly ? [heapFree('$Context')] : []),
          submitWork('UnregisterOld', '$hNotify'),
        ]),
      ];
  const closeIfOpen: Ops = [ifThen({ not: { isNull: 'hDevice' } }, [closeHandle('hDevice'), set('hDevice', null)])];
  const register: Ops = [heapAlloc('InterfaceCtx'), registerInterface(cls, 'OnInterface', 'hInterfaceNotify', 'InterfaceCtx')];
  const listAndOpen: Ops = [list(cls), { op: 'forEach', in: 'Links', as: 'Link', do: [ifThen({ isNull: 'hDevice' }, open('Link'))] }];
  return {
    globals: { hDevice: null, hDeviceNotify: null, hInterfaceNotify: null, OldCtx: null, Unregistering: null },
    routines: {
      main: o.order === 'list-then-register' ? [...listAndOpen, ...register] : [...register, ...listAndOpen],
      OnInterface: actions({
        // With dedupe, an interface already listed is skipped (CM-3); without, every arrival is opened.
        [A.ARRIVAL]: dedupe
          ? [ifThen({ contains: ['Links', '$SymbolicLink'] }, [note('already listed: duplicate arrival ignored (CM-3)')],
              [ifThen({ isNull: 'hDevice' }, open('$SymbolicLink'))])]
          : open('$SymbolicLink'),
        // The listed snapshot is stale once the interface is gone (a re-plug arrives with the same link).
        [A.REMOVAL]: [set('Links', null)],
      }),
      OnDevice: actions({
        [A.QUERYREMOVE]: o.closeOnQueryRemove === false ? [note('keeps its handle open')] : closeIfOpen,
        [A.QUERYREMOVEFAILED]: [
          ...deferUnregister,
          ...closeIfOpen,
          ...open('DeviceLink'),
        ],
        [A.REMOVEPENDING]: [...deferUnregister, ...closeIfOpen],
        [A.REMOVECOMPLETE]: [...deferUnregister, ...closeIfOpen],
      }),
      UnregisterOld: [
        unregisterCm('$Context'),
        ...(o.freeContextEarly ? [] : [heapFree('OldCtx')]),
        ifThen({ eq: ['hDeviceNotify', '$Context'] }, [set('hDeviceNotify', null)]),
        set('Unregistering', null),
      ],
      // Step 6, once: unregister, then free; close the handle if still open.
      Cleanup: [
        ifThen({ not: { isNull: 'hDeviceNotify' } }, [unregisterCm('hDeviceNotify'), heapFree('DevCtx'), set('hDeviceNotify', null)]),
        ...closeIfOpen,
        ifThen({ not: { isNull: 'hInterfaceNotify' } }, [unregisterCm('hInterfaceNotify'), heapFree('InterfaceCtx'), set('hInterfaceNotify', null)]),
      ],
    },
  };
}

// ---------------------------------------------------------------- reading runs

/** Labels of one timeline step's entries of the given types (thread and IRQL state changes excluded). */
export function stepLabels(r: Run, step: number, ...types: TraceType[]): string[] {
  const set = new Set(types);
  return r.trace
    .filter((e) => e.step === step && (set.size === 0 || set.has(e.type)))
    .filter((e) => !(e.type === 'state' && isThreadEntity(e.entity)))
    .map((e) => r.label(e));
}

/** The shell's answers to CM_Query_And_Remove_SubTree (one per eject). */
export const ejects = (r: Run) =>
  r.returned('CM_Query_And_Remove_SubTree').map((e) => ({ result: e.result, vetoType: e.out?.pVetoType ?? null, vetoName: e.out?.pszVetoName ?? null }));

/** Results of every return of `api` by `component` (in order). */
export const results = (r: Run, api: string, component?: string) =>
  r.returned(api).filter((e) => !component || e.component === component).map((e) => e.result);

// ---------------------------------------------------------------- schedules (docs/architecture.md §2.2 choice points)

type WithSchedule = { schedule?: { at: number; run: string }[] };

function outcome(s: unknown) {
  const out = runRaw(s);
  if (!out.ok) throw new Error(`scenario error: ${out.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  return out;
}

type Marker = (e: TraceEntry) => boolean;
/** `run`: at the first choice point after `after`, run the thread. `hold`: from `from` (default: the start) until `until`, never choose the thread. */
export type SteerRule = { run: string; after: Marker } | { hold: string; from?: Marker; until: Marker };

function wanted(rules: SteerRule[], prefix: TraceEntry[], runnable: string[], chosen: string): string | undefined {
  for (const rule of rules) {
    if ('run' in rule) {
      const m = prefix.findIndex(rule.after);
      if (m >= 0 && runnable.includes(rule.run) && !prefix.slice(m + 1).some((e) => e.thread === rule.run)) return rule.run;
    } else {
      const start = rule.from ? prefix.findIndex(rule.from) : 0;
      if (start >= 0 && !prefix.some(rule.until) && chosen === rule.hold) return runnable.find((t) => t !== rule.hold);
    }
  }
  return undefined;
}

/**
 * Reproduce a race by hand (docs/architecture.md §2.2): add `schedule` overrides, earliest first, so that every
 * choice point follows the rules. Each `at` is read from a run with the overrides so far — the way
 * a user finds it: run once, inspect the trace, pick the thread.
 */
export function steer<S extends WithSchedule>(s: S, rules: SteerRule[]): S {
  let cur = s;
  let from = -1;
  for (let i = 0; i < 200; i++) {
    const out = outcome(cur);
    let pick: { at: number; run: string } | undefined;
    for (const c of out.choices) {
      if (c.at <= from) continue;
      const want = wanted(rules, out.trace.slice(0, c.at), c.runnable, c.chosen);
      if (want !== undefined && want !== c.chosen) {
        pick = { at: c.at, run: want };
        break;
      }
    }
    if (!pick) return cur;
    cur = { ...cur, schedule: [...(cur.schedule ?? []), pick] };
    from = pick.at;
  }
  throw new Error('steer: too many overrides');
}

export const runAfter = <S extends WithSchedule>(s: S, thread: string, after: Marker) => steer(s, [{ run: thread, after }]);
export const holdBack = <S extends WithSchedule>(s: S, thread: string, until: Marker, from?: Marker) => steer(s, [{ hold: thread, until, from }]);

/** Trace predicates for markers. */
export const isInvoke = (component: string, routine: string, arg?: string) => (e: TraceEntry) =>
  e.type === 'invoke' && e.component === component && e.routine === routine && (arg === undefined || Object.values(e.args).includes(arg));
export const isReturn = (component: string, api: string) => (e: TraceEntry) => e.type === 'return' && e.component === component && e.api === api;
export const isState = (entity: string, to: string) => (e: TraceEntry) => e.type === 'state' && e.entity === entity && e.to === to;
export const isQueued = (event: string, device: string) => (e: TraceEntry) => e.type === 'queue' && e.event === event && e.device === device;

/**
 * CM-10 / UN-5 discipline: every HeapFree / ExFreePool of a registration's context comes after the
 * unregister of that registration returned. Returns the violations (empty when the discipline holds).
 */
export function freedBeforeUnregister(r: Run): string[] {
  const ctxOf = new Map<string, string>();
  const calls = r.of('call');
  for (const ret of r.of('return')) {
    if (ret.api !== 'CM_Register_Notification' || ret.result !== 'CR_SUCCESS') continue;
    const call = [...calls].reverse().find((c) => c.seq < ret.seq && c.api === ret.api && c.thread === ret.thread)!;
    const ctx = call.args.pContext;
    if (typeof ctx === 'string') ctxOf.set(String(ret.out?.pNotifyContext), ctx);
  }
  const unregisteredAt = new Map<string, number>();
  for (const ret of r.of('return')) {
    if (ret.api !== 'CM_Unregister_Notification' || ret.result !== 'CR_SUCCESS') continue;
    const call = [...calls].reverse().find((c) => c.seq < ret.seq && c.api === ret.api && c.thread === ret.thread)!;
    unregisteredAt.set(String(call.args.NotifyContext), ret.seq);
  }
  const out: string[] = [];
  for (const c of calls) {
    if (c.api !== 'HeapFree') continue;
    for (const [reg, ctx] of ctxOf) {
      if (ctx !== c.args.lpMem) continue;
      const at = unregisteredAt.get(reg);
      if (at === undefined || at > c.seq) out.push(`${ctx} of ${reg} freed at #${c.seq}, unregister returned ${at === undefined ? 'never' : `at #${at}`}`);
    }
  }
  return out;
}
