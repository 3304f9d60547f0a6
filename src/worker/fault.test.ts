// A fault inside the engine (a bug) is an internal error of that run only: the worker answers with
// code `internal`, keeps no state from it, and the next run gives the right trace.
import { describe, expect, it, vi } from 'vitest';
import seed000 from '../scenario/demos/seed000-sync.json';
import { encodedText } from '../trace/encoded.ts';
import { traceView } from '../trace/view.ts';

let failNext = false;
vi.mock('../engine/index.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../engine/index.ts')>();
  return {
    ...original,
    runScenario: (...args: Parameters<typeof original.runScenario>) => {
      if (failNext) {
        failNext = false;
        throw new TypeError("Cannot read properties of undefined (reading 'slice')");
      }
      return original.runScenario(...args);
    },
  };
});

const { handleMessage } = await import('./engine.worker.ts');
const { runRequest, seekRequest } = await import('./protocol.ts');

describe('worker: an engine exception', () => {
  it('is answered as an internal error of that run, the worker forgets its last run, and the next run is right', () => {
    const good = handleMessage(runRequest(1, seed000));
    if (good.type !== 'result') throw new Error(good.type);
    failNext = true;
    expect(handleMessage(runRequest(2, seed000))).toMatchObject({
      type: 'error', id: 2, code: 'internal', message: expect.stringMatching(/^Internal engine error: TypeError: Cannot read/),
    });
    expect(handleMessage(seekRequest(3, 1, 0))).toMatchObject({ type: 'error', code: 'no-run' });
    const again = handleMessage(runRequest(4, seed000));
    if (again.type !== 'result') throw new Error(again.type);
    expect(encodedText(again.trace)).toBe(encodedText(good.trace));
  });

  it('the page caps the trace (PAGE_MAX_ENTRIES); a request may set another cap', async () => {
    const { PAGE_MAX_ENTRIES } = await import('./engine.worker.ts');
    expect(PAGE_MAX_ENTRIES).toBe(200_000);
    const capped = handleMessage({ ...runRequest(5, seed000), maxEntries: 40 });
    if (capped.type !== 'result') throw new Error(capped.type);
    const trace = traceView(capped.trace, capped.index);
    expect(trace).toHaveLength(40);
    expect(trace.at(-1)).toMatchObject({ type: 'halt', reason: 'budget', limit: 'entries' });
  });
});
