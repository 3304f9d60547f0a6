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
// With more than one worker the schedule tree is cut into subtrees (splitTasks) that worker threads
// explore; the results are merged by their place in the tree, so a complete exploration reports the
// same outcomes, counts and schedules whatever the number of workers. src/cli/pnp-playground.ts
// provides the worker threads (`runTasks`).
import { loadText } from '../scenario/load.ts';
import type { NormalizedScenario } from '../scenario/types.ts';
import { exploreTask, mergeResults, needsEveryOrder, ROOT_TASK, splitTasks, type ExploreOptions, type ExploreResult, type Task, type TaskResult } from '../engine/explore/index.ts';
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

/** What a worker thread is given: the scenario's text and one subtree. */
export interface TaskJob {
  text: string;
  task: Task;
  options: Pick<ExploreOptions, 'maxRuns' | 'timeLimitMs' | 'preemptions' | 'reduction'>;
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
  /** Explore the jobs on `workers` worker threads; results in the jobs' order. Absent: in this thread. */
  runTasks?(jobs: TaskJob[], workers: number): Promise<TaskResult[]>;
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

/** Subtrees per worker the tree is cut into (more than one, so a slow subtree does not hold up the rest). */
const TASKS_PER_WORKER = 8;
/** The deepest cut tried. */
const MAX_SPLIT_DEPTH = 24;

/**
 * Explore on several workers: cut the tree at the shallowest depth that gives enough subtrees, explore
 * them with `runTasks`, merge. The bounds are shared: no subtree starts once the runs or the time are
 * used up, and each gets what is left (so a bounded exploration may stop elsewhere than on one worker).
 */
export async function exploreParallel(
  scenario: NormalizedScenario,
  text: string,
  options: ExploreOptions,
  workers: number,
  runTasks: NonNullable<Io['runTasks']>,
): Promise<ExploreResult> {
  const reach = { reduction: options.reduction, preemptions: options.preemptions };
  let split = splitTasks(scenario, 1, reach);
  for (let depth = 2; depth <= MAX_SPLIT_DEPTH && split.tasks.length > 0 && split.tasks.length < workers * TASKS_PER_WORKER; depth++) {
    split = splitTasks(scenario, depth, reach);
  }
  const { above, tasks } = split;
  if (tasks.length === 0) return mergeResults([above]);
  const { maxRuns, timeLimitMs, now } = options;
  const deadline = timeLimitMs !== undefined && now ? now() + timeLimitMs : Infinity;
  // Dispatch in rounds of one task per worker, so the bounds can be shared between them.
  const results: TaskResult[] = [above];
  let runs = above.runs;
  let skipped: 'max-runs' | 'time-limit' | null = null;
  for (let i = 0; i < tasks.length; ) {
    if (maxRuns !== undefined && runs >= maxRuns) skipped = 'max-runs';
    else if (deadline !== Infinity && now!() >= deadline) skipped = 'time-limit';
    if (skipped) break;
    const bounded = maxRuns !== undefined || deadline !== Infinity;
    const batch = tasks.slice(i, bounded ? i + workers : tasks.length);
    const jobs = batch.map((task) => ({
      text, task,
      options: {
        preemptions: options.preemptions,
        reduction: options.reduction,
        ...(maxRuns !== undefined ? { maxRuns: Math.max(1, Math.ceil((maxRuns - runs) / batch.length)) } : {}),
        ...(deadline !== Infinity ? { timeLimitMs: Math.max(0, deadline - now!()) } : {}),
      },
    }));
    const got = await runTasks(jobs, workers);
    for (const r of got) runs += r.runs;
    results.push(...got);
    i += batch.length;
  }
  if (skipped) results.push({ runs: 0, states: 0, stoppedBy: [skipped], found: [] });
  return mergeResults(results);
}

/** Schedules explored in this thread before starting worker threads (a small tree is done by then). */
export const PROBE_RUNS = 256;

/**
 * Starting a worker thread costs more than exploring a small tree: explore up to PROBE_RUNS schedules
 * here first, and go to the workers only if that was not enough. A complete exploration is the same
 * either way; the probe's runs are not wasted time for a small tree and little for a large one.
 */
async function exploreWithWorkers(
  scenario: NormalizedScenario,
  text: string,
  options: ExploreOptions,
  workers: number,
  runTasks: NonNullable<Io['runTasks']>,
): Promise<ExploreResult> {
  const started = options.now?.() ?? 0;
  const probeRuns = Math.min(PROBE_RUNS, options.maxRuns ?? Infinity);
  const probe = mergeResults([exploreTask(scenario, ROOT_TASK, { ...options, maxRuns: probeRuns })]);
  // Done unless the probe's own cap stopped it (not the user's bound, not the time limit).
  const cutByProbe = probe.stoppedBy.includes('max-runs') && probeRuns < (options.maxRuns ?? Infinity);
  if (!cutByProbe || probe.stoppedBy.includes('time-limit')) return probe;
  const spent = (options.now?.() ?? 0) - started;
  const timeLimitMs = options.timeLimitMs !== undefined ? Math.max(0, options.timeLimitMs - spent) : undefined;
  return exploreParallel(scenario, text, { ...options, timeLimitMs }, workers, runTasks);
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
    const once = (o: ExploreOptions) => (workers > 1 && io.runTasks
      ? exploreWithWorkers(loaded.scenario, text, o, workers, io.runTasks)
      : Promise.resolve(mergeResults([exploreTask(loaded.scenario, ROOT_TASK, o)])));
    let result = await once(options);
    if (needsEveryOrder(result, options)) result = await once({ ...options, reduction: false });
    io.out(`${JSON.stringify(result)}\n`);
    return EXIT.ran;
  } catch (e) {
    io.err(`explore: internal error while exploring ${inputName(args.file)}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return EXIT.internal;
  }
}

/** A worker thread's part: explore one subtree of a scenario. */
export function runTaskJob(job: TaskJob, now: () => number): TaskResult {
  if (lastLoaded?.text !== job.text) {
    const loaded = loadText(job.text);
    if (!loaded.ok) throw new Error('explore worker: the scenario no longer loads');
    lastLoaded = { text: job.text, scenario: loaded.scenario };
  }
  return exploreTask(lastLoaded.scenario, job.task, { ...job.options, now });
}

/** A worker explores several subtrees of one scenario: it loads it once. */
let lastLoaded: { text: string; scenario: NormalizedScenario } | null = null;
