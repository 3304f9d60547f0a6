// Whether the page paints frames: not without requestAnimationFrame (tests) nor on a hidden page.
// What waits for a painted frame follows at once, or in the next task, when there are none.
export const noFrames = (): boolean => typeof requestAnimationFrame !== 'function' || (typeof document !== 'undefined' && document.visibilityState === 'hidden');
