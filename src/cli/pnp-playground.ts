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
import { MessageChannel, Worker, isMainThread, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { main as link } from './link.ts';
import { EXIT, main as simulate } from './simulate.ts';
import { helperRunner, main as explore, type ThreadPool } from './explore.ts';
import type { HelperMessage, Spent, StateBatch, StatesLink, Task, TaskJob, TaskResult } from '../engine/explore/index.ts';

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

/**
 * A worker thread of `explore`: this same file, started with workerData `{ exploreWorker, … }`: the
 * scenario, its own end of a channel to this thread (tasks, splits, results) and of another (the
 * states the workers explored completely: src/engine/explore/explored.ts), its index, and the shared
 * counters.
 */
interface ExploreWorkerData {
  exploreWorker: true;
  text: string;
  port: MessagePort;
  states: MessagePort;
  index: number;
  shared: SharedArrayBuffer;
}

/**
 * The counters shared by this thread and the worker threads of `explore` (Int32Array slots): how many
 * messages the threads posted (this thread looks at its ports only when that changed, between two
 * of its schedules), the schedules reserved (`--max-runs`), per thread a flag "split off some of
 * your work" that this thread sets and the thread clears when it answers, and per worker (this
 * thread, then each thread) how many batches of states were sent to it (it looks at its states
 * channels only when that changed).
 */
const MAIL = 0;
const RUNS = 1;
const ASK = 2;
const statesSlot = (threads: number, worker: number) => ASK + threads + worker;

/** Codes per block of shared memory that the keys of a thread's batches of states are written into. */
const CODES_BLOCK = 1 << 21;

/**
 * Where a thread writes the keys of the batches of states it sends (StatesLink `codes`): blocks of
 * shared memory, handed out in order. A message carries a view of shared memory, not a copy, so the
 * keys are written once and every other thread reads them where they are (a block lives as long as a
 * batch that refers to it).
 */
function sharedCodes(): (length: number) => Uint16Array {
  let block: Uint16Array = new Uint16Array(0);
  let used = 0;
  return (length) => {
    if (used + length > block.length) {
      block = new Uint16Array(new SharedArrayBuffer(2 * Math.max(CODES_BLOCK, length)));
      used = 0;
    }
    return block.subarray(used, (used += length));
  };
}

/** What a worker thread of `explore` posts: once `ready` (scenario loaded), a split when asked, a result per task. */
type ExploreWorkerMessage = { ready: true } | { split: Task } | { result: TaskResult; spent: Spent };

/** The CPU time of the calling thread in ms (Linux: /proc/thread-self/stat, in clock ticks of 10 ms); NaN elsewhere. */
function threadCpuMs(): number {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime, stime (fields 14 and 15)
  } catch {
    return NaN;
  }
}

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
  const transferList = [workerData.port, workerData.states];
  if (!bundleStart) return new Worker(new URL(import.meta.url), { workerData, transferList });
  const { launcher, bundlePath, cacheDir } = bundleStart;
  const code = `import(${JSON.stringify(launcher)}).then((m) => m.runBundle(['explore'], ${JSON.stringify(bundlePath)}, ${JSON.stringify(cacheDir)}));`;
  return new Worker(code, { eval: true, workerData, transferList });
}

/**
 * `threads` worker threads exploring tasks of the scenario `text` for work stealing (Helpers,
 * src/engine/explore/parallel.ts). Each talks to this thread on a channel of its own, which this
 * thread reads without waiting (`receiveMessageOnPort`) between two of its schedules, when the
 * shared mail count says something arrived; the threads start on the first `start`; `close` ends them.
 */
function workerThreads(threads: number, text: string): ThreadPool {
  const shared = new Int32Array(new SharedArrayBuffer(4 * (ASK + threads + 1 + threads)));
  const all: { worker: Worker; port: MessagePort; states: MessagePort }[] = [];
  const inbox: HelperMessage[] = [];
  let seen = 0;
  // The states: batches this thread sent before the threads started (each gets them first), and
  // the helpers' batches this thread received (each also goes on to the other helpers).
  const backlog: StateBatch[] = [];
  const statesIn: StateBatch[] = [];
  let statesSeen = 0;
  const sendTo = (helper: number, batch: StateBatch) => {
    all[helper].states.postMessage(batch);
    Atomics.add(shared, statesSlot(threads, 1 + helper), 1);
  };
  const fromHelper = (helper: number, batch: StateBatch) => {
    statesIn.push(batch);
    for (let to = 0; to < all.length; to++) if (to !== helper) sendTo(to, batch);
  };
  const states: StatesLink = {
    send(batch) {
      if (all.length === 0) backlog.push(batch);
      else for (let to = 0; to < all.length; to++) sendTo(to, batch);
    },
    receive() {
      const n = Atomics.load(shared, statesSlot(threads, 0));
      if (n !== statesSeen) {
        statesSeen = n;
        all.forEach(({ states: port }, from) => {
          for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) fromHelper(from, m.message as StateBatch);
        });
      }
      return statesIn.splice(0);
    },
    now: () => performance.now(),
    codes: sharedCodes(),
  };
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const woken = () => {
    wake?.();
    wake = null;
  };
  return {
    size: threads,
    runs: shared.subarray(RUNS, RUNS + 1),
    states,
    start() {
      if (all.length > 0) return;
      for (let index = 0; index < threads; index++) {
        const { port1, port2 } = new MessageChannel();
        const { port1: states1, port2: states2 } = new MessageChannel();
        const worker = exploreWorkerThread({ exploreWorker: true, text, port: port2, states: states2, index, shared: shared.buffer as SharedArrayBuffer });
        port1.on('message', (m: ExploreWorkerMessage) => {
          inbox.push({ from: index, ...m });
          woken();
        });
        // While this thread explores it reads the states channels itself (receive); while it waits,
        // a helper's states still go on to the others.
        states1.on('message', (batch: StateBatch) => fromHelper(index, batch));
        worker.on('error', (e) => {
          failure ??= e;
          woken();
        });
        all.push({ worker, port: port1, states: states1 });
      }
      for (const batch of backlog.splice(0)) for (let to = 0; to < all.length; to++) sendTo(to, batch);
    },
    send(to, job) {
      Atomics.store(shared, ASK + to, 0);
      all[to].port.postMessage(job satisfies TaskJob);
    },
    ask: (to) => Atomics.store(shared, ASK + to, 1),
    receive() {
      if (failure) throw failure;
      const mail = Atomics.load(shared, MAIL);
      if (mail !== seen) {
        seen = mail;
        all.forEach(({ port }, from) => {
          for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) inbox.push({ from, ...(m.message as ExploreWorkerMessage) });
        });
      }
      return inbox.splice(0);
    },
    wait: () => (inbox.length > 0 || failure ? Promise.resolve() : new Promise<void>((resolve) => (wake = resolve))),
    close: async () => {
      await Promise.all(all.map(({ worker, port, states: statesPort }) => {
        port.close();
        statesPort.close();
        return worker.terminate();
      }));
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
    cpu: threadCpuMs,
    processCpu: () => {
      const { user, system } = process.cpuUsage();
      return (user + system) / 1000;
    },
    stats: process.env.PNP_EXPLORE_STATS === '1',
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

/** A worker thread of `explore`: explores the tasks it is given; posts (and counts in MAIL) ready, splits, results. */
function exploreWorker({ text, port, states: statesPort, index, shared: buffer }: ExploreWorkerData): void {
  const shared = new Int32Array(buffer);
  const threads = (shared.length - ASK - 1) / 2;
  const post = (m: ExploreWorkerMessage) => {
    port.postMessage(m);
    Atomics.add(shared, MAIL, 1);
  };
  let statesSeen = 0;
  const states: StatesLink = {
    send(batch) {
      statesPort.postMessage(batch);
      Atomics.add(shared, statesSlot(threads, 0), 1);
    },
    receive() {
      const n = Atomics.load(shared, statesSlot(threads, 1 + index));
      if (n === statesSeen) return [];
      statesSeen = n;
      const out: StateBatch[] = [];
      for (let m = receiveMessageOnPort(statesPort); m; m = receiveMessageOnPort(statesPort)) out.push(m.message as StateBatch);
      return out;
    },
    now: () => performance.now(),
    codes: sharedCodes(),
  };
  const run = helperRunner(text, () => performance.now(), threadCpuMs, shared.subarray(RUNS, RUNS + 1), () => Atomics.load(shared, ASK + index) === 1, (split) => {
    Atomics.store(shared, ASK + index, 0);
    post({ split });
  }, { link: states, self: 1 + index });
  port.on('message', (job: TaskJob) => post(run(job)));
  post({ ready: true });
}

if (!isMainThread && (workerData as ExploreWorkerData | undefined)?.exploreWorker) exploreWorker(workerData as ExploreWorkerData);
else run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    errLine(`pnp-playground: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exitCode = EXIT.internal;
  },
);
