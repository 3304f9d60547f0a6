// The engine core: threads, the scheduler of docs/architecture.md §2, the trace, hazards and halting.
// Deterministic: no clock, no randomness; the same scenario gives the same trace.
import type { Irql } from './api.ts';
import { IRQL_NAMES } from './api.ts';
import type { NormalizedScenario, Op, ScheduleOverride } from '../scenario/types.ts';
import { RUN_LIMITS } from './limits.ts';
import { list } from './lists.ts';
import type { EntityStates, HaltReason, RuleStamp, RunLimit, StampedBody, StateBody, TraceBase, TraceEntry, WaitEdge } from './trace.ts';
import { ruleMentioned, type RuleId } from './rules/ids.ts';
import type { ApiName } from './api.ts';
import type { Handler } from './interp.ts';

/** The handler of every API a scenario can call. */
export type ApiHandlers = Record<ApiName, Handler>;
import { ruleCase, type CaseOf } from './rules/catalog.ts';
import type { Wait, World } from './model.ts';
import { own } from './dict.ts';
import { entityId, type EntityKind } from './ids/entities.ts';
import { parseThread } from './ids/threads.ts';
import { block, frame, ret, type Frame, type Routine } from './frame.ts';
import { Copier, copyEngine, immutableLocals, reachable } from './fork.ts';

export interface Job {
  id: number;
  label: string;
  /** The job's routine, not started yet (a frame: plain data, see frame.ts). */
  body: Frame;
  done: boolean;
  result?: unknown;
}

export type ThreadStatus = 'idle' | 'runnable' | 'blocked' | 'done';

export interface Thread {
  name: string;
  order: number;
  /** Service threads (pnp, hotplug, sys:*, app main/notify) take jobs from a queue; others run one. */
  service: boolean;
  jobs: Job[];
  job: Job | null;
  /** The frames of the job it is running, innermost last; empty between jobs (frame.ts). */
  stack: Frame[];
  status: ThreadStatus;
  wait: Wait | null;
  since: number;
  irql: Irql;
  /** Registrations whose callbacks this thread is running, innermost last. */
  callbacks: string[];
  /** Nesting depth of completion callbacks of custom events running on this thread (CU-7). */
  inCompletion?: number;
  /** Routine frames (component!routine), innermost last. */
  frames: { component: string; routine: string }[];
  /** The rule of each open call and routine on this thread, innermost last (see Engine.ruleHere). */
  ruleFrames: (RuleId | undefined)[];
  /** At a step boundary before a scenario op: its JSON pointer and the op (what it does: `--choices`). */
  pendingOp?: string;
  pendingSpec?: Op;
}

/** The rules with a `deadlock` case: what a wait-for cycle can be reported as. */
export type DeadlockRule = { [R in RuleId]: 'deadlock' extends CaseOf<R> ? R : never }[RuleId];

export interface ScheduleError {
  path: string;
  message: string;
}

/** What a runnable thread would do if it ran next at a choice point. */
export interface NextStep {
  thread: string;
  /** `start` (its next job), `op` (a scenario op, see `op`/`what`), or `continue` (engine code: a delivery, an IRP, a wait that ended). */
  does: 'start' | 'op' | 'continue';
  /** The innermost routine it runs, `component!routine`. */
  routine?: string;
  /** The JSON pointer of the scenario op it runs next. */
  op?: string;
  /** The op: `call <API>`, or the control op's name (`note`, `set`, `if`, `forEach`, `return`). */
  what?: string;
  /** The job it is running or would start (a timeline verb, an event, a routine). */
  job?: string;
}

/**
 * What one run may do at most (DL-3). Every run ends: each limit, when reached, halts the run with a
 * DL-3 hazard of that case and a `halt` entry with reason `budget` and `limit`.
 */
export interface RunLimits {
  /** Ops executed plus routines invoked (an empty callback still costs one). */
  maxOps: number;
  /** Trace entries, the final hazard and halt included. */
  maxEntries: number;
  /** Threads created (each work item runs on a new thread). */
  maxThreads: number;
  /** Blocked threads made runnable again. */
  maxWakeups: number;
}

export const DEFAULT_LIMITS: Readonly<RunLimits> = {
  maxOps: RUN_LIMITS.opBudget,
  maxEntries: 500_000,
  maxThreads: 10_000,
  maxWakeups: 1_000_000,
};

export interface ChoicePoint {
  /** The seq of the next trace entry (the old `schedule` form `{ at, run }`). */
  at: number;
  /** The timeline step it belongs to, and its ordinal within that step (from 1): `{ step, choice, run }`. */
  step: number;
  choice: number;
  runnable: string[];
  chosen: string;
  /** For each runnable thread, in `runnable` order: what it would do next. */
  next: NextStep[];
}

/**
 * An explorer of schedules (src/engine/explore) drives the scheduler instead of `schedule`: it is
 * told of every step, and picks the thread at every choice point. The engine stays deterministic:
 * the explorer is deterministic too.
 */
export interface Explorer {
  /** Before a thread steps (at every step boundary, choice point or not). */
  step(t: Thread): void;
  /**
   * At a choice point: the thread to run (one of `runnable`; `pick` is the default), or null to end
   * the run here (the explorer has seen enough of it). `point.chosen` is updated to the thread picked.
   * `continuing`: `pick` is the thread that ran last and could go on, so running another preempts it.
   * `trace`: the run's trace so far. `runnable` is the scheduler's own list: read it during the call, do not keep it.
   * `'pause'`: the run stops here, paused (Engine.paused), to be forked and resumed (Engine.resume).
   */
  choose(point: ChoicePoint, runnable: readonly Thread[], pick: Thread, continuing: boolean, trace: readonly TraceEntry[]): Thread | null | 'pause';
}

/** A run paused at a choice point (Explorer.choose said `'pause'`): resume it with the thread to run. */
export interface Paused {
  point: ChoicePoint;
  /** The default pick, and whether it continues the thread that ran last (running another preempts it). */
  pick: string;
  continuing: boolean;
}

/**
 * Where a run is (src/engine/index.ts drives it): booting, starting the devices, before timeline
 * action `next`, finishing, done; `settling` while threads run until quiescent (a pause can come then),
 * then the trace so far is handed over when `flushAfter`. Plain data, so a forked run goes on from it.
 */
export interface Progress {
  phase: 'boot' | 'arrivals' | 'timeline' | 'end' | 'done';
  next: number;
  settling: boolean;
  flushAfter: boolean;
}

/** A timeline action armed to start inside an earlier action (`during`, docs/scenario-format.md §4). */
export interface Trigger {
  /** The action's index in the timeline. */
  index: number;
  step: number;
  choice?: number;
  op?: string;
  /** Start the action (emits its `action` entry and submits its job): a function of the engine, never a closure over one. */
  fire: (engine: Engine, index: number) => void;
  fired: boolean;
}

interface Override {
  run: string;
  index: number;
  used: boolean;
  /** Where it was applied (for migrating `at` to `step` + `choice`). */
  step?: number;
  choice?: number;
}

/** What `t` would do next if it ran (docs/architecture.md §2.2 choice points, `simulate --choices`). */
function nextStep(t: Thread): NextStep {
  // Each variant a whole literal (spreads of `{ routine }` or `{}` made several shapes at one place:
  // the optimised code that read them was thrown away and compiled again); the key order is the
  // same (thread, does, routine, op, what, job).
  const thread = t.name;
  if (t.stack.length === 0) {
    const next = t.jobs[0];
    return next ? { thread, does: 'start', job: next.label } : { thread, does: 'start' };
  }
  const top = t.frames.at(-1);
  const routine = top ? `${top.component}!${top.routine}` : undefined;
  if (t.pendingOp !== undefined) {
    const op = t.pendingSpec;
    const what = op === undefined ? undefined : 'call' in op ? `call ${String(op.call)}` : op.op;
    return routine !== undefined ? { thread, does: 'op', routine, op: t.pendingOp, what } : { thread, does: 'op', op: t.pendingOp, what };
  }
  const job = t.job;
  if (routine !== undefined) return job ? { thread, does: 'continue', routine, job: job.label } : { thread, does: 'continue', routine };
  return job ? { thread, does: 'continue', job: job.label } : { thread, does: 'continue' };
}

/**
 * Receives the run's entries in order, in batches, each entry once and final (never changed after):
 * a runner can serialise them as the run goes instead of keeping the whole trace.
 */
export type TraceSink = (entries: readonly TraceEntry[]) => void;

export class Engine {
  /** The entries not yet handed to the sink: with no sink, the whole trace. */
  trace: TraceEntry[] = list();
  /** How many entries went to the sink. */
  private handedOver = 0;
  /** With `keep` (a run to fork): the batches handed over, kept instead of given to a sink (final, shared by forks). */
  private kept: TraceEntry[][] | null;
  /** The run's progress through boot and the timeline (src/engine/index.ts). */
  progress: Progress = { phase: 'boot', next: 0, settling: false, flushAfter: false };
  /** Set while the run is paused at a choice point (Explorer.choose said `'pause'`). */
  paused: Paused | null = null;
  /** The entry written last (handed over or not). */
  lastEntry: TraceEntry | null = null;
  private readonly sink: TraceSink | null;
  readonly threads = new Map<string, Thread>();
  /** Threads that may still run, in creation order: a finished thread leaves it (per-step cost stays flat). */
  private threadList: Thread[] = list();
  /** The runnable threads, in creation order (kept, not recomputed at every step). */
  private runnableList: Thread[] = list();
  private threadsCreated = 0;
  wakeups = 0;
  // Which blocked threads to re-check after a step, so a step never scans every blocked thread: a
  // wait for a job or a work item can only end when that job's thread steps (or threads are killed);
  // other waits are re-checked after every step.
  private watchers = new Map<string, Set<Thread>>();
  private watching = new Map<Thread, string>();
  private everyStep = new Set<Thread>();
  private fresh: Thread[] = list();
  private recheckAll = true;
  private lastStepped: Thread | null = null;
  step = 0;
  halted = false;
  opCount = 0;
  private tick = 0;
  private jobIds = 0;
  private jobs = new Map<number, Job>();
  private current: Thread | null = null;
  /** Overrides by choice point (`step/choice`) and, in the old form, by `at`. */
  private overrides = new Map<string, Override>();
  private overridesAt = new Map<number, Override>();
  private choiceStep = -1;
  private choiceCount = 0;
  scheduleErrors: ScheduleError[] = list();
  /** Choice points (docs/architecture.md §2.2): boundaries where more than one thread was runnable (none kept with `keep`). */
  readonly choices: ChoicePoint[] = list();
  /** How many choice points each timeline step had. */
  private choicesPerStep = new Map<number, number>();
  private visitedBoundary = -1;
  /** The choice point recorded at the current boundary, if one was (for `during` triggers). */
  private pointHere: ChoicePoint | undefined;
  /** Timeline actions that start inside an earlier one, in timeline order. */
  private readonly triggers: Trigger[] = list();
  /** The PnP event being processed by the pnp thread (for CU-6 and IO-4). */
  currentEvent: number | null = null;
  readonly limits: RunLimits;
  /** What each API call does: given at construction, never installed by importing a module. */
  readonly handlers: ApiHandlers | null;
  /** Which limit ended the run, if one did. */
  limitReached: RunLimit | null = null;
  /** The explorer driving this run, if any (it replaces `schedule`). */
  private readonly explorer: Explorer | null;

  constructor(
    readonly scenario: NormalizedScenario,
    readonly world: World,
    options: Partial<RunLimits> & { opBudget?: number; handlers?: ApiHandlers; explorer?: Explorer; sink?: TraceSink; keep?: boolean } = {},
  ) {
    this.kept = options.keep ? list() : null;
    this.handlers = options.handlers ?? null;
    this.explorer = options.explorer ?? null;
    this.sink = options.sink ?? null;
    this.limits = {
      maxOps: options.maxOps ?? options.opBudget ?? DEFAULT_LIMITS.maxOps,
      maxEntries: Math.max(16, options.maxEntries ?? DEFAULT_LIMITS.maxEntries),
      maxThreads: options.maxThreads ?? DEFAULT_LIMITS.maxThreads,
      maxWakeups: options.maxWakeups ?? DEFAULT_LIMITS.maxWakeups,
    };
    scenario.schedule.forEach((o: ScheduleOverride, index) => {
      const ovr: Override = { run: o.run, index, used: false };
      // Two choices for one step boundary: never ignore one silently (docs/architecture.md §2.2).
      if (o.at !== undefined) {
        const first = this.overridesAt.get(o.at);
        if (!first) this.overridesAt.set(o.at, ovr);
        else this.scheduleErrors.push({ path: `/schedule/${index}/at`, message: `step ${o.at} already has an override (/schedule/${first.index}); a step has one choice` });
        return;
      }
      const key = `${o.step}/${o.choice}`;
      const first = this.overrides.get(key);
      if (!first) this.overrides.set(key, ovr);
      else this.scheduleErrors.push({ path: `/schedule/${index}/choice`, message: `choice ${o.choice} of step ${o.step} already has an override (/schedule/${first.index}); a choice point has one choice` });
    });
  }

  // ---------------------------------------------------------------- trace

  /** The seq of the next entry: how many entries the run has written so far. */
  get seq(): number {
    return this.handedOver + this.trace.length;
  }

  /**
   * Hand the entries written so far to the sink (nothing without one). Only where no entry can
   * change any more: a call entry takes its rule stamp while its handler runs, so no call may be
   * open — the system is quiescent, or the run has halted.
   */
  flush(): void {
    if ((!this.sink && !this.kept) || this.trace.length === 0) return;
    const batch = this.trace;
    this.handedOver += batch.length;
    this.trace = [];
    if (this.kept) this.kept.push(batch);
    else this.sink!(batch);
  }

  /** The run's entries from seq `from` on (all of them with `keep` or without a sink). */
  entriesFrom(from: number): TraceEntry[] {
    if (from >= this.handedOver) return this.trace.slice(from - this.handedOver);
    const out: TraceEntry[] = [];
    const kept = this.kept ?? [];
    // Entries are in seq order: skip, from the end, the batches wholly at or after `from`, then take
    // the entries from there on (not a scan of the whole run per call).
    let b = kept.length;
    while (b > 0 && (kept[b - 1].length === 0 || kept[b - 1][0].seq >= from)) b--;
    if (b > 0) b--;
    for (; b < kept.length; b++) for (const e of kept[b]) if (e.seq >= from) out.push(e);
    return out.concat(this.trace);
  }

  /**
   * Append an entry. A body may carry the rule stamp (`rule`, `verdict`) of the rule applied here;
   * returns the entry (or null once halted) so a handler can stamp its call when it decides the rule.
   */
  emit(body: StampedBody, thread = this.current?.name ?? 'system'): TraceEntry | null {
    if (this.halted) return null;
    // Object.assign, not a spread after `thread`: the same own keys in the same order (a body's keys
    // are the engine's own names). The hot entries (invoke, complete, note, state) are built whole
    // by their writers and appended (append): copying a body costs more than building the entry.
    const entry = Object.assign({ seq: this.seq, step: this.step, thread }, body) as TraceEntry;
    if (entry.type === 'note' && !entry.rule) {
      // Narration: the rule it names, else the rule of the call or routine it is written in.
      const rule = ruleMentioned(entry.text) ?? this.ruleHere();
      if (rule) entry.rule = rule;
    }
    return this.append(entry);
  }

  /** The thread an entry written now is on: the current thread, else `system` (emit's default). */
  get threadName(): string {
    return this.current?.name ?? 'system';
  }

  /**
   * Append an entry built whole, its keys in the trace's order: `seq` (this.seq), `step`
   * (this.step), `thread`, then the body's fields and its rule stamp (a note's too: see emit).
   * Null once halted.
   */
  append(entry: TraceEntry): TraceEntry | null {
    if (this.halted) return null;
    this.trace.push(entry);
    this.lastEntry = entry;
    // Room is kept for the DL-3 hazard and the halt.
    if (this.seq >= this.limits.maxEntries - 2 && this.limitReached === null) {
      this.stop('entries', `The run reached its limit of ${n(this.limits.maxEntries)} trace entries; the trace stops here.`);
    }
    return entry;
  }

  /** A limit of the run was reached (DL-3, the case named after the limit): say which, and halt. */
  stop(limit: RunLimit, message: string): void {
    if (this.halted || this.limitReached !== null) return;
    this.limitReached = limit;
    this.raise('DL-3', limit, message);
    if (this.halted) return;
    this.emit({ type: 'halt', reason: 'budget', rule: 'DL-3', limit }, 'system');
    this.halted = true;
  }

  /**
   * Raise a hazard: rule `rule` is broken, in its catalogue case `kase`. Severity and bug check come
   * from the catalogue, nowhere else; a bug check or a deadlock halts the run (docs/architecture.md §2.3, §2.5).
   */
  raise<R extends RuleId>(rule: R, kase: CaseOf<R>, message: string, extra: { cycle?: WaitEdge[] } = {}): void {
    const c = ruleCase(rule, kase);
    this.emit({
      type: 'hazard', rule, severity: c.severity, message,
      ...(c.bugcheck ? { bugcheck: c.bugcheck } : {}), ...extra, case: kase, verdict: 'breaks',
    });
    if (c.severity === 'bugcheck') this.halt('bugcheck', rule);
    else if (c.severity === 'deadlock') this.halt('deadlock', rule);
  }

  /**
   * The rule of the innermost call or routine running on the current thread: the rule that governs
   * what happens inside it (a registration created by IoRegisterPlugPlayNotification, a handle
   * closed in a QUERYREMOVE callback…). Undefined outside any governed call.
   */
  ruleHere(): RuleId | undefined {
    const frames = this.current?.ruleFrames;
    return frames && frames.length > 0 ? frames[frames.length - 1] : undefined;
  }

  /** Open a call or routine frame governed by `rule` on the current thread; closeRule ends it. */
  openRule(rule: RuleId | undefined): void {
    this.current?.ruleFrames.push(rule);
  }

  closeRule(): void {
    this.current?.ruleFrames.pop();
  }

  /** End the run; `rule` is the rule whose hazard ended it (a bug check, a deadlock, a stall, the budget). */
  halt(reason: HaltReason, rule?: RuleId): void {
    if (this.halted || this.limitReached !== null) return;
    this.emit(rule ? { type: 'halt', reason, rule } : { type: 'halt', reason }, 'system');
    this.halted = true;
  }

  /**
   * A state change of an entity. Its rule is `stamp.rule` where the caller applies one, else the
   * rule of the call or routine it happens in (ruleHere).
   */
  state<K extends EntityKind>(entity: `${K}:${string}`, from: EntityStates[K], to: EntityStates[K], info?: Record<string, unknown>, stamp: RuleStamp = {}): void {
    // Built whole in the trace's key order (info, then the stamp), not through spreads or a copy.
    // The signature ties `from` / `to` to the entity's kind; TypeScript cannot follow K into the union.
    if (this.halted) return;
    const entry = { seq: this.seq, step: this.step, thread: this.threadName, type: 'state', entity, from, to } as TraceBase & StateBody & RuleStamp;
    if (info) entry.info = info;
    const rule = stamp.rule ?? this.ruleHere();
    if (rule) {
      entry.rule = rule;
      if (stamp.verdict) entry.verdict = stamp.verdict;
    }
    this.append(entry as TraceEntry);
  }

  irqlName(t: Thread = this.thread): string {
    return IRQL_NAMES[t.irql];
  }

  // ---------------------------------------------------------------- threads

  get thread(): Thread {
    if (!this.current) throw new Error('engine: no current thread');
    return this.current;
  }

  thread_(name: string, service: boolean): Thread {
    let t = this.threads.get(name);
    if (!t) {
      if (this.threadsCreated >= this.limits.maxThreads) {
        this.stop('threads', `The run reached its limit of ${n(this.limits.maxThreads)} threads created (every work item runs on a new thread); it never became quiescent.`);
      }
      t = {
        name, order: this.threadsCreated++, service, jobs: list(), job: null, stack: list(), status: 'idle',
        wait: null, since: 0, irql: 0, callbacks: list(), frames: list(), ruleFrames: list(),
        // Present from the start (undefined until set), so every thread keeps one shape.
        pendingOp: undefined, pendingSpec: undefined,
      };
      this.threads.set(name, t);
      this.threadList.push(t);
    }
    return t;
  }

  /** A finished thread leaves the scheduler's list; a job submitted to it later puts it back in order. */
  private retire(t: Thread): void {
    const i = this.threadList.indexOf(t);
    if (i >= 0) this.threadList.splice(i, 1);
  }

  private revive(t: Thread): void {
    if (!this.threadList.includes(t)) insertByOrder(this.threadList, t);
  }

  private setStatus(t: Thread, to: ThreadStatus, on?: string, by = t.name) {
    const from = t.status;
    t.status = to;
    if (to === 'runnable') t.since = this.tick++;
    if (to === 'done') this.retire(t);
    else if (from === 'done') this.revive(t);
    if (from === 'blocked' && to !== 'blocked') this.unwatch(t);
    if (to === 'runnable' && from !== 'runnable') insertByOrder(this.runnableList, t);
    else if (from === 'runnable' && to !== 'runnable') this.runnableList.splice(this.runnableList.indexOf(t), 1);
    if (this.halted) return;
    const entry = { seq: this.seq, step: this.step, thread: by, type: 'state', entity: entityId('thread', t.name), from, to } as TraceBase & StateBody;
    if (on) entry.on = on;
    this.append(entry as TraceEntry);
  }

  /**
   * A thread this engine may change: `t` itself, or, when `t` is a dormant thread shared with forks
   * (frozen, fork.ts `dormant`), a copy of it put where the engine holds it (the thread table, the
   * list of threads, `current`, `lastStepped`: nothing else refers to a dormant thread).
   */
  private own(t: Thread): Thread {
    if (!Object.isFrozen(t)) return t;
    const c: Thread = { ...t, jobs: list(), stack: list(), callbacks: list(), frames: list(), ruleFrames: list() };
    this.threads.set(t.name, c);
    const i = this.threadList.indexOf(t);
    if (i >= 0) this.threadList[i] = c;
    if (this.current === t) this.current = c;
    if (this.lastStepped === t) this.lastStepped = c;
    return c;
  }

  /** Queue a job on a thread (creating it if needed). Returns the job for waiting on it. */
  submit(threadName: string, label: string, body: Frame, service = true): Job {
    const t = this.own(this.thread_(threadName, service));
    const job: Job = { id: ++this.jobIds, label, body, done: false, result: undefined }; // `result` from the start: one shape
    this.jobs.set(job.id, job);
    t.jobs.push(job);
    if (t.status === 'idle' || t.status === 'done') this.setStatus(t, 'runnable');
    return job;
  }

  /** The thread whose step alone can end this wait, or null when any step can. */
  private waitTarget(w: Wait): string | null {
    if (w.k === 'job') return w.thread;
    if (w.k === 'work') return own(this.world.workItems, w.item)?.thread ?? null;
    return null;
  }

  private watch(t: Thread, w: Wait): void {
    this.fresh.push(t);
    const target = this.waitTarget(w);
    if (target === null) {
      this.everyStep.add(t);
      return;
    }
    let set = this.watchers.get(target);
    if (!set) this.watchers.set(target, (set = new Set()));
    set.add(t);
    this.watching.set(t, target);
  }

  private unwatch(t: Thread): void {
    this.everyStep.delete(t);
    const target = this.watching.get(t);
    if (target === undefined) return;
    this.watching.delete(t);
    const set = this.watchers.get(target);
    set?.delete(t);
    if (set?.size === 0) this.watchers.delete(target);
  }

  /** Blocked threads whose wait may have ended since the last check, in creation order. */
  private wakeCandidates(): readonly Thread[] {
    const watched = this.lastStepped && this.watchers.size > 0 ? this.watchers.get(this.lastStepped.name) : undefined;
    this.lastStepped = null;
    if (!this.recheckAll && this.everyStep.size === 0 && this.fresh.length === 0 && watched === undefined) return NONE;
    const out = new Set<Thread>(this.everyStep);
    if (this.recheckAll) {
      this.recheckAll = false;
      for (const t of this.threadList) if (t.status === 'blocked') out.add(t);
    }
    for (const t of this.fresh) out.add(t);
    this.fresh = [];
    if (watched) for (const t of watched) out.add(t);
    return out.size <= 1 ? [...out] : [...out].sort((a, b) => a.order - b.order);
  }

  /** Process exit: the app's threads end where they are; jobs others wait for count as returned. */
  killAppThreads(app: string): void {
    this.recheckAll = true;
    for (const listed of this.threadList) {
      const parsed = parseThread(listed.name);
      if ((parsed.kind !== 'app' && parsed.kind !== 'appPool') || parsed.app !== app) continue;
      const t = this.own(listed);
      for (const job of [t.job, ...t.jobs]) {
        if (job && !job.done) {
          job.done = true;
          job.result = 'ERROR_SUCCESS';
        }
      }
      for (const r of Object.values(this.world.registrations)) r.inFlight = r.inFlight.filter((n) => n !== t.name);
      t.job = null;
      t.stack = list();
      t.jobs = list();
      t.wait = null;
      t.callbacks = list();
      t.frames = list();
      t.ruleFrames = list();
      if (t.status !== 'idle' && t.status !== 'done') this.setStatus(t, 'done', undefined, 'system');
      if (this.current === t) this.current = null;
    }
  }

  release(mutex: string): void {
    const m = this.world.mutexes.get(mutex);
    if (m && --m.depth === 0) this.world.mutexes.delete(mutex);
  }

  /** Has the wait ended? (A blocked thread is woken when it has; a wait is data, never a closure.) */
  satisfied(w: Wait): boolean {
    switch (w.k) {
      case 'job':
        return this.jobs.get(w.job)?.done ?? true;
      case 'work':
        return this.world.workItems[w.item]?.done ?? true;
      case 'callbacks':
        return this.callbackThreads(w).length === 0;
      case 'event':
        return this.world.events.find((e) => e.id === w.event)?.done ?? true;
      case 'mutex': {
        const m = this.world.mutexes.get(w.mutex);
        return !m || m.thread === w.waiter;
      }
    }
  }

  /** Threads running a callback of the registration that the wait waits for. */
  private callbackThreads(w: Extract<Wait, { k: 'callbacks' }>): string[] {
    const r = this.world.registrations[w.registration];
    if (!r) return [];
    const all = [...new Set(r.inFlight)];
    // Waiting for one's own callback (CM-6, KE-7) never ends; the Ex routine skips its own thread (UN-2).
    return w.includeSelf ? all : all.filter((n) => n !== w.waiter);
  }

  /** Threads other than `self` running a callback of the registration. */
  inFlightElsewhere(registration: string, self: string): string[] {
    const r = this.world.registrations[registration];
    return r ? [...new Set(r.inFlight.filter((n) => n !== self))] : [];
  }

  /** The threads a wait is waiting for (the wait-for graph, docs/architecture.md §2.3). */
  private waitsFor(w: Wait): string[] {
    switch (w.k) {
      case 'job':
        return [w.thread];
      case 'work': {
        const item = this.world.workItems[w.item];
        return item && !item.done ? [item.thread] : [];
      }
      case 'callbacks':
        return this.callbackThreads(w);
      case 'event':
        return ['pnp'];
      case 'mutex': {
        const m = this.world.mutexes.get(w.mutex);
        return m && m.thread !== w.waiter ? [m.thread] : [];
      }
    }
  }

  /** Find a wait-for cycle through `start`, or null. */
  private findCycle(start: Thread): WaitEdge[] | null {
    const path: WaitEdge[] = [];
    const seen = new Set<string>();
    const visit = (t: Thread): boolean => {
      if (t.status !== 'blocked' || !t.wait) return false;
      if (seen.has(t.name)) return false;
      seen.add(t.name);
      for (const next of this.waitsFor(t.wait)) {
        path.push({ thread: t.name, waitsFor: next, reason: t.wait.what });
        if (next === start.name) return true;
        const nt = this.threads.get(next);
        if (nt && visit(nt)) return true;
        path.pop();
      }
      return false;
    };
    return visit(start) ? path : null;
  }

  /** The most specific documented rule that explains a cycle (docs/architecture.md §2.3), else DL-1. */
  private cycleRule(cycle: WaitEdge[]): DeadlockRule {
    const rules = new Set<RuleId>();
    for (const e of cycle) {
      const w = this.threads.get(e.thread)?.wait;
      if (w?.rule) rules.add(w.rule);
    }
    // UN-4: a callback waits for a work item, and a thread of the cycle waits in the Ex routine for that callback.
    const inCycle = cycle.map((e) => this.threads.get(e.thread));
    for (const t of inCycle) {
      if (t?.wait?.k !== 'work') continue;
      const callbacks = t.callbacks;
      if (inCycle.some((u) => u?.wait?.k === 'callbacks' && u.wait.rule === 'UN-2' && callbacks.includes(u.wait.registration))) rules.add('UN-4');
      // CM-12, the user-mode twin: the callback waits for a threadpool work item whose
      // CM_Unregister_Notification waits for that callback. Not CM-6: the unregister is deferred.
      if (inCycle.some((u) => u !== t && u?.wait?.k === 'callbacks' && u.wait.rule === 'CM-6' && callbacks.includes(u.wait.registration))) {
        rules.add('CM-12');
        rules.delete('CM-6');
      }
    }
    // A cycle through an Ex routine's wait (UN-2) that no rule above explains is a plain DL-1.
    const priority: DeadlockRule[] = ['UN-3', 'UN-4', 'CU-8', 'CM-6', 'KE-7', 'RM-9', 'CM-12', 'IO-7'];
    for (const r of priority) if (rules.has(r)) return r;
    return 'DL-1';
  }


  // ---------------------------------------------------------------- scheduler

  /** Run threads until the system is quiescent (or the run halts, or pauses at a choice point). */
  runUntilQuiescent(): void {
    this.recheckBlocked();
    this.settle();
  }

  /** Something outside the threads may have ended waits: check every blocked thread at the next step. */
  recheckBlocked(): void {
    this.recheckAll = true;
  }

  /** Go on running threads until the system is quiescent, the run halts, or it pauses at a choice point. */
  settle(): void {
    this.loop();
    if (!this.paused) this.current = null;
  }

  /**
   * A copy of this run (paused at a choice point) that goes on independently: resume either, or both
   * with different threads. Shares the scenario, the handlers and the entries already handed over.
   */
  fork(): Engine {
    if (!this.kept) throw new Error('engine: only a run started with `keep` can be forked');
    const c = new Copier(scenarioObjects(this.scenario));
    c.share(this.scenario);
    c.share(this.limits);
    if (this.handlers) c.share(this.handlers);
    if (this.explorer) c.share(this.explorer);
    const world = c.world(this.world);
    const copy = new Engine(this.scenario, world, { handlers: this.handlers ?? undefined, explorer: this.explorer ?? undefined, keep: true });
    return copyEngine(this as Engine, copy, c);
  }

  /** Resume a paused run: `thread` (one of the runnable ones) runs at the choice point; settle goes on from there. */
  resume(thread: string): void {
    const p = this.paused;
    const t = this.threads.get(thread);
    if (!p || !t || !p.point.runnable.includes(thread)) throw new Error(`engine: cannot resume with ${thread}`);
    this.paused = null;
    p.point.chosen = thread;
    this.runChosen(t);
  }

  private loop(): void {
    while (!this.halted) {
      if (this.opCount > this.limits.maxOps) {
        this.stop('ops', `The run exceeded its budget of ${n(this.limits.maxOps)} ops; it never became quiescent.`);
        return;
      }
      const candidates = this.wakeCandidates();
      for (let i = 0; i < candidates.length; i++) {
        const t = candidates[i];
        if (t.status === 'blocked' && t.wait && this.satisfied(t.wait)) {
          if (++this.wakeups > this.limits.maxWakeups) {
            this.stop('wakeups', `The run reached its limit of ${n(this.limits.maxWakeups)} wake-ups of blocked threads; it never became quiescent.`);
            return;
          }
          t.wait = null;
          this.setStatus(t, 'runnable');
        }
      }
      const runnable = this.runnableList;
      if (runnable.length === 0) {
        const blocked = this.threadList.filter((t) => t.status === 'blocked');
        if (blocked.length > 0) {
          const what = blocked.map((t) => `${t.name} waits for ${t.wait?.what}`).join('; ');
          this.raise('DL-2', 'stall', `No thread can run, yet ${what}, and no wait cycle explains it: the run is stalled.`);
          this.halt('stalled', 'DL-2');
        }
        return;
      }
      const chosen = this.choose(runnable);
      if (!chosen) return;
      this.runChosen(chosen);
    }
  }

  /** The chosen thread runs one step. */
  private runChosen(chosen: Thread): void {
    // An action armed for this point starts after the choice, before the chosen thread runs; it may
    // end that thread (a process exit), which then does not run.
    if (this.triggers.length > 0 && this.fireTriggers(chosen) && chosen.status !== 'runnable') return;
    this.explorer?.step(chosen);
    this.stepThread(chosen);
  }

  /** Arm a timeline action to start at a point inside an earlier action (`during`). */
  arm(trigger: Omit<Trigger, 'fired'>): void {
    this.triggers.push({ ...trigger, fired: false });
  }

  /** Start the armed actions whose point this boundary is: choice point `step/choice`, or `chosen` about to run op `op` in `step`. */
  private fireTriggers(chosen: Thread): boolean {
    let fired = false;
    for (const t of this.triggers) {
      if (t.fired || t.step !== this.step || this.halted) continue;
      const here = t.choice !== undefined
        ? this.pointHere?.step === t.step && this.pointHere.choice === t.choice
        : chosen.stack.length > 0 && chosen.pendingOp === t.op;
      if (!here) continue;
      t.fired = true;
      fired = true;
      t.fire(this, t.index);
    }
    return fired;
  }

  private choose(runnable: readonly Thread[]): Thread | null {
    this.pointHere = undefined;
    const seq = this.seq;
    const pick = this.current && this.current.status === 'runnable' ? this.current : longestWaiting(runnable);
    if (seq === this.visitedBoundary) return pick;
    this.visitedBoundary = seq;
    let point: ChoicePoint | undefined;
    let o: Override | undefined;
    if (runnable.length > 1) {
      if (this.step !== this.choiceStep) {
        this.choiceStep = this.step;
        this.choiceCount = 0;
      }
      const choice = ++this.choiceCount;
      this.choicesPerStep.set(this.step, choice);
      // Frozen: never changed once made, so a fork shares them (fork.ts).
      point = { at: seq, step: this.step, choice, runnable: Object.freeze(runnable.map((t) => t.name)) as string[], chosen: pick.name, next: Object.freeze(runnable.map(nextStep)) as NextStep[] };
      if (!this.kept) this.choices.push(point);
      this.pointHere = point;
      if (this.explorer) {
        const picked = this.explorer.choose(point, runnable, pick, pick === this.current, this.trace);
        if (picked === 'pause') {
          this.paused = { point, pick: pick.name, continuing: pick === this.current };
          return null;
        }
        if (!picked) this.halted = true;
        else point.chosen = picked.name;
        return picked;
      }
      o = this.overrides.get(`${this.step}/${choice}`);
    }
    const legacy = this.overridesAt.size > 0 ? this.overridesAt.get(seq) : undefined;
    if (legacy && !legacy.used) o = legacy;
    if (!o || o.used) return pick;
    o.used = true;
    if (point) {
      o.step = point.step;
      o.choice = point.choice;
    }
    const named = runnable.find((t) => t.name === o.run);
    if (!named) {
      // The old form keeps its old wording ("step" was the seq then).
      const where = o === legacy ? `step ${seq}` : `choice ${point!.choice} of step ${point!.step} (seq ${seq})`;
      this.scheduleErrors.push({
        path: `/schedule/${o.index}/run`,
        message: `at ${where} thread "${o.run}" is not runnable; runnable threads: ${runnable.map((t) => t.name).join(', ')}`,
      });
      this.halted = true;
      return null;
    }
    if (point) point.chosen = named.name;
    return named;
  }

  /**
   * Run `t` to its next step boundary: its top frame's routine, and the routines it calls or returns
   * to, until one returns OP or blocks (frame.ts); a job starts on a thread that has none running.
   */
  private stepThread(t: Thread): void {
    this.current = t;
    this.lastStepped = t;
    const stack = t.stack;
    if (stack.length === 0) {
      const job = t.jobs.shift();
      if (!job) {
        this.setStatus(t, t.service ? 'idle' : 'done');
        return;
      }
      t.job = job;
      stack.push(job.body);
    }
    for (;;) {
      const f = stack[stack.length - 1];
      const s = f.fn(this, f as never);
      if (s.t === 'call') {
        stack.push(s.frame);
        continue;
      }
      if (s.t === 'ret') {
        stack.pop();
        if (stack.length > 0) {
          stack[stack.length - 1].ret = s.value;
          continue;
        }
        if (this.halted) return;
        if (t.job) {
          t.job.done = true;
          t.job.result = s.value;
          this.jobs.delete(t.job.id); // a job no longer in the table counts as done (satisfied)
        }
        t.job = null;
        if (t.jobs.length === 0) this.setStatus(t, t.service ? 'idle' : 'done');
        return;
      }
      if (this.halted || s.t === 'op') return;
      t.wait = s.wait;
      this.setStatus(t, 'blocked', s.wait.what);
      this.watch(t, s.wait);
      const cycle = this.findCycle(t);
      if (cycle) {
        const rule = this.cycleRule(cycle);
        const desc = cycle.map((e) => `${e.thread} waits for ${e.waitsFor} (${e.reason})`).join('; ');
        this.raise(rule, 'deadlock', `Deadlock: ${desc}.`, { cycle });
      }
      return;
    }
  }

  /** Check the schedule overrides that were never reached (after the run). */
  finishSchedule(): void {
    for (const [at, o] of this.overridesAt) {
      if (!o.used) {
        this.scheduleErrors.push({
          path: `/schedule/${o.index}/at`,
          message: `step ${at} is never reached as a step boundary (the run has ${this.seq} entries)`,
        });
      }
    }
    for (const [key, o] of this.overrides) {
      if (o.used) continue;
      const [step, choice] = key.split('/').map(Number);
      const had = this.choicesPerStep.get(step) ?? 0;
      this.scheduleErrors.push({
        path: `/schedule/${o.index}/choice`,
        message: `step ${step} has ${had} choice point${had === 1 ? '' : 's'}; choice ${choice} is never reached`,
      });
    }
  }

  /** Check the `during` actions that never started (after the run): like an override never reached, an error. */
  finishTriggers(): void {
    for (const t of this.triggers) {
      if (t.fired) continue;
      const had = this.choicesPerStep.get(t.step) ?? 0;
      this.scheduleErrors.push(t.choice !== undefined
        ? { path: `/timeline/${t.index}/during/choice`, message: `step ${t.step} has ${had} choice point${had === 1 ? '' : 's'}; choice ${t.choice} is never reached, so the action never starts` }
        : { path: `/timeline/${t.index}/during/op`, message: `no thread is about to run ${t.op} during step ${t.step}, so the action never starts` });
    }
  }

  /** Where each old-form (`at`) override was applied, by its index in `schedule`: for `migrateSchedule`. */
  appliedAt(): Map<number, { step: number; choice: number }> {
    const out = new Map<number, { step: number; choice: number }>();
    for (const o of this.overridesAt.values()) if (o.step !== undefined && o.choice !== undefined) out.set(o.index, { step: o.step, choice: o.choice });
    return out;
  }

  /** Is the system quiescent: no runnable or blocked thread and no PnP event waiting? */
  quiescent(): boolean {
    return this.threadList.every((t) => t.status === 'idle' || t.status === 'done');
  }
}

const n = (x: number) => x.toLocaleString('en-US');

const SCENARIO_OBJECTS = new WeakMap<object, WeakSet<object>>();

/** The objects of a scenario (never changed by a run), found once per scenario: forks share them. */
function scenarioObjects(scenario: NormalizedScenario): WeakSet<object> {
  let set = SCENARIO_OBJECTS.get(scenario);
  if (!set) SCENARIO_OBJECTS.set(scenario, (set = reachable(scenario)));
  return set;
}

/** No thread to re-check (shared, never mutated: wakeCandidates' answer on most steps). */
const NONE: readonly Thread[] = Object.freeze([]);

/** The runnable thread that has waited longest (the earliest `since`; by creation order on a tie). */
function longestWaiting(runnable: readonly Thread[]): Thread {
  let pick = runnable[0];
  for (let i = 1; i < runnable.length; i++) {
    const t = runnable[i];
    if (t.since < pick.since || (t.since === pick.since && t.order < pick.order)) pick = t;
  }
  return pick;
}

/** Insert a thread into a list kept in creation order. */
function insertByOrder(list: Thread[], t: Thread): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].order < t.order) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, t);
}

interface AcquireFrame extends Frame {
  wait: Extract<Wait, { k: 'mutex' }>;
}

const takeMutex: Routine<AcquireFrame> = (engine, f) => {
  if (!engine.satisfied(f.wait)) return block(f.wait);
  const m = engine.world.mutexes.get(f.wait.mutex);
  if (m) m.depth++;
  else engine.world.mutexes.set(f.wait.mutex, { thread: f.wait.waiter, depth: 1 });
  return ret();
};
immutableLocals(takeMutex, 'wait');

/** Take a kernel mutex (re-entrant for its owner), waiting while another thread holds it: `return call(...)`-able frame. */
export function acquire(engine: Engine, mutex: string, what: string, rule?: Wait['rule']): Frame {
  const wait: Wait = { k: 'mutex', mutex, waiter: engine.thread.name, what, ...(rule ? { rule } : {}) };
  return frame(takeMutex, { wait });
}
