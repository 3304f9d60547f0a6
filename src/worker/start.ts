// Starting the engine worker, with no imports: the page's entry (src/main.tsx) starts it before any
// other module of the page is fetched or evaluated, so the worker's script loads and compiles while
// the page's own code does; the engine client (client.ts) then takes that worker for its first run.
// A production build starts it earlier still: a small inline script in index.html's <head>
// (vite.config.ts, `earlyEngineWorker`) creates it while the document is parsed, before the page's
// scripts have arrived, and leaves it in `EARLY_WORKER` for startEngineWorker to take.

/** The global the inline script of index.html puts its engine worker in (vite.config.ts uses this name). */
export const EARLY_WORKER = 'pnpEngineWorker';
/** The engine worker's name (the inline script of index.html names its worker the same). */
export const ENGINE_WORKER_NAME = 'pnp-engine';

/** The worker started by startEngineWorker and not yet taken. */
let started: Worker | null = null;

/** A new engine worker. Vite bundles the worker from this exact `new Worker(new URL(…))` form (static options: the name is ENGINE_WORKER_NAME). */
export const newEngineWorker = (): Worker => new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'pnp-engine' });

/** The worker index.html's inline script started, once (it is taken off the global). */
function takeEarlyWorker(): Worker | null {
  const scope = globalThis as { [EARLY_WORKER]?: unknown };
  const worker = scope[EARLY_WORKER];
  delete scope[EARLY_WORKER];
  return typeof Worker !== 'undefined' && worker instanceof Worker ? worker : null;
}

/** Start the page's engine worker now (once), for the client to take later: the one index.html started, if it did. */
export function startEngineWorker(): void {
  started ??= takeEarlyWorker() ?? newEngineWorker();
}

/** The worker startEngineWorker started, once (null afterwards, or if none was started). */
export function takeStartedWorker(): Worker | null {
  const worker = started;
  started = null;
  return worker;
}
