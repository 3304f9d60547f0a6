// The explorer in the page (docs/explore.md): one exploration at a time of the current scenario, on
// its own workers (src/worker/explorer.ts); its progress; its outcomes; and opening an outcome — its schedule goes into the
// scenario (so the link follows and can be shared) and the cursor goes to where it departs from the
// default run, which the Explanation then describes.
import { useSyncExternalStore } from 'react';
import { createStore } from 'zustand/vanilla';
import type { Divergence, ExploreResult, OutcomeReport } from '../engine/explore/index.ts';
import type { Exploration } from '../worker/explorer.ts';
import { sessionStore, shownLink } from './session.ts';

export type ExploreStatus = 'idle' | 'running' | 'done' | 'cancelled' | 'failed';

export interface ExploreState {
  status: ExploreStatus;
  runs: number;
  states: number;
  result: ExploreResult | null;
  message: string | null;
  /** The scenario link the result belongs to (a result for another scenario is not shown). */
  link: string | null;
  /** The opened outcome's departure from the default run, with the link of the scenario it opened. */
  opened: { divergence: Divergence; link: string } | null;
  start(): void;
  cancel(): void;
  open(outcome: OutcomeReport): Promise<void>;
}

let current: Exploration | null = null;
/** Increases with every start and cancel: an exploration still loading its code starts only if it is still the latest. */
let starts = 0;

const PROGRESS_INTERVAL_MS = 200;
const requestFrame = (f: () => void) => (typeof requestAnimationFrame === 'function' ? requestAnimationFrame(f) : f());

export const exploreStore = createStore<ExploreState>()((set, get) => ({
  status: 'idle',
  runs: 0,
  states: 0,
  result: null,
  message: null,
  link: null,
  opened: null,

  start() {
    const { scenario, link } = sessionStore.getState();
    if (!scenario) return;
    current?.cancel();
    current = null;
    const start = ++starts;
    set({ status: 'running', runs: 0, states: 0, result: null, message: null, link });
    // Started before the scenario's link came (right after an edit): the result is that link's.
    if (!link) void shownLink().then((known) => start === starts && known !== null && sessionStore.getState().scenario === scenario && set({ link: known }));
    // The explorer's code (the engine's explorer with it) loads on the first exploration: the page's
    // first chunk does not carry it.
    import('../worker/explorer.ts').then(
      ({ startExploration }) => {
        if (start !== starts) return; // cancelled, or another exploration started, meanwhile
        // Progress arrives from every worker, often: it is shown at most every PROGRESS_INTERVAL_MS,
        // in an animation frame (each update costs the page a layout and a paint).
        let latest: { runs: number; states: number } | null = null;
        const exploration = startExploration({ ...scenario, schedule: [] }, (p) => {
          if (latest === null) {
            setTimeout(() => requestFrame(() => {
              if (current === exploration && latest) set({ runs: latest.runs, states: latest.states });
              latest = null;
            }), PROGRESS_INTERVAL_MS);
          }
          latest = p;
        });
        current = exploration;
        void exploration.done.then((end) => {
          if (current !== exploration) return;
          current = null;
          if (end.type === 'done') set({ status: 'done', result: end.result, runs: end.result.runs, states: end.result.states });
          else if (end.type === 'cancelled') set({ status: 'cancelled' });
          else set({ status: 'failed', message: end.type === 'invalid' ? end.errors.join('\n') : end.message });
        });
      },
      (err: unknown) => {
        if (start === starts) set({ status: 'failed', message: `The explorer could not be loaded: ${err instanceof Error ? err.message : String(err)}` });
      },
    );
  },

  cancel() {
    if (current) return current.cancel();
    // Still loading the explorer's code: it will not start.
    starts++;
    if (get().status === 'running') set({ status: 'cancelled' });
  },

  async open(outcome) {
    const { scenario } = sessionStore.getState();
    if (!scenario) return;
    const at = outcome.divergesAt?.at;
    // The choice point is between entry at−1 and entry at: the cursor goes to the entry before it.
    const ok = await sessionStore.getState().run({ ...scenario, schedule: outcome.schedule }, { cursor: at === undefined ? 0 : Math.max(0, at - 1), edit: true });
    // The opened scenario's link follows its result: the outcome and the result are that link's.
    const link = ok ? await shownLink() : null;
    if (link === null) return set({ opened: null });
    set({ opened: outcome.divergesAt ? { divergence: outcome.divergesAt, link } : null });
    // The result still describes this scenario's schedules: keep it with the new link.
    if (get().status === 'done') set({ link });
  },
}));

export function useExplore<T>(selector: (s: ExploreState) => T): T {
  const get = () => selector(exploreStore.getState());
  return useSyncExternalStore(exploreStore.subscribe, get, get);
}
