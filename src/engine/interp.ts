// The op interpreter: routine bodies, values, conditions, and API calls (docs/scenario-format.md §3).
import type { ApiCallOp, Cond, ControlOp, NormalizedScenario, Op, RoutineBody, Value } from '../scenario/types.ts';
import { APIS, IRQL_NAMES, isApiName, type ApiName, type Irql } from './api.ts';
import { isConstant, ntSuccess } from './constants.ts';
import type { Engine, Thread } from './engine.ts';
import { OP, call, callFrame, constRet, isFrame, ret, type Frame, type Routine, type Step } from './frame.ts';
import type { Component, Registration } from './model.ts';
import { ruleMentioned, type RuleId } from './rules/ids.ts';
import type { EntryOf, RuleStamp, TraceEntry, Verdict } from './trace.ts';
import { unpin } from './kernel/registrations.ts';
import { dict, own, table } from './dict.ts';
import { derived, immutableLocals } from './fork.ts';

/** A running routine: its component, arguments and loop variables. */
export interface Activation {
  engine: Engine;
  thread: Thread;
  component: Component;
  routine: string;
  args: Record<string, unknown>;
  locals: Record<string, unknown>;
  /** The processor add's shared *OperationStatus (KE-2), when the routine is a processor callback. */
  operationStatus?: { value: string; writer?: string; state: string };
  /** The registration whose callback this routine is, when the system called it as one. */
  registration?: Registration;
  /** The PNP_DEVICE_STATE flags of the IRP_MN_QUERY_PNP_DEVICE_STATE this routine handles (RM-11). */
  pnpDeviceState?: Set<string>;
}

export interface CallResult {
  result: unknown;
  /** Out-parameter values by parameter name. */
  out?: Record<string, unknown>;
  /** The rule the return answers to when it differs from the call's (a refusal: CM-1, RM-6). */
  rule?: RuleId;
}

/** One API call in progress: what its handler is given. */
export class CallCtx {
  /** The rule stamp the handler chose (govern), put on the call and return entries. */
  stamp: RuleStamp = {};

  constructor(
    readonly engine: Engine,
    readonly act: Activation,
    readonly op: ApiCallOp,
    /** Evaluated arguments, as shown in the trace. */
    readonly args: Record<string, unknown>,
    /** The call's trace entry (null once halted). */
    readonly entry: TraceEntry | null,
  ) {}

  /**
   * The handler names the rule it applies to this call (and, where it checks it, the verdict):
   * stamped on the call and return entries, and the rule of what happens inside the call.
   */
  govern(rule: RuleId, verdict?: Verdict): void {
    this.stamp = verdict ? { rule, verdict } : { rule };
    if (this.entry) Object.assign(this.entry, this.stamp);
    this.engine.closeRule();
    this.engine.openRule(rule);
  }
}

/**
 * What an API call does: its result at once, or a frame to run (a call that waits or calls back:
 * `waitThen`, `pauseThen`, a routine) whose result is the CallResult.
 */
export type Handler = (x: CallCtx) => CallResult | Frame;

type Flow = { ret: false } | { ret: true; value: unknown };

// ---------------------------------------------------------------- values

export function readVar(act: Activation, name: string): unknown {
  if (Object.hasOwn(act.locals, name)) return act.locals[name];
  return Object.hasOwn(act.component.vars, name) ? act.component.vars[name] : null;
}

export function writeVar(act: Activation, name: string, value: unknown): void {
  if (Object.hasOwn(act.locals, name)) act.locals[name] = value;
  else act.component.vars[name] = value;
}

/** `$Struct.Field`: a field of a structure argument (`$ProcNumber.Group`); NULL when absent. */
function field(args: Record<string, unknown>, struct: string, name: string): unknown {
  const s = Object.hasOwn(args, struct) ? args[struct] : null;
  return s !== null && typeof s === 'object' && Object.hasOwn(s, name) ? (s as Record<string, unknown>)[name] : null;
}

/** What a string value names: an argument (`$Name`), a field of one (`$Struct.Field`), a constant, or a variable. */
type Ref =
  | { k: 'arg'; name: string; context: boolean }
  | { k: 'field'; struct: string; name: string }
  | { k: 'literal' }
  | { k: 'var' };

/** Refs by value text, worked out once per text (values are the scenario's strings); bounded. */
const REFS = new Map<string, Ref>();
const LITERAL: Ref = { k: 'literal' };
const VAR: Ref = { k: 'var' };

function refOf(v: string): Ref {
  let r = REFS.get(v);
  if (r !== undefined) return r;
  if (v.startsWith('$')) {
    const name = v.slice(1);
    const dot = name.indexOf('.');
    r = dot > 0 ? { k: 'field', struct: name.slice(0, dot), name: name.slice(dot + 1) } : { k: 'arg', name, context: name.endsWith('Context') };
  } else {
    // A device instance id written out (`ACPI\\ACPI0007\\1`): never a variable name (validation allows it for instance ids only).
    r = isConstant(v) || v.includes('\\') ? LITERAL : VAR;
  }
  if (REFS.size >= 4096) REFS.clear();
  REFS.set(v, r);
  return r;
}

export function evaluate(act: Activation, v: Value | undefined): unknown {
  if (v === undefined || v === null || typeof v !== 'string') return v ?? null;
  const r = refOf(v);
  switch (r.k) {
    case 'arg': {
      const value = Object.hasOwn(act.args, r.name) ? act.args[r.name] : null;
      if (r.context && isAllocation(value)) checkUse(act, value);
      return value;
    }
    case 'field':
      return field(act.args, r.struct, r.name);
    case 'literal':
      return v;
    case 'var':
      return readVar(act, v);
  }
}

/**
 * UN-5 / CM-10: a routine that reads its context after the buffer was freed — e.g. a callback still
 * running after IoUnregisterPlugPlayNotification returned and the driver freed the context (UN-1).
 */
function checkUse(act: Activation, id: string) {
  const a = act.engine.world.allocations[id];
  if (!a?.freed) return;
  const who = `${act.component.id}!${act.routine}`;
  if (a.kind === 'heap') {
    act.engine.raise('CM-10', 'useAfterFree', `${who} uses its context ${id} after it was freed: a use-after-free (access violation in ${act.component.id}).`);
  } else {
    act.engine.raise('UN-5', 'useAfterFree', `${who} uses its context ${id}, which ${a.owner} already freed: free the context only after the unregister returned.`);
  }
}

/** Is this value a pointer to a pool or heap allocation? */
export const isAllocation = (v: unknown): v is string =>
  typeof v === 'string' && (v.startsWith('pool:') || v.startsWith('heap:'));

/** An opaque handle the engine issued (a registration, an open handle, a work item): pointer-sized, passed as is. */
const isEngineHandle = (act: Activation, v: unknown): boolean => {
  const w = act.engine.world;
  return typeof v === 'string' && (Object.hasOwn(w.registrations, v) || Object.hasOwn(w.handles, v) || Object.hasOwn(w.workItems, v));
};

/**
 * A context parameter: a variable holding a buffer or a handle passes it (as the format's
 * SubmitThreadpoolWork example passes hDeviceNotify); any other variable is passed by address
 * (`&Name`), as seed 000 passes `&CallbackStatus`.
 */
export function evaluateContext(act: Activation, v: Value | undefined): unknown {
  if (typeof v === 'string' && !v.startsWith('$') && !isConstant(v)) {
    const value = readVar(act, v);
    return isAllocation(value) || isEngineHandle(act, value) || (typeof value === 'string' && value.startsWith('&')) ? value : `&${v}`;
  }
  return evaluate(act, v);
}

function truthy(act: Activation, c: Cond): boolean {
  if ('isNull' in c) return evaluate(act, c.isNull) === null;
  if ('eq' in c) return evaluate(act, c.eq[0]) === evaluate(act, c.eq[1]);
  if ('ntSuccess' in c) return ntSuccess(evaluate(act, c.ntSuccess));
  if ('not' in c) return !truthy(act, c.not);
  const list = readVar(act, c.contains[0]);
  return Array.isArray(list) && list.includes(evaluate(act, c.contains[1]));
}

// ---------------------------------------------------------------- routines

/** The ops to run for these arguments, and their JSON path inside the routine (`/cases/<key>`, `/default`). */
export function bodyOps(body: RoutineBody | undefined, args: Record<string, unknown>): { ops: Op[]; path: string } {
  if (!body) return { ops: [], path: '' };
  if (Array.isArray(body)) return { ops: body, path: '' };
  const key = args[body.switch];
  if (typeof key === 'string' && Object.hasOwn(body.cases, key)) return { ops: body.cases[key], path: `/cases/${key}` };
  return { ops: body.default ?? [], path: '/default' };
}

/**
 * A list of ops (a routine body, a branch, a loop body) with the JSON pointer of each op, built once
 * per list and not at every step: the pointers are the trace's `op` fields and the threads'
 * pendingOp. Derived from the scenario alone (never changed by a run), so every run and fork of a
 * scenario shares them (fork.ts `derived`).
 */
export interface Block {
  ops: Op[];
  /** The list's JSON pointer: `/drivers/<id>/routines/<routine>[/cases/<key>]`, `…/<i>/then`. */
  base: string;
  /** `${base}/${i}` for each op. */
  at: string[];
  /** For a `note` op, the rule its text names (ruleMentioned), else null. */
  mentions: (RuleId | null)[];
  /** Is op i an API call (`call`) rather than a control op? */
  calls: boolean[];
  /** The blocks inside op i (its `then`, `else` or `do` ops), made when first run. */
  inner: (Partial<Record<InnerPart, Block>> | undefined)[];
}

type InnerPart = 'then' | 'else' | 'do';

function makeBlock(ops: Op[], base: string): Block {
  const at = new Array<string>(ops.length);
  const mentions = new Array<RuleId | null>(ops.length);
  const calls = new Array<boolean>(ops.length);
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    at[i] = `${base}/${i}`;
    calls[i] = 'call' in op;
    mentions[i] = !('call' in op) && op.op === 'note' ? ruleMentioned(op.text) : null;
  }
  // Frozen, so forks share it (fork.ts); only the inner blocks found on first run are added, each as
  // final as its outer block. Derived (fork.ts), so the explorer's state keys name it by its pointer.
  return derived(Object.freeze({ ops, base, at, mentions, calls, inner: new Array(ops.length).fill(undefined) }), base);
}

/** The block of op i's `then`, `else` or `do` ops. */
function innerBlock(outer: Block, i: number, part: InnerPart, ops: Op[]): Block {
  const inner = (outer.inner[i] ??= {});
  let b = inner[part];
  if (b === undefined || b.ops !== ops) inner[part] = b = makeBlock(ops, `${outer.at[i]}/${part}`);
  return b;
}

/** A routine's blocks: the whole body, or one per case of a `switch` body (and its default). */
interface RoutineBlocks {
  body: RoutineBody | undefined;
  whole: Block | null;
  cases: Map<string, Block>;
  /** The routine's record on a thread's `frames` while it runs: one, frozen, shared by every call and fork. */
  record: Readonly<{ component: string; routine: string }>;
}

/** The routines' blocks of each scenario, by component and routine. */
const ROUTINE_BLOCKS = new WeakMap<NormalizedScenario, Map<string, Map<string, RoutineBlocks>>>();
const NO_OPS: Op[] = [];

/** A routine of a component: its body's blocks and its frame record. */
function routineOf(scenario: NormalizedScenario, component: Component, routine: string): RoutineBlocks {
  let byComponent = ROUTINE_BLOCKS.get(scenario);
  if (byComponent === undefined) ROUTINE_BLOCKS.set(scenario, (byComponent = new Map()));
  let byRoutine = byComponent.get(component.id);
  if (byRoutine === undefined) byComponent.set(component.id, (byRoutine = new Map()));
  let r = byRoutine.get(routine);
  if (r === undefined) {
    const spec = own(scenario.drivers, component.id) ?? own(scenario.apps, component.id);
    r = { body: own(spec?.routines, routine), whole: null, cases: new Map(), record: Object.freeze({ component: component.id, routine }) };
    byRoutine.set(routine, r);
  }
  return r;
}

/** The block to run for a routine of a component called with these arguments (bodyOps, with each op's pointer). */
function blockOf(r: RoutineBlocks, component: Component, routine: string, args: Record<string, unknown>): Block {
  const body = r.body;
  if (body === undefined || Array.isArray(body)) return (r.whole ??= makeBlock(body ?? NO_OPS, routinePath(component, routine)));
  // By the switch value when it is a string (a case name or not: each keeps the block bodyOps chose for it).
  const key = args[body.switch];
  let b = typeof key === 'string' ? r.cases.get(key) : undefined;
  if (b === undefined) {
    const { ops, path } = bodyOps(body, args);
    b = makeBlock(ops, `${routinePath(component, routine)}${path}`);
    if (typeof key === 'string') {
      if (r.cases.size >= 256) r.cases.clear();
      r.cases.set(key, b);
    }
  }
  return b;
}

const routinePath = (component: Component, routine: string) => `/${component.kind === 'app' ? 'apps' : 'drivers'}/${component.id}/routines/${routine}`;

export function hasRoutine(engine: Engine, component: string, routine: string): boolean {
  const spec = own(engine.scenario.drivers, component) ?? own(engine.scenario.apps, component);
  return !!spec && Object.hasOwn(spec.routines, routine);
}

/** Routines nested on one thread before the run halts as unbounded recursion (DL-3). */
export const MAX_NESTED_ROUTINES = 64;

export interface InvokeOptions {
  registration?: Registration;
  /** VOID routines complete with NULL. */
  isVoid?: boolean;
  /** The rule a call into an unloaded image breaks (KE-5 for processor callbacks, else DRV-3). */
  unloadedRule?: 'KE-5' | 'DRV-3';
  /** Check that the routine returns at the IRQL it was called at (IO-7). */
  checkIrql?: boolean;
  /** The rule under which the system calls the routine (stamped on invoke and complete). */
  rule?: RuleId;
  /** The rule of the completion when its result changes it (a veto: RM-2, RM-3). */
  completeRule?: (result: unknown) => RuleId | undefined;
  operationStatus?: Activation['operationStatus'];
  pnpDeviceState?: Activation['pnpDeviceState'];
}

/** The system invokes a routine of a component on the current thread (an `invoke` … `complete` pair): a frame to call. */
export function invoke(
  componentId: string,
  routine: string,
  args: Record<string, unknown>,
  opts: InvokeOptions = {},
): Frame {
  // Built whole (frame() would add fn and pc to a finished literal: two more shapes and a property store).
  const f: InvokeFrame = { fn: invokeRoutine as Routine<never>, pc: 0, ret: undefined, componentId, routine, args, opts, act: null, irqlAtCall: 0, result: null };
  return f;
}

interface InvokeFrame extends Frame {
  componentId: string;
  routine: string;
  args: Record<string, unknown>;
  opts: InvokeOptions;
  act: Activation | null;
  irqlAtCall: Irql;
  result: unknown;
}

const invokeRoutine: Routine<InvokeFrame> = (engine, f) => {
  const { componentId, routine, args, opts } = f;
  const reg = opts.registration;
  let component: Component | undefined;
  if (f.pc === 0) {
    f.pc = 1;
    component = engine.world.components[componentId];
    if (component.kind === 'driver' && component.state === 'unloaded') {
      const rule = opts.unloadedRule ?? 'DRV-3';
      engine.raise(
        rule,
        'call',
        `The system called ${componentId}!${routine}, but driver ${componentId} is unloaded: the call lands in unloaded code.`,
      );
      return OP;
    }
  }
  if (f.pc === 1) {
    const thread = engine.thread;
    component ??= engine.world.components[componentId];
    if (thread.frames.length >= MAX_NESTED_ROUTINES) {
      // A callback that re-registers with a replay (ADD_EXISTING, INCLUDE_EXISTING) recurses without end:
      // halt like the op budget (DL-3), never overflow the host's stack.
      engine.stop('nesting', `${componentId}!${routine} would be routine number ${MAX_NESTED_ROUTINES + 1} nested on ${thread.name}: the scenario recurses without end (a real kernel stack would overflow). The run halts.`);
      f.pc = 5;
      return OP;
    }
    // Built field by field (not with conditional spreads, which copy through a slow generic path on
    // this hot line); the key order is the trace's: registration and callback before irql, rule last.
    if (!engine.halted) {
      // Each variant a whole literal (no field added after, which would allocate out-of-object room).
      const { seq, step } = engine;
      const name = engine.threadName;
      const irql = IRQL_NAMES[thread.irql];
      const rule = opts.rule;
      engine.append((reg
        ? rule
          ? { seq, step, thread: name, type: 'invoke', component: componentId, routine, args, registration: reg.id, callback: reg.kind, irql, rule }
          : { seq, step, thread: name, type: 'invoke', component: componentId, routine, args, registration: reg.id, callback: reg.kind, irql }
        : rule
          ? { seq, step, thread: name, type: 'invoke', component: componentId, routine, args, irql, rule }
          : { seq, step, thread: name, type: 'invoke', component: componentId, routine, args, irql }) as EntryOf<'invoke'>);
    }
    engine.openRule(opts.rule);
    engine.opCount++; // an empty routine still costs one op: replays and broadcasts are bounded too
    f.irqlAtCall = thread.irql;
    if (reg) reg.inFlight.push(thread.name);
    if (reg) thread.callbacks.push(reg.id);
    const r = routineOf(engine.scenario, component, routine);
    thread.frames.push(r.record); // frozen: forks share it (fork.ts)
    const act: Activation = {
      engine, thread, component, routine, args, locals: NO_LOCALS,
      operationStatus: opts.operationStatus, registration: reg, pnpDeviceState: opts.pnpDeviceState,
    };
    f.act = act;
    f.pc = 2;
    return callFrame(opsFrame(act, blockOf(r, component, routine, args)));
  }
  if (f.pc === 2) {
    const flow = f.ret as Flow;
    const act = f.act!;
    const component = act.component;
    f.result = opts.isVoid ? null : flow.ret ? flow.value : component.kind === 'app' ? 'ERROR_SUCCESS' : 'STATUS_SUCCESS';
    f.pc = 3;
    if (!engine.halted && imageReleased(act, 'returns')) return OP;
  }
  if (f.pc === 3) {
    const { thread } = f.act!;
    thread.frames.pop();
    engine.closeRule();
    if (reg) {
      thread.callbacks.pop();
      const i = reg.inFlight.lastIndexOf(thread.name);
      if (i === reg.inFlight.length - 1) reg.inFlight.pop();
      else if (i >= 0) reg.inFlight.splice(i, 1);
    }
    f.pc = 4;
    if (opts.checkIrql && thread.irql !== f.irqlAtCall) {
      engine.raise(
        'IO-7',
        'irql',
        `${componentId}!${routine} was called at ${IRQL_NAMES[f.irqlAtCall]} and returned at ${IRQL_NAMES[thread.irql]}.`,
      );
      return OP;
    }
  }
  if (f.pc === 4) {
    const result = f.result;
    const done = opts.completeRule?.(result) ?? opts.rule;
    if (!engine.halted) {
      const { seq, step } = engine;
      const name = engine.threadName;
      engine.append((done
        ? { seq, step, thread: name, type: 'complete', component: componentId, routine, result, rule: done }
        : { seq, step, thread: name, type: 'complete', component: componentId, routine, result }) as EntryOf<'complete'>);
    }
    // DRV-2: a registration unregistered with the Ex routine from its own callback keeps the image until that callback returned.
    if (reg && reg.pinned && reg.inFlight.length === 0) unpin(engine, reg);
    return ret(result);
  }
  return ret(null); // the run halted (nesting): never resumed
};
// The arguments are the `invoke` entry's (final once written).
immutableLocals(invokeRoutine, 'args');

/**
 * DRV-3: code of a driver whose image was released runs — e.g. a callback that goes on after Unload
 * returned through IoUnregisterPlugPlayNotification's window (UN-1). Bug check 0xCE at that moment.
 */
/** Is the image of the routine's driver released (the check of imageReleased, without its message)? */
const isReleased = (act: Activation): boolean => act.component.kind === 'driver' && act.component.state === 'unloaded';

function imageReleased(act: Activation, what: string): boolean {
  const c = act.component;
  if (c.kind !== 'driver' || c.state !== 'unloaded') return false;
  act.engine.raise(
    'DRV-3',
    'released',
    `${c.id}!${act.routine} ${what} on ${act.thread.name}, but ${c.id}'s image was already released (nothing kept the DriverObject once its registrations were gone): its code no longer exists.`,
  );
  return true;
}

interface OpsFrame extends Frame {
  act: Activation;
  /** The ops, with their JSON pointers in the scenario, so the trace can point at the op (`op` field). */
  block: Block;
  /** The op to run next. */
  i: number;
  /** A `forEach` in progress: its items, the next one, and the loop variable it shadows. */
  items: unknown[] | null;
  k: number;
  had: boolean;
  saved: unknown;
}

/** A frame running a block of ops, built whole (one shape for every such frame). */
const opsFrame = (act: Activation, block: Block): OpsFrame =>
  ({ fn: execOps as Routine<never>, pc: 0, ret: undefined, act, block, i: 0, items: null, k: 0, had: false, saved: undefined });

const NO_RETURN: Flow = { ret: false };
const RET_NO_RETURN: Step = constRet(NO_RETURN);
/** The locals of a routine until a `forEach` gives it one: empty, never written (see forEach). */
const NO_LOCALS: Record<string, unknown> = Object.freeze(table<unknown>());

/** Run ops (a routine body, a branch, a loop body): a step boundary before each op. */
export const execOps: Routine<OpsFrame> = (engine, f) => {
  const { act, block } = f;
  const ops = block.ops;
  for (;;) {
    switch (f.pc) {
      case 0: // before op i
        if (f.i >= ops.length) return RET_NO_RETURN;
        act.thread.pendingOp = block.at[f.i];
        act.thread.pendingSpec = ops[f.i];
        f.pc = 1;
        return OP;
      case 1: { // op i
        const op = ops[f.i];
        const at = block.at[f.i];
        act.thread.pendingOp = undefined;
        // The run halted: the thread never resumes (the scheduler stops).
        if (isReleased(act) && imageReleased(act, `goes on to its next op (${at})`)) {
          f.pc = 5;
          return OP;
        }
        engine.opCount++;
        if (block.calls[f.i]) {
          f.pc = 2;
          return call(callApi, { act, op: op as ApiCallOp, at, x: null });
        }
        const ctl = op as ControlOp;
        switch (ctl.op) {
          case 'return':
            return ret({ ret: true, value: evaluate(act, ctl.value ?? null) });
          case 'set':
            if (ctl.var === '*OperationStatus') setOperationStatus(act, evaluate(act, ctl.value));
            else if (ctl.var === '*PnpDeviceState') setPnpDeviceState(act, evaluate(act, ctl.value));
            else writeVar(act, ctl.var, evaluate(act, ctl.value));
            break;
          case 'if': {
            const taken = truthy(act, ctl.cond);
            f.pc = 3;
            const inner = taken ? innerBlock(block, f.i, 'then', ctl.then) : innerBlock(block, f.i, 'else', ctl.else ?? NO_OPS);
            return callFrame(opsFrame(act, inner));
          }
          case 'forEach': {
            const list = readVar(act, ctl.in);
            f.items = Array.isArray(list) ? [...list] : [];
            f.k = 0;
            f.had = Object.hasOwn(act.locals, ctl.as);
            f.saved = act.locals[ctl.as];
            f.pc = 4;
            continue;
          }
          case 'note':
            if (!engine.halted) {
              const { seq, step } = engine;
              const name = engine.threadName;
              // Narration: the rule it names, else the rule of the call or routine it is written in (as Engine.emit).
              const rule = block.mentions[f.i] ?? engine.ruleHere();
              engine.append((rule
                ? { seq, step, thread: name, type: 'note', text: ctl.text, component: act.component.id, op: at, rule }
                : { seq, step, thread: name, type: 'note', text: ctl.text, component: act.component.id, op: at }) as EntryOf<'note'>);
            }
            break;
        }
        f.i++;
        f.pc = 0;
        continue;
      }
      case 2: // after a call
        f.i++;
        f.pc = 0;
        continue;
      case 3: { // after an if's branch
        const flow = f.ret as Flow;
        if (flow.ret) return ret(flow);
        f.i++;
        f.pc = 0;
        continue;
      }
      case 4: { // a forEach: after its body ran (or before the first item)
        const op = ops[f.i] as Extract<Op, { op: 'forEach' }>;
        if (f.k > 0 && (f.ret as Flow).ret) return ret(f.ret);
        if (f.k < f.items!.length) {
          if (act.locals === NO_LOCALS) act.locals = table();
          act.locals[op.as] = f.items![f.k++];
          return callFrame(opsFrame(act, innerBlock(block, f.i, 'do', op.do)));
        }
        if (f.had) act.locals[op.as] = f.saved;
        else delete act.locals[op.as];
        f.items = null;
        f.i++;
        f.pc = 0;
        continue;
      }
      default:
        return RET_NO_RETURN;
    }
  }
};

/** RM-11: Irp->IoStatus.Information of IRP_MN_QUERY_PNP_DEVICE_STATE, the PNP_DEVICE_STATE flags a driver reports. */
function setPnpDeviceState(act: Activation, value: unknown) {
  const st = act.pnpDeviceState;
  if (!st) {
    act.engine.raise('RM-11', 'write', `${act.component.id}!${act.routine} wrote *PnpDeviceState outside an IRP_MN_QUERY_PNP_DEVICE_STATE handler; the write is ignored.`);
    return;
  }
  for (const flag of ([] as unknown[]).concat(value)) if (typeof flag === 'string') st.add(flag);
}

/** KE-2 / KE-3: the shared *OperationStatus of one processor add. */
function setOperationStatus(act: Activation, value: unknown) {
  const { engine } = act;
  const st = act.operationStatus;
  const who = `${act.component.id}!${act.routine}`;
  if (!st) {
    engine.raise('KE-3', 'write', `${who} wrote *OperationStatus outside a processor-change callback; the write is ignored.`);
    return;
  }
  const v = String(value);
  if (st.state !== 'KeProcessorAddStartNotify') {
    engine.raise('KE-3', 'write', `${who} wrote *OperationStatus = ${v} in a ${st.state} callback; only a Start callback may report an error. The write is ignored.`);
    return;
  }
  if (st.value !== 'STATUS_SUCCESS') {
    engine.raise('KE-3', 'write', `${who} wrote *OperationStatus = ${v}, but ${st.writer} already reported ${st.value}; a callback must not overwrite an error. The write is ignored.`);
    return;
  }
  if (ntSuccess(v)) {
    if (v !== 'STATUS_SUCCESS') engine.raise('KE-3', 'write', `${who} wrote the success status ${v} to *OperationStatus; only errors may be reported.`);
    return;
  }
  st.value = v;
  st.writer = who;
}

// ---------------------------------------------------------------- API calls


/** The trace shows evaluated arguments: values evaluated, out-parameters as `&Var`. */
function traceArgs(act: Activation, op: ApiCallOp, api: ApiName): Record<string, unknown> {
  const params = APIS[api].params as Record<string, { kind: string }>;
  const out = dict<unknown>();
  for (const [name, p] of Object.entries(params)) {
    if (!Object.hasOwn(op, name)) continue;
    const raw = op[name] as Value;
    switch (p.kind) {
      case 'value':
        // NotifyContext is an HCMNOTIFICATION, a handle passed by value, not a context pointer.
        out[name] = /Context$/.test(name) && name !== 'NotifyContext' ? evaluateContext(act, raw) : evaluate(act, raw);
        break;
      case 'instanceId':
        out[name] = evaluate(act, raw);
        break;
      case 'out':
      case 'outOrNull':
        out[name] = raw === null ? null : `&${String(raw)}`;
        break;
      case 'filter':
      case 'notification': {
        const o = dict<unknown>();
        for (const [k, v] of Object.entries((raw ?? {}) as Record<string, unknown>)) {
          o[k] = k === 'CustomData' || k === 'Pool' || Array.isArray(v) ? v : evaluate(act, v as Value);
        }
        out[name] = o;
        break;
      }
      default:
        out[name] = raw;
    }
  }
  return out;
}

interface CallApiFrame extends Frame {
  act: Activation;
  op: ApiCallOp;
  at: string;
  x: CallCtx | null;
}

const callApi: Routine<CallApiFrame> = (engine, f) => {
  const { act, op } = f;
  const { thread } = act;
  if (f.pc === 0) {
    const handlers = engine.handlers;
    if (!isApiName(op.call) || !handlers) throw new Error(`engine: unknown API ${op.call}`);
    const api = op.call;
    const spec = APIS[api];
    const args = traceArgs(act, op, api);
    const entry = engine.emit({
      type: 'call', component: act.component.id, api, args, op: f.at,
      ...(spec.mode === 'kernel' ? { irql: IRQL_NAMES[thread.irql] } : {}),
    });
    engine.openRule(undefined);
    const x = new CallCtx(engine, act, op, args, entry);
    f.x = x;
    f.pc = 1;
    if (spec.mode === 'kernel' && thread.irql > maxIrqlFor(api, args)) {
      x.govern('IRQL-1'); // the call itself is the violation
      engine.raise(
        'IRQL-1',
        'verifier',
        `${act.component.id} called ${api} at ${IRQL_NAMES[thread.irql]}; it may be called at ${IRQL_NAMES[maxIrqlFor(api, args)]} at most.`,
      );
      return OP;
    }
  }
  if (f.pc === 1) {
    const r = engine.handlers![op.call as ApiName](f.x!);
    f.pc = 2;
    if (isFrame(r)) return callFrame(r);
    f.ret = r;
  }
  if (f.pc === 2) {
    const { result, out, rule: refusal } = f.ret as CallResult;
    const api = op.call as ApiName;
    engine.closeRule();
    if (engine.halted) return ret();
    if (isReleased(act) && imageReleased(act, `gets ${api}'s return`)) {
      f.pc = 3;
      return OP;
    }
    if (out) for (const [param, value] of Object.entries(out)) {
      const target = op[param];
      if (typeof target === 'string') writeVar(act, target, value);
    }
    if (typeof op.result === 'string') writeVar(act, op.result, result);
    engine.emit({ type: 'return', component: act.component.id, api, result, ...(out ? { out } : {}), ...(refusal ? { rule: refusal } : f.x!.stamp) });
    return ret();
  }
  return ret(); // the image was released (DRV-3): never resumed
};

/** §9: paged pool calls are limited to APC_LEVEL (CU-5 has its own check). */
function maxIrqlFor(api: ApiName, args: Record<string, unknown>): Irql {
  const spec = APIS[api];
  if (api === 'ExAllocatePool2') {
    const flags = ([] as unknown[]).concat(args.Flags ?? []);
    return flags.includes('POOL_FLAG_PAGED') ? 1 : 2;
  }
  return (spec as { maxIrql?: Irql }).maxIrql ?? 0;
}
