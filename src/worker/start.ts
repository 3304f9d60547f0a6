// Starting the engine worker, with no imports: the page's entry (src/main.tsx) starts it before any
// other module of the page is fetched or evaluated, so the worker's script loads and compiles while
// the page's own code does; the engine client (client.ts) then takes that worker for its first run.
/** The worker started by startEngineWorker and not yet taken. */
let started: Worker | null = null;

/** A new engine worker. Vite bundles the worker from this exact `new Worker(new URL(…))` form. */
export const newEngineWorker = (): Worker => new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'pnp-engine' });

/** Start the page's engine worker now (once), for the client to take later. */
export function startEngineWorker(): void {
  started ??= newEngineWorker();
}

/** The worker startEngineWorker started, once (null afterwards, or if none was started). */
export function takeStartedWorker(): Worker | null {
  const worker = started;
  started = null;
  return worker;
}
