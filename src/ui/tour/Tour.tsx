// "Start here": a short tour of the page, offered on a first visit (no link, nothing saved) and
// reopened by the header's "Start here" button. It is a non-modal dialog named "Start here" that
// never blocks the page: it sits in the page's flow at the top of the right column (one column: at
// the bottom of the window), nothing is inert, focus is never trapped; each step outlines the real
// element it talks about (the outline lets clicks through); Escape, "Skip tour" or "Done" closes it;
// and a browser that has been offered it once is not offered it again (localStorage).
import { lazy, Suspense } from 'react';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';

/** The card and its steps load when the tour first opens (a first visit, or "Start here"). */
const loadCard = () => import('./TourCard.tsx');
const TourCard = lazy(loadCard);

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

/** Fetch the card's code now if offerTour(firstVisit) will open it (so it is there when it opens). */
export function preloadTour(firstVisit: boolean): void {
  if (firstVisit && !tourSeen()) void loadCard().catch(() => undefined);
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
  return (
    <Suspense fallback={null}>
      <TourCard index={index} asked={asked} />
    </Suspense>
  );
}
