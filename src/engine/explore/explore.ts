// The interleaving explorer (docs/explore.md): runs the schedules of a scenario depth-first — at every
// choice point each runnable thread is a branch — and groups the runs by outcome.
//
// - Forking: the run pauses at every choice point; each branch resumes from a copy of the run taken
//   there (Engine.fork: threads are stacks of plain-data frames, src/engine/frame.ts), so the prefix
//   a set of schedules shares runs once. `fork: false` runs every schedule again from the start with
//   its choices replayed instead (as CHESS does); both give the same result, field for field.
// - Pruning seen states (state.ts): at each choice point the run's state is keyed; a state explored
//   completely before is not explored again — its schedules, kept by what they add to the outcome
//   after the state (outcome.ts, Suffixes) with their counts and first and shortest schedules, are
//   counted for this path too, put after what this path observed. So `runs` and every outcome's
//   count are those of exploring every schedule (`reduction: false`), field for field; `states`
//   counts the distinct states visited. This replaces the sleep sets, which tried fewer orders but
//   could not count the schedules they left out.
// - Bounds: a cap on runs, a time limit, and a preemption bound k (at most k switches away from a
//   thread that could have gone on, as iterative context bounding does). The result says whether the
//   exploration was complete.
// - Splittable: `splitTasks` cuts the schedule tree at a depth into tasks that can run anywhere (worker
//   threads); `mergeResults` puts their results together exactly as one exploration would have found
//   them: runs are ordered by their path in the tree, not by who ran them or when.
import type { NormalizedScenario, ScheduleOverride } from '../../scenario/types.ts';
import { proceed, startRun } from '../index.ts';
import type { Engine, Explorer, RunLimits } from '../engine.ts';
import { Suffixes, outcomeKey, type Outcome, type Piece } from './outcome.ts';
import type { StateKey, StateKeys } from './state.ts';
import { comparePaths, ExploredStates, listItems, type Fixed, type Stat, type Summary } from './explored.ts';
import { list } from '../lists.ts';

export const EXPLORE_FORMAT = 'pnp-explore/1';

export interface ExploreOptions {
  /** Stop after this many runs (schedules run to their end). */
  maxRuns?: number;
  /** Stop once this many milliseconds have passed (checked between runs; needs `now`). */
  timeLimitMs?: number;
  /** Explore only schedules with at most this many preemptions. */
  preemptions?: number;
  /**
   * Prune states already seen (default true): the schedules below a state are explored once and
   * counted for every path into it. False runs every schedule to its end. Both give the same outcomes
   * and counts (docs/explore.md).
   */
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
  /**
   * The states explored completely (explored.ts), kept across the tasks a worker explores and shared
   * with the other workers; made for `scenario` with these same options. Default: one of its own.
   */
  explored?: ExploredStates;
}

/**
 * How a search shares its work with other workers while it runs. Between two schedules it asks
 * `wanted`; if so, it splits off the untried branches of the shallowest choice point on its path that
 * has some (`Search.split`) and hands them to `give` as a task, which any worker can explore: the
 * results are merged by their place in the tree (`mergeResults`), so who explores what never changes
 * the result. `reserve` is asked before each schedule (and for the rest of a state seen before, which
 * stands for many: `runs` more): false when the runs shared by every worker
 * (`--max-runs`) are used up.
 */
export interface Sharing {
  reserve(runs?: number): boolean;
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
  /** Distinct states visited at choice points (pruning); without it, choice points visited (nodes of the schedule tree). */
  states: number;
  outcomes: OutcomeReport[];
}

/** A subtree of the schedule tree: its fixed prefix of choices. */
export interface Task {
  prefix: Fixed[];
  preemptions: number;
  /**
   * The root's branches already explored elsewhere: the task is the rest of a choice point another
   * search visited and split (`Search.split`). Its state is counted once (`states` merges digests).
   */
  done?: string[];
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
  /** Distinct states visited (pruning), or choice points visited. */
  states: number;
  /** With pruning: a digest of each distinct state visited, sorted (merged, they count the distinct states of the whole tree). */
  seen?: string[];
  stoppedBy: StopReason[];
  found: Found[];
}

interface Node {
  step: number;
  choice: number;
  at: number;
  /** Candidates: the default pick first, then the other runnable threads in creation order. */
  order: string[];
  /** The default pick continues the thread that ran last: running another one preempts it. */
  continuing: boolean;
  /** Candidates explored elsewhere (a task's root: Task.done). */
  elsewhere: ReadonlySet<string> | null;
  /** Its untried branches were given to another worker (`Search.split`): none is tried here. */
  given: boolean;
  /** The chosen candidate (index into `order`). */
  index: number;
  /** The chosen candidate as an override (made once per branch, for the schedules below it that override), or null. */
  fixed: Fixed | null;
  /** Preemptions before this choice. */
  preemptions: number;
  /** The state here (pruning on). */
  key: StateKey | null;
  /** What the chosen branch's transition added to the outcome, once its end is reached. */
  piece: Piece | null;
  /** The schedules explored below so far. */
  below: Summary;
  runs: number;
  /** Part of the subtree was not explored here (cut into a task, or a bound stopped the search): not to be reused. */
  cut: boolean;
  bounded: boolean;
}

export const ROOT_TASK: Task = { prefix: [], preemptions: 0 };

/** A run that ended: one schedule, nothing after its last transition. */
const END: Summary = [Object.freeze({ suffix: Suffixes.EMPTY, runs: 1, cost: 0, fixed: null, best: null, first: null })];

function compareKeys(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/**
 * Add `st` to the schedules of its suffix in `into`. `st` becomes part of `into` when its suffix is
 * new there, so it must be a Stat made for the call (never one of a summary remembered).
 */
function merge(into: Summary, st: Stat): void {
  const suffix = st.suffix;
  for (let i = 0; i < into.length; i++) {
    const seen = into[i];
    if (seen.suffix !== suffix) continue;
    seen.runs += st.runs;
    if (comparePaths(st.first, seen.first) < 0) seen.first = st.first;
    if (st.cost < seen.cost || (st.cost === seen.cost && comparePaths(st.best, seen.best) < 0)) {
      seen.cost = st.cost;
      seen.fixed = st.fixed;
      seen.best = st.best;
    }
    return;
  }
  into.push(st);
}

/** A copy of `st` (to merge one of a summary remembered), with suffix `suffix`. */
const copyStat = (st: Stat, suffix: number): Stat => ({ suffix, runs: st.runs, cost: st.cost, fixed: st.fixed, best: st.best, first: st.first });

/**
 * The options as a record of one shape whatever the caller's (a worker's task arrives in a message
 * and is spread with more): the search reads them on its hottest paths, and each task is a new
 * search — options of another shape there threw its optimised code away, once per task shape.
 */
const settled = (o: ExploreOptions): { [K in keyof Required<ExploreOptions>]: ExploreOptions[K] } => ({
  maxRuns: o.maxRuns, timeLimitMs: o.timeLimitMs, preemptions: o.preemptions, reduction: o.reduction, limits: o.limits,
  fork: o.fork, now: o.now, onProgress: o.onProgress, progressEvery: o.progressEvery, sharing: o.sharing, explored: o.explored,
});

const PAUSE: Explorer = { step: () => {}, choose: () => 'pause' };

/** One depth-first search of one subtree. */
class Search {
  private path: Node[] = list();
  /** Forking: the run paused at each choice point of the path (resumed for its node's next branch). */
  private saved: Engine[] = list();
  private readonly depth: number;
  private readonly suffixes: Suffixes;
  /** The schedules explored, by suffix after the task's root, and what the run added before it. */
  private readonly root: Summary = list();
  private rootPiece: Piece | null = null;
  /** Pruning: the states explored completely (here, or by another worker), and the digests of the states visited here. */
  private readonly explored: ExploredStates;
  private readonly visited = new Set<string>();
  private readonly keys: StateKeys | null;
  runs = 0;
  states = 0;
  private bounded = false;
  readonly tasks: Task[] = list();
  private readonly scenario: NormalizedScenario;
  private readonly options: ExploreOptions;

  constructor(
    scenario: NormalizedScenario,
    private readonly task: Task,
    options: ExploreOptions,
    /** Cut the tree here: a choice point at this depth becomes a task instead of being explored. */
    private readonly splitAt = Infinity,
  ) {
    this.options = settled(options);
    this.explored = options.explored ?? new ExploredStates(scenario);
    this.scenario = this.explored.scenario;
    this.depth = task.prefix.length;
    this.suffixes = this.explored.suffixes;
    this.keys = options.reduction !== false ? this.explored.keys : null;
  }

  /**
   * Schedule after schedule (each dive runs one to its end, or to a state seen before), backtracking
   * between them, until the subtree is done or a bound (runs, time) stops it.
   */
  explore(): TaskResult {
    const { maxRuns, timeLimitMs, now } = this.options;
    const deadline = timeLimitMs !== undefined && now ? now() + timeLimitMs : Infinity;
    const every = this.options.progressEvery ?? 64;
    const stoppedBy: StopReason[] = [];
    const sharing = this.options.sharing;
    let run = this.start();
    for (;;) {
      if (sharing && !sharing.reserve()) {
        stoppedBy.push('max-runs');
        break;
      }
      const before = this.runs;
      this.dive(run);
      if (Math.floor(this.runs / every) > Math.floor(before / every)) this.options.onProgress?.({ runs: this.runs, states: this.states });
      if (sharing?.wanted()) {
        const task = this.split();
        if (task) sharing.give(task);
      }
      this.explored.poll();
      if (!this.backtrack()) break;
      if (maxRuns !== undefined && this.runs >= maxRuns) {
        stoppedBy.push('max-runs');
        break;
      }
      if (deadline !== Infinity && now!() >= deadline) {
        stoppedBy.push('time-limit');
        break;
      }
      run = this.branch(this.path.length - 1);
    }
    // Stopped at a bound: what was explored below the path counts, but is not a whole subtree.
    while (this.path.length > 0) {
      const node = this.path.pop()!;
      this.saved.pop();
      node.cut = true;
      this.finish(node);
    }
    if (this.bounded) stoppedBy.push('preemptions');
    this.explored.taskDone();
    if (!this.keys) return { runs: this.runs, states: this.states, stoppedBy, found: this.found() };
    // A fork can alias what a re-run does not (state.ts, digest): the same state under two keys, one digest.
    const seen = [...this.visited].sort();
    return { runs: this.runs, states: seen.length, seen, stoppedBy, found: this.found() };
  }

  /** A run of the scenario through the task's prefix, paused at the task's root (or ended). */
  private start(): Engine {
    const run = startRun(this.scenario, { ...this.options.limits, explorer: PAUSE, keep: true });
    for (const f of this.task.prefix) {
      if (!run.paused) throw new Error('explore: the run is not deterministic (the task\'s prefix does not fit it)');
      run.resume(f.run);
      proceed(run);
    }
    return run;
  }

  /** From a run paused at the end of the path (or ended), down the first branches to the end of a schedule or a state seen before. */
  private dive(run: Engine): void {
    while (run.paused) {
      const d = this.path.length;
      this.transitionEnds(run);
      if (d + this.depth >= this.splitAt) {
        this.tasks.push(this.taskAt(d));
        if (d > 0) this.path[d - 1].cut = true;
        return;
      }
      const parent = d > 0 ? this.path[d - 1] : null;
      const preemptions = parent ? parent.preemptions + cost(parent, parent.index) : this.task.preemptions;
      let key: StateKey | null = null;
      if (this.keys) {
        key = this.keys.key(run, this.options.preemptions === undefined ? undefined : preemptions);
        this.visited.add(this.keys.digest(key));
        // A state seen before: its schedules, counted for this path too (unless they overrun the cap on
        // runs) — but not at the root of the rest of a split choice point: only its other branches are this task's.
        const seen = d === 0 && this.task.done ? undefined : this.explored.find(key);
        if (seen && (this.options.maxRuns === undefined || this.runs + seen.runs <= this.options.maxRuns) && (seen.runs <= 1 || !this.options.sharing || this.options.sharing.reserve(seen.runs - 1))) {
          this.runs += seen.runs;
          if (seen.bounded) this.bounded = true;
          this.absorb(d, seen.below, seen.runs, seen.bounded);
          return;
        }
      }
      const { point, pick, continuing } = run.paused;
      const order = [pick];
      for (const n of point.runnable) if (n !== pick) order.push(n);
      const node: Node = {
        step: point.step, choice: point.choice, at: point.at, order, continuing, index: -1, fixed: null, preemptions,
        elsewhere: d === 0 && this.task.done ? new Set(this.task.done) : null, given: false,
        key, piece: null, below: list(), runs: 0, cut: d === 0 && this.task.done !== undefined, bounded: false,
      };
      // The root of the rest of a split choice point was counted where it was split.
      if (d > 0 || !this.task.done) this.states++;
      const index = this.next(node, 0);
      if (index < 0) {
        // Every candidate is over the preemption bound.
        this.finish(node);
        return;
      }
      node.index = index;
      this.path.push(node);
      this.saved.push(run);
      run = this.branch(d, run);
    }
    if (run.scheduleErrors.length > 0) throw new Error(`explore: the run failed: ${run.scheduleErrors.map((e) => e.message).join('; ')}`);
    this.transitionEnds(run);
    this.runs++;
    this.absorb(this.path.length, END, 1, false);
  }

  /** The run reached the end of the path's last transition (a choice point, or its end): what did that transition add? */
  private transitionEnds(run: Engine): void {
    const d = this.path.length;
    if (d > 0) this.path[d - 1].piece = this.piece(run, this.path[d - 1].at);
    else if (this.rootPiece === null) this.rootPiece = this.piece(run, 0);
  }

  /** What the run's entries from seq `at` on add to the outcome: read in place when none of them was handed over (usually), not copied out. */
  private piece(run: Engine, at: number): Piece {
    const start = at - (run.seq - run.trace.length);
    return start >= 0 ? this.suffixes.piece(run.trace, start) : this.suffixes.piece(run.entriesFrom(at));
  }

  /**
   * Run the chosen branch of node `d`. Forking: from a copy of the run saved there (the run itself
   * for its last branch; `fresh`, just paused there, for its first). Re-running: from the start.
   */
  private branch(d: number, fresh?: Engine): Engine {
    const node = this.path[d];
    let run: Engine;
    if (this.options.fork === false) {
      run = fresh ?? this.start();
      if (!fresh) {
        for (let k = 0; k < d; k++) {
          run.resume(chosenOf(this.path[k]));
          proceed(run);
        }
      }
    } else {
      const last = this.peek(node, node.index + 1) < 0;
      run = last ? this.saved[d] : this.saved[d].fork();
    }
    run.resume(chosenOf(node));
    proceed(run);
    return run;
  }

  /** Schedules found below the choice point at depth `d` (not on the path): add them to its parent's (or the root's). */
  private absorb(d: number, below: Summary, runs: number, bounded: boolean): void {
    if (d === 0) {
      for (const st of below) merge(this.root, copyStat(st, st.suffix));
      return;
    }
    const p = this.path[d - 1];
    const i = p.index;
    const fixed = i > 0 ? (p.fixed ??= fixedOf(p)) : null;
    for (const st of below) {
      // The paths below p: p's branch in front of the paths below it (shared, not copied).
      const best = { head: i, tail: st.best };
      merge(p.below, {
        suffix: this.suffixes.prepend(p.piece!, st.suffix),
        runs: st.runs,
        cost: st.cost + (fixed ? 1 : 0),
        fixed: fixed ? { head: fixed, tail: st.fixed } : st.fixed,
        best,
        first: st.first === st.best ? best : { head: i, tail: st.first },
      });
    }
    p.runs += runs;
    if (bounded) p.bounded = true;
  }

  /** Node `node` (off the path now, at depth path.length) is done: remember its state if it was explored whole, and add it to its parent. */
  private finish(node: Node): void {
    const d = this.path.length;
    if (node.key !== null && !node.cut) this.explored.remember(node.key, { below: node.below, runs: node.runs, bounded: node.bounded });
    if (node.cut && d > 0) this.path[d - 1].cut = true;
    this.absorb(d, node.below, node.runs, node.bounded);
  }

  /** The outcomes of the schedules explored, each with its count, first schedule and shortest schedule. */
  private found(): Found[] {
    const whole: Summary = list();
    for (const st of this.root) merge(whole, copyStat(st, this.suffixes.prepend(this.rootPiece!, st.suffix)));
    const prefix = this.task.prefix.map((f) => f.ordinal);
    const overrides = this.task.prefix.filter((f) => f.ordinal > 0);
    const out: Found[] = [];
    for (const st of whole) {
      const outcome = this.suffixes.outcome(this.scenario, st.suffix);
      out.push({ outcome, key: outcomeKey(outcome), runs: st.runs, first: [...prefix, ...listItems(st.first)], best: [...prefix, ...listItems(st.best)], ...scheduleOf([...overrides, ...listItems(st.fixed)]) });
    }
    return out.sort((a, b) => compareKeys(a.first, b.first));
  }

  /**
   * Called between two schedules (every transition of the path has run): the untried branches of the
   * shallowest choice point on the path that has some, as a task for another worker; this search
   * will not try them (and does not remember that state: its subtree is not explored whole here).
   * Null when no choice point on the path has any left.
   */
  split(): Task | null {
    for (let d = 0; d < this.path.length; d++) {
      const node = this.path[d];
      if (node.given || this.peek(node, node.index + 1) < 0) continue;
      node.given = true;
      node.cut = true;
      return {
        prefix: [...this.task.prefix, ...this.path.slice(0, d).map(fixedOf)],
        preemptions: node.preemptions,
        done: [...(node.elsewhere ?? []), ...node.order.slice(0, node.index + 1)],
      };
    }
    return null;
  }

  /** A task for the subtree below the current path, rooted at this choice point. */
  private taskAt(d: number): Task {
    const parent = d > 0 ? this.path[d - 1] : null;
    return {
      prefix: [...this.task.prefix, ...this.path.map(fixedOf)],
      preemptions: parent ? parent.preemptions + cost(parent, parent.index) : this.task.preemptions,
    };
  }

  /** The first candidate from `from` on that is neither explored nor over the bound; -1 if none. */
  private next(node: Node, from: number): number {
    const j = this.peek(node, from);
    if (this.overBound(node, from, j < 0 ? node.order.length : j)) {
      this.bounded = true;
      node.bounded = true;
    }
    return j;
  }

  /** next, without noting that the bound cut a candidate. */
  private peek(node: Node, from: number): number {
    for (let j = from; j < node.order.length; j++) if (!node.elsewhere?.has(node.order[j]) && !this.overBound(node, j, j + 1)) return j;
    return -1;
  }

  /** Is a candidate in [from, to), not explored elsewhere, over the preemption bound? */
  private overBound(node: Node, from: number, to: number): boolean {
    const bound = this.options.preemptions;
    if (bound === undefined) return false;
    for (let j = from; j < to; j++) if (!node.elsewhere?.has(node.order[j]) && node.preemptions + cost(node, j) > bound) return true;
    return false;
  }

  /** Move to the next unexplored branch; false when the subtree is done. */
  private backtrack(): boolean {
    while (this.path.length > 0) {
      const node = this.path[this.path.length - 1];
      const j = node.given ? -1 : this.next(node, node.index + 1);
      if (j >= 0) {
        node.index = j;
        node.fixed = null;
        node.piece = null;
        return true;
      }
      this.path.pop();
      this.saved.pop();
      this.finish(node);
    }
    return false;
  }
}

const chosenOf = (n: Node) => n.order[n.index];
const cost = (n: Node, j: number) => (n.continuing && j > 0 ? 1 : 0);
const fixedOf = (n: Node): Fixed => ({ run: chosenOf(n), ordinal: n.index, step: n.step, choice: n.choice, at: n.at, insteadOf: n.order[0] });

function scheduleOf(overrides: Fixed[]): { schedule: ScheduleOverride[]; divergesAt: Divergence | null } {
  const first = overrides[0];
  return {
    schedule: overrides.map((f) => ({ step: f.step, choice: f.choice, run: f.run })),
    divergesAt: first ? { step: first.step, choice: first.choice, at: first.at, ran: first.run, insteadOf: first.insteadOf } : null,
  };
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
  let seen: Set<string> | null = null;
  const stopped = new Set<StopReason>();
  for (const p of parts) {
    runs += p.runs;
    if (p.seen) {
      seen ??= new Set();
      for (const d of p.seen) seen.add(d);
    } else states += p.states;
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
  return { format: EXPLORE_FORMAT, complete: stoppedBy.length === 0, stoppedBy, runs, states: states + (seen?.size ?? 0), outcomes };
}

/** Explore every schedule of a scenario (within the bounds), in this thread. */
export function explore(scenario: NormalizedScenario, options: ExploreOptions = {}): ExploreResult {
  return mergeResults([exploreTask(scenario, ROOT_TASK, options)]);
}
