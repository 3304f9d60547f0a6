// The page's side of the explorer worker (src/worker/explore.worker.ts): start an exploration, hear
// its progress, get its result, or cancel it (the worker is terminated: nothing keeps running).
import type { ExploreResult } from '../engine/explore/index.ts';

export interface ExploreRequest {
  /** The scenario as the page has it (validated again in the worker). */
  scenario: unknown;
  maxRuns: number;
  timeLimitMs: number;
}

export type ExploreMessage =
  | { type: 'progress'; runs: number; states: number }
  | { type: 'done'; result: ExploreResult }
  | { type: 'invalid'; errors: string[] }
  | { type: 'error'; message: string };

export type ExploreEnd = Exclude<ExploreMessage, { type: 'progress' }> | { type: 'cancelled' };

/** What the page may explore at most: a larger tree says so (`complete: false`). */
export const PAGE_EXPLORE_LIMITS = { maxRuns: 20_000, timeLimitMs: 60_000 } as const;

export interface Exploration {
  done: Promise<ExploreEnd>;
  cancel(): void;
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

/** Explore `scenario` in a fresh worker; `onProgress` hears how far it got. */
export function startExploration(
  scenario: unknown,
  onProgress: (p: { runs: number; states: number }) => void,
  factory: () => ExploreWorkerLike = createExploreWorker,
): Exploration {
  const worker = factory();
  let settle: (end: ExploreEnd) => void = () => {};
  const done = new Promise<ExploreEnd>((resolve) => {
    settle = (end) => {
      worker.terminate();
      resolve(end);
      settle = () => {};
    };
  });
  worker.onmessage = (event) => {
    const m = event.data;
    if (m.type === 'progress') onProgress({ runs: m.runs, states: m.states });
    else settle(m);
  };
  worker.onerror = (event) => settle({ type: 'error', message: event.message || 'the explorer stopped' });
  worker.postMessage({ scenario, ...PAGE_EXPLORE_LIMITS });
  return { done, cancel: () => settle({ type: 'cancelled' }) };
}
