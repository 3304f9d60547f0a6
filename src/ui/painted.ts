// A value that follows another once the frame showing the change has been painted and the change
// has rested.
import { startTransition, useEffect, useRef, useState } from 'react';
import { afterNextPaint } from '../store/frames.ts';

/** How long a change must rest before what follows it at leisure is shown. */
export interface Rest {
  /** For how long no newer change may come (ms, from the latest one). */
  ms: number;
  /** Whether a newer change is on its way (it counts as one coming now). */
  pending(): boolean;
}

const NO_REST: Rest = { ms: 0, pending: () => false };

/**
 * `value`, as of the last frame painted: when `value` changes, the old one is returned until the
 * frame that shows the render which changed it has been painted and the change has rested for
 * `rest.ms` (no newer value, nothing `rest.pending()`); then, right after a painted frame, a render
 * of its own (a transition: interruptible, restarted if `value` moves again) shows the latest
 * value. What reads it renders after what the user acted on is on screen, never in front of it,
 * and not while the user keeps moving (a key held, the scrubber dragged): it catches up once they
 * pause. Changes that come while one is waiting are shown together, once, by the latest value.
 * Without frames (tests, a hidden page) it follows in the next task after the rest.
 */
export function useAfterPaint<T>(value: T, rest: Rest = NO_REST): T {
  const [shown, setShown] = useState(value);
  const latest = useRef(value);
  const changedAt = useRef(0);
  const waiting = useRef(false);
  const restRef = useRef(rest);
  useEffect(() => {
    restRef.current = rest;
  });
  useEffect(() => {
    if (!Object.is(latest.current, value)) changedAt.current = performance.now();
    latest.current = value;
    if (Object.is(value, shown) || waiting.current) return;
    waiting.current = true;
    const settle = () => {
      const { ms, pending } = restRef.current;
      const now = performance.now();
      if (pending()) changedAt.current = now;
      const left = changedAt.current + ms - now;
      if (left > 0) {
        // Still moving: look again once the rest could be over, right after a painted frame.
        setTimeout(() => afterNextPaint(settle), left);
        return;
      }
      waiting.current = false;
      startTransition(() => setShown(latest.current));
    };
    afterNextPaint(settle);
  }, [value, shown]);
  return shown;
}
