// The interleaving explorer (docs/explore.md): runs the schedules of a scenario depth-first — at every
// choice point each runnable thread is a branch — and groups the runs by outcome.
//
// - Forking: the run pauses at every choice point; each branch resumes from a copy of the run taken
//   there (Engine.fork: threads are stacks of plain-data frames, src/engine/frame.ts), so the prefix
//   a set of schedules shares runs once. `fork: false` runs every schedule again from the start with
//   its choices replayed instead (as CHESS does); both give the same result, field for field.
// - No pruning of seen states (docs/explore.md says why): `states` counts the choice points visited.
// - Partial-order reduction: sleep sets over transition footprints (footprint.ts). A transition known
//   to commute with the one just run is not tried again in the other order.
// - Bounds: a cap on runs, a time limit, and a preemption bound k (at most k switches away from a
//   thread that could have gone on, as iterative context bounding does). The result says whether the
//   exploration was complete.
// - Splittable: `splitTasks` cuts the schedule tree at a depth into tasks that can run anywhere (worker
//   threads); `mergeResults` puts their results together exactly as one exploration would have found
//   them: runs are ordered by their path in the tree, not by who ran them or when.
import type { NormalizedScenario, ScheduleOverride } from '../../scenario/types.ts';
import { proceed, runScenario, startRun } from '../index.ts';
import type { ChoicePoint, Engine, Explorer, RunLimits, Thread } from '../engine.ts';
import type { TraceEntry } from '../trace.ts';
import { FootprintTracker, GLOBAL, OpFootprints, independent, type Footprint } from './footprint.ts';
import { OutcomeKeys, outcomeKey, outcomeOf, type Outcome } from './outcome.ts';

export const EXPLORE_FORMAT = 'pnp-explore/1';

export interface ExploreOptions {
  /** Stop after this many runs (schedules run to their end). */
  maxRuns?: number;
  /** Stop once this many milliseconds have passed (checked between runs; needs `now`). */
  timeLimitMs?: number;
  /** Explore only schedules with at most this many preemptions. */
  preemptions?: number;
  /** Sleep-set reduction (default true); false tries every order. */
  reduction?: boolean;
  /** The limits of each run (DL-3), as for `runScenario`; the engine's defaults otherwise. */
  limits?: Partial<RunLimits>;
  /**
   * Resume each branch from a copy of the run taken at its choice point (default true: Engine.fork);
   * false runs every schedule again from the start, replaying its choices (the benchmark compares both).
   */
  fork?: boolean;
  /** The clock for the time limit (the engine itself has none). */
  now?: () => number;
  /** Told every `progressEvery` runs (default 64) how far it got. */
  onProgress?: (p: { runs: number; states: number }) => void;
  progressEvery?: number;
  /** Share the search with other workers as it goes (work stealing: parallel.ts, src/cli/explore.ts). */
  sharing?: Sharing;
}

/**
 * How a search shares its work with other workers while it runs. Between two schedules it asks
 * `wanted`; if so, it splits off the untried branches of the shallowest choice point on its path that
 * has some (`Search.split`) and hands them to `give` as a task, which any worker can explore: the
 * results are merged by their place in the tree (`mergeResults`), so who explores what never changes
 * the result. `reserve` is asked before each schedule: false when the runs shared by every worker
 * (`--max-runs`) are used up.
 */
export interface Sharing {
  reserve(): boolean;
  wanted(): boolean;
  give(task: Task): void;
}

/** Where a schedule first departs from the default run. */
export interface Divergence {
  /** The choice point: timeline step and ordinal (as in `schedule`), and the seq of the next entry. */
  step: number;
  choice: number;
  at: number;
  /** The thread that ran, and the thread the default schedule would have run. */
  ran: string;
  insteadOf: string;
}

export type StopReason = 'max-runs' | 'time-limit' | 'preemptions';

export interface OutcomeReport extends Outcome {
  /** How many of the explored schedules reach it. */
  runs: number;
  /** One shortest schedule (fewest overrides) that reproduces it, in the scenario's `schedule` form. */
  schedule: ScheduleOverride[];
  divergesAt: Divergence | null;
}

export interface ExploreResult {
  format: typeof EXPLORE_FORMAT;
  /** Every schedule was explored (up to the reduction): no bound stopped it. */
  complete: boolean;
  /** The bounds that stopped it (empty when complete). */
  stoppedBy: StopReason[];
  /** Schedules run to their end. */
  runs: number;
  /** Choice points visited (nodes of the schedule tree). */
  states: number;
  outcomes: OutcomeReport[];
}

/** One choice of a task's fixed prefix. */
interface Fixed {
  run: string;
  ordinal: number;
  step: number;
  choice: number;
  at: number;
  insteadOf: string;
}

/** A subtree of the schedule tree: its fixed prefix of choices, and what is asleep at its root. */
export interface Task {
  prefix: Fixed[];
  sleep: [string, Footprint][];
  preemptions: number;
  /**
   * The root's branches already explored elsewhere (what they touched): the task is the rest of a
   * choice point another search visited and split (`Search.split`), so its root is not counted again.
   */
  done?: [string, Footprint][];
}

/** What was found in one or more subtrees, before merging. */
export interface Found {
  outcome: Outcome;
  key: string;
  runs: number;
  /** Path (ordinals) of the first run that reached it, and of its shortest schedule. */
  first: number[];
  best: number[];
  schedule: ScheduleOverride[];
  divergesAt: Divergence | null;
}

export interface TaskResult {
  runs: number;
  states: number;
  stoppedBy: StopReason[];
  found: Found[];
}

interface Node {
  step: number;
  choice: number;
  at: number;
  runnable: string[];
  /** Candidates: the default pick first, then the other runnable threads in creation order. */
  order: string[];
  /** The default pick continues the thread that ran last: running another one preempts it. */
  continuing: boolean;
  sleep: Map<string, Footprint>;
  done: Map<string, Footprint>;
  /** Its untried branches were given to another worker (`Search.split`): none is tried here. */
  given: boolean;
  /** The chosen candidate (index into `order`). */
  index: number;
  /** What the chosen transition touched, once known. */
  fp: Footprint | null;
  /** Preemptions before this choice. */
  preemptions: number;
}

export const ROOT_TASK: Task = { prefix: [], sleep: [], preemptions: 0 };

function compareKeys(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** One depth-first search of one subtree. */
class Search {
  private path: Node[] = [];
  /** Forking: the run paused at each choice point of the path (resumed for its node's next branch). */
  private saved: Engine[] = [];
  private readonly depth: number;
  private readonly found = new Map<string, Found>();
  /** The outcomes found, by their key within this search (OutcomeKeys: cheaper than the content key). */
  private readonly byKey = new Map<string, Found>();
  private readonly keys: OutcomeKeys;
  runs = 0;
  states = 0;
  private bounded = false;
  readonly tasks: Task[] = [];
  private readonly scenario: NormalizedScenario;
  private readonly ops: OpFootprints;
  /** Sleep sets on: asked for, and sound for this scenario. */
  private readonly reduce: boolean;

  constructor(
    scenario: NormalizedScenario,
    private readonly task: Task,
    private readonly options: ExploreOptions,
    /** Cut the tree here: a choice point at this depth becomes a task instead of being explored. */
    private readonly splitAt = Infinity,
  ) {
    this.scenario = scenario.schedule.length > 0 ? { ...scenario, schedule: [] } : scenario;
    this.depth = task.prefix.length;
    this.ops = new OpFootprints(this.scenario);
    this.keys = new OutcomeKeys(this.scenario);
    this.reduce = options.reduction !== false && !startsAtChoice(scenario);
  }

  /** Explore the subtree; stops early at a bound. */
  explore(): TaskResult {
    return this.options.fork === false ? this.exploreByReplay() : this.exploreByForking();
  }

  /**
   * Every schedule of the subtree, each branch resumed from a copy of the run at its choice point:
   * the prefix of a schedule runs once, not once per schedule. Same order, counts and results as replaying.
   */
  private exploreByForking(): TaskResult {
    const tracker = new FootprintTracker(this.ops);
    const explorer: Explorer = { step: (t) => tracker.step(t), choose: () => 'pause' };
    let run = startRun(this.scenario, { ...this.options.limits, explorer, keep: true });
    for (const f of this.task.prefix) {
      if (!run.paused) throw new Error('explore: the run is not deterministic (the task\'s prefix does not fit it)');
      run.resume(f.run);
      proceed(run);
    }
    let first = true;
    return this.search(() => {
      if (!first) run = this.branch(this.path.length - 1, tracker);
      first = false;
      this.dive(run, tracker);
    });
  }

  /**
   * Schedule after schedule (`next` runs one to its end), backtracking between them, until the
   * subtree is done or a bound (runs, time) stops it; progress every `progressEvery` schedules.
   */
  private search(next: () => void): TaskResult {
    const { maxRuns, timeLimitMs, now } = this.options;
    const deadline = timeLimitMs !== undefined && now ? now() + timeLimitMs : Infinity;
    const every = this.options.progressEvery ?? 64;
    const stoppedBy: StopReason[] = [];
    const sharing = this.options.sharing;
    for (;;) {
      if (sharing && !sharing.reserve()) {
        stoppedBy.push('max-runs');
        break;
      }
      next();
      if (this.runs > 0 && this.runs % every === 0) this.options.onProgress?.({ runs: this.runs, states: this.states });
      if (sharing?.wanted()) {
        const task = this.split();
        if (task) sharing.give(task);
      }
      if (!this.backtrack()) break;
      if (maxRuns !== undefined && this.runs >= maxRuns) {
        stoppedBy.push('max-runs');
        break;
      }
      if (deadline !== Infinity && now!() >= deadline) {
        stoppedBy.push('time-limit');
        break;
      }
    }
    if (this.bounded) stoppedBy.push('preemptions');
    return { runs: this.runs, states: this.states, stoppedBy, found: [...this.found.values()] };
  }

  /** From a run paused at the end of the path (or ended), down the first branches to the end of one schedule. */
  private dive(run: Engine, tracker: FootprintTracker): void {
    while (run.paused) {
      const { point, pick, continuing } = run.paused;
      const d = this.path.length;
      if (d + this.depth >= this.splitAt) {
        this.tasks.push(this.taskAt(d));
        return;
      }
      const node = this.node(point, pick, continuing, d);
      this.visited(d);
      const index = this.next(node, 0);
      if (index < 0) return; // every candidate is asleep or over the bound
      node.index = index;
      this.path.push(node);
      this.saved.push(run);
      run = this.branch(d, tracker);
    }
    if (run.scheduleErrors.length > 0) throw new Error(`explore: the run failed: ${run.scheduleErrors.map((e) => e.message).join('; ')}`);
    this.runs++;
    this.record(run.entriesFrom(0));
  }

  /** Run the chosen branch of node `d`: from a copy of the run saved there (the run itself for its last branch). */
  private branch(d: number, tracker: FootprintTracker): Engine {
    const node = this.path[d];
    const last = this.peek(node, node.index + 1) < 0;
    const run = last ? this.saved[d] : this.saved[d].fork();
    tracker.start(node.at);
    run.resume(chosenOf(node));
    proceed(run);
    if (run.paused) node.fp = tracker.end(run.entriesFrom(node.at), node.at);
    return run;
  }

  private exploreByReplay(): TaskResult {
    return this.search(() => this.runOnce());
  }

  private runOnce(): void {
    const tracker = new FootprintTracker(this.ops);
    let i = 0;
    const explorer: Explorer = {
      step: (t) => tracker.step(t),
      choose: (point, runnable, pick, continuing, trace) => {
        const d = i++ - this.depth;
        if (d > 0 && d - 1 < this.path.length && this.path[d - 1].fp === null) this.path[d - 1].fp = tracker.end(trace, 0);
        tracker.start(point.at);
        if (d < 0) return named(runnable, this.task.prefix[d + this.depth].run);
        if (d < this.path.length) return named(runnable, chosenOf(this.path[d]));
        if (d + this.depth >= this.splitAt) {
          this.tasks.push(this.taskAt(d));
          return null;
        }
        const node = this.node(point, pick.name, continuing, d);
        this.visited(d);
        const index = this.next(node, 0);
        if (index < 0) return null; // every candidate is asleep or over the bound
        node.index = index;
        this.path.push(node);
        return named(runnable, chosenOf(node));
      },
    };
    const outcome = runScenario(this.scenario, { ...this.options.limits, explorer });
    if (!outcome.ok) throw new Error(`explore: the run failed: ${outcome.errors.map((e) => e.message).join('; ')}`);
    const trace = outcome.trace;
    if (trace.at(-1)?.type !== 'halt') return; // ended early: asleep, bounded, or cut into a task
    // The run was complete: every choice of it is on the path.
    if (i - this.depth !== this.path.length) throw new Error('explore: the run is not deterministic');
    this.runs++;
    this.record(trace);
  }

  private record(trace: readonly TraceEntry[]): void {
    const local = this.keys.key(trace);
    const path = [...this.task.prefix.map((f) => f.ordinal), ...this.path.map((n) => n.index)];
    const overrides = this.overrides();
    const seen = this.byKey.get(local);
    if (seen) {
      seen.runs++;
      if (overrides.length < seen.schedule.length) Object.assign(seen, { best: path, ...this.scheduleOf(overrides) });
      return;
    }
    const o = outcomeOf(this.scenario, trace);
    const key = outcomeKey(o);
    const found = { outcome: o, key, runs: 1, first: path, best: path, ...this.scheduleOf(overrides) };
    this.byKey.set(local, found);
    this.found.set(key, found);
  }

  /** The choices of the current path that depart from the default. */
  private overrides(): Fixed[] {
    const out = this.task.prefix.filter((f) => f.ordinal > 0);
    for (const n of this.path) if (n.index > 0) out.push(fixedOf(n));
    return out;
  }

  private scheduleOf(overrides: Fixed[]): { schedule: ScheduleOverride[]; divergesAt: Divergence | null } {
    const first = overrides[0];
    return {
      schedule: overrides.map((f) => ({ step: f.step, choice: f.choice, run: f.run })),
      divergesAt: first ? { step: first.step, choice: first.choice, at: first.at, ran: first.run, insteadOf: first.insteadOf } : null,
    };
  }

  private node(point: ChoicePoint, pick: string, continuing: boolean, d: number): Node {
    const runnable = point.runnable;
    const order = [pick, ...runnable.filter((n) => n !== pick)];
    const parent = d > 0 ? this.path[d - 1] : null;
    let sleep: Map<string, Footprint>;
    if (!this.reduce) sleep = new Map();
    else if (!parent) sleep = new Map(this.task.sleep);
    else sleep = childSleep(parent);
    const preemptions = parent ? parent.preemptions + cost(parent, parent.index) : this.task.preemptions;
    const done = new Map(!parent ? this.task.done : undefined);
    return { step: point.step, choice: point.choice, at: point.at, runnable, order, continuing, sleep, done, given: false, index: -1, fp: null, preemptions };
  }

  /** Count the choice point at depth `d` (the root of the rest of a split one was counted where it was split). */
  private visited(d: number): void {
    if (d > 0 || !this.task.done) this.states++;
  }

  /**
   * Called between two schedules (every transition of the path has run): the untried branches of the
   * shallowest choice point on the path that has some, as a task for another worker; this search
   * will not try them. Null when no choice point on the path has any left.
   */
  split(): Task | null {
    for (let d = 0; d < this.path.length; d++) {
      const node = this.path[d];
      if (node.given || this.peek(node, node.index + 1) < 0) continue;
      node.given = true;
      return {
        prefix: [...this.task.prefix, ...this.path.slice(0, d).map(fixedOf)],
        sleep: [...node.sleep],
        preemptions: node.preemptions,
        done: [...node.done, [chosenOf(node), node.fp ?? GLOBAL]],
      };
    }
    return null;
  }

  /** A task for the subtree below the current path, rooted at this choice point. */
  private taskAt(d: number): Task {
    const parent = d > 0 ? this.path[d - 1] : null;
    let sleep: [string, Footprint][];
    if (!this.reduce) sleep = [];
    else if (!parent) sleep = this.task.sleep;
    else sleep = [...childSleep(parent)];
    return {
      prefix: [...this.task.prefix, ...this.path.map(fixedOf)],
      sleep,
      preemptions: parent ? parent.preemptions + cost(parent, parent.index) : this.task.preemptions,
    };
  }

  /** The first candidate from `from` on that is neither asleep, nor explored, nor over the bound; -1 if none. */
  private next(node: Node, from: number): number {
    const j = this.peek(node, from);
    if (this.overBound(node, from, j < 0 ? node.order.length : j)) this.bounded = true;
    return j;
  }

  /** next, without noting that the bound cut a candidate. */
  private peek(node: Node, from: number): number {
    for (let j = from; j < node.order.length; j++) {
      const name = node.order[j];
      if (node.sleep.has(name) || node.done.has(name)) continue;
      if (this.overBound(node, j, j + 1)) continue;
      return j;
    }
    return -1;
  }

  /** Is a candidate in [from, to) that is neither asleep nor explored over the preemption bound? */
  private overBound(node: Node, from: number, to: number): boolean {
    const bound = this.options.preemptions;
    if (bound === undefined) return false;
    for (let j = from; j < to; j++) {
      const name = node.order[j];
      if (!node.sleep.has(name) && !node.done.has(name) && node.preemptions + cost(node, j) > bound) return true;
    }
    return false;
  }

  /** Move to the next unexplored branch; false when the subtree is done. */
  private backtrack(): boolean {
    while (this.path.length > 0) {
      const node = this.path[this.path.length - 1];
      node.done.set(chosenOf(node), node.fp ?? GLOBAL);
      const j = node.given ? -1 : this.next(node, node.index + 1);
      if (j >= 0) {
        node.index = j;
        node.fp = null;
        return true;
      }
      this.path.pop();
      this.saved.pop();
    }
    return false;
  }
}

/**
 * An action that starts at a numbered choice point of an earlier one (`during: { choice }`): choice
 * points are numbered in the order a run meets them, which two orders of the same transitions need
 * not share, so the reduction is off for such a scenario (every order is tried).
 */
const startsAtChoice = (s: NormalizedScenario) => s.timeline.some((a) => a.during?.choice !== undefined);

const chosenOf = (n: Node) => n.order[n.index];
const cost = (n: Node, j: number) => (n.continuing && j > 0 ? 1 : 0);
const fixedOf = (n: Node): Fixed => ({ run: chosenOf(n), ordinal: n.index, step: n.step, choice: n.choice, at: n.at, insteadOf: n.order[0] });

/** What stays asleep below `parent` after its chosen transition: what commutes with it. */
function childSleep(parent: Node): Map<string, Footprint> {
  const fp = parent.fp ?? GLOBAL;
  const out = new Map<string, Footprint>();
  if (fp.global) return out;
  for (const m of [parent.sleep, parent.done]) for (const [t, f] of m) if (independent(f, fp)) out.set(t, f);
  return out;
}

function named(runnable: readonly Thread[], name: string): Thread {
  const t = runnable.find((r) => r.name === name);
  if (!t) throw new Error(`explore: thread ${name} is not runnable on replay (the run is not deterministic)`);
  return t;
}

/** Explore one subtree (the whole tree: ROOT_TASK). */
export function exploreTask(scenario: NormalizedScenario, task: Task, options: ExploreOptions = {}): TaskResult {
  return new Search(scenario, task, options).explore();
}

/**
 * Cut the schedule tree at `depth` choice points: the runs that end above the cut (explored here),
 * and the subtrees below it as tasks, in tree order.
 */
export function splitTasks(scenario: NormalizedScenario, depth: number, options: ExploreOptions = {}): { above: TaskResult; tasks: Task[] } {
  const search = new Search(scenario, ROOT_TASK, { ...options, maxRuns: undefined, timeLimitMs: undefined }, depth);
  const above = search.explore();
  return { above, tasks: search.tasks };
}

/** The results of disjoint subtrees as one exploration of the whole tree would report them. */
export function mergeResults(parts: readonly TaskResult[]): ExploreResult {
  const byKey = new Map<string, Found>();
  let runs = 0;
  let states = 0;
  const stopped = new Set<StopReason>();
  for (const p of parts) {
    runs += p.runs;
    states += p.states;
    for (const s of p.stoppedBy) stopped.add(s);
    for (const f of p.found) {
      const seen = byKey.get(f.key);
      if (!seen) {
        byKey.set(f.key, { ...f });
        continue;
      }
      seen.runs += f.runs;
      if (compareKeys(f.first, seen.first) < 0) seen.first = f.first;
      const shorter = f.schedule.length - seen.schedule.length;
      if (shorter < 0 || (shorter === 0 && compareKeys(f.best, seen.best) < 0)) Object.assign(seen, { best: f.best, schedule: f.schedule, divergesAt: f.divergesAt });
    }
  }
  const outcomes = [...byKey.values()]
    .sort((a, b) => compareKeys(a.first, b.first))
    .map((f) => ({ halt: f.outcome.halt, hazards: f.outcome.hazards, runs: f.runs, schedule: f.schedule, divergesAt: f.divergesAt, observations: f.outcome.observations }));
  const stoppedBy = (['max-runs', 'time-limit', 'preemptions'] as const).filter((s) => stopped.has(s));
  return { format: EXPLORE_FORMAT, complete: stoppedBy.length === 0, stoppedBy, runs, states, outcomes };
}

/** Explore every schedule of a scenario (within the bounds), in this thread. */
export function explore(scenario: NormalizedScenario, options: ExploreOptions = {}): ExploreResult {
  const result = mergeResults([exploreTask(scenario, ROOT_TASK, options)]);
  return needsEveryOrder(result, options) ? explore(scenario, { ...options, reduction: false }) : result;
}

/**
 * A run that stopped at a limit of the run (DL-3: ops, entries…) breaks the reduction's premise: two
 * transitions that commute may still reach the limit in one order and not in the other. When a
 * reduced exploration meets such a run, it is done again trying every order.
 */
export const needsEveryOrder = (result: ExploreResult, options: ExploreOptions): boolean =>
  options.reduction !== false && result.outcomes.some((o) => o.halt === 'budget');
