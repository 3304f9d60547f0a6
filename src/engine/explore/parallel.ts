// Exploring on several workers (docs/explore.md): worker threads on the command line, Web Workers in
// the page. Both go through here, so they cut the tree and merge the results the same way.
//
// 1. `plan` (in a thread that can run the engine): explore up to PROBE_RUNS schedules first — a small
//    tree is done by then, cheaper than starting workers — else cut the schedule tree into subtrees
//    (`splitTasks`) at the shallowest depth that gives enough of them for the workers to share.
// 2. `dispatch` (anywhere: it runs no engine): give the subtrees to the workers, the next one to the
//    first worker that is free, and merge the results by their place in the tree (`mergeResults`),
//    never by who finished first. A complete exploration reports the same outcomes, counts, schedules
//    and order whatever the number of workers.
// `exploreOnWorkers` puts the two together. Each subtree prunes the states it has seen itself; the
// counts are exact whatever the cut (explore.ts), and `states` is merged as the distinct states of all.
import type { NormalizedScenario } from '../../scenario/types.ts';
import {
  exploreTask, mergeResults, ROOT_TASK, splitTasks,
  type ExploreOptions, type ExploreResult, type Sharing, type StopReason, type Task, type TaskResult,
} from './explore.ts';
import { ExploredStates, type StatesLink, type TableStats } from './explored.ts';

/** Schedules explored in the planning thread before cutting the tree (a small tree is done by then). */
export const PROBE_RUNS = 256;
/** Subtrees per worker the tree is cut into: many, so that a large subtree does not hold the rest up. */
export const TASKS_PER_WORKER = 16;
/** The deepest cut tried. */
const MAX_SPLIT_DEPTH = 24;

/** The options a worker is given with a subtree. */
export type TaskOptions = Pick<ExploreOptions, 'maxRuns' | 'timeLimitMs' | 'preemptions' | 'reduction' | 'limits'>;

export interface TaskJob {
  task: Task;
  options: TaskOptions;
}

/** What `plan` found: the whole result (a small tree), or the subtrees left for the workers. */
export type Plan = { result: ExploreResult } | { above: TaskResult; tasks: Task[] };

/** The options that shape the tree (the bounds on runs and time are the dispatcher's). */
const shape = (o: ExploreOptions): TaskOptions => ({ preemptions: o.preemptions, reduction: o.reduction, ...(o.limits ? { limits: o.limits } : {}) });

/**
 * Explore up to `probeRuns` schedules here; if that was not the whole tree, cut it for `workers`
 * workers. With one worker the whole tree is explored here.
 */
export function plan(scenario: NormalizedScenario, options: ExploreOptions, workers: number, probeRuns = PROBE_RUNS): Plan {
  const probeCap = workers <= 1 ? Infinity : probeRuns;
  if (probeCap > 0) {
    const cap = Math.min(probeCap, options.maxRuns ?? Infinity);
    const probe = mergeResults([exploreTask(scenario, ROOT_TASK, { ...options, maxRuns: cap === Infinity ? undefined : cap })]);
    // Done unless the probe's own cap stopped it (not the user's bound, not the time limit).
    const cutByProbe = probe.stoppedBy.includes('max-runs') && cap < (options.maxRuns ?? Infinity);
    if (!cutByProbe || probe.stoppedBy.includes('time-limit')) return { result: probe };
  }
  // Deepen the cut until it gives enough subtrees; a cut below the whole tree gives none: keep the one before.
  let split = splitTasks(scenario, 1, shape(options));
  for (let depth = 2; depth <= MAX_SPLIT_DEPTH && split.tasks.length > 0 && split.tasks.length < workers * TASKS_PER_WORKER; depth++) {
    const deeper = splitTasks(scenario, depth, shape(options));
    if (deeper.tasks.length === 0) break;
    split = deeper;
  }
  return split.tasks.length === 0 ? { result: mergeResults([split.above]) } : split;
}

/** A set of workers: `size` of them; `run` explores one subtree on a free one. */
export interface TaskPool {
  size: number;
  run(job: TaskJob, onProgress?: (p: { runs: number; states: number }) => void): Promise<TaskResult>;
}

/**
 * Explore the planned subtrees on the pool, at most `pool.size` at a time, the next one to the first
 * worker free, and merge. The bounds are shared: a subtree gets the runs and time not yet used or
 * promised to another, so a bounded exploration may stop elsewhere than on one worker.
 */
export async function dispatch(
  planned: Extract<Plan, { tasks: Task[] }>,
  options: ExploreOptions,
  pool: TaskPool,
  onProgress?: (p: { runs: number; states: number }) => void,
): Promise<ExploreResult> {
  const { above, tasks } = planned;
  const { maxRuns, timeLimitMs, now } = options;
  const deadline = timeLimitMs !== undefined && now ? now() + timeLimitMs : Infinity;
  const results: TaskResult[] = [above];
  const done = { runs: above.runs, states: above.states };
  const running = new Map<number, { runs: number; states: number; budget: number }>();
  let next = 0;
  let cut: StopReason | null = null;
  const report = () => {
    if (!onProgress) return;
    let { runs, states } = done;
    for (const r of running.values()) {
      runs += r.runs;
      states += r.states;
    }
    onProgress({ runs, states });
  };
  const lane = async (): Promise<void> => {
    while (next < tasks.length) {
      if (deadline !== Infinity && now!() >= deadline) {
        cut = 'time-limit';
        return;
      }
      let budget = Infinity;
      if (maxRuns !== undefined) {
        let promised = 0;
        for (const r of running.values()) promised += r.budget;
        const left = maxRuns - done.runs - promised;
        if (left <= 0) {
          cut = 'max-runs'; // unless a running subtree leaves some over for its lane to go on with
          return;
        }
        budget = Math.ceil(left / (pool.size - running.size));
      }
      const index = next++;
      const slot = { runs: 0, states: 0, budget };
      running.set(index, slot);
      const job: TaskJob = {
        task: tasks[index],
        options: {
          ...shape(options),
          ...(budget !== Infinity ? { maxRuns: budget } : {}),
          ...(deadline !== Infinity ? { timeLimitMs: Math.max(0, deadline - now!()) } : {}),
        },
      };
      const r = await pool.run(job, (p) => {
        slot.runs = p.runs;
        slot.states = p.states;
        report();
      });
      running.delete(index);
      done.runs += r.runs;
      done.states += r.states;
      results.push(r);
      report();
      cut = null;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(pool.size, tasks.length)) }, lane));
  if (next < tasks.length) results.push({ runs: 0, states: 0, stoppedBy: [cut ?? 'max-runs'], found: [] });
  return mergeResults(results);
}

/** How a caller explores on workers: where the plan is made, and the pool of workers. */
export interface Workers {
  size: number;
  plan(options: ExploreOptions): Promise<Plan>;
  pool: TaskPool;
}

/** Explore on workers: plan, dispatch, merge. */
export async function exploreOnWorkers(options: ExploreOptions, workers: Workers, onProgress?: (p: { runs: number; states: number }) => void): Promise<ExploreResult> {
  const started = options.now?.() ?? 0;
  const planned = await workers.plan(options);
  if ('result' in planned) return planned.result;
  const spent = (options.now?.() ?? 0) - started;
  const timeLimitMs = options.timeLimitMs !== undefined ? Math.max(0, options.timeLimitMs - spent) : undefined;
  return dispatch(planned, { ...options, timeLimitMs }, workers.pool, onProgress);
}

/** Two pools as one: a subtree goes to the first with room for it (the first pool first). */
export function joinPools(a: TaskPool, b: TaskPool): TaskPool {
  const busy = new Map<TaskPool, number>([[a, 0], [b, 0]]);
  return {
    size: a.size + b.size,
    async run(job, onProgress) {
      const p = busy.get(a)! < a.size ? a : b;
      busy.set(p, busy.get(p)! + 1);
      try {
        return await p.run(job, onProgress);
      } finally {
        busy.set(p, busy.get(p)! - 1);
      }
    },
  };
}

// ---------------------------------------------------------------- work stealing (the command line)

/**
 * Helpers that explore tasks for the worker that coordinates (src/cli/pnp-playground.ts: worker
 * threads) and split them when asked. Each holds one task at a time. It says `ready` once it can
 * take a task; between two schedules of a task it checks whether it was asked to share, and if so
 * answers `split` with the untried branches of the shallowest choice point of its path (nothing when
 * it has none left: it is about to finish); it answers `result` when the task is done.
 */
export interface Helpers {
  size: number;
  /** Start them (they take a while to be ready; nothing waits for them). */
  start(): void;
  /** Give helper `from` a task (it is ready and holds none). */
  send(to: number, job: TaskJob): void;
  /** Ask helper `to` to split off some of its work. */
  ask(to: number): void;
  /** What the helpers said since the last call (cheap when nothing: it is asked between schedules). */
  receive(): HelperMessage[];
  /** Resolves once there is something to receive. */
  wait(): Promise<void>;
  /** The schedules every worker reserved so far (shared, so `--max-runs` bounds them all). */
  runs: Int32Array;
  /**
   * This thread's end of the states the workers explored completely (explored.ts): what it sends goes
   * to every helper, and it receives theirs. Absent: each worker prunes only what it has seen.
   */
  states?: StatesLink;
}

export type HelperMessage = { from: number } & ({ ready: true } | { split: Task } | { result: TaskResult; spent: Spent });

/**
 * What exploring a task cost a worker: wall time, and CPU time of its thread where the platform says
 * (else NaN); the thread's whole CPU time so far (its start included); what its table shared so far.
 */
export interface Spent {
  ms: number;
  cpuMs: number;
  threadCpuMs?: number;
  shared?: TableStats;
}

/**
 * How the work was shared (measured, to see whether the balancing works whatever the machine's load):
 * per worker (this thread first) the tasks it explored, their schedules, the wall and CPU time they
 * took, and its thread's whole CPU time (its start and its waiting included); when the helpers were
 * ready; how many times a worker split its work for another; the wall time of the whole exploration;
 * and the CPU time of the whole process (the caller fills it in: every thread, V8's compiler and
 * garbage-collector threads included, which the workers' own times leave out).
 */
export interface StealStats {
  workers: { tasks: number; runs: number; ms: number; cpuMs: number; threadCpuMs?: number; shared?: TableStats }[];
  /** When each helper was ready, in ms from the start. */
  readyAt: number[];
  splits: number;
  ms: number;
  processCpuMs?: number;
}

export interface StealOptions {
  /** Start the helpers once this thread has explored this long (default 0). */
  startAfterMs?: number;
  /** This thread's CPU time in ms (for `stats`). */
  cpu?: () => number;
  /** Filled in as it goes. */
  stats?: StealStats;
}

/** Reserve `n` runs from the count every worker shares (`--max-runs`); none if they do not all fit. */
function reserveRuns(runs: Int32Array, maxRuns: number | undefined, n: number): boolean {
  if (maxRuns === undefined) return true;
  if (Atomics.add(runs, 0, n) + n <= maxRuns) return true;
  Atomics.sub(runs, 0, n);
  return false;
}

/**
 * A `Sharing` for a helper: reserve from the shared count; when asked, answer with the split. Its
 * methods are the same functions for every task (a new closure per task was another call target
 * where the search calls them: its optimised code was thrown away at each task).
 */
class HelperSharing implements Sharing {
  constructor(
    private readonly runs: Int32Array,
    private readonly maxRuns: number | undefined,
    private readonly asked: () => boolean,
    private readonly answer: (task: Task) => void,
  ) {}

  reserve(n = 1): boolean {
    return reserveRuns(this.runs, this.maxRuns, n);
  }

  wanted(): boolean {
    return this.asked();
  }

  give(task: Task): void {
    this.answer(task);
  }
}

export function helperSharing(runs: Int32Array, maxRuns: number | undefined, asked: () => boolean, answer: (task: Task) => void): Sharing {
  return new HelperSharing(runs, maxRuns, asked, answer);
}

/**
 * Explore here and on the helpers, sharing the tree as it goes (work stealing). This thread starts
 * on the whole tree; a helper that is ready and idle gets the untried branches of the shallowest
 * choice point of this thread's path (split between two of its schedules), and a worker that runs
 * out asks one that is busy to split in turn, so nobody waits while there is work (the tree is
 * lopsided: no cut made in advance shares it evenly). Each task resumes from its prefix and forks
 * within its subtree. The results are merged by their place in the tree (`mergeResults`), never by
 * who explored what or when, so a complete exploration reports what one worker reports. The runs
 * (`maxRuns`) are counted for every worker together; `timeLimitMs` is one deadline for all. The
 * helpers start once this thread has explored for `startAfterMs` (an exploration shorter than that
 * never pays for them). Each task prunes the states it has seen itself; `states` is merged as the
 * distinct states of all (`mergeResults`).
 */
export async function exploreStealing(scenario: NormalizedScenario, options: ExploreOptions, helpers: Helpers, steal: StealOptions = {}): Promise<ExploreResult> {
  const now = options.now ?? (() => 0);
  const { startAfterMs = 0, cpu = () => NaN, stats = { workers: [], readyAt: [], splits: 0, ms: 0 } } = steal;
  const began = now();
  let started = false;
  const spent = (worker: number, runs: number, s: Spent) => {
    const w = (stats.workers[worker] ??= { tasks: 0, runs: 0, ms: 0, cpuMs: 0 });
    w.tasks++;
    w.runs += runs;
    w.ms += s.ms;
    w.cpuMs += s.cpuMs;
    if (s.threadCpuMs !== undefined) w.threadCpuMs = s.threadCpuMs;
    if (s.shared) w.shared = { ...s.shared };
  };
  const once = async (o: ExploreOptions): Promise<ExploreResult> => {
    const deadline = o.timeLimitMs !== undefined ? now() + o.timeLimitMs : Infinity;
    const left = () => (deadline === Infinity ? {} : { timeLimitMs: Math.max(0, deadline - now()) });
    Atomics.store(helpers.runs, 0, 0);
    // The states explored completely, shared with the helpers (explored.ts; pruning only).
    const explored = helpers.states && o.reduction !== false ? new ExploredStates(scenario, helpers.states, 0) : undefined;
    const queue: Task[] = [ROOT_TASK];
    const results: TaskResult[] = [];
    const idle: number[] = [];
    const busy = new Set<number>();
    const asked = new Set<number>();
    const send = (to: number, task: Task) => {
      busy.add(to);
      helpers.send(to, { task, options: { ...shape(o), ...(o.maxRuns !== undefined ? { maxRuns: o.maxRuns } : {}), ...left() } });
    };
    const hear = () => {
      if (!started && now() - began >= startAfterMs) {
        started = true;
        helpers.start();
      }
      for (const m of helpers.receive()) {
        asked.delete(m.from);
        if ('split' in m) {
          stats.splits++;
          queue.push(m.split);
        } else {
          if ('result' in m) {
            results.push(m.result);
            spent(1 + m.from, m.result.runs, m.spent);
          } else stats.readyAt[m.from] = now() - began;
          busy.delete(m.from);
          idle.push(m.from);
        }
      }
      while (idle.length > 0 && queue.length > 0) send(idle.shift()!, queue.shift()!);
    };
    const sharing: Sharing = {
      reserve: (n = 1) => reserveRuns(helpers.runs, o.maxRuns, n),
      wanted: () => {
        hear();
        return idle.length > 0;
      },
      give: (task) => {
        stats.splits++;
        send(idle.shift()!, task);
      },
    };
    for (;;) {
      hear();
      const task = queue.shift();
      if (task && now() >= deadline) results.push({ runs: 0, states: 0, stoppedBy: ['time-limit'], found: [] });
      else if (task) {
        const t = now();
        const c = cpu();
        const r = exploreTask(scenario, task, { ...shape(o), ...left(), now, sharing, explored });
        results.push(r);
        spent(0, r.runs, { ms: now() - t, cpuMs: cpu() - c, shared: explored?.stats });
      }
      else if (busy.size === 0) break;
      else {
        for (const to of busy) {
          if (asked.has(to)) continue;
          asked.add(to);
          helpers.ask(to);
        }
        await helpers.wait();
      }
    }
    return mergeResults(results);
  };
  const result = await once(options);
  stats.ms = now() - began;
  return result;
}
