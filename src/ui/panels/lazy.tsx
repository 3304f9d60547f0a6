// The panels the first screen does not show (the Threads, Sequence, Code and Interleavings tabs; the
// bug check overlay; the outcome comparison) load on demand, so the page's first download is smaller. preloadPanels() fetches them
// once the browser is idle after the first screen, so opening a tab later does not wait.
import { lazy } from 'react';

const threads = () => import('./ThreadsPanel.tsx');
const sequence = () => import('./SequencePanel.tsx');
const code = () => import('./CodePanel.tsx');
const hazard = () => import('./HazardOverlay.tsx');
const compare = () => import('./CompareOutcomes.tsx');
const interleavings = () => import('./InterleavingsPanel.tsx');

export const ThreadsPanel = lazy(() => threads().then((m) => ({ default: m.ThreadsPanel })));
export const SequencePanel = lazy(() => sequence().then((m) => ({ default: m.SequencePanel })));
export const CodePanel = lazy(() => code().then((m) => ({ default: m.CodePanel })));
export const HazardOverlay = lazy(() => hazard().then((m) => ({ default: m.HazardOverlay })));
export const CompareOutcomes = lazy(() => compare().then((m) => ({ default: m.CompareOutcomes })));
export const InterleavingsPanel = lazy(() => interleavings().then((m) => ({ default: m.InterleavingsPanel })));

let preloaded = false;

/** Fetch the on-demand panels when the browser is idle (once). */
export function preloadPanels(): void {
  if (preloaded) return;
  preloaded = true;
  const load = () => void Promise.all([threads(), sequence(), code(), hazard()]).catch(() => (preloaded = false));
  if (typeof requestIdleCallback === 'function') requestIdleCallback(load, { timeout: 2_000 });
  else setTimeout(load, 200);
}
