// The first screen in two steps. The header, the graph and the step controls render first and,
// with the first run's graph, are painted first; what the first look at the machine does not need
// (the side columns: palette, actions, explanation, panels, the tour; the glyph warm-up) renders in
// the task after that frame is painted. Their render and layout are most of the first screen's
// work, and the graph no longer waits for them. The columns keep their size while empty, so the
// graph does not move when they fill.
import { useEffect, useSyncExternalStore } from 'react';
import { noFrames } from '../../store/frames.ts';
import { useSession } from '../../store/session.ts';

/** The first run's screen has been painted (for the page's lifetime once true). */
let painted = false;
const listeners = new Set<() => void>();

function markPainted(): void {
  if (painted) return;
  painted = true;
  for (const l of listeners) l();
}

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => void listeners.delete(l);
};
const read = () => painted;

/**
 * False until the task after the frame that painted the first run's result (its graph, or its
 * problems), then true. Every caller turns true in the same render.
 */
export function useFirstRunPainted(): boolean {
  const settled = useSession((s) => s.status !== 'running');
  const on = useSyncExternalStore(subscribe, read, read);
  useEffect(() => {
    if (on || !settled) return;
    // A hidden page paints no frames (and runs no animation callbacks): nothing to wait for.
    if (noFrames()) {
      const t = setTimeout(markPainted, 0);
      return () => clearTimeout(t);
    }
    // The frame after the one this render is painted in has begun (so that one is on screen), and
    // then a task of its own: the rest of the screen does not hold back the frame that shows the graph.
    let t: ReturnType<typeof setTimeout> | undefined;
    let frame = requestAnimationFrame(() => (frame = requestAnimationFrame(() => (t = setTimeout(markPainted, 0)))));
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(t);
    };
  }, [settled, on]);
  return on;
}
