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
// With more than one worker the schedule tree is cut into subtrees that worker threads explore
// (src/engine/explore/parallel.ts, shared with the page); the results are merged by their place in the
// tree, so a complete exploration reports the same outcomes, counts and schedules whatever the number
// of workers. src/cli/pnp-playground.ts provides the worker threads (`workerPool`).
import { loadText } from '../scenario/load.ts';
import type { NormalizedScenario } from '../scenario/types.ts';
import { explore, exploreOnWorkers, exploreTask, plan, type ExploreOptions, type ExploreResult, type TaskJob, type TaskPool, type TaskResult } from '../engine/explore/index.ts';
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
  /** How long this thread explores subtrees before it starts the worker threads (default THREAD_WORTH_MS). */
  threadsAfterMs?: number;
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
    if (workers > 1 && io.workerThreads) {
      // N workers: this thread (which plans, so it is warmed up) and N − 1 worker threads, started
      // only once this thread has spent THREAD_WORTH_MS on subtrees (sharedPool): a
      // smaller exploration is over before a thread could help, and stays on this thread.
      const threads = io.workerThreads(workers - 1, text);
      try {
        const pool = sharedPool(scenario, io.now, threads, io.threadsAfterMs ?? THREAD_WORTH_MS);
        const planHere = async (o: ExploreOptions) => plan(scenario, o, workers);
        result = await exploreOnWorkers(options, { size: workers, plan: planHere, pool });
      } finally {
        await threads.close();
      }
    } else result = explore(scenario, options);
    io.out(`${JSON.stringify(result)}\n`);
    return EXIT.ran;
  } catch (e) {
    io.err(`explore: internal error while exploring ${inputName(args.file)}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return EXIT.internal;
  }
}

/** Worker threads (src/cli/pnp-playground.ts): `start` them early; `close` ends them. */
export interface ThreadPool {
  /** Jobs the threads can hold at once (each holds a second one in its queue, so it never waits for this thread). */
  size: number;
  start(): void;
  /**
   * Give `job` to a thread that is ready and has room for it; null when none has. `done[0]` is set
   * to 1 by whoever finishes the job first (the thread, or this thread exploring the same subtree);
   * the other then stops at its next schedule.
   */
  take(job: TaskJob, done: Int32Array): Promise<TaskResult> | null;
  /** `listener` runs whenever a thread becomes ready or finishes a job. */
  onFree(listener: () => void): void;
  close(): Promise<void>;
}

/** A clock that jumps to Infinity once `done[0]` is set, so an exploration given it stops at its next schedule. */
export const untilDone = (now: () => number, done: Int32Array) => () => (Atomics.load(done, 0) === 1 ? Infinity : now());
/** Options under which an exploration stops when `done[0]` is set (a time limit that the clock `untilDone` ends). */
export const stoppable = <O extends { timeLimitMs?: number }>(o: O, now: () => number, done: Int32Array) =>
  ({ ...o, timeLimitMs: o.timeLimitMs ?? Number.MAX_SAFE_INTEGER, now: untilDone(now, done) });

/**
 * Time this thread spends exploring subtrees before it starts the worker threads. A thread costs
 * ~0.1–0.2 s to start and runs the engine slowly while V8 compiles and optimises it (a cold isolate
 * explores its first ~0.5 s of schedules 2–3× slower), and takes CPU from this thread on a loaded
 * machine; measured (docs/explore.md "Workers"), a second thread did not pay off on explorations of
 * ≈ 0.5 s, so a thread starts only when the exploration has already run longer than that.
 */
export const THREAD_WORTH_MS = 500;

interface Queued {
  job: TaskJob;
  resolve(r: TaskResult): void;
  reject(e: Error): void;
}

/**
 * This thread and the worker threads as one pool, fed from one queue: a subtree goes to the first
 * worker thread that is ready and has room, else to this thread, which explores one subtree at a
 * time and lets the event loop run between them (that is when the threads' results are heard). The
 * threads start only once this thread has spent `threadsAfterMs` on subtrees, and a thread that is
 * not ready yet gets nothing, so one that starts too late to help costs only its start-up. When the queue is empty and this thread would wait for a thread (the last subtrees, or
 * a thread still slow from compiling), it explores the subtree the threads gave out last itself
 * too; the first to finish wins and the other stops (same subtree, same result), so the end never
 * waits for a slow thread.
 */
function sharedPool(scenario: NormalizedScenario, now: () => number, threads: ThreadPool, threadsAfterMs: number): TaskPool {
  const queue: Queued[] = [];
  let spent = 0;
  const given: (Queued & { done: Int32Array; settled: boolean; doubled: boolean })[] = [];
  let hereScheduled = false;
  const toThreads = () => {
    while (queue.length > 0) {
      const done = new Int32Array(new SharedArrayBuffer(4));
      const taken = threads.take(queue[0].job, done);
      if (!taken) return;
      const g = { ...queue.shift()!, done, settled: false, doubled: false };
      given.push(g);
      taken.then(
        (r) => {
          if (g.settled) return;
          g.settled = true;
          g.resolve(r);
        },
        (e: Error) => {
          if (g.settled) return;
          g.settled = true;
          g.reject(e);
        },
      );
    }
  };
  const explore = (job: TaskJob, done: Int32Array) => exploreTask(scenario, job.task, stoppable(job.options, now, done));
  const here = () => {
    hereScheduled = false;
    toThreads();
    const q = queue.shift();
    try {
      if (q) {
        const t = now();
        const r = exploreTask(scenario, q.job.task, { ...q.job.options, now });
        spent += now() - t;
        if (spent >= threadsAfterMs) threads.start();
        q.resolve(r);
      } else {
        const g = given.filter((u) => !u.settled && !u.doubled).at(-1);
        if (g) {
          g.doubled = true;
          const r = explore(g.job, g.done);
          if (Atomics.compareExchange(g.done, 0, 0, 1) === 0 && !g.settled) {
            g.settled = true;
            g.resolve(r);
          }
        }
      }
    } catch (e) {
      (q ?? { reject: () => {} }).reject(e instanceof Error ? e : new Error(String(e)));
    }
    pump();
  };
  const pump = () => {
    toThreads();
    if (!hereScheduled && (queue.length > 0 || given.some((u) => !u.settled && !u.doubled))) {
      hereScheduled = true;
      setImmediate(here);
    }
  };
  threads.onFree(pump);
  return {
    size: 1 + threads.size,
    run: (job) => new Promise<TaskResult>((resolve, reject) => {
      queue.push({ job, resolve, reject });
      pump();
    }),
  };
}

/**
 * A worker thread's part: load the scenario once, then explore the subtrees it is given, each until
 * it is done or `done[0]` says this thread explored it first (ThreadPool.take).
 */
export function taskRunner(text: string, now: () => number): (job: TaskJob, done: Int32Array) => TaskResult {
  const loaded = loadText(text);
  if (!loaded.ok) throw new Error('explore worker: the scenario no longer loads');
  return (job, done) => {
    const r = exploreTask(loaded.scenario, job.task, stoppable(job.options, now, done));
    Atomics.compareExchange(done, 0, 0, 1);
    return r;
  };
}
