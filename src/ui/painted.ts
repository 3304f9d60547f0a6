// A value that follows another once the frame showing the change has been painted.
import { startTransition, useEffect, useRef, useState } from 'react';
import { afterNextPaint } from '../store/frames.ts';

/**
 * `value`, as of the last frame painted: when `value` changes, the old one is returned until the
 * frame that shows the render which changed it has been painted; then a render of its own (a
 * transition: interruptible, restarted if `value` moves again) shows the latest value. What reads
 * it renders after what the user acted on is on screen, never in front of it. Changes that come
 * while one is waiting for its frame are shown together, once, by the latest value. Without frames
 * (tests, a hidden page) it follows in the next task.
 */
export function useAfterPaint<T>(value: T): T {
  const [shown, setShown] = useState(value);
  const latest = useRef(value);
  const waiting = useRef(false);
  useEffect(() => {
    latest.current = value;
    if (Object.is(value, shown) || waiting.current) return;
    waiting.current = true;
    const show = () => {
      waiting.current = false;
      startTransition(() => setShown(latest.current));
    };
    afterNextPaint(show);
  }, [value, shown]);
  return shown;
}
