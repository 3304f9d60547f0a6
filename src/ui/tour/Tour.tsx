// "Start here": a short tour of the page, offered on a first visit (no link, nothing saved) and
// reopened by the header's "Start here" button. It is a non-modal dialog named "Start here" that
// never blocks the page: it sits in the page's flow at the top of the right column (one column: at
// the bottom of the window), nothing is inert, focus is never trapped; each step outlines the real
// element it talks about (the outline lets clicks through); Escape, "Skip tour" or "Done" closes it;
// and a browser that has been offered it once is not offered it again (localStorage).
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { COLUMNS_QUERY } from '../shell/layout.ts';
import { TOUR_STEPS } from './steps.ts';

export const TOUR_SEEN_KEY = 'pnp-playground:tour-seen';

interface TourState {
  open: boolean;
  index: number;
  /** Opened by the user (focus goes to the tour), not offered on arrival. */
  asked: boolean;
}

export const tourStore = createStore<TourState>()(() => ({ open: false, index: 0, asked: false }));

function remember(): void {
  try {
    globalThis.localStorage?.setItem(TOUR_SEEN_KEY, '1');
  } catch {
    // storage disabled or full: the tour may be offered again, nothing else
  }
}

/** Whether this browser has been offered the tour already (unreadable storage: say yes, never nag). */
export function tourSeen(): boolean {
  try {
    return globalThis.localStorage?.getItem(TOUR_SEEN_KEY) === '1';
  } catch {
    return true;
  }
}

export const useTourOpen = (): boolean => useStore(tourStore, (t) => t.open);

export function openTour(asked: boolean): void {
  tourStore.setState({ open: true, index: 0, asked });
  remember();
}

export function closeTour(): void {
  tourStore.setState({ open: false });
}

/** Offer the tour on a first visit (once per browser). */
export function offerTour(firstVisit: boolean): void {
  if (firstVisit && !tourSeen()) openTour(false);
}

export function StartHereButton({ className }: { className: string }) {
  return (
    <button type="button" className={`${className} gap-1.5 whitespace-nowrap`} data-tour-start onClick={() => openTour(true)} title="A short tour of the page">
      <svg aria-hidden="true" viewBox="0 0 16 16" className="size-4 shrink-0 fill-current">
        <path d="M3 1.5h1.5V15H3zM5.5 2h7.2l-1.6 3 1.6 3H5.5z" />
      </svg>
      {/* The name stays "Start here" at every width; the text shows where the header has room. */}
      <span className="lg:max-xl:sr-only">Start here</span>
    </button>
  );
}

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

/**
 * The tour, where the page renders it: at the top of the right column (in the flow, so it covers
 * nothing), or, in the one-column layout, fixed at the bottom of the window. The outline around
 * the step's element is drawn over the page and lets every click through.
 */
export function Tour() {
  const open = useStore(tourStore, (t) => t.open);
  const index = useStore(tourStore, (t) => t.index);
  const asked = useStore(tourStore, (t) => t.asked);
  if (!open) return null;
  return <TourCard index={index} asked={asked} />;
}

function TourCard({ index, asked }: { index: number; asked: boolean }) {
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
