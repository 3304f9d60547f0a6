// The page's layout breakpoint, for the few views that sit in a different place in the three-column
// layout (Tailwind `lg`, 1024 px) than in the one-column layout below it.
import { useSyncExternalStore } from 'react';

export const COLUMNS_QUERY = '(min-width: 1024px)';

const media = typeof window !== 'undefined' && window.matchMedia ? window.matchMedia(COLUMNS_QUERY) : null;

const subscribe = (l: () => void) => {
  media?.addEventListener('change', l);
  return () => media?.removeEventListener('change', l);
};

/** True in the three-column layout (from 1024 px wide). */
export function useColumns(): boolean {
  return useSyncExternalStore(subscribe, () => media?.matches ?? true, () => true);
}
