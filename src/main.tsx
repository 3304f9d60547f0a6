// The page's entry, kept small: open the page's scenario first (boot.ts starts the engine worker on
// it), then evaluate React and the views (mount.tsx, a chunk of its own that index.html preloads).
// The import is dynamic so that the engine worker can start while that chunk is evaluated: a
// worker's start needs a turn of the page's main thread, which one long evaluation would hold.
import './boot.ts';
import './index.css';

void import('./mount.tsx');
