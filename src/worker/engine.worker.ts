// The engine's Web Worker: a thin adapter (design.md). Messages in, results out; the simulation
// itself lives in src/engine and the validation in src/scenario, both framework-free.
import { runScenario } from '../engine/index.ts';
import { load } from '../scenario/load.ts';
import { errorResponse, parseRequest, PROTOCOL_VERSION, type WorkerResponse } from './protocol.ts';

/** Answer one message. Never throws: an engine exception becomes an `error` response. */
export function handleMessage(data: unknown): WorkerResponse {
  const parsed = parseRequest(data);
  if (!parsed.ok) return parsed.error;
  const request = parsed.message;
  if (request.type === 'ping') return { v: PROTOCOL_VERSION, id: request.id, type: 'pong', ok: true };

  try {
    const loaded = load(request.scenario);
    if (!loaded.ok) {
      return {
        v: PROTOCOL_VERSION,
        id: request.id,
        type: 'invalid',
        ok: false,
        errors: loaded.errors,
        ...(loaded.newerVersion ? { newerVersion: true } : {}),
      };
    }
    const { scenario } = loaded;
    const outcome = runScenario(scenario, request.opBudget === undefined ? undefined : { opBudget: request.opBudget });
    if (!outcome.ok) {
      // e.g. a schedule override naming a thread that is not runnable (scenario-format §5).
      return { v: PROTOCOL_VERSION, id: request.id, type: 'invalid', ok: false, errors: outcome.errors };
    }
    return {
      v: PROTOCOL_VERSION,
      id: request.id,
      type: 'result',
      ok: true,
      trace: outcome.trace,
      title: scenario.title,
      description: scenario.description,
      warnings: loaded.warnings,
    };
  } catch (err) {
    // The engine must never throw on a valid scenario (design.md); if it does, say so clearly.
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return errorResponse(request.id, `Internal engine error: ${message}`);
  }
}

interface WorkerScope {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

// Only wire up when actually running as a dedicated worker (not when imported by a test in Node).
const scope = globalThis as unknown as Partial<WorkerScope> & { document?: unknown };
if (typeof scope.postMessage === 'function' && typeof scope.addEventListener === 'function' && scope.document === undefined) {
  const worker = scope as WorkerScope;
  worker.addEventListener('message', (event) => worker.postMessage(handleMessage(event.data)));
}
