// Gestures edit the scenario (docs/architecture.md): every drag, drop or button in the playground is a pure
// function from one scenario to the next. Nothing here runs the engine; the store re-runs the
// result in the worker and the URL follows.
//
// Where an action goes: "now", i.e. right after the timeline action the cursor is in (after the
// whole group when the next actions are `concurrent` with it), the way an editor inserts at the
// playhead. Everything before that point runs exactly as before (the engine is deterministic and
// actions start when the system is quiescent), so schedule overrides before it stay valid and the
// ones at or after it, which may no longer be reachable, are dropped.
import type { TraceEntry } from '../engine/trace.ts';
import type { NormalizedScenario, Op, RoutineBody, TimelineAction } from './types.ts';
import { LIMITS } from './types.ts';

/** Where a gesture's action is inserted. */
export interface Insertion {
  /** Timeline index the new action gets. */
  index: number;
  /** The first trace seq that may change; schedule overrides at or after it are dropped. */
  seq: number;
}

/** A node of the playground graph a gesture refers to (and selects). */
export type NodeRef =
  | { kind: 'processor'; NtNumber?: number }
  | { kind: 'memory'; id: string }
  | { kind: 'device'; id: string }
  | { kind: 'driver'; id: string }
  | { kind: 'app'; id: string };

export interface GestureResult {
  scenario: NormalizedScenario;
  /** Timeline index of the action the gesture added (the view jumps to where it starts). */
  actionIndex: number;
  /** What to select once the scenario has re-run. */
  select?: NodeRef;
}

/** Insert "now": after the action that the trace entry at `cursor` belongs to. */
export function insertionPoint(s: NormalizedScenario, trace: readonly TraceEntry[], cursor: number): Insertion {
  const timeline = s.timeline;
  if (trace.length === 0) return { index: timeline.length, seq: Number.POSITIVE_INFINITY };
  const at = trace[Math.max(0, Math.min(cursor, trace.length - 1))];
  // Step 0 is boot; step k is timeline[k - 1]. The new action follows the cursor's action…
  let index = Math.min(at.step, timeline.length);
  // …and the actions started together with it.
  while (index < timeline.length && timeline[index].concurrent) index++;
  return { index, seq: firstSeqOfStep(trace, index + 1) };
}

/**
 * Insert at timeline index `index` (a boundary: not inside a group of `concurrent` actions, which
 * start together). The caller picks the point (the palette's "Goes in" choice).
 */
export function insertionAt(s: NormalizedScenario, trace: readonly TraceEntry[], index: number): Insertion {
  let i = Math.max(0, Math.min(Math.trunc(index), s.timeline.length));
  while (i < s.timeline.length && s.timeline[i].concurrent) i++;
  return { index: i, seq: trace.length === 0 ? Number.POSITIVE_INFINITY : firstSeqOfStep(trace, i + 1) };
}

/** The seq of the first entry of timeline step `step` or later (trace.length when there is none). */
function firstSeqOfStep(trace: readonly TraceEntry[], step: number): number {
  // Steps are non-decreasing along the trace: binary search.
  let lo = 0;
  let hi = trace.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (trace[mid].step < step) lo = mid + 1;
    else hi = mid;
  }
  return lo < trace.length ? trace[lo].seq : trace.length;
}

function clone(s: NormalizedScenario): NormalizedScenario {
  return structuredClone(s);
}

/** Insert `actions` at `ins.index`; drop schedule overrides that may no longer be reachable. */
function insert(s: NormalizedScenario, ins: Insertion, ...actions: TimelineAction[]): { scenario: NormalizedScenario; actionIndex: number } {
  const next = clone(s);
  const index = Math.max(0, Math.min(ins.index, next.timeline.length));
  next.timeline.splice(index, 0, ...actions);
  // Steps up to the action before the insertion are unchanged (step k is timeline[k - 1]).
  next.schedule = next.schedule.filter((o) => (o.step !== undefined ? o.step <= index : (o.at ?? 0) < ins.seq));
  return { scenario: next, actionIndex: index };
}

/** Processors the machine can ever have: boot + every hot-add in the timeline. */
export function processorCount(s: NormalizedScenario): number {
  let n = s.machine.processors;
  for (const a of s.timeline) if (a.do === 'hotAddProcessor') n++;
  return n;
}

/** Units the validator counts against LIMITS.units (processors + memory + devices, boot and hot-added). */
function unitCount(s: NormalizedScenario): number {
  return processorCount(s) + memoryIds(s).length + s.machine.devices.length;
}

export class GestureError extends Error {}

function checkRoom(s: NormalizedScenario, what: string) {
  if (unitCount(s) >= LIMITS.units) {
    throw new GestureError(`Cannot add ${what}: the machine already has ${LIMITS.units} processors, memory modules and devices, the most a scenario may have.`);
  }
}

/** Palette "Processor": hot-add one; raise maxProcessors when the machine is at its maximum (KE-10 would refuse it). */
export function addProcessor(s: NormalizedScenario, ins: Insertion): GestureResult {
  checkRoom(s, 'a processor');
  const { scenario, actionIndex } = insert(s, ins, { do: 'hotAddProcessor' });
  const needed = processorCount(scenario);
  if (needed > scenario.machine.maxProcessors) scenario.machine.maxProcessors = Math.min(needed, LIMITS.units);
  return { scenario, actionIndex, select: { kind: 'processor' } };
}

/** Every memory module id the scenario can ever have (boot, then hot-adds in timeline order). */
export function memoryIds(s: NormalizedScenario): string[] {
  const ids = s.machine.memory.map((m) => m.id);
  for (const a of s.timeline) if (a.do === 'hotAddMemory' && !ids.includes(a.id)) ids.push(a.id);
  return ids;
}

/** The first `${prefix}N` (N = 0, 1, …) that is not taken. */
function freshId(prefix: string, taken: Set<string>, from = 0): string {
  for (let n = from; ; n++) if (!taken.has(`${prefix}${n}`)) return `${prefix}${n}`;
}

/** Palette "Memory module": hot-add a 4 GiB module memN. */
export function addMemory(s: NormalizedScenario, ins: Insertion, sizeMiB = 4096): GestureResult {
  checkRoom(s, 'a memory module');
  const id = freshId('mem', new Set(memoryIds(s)));
  const { scenario, actionIndex } = insert(s, ins, { do: 'hotAddMemory', id, sizeMiB });
  return { scenario, actionIndex, select: { kind: 'memory', id } };
}

const PARTITION_CLASSES = new Set(['GUID_DEVICE_PROCESSOR', 'GUID_DEVICE_MEMORY']);

/** Interface classes some driver or app registers for (EventCategoryDeviceInterfaceChange / CM DEVICEINTERFACE). */
export function listenedClasses(s: NormalizedScenario): string[] {
  const found: string[] = [];
  const add = (v: unknown) => {
    if (typeof v === 'string' && (v.startsWith('GUID_') || v.startsWith('{')) && !PARTITION_CLASSES.has(v) && !found.includes(v)) found.push(v);
  };
  const visit = (ops: readonly Op[]) => {
    for (const op of ops) {
      if ('call' in op) {
        if (op.call === 'IoRegisterPlugPlayNotification' && op.EventCategory === 'EventCategoryDeviceInterfaceChange') add(op.EventCategoryData);
        if (op.call === 'CM_Register_Notification' || op.call === 'CM_Get_Device_Interface_List') {
          const filter = op.pFilter as Record<string, unknown> | undefined;
          add(filter?.ClassGuid ?? op.InterfaceClassGuid);
        }
      } else if (op.op === 'if') {
        visit(op.then);
        if (op.else) visit(op.else);
      } else if (op.op === 'forEach') visit(op.do);
    }
  };
  const visitBody = (b: RoutineBody) => {
    if (Array.isArray(b)) visit(b);
    else {
      for (const ops of Object.values(b.cases)) visit(ops);
      if (b.default) visit(b.default);
    }
  };
  for (const c of [...Object.values(s.drivers), ...Object.values(s.apps)]) for (const b of Object.values(c.routines)) visitBody(b);
  return found;
}

export const GENERIC_INTERFACE = 'GUID_DEVINTERFACE_GENERIC';

/** The interface class a new device exposes: one somebody listens for, else one a device already has, else a generic one. */
export function newDeviceClass(s: NormalizedScenario): string {
  const listened = listenedClasses(s);
  if (listened.length > 0) return listened[0];
  for (const d of s.machine.devices) for (const c of d.interfaces) if (!PARTITION_CLASSES.has(c)) return c;
  return GENERIC_INTERFACE;
}

/**
 * Palette "Device": a new device deviceN (not present at boot) driven by a generic function driver
 * genericN with no routines (the engine's default IRP handlers), under `parent`; then plug it in.
 */
export function addDevice(s: NormalizedScenario, ins: Insertion, parent = 'root'): GestureResult {
  checkRoom(s, 'a device');
  if (Object.keys(s.drivers).length + Object.keys(s.apps).length >= LIMITS.components) {
    throw new GestureError(`Cannot add a device: the scenario already has ${LIMITS.components} drivers and apps, the most it may have.`);
  }
  if (parent !== 'root' && !s.machine.devices.some((d) => d.id === parent)) throw new GestureError(`There is no device ${parent} to plug into.`);
  const taken = new Set([...s.machine.devices.map((d) => d.id), ...Object.keys(s.drivers), ...Object.keys(s.apps)]);
  // deviceN and genericN share N so the pair reads as one.
  let n = 1;
  while (taken.has(`device${n}`) || taken.has(`generic${n}`)) n++;
  const id = `device${n}`;
  const driver = `generic${n}`;
  const cls = newDeviceClass(s);
  const { scenario, actionIndex } = insert(s, ins, { do: 'plug', device: id });
  scenario.drivers[driver] = { globals: {}, routines: {} };
  scenario.machine.devices.push({ id, parent, stack: [driver], interfaces: [cls], present: false });
  return { scenario, actionIndex, select: { kind: 'device', id } };
}

export type DeviceVerb = 'eject' | 'surpriseRemove' | 'plug';
export type DriverVerb = 'load' | 'unload';
export type AppVerb = 'start' | 'exit';

function need(cond: boolean, message: string) {
  if (!cond) throw new GestureError(message);
}

/** Actions panel, device: "Eject" (the shell's safe removal), "Surprise remove", "Plug in". */
export function deviceAction(s: NormalizedScenario, ins: Insertion, verb: DeviceVerb, device: string): GestureResult {
  need(s.machine.devices.some((d) => d.id === device), `There is no device ${device}.`);
  const r = insert(s, ins, { do: verb, device });
  return { ...r, select: { kind: 'device', id: device } };
}

/** Actions panel, driver: "Load", "Unload". */
export function driverAction(s: NormalizedScenario, ins: Insertion, verb: DriverVerb, driver: string): GestureResult {
  need(driver in s.drivers, `There is no driver ${driver}.`);
  const r = insert(s, ins, { do: verb, driver });
  return { ...r, select: { kind: 'driver', id: driver } };
}

/** Actions panel, app: "Start", "Exit". */
export function appAction(s: NormalizedScenario, ins: Insertion, verb: AppVerb, app: string): GestureResult {
  need(app in s.apps, `There is no app ${app}.`);
  const r = insert(s, ins, { do: verb, app });
  return { ...r, select: { kind: 'app', id: app } };
}

/** Routines the timeline can sensibly `run` for a component (not DriverEntry/Unload/main or IRP handlers). */
export function runnableRoutines(s: NormalizedScenario, component: string): string[] {
  const c = s.drivers[component] ?? s.apps[component];
  if (!c) return [];
  return Object.keys(c.routines).filter((r) => r !== 'DriverEntry' && r !== 'Unload' && r !== 'main' && !r.startsWith('IRP_MN_'));
}

/** Actions panel: run one of a driver's or app's routines on its own thread. */
export function runRoutine(s: NormalizedScenario, ins: Insertion, component: string, routine: string): GestureResult {
  const isDriver = component in s.drivers;
  need(isDriver || component in s.apps, `There is no driver or app ${component}.`);
  const c = isDriver ? s.drivers[component] : s.apps[component];
  need(routine in c.routines, `${component} has no routine ${routine}.`);
  const r = insert(s, ins, { do: 'run', component, routine });
  return { ...r, select: { kind: isDriver ? 'driver' : 'app', id: component } };
}

/** Actions panel, processor: "Remove processor" — the engine refuses it and says why (KE-6). */
export function removeProcessor(s: NormalizedScenario, ins: Insertion, NtNumber: number): GestureResult {
  need(Number.isSafeInteger(NtNumber) && NtNumber >= 0, `Not a processor number: ${NtNumber}.`);
  const r = insert(s, ins, { do: 'removeProcessor', NtNumber });
  return { ...r, select: { kind: 'processor', NtNumber } };
}

/** Actions panel, memory module: "Remove memory module" — refused like processor removal (a modelling choice, KE-6). */
export function removeMemory(s: NormalizedScenario, ins: Insertion, id: string): GestureResult {
  need(memoryIds(s).includes(id), `There is no memory module ${id}.`);
  const r = insert(s, ins, { do: 'removeMemory', id });
  return { ...r, select: { kind: 'memory', id } };
}

/** A choice point as the engine reports it: its old `at` and its stable address. */
export interface ChoiceAddress {
  at: number;
  step: number;
  choice: number;
}

/** Does override `o` address a choice point at or after `p`? */
const atOrAfter = (o: NormalizedScenario['schedule'][number], p: ChoiceAddress) =>
  o.step !== undefined && o.choice !== undefined ? o.step > p.step || (o.step === p.step && o.choice >= p.choice) : (o.at ?? 0) >= p.at;

/**
 * The thread picker: at choice point `p`, run `thread`. Writes the stable form `{ step, choice, run }`
 * (docs/scenario-format.md §5); replaces an override at `p` and drops the ones after it, which may no longer
 * be reachable.
 */
export function pickThread(s: NormalizedScenario, p: ChoiceAddress, thread: string): NormalizedScenario {
  const next = clone(s);
  next.schedule = [...next.schedule.filter((o) => !atOrAfter(o, p)), { step: p.step, choice: p.choice, run: thread }];
  return next;
}
