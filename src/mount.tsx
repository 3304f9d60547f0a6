// React and the views: evaluated and rendered after src/boot.ts has opened the page's scenario (the
// engine worker runs it while this loads; index.html preloads every chunk, see vite.config.ts).
// React DOM and the views are evaluated in tasks of their own, with a turn of the event loop between
// them: no single long task, and the page can hand the engine worker its run in between. The first
// render waits for the first run's answer, up to FIRST_RUN_WAIT_MS, so that the page usually shows
// its run in its first render and first layout instead of laying out an empty page first (a long
// run, such as a large link, shows the page without it in the meantime).
import { StrictMode } from 'react';
import { sessionStore, type SessionState } from './store/session.ts';

/** How long the first render waits for the page's first run, once the views are evaluated. */
export const FIRST_RUN_WAIT_MS = 100;

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

/** Let the event loop run the tasks waiting behind this one. */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** The first run has an answer (shown, refused or failed). */
const answered = (s: SessionState) => s.status === 'ready' || s.status === 'invalid' || s.status === 'error';

/** Resolves when the first run has an answer, or after `ms`. */
function firstRun(ms: number): Promise<void> {
  return new Promise((resolve) => {
    if (answered(sessionStore.getState())) return resolve();
    const done = () => {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    };
    const timer = setTimeout(done, ms);
    const unsubscribe = sessionStore.subscribe((s) => answered(s) && done());
  });
}

void (async () => {
  const { createRoot } = await import('react-dom/client');
  await nextTask();
  const { App } = await import('./ui/App.tsx');
  await firstRun(FIRST_RUN_WAIT_MS);
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
})();
