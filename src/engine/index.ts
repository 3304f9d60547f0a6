// The engine's public entry: boot (docs/scenario-format.md §2), the timeline (§4) and the run.
import type { NormalizedScenario, ScheduleOverride, TimelineAction } from '../scenario/types.ts';
import type { ValidationError } from '../scenario/errors.ts';
import { Engine, type ChoicePoint, type Explorer, type RunLimits, type ApiHandlers, type TraceSink } from './engine.ts';
export { DEFAULT_LIMITS, type ChoicePoint, type Explorer, type RunLimits, type Thread, type TraceSink } from './engine.ts';

import type { PnpEvent, World } from './model.ts';
import { callFrame, frame, OP, ret, waitThen, type Frame, type Routine } from './frame.ts';
import { table, tableOf } from './dict.ts';
import { list } from './lists.ts';
import type { SystemApiName, TraceEntry } from './trace.ts';
import * as ke from './kernel/ke.ts';
import * as io from './kernel/io.ts';
import * as mem from './kernel/mem.ts';
import * as report from './kernel/report.ts';
import * as cm from './user/cm.ts';
import * as requests from './pnp/requests.ts';
import { exitApp, loadDriver, runRoutine, startApp, unloadDriver } from './lifecycle.ts';
import { enableInterface, instanceId, memorySymlink, processorSymlink, queueEvent } from './pnp/devices.ts';
import { vetoRule } from './pnp/events.ts';
import { ruleMentioned, type RuleId } from './rules/ids.ts';
import { appMainThread, driverThread } from './ids/threads.ts';
import { entityId } from './ids/entities.ts';

export type { TraceEntry } from './trace.ts';

const HANDLERS: ApiHandlers = {
  KeRegisterProcessorChangeCallback: ke.KeRegisterProcessorChangeCallback,
  KeDeregisterProcessorChangeCallback: ke.KeDeregisterProcessorChangeCallback,
  IoRegisterPlugPlayNotification: io.IoRegisterPlugPlayNotification,
  IoUnregisterPlugPlayNotification: io.IoUnregisterPlugPlayNotification,
  IoUnregisterPlugPlayNotificationEx: io.IoUnregisterPlugPlayNotificationEx,
  IoGetDeviceObjectPointer: io.IoGetDeviceObjectPointer,
  IoRequestDeviceEject: requests.IoRequestDeviceEject,
  IoInvalidateDeviceState: requests.IoInvalidateDeviceState,
  IoRegisterDeviceInterface: io.IoRegisterDeviceInterface,
  IoSetDeviceInterfaceState: io.IoSetDeviceInterfaceState,
  ObDereferenceObject: io.ObDereferenceObject,
  IoReportTargetDeviceChangeAsynchronous: report.IoReportTargetDeviceChangeAsynchronous,
  IoReportTargetDeviceChange: report.IoReportTargetDeviceChange,
  ExAllocatePool2: mem.ExAllocatePool2,
  ExFreePool: mem.ExFreePool,
  IoQueueWorkItem: mem.IoQueueWorkItem,
  KeWaitForSingleObject: mem.KeWaitForSingleObject,
  KeAcquireSpinLock: mem.KeAcquireSpinLock,
  KeReleaseSpinLock: mem.KeReleaseSpinLock,
  KeRaiseIrql: mem.KeRaiseIrql,
  KeLowerIrql: mem.KeLowerIrql,
  CM_Register_Notification: cm.CM_Register_Notification,
  CM_Unregister_Notification: cm.CM_Unregister_Notification,
  CM_Get_Device_Interface_List: cm.CM_Get_Device_Interface_List,
  CM_Get_Device_Interface_List_Size: cm.CM_Get_Device_Interface_List_Size,
  CM_Request_Device_Eject: requests.CM_Request_Device_Eject,
  CreateFile: cm.CreateFile,
  CloseHandle: cm.CloseHandle,
  SubmitThreadpoolWork: cm.SubmitThreadpoolWork,
  QueueUserWorkItem: cm.QueueUserWorkItem,
  WaitForThreadpoolWorkCallbacks: cm.WaitForThreadpoolWorkCallbacks,
  HeapAlloc: cm.HeapAlloc,
  HeapFree: cm.HeapFree,
};

export type RunOutcome =
  | {
      ok: true;
      trace: TraceEntry[];
      choices: ChoicePoint[];
      /**
       * Present when the scenario's schedule had old-form (`at`) overrides: the same schedule with each
       * of them addressed as `{ step, choice, run }` (an `at` that fell on a boundary with a single
       * runnable thread chose nothing and is dropped). The trace is the same either way.
       */
      migratedSchedule?: ScheduleOverride[];
    }
  | { ok: false; errors: ValidationError[] };

/** A run whose entries went to a sink (streamScenario): how many there were, instead of the trace. */
export type StreamOutcome =
  | ({ ok: true; entries: number } & Omit<Extract<RunOutcome, { ok: true }>, 'ok' | 'trace'>)
  | { ok: false; errors: ValidationError[] };

/** The limits of a run (DL-3), each defaulting to DEFAULT_LIMITS; `opBudget` is the older name of `maxOps`. */
export interface RunOptions extends Partial<RunLimits> {
  opBudget?: number;
  /** Drives the scheduler instead of the scenario's `schedule` (src/engine/explore). */
  explorer?: Explorer;
}

function createWorld(s: NormalizedScenario): World {
  const world: World = {
    maxProcessors: s.machine.maxProcessors, processors: list(), memory: list(), devices: table(), deviceOrder: list(),
    interfaces: table(), interfaceOrder: list(), components: table(), registrations: table(), registrationOrder: list(),
    handles: table(), allocations: table(), workItems: table(), events: list(), counters: table(), locks: table(), mutexes: new Map(),
  };
  for (const [id, spec] of Object.entries(s.drivers)) {
    world.components[id] = { id, kind: 'driver', state: 'not-loaded', vars: tableOf(spec.globals), holds: undefined, unloadReturned: undefined };
  }
  for (const [id, spec] of Object.entries(s.apps)) {
    world.components[id] = { id, kind: 'app', state: 'not-started', vars: tableOf(spec.globals), holds: undefined, unloadReturned: undefined };
  }
  for (const d of s.machine.devices) {
    world.devices[d.id] = { id: d.id, parent: d.parent, stack: [...d.stack], classes: [...d.interfaces], state: 'not-present', symlinks: [], arrivals: 0 };
    world.deviceOrder.push(d.id);
  }
  return world;
}

/** Boot (step 0): processors and memory present, drivers of present devices loaded; then (`startDevices`) devices started. */
function boot(engine: Engine) {
  const { world, scenario } = engine;
  for (let n = 0; n < scenario.machine.processors; n++) {
    const p = { NtNumber: n, Group: Math.floor(n / 64), Number: n % 64, state: 'active' as const, symlink: processorSymlink(n) };
    world.processors.push(p);
    engine.state(entityId('processor', n), 'not-present', 'active', { Group: p.Group, Number: p.Number });
    enableInterface(engine, p.symlink, 'GUID_DEVICE_PROCESSOR', `processor${n}`, false);
  }
  for (const m of scenario.machine.memory) addMemory(engine, m.id, m.sizeMiB, false);
  for (const d of Object.values(engine.scenario.machine.devices)) {
    engine.state(entityId('device', d.id), 'none', 'not-present', { parent: d.parent, stack: d.stack, interfaces: d.interfaces, instanceId: instanceId(world.devices[d.id]) });
  }
  const present = scenario.machine.devices.filter((d) => d.present);
  const loaded = new Set<string>();
  for (const d of present) {
    for (const drv of d.stack) {
      if (loaded.has(drv)) continue;
      loaded.add(drv);
      engine.submit(driverThread(drv), 'load', frame(loadDriver, { driver: drv }));
    }
  }
}

function startDevices(engine: Engine) {
  for (const d of engine.scenario.machine.devices) if (d.present) queueEvent(engine, { kind: 'DeviceArrival', device: d.id });
}

/** A memory module: present at boot (interface enabled silently), or hot-added (its device starts on pnp, IO-10). */
function addMemory(engine: Engine, id: string, sizeMiB: number, hotAdded: boolean) {
  const symlink = memorySymlink(id);
  engine.world.memory.push({ id, sizeMiB, state: 'active', symlink });
  engine.state(entityId('memory', id), 'not-present', 'active', { sizeMiB }, hotAdded ? { rule: 'IO-10' } : {});
  if (hotAdded) queueEvent(engine, { kind: 'DeviceArrival', device: id, unit: { symlink, className: 'GUID_DEVICE_MEMORY' } }, 'IO-10');
  else enableInterface(engine, symlink, 'GUID_DEVICE_MEMORY', id, false);
}

/** The rule a gesture sets in motion (none for starting an app or running a routine). */
function actionRule(engine: Engine, a: TimelineAction): RuleId | undefined {
  switch (a.do) {
    case 'load':
      return 'DRV-1';
    case 'unload':
      return 'DRV-2';
    case 'hotAddProcessor':
      return 'KE-1';
    case 'hotAddMemory':
      return 'IO-10';
    case 'removeProcessor':
    case 'removeMemory':
      return 'KE-6';
    case 'eject':
      return 'RM-1';
    case 'surpriseRemove':
      return 'RM-5';
    case 'plug':
      return engine.world.devices[a.device]?.state === 'removed' ? 'RM-8' : 'IO-2';
    default:
      return undefined;
  }
}

/** The thread a timeline action runs on, and the job it submits. */
function startAction(engine: Engine, a: TimelineAction, index: number) {
  engine.step = index + 1;
  const { world } = engine;
  const rule = actionRule(engine, a);
  const action = (thread: string) => {
    engine.emit({ type: 'action', action: a, index, ...(rule ? { rule } : {}) }, thread);
  };
  const run = (thread: string, body: Frame, service = true) => {
    action(thread);
    if (a.note) {
      // The gesture's narration: the rule it names, else the gesture's own.
      const noteRule = ruleMentioned(a.note) ?? rule;
      engine.emit({ type: 'note', text: a.note, ...(noteRule ? { rule: noteRule } : {}) }, thread);
    }
    engine.submit(thread, a.do, body, service);
  };
  switch (a.do) {
    case 'load':
      return run(driverThread(a.driver), frame(loadDriver, { driver: a.driver }));
    case 'unload':
      return run(driverThread(a.driver), frame(unloadDriver, { driver: a.driver }));
    case 'start':
      return run(appMainThread(a.app), frame(startApp, { app: a.app }));
    case 'run':
      return run(world.components[a.component].kind === 'app' ? appMainThread(a.component) : driverThread(a.component),
        frame(runRoutine, { component: a.component, routine: a.routine }));
    case 'exit':
      action('system');
      return exitApp(engine, a.app);
    case 'hotAddProcessor':
      return run('hotplug', frame(ke.hotAddProcessor, { p: null, regs: [], status: null, i: 0 }));
    case 'hotAddMemory':
      return run('hotplug', frame(hotAddMemory, { id: a.id, sizeMiB: a.sizeMiB }));
    case 'removeProcessor':
      action('hotplug');
      engine.raise('KE-6', 'remove', `Processor ${a.NtNumber} cannot be removed: Windows never removes an active processor; the number of active processors and groups only grows. Nothing changes.`);
      return;
    case 'removeMemory':
      action('hotplug');
      engine.raise('KE-6', 'remove', `Memory module ${a.id} is not removed: like processors, memory is only ever added in this playground (a modelling choice — Windows practically never completes a memory hot-remove).`);
      return;
    case 'plug':
      action('pnp');
      queueEvent(engine, { kind: 'DeviceArrival', device: a.device });
      return;
    case 'surpriseRemove':
      action('pnp');
      queueEvent(engine, { kind: 'SurpriseRemoval', device: a.device });
      return;
    case 'eject':
      return run('shell', frame(eject, { device: a.device }));
  }
}

interface HotAddMemoryFrame extends Frame {
  id: string;
  sizeMiB: number;
}

/** A memory hot-add on the `hotplug` thread: IO-10, no synchronous notification for memory. */
const hotAddMemory: Routine<HotAddMemoryFrame> = (engine, f) => {
  if (f.pc === 0) {
    f.pc = 1;
    return OP;
  }
  addMemory(engine, f.id, f.sizeMiB, true);
  return ret();
};

interface EjectFrame extends Frame {
  device: string;
}

const REMOVE_SUBTREE: SystemApiName = 'CM_Query_And_Remove_SubTree';

/** The shell's "safely remove": CM_Query_And_Remove_SubTree, answered when the PnP manager is done (RM-1…RM-4). */
const eject: Routine<EjectFrame> = (engine, f) => {
  if (f.pc === 1) return ret();
  const { device } = f;
  engine.emit({ type: 'call', component: 'shell', api: REMOVE_SUBTREE, args: { dnAncestor: device, ulFlags: 'CM_REMOVE_UI_OK' }, rule: 'RM-1' });
  const ev = queueEvent(engine, { kind: 'QueryAndRemove', device });
  f.pc = 1;
  return callFrame(waitThen({ k: 'event', event: ev.id, what: `the PnP manager to remove ${device}` }, ev, removed));
};

const removed = (engine: Engine, ev: PnpEvent) => {
  const r = ev.result ?? { status: 'CR_FAILURE' };
  engine.emit({
    type: 'return', component: 'shell', api: REMOVE_SUBTREE, result: r.status,
    out: { pVetoType: r.vetoType ?? null, pszVetoName: r.vetoName ?? null },
    rule: r.vetoType ? vetoRule(r.vetoType) : 'RM-1',
  });
};

/** Start timeline action `index` (a module-level function, so a run's state holds no closure: explore/state.ts). */
const startActionAt = (engine: Engine, index: number) => startAction(engine, engine.scenario.timeline[index], index);

/**
 * Start a run: boot, then the timeline, to the end — or, when its explorer pauses it at a choice
 * point, to there (`engine.paused`; `resume`, then `proceed`). Entries go to `sink` whenever the
 * system is quiescent (with `keep`, the engine keeps them, for forking: Engine.fork).
 */
export function startRun(scenario: NormalizedScenario, options: RunOptions & { keep?: boolean }, sink?: TraceSink): Engine {
  const engine = new Engine(scenario, createWorld(scenario), { ...options, handlers: HANDLERS, sink });
  // An action with `during` starts at its point inside an earlier action, not at quiescence.
  scenario.timeline.forEach((a, index) => {
    if (a.during) engine.arm({ index, ...a.during, fire: startActionAt });
  });
  proceed(engine);
  return engine;
}

/**
 * Run threads until quiescent; then hand the entries over if `flush`. Module-level, not a closure in
 * `proceed`: proceed runs once per resumed fork (explore/explore.ts), and a closure made per call costs.
 */
function settleThen(engine: Engine, flush: boolean): void {
  engine.recheckBlocked();
  engine.progress.settling = true;
  engine.progress.flushAfter = flush;
}

/** Go on with a run from where it is (engine.progress) until it ends or pauses at a choice point. */
export function proceed(engine: Engine): void {
  const p = engine.progress;
  const timeline = engine.scenario.timeline;
  for (;;) {
    if (p.settling) {
      engine.settle();
      if (engine.paused) return;
      p.settling = false;
      if (p.flushAfter) engine.flush();
    }
    switch (p.phase) {
      case 'boot':
        boot(engine);
        p.phase = 'arrivals';
        settleThen(engine, false);
        break;
      case 'arrivals':
        startDevices(engine);
        p.phase = 'timeline';
        settleThen(engine, true);
        break;
      case 'timeline':
        while (p.next < timeline.length && timeline[p.next].during) p.next++;
        if (engine.halted || p.next >= timeline.length) {
          p.phase = 'end';
          break;
        }
        startAction(engine, timeline[p.next], p.next);
        p.next++;
        while (p.next < timeline.length && timeline[p.next].concurrent && !engine.halted) {
          startAction(engine, timeline[p.next], p.next);
          p.next++;
        }
        settleThen(engine, true);
        break;
      case 'end':
        if (engine.scheduleErrors.length === 0) {
          if (!engine.halted) engine.halt('quiescent');
          engine.finishSchedule();
          // A run that ended early (a bug check, a deadlock, a limit) may never reach a `during` point: not an error.
          const last = engine.lastEntry;
          if (last?.type === 'halt' && last.reason === 'quiescent') engine.finishTriggers();
        }
        engine.flush();
        p.phase = 'done';
        return;
      case 'done':
        return;
    }
  }
}

/** The run's choice points, and its schedule migrated to the choice-point form if it had old-form overrides. */
function choicesOf(engine: Engine) {
  const migrated = migrateSchedule(engine.scenario.schedule, engine.appliedAt());
  return { choices: engine.choices, ...(migrated ? { migratedSchedule: migrated } : {}) };
}

/** Run a validated scenario to its end. Never throws on a valid scenario: faults are trace entries. */
export function runScenario(scenario: NormalizedScenario, options: RunOptions = {}): RunOutcome {
  const engine = startRun(scenario, options);
  if (engine.scheduleErrors.length > 0) return { ok: false, errors: engine.scheduleErrors };
  return { ok: true, trace: engine.trace, ...choicesOf(engine) };
}

/**
 * runScenario, handing the trace to `sink` in batches as the run goes (the same entries, in order,
 * each final when handed over) instead of keeping it: the command-line runner serialises each batch
 * and lets it go; a caller that needs only the choice points or the outcome passes `() => {}`.
 * With `ok: false` (a schedule that does not fit the run) the entries already handed over belong
 * to a run that is not valid: discard them. No explorer: it reads the trace so far at every choice.
 */
export function streamScenario(scenario: NormalizedScenario, sink: TraceSink, options: Omit<RunOptions, 'explorer'> = {}): StreamOutcome {
  const engine = startRun(scenario, options, sink);
  if (engine.scheduleErrors.length > 0) return { ok: false, errors: engine.scheduleErrors };
  return { ok: true, entries: engine.seq, ...choicesOf(engine) };
}

/** Old-form overrides (`at`) rewritten as `{ step, choice, run }`, from where the run applied them; undefined when there is none. */
function migrateSchedule(schedule: ScheduleOverride[], applied: Map<number, { step: number; choice: number }>): ScheduleOverride[] | undefined {
  if (!schedule.some((o) => o.at !== undefined)) return undefined;
  return schedule.flatMap((o, i) => {
    if (o.at === undefined) return [o];
    const where = applied.get(i);
    return where ? [{ step: where.step, choice: where.choice, run: o.run }] : [];
  });
}
