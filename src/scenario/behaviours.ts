// Behaviours: what a notification callback does for one event, picked from a list instead of
// written as JSON. Each is a small op list that replaces the callback's switch case (and, for the
// deferred ones, a work routine next to it), so the editor can offer "on QUERYREMOVE: close the
// handle / veto / unregister inline…" and the learner sees the documented consequence:
//
//   succeed              return STATUS_SUCCESS / ERROR_SUCCESS (KE: leave *OperationStatus alone)
//   veto                 return STATUS_UNSUCCESSFUL / ERROR_CANCELLED (KE: *OperationStatus = error)  RM-2, RM-3, KE-2
//   close-handle         CloseHandle / ObDereferenceObject on the watched handle or file object     CM-5, IO-9
//   unregister-inline    unregister this registration from its own callback                         CM-6, KE-7 deadlock; UN-2 allowed
//   unregister-deferred  SubmitThreadpoolWork / IoQueueWorkItem → unregister in the work routine   the documented fix
//   free-context         HeapFree / ExFreePool the registration's context while it is still live    CM-10, UN-5
//   wait-work-item       defer the unregister, then wait for the work item                          UN-4 deadlock
//
// Pure functions over scenario JSON (which may not be valid yet while someone edits it): nothing
// here throws on odd input, and every edit returns a new object.

import { call, note, ret } from './builder.ts';
import type { Op, RoutineBody, Scenario } from './types.ts';
import { dict } from '../engine/dict.ts';

export type BehaviourId = 'succeed' | 'veto' | 'close-handle' | 'unregister-inline' | 'unregister-deferred' | 'free-context' | 'wait-work-item';

export const BEHAVIOUR_IDS: readonly BehaviourId[] = ['succeed', 'veto', 'close-handle', 'unregister-inline', 'unregister-deferred', 'free-context', 'wait-work-item'];

export const BEHAVIOUR_LABEL: Record<BehaviourId, string> = {
  succeed: 'Succeed',
  veto: 'Veto',
  'close-handle': 'Close the handle',
  'unregister-inline': 'Unregister inline',
  'unregister-deferred': 'Unregister deferred',
  'free-context': 'Free the context',
  'wait-work-item': 'Wait for a work item',
};

/** What registered the callback. */
export type CallbackKind = 'processor' | 'interface' | 'target' | 'hwprofile' | 'cm-interface' | 'cm-handle' | 'cm-instance';

export const CALLBACK_KIND_LABEL: Record<CallbackKind, string> = {
  processor: 'processor change (KeRegisterProcessorChangeCallback)',
  interface: 'device interface change (IoRegisterPlugPlayNotification)',
  target: 'target device change (IoRegisterPlugPlayNotification)',
  hwprofile: 'hardware profile change (IoRegisterPlugPlayNotification)',
  'cm-interface': 'device interface (CM_Register_Notification)',
  'cm-handle': 'device handle (CM_Register_Notification)',
  'cm-instance': 'device instance (CM_Register_Notification)',
};

const EVENTS: Record<CallbackKind, { on: 'State' | 'Event' | 'Action'; events: string[] }> = {
  processor: { on: 'State', events: ['KeProcessorAddStartNotify', 'KeProcessorAddCompleteNotify', 'KeProcessorAddFailureNotify'] },
  interface: { on: 'Event', events: ['GUID_DEVICE_INTERFACE_ARRIVAL', 'GUID_DEVICE_INTERFACE_REMOVAL'] },
  target: { on: 'Event', events: ['GUID_TARGET_DEVICE_QUERY_REMOVE', 'GUID_TARGET_DEVICE_REMOVE_CANCELLED', 'GUID_TARGET_DEVICE_REMOVE_COMPLETE'] },
  hwprofile: { on: 'Event', events: ['GUID_HWPROFILE_QUERY_CHANGE', 'GUID_HWPROFILE_CHANGE_CANCELLED', 'GUID_HWPROFILE_CHANGE_COMPLETE'] },
  'cm-interface': { on: 'Action', events: ['CM_NOTIFY_ACTION_DEVICEINTERFACEARRIVAL', 'CM_NOTIFY_ACTION_DEVICEINTERFACEREMOVAL'] },
  'cm-handle': {
    on: 'Action',
    events: [
      'CM_NOTIFY_ACTION_DEVICEQUERYREMOVE',
      'CM_NOTIFY_ACTION_DEVICEQUERYREMOVEFAILED',
      'CM_NOTIFY_ACTION_DEVICEREMOVEPENDING',
      'CM_NOTIFY_ACTION_DEVICEREMOVECOMPLETE',
      'CM_NOTIFY_ACTION_DEVICECUSTOMEVENT',
    ],
  },
  'cm-instance': {
    on: 'Action',
    events: ['CM_NOTIFY_ACTION_DEVICEINSTANCEENUMERATED', 'CM_NOTIFY_ACTION_DEVICEINSTANCESTARTED', 'CM_NOTIFY_ACTION_DEVICEINSTANCEREMOVED'],
  },
};

/** A callback routine of a component and the registration that names it. */
export interface CallbackInfo {
  /** Driver or app id. */
  component: string;
  mode: 'kernel' | 'user';
  routine: string;
  kind: CallbackKind;
  /** The argument a switch in this callback is on. */
  switchOn: 'State' | 'Event' | 'Action';
  /** The events this kind of callback receives, then any other case the routine already has. */
  events: string[];
  /** The variable the register call writes the registration into (result / NotificationEntry / pNotifyContext). */
  handleVar?: string;
  /** The handle (CM hTarget) or file object (target EventCategoryData) the registration watches. */
  targetVar?: string;
  /** The context variable, when it holds an allocation (ExAllocatePool2 / HeapAlloc). */
  contextVar?: string;
  /** false when the routine switches on another argument: the behaviours cannot be placed in it. */
  editable: boolean;
}

// ---------------------------------------------------------------------------------------------
// Reading scenario JSON defensively

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
/** A plain variable name (not a `$Arg`, not a constant-looking name). */
const varName = (v: unknown): string | undefined => (typeof v === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(v) ? v : undefined);

/** Every op in a routine body, nested ones included. */
function* allOps(body: unknown): Generator<Record<string, unknown>> {
  const lists: unknown[] = [];
  if (Array.isArray(body)) lists.push(body);
  else if (isObj(body)) {
    if (isObj(body.cases)) lists.push(...Object.values(body.cases));
    lists.push(body.default);
  }
  for (const list of lists) {
    if (!Array.isArray(list)) continue;
    for (const op of list) {
      if (!isObj(op)) continue;
      yield op;
      for (const nested of [op.then, op.else, op.do]) if (Array.isArray(nested)) yield* allOps(nested);
    }
  }
}

interface ComponentRef {
  id: string;
  mode: 'kernel' | 'user';
  routines: Record<string, unknown>;
}

function componentsOf(scenario: unknown): ComponentRef[] {
  const s = isObj(scenario) ? scenario : {};
  const out: ComponentRef[] = [];
  for (const [group, mode] of [['drivers', 'kernel'], ['apps', 'user']] as const) {
    const g = s[group];
    if (!isObj(g)) continue;
    for (const [id, c] of Object.entries(g)) if (isObj(c) && isObj(c.routines)) out.push({ id, mode, routines: c.routines });
  }
  return out;
}

function registrationKind(op: Record<string, unknown>): { kind: CallbackKind; routine?: string; handleVar?: string; targetVar?: string; context?: unknown } | undefined {
  switch (op.call) {
    case 'KeRegisterProcessorChangeCallback':
      return { kind: 'processor', routine: str(op.CallbackFunction), handleVar: varName(op.result), context: op.CallbackContext };
    case 'IoRegisterPlugPlayNotification': {
      const category = op.EventCategory;
      const kind: CallbackKind =
        category === 'EventCategoryTargetDeviceChange' ? 'target' : category === 'EventCategoryHardwareProfileChange' ? 'hwprofile' : 'interface';
      return {
        kind,
        routine: str(op.CallbackRoutine),
        handleVar: varName(op.NotificationEntry),
        ...(kind === 'target' ? { targetVar: varName(op.EventCategoryData) } : {}),
        context: op.Context,
      };
    }
    case 'CM_Register_Notification': {
      const filter = isObj(op.pFilter) ? op.pFilter : {};
      const type = filter.FilterType;
      const kind: CallbackKind = type === 'CM_NOTIFY_FILTER_TYPE_DEVICEHANDLE' ? 'cm-handle' : type === 'CM_NOTIFY_FILTER_TYPE_DEVICEINSTANCE' ? 'cm-instance' : 'cm-interface';
      return {
        kind,
        routine: str(op.pCallback),
        handleVar: varName(op.pNotifyContext),
        ...(kind === 'cm-handle' ? { targetVar: varName(filter.hTarget) } : {}),
        context: op.pContext,
      };
    }
    default:
      return undefined;
  }
}

/** Every callback routine in the scenario, in component and first-registration order. */
export function findCallbacks(scenario: unknown): CallbackInfo[] {
  const out: CallbackInfo[] = [];
  for (const c of componentsOf(scenario)) {
    const allocated = new Set<string>();
    const regs: NonNullable<ReturnType<typeof registrationKind>>[] = [];
    for (const body of Object.values(c.routines)) {
      for (const op of allOps(body)) {
        if ((op.call === 'ExAllocatePool2' || op.call === 'HeapAlloc') && varName(op.result)) allocated.add(op.result as string);
        const r = registrationKind(op);
        if (r?.routine && Object.hasOwn(c.routines, r.routine)) regs.push(r);
      }
    }
    const seen = new Set<string>();
    for (const r of regs) {
      const routine = r.routine!;
      if (seen.has(routine)) continue;
      seen.add(routine);
      const { on, events } = EVENTS[r.kind];
      const body = c.routines[routine];
      const isSwitch = isObj(body) && typeof body.switch === 'string';
      const existing = isSwitch && isObj(body.cases) ? Object.keys(body.cases) : [];
      const contextVar = varName(r.context);
      out.push({
        component: c.id,
        mode: c.mode,
        routine,
        kind: r.kind,
        switchOn: on,
        events: [...events, ...existing.filter((e) => !events.includes(e))],
        ...(r.handleVar ? { handleVar: r.handleVar } : {}),
        ...(r.targetVar ? { targetVar: r.targetVar } : {}),
        ...(contextVar && allocated.has(contextVar) ? { contextVar } : {}),
        editable: !isSwitch || (body as Record<string, unknown>).switch === on,
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The behaviours' ops

/** The name of the work routine a deferred behaviour adds next to `routine` (≤ 64 characters). */
export const workRoutineName = (routine: string): string => `${routine.slice(0, 54)}Unregister`;

export interface BehaviourOption {
  id: BehaviourId;
  label: string;
  /** What it does and what the learner will see, with the rule id. */
  effect: string;
}

interface Built {
  ops: Op[];
  /** A work routine to add (name → body). */
  work?: { name: string; body: Op[] };
  effect: string;
}

const QUERY_EVENTS = new Set(['GUID_TARGET_DEVICE_QUERY_REMOVE', 'GUID_HWPROFILE_QUERY_CHANGE', 'CM_NOTIFY_ACTION_DEVICEQUERYREMOVE']);

function unregisterOp(info: CallbackInfo, handle: string): Op {
  if (info.kind === 'processor') return call('KeDeregisterProcessorChangeCallback', { CallbackHandle: handle });
  if (info.mode === 'user') return call('CM_Unregister_Notification', { NotifyContext: handle });
  return call('IoUnregisterPlugPlayNotificationEx', { NotificationEntry: handle });
}

function build(info: CallbackInfo, event: string, id: BehaviourId, work = workRoutineName(info.routine)): Built | undefined {
  const user = info.mode === 'user';
  const ke = info.kind === 'processor';
  // In user mode the callback's own hNotify is always right (CM-9); a kernel callback has only the global.
  const self = user ? '$hNotify' : info.handleVar;
  switch (id) {
    case 'succeed':
      if (ke) return { ops: [], effect: 'Leaves *OperationStatus alone: the add goes on (KE-1).' };
      return { ops: [ret(user ? 'ERROR_SUCCESS' : 'STATUS_SUCCESS')], effect: `Returns ${user ? 'ERROR_SUCCESS' : 'STATUS_SUCCESS'}.` };
    case 'veto': {
      if (ke) {
        return {
          ops: [note('Report an error: this vetoes the processor add (KE-2).'), { op: 'set', var: '*OperationStatus', value: 'STATUS_UNSUCCESSFUL' }],
          effect:
            event === 'KeProcessorAddStartNotify'
              ? 'Writes STATUS_UNSUCCESSFUL to *OperationStatus: the add fails and every callback gets KeProcessorAddFailureNotify (KE-1, KE-2).'
              : 'Writes STATUS_UNSUCCESSFUL to *OperationStatus, which only a Start callback may do: flagged (KE-3).',
        };
      }
      const value = user ? 'ERROR_CANCELLED' : 'STATUS_UNSUCCESSFUL';
      const query = QUERY_EVENTS.has(event);
      return {
        ops: [note(`Veto: return ${value}.`), ret(value)],
        effect: query
          ? `Returns ${value}: the removal is vetoed (${user ? 'RM-2' : 'RM-3'}).`
          : user
            ? `Returns ${value}, which only DEVICEQUERYREMOVE may return: flagged (CM-8).`
            : `Returns ${value}; for this event the return value is ignored (IO-5).`,
      };
    }
    case 'close-handle': {
      if (!info.targetVar || (info.kind !== 'cm-handle' && info.kind !== 'target')) return undefined;
      const v = info.targetVar;
      return user
        ? {
            ops: [call('CloseHandle', { hObject: v }), { op: 'set', var: v, value: null }],
            effect: `CloseHandle(${v}): an open handle would fail the query-remove (CM-5, RM-4).`,
          }
        : {
            ops: [call('ObDereferenceObject', { Object: v }), { op: 'set', var: v, value: null }],
            effect: `ObDereferenceObject(${v}): an open file object would fail the query-remove (IO-9, RM-4).`,
          };
    }
    case 'unregister-inline': {
      if (!self) return undefined;
      return {
        ops: [note('Unregister this registration from its own callback.'), unregisterOp(info, self)],
        effect: ke
          ? 'KeDeregisterProcessorChangeCallback waits for this very callback: deadlock (KE-7).'
          : user
            ? 'CM_Unregister_Notification waits for this very callback: deadlock (CM-6).'
            : 'IoUnregisterPlugPlayNotificationEx does not wait for its own callback: allowed (UN-2) — except inside an INCLUDE_EXISTING replay (UN-3).',
      };
    }
    case 'unregister-deferred':
    case 'wait-work-item': {
      if (!self) return undefined;
      const wait = id === 'wait-work-item';
      if (user) {
        return {
          ops: [
            note(wait ? 'Unregister from threadpool work, and wait for it.' : 'Defer the unregister to threadpool work (CM-6).'),
            call('SubmitThreadpoolWork', { Callback: work, Context: '$hNotify', result: 'Work' }),
            ...(wait ? [call('WaitForThreadpoolWorkCallbacks', { pwk: 'Work' })] : []),
          ],
          work: { name: work, body: [unregisterOp(info, '$Context')] },
          effect: wait
            ? 'The work item waits for this callback, this callback waits for the work item: deadlock (CM-6, CM-12).'
            : 'The documented fix: the work routine calls CM_Unregister_Notification once this callback has returned (CM-5, CM-6).',
        };
      }
      return {
        ops: [
          note(wait ? 'Unregister from a work item, and wait for it.' : 'Defer the unregister to a work item.'),
          call('IoQueueWorkItem', { WorkerRoutine: work, Context: null, result: 'WorkItem' }),
          ...(wait ? [call('KeWaitForSingleObject', { Object: 'WorkItem' })] : []),
        ],
        work: { name: work, body: [unregisterOp(info, info.handleVar!)] },
        effect: wait
          ? ke
            ? 'The work item waits for this callback, this callback waits for the work item: deadlock (KE-7).'
            : 'The work item waits for this callback, this callback waits for the work item: deadlock (UN-4).'
          : 'The work item unregisters once this callback has returned.',
      };
    }
    case 'free-context': {
      if (!info.contextVar) return undefined;
      const arg = ke ? '$CallbackContext' : '$Context';
      return user
        ? {
            ops: [note('Free the context while the registration is still live.'), call('HeapFree', { lpMem: arg })],
            effect: 'The next callback of this registration uses freed memory (CM-10).',
          }
        : {
            ops: [note('Free the context while the registration is still live.'), call('ExFreePool', { P: arg })],
            effect: 'The next callback of this registration uses freed memory: bug check 0x50 (UN-5).',
          };
    }
  }
}

/** The behaviours that make sense for this callback and event, with what each one does. */
export function behavioursFor(info: CallbackInfo, event: string): BehaviourOption[] {
  if (!info.editable) return [];
  const out: BehaviourOption[] = [];
  for (const id of BEHAVIOUR_IDS) {
    const b = build(info, event, id);
    if (b) out.push({ id, label: BEHAVIOUR_LABEL[id], effect: b.effect });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reading and writing a case

/** Ops compared without their notes and with the work routine's name left out (it may carry a number). */
const shape = (ops: unknown): string =>
  JSON.stringify(
    Array.isArray(ops)
      ? ops.filter((o) => !(isObj(o) && o.op === 'note')).map((o) => (isObj(o) && (o.call === 'SubmitThreadpoolWork' || o.call === 'IoQueueWorkItem') ? { ...o, Callback: '', WorkerRoutine: '' } : o))
      : ops,
  );

function routineBody(scenario: unknown, info: CallbackInfo): unknown {
  const c = componentsOf(scenario).find((x) => x.id === info.component && x.mode === info.mode);
  return c?.routines[info.routine];
}

/** The ops that run for `event`: its case, else the default, else the whole op list. */
export function opsFor(scenario: unknown, info: CallbackInfo, event: string): unknown[] {
  const body = routineBody(scenario, info);
  if (Array.isArray(body)) return body;
  if (!isObj(body)) return [];
  if (isObj(body.cases) && Object.hasOwn(body.cases, event) && Array.isArray(body.cases[event])) return body.cases[event] as unknown[];
  return Array.isArray(body.default) ? body.default : [];
}

/** Which behaviour the callback has for `event` now; 'custom' when its ops are none of them. Notes are ignored. */
export function currentBehaviour(scenario: unknown, info: CallbackInfo, event: string): BehaviourId | 'custom' {
  const now = shape(opsFor(scenario, info, event));
  if (now === '[]' && !info.editable) return 'custom';
  for (const id of BEHAVIOUR_IDS) {
    const b = build(info, event, id);
    if (b && shape(b.ops) === now) return id;
  }
  // No ops at all: the routine returns the default (STATUS_SUCCESS / ERROR_SUCCESS), i.e. succeeds.
  return now === '[]' ? 'succeed' : 'custom';
}

/**
 * `scenario` with the callback's case for `event` replaced by the behaviour's ops (an op-list
 * routine becomes a switch whose default keeps the old ops). A deferred behaviour adds its work
 * routine; work routines this module added that nothing calls any more are removed. Returns the
 * scenario unchanged (same object) when the behaviour does not apply.
 */
export function applyBehaviour(scenario: Scenario | Record<string, unknown>, info: CallbackInfo, event: string, id: BehaviourId): Scenario {
  const original = routineBody(scenario, info);
  const planned = info.editable ? build(info, event, id) : undefined;
  if (!planned || original === undefined) return scenario as Scenario;
  const s = structuredClone(scenario) as Record<string, unknown>;
  const group = (s[info.mode === 'kernel' ? 'drivers' : 'apps'] as Record<string, Record<string, unknown>>)[info.component];
  const routines = group.routines as Record<string, unknown>;
  // A routine of the author's may already have the work routine's name: build with a free one.
  const b = planned.work ? build(info, event, id, freeWorkName(routines, planned.work.name, planned.work.body))! : planned;
  const body = routines[info.routine];
  let next: RoutineBody;
  if (isObj(body) && isObj(body.cases)) {
    const cases = dict<Op[]>();
    for (const [k, v] of Object.entries(body.cases)) define(cases, k, v as Op[]);
    define(cases, event, b.ops);
    next = { ...(body as unknown as RoutineBody & object), cases } as RoutineBody;
  } else {
    const cases = dict<Op[]>();
    define(cases, event, b.ops);
    next = { switch: info.switchOn, cases, default: Array.isArray(body) ? (body as Op[]) : [] };
  }
  define(routines, info.routine, next);
  if (b.work) define(routines, b.work.name, b.work.body);
  const runs = new Set<string>();
  for (const a of Array.isArray(s.timeline) ? s.timeline : []) if (isObj(a) && a.do === 'run' && a.component === info.component) runs.add(String(a.routine));
  pruneWorkRoutines(routines, info, runs);
  return s as unknown as Scenario;
}

function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The work routine's name: reuse one with the same body, else the first free name. */
function freeWorkName(routines: Record<string, unknown>, name: string, body: Op[]): string {
  const same = (n: string) => !Object.hasOwn(routines, n) || JSON.stringify(routines[n]) === JSON.stringify(body);
  if (same(name)) return name;
  for (let i = 2; ; i++) {
    const candidate = `${name.slice(0, 64 - String(i).length)}${i}`;
    if (same(candidate)) return candidate;
  }
}

/** Remove work routines of this callback that look generated (one unregister op) and that nothing calls or runs. */
function pruneWorkRoutines(routines: Record<string, unknown>, info: CallbackInfo, runByTimeline: ReadonlySet<string>): void {
  const prefix = workRoutineName(info.routine);
  const referenced = new Set<string>(runByTimeline);
  for (const body of Object.values(routines)) {
    for (const op of allOps(body)) for (const key of ['Callback', 'WorkerRoutine', 'Function']) if (typeof op[key] === 'string') referenced.add(op[key] as string);
  }
  for (const name of Object.keys(routines)) {
    if (!name.startsWith(prefix) || referenced.has(name)) continue;
    const body = routines[name];
    const generated =
      Array.isArray(body) &&
      body.length === 1 &&
      isObj(body[0]) &&
      ['CM_Unregister_Notification', 'IoUnregisterPlugPlayNotificationEx', 'KeDeregisterProcessorChangeCallback'].includes(String(body[0].call));
    if (generated) delete routines[name];
  }
}
