// The explorer's Web Worker (docs/explore.md): explores a scenario's schedules off the page's main
// thread and reports progress as it goes. One exploration per worker: the page cancels by
// terminating it. Messages: in `ExploreRequest`, out `ExploreMessage` (src/worker/explorer.ts).
import { explore } from '../engine/explore/index.ts';
import { load } from '../scenario/load.ts';
import type { ExploreMessage, ExploreRequest } from './explorer.ts';

const post = (m: ExploreMessage) => (self as unknown as { postMessage(m: ExploreMessage): void }).postMessage(m);

self.onmessage = (event: MessageEvent<ExploreRequest>) => {
  try {
    const { scenario, maxRuns, timeLimitMs } = event.data;
    const loaded = load(scenario);
    if (!loaded.ok) {
      post({ type: 'invalid', errors: loaded.errors.map((e) => `${e.path || '(root)'}: ${e.message}`) });
      return;
    }
    const result = explore(loaded.scenario, {
      maxRuns, timeLimitMs, now: () => performance.now(), progressEvery: 16,
      onProgress: (p) => post({ type: 'progress', ...p }),
    });
    post({ type: 'done', result });
  } catch (e) {
    post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  }
};
