// The page's entry, kept small and free of other modules: it starts the engine worker first (its
// script then loads and compiles while the page's own modules load), then opens the page's scenario
// (boot.ts: the scenario's run is posted to that worker), then evaluates React and the views
// (mount.tsx). Both are chunks of their own that index.html preloads (vite.config.ts); they are
// imported dynamically so that nothing delays the worker's start, and so that the worker's start,
// which needs a turn of the page's main thread once its script arrives, is not held up by one long
// evaluation.
import { chooseFontStacks } from './ui/fontStacks.ts';
import { startEngineWorker } from './worker/start.ts';
import './index.css';

startEngineWorker();
chooseFontStacks(document, navigator.userAgent);
void import('./boot.ts').then(() => import('./mount.tsx'));
