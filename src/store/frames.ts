// Whether the page paints frames: not without requestAnimationFrame (tests) nor on a hidden page.
// What waits for a painted frame follows at once, or in the next task, when there are none.
export const noFrames = (): boolean => typeof requestAnimationFrame !== 'function' || (typeof document !== 'undefined' && document.visibilityState === 'hidden');

/**
 * Run `then` in a task of its own once the next frame is painted (a task queued from that frame's
 * animation callback runs after its paint), or in the next task where there are no frames. Returns
 * a canceller.
 */
export function afterNextPaint(then: () => void): () => void {
  if (noFrames()) {
    const t = setTimeout(then, 0);
    return () => clearTimeout(t);
  }
  let t: ReturnType<typeof setTimeout> | undefined;
  const frame = requestAnimationFrame(() => (t = setTimeout(then, 0)));
  return () => {
    cancelAnimationFrame(frame);
    clearTimeout(t);
  };
}
