// The interleaving explorer on the command line (docs/explore.md).
//
//   npm run --silent explore -- <scenario.json | -> [--max-runs N] [--time-limit S] [--preemptions K] [--workers N]
//
// stdout: one JSON object, `{"format":"pnp-explore/1","complete",…,"runs","states","outcomes":[…]}`.
// stderr: validation errors (`<json-path>: <message>`, as `simulate` prints them), load warnings,
//         internal errors.
// Exit status: 0 it ran (complete or stopped at a bound); 2 invalid scenario; 1 internal error,
//              unreadable file or bad usage.
//
// With more than one worker, this thread and worker threads share the schedule tree by work stealing
// (`exploreStealing`, src/engine/explore/parallel.ts): a worker that runs out of work gets the untried
// branches of a busy one. The results are merged by their place in the tree, so a complete exploration
// reports the same outcomes, counts and schedules whatever the number of workers.
// src/cli/pnp-playground.ts provides the worker threads (`workerThreads`).
import { loadText } from '../scenario/load.ts';
import {
  explore, exploreStealing, exploreTask, helperSharing, ExploredStates,
  type ExploreOptions, type ExploreResult, type Helpers, type Spent, type StatesLink, type StealStats, type Task, type TaskJob, type TaskResult,
} from '../engine/explore/index.ts';
import { EXIT, formatError, inputName, readScenarioText } from './simulate.ts';

export const USAGE = `usage: npm run --silent explore -- [--max-runs N] [--time-limit S] [--preemptions K] [--workers N] <scenario.json | ->

Runs every schedule of a scenario (at every choice point, each runnable thread is a branch) and
prints one JSON object: {"format":"pnp-explore/1","complete","stoppedBy","runs","states","outcomes"}.
Each outcome: "halt", "hazards" ("rule:severity[:bugcheck]"), "runs" (schedules reaching it),
"schedule" (a shortest one, in the scenario's "schedule" form: put it in the scenario and
"npm run simulate" reproduces the outcome), "divergesAt" (where it first departs from the default
run), "observations" (per driver and app: the callbacks it received and what its calls returned).
The scenario's own "schedule" is ignored: every schedule is explored.
  <scenario.json>    the scenario file; "-" reads it from stdin
  --max-runs N       stop after N schedules
  --time-limit S     stop after S seconds (checked between runs)
  --preemptions K    only schedules with at most K switches away from a thread that could go on
  --workers N        worker threads (default: the machine's cores; 1 explores in this thread)
  -h, --help         this text

Exit status: 0 it ran (complete or not); 2 invalid scenario (each error on stderr as
"<json-path>: <message>"); 1 internal error or unreadable file.`;

export interface Args {
  file: string;
  maxRuns?: number;
  timeLimitS?: number;
  preemptions?: number;
  workers?: number;
}

export interface Io {
  readFile(path: string): string;
  readStdin(): Promise<string>;
  out(text: string): void;
  err(line: string): void;
  /** Milliseconds from some fixed point (the time limit). */
  now(): number;
  /** Cores of the machine (the default number of workers). */
  cores(): number;
  /** How long this thread explores before it starts the worker threads (default THREADS_AFTER_MS). */
  threadsAfterMs?: number;
  /** This thread's CPU time in ms (NaN where unknown), for `stats`. */
  cpu?(): number;
  /** The whole process's CPU time in ms (every thread), for `stats`. */
  processCpu?(): number;
  /** Print on stderr how the work was shared among the workers (StealStats, one line), to measure it. */
  stats?: boolean;
  /** Worker threads that explore subtrees of the scenario `text`. Absent: everything in this thread. */
  workerThreads?(threads: number, text: string): ThreadPool;
}

const FLAGS = new Map<string, keyof Omit<Args, 'file'>>([
  ['--max-runs', 'maxRuns'], ['--time-limit', 'timeLimitS'], ['--preemptions', 'preemptions'], ['--workers', 'workers'],
]);

/** Parsed arguments; `'help'` for --help; `{ error }` for a usage error. */
export function parseArgs(argv: readonly string[]): Args | 'help' | { error: string } {
  let file: string | undefined;
  let options = true;
  const out: Omit<Args, 'file'> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const [flag, inline] = eq > 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [a, undefined];
    if (options && a === '--') options = false;
    else if (options && (a === '-h' || a === '--help')) return 'help';
    else if (options && FLAGS.has(flag)) {
      const value = inline ?? argv[++i];
      const name = FLAGS.get(flag)!;
      const ok = value !== undefined && (name === 'timeLimitS' ? /^[0-9]+(\.[0-9]+)?$/.test(value) : /^[0-9]+$/.test(value)) && Number.isFinite(Number(value));
      if (!ok || !Number.isSafeInteger(Math.ceil(Number(value)))) {
        return { error: `${flag} needs a ${name === 'timeLimitS' ? 'number of seconds' : 'whole number'} (got ${value === undefined ? 'nothing' : JSON.stringify(value)})` };
      }
      if ((name === 'workers' || name === 'maxRuns') && Number(value) < 1) return { error: `${flag} needs at least 1` };
      out[name] = Number(value);
    } else if (options && a.startsWith('-') && a !== '-') return { error: `unknown option ${a}` };
    else if (file === undefined) file = a;
    else return { error: `one scenario file at a time (got ${JSON.stringify(file)} and ${JSON.stringify(a)})` };
  }
  if (file === undefined) return { error: 'no scenario file given' };
  return { file, ...out };
}

/** The CLI. Returns the exit status. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv);
  if (args === 'help') {
    io.out(`${USAGE}\n`);
    return EXIT.ran;
  }
  if ('error' in args) {
    io.err(`explore: ${args.error}`);
    io.err(USAGE);
    return EXIT.internal;
  }
  const text = await readScenarioText(args.file, io, 'explore');
  if (text === null) return EXIT.internal;
  try {
    const loaded = loadText(text);
    if (!loaded.ok) {
      for (const e of loaded.errors) io.err(formatError(e));
      return EXIT.invalid;
    }
    for (const w of loaded.warnings) io.err(`warning: ${formatError(w)}`);
    const options: ExploreOptions = {
      maxRuns: args.maxRuns,
      timeLimitMs: args.timeLimitS !== undefined ? args.timeLimitS * 1000 : undefined,
      preemptions: args.preemptions,
      now: io.now,
    };
    const workers = args.workers ?? Math.max(1, io.cores());
    const scenario = loaded.scenario;
    let result: ExploreResult;
    let stats: StealStats;
    if (workers > 1 && io.workerThreads) {
      // N workers: this thread and N − 1 worker threads, sharing the tree by work stealing
      // (exploreStealing); the threads start once this thread has explored for THREADS_AFTER_MS.
      const threads = io.workerThreads(workers - 1, text);
      stats = { workers: [], readyAt: [], splits: 0, ms: 0 };
      try {
        result = await exploreStealing(scenario, options, threads, { startAfterMs: io.threadsAfterMs ?? THREADS_AFTER_MS, cpu: io.cpu, stats });
      } finally {
        await threads.close();
      }
    } else {
      const [t, c] = [io.now(), io.cpu?.() ?? NaN];
      result = explore(scenario, options);
      const ms = io.now() - t;
      stats = { workers: [{ tasks: 1, runs: result.runs, ms, cpuMs: (io.cpu?.() ?? NaN) - c }], readyAt: [], splits: 0, ms };
    }
    if (io.stats) {
      // Once the threads have ended: the whole CPU time of this thread and of the process.
      if (stats.workers[0]) stats.workers[0].threadCpuMs = io.cpu?.() ?? NaN;
      stats.processCpuMs = io.processCpu?.() ?? NaN;
      io.err(`explore: workers ${JSON.stringify(stats)}`);
    }
    io.out(`${JSON.stringify(result)}\n`);
    return EXIT.ran;
  } catch (e) {
    io.err(`explore: internal error while exploring ${inputName(args.file)}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return EXIT.internal;
  }
}

/** Worker threads (src/cli/pnp-playground.ts) as the helpers of work stealing; `close` ends them. */
export interface ThreadPool extends Helpers {
  close(): Promise<void>;
}

/**
 * How long this thread explores before it starts the worker threads. A thread costs ~0.1–0.2 s to
 * start (loading the bundle through the code cache), then runs the engine slowly for a while as V8
 * compiles and optimises it in the new isolate; with work stealing it takes work only once ready,
 * so starting it costs this thread almost nothing, but an exploration over before then would pay
 * for starting it for nothing (docs/explore.md "Workers").
 */
export const THREADS_AFTER_MS = 50;

/**
 * A worker thread's part: load the scenario once; then explore each task it is given, splitting off
 * the untried branches of its shallowest choice point when `asked()` says another worker is idle
 * (`answer` sends them), counting its schedules in the shared `runs`. With `states` (the thread's
 * end of the states the workers explored completely, as worker `self`), one table of them for all
 * its tasks (src/engine/explore/explored.ts).
 */
export function helperRunner(
  text: string, now: () => number, cpu: () => number, runs: Int32Array, asked: () => boolean, answer: (task: Task) => void,
  states?: { link: StatesLink; self: number },
): (job: TaskJob) => { result: TaskResult; spent: Spent } {
  const loaded = loadText(text);
  if (!loaded.ok) throw new Error('explore worker: the scenario no longer loads');
  let table: { shape: string; table: ExploredStates } | null = null;
  return ({ task, options }) => {
    const sharing = helperSharing(runs, options.maxRuns, asked, answer);
    // The table belongs to one exploration: every task of it has the same shape (bounds on runs and time aside).
    const shape = JSON.stringify([options.preemptions, options.reduction, options.limits]);
    if (states && options.reduction !== false) {
      if (table && table.shape !== shape) throw new Error('explore worker: a task of another exploration');
      table ??= { shape, table: new ExploredStates(loaded.scenario, states.link, states.self) };
    }
    const [t, c] = [now(), cpu()];
    const result = exploreTask(loaded.scenario, task, { ...options, maxRuns: undefined, now, sharing, explored: table?.table });
    const threadCpuMs = cpu();
    return { result, spent: { ms: now() - t, cpuMs: threadCpuMs - c, threadCpuMs, shared: table ? { ...table.table.stats } : undefined } };
  };
}
