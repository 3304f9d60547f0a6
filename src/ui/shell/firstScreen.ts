// The first screen in steps. The header, the graph and the step controls render first and, with
// the first run's graph, are painted first; what the first look at the machine does not need
// follows in two stages, each in a task after a painted frame: the left column (palette, actions)
// and the glyph warm-up, then the right column (the tour, the explanation and the panels). Their
// render and layout are most of the first screen's work: the graph does not wait for them, and no
// single task holds all of it; their code (shell/SideColumns.tsx) is fetched and compiled only
// once the graph is painted. The columns keep their size while empty, so the graph does not move
// when they fill.
import { useEffect, useSyncExternalStore } from 'react';
import { afterNextPaint, noFrames } from '../../store/frames.ts';
import { useSession } from '../../store/session.ts';

/**
 * How far the first screen has come (for the page's lifetime, it only grows): 0 until the first
 * run's screen is painted, 1 once it is (the first stage renders), 2 once that stage is painted.
 */
let stage = 0;
const listeners = new Set<() => void>();

function reach(to: number): void {
  if (stage >= to) return;
  stage = to;
  for (const l of listeners) l();
}

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => void listeners.delete(l);
};
const read = () => stage;

/** Calls `then` in a task of its own after the frame this render is painted in; returns a canceller. */
function afterPaintedFrame(then: () => void): () => void {
  // A hidden page paints no frames (and runs no animation callbacks): nothing to wait for.
  if (noFrames()) return afterNextPaint(then);
  // The frame after the one this render is painted in has begun (so that one is on screen), and
  // then a task of its own: what follows does not hold back the frame before it.
  let cancel = (): void => undefined;
  const frame = requestAnimationFrame(() => (cancel = afterNextPaint(then)));
  return () => {
    cancelAnimationFrame(frame);
    cancel();
  };
}

let shellPainted: () => void = () => undefined;
/**
 * Settles in the task after the frame that painted the page's first render (whatever view it is),
 * once the app calls useShellPainted: what should not compete with the first screen waits for it
 * (a long link's run, src/boot.ts).
 */
export const firstScreenPainted: Promise<void> = new Promise((resolve) => (shellPainted = resolve));

/** Settle firstScreenPainted once the frame showing this component's first render is painted (the app's root calls it). */
export function useShellPainted(): void {
  useEffect(() => afterPaintedFrame(shellPainted), []);
}

/**
 * The first screen's stages, driven from one place (the playground's shell calls it once): `left`
 * turns true in the task after the frame that painted the first run's result (its graph, or its
 * problems), once `load` (the side columns' code, fetched only then) has settled; `right` in the
 * task after the frame that painted what `left` rendered.
 */
export function useFirstScreen(load: () => Promise<unknown> = () => Promise.resolve()): { left: boolean; right: boolean } {
  const now = useSyncExternalStore(subscribe, read, read);
  // Only the first run's end matters: past the first stage a run starting or ending (every gesture)
  // does not render the shell, which calls this, again.
  const settled = useSession((s) => now > 0 || s.status !== 'running');
  useEffect(() => {
    if (now === 0 && settled) return afterPaintedFrame(() => void load().then(() => reach(1), () => reach(1)));
    if (now === 1) return afterPaintedFrame(() => reach(2));
  }, [settled, now, load]);
  return { left: now >= 1, right: now >= 2 };
}
