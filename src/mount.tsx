// React and the views: evaluated and rendered after src/boot.ts has opened the page's scenario (the
// engine worker runs it while this loads; index.html preloads every chunk, see vite.config.ts).
// React DOM and the views are evaluated in tasks of their own, with a turn of the event loop between
// them and before the first render: no single long task, and the page can hand the engine worker
// its run (a worker's start needs a turn of the page's main thread once its script arrives) or take
// its answer in between.
import { StrictMode } from 'react';

/** Let the event loop run the tasks waiting behind this one. */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** The document parsed: the entry's script is async (vite.config.ts), so it may run before the parser has reached #root. */
const parsed = () =>
  document.readyState === 'loading' ? new Promise<void>((resolve) => document.addEventListener('DOMContentLoaded', () => resolve(), { once: true })) : Promise.resolve();

void (async () => {
  const { createRoot } = await import('react-dom/client');
  await nextTask();
  const { App } = await import('./ui/App.tsx');
  await nextTask();
  await parsed();
  const root = document.getElementById('root');
  if (!root) throw new Error('index.html has no #root element');
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
})();
