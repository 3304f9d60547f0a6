// The panels the first screen does not show (the Threads, Sequence, Code and Interleavings tabs; the
// bug check overlay; the outcome comparison; the quiz) load on demand, so the page's first download is smaller. preloadPanels() fetches them
// once the browser is idle after the first screen, so opening a tab later does not wait.
import { lazy } from 'react';

const threads = () => import('./ThreadsPanel.tsx');
const sequence = () => import('./SequencePanel.tsx');
const code = () => import('./CodePanel.tsx');
const hazard = () => import('./HazardOverlay.tsx');
const compare = () => import('./CompareOutcomes.tsx');
const interleavings = () => import('./InterleavingsPanel.tsx');
/** The quiz ("Predict, then see"): shown only while it is on (App.tsx). */
let quizModule: typeof import('../quiz/Quiz.tsx') | null = null;
const quiz = () => import('../quiz/Quiz.tsx').then((m) => (quizModule = m));

export const ThreadsPanel = lazy(() => threads().then((m) => ({ default: m.ThreadsPanel })));
export const SequencePanel = lazy(() => sequence().then((m) => ({ default: m.SequencePanel })));
export const CodePanel = lazy(() => code().then((m) => ({ default: m.CodePanel })));
export const HazardOverlay = lazy(() => hazard().then((m) => ({ default: m.HazardOverlay })));
export const CompareOutcomes = lazy(() => compare().then((m) => ({ default: m.CompareOutcomes })));
export const InterleavingsPanel = lazy(() => interleavings().then((m) => ({ default: m.InterleavingsPanel })));
/**
 * Once preloaded, the quiz shows in the render that turns it on, as a static import would: its lazy
 * component then gets a thenable that settles at once (React reads a synchronously settled one
 * without suspending), so its room above the step controls is taken in one step.
 */
export const QuizPanel = lazy(() => {
  const Panel = quizModule?.QuizPanel;
  if (!Panel) return quiz().then((m) => ({ default: m.QuizPanel }));
  return { then: (resolve: (m: { default: typeof Panel }) => void) => resolve({ default: Panel }) } as Promise<{ default: typeof Panel }>;
});

let preloaded = false;

/** Fetch the on-demand panels when the browser is idle (once). */
export function preloadPanels(): void {
  if (preloaded) return;
  preloaded = true;
  const load = () => void Promise.all([threads(), sequence(), code(), hazard(), quiz()]).catch(() => (preloaded = false));
  if (typeof requestIdleCallback === 'function') requestIdleCallback(load, { timeout: 2_000 });
  else setTimeout(load, 200);
}
