// The session store: mirrors what the engine worker sent for the current scenario
// (design.md: scenario → engine in worker → store → views). Views read it through narrow
// selectors; only `run` talks to the worker.
import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { TraceEntry } from '../engine/trace.ts';
import { getEngineClient } from '../worker/client.ts';
import { PROTOCOL_VERSION, type ProtocolValidationError, type RunResponse } from '../worker/protocol.ts';

export type SessionStatus = 'idle' | 'running' | 'ready' | 'invalid' | 'error';

export interface SessionState {
  status: SessionStatus;
  /** Title and description of the scenario whose trace is shown. */
  title: string;
  description: string;
  /** The trace of the last scenario that ran. Kept when a later one is invalid or fails (keep the user's work). */
  trace: readonly TraceEntry[];
  /** Validation problems of the last scenario submitted (status `invalid`). */
  errors: readonly ProtocolValidationError[];
  warnings: readonly ProtocolValidationError[];
  /** Set when the scenario was made by a newer version of the playground. */
  newerVersion: boolean;
  /** What went wrong (status `error`). */
  message: string | null;
  /** Increases with every submitted run; a result for an older run is dropped. */
  runId: number;
  /** Validate and run a raw scenario in the engine worker. */
  run(scenario: unknown): Promise<void>;
}

/** What the store needs from the engine: the worker client, or a fake in tests. */
export interface EngineRunner {
  run(scenario: unknown): Promise<RunResponse>;
}

export type SessionStore = StoreApi<SessionState>;

export function createSessionStore(engine: () => EngineRunner): SessionStore {
  return createStore<SessionState>()((set, get) => ({
    status: 'idle',
    title: '',
    description: '',
    trace: [],
    errors: [],
    warnings: [],
    newerVersion: false,
    message: null,
    runId: 0,

    async run(scenario) {
      const runId = get().runId + 1;
      set({ status: 'running', runId, message: null });
      let response: RunResponse;
      try {
        response = await engine().run(scenario);
      } catch (err) {
        response = { v: PROTOCOL_VERSION, id: runId, type: 'error', ok: false, message: err instanceof Error ? err.message : String(err) };
      }
      if (get().runId !== runId) return; // superseded by a newer run
      switch (response.type) {
        case 'result':
          set({
            status: 'ready',
            title: response.title,
            description: response.description,
            trace: response.trace,
            errors: [],
            warnings: response.warnings ?? [],
            newerVersion: false,
          });
          break;
        case 'invalid':
          set({ status: 'invalid', errors: response.errors, newerVersion: response.newerVersion ?? false });
          break;
        case 'error':
          set({ status: 'error', message: response.message });
          break;
      }
    },
  }));
}

// The app's store, bound to the shared worker client (created on the first run, not on import).
export const sessionStore: SessionStore = createSessionStore(getEngineClient);

/** Read the session with a narrow selector: `useSession((s) => s.status)`. */
export function useSession<T>(selector: (state: SessionState) => T): T {
  return useStore(sessionStore, selector);
}
