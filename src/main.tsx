// The page's entry, kept small and free of other modules: it starts the engine worker first (its
// script then loads and compiles while the page's own modules load), then opens the page's scenario
// (boot.ts: the scenario's run is posted to that worker), then evaluates React and the views
// (mount.tsx). Both are chunks of their own that index.html preloads (vite.config.ts); they are
// imported dynamically so that nothing delays the worker's start, and so that the worker's start,
// which needs a turn of the page's main thread once its script arrives, is not held up by one long
// evaluation. The default first visit (the built-in demo, src/ui/firstVisit.ts) is the exception:
// the engine's answer to it ships with the page (src/worker/firstAnswer.ts), and its worker starts
// once the first screen is painted, so that its start and first run do not compete with the page's.
import { chooseFontStacks } from './ui/fontStacks.ts';
import { opensBuiltInDemo } from './ui/firstVisit.ts';
import { loadLinkReader } from './ui/linkReader.ts';
import { startEngineWorker } from './worker/start.ts';
import './index.css';

const builtInDemo = opensBuiltInDemo(window.location);
if (!builtInDemo) {
  startEngineWorker();
  void loadLinkReader(); // the link codec, which any other visit reads with (src/ui/linkReader.ts)
}
chooseFontStacks(document, navigator.userAgent);
void import('./boot.ts').then(({ openPage }) => openPage(builtInDemo)).then(() => import('./mount.tsx'));
