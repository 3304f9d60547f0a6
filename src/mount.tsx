// React and the views: evaluated and rendered after src/boot.ts has opened the page's scenario (the
// engine worker runs it while this loads; index.html preloads every chunk, see vite.config.ts).
// React DOM and the views are evaluated in tasks of their own, with a turn of the event loop between
// them and before the first render: no single long task, and the page can hand the engine worker
// its run (a worker's start needs a turn of the page's main thread once its script arrives) or take
// its answer in between.
import { startTransition, StrictMode } from 'react';

/** Let the event loop run the tasks waiting behind this one. */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** The document parsed: the entry's script is async (vite.config.ts), so it may run before the parser has reached #root. */
const parsed = () =>
  document.readyState === 'loading' ? new Promise<void>((resolve) => document.addEventListener('DOMContentLoaded', () => resolve(), { once: true })) : Promise.resolve();

/**
 * The font faces the shell's text uses, each resolved in a short task of its own before the first
 * render: on Linux a page's first layout of a face asks the system's font service, synchronously,
 * for each family of the stack and for each fallback a character needs (src/index.css), which in the
 * shell's first layout was ~30-50 ms in one frame. The sample text carries the non-ASCII characters
 * the shell shows (warnings, the drag handle, dashes, arrows).
 */
const FACES = ['font-sans font-normal', 'font-sans font-medium', 'font-sans font-semibold', 'font-sans font-bold', 'font-mono font-normal'];
async function resolveFonts(): Promise<void> {
  const probe = document.createElement('span');
  probe.setAttribute('aria-hidden', 'true');
  probe.style.cssText = 'position:absolute;left:-9999px;top:0;visibility:hidden;white-space:nowrap;contain:layout paint';
  probe.textContent = 'Step 1 of 9 \u26a0\u283f\u2014\u2026\u00d7\u2192';
  document.body.append(probe);
  for (const face of FACES) {
    probe.className = face;
    void probe.offsetWidth; // lays out (shapes) the text in this face now
    await nextTask();
  }
  probe.remove();
}

void (async () => {
  const { createRoot } = await import('react-dom/client');
  await nextTask();
  await parsed();
  await resolveFonts();
  const { App } = await import('./ui/App.tsx');
  await nextTask();
  const root = document.getElementById('root');
  if (!root) throw new Error('index.html has no #root element');
  // In a transition, React renders the shell in slices of a few milliseconds, yielding between them:
  // its first render is no single long task either (only the commit and the layout that follows it are).
  const reactRoot = createRoot(root);
  startTransition(() =>
    reactRoot.render(
      <StrictMode>
        <App />
      </StrictMode>,
    ),
  );
})();
