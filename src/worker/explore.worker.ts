// One of the explorer's Web Workers (docs/explore.md): it explores off the page's main thread and
// reports progress as it goes. The page may start several (src/worker/explorer.ts): each loads the
// scenario once; the first also plans (explores a small tree whole, or cuts a large one into
// subtrees); then each explores the subtrees it is given. The page cancels by terminating them.
// Messages: in `ExploreRequest`, out `ExploreMessage` (src/worker/explorer.ts).
import { exploreTask, plan } from '../engine/explore/index.ts';
import { load } from '../scenario/load.ts';
import type { NormalizedScenario } from '../scenario/types.ts';
import type { ExploreMessage, ExploreRequest } from './explorer.ts';

const post = (m: ExploreMessage) => (self as unknown as { postMessage(m: ExploreMessage): void }).postMessage(m);
const now = () => performance.now();
const PROGRESS_EVERY = 16;
const onProgress = (p: { runs: number; states: number }) => post({ type: 'progress', ...p });

let scenario: NormalizedScenario | null = null;

self.onmessage = (event: MessageEvent<ExploreRequest>) => {
  try {
    const m = event.data;
    if (m.type === 'load') {
      const loaded = load(m.scenario);
      if (!loaded.ok) post({ type: 'invalid', errors: loaded.errors.map((e) => `${e.path || '(root)'}: ${e.message}`) });
      else scenario = loaded.scenario;
      return;
    }
    if (!scenario) return; // an invalid scenario was reported: the page stops there
    if (m.type === 'plan') {
      post({ type: 'plan', plan: plan(scenario, { ...m.options, now, onProgress, progressEvery: PROGRESS_EVERY }, m.workers, m.probeRuns) });
    } else {
      post({ type: 'task', result: exploreTask(scenario, m.job.task, { ...m.job.options, now, onProgress, progressEvery: PROGRESS_EVERY }) });
    }
  } catch (e) {
    post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  }
};
