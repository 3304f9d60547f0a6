// The page's side of the explorer (src/worker/explore.worker.ts): start an exploration, hear its
// progress, get its result, or cancel it (every worker is terminated: nothing keeps running).
//
// It uses one worker per spare core (`pageWorkers`): the first plans — a small tree it explores whole;
// a large one it cuts into subtrees — and the others start as soon as its progress shows the tree is
// not small. The subtrees go to whichever worker is free and the results are merged by their place in
// the tree (src/engine/explore/parallel.ts, as on the command line), so the outcomes and counts are
// the same as with one worker. The main thread only hands out subtrees and merges: no engine runs.
import { exploreOnWorkers, type ExploreOptions, type ExploreResult, type Plan, type TaskJob, type TaskOptions, type TaskPool, type TaskResult } from '../engine/explore/index.ts';

export type ExploreRequest =
  /** The scenario as the page has it (validated in the worker). */
  | { type: 'load'; scenario: unknown }
  | { type: 'plan'; options: TaskOptions; workers: number; probeRuns: number }
  | { type: 'task'; job: TaskJob };

export type ExploreMessage =
  | { type: 'progress'; runs: number; states: number }
  | { type: 'plan'; plan: Plan }
  | { type: 'task'; result: TaskResult }
  | { type: 'invalid'; errors: string[] }
  | { type: 'error'; message: string };

export type ExploreEnd =
  | { type: 'done'; result: ExploreResult }
  | { type: 'invalid'; errors: string[] }
  | { type: 'error'; message: string }
  | { type: 'cancelled' };

/** What the page may explore at most: a larger tree says so (`complete: false`). */
export const PAGE_EXPLORE_LIMITS = { maxRuns: 20_000, timeLimitMs: 60_000 } as const;

/** At most this many explorer workers, however many cores. */
export const MAX_PAGE_WORKERS = 8;

/** One explorer worker per spare core (the page keeps one), at least one. */
export function pageWorkers(cores = typeof navigator === 'undefined' ? 1 : navigator.hardwareConcurrency || 1): number {
  return Math.max(1, Math.min(MAX_PAGE_WORKERS, cores - 1));
}

/**
 * Schedules the planning worker explores before cutting the tree, and before the other workers are
 * started: a Web Worker starts faster than a worker thread, so the page cuts sooner than the CLI.
 */
export const PAGE_PROBE_RUNS = 64;
const START_OTHERS_AFTER = 32;

export interface Exploration {
  done: Promise<ExploreEnd>;
  cancel(): void;
  /** How many workers it uses. */
  workers: number;
}

/** The part of `Worker` used here (tests can pass a fake). */
export interface ExploreWorkerLike {
  postMessage(message: ExploreRequest): void;
  terminate(): void;
  onmessage: ((event: MessageEvent<ExploreMessage>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
}

export function createExploreWorker(): ExploreWorkerLike {
  return new Worker(new URL('./explore.worker.ts', import.meta.url), { type: 'module', name: 'pnp-explore' }) as ExploreWorkerLike;
}

/** A worker doing one thing at a time: a plan or a subtree, whose progress goes to `onProgress`. */
interface Helper {
  ask(request: ExploreRequest, onProgress: (p: { runs: number; states: number }) => void): Promise<ExploreMessage>;
}

/** Explore `scenario` on fresh workers; `onProgress` hears how far it got (never going back). */
export function startExploration(
  scenario: unknown,
  onProgress: (p: { runs: number; states: number }) => void,
  { workers = pageWorkers(), factory = createExploreWorker }: { workers?: number; factory?: () => ExploreWorkerLike } = {},
): Exploration {
  const started: ExploreWorkerLike[] = [];
  let settled = false;
  let settle: (end: ExploreEnd) => void = () => {};
  const done = new Promise<ExploreEnd>((resolve) => {
    settle = (end) => {
      settle = () => {};
      settled = true;
      for (const w of started) w.terminate();
      resolve(end);
    };
  });
  const helper = (): Helper => {
    const worker = factory();
    started.push(worker);
    let pending: { resolve(m: ExploreMessage): void; onProgress(p: { runs: number; states: number }): void } | null = null;
    worker.onmessage = (event) => {
      const m = event.data;
      if (m.type === 'invalid' || m.type === 'error') settle(m);
      else if (m.type === 'progress') pending?.onProgress(m);
      else {
        const p = pending;
        pending = null;
        p?.resolve(m);
      }
    };
    worker.onerror = (event) => settle({ type: 'error', message: event.message || 'the explorer stopped' });
    worker.postMessage({ type: 'load', scenario });
    return {
      ask: (request, progress) => new Promise((resolve) => {
        pending = { resolve, onProgress: progress };
        worker.postMessage(request);
      }),
    };
  };

  let shown = { runs: 0, states: 0 };
  const show = (p: { runs: number; states: number }) => {
    if (p.runs < shown.runs) return; // the probe's schedules are run again in the subtrees
    shown = p;
    onProgress(p);
  };

  // Helpers free to take a subtree, and subtrees waiting for one.
  const idle: Helper[] = [];
  const waiting: ((h: Helper) => void)[] = [];
  const free = (h: Helper) => {
    const next = waiting.shift();
    if (next) next(h);
    else idle.push(h);
  };
  let planner: Helper | null = null;
  let count = 1;
  const startOthers = () => {
    for (; count < workers; count++) free(helper());
  };
  const pool: TaskPool = {
    size: workers,
    async run(job, progress) {
      startOthers();
      const h = idle.pop() ?? await new Promise<Helper>((resolve) => waiting.push(resolve));
      try {
        const m = await h.ask({ type: 'task', job }, (p) => progress?.(p));
        if (m.type !== 'task') throw new Error(`the explorer answered ${m.type} to a subtree`);
        return m.result;
      } finally {
        free(h);
      }
    },
  };

  const options: ExploreOptions = { ...PAGE_EXPLORE_LIMITS, now: () => performance.now() };
  const explore = () => exploreOnWorkers(options, {
    size: workers,
    plan: async (o) => {
      const p = planner!;
      if (idle.includes(p)) idle.splice(idle.indexOf(p), 1); // planning again (every order)
      const m = await p.ask({ type: 'plan', options: { maxRuns: o.maxRuns, timeLimitMs: o.timeLimitMs, preemptions: o.preemptions, reduction: o.reduction }, workers, probeRuns: PAGE_PROBE_RUNS }, (progress) => {
        if (progress.runs >= START_OTHERS_AFTER) startOthers();
        show(progress);
      });
      if (m.type !== 'plan') throw new Error(`the explorer answered ${m.type} to a plan`);
      free(p); // warmed up by the plan, it explores subtrees too
      return m.plan;
    },
    pool,
  }, show).then(
    (result) => settle({ type: 'done', result }),
    (e: unknown) => settle({ type: 'error', message: e instanceof Error ? e.message : String(e) }),
  );
  // The workers start in a task of their own, not in the click that asked for them (which renders).
  setTimeout(() => {
    if (settled) return;
    planner = helper();
    void explore();
  }, 0);
  return { done, cancel: () => settle({ type: 'cancelled' }), workers };
}
