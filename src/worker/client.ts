// The page's side of the engine worker: request/response by id with a Promise API.
// A crashed worker (error event) or a hung one (no answer within the timeout) is terminated and
// replaced on the next request; the pending requests resolve with an `error` response, so callers
// handle one union and never a rejected promise (docs/architecture.md: "a crashed or hung worker is restarted").
import {
  errorResponse,
  parseResponse,
  pingRequest,
  runRequest,
  seekRequest,
  shownNotice,
  type PongResponse,
  type RunRequest,
  type RunRequestOptions,
  type RunResponse,
  type RunResult,
  type SeekResponse,
  type ShownNotice,
  type WorkerRequest,
  type WorkerResponse,
} from './protocol.ts';
import type { EncodedTrace } from '../trace/encoded.ts';
import { newEngineWorker, takeStartedWorker } from './start.ts';

/** The part of `Worker` the client uses (so tests can pass a fake). */
export interface WorkerLike {
  postMessage(message: WorkerRequest | ShownNotice): void;
  terminate(): void;
  onmessage: ((event: MessageEvent) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  onmessageerror: ((event: MessageEvent) => void) | null;
}

/** The real engine worker: the one the page's entry started (src/main.tsx), else a new one. */
export function createEngineWorker(): WorkerLike {
  return (takeStartedWorker() ?? newEngineWorker()) as WorkerLike;
}

/** A run's options: the request's own (RunRequestOptions, protocol.ts) and how long to wait for it. */
export interface RunOptions extends RunRequestOptions {
  /** Give up (and restart the worker) after this long. Default 30 s: far above any budgeted run. */
  timeoutMs?: number;
}

/** A seek is a checkpoint restore plus at most 1,024 folds: an answer later than this means a hung worker. */
export const SEEK_TIMEOUT_MS = 4_000;

interface Pending {
  resolve(response: WorkerResponse): void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * What the worker owes runs after their results (a `linkLater` link, a `traceLater` trace), by run:
 * settled when it comes, or with null if it never will; dropped once it is both settled and taken.
 */
class Owed<T> {
  private readonly entries = new Map<number, { promise: Promise<T | null>; resolve(value: T | null): void; settled: boolean; taken: boolean }>();

  /** Run `run` will be owed one (what earlier runs were owed and nobody took is of no use now). */
  expect(run: number): void {
    for (const [key, entry] of this.entries) if (entry.settled) this.entries.delete(key);
    let resolve!: (value: T | null) => void;
    const promise = new Promise<T | null>((r) => (resolve = r));
    this.entries.set(run, { promise, resolve, settled: false, taken: false });
  }

  take(run: number): Promise<T | null> {
    const entry = this.entries.get(run);
    if (!entry || entry.taken) return Promise.resolve(null);
    entry.taken = true;
    if (entry.settled) this.entries.delete(run);
    return entry.promise;
  }

  settle(run: number, value: T | null): void {
    const entry = this.entries.get(run);
    if (!entry || entry.settled) return;
    entry.settled = true;
    if (entry.taken) this.entries.delete(run);
    entry.resolve(value);
  }

  /** Nothing owed will come (the worker stopped). */
  settleAll(): void {
    for (const run of [...this.entries.keys()]) this.settle(run, null);
  }
}

/** A run answered without the worker: its input (compared by identity) and the answer, read when used. */
interface EarlyAnswer {
  scenario: unknown;
  answer(): RunResponse;
}

export class EngineClient {
  private worker: WorkerLike | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Runs asked with `linkLater`, until `laterLink` takes their link. */
  private readonly links = new Owed<string>();
  /** Runs asked with `traceLater`, until `laterTrace` takes their whole trace. */
  private readonly traces = new Owed<EncodedTrace>();
  private early: EarlyAnswer | null = null;
  /**
   * The run an early answer stood for: the worker is sent it before anything else, so that it holds
   * that run (seeks name it) as if it had answered it; its answer is not waited for.
   */
  private replay: RunRequest | null = null;
  /** How many workers this client has started (1 + restarts). */
  started = 0;
  private readonly restartListeners = new Set<(reason: string) => void>();

  constructor(private readonly factory: () => WorkerLike = createEngineWorker) {}

  /**
   * Answer the next run of exactly `scenario` (the same object, with no seek or op budget) with
   * `answer()` instead of asking the worker: the default first visit's answer, computed at build
   * time by the worker's own code (src/worker/firstAnswer.ts). The worker is then sent that run
   * before any other request (when it starts: `start()`, or the next request), so it holds the run
   * the page shows.
   */
  answerEarly(scenario: unknown, answer: () => RunResponse): void {
    this.early = { scenario, answer };
  }

  /** Start the worker now if it is not running (it otherwise starts with the first request). */
  start(): void {
    try {
      this.ensureWorker();
    } catch {
      // No worker could be started: the next request tries again and reports it.
    }
  }

  /** Validate and run a raw scenario in the worker. Resolves with result, invalid or error. */
  run(scenario: unknown, options: RunOptions = {}): Promise<RunResponse> {
    const id = this.nextId++;
    const early = this.takeEarly(id, scenario, options);
    if (early) return Promise.resolve(early);
    if (options.linkLater) this.links.expect(id);
    if (options.traceLater) this.traces.expect(id);
    return (this.request(runRequest(id, scenario, options), options.timeoutMs ?? 30_000) as Promise<RunResponse>).then((response) => {
      // Anything but a result (or a result that carries its link: an older worker) brings no link message.
      if (response.type !== 'result' || response.link !== '') this.links.settle(id, response.type === 'result' ? response.link : null);
      // Only a result that says so brings a trace message (a short trace, or an older worker, came whole).
      if (response.type !== 'result' || response.traceLater !== true) this.traces.settle(id, null);
      return response;
    });
  }

  /**
   * The link of run `run` whose request asked `linkLater`: it comes right after the result; null if
   * the run was not asked that way or the worker stopped before sending it.
   */
  laterLink(run: number): Promise<string | null> {
    return this.links.take(run);
  }

  /**
   * The whole trace of run `run`, whose result came with `traceLater: true` (only its first entries):
   * it comes right after the result; null if the run was not answered that way or the worker stopped
   * before sending it.
   */
  laterTrace(run: number): Promise<EncodedTrace | null> {
    return this.traces.take(run);
  }

  /**
   * The page has shown run `run` (asked `afterShown`): the worker may do what it held for it. Sent
   * only to a running worker: a restarted one holds no run, and none is started for this.
   */
  shown(run: number): void {
    try {
      this.worker?.postMessage(shownNotice(this.nextId++, run));
    } catch {
      // A worker that cannot be reached is found out, and replaced, by the next request.
    }
  }

  /** The snapshot after entry `seq` of run `run` (the `run` key of a result). */
  seek(run: number, seq: number, timeoutMs = SEEK_TIMEOUT_MS): Promise<SeekResponse> {
    return this.request(seekRequest(this.nextId++, run, seq), timeoutMs) as Promise<SeekResponse>;
  }

  /**
   * Called when a crashed or hung worker was terminated. The next request starts a fresh worker,
   * which holds no run: the listener re-sends the run (and its seek) to put the user back.
   * Returns the unsubscribe function.
   */
  onRestart(listener: (reason: string) => void): () => void {
    this.restartListeners.add(listener);
    return () => this.restartListeners.delete(listener);
  }

  /** Is the worker alive and answering? */
  async ping(timeoutMs = 5_000): Promise<boolean> {
    const response = await this.request(pingRequest(this.nextId++), timeoutMs);
    return (response as PongResponse).type === 'pong';
  }

  /** Stop the worker; pending requests resolve with an error. */
  dispose(): void {
    this.restart('The engine worker was stopped.', false);
  }

  /** The early answer for this run, as the worker would have answered request `id`; null if it does not apply. */
  private takeEarly(id: number, scenario: unknown, options: RunOptions): RunResult | null {
    const early = this.early;
    if (!early || early.scenario !== scenario || options.seek !== undefined || options.seekAction !== undefined || options.opBudget !== undefined) return null;
    this.early = null;
    const answer = early.answer();
    if (answer.type !== 'result') return null;
    this.replay = runRequest(id, scenario);
    if (this.worker) this.sendReplay(this.worker);
    return { ...answer, id, run: id };
  }

  private sendReplay(worker: WorkerLike): void {
    const replay = this.replay;
    this.replay = null;
    if (replay) worker.postMessage(replay);
  }

  private request(message: WorkerRequest, timeoutMs: number): Promise<WorkerResponse> {
    return new Promise<WorkerResponse>((resolve) => {
      const timer =
        timeoutMs > 0 && Number.isFinite(timeoutMs)
          ? setTimeout(() => this.restart(`The engine did not answer within ${Math.round(timeoutMs / 1000)} s; it was restarted.`), timeoutMs)
          : undefined;
      this.pending.set(message.id, { resolve, timer });
      try {
        this.ensureWorker().postMessage(message);
      } catch (err) {
        this.settle(errorResponse(message.id, `Could not reach the engine worker: ${err instanceof Error ? err.message : String(err)}`));
      }
    });
  }

  private ensureWorker(): WorkerLike {
    if (this.worker) return this.worker;
    const worker = this.factory();
    this.started++;
    worker.onmessage = (event) => {
      const response = parseResponse(event.data);
      if (response.type === 'link') return this.links.settle(response.run, response.link);
      if (response.type === 'trace') return this.traces.settle(response.run, response.trace);
      this.settle(response);
      // The engine failed inside a run: whatever that run left behind dies with this worker.
      if (response.type === 'error' && response.code === 'internal' && this.worker === worker) this.restart(response.message, false);
    };
    worker.onerror = (event) => {
      event.preventDefault?.();
      this.restart(`The engine worker crashed${event.message ? `: ${event.message}` : ''}; it was restarted.`);
    };
    worker.onmessageerror = () => this.restart('The engine worker sent a message that could not be read; it was restarted.');
    this.worker = worker;
    this.sendReplay(worker);
    return worker;
  }

  private settle(response: WorkerResponse): void {
    if (response.id === null) {
      // An error without an id cannot be matched to a request: it concerns them all.
      for (const id of [...this.pending.keys()]) this.settle({ ...response, id });
      return;
    }
    const entry = this.pending.get(response.id);
    if (!entry) return; // a late answer to a request that already timed out
    this.pending.delete(response.id);
    if (entry.timer !== undefined) clearTimeout(entry.timer);
    entry.resolve(response);
  }

  /** Terminate the current worker and fail everything in flight; the next request starts a fresh one. */
  private restart(message: string, notify = true): void {
    const worker = this.worker;
    this.worker = null;
    if (worker) {
      worker.onmessage = worker.onerror = worker.onmessageerror = null;
      worker.terminate();
    }
    for (const id of [...this.pending.keys()]) this.settle(errorResponse(id, message));
    this.links.settleAll();
    this.traces.settleAll();
    if (notify && worker) for (const listener of [...this.restartListeners]) listener(message);
  }
}

let shared: EngineClient | null = null;

/** The app's one engine client, created on first use (importing this module starts no worker). */
export function getEngineClient(): EngineClient {
  shared ??= new EngineClient();
  return shared;
}
