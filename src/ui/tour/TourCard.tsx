// The "Start here" tour's card and the outline around the element each step talks about (Tour.tsx
// renders it while the tour is open; loaded then).
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { COLUMNS_QUERY } from '../shell/layout.ts';
import { closeTour, tourStore } from './Tour.tsx';
import { TOUR_STEPS } from './steps.ts';

interface Rect {
  top: number;
  left: number;
  width: number;
  height: number;
}

const MARGIN = 8;
/** How often the outline re-reads where its element is. */
const FOLLOW_MS = 150;

const sameRect = (a: Rect | null, b: Rect | null) =>
  a === b || (!!a && !!b && Math.round(a.top) === Math.round(b.top) && Math.round(a.left) === Math.round(b.left) && Math.round(a.width) === Math.round(b.width) && Math.round(a.height) === Math.round(b.height));

/** The outline: 4 px around the element, kept inside the window (an element as wide as the window still shows its sides). */
function outlineBox(r: Rect): Rect {
  const left = Math.max(4, r.left - 4);
  const right = Math.min(document.documentElement.clientWidth - 4, r.left + r.width + 4);
  return { top: r.top - 4, left, width: Math.max(0, right - left), height: r.height + 8 };
}

const BUTTON =
  'inline-flex h-8 items-center rounded-md border px-3 text-[13px] font-medium shadow-sm disabled:cursor-not-allowed disabled:opacity-50';
const SECONDARY = `${BUTTON} border-slate-300 bg-white text-slate-800 hover:bg-slate-50 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100 dark:hover:bg-slate-700`;
const PRIMARY = `${BUTTON} border-sky-700 bg-sky-700 text-white hover:bg-sky-800 dark:border-sky-400 dark:bg-sky-400 dark:text-slate-950 dark:hover:bg-sky-300`;

export default function TourCard({ index, asked }: { index: number; asked: boolean }) {
  const step = TOUR_STEPS[index];
  const last = index === TOUR_STEPS.length - 1;
  const id = useId();
  const card = useRef<HTMLDivElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  /** Where the outline is drawn (outlineBox of the step's element), or null. */
  const [target, setTarget] = useState<Rect | null>(null);

  const close = useCallback(() => {
    const hadFocus = card.current?.contains(document.activeElement) ?? false;
    closeTour();
    if (hadFocus) document.querySelector<HTMLElement>('[data-tour-start]')?.focus();
  }, []);

  // Follow the step's element: when anything scrolls or the window resizes, and a few times a
  // second for what moves on its own (the graph fits itself; panels grow). Read in an animation
  // frame, never while React commits: reading a position forces a layout, and the first one would
  // otherwise come before the page it measures is complete.
  useEffect(() => {
    let shown: Rect | null = null;
    let frame = 0;
    const follow = () => {
      frame = 0;
      const r = step.target(document)?.getBoundingClientRect();
      const next = r && r.width > 0 && r.height > 0 ? outlineBox(r) : null;
      if (!sameRect(shown, next)) {
        shown = next;
        setTarget(next);
      }
    };
    const soon = () => {
      if (!frame) frame = requestAnimationFrame(follow);
    };
    soon();
    const timer = setInterval(soon, FOLLOW_MS);
    window.addEventListener('scroll', soon, { capture: true, passive: true });
    window.addEventListener('resize', soon);
    return () => {
      clearInterval(timer);
      cancelAnimationFrame(frame);
      window.removeEventListener('scroll', soon, { capture: true });
      window.removeEventListener('resize', soon);
    };
  }, [step]);

  // Bring the step's element into view: in its own scrolling column, or in the page above the card.
  useEffect(() => {
    const el = step.target(document);
    if (!el) return;
    if (window.matchMedia(COLUMNS_QUERY).matches) {
      el.scrollIntoView({ block: 'nearest' });
      return;
    }
    const r = el.getBoundingClientRect();
    const bottom = window.innerHeight - (card.current?.offsetHeight ?? 0) - 2 * MARGIN;
    if (r.top < 0 || r.bottom > bottom) window.scrollBy({ top: r.top - Math.max(MARGIN, (bottom - r.height) / 2), behavior: 'instant' });
  }, [step]);

  // Opened by the user: focus goes to the tour (not when it is offered on arrival).
  useEffect(() => {
    if (asked) heading.current?.focus();
  }, [asked]);

  // Escape closes it, unless something else (a modal dialog, a menu) took the key.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented || document.querySelector('dialog[open]')) return;
      e.preventDefault();
      close();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [close]);

  const go = (to: number) => tourStore.setState({ index: to });

  return (
    <>
      {target &&
        createPortal(
          <div
            aria-hidden="true"
            data-testid="tour-spotlight"
            className="pnp-tour-spotlight pointer-events-none fixed z-40 rounded-lg ring-[3px] ring-sky-600 ring-offset-2 ring-offset-white dark:ring-sky-400 dark:ring-offset-slate-950"
            style={target}
          />,
          document.body,
        )}
      <div
        ref={card}
        role="dialog"
        aria-modal="false"
        aria-label="Start here"
        aria-describedby={`${id}-body`}
        className="pnp-tour fixed inset-x-2 bottom-2 z-50 rounded-xl border-2 border-sky-600 bg-white p-3 text-[13px] text-slate-900 shadow-xl dark:border-sky-400 dark:bg-slate-900 dark:text-slate-100 lg:static lg:z-auto lg:m-2 lg:shrink-0 lg:p-2.5 lg:shadow-md"
      >
        <div aria-live="polite">
          <p className="text-[11.5px] font-semibold uppercase tracking-wide text-sky-800 dark:text-sky-300">
            Start here · {index + 1} of {TOUR_STEPS.length}
          </p>
          <h2 ref={heading} tabIndex={-1} className="mt-0.5 text-[15px] font-semibold leading-snug outline-none">
            {step.title}
          </h2>
          <p id={`${id}-body`} className="mt-1 leading-normal text-slate-700 dark:text-slate-300">
            {step.body}
          </p>
        </div>
        <div className="mt-2 flex flex-wrap items-center gap-2">
          <button type="button" className={`${SECONDARY} mr-auto border-transparent shadow-none dark:border-transparent`} onClick={close}>
            Skip tour
          </button>
          <button type="button" className={SECONDARY} onClick={() => go(index - 1)} disabled={index === 0}>
            Back
          </button>
          {last ? (
            <button type="button" className={PRIMARY} onClick={close}>
              Done
            </button>
          ) : (
            <button type="button" className={PRIMARY} onClick={() => go(index + 1)}>
              Next
            </button>
          )}
        </div>
      </div>
    </>
  );
}
