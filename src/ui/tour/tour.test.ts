// The tour is offered once per browser, on a first visit only; storage that fails never makes it nag.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { closeTour, offerTour, openTour, TOUR_SEEN_KEY, tourSeen, tourStore } from './Tour.tsx';
import { TOUR_STEPS } from './steps.ts';

function stubStorage(init: Record<string, string> = {}, broken = false): Map<string, string> {
  const data = new Map(Object.entries(init));
  const fail = () => {
    throw new Error('SecurityError');
  };
  vi.stubGlobal('localStorage', {
    getItem: (k: string) => (broken ? fail() : (data.get(k) ?? null)),
    setItem: (k: string, v: string) => (broken ? fail() : void data.set(k, v)),
    removeItem: (k: string) => void data.delete(k),
  });
  return data;
}

afterEach(() => {
  vi.unstubAllGlobals();
  tourStore.setState({ open: false, index: 0, asked: false });
});

describe('Start here tour', () => {
  it('is offered on a first visit, once: the browser remembers it', () => {
    const data = stubStorage();
    offerTour(true);
    expect(tourStore.getState()).toMatchObject({ open: true, index: 0, asked: false });
    expect(data.get(TOUR_SEEN_KEY)).toBe('1');
    closeTour();
    offerTour(true);
    expect(tourStore.getState().open).toBe(false);
  });

  it('is not offered on a later visit or when storage fails, and the button always opens it', () => {
    stubStorage();
    offerTour(false);
    expect(tourStore.getState().open).toBe(false);
    stubStorage({}, true);
    expect(tourSeen()).toBe(true);
    offerTour(true);
    expect(tourStore.getState().open).toBe(false);
    openTour(true);
    expect(tourStore.getState()).toMatchObject({ open: true, index: 0, asked: true });
  });

  it('walks the partition, a processor, callbacks, the Explanation, Demos and Copy link', () => {
    expect(TOUR_STEPS.map((s) => s.id)).toEqual(['partition', 'processor', 'callbacks', 'explanation', 'demos', 'copy-link']);
    expect(TOUR_STEPS[1].body).toMatch(/press Enter/);
  });
});
