// The engine worker's first answer on the default first visit, computed by the build (vite.config.ts,
// the `virtual:first-answer` module) with the worker's own code: the page carries it and shows the
// built-in demo without waiting for the worker to start and run (src/boot.ts). Never written by
// hand and never stored: every build, dev server and test run computes it again from the engine
// and DEFAULT_SCENARIO (firstAnswer.test.ts checks it against the worker's answer).
import { DEFAULT_SCENARIO } from '../scenario/defaultScenario.ts';
import { handleMessage, resetWorkerState } from './engine.worker.ts';
import { packMessage } from './packed.ts';
import { runRequest, type WorkerResponse } from './protocol.ts';

/** The id of the run request answered at build time (the page gives the answer the id of its own request). */
export const FIRST_RUN_ID = 1;

/** What the engine worker answers to the default first visit's run: DEFAULT_SCENARIO, no seek. */
export function firstAnswer(): WorkerResponse {
  try {
    return handleMessage(runRequest(FIRST_RUN_ID, DEFAULT_SCENARIO));
  } finally {
    resetWorkerState();
  }
}

/** The same, packed for the page (src/worker/packed.ts); throws unless it is a result. */
export function firstAnswerText(): string {
  const answer = firstAnswer();
  if (answer.type !== 'result') throw new Error(`The default scenario did not run at build time: ${JSON.stringify(answer)}`);
  return packMessage(answer);
}
