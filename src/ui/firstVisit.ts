// Whether this page load opens the built-in demo: no link in the address and no scenario saved by
// an earlier visit. Nothing heavy is imported: the page's entry (src/main.tsx) asks before anything else loads,
// because that opening's first answer ships with the page (src/worker/firstAnswer.ts) and its
// engine worker starts later.
import { isEmbed } from './embed/isEmbed.ts';

export const LAST_LINK_KEY = 'pnp-playground:last-link';

export function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // storage disabled
  }
}

/** The stored last link, or null; never throws (storage disabled, or a getter that throws). */
export function readLast(store: Storage | null): string | null {
  try {
    const v = store?.getItem(LAST_LINK_KEY);
    return typeof v === 'string' && v.length > 0 ? v : null;
  } catch {
    return null;
  }
}

/**
 * A hash carries a link unless it is empty or only `name=value` parameters (`#embed=1`): every other
 * prefix (`#x1.…`, `#S1.…`) is a link that does not open, reported the same on a first visit as on
 * a hash change.
 */
export const hasLink = (hash: string): boolean => {
  const first = hash.replace(/^#/, '').split('&')[0];
  return first.length > 0 && !first.includes('=');
};

/**
 * A first visit: no link in the address and no scenario saved by an earlier visit (the page then
 * opens the built-in demo, and the "Start here" tour offers itself).
 */
export function isFirstVisit(hash: string, store: Storage | null = storage()): boolean {
  return !hasLink(hash) && readLast(store) === null;
}

/**
 * Does this page load open the built-in demo as a first visit in the full playground (not the
 * read-only embed)? Then the run's input is exactly DEFAULT_SCENARIO, whose answer the page carries.
 */
export function opensBuiltInDemo(location: { search: string; hash: string }, store: Storage | null = storage()): boolean {
  return !isEmbed(location) && isFirstVisit(location.hash, store);
}
