// The entry point of the command-line tools: `pnp-playground <command> [arguments]`.
//
//   npm run --silent simulate -- scenario.json     = pnp-playground simulate scenario.json
//   npm run --silent link -- scenario.json         = pnp-playground link scenario.json
//   npm run --silent explore -- scenario.json      = pnp-playground explore scenario.json
//
// This file only wires the commands (src/cli/simulate.ts, src/cli/link.ts: importable, no effects)
// to the process: arguments, files, stdin, stdout with backpressure, exit status. It runs its
// command when loaded. scripts/build-cli.mjs bundles it into dist-cli/pnp-playground.cjs, which
// bin/pnp-playground.mjs starts with plain `node` (rebuilding first if a source changed).
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { main as link } from './link.ts';
import { EXIT, main as simulate } from './simulate.ts';
import { main as explore, taskRunner, type ThreadPool } from './explore.ts';
import type { TaskJob, TaskResult } from '../engine/explore/index.ts';

const USAGE = `usage: pnp-playground <command> [arguments]

Commands:
  simulate [--pretty] <scenario.json | ->   run a scenario, print its trace (JSON Lines)
  link [--step N] <scenario.json | ->       print the playground link of a scenario
  explore [--max-runs N] <scenario.json | ->  run every schedule, print the distinct outcomes (JSON)

"pnp-playground <command> --help" describes a command.`;

const errLine = (line: string) => process.stderr.write(`${line}\n`);

async function readStdin(): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of process.stdin) parts.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(parts).toString('utf8');
}

/**
 * process.stdout, one chunk in flight at a time (memory stays flat however long the trace).
 * EPIPE (the reader went away, `| head`) ends the output quietly; another write error is reported.
 */
function stdoutWriter(command: string): { write: (chunk: string | Uint8Array) => Promise<boolean>; failed: () => boolean } {
  const out = process.stdout;
  let closed = false;
  let failed = false;
  out.on('error', (err: NodeJS.ErrnoException) => {
    closed = true;
    if (err.code !== 'EPIPE' && !failed) {
      failed = true;
      process.stderr.write(`${command}: cannot write its output: ${err.message}\n`);
    }
  });
  const write = (chunk: string | Uint8Array) =>
    new Promise<boolean>((resolve) => {
      if (closed || out.destroyed) return resolve(false);
      out.write(chunk, (err) => resolve(!err && !closed));
    });
  return { write, failed: () => failed };
}

async function runSimulate(argv: string[]): Promise<number> {
  const stdout = stdoutWriter('simulate');
  const code = await simulate(argv, { readFile: (path) => readFileSync(path, 'utf8'), readStdin, write: stdout.write, err: errLine });
  return stdout.failed() ? EXIT.internal : code;
}

async function runLink(argv: string[]): Promise<number> {
  const stdout = stdoutWriter('link');
  const code = await link(argv, {
    readFile: (path) => readFileSync(path, 'utf8'),
    readStdin: () => readFileSync(0, 'utf8'),
    out: (line) => void stdout.write(`${line}\n`),
    err: errLine,
  });
  return stdout.failed() ? EXIT.internal : code;
}

/** A worker thread of `explore`: this same file, started with workerData `{ exploreWorker, text }`. */
interface ExploreWorkerData {
  exploreWorker: true;
  text: string;
}

/** What a worker thread of `explore` is given: a subtree, and the flag that whoever explores it first sets. */
interface ExploreWorkerJob {
  job: TaskJob;
  done: Int32Array;
}

/** What a worker thread of `explore` posts: once `ready` (scenario loaded), then one result per job. */
type ExploreWorkerMessage = { ready: true } | { result: TaskResult };

/**
 * How scripts/cli-bundle.mjs started this bundle (runBundle: the bundle with V8's code cache), so
 * that worker threads start the same way, warm, instead of compiling the engine again.
 */
interface BundleStart {
  launcher: string;
  bundlePath: string;
  cacheDir: string;
}
const bundleStart = (globalThis as { [k: symbol]: BundleStart | undefined })[Symbol.for('pnp-playground.runBundle')];

/** A worker thread running this file: through runBundle (with the code cache) when that is how this thread started. */
function exploreWorkerThread(workerData: ExploreWorkerData): Worker {
  if (!bundleStart) return new Worker(new URL(import.meta.url), { workerData });
  const { launcher, bundlePath, cacheDir } = bundleStart;
  const code = `import(${JSON.stringify(launcher)}).then((m) => m.runBundle(['explore'], ${JSON.stringify(bundlePath)}, ${JSON.stringify(cacheDir)}));`;
  return new Worker(code, { eval: true, workerData });
}

/**
 * `threads` worker threads exploring subtrees of the scenario `text`. A thread takes jobs once it
 * is ready, up to two at a time (the second waits in its queue, so it never waits for this thread
 * to hand it the next one). The threads start on the first `start`; `close` ends them.
 */
function workerThreads(threads: number, text: string): ThreadPool {
  const workerData: ExploreWorkerData = { exploreWorker: true, text };
  const all: { worker: Worker; ready: boolean; queue: { resolve(r: TaskResult): void; reject(e: Error): void }[] }[] = [];
  const listeners: (() => void)[] = [];
  const freed = () => {
    for (const l of listeners) l();
  };
  let failure: Error | null = null;
  const start = () => {
    if (all.length > 0) return;
    for (let i = 0; i < threads; i++) {
      const t = { worker: exploreWorkerThread(workerData), ready: false, queue: [] as { resolve(r: TaskResult): void; reject(e: Error): void }[] };
      t.worker.on('message', (m: ExploreWorkerMessage) => {
        if ('ready' in m) t.ready = true;
        else t.queue.shift()?.resolve(m.result);
        freed();
      });
      t.worker.on('error', (e) => {
        failure ??= e;
        for (const u of all) for (const q of u.queue.splice(0)) q.reject(e);
        freed();
      });
      all.push(t);
    }
  };
  return {
    size: threads * 2,
    start,
    take(job: TaskJob, done: Int32Array): Promise<TaskResult> | null {
      if (failure) return Promise.reject(failure);
      const t = all.filter((u) => u.ready && u.queue.length < 2).reduce<(typeof all)[number] | null>((a, b) => (a && a.queue.length <= b.queue.length ? a : b), null);
      if (!t) return null;
      return new Promise<TaskResult>((resolve, reject) => {
        t.queue.push({ resolve, reject });
        t.worker.postMessage({ job, done } satisfies ExploreWorkerJob);
      });
    },
    onFree: (listener) => listeners.push(listener),
    close: async () => {
      await Promise.all(all.map((t) => t.worker.terminate()));
    },
  };
}

async function runExplore(argv: string[]): Promise<number> {
  const stdout = stdoutWriter('explore');
  const code = await explore(argv, {
    readFile: (path) => readFileSync(path, 'utf8'),
    readStdin,
    out: (text) => void stdout.write(text),
    err: errLine,
    now: () => performance.now(),
    cores: () => availableParallelism(),
    // PNP_EXPLORE_THREADS_AFTER_MS: when the worker threads start (0: at once; tests use it to share even a small tree).
    ...(/^[0-9]+$/.test(process.env.PNP_EXPLORE_THREADS_AFTER_MS ?? '') ? { threadsAfterMs: Number(process.env.PNP_EXPLORE_THREADS_AFTER_MS) } : {}),
    workerThreads,
  });
  return stdout.failed() ? EXIT.internal : code;
}

/** The commands by name (a Map: `pnp-playground constructor` is an unknown command, not a crash). */
const COMMANDS = new Map<string, (argv: string[]) => Promise<number>>([
  ['simulate', runSimulate],
  ['link', runLink],
  ['explore', runExplore],
]);

async function run(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help') {
    (name === undefined ? errLine : (line: string) => process.stdout.write(`${line}\n`))(USAGE);
    return name === undefined ? EXIT.internal : EXIT.ran;
  }
  const command = COMMANDS.get(name);
  if (!command) {
    errLine(`pnp-playground: unknown command ${JSON.stringify(name)}`);
    errLine(USAGE);
    return EXIT.internal;
  }
  return command(rest);
}

function exploreWorker(text: string): void {
  const run = taskRunner(text, () => performance.now());
  parentPort!.on('message', ({ job, done }: ExploreWorkerJob) => parentPort!.postMessage({ result: run(job, done) } satisfies ExploreWorkerMessage));
  parentPort!.postMessage({ ready: true } satisfies ExploreWorkerMessage);
}

if (!isMainThread && (workerData as ExploreWorkerData | undefined)?.exploreWorker) exploreWorker((workerData as ExploreWorkerData).text);
else run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    errLine(`pnp-playground: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exitCode = EXIT.internal;
  },
);
