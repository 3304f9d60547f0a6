// The URL always follows the scenario and the step (design.md: "nothing a user builds is ever only
// in memory"). The hash is `scenarioToHash(scenario, cursor)`, written with history.replaceState
// (stepping does not flood the back button) and debounced.
//
// Opening: a hash → decodeHash; a bad link shows an alert and keeps going with the last scenario
// this browser had open (else the built-in seed-000 demo). Bad-link UX hook: `onBadLink` below is
// the single place a link error surfaces; the store keeps it in `linkError` (see useLinkError).
import { useSyncExternalStore } from 'react';
import seed000 from '../scenario/demos/seed000-sync.json';
import { decodeHash, scenarioToHash, type LinkError } from '../scenario/codec.ts';
import type { NormalizedScenario, Scenario } from '../scenario/types.ts';
import { sessionStore, type SessionStore } from '../store/session.ts';

/** The built-in scenario a first visit opens. */
export const DEFAULT_SCENARIO = seed000 as Scenario;

const LAST_LINK_KEY = 'pnp-playground:last-link';
export const HASH_DEBOUNCE_MS = 250;

/** `#s1.<payload>&step=<n>` from a hash made without a step. */
export function withStep(base: string, step: number): string {
  return step >= 0 ? `${base}&step=${step}` : base;
}

// ---- the bad-link hook

export interface BadLink {
  error: LinkError;
  /** The hash that failed to open. */
  hash: string;
  /** What the page shows instead. */
  fallback: 'last' | 'demo' | 'current';
}

let badLink: BadLink | null = null;
const badLinkListeners = new Set<() => void>();

/** The single place a link that cannot be opened surfaces (another view polishes its UX). */
export function onBadLink(value: BadLink | null): void {
  badLink = value;
  for (const l of badLinkListeners) l();
}

/** The current bad-link error, for the alert. */
export function useBadLink(): BadLink | null {
  return useSyncExternalStore(
    (l) => {
      badLinkListeners.add(l);
      return () => badLinkListeners.delete(l);
    },
    () => badLink,
  );
}

// ---- opening

export interface Opening {
  scenario: Scenario | NormalizedScenario;
  step?: number;
}

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // storage disabled
  }
}

/** The last good scenario this browser had open (it is kept when a link is bad). */
function lastOpening(): Opening | null {
  const hash = storage()?.getItem(LAST_LINK_KEY);
  if (!hash) return null;
  const r = decodeHash(hash);
  return r.ok ? { scenario: r.scenario, ...(r.step === undefined ? {} : { step: r.step }) } : null;
}

/** What to open for this hash: the link's scenario, or (bad link) the last one / the demo, with the error reported. */
export function openingFor(hash: string): Opening {
  if (!hash || hash === '#') return { scenario: DEFAULT_SCENARIO };
  const r = decodeHash(hash);
  if (r.ok) {
    onBadLink(null);
    return { scenario: r.scenario, ...(r.step === undefined ? {} : { step: r.step }) };
  }
  const last = lastOpening();
  onBadLink({ error: r.error, hash, fallback: last ? 'last' : 'demo' });
  return last ?? { scenario: DEFAULT_SCENARIO };
}

// ---- following

/**
 * Open the page's hash in the store, then keep the hash in step with the store; follow the hash
 * when the user edits or pastes one. Returns the stop function.
 */
export function startUrlSync(store: SessionStore = sessionStore, win: Window = window): () => void {
  let written = win.location.hash;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Encoding deflates the scenario: do it once per scenario, and only append the step per step.
  let encodedFor: NormalizedScenario | null = null;
  let encoded = '';

  const write = () => {
    timer = undefined;
    const { scenario, cursor } = store.getState();
    if (!scenario) return;
    if (encodedFor !== scenario) {
      encoded = scenarioToHash(scenario);
      encodedFor = scenario;
    }
    const hash = withStep(encoded, cursor);
    storage()?.setItem(LAST_LINK_KEY, hash);
    if (hash === written) return;
    written = hash;
    win.history.replaceState(win.history.state, '', hash);
  };

  const open = (hash: string) => {
    const { scenario, step } = openingFor(hash);
    void store.getState().run(scenario, step === undefined ? {} : { cursor: step });
  };

  open(win.location.hash);

  const unsubscribe = store.subscribe((s, prev) => {
    if (s.scenario === prev.scenario && s.cursor === prev.cursor) return;
    if (timer === undefined) timer = setTimeout(write, HASH_DEBOUNCE_MS);
  });

  const onHashChange = () => {
    const hash = win.location.hash;
    if (hash === written) return;
    written = hash;
    // The user went to another link: a write still pending for the previous state must not undo it.
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    const r = decodeHash(hash);
    if (!r.ok) {
      // Keep the user's current work; say what is wrong with the link.
      onBadLink({ error: r.error, hash, fallback: 'current' });
      return;
    }
    onBadLink(null);
    void store.getState().run(r.scenario, r.step === undefined ? {} : { cursor: r.step });
  };
  win.addEventListener('hashchange', onHashChange);

  /** Write at once when the page is hidden (closing the tab within the debounce loses nothing). */
  const flush = () => {
    if (timer !== undefined) {
      clearTimeout(timer);
      write();
    }
  };
  win.addEventListener('pagehide', flush);

  return () => {
    unsubscribe();
    if (timer !== undefined) clearTimeout(timer);
    win.removeEventListener('hashchange', onHashChange);
    win.removeEventListener('pagehide', flush);
  };
}
