// The URL always follows the scenario and the step (docs/architecture.md: "nothing a user builds is ever only
// in memory"). The hash is `scenarioToHash(scenario, cursor)`, written with history.replaceState
// (stepping does not flood the back button) and debounced. An edit (a gesture, an Apply, a demo)
// adds a history entry instead (history.ts): Undo / Back and Redo / Forward walk the edits.
//
// Opening: a hash → decodeHash; no hash → the last scenario and step this browser had open
// (localStorage, saved with the URL), else the built-in seed-000 demo at its teaching moment (its
// first callback: a processor dropped there is hot-added while the callback is registered); a bad link shows an alert
// and keeps going with the last scenario (else the demo). Bad-link UX hook: `onBadLink` below is
// the single place a link error surfaces; `restorePrevious` goes back to the work it replaced.
// Storage is best effort: a full quota, disabled storage or a corrupt stored value is ignored.
import { useSyncExternalStore } from 'react';
import seed000 from '../scenario/demos/seed000-sync.json';
import { decodeHash, scenarioToHash, type LinkError } from '../scenario/codec.ts';
import type { TraceEntry } from '../engine/trace.ts';
import type { NormalizedScenario, Scenario } from '../scenario/types.ts';
import { adoptEntry, followEntry, pushEntry } from './history.ts';
import { callbackSeqs } from './stepper/model.ts';
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
  /** The scenario and step the person had before the link (what "Go back" restores), if any. */
  previous?: Opening | null;
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
  /** Where to open when there is no step: a function of the trace (the first visit's teaching moment). */
  start?: (trace: readonly TraceEntry[]) => number;
}

/** The first visit: seed 000 at its first callback. */
export function firstVisit(): Opening {
  return { scenario: DEFAULT_SCENARIO, start: (trace) => callbackSeqs(trace)[0] ?? 0 };
}

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // storage disabled
  }
}

/** The stored last link, or null; never throws (storage disabled, or a getter that throws). */
function readLast(store: Storage | null): string | null {
  try {
    const v = store?.getItem(LAST_LINK_KEY);
    return typeof v === 'string' && v.length > 0 ? v : null;
  } catch {
    return null;
  }
}

/** Save the last link; a full quota or disabled storage only means nothing is saved. */
function saveLast(store: Storage | null, hash: string): void {
  try {
    store?.setItem(LAST_LINK_KEY, hash);
  } catch {
    // QuotaExceededError, SecurityError: the URL still has the scenario.
  }
}

function forgetLast(store: Storage | null): void {
  try {
    store?.removeItem(LAST_LINK_KEY);
  } catch {
    // ignore
  }
}

/**
 * The last good scenario this browser had open (it is kept when a link is bad). A corrupt stored
 * value is dropped; `onDropped` hears why.
 */
export function lastOpening(store: Storage | null = storage(), onDropped?: (why: string) => void): Opening | null {
  const hash = readLast(store);
  if (!hash) return null;
  const r = decodeHash(hash);
  if (!r.ok) {
    forgetLast(store);
    onDropped?.(r.error.message);
    return null;
  }
  return { scenario: r.scenario, ...(r.step === undefined ? {} : { step: r.step }) };
}

/**
 * What to open for this hash: the link's scenario; no hash, the last scenario and step (else the
 * demo); a bad link, the last one / the demo, with the error reported.
 */
export function openingFor(hash: string, store: Storage | null = storage()): Opening {
  return resolveOpening(hash, store).opening;
}

/** Where an opening came from: a link in the address, the saved last scenario, or the built-in demo. */
type Source = 'link' | 'saved' | 'demo';

/**
 * A hash carries a link unless it is empty or only `name=value` parameters (`#embed=1`): every other
 * prefix (`#x1.…`, `#S1.…`) is a link that does not open, reported the same on a first visit as on
 * a hash change.
 */
export const hasLink = (hash: string): boolean => {
  const first = hash.replace(/^#/, '').split('&')[0];
  return first.length > 0 && !first.includes('=');
};

function resolveOpening(hash: string, store: Storage | null, onDropped?: (why: string) => void): { opening: Opening; source: Source } {
  const saved = (): { opening: Opening; source: Source } => {
    const last = lastOpening(store, onDropped);
    return last ? { opening: last, source: 'saved' } : { opening: firstVisit(), source: 'demo' };
  };
  if (!hasLink(hash)) {
    onBadLink(null);
    return saved();
  }
  const r = decodeHash(hash);
  if (r.ok) {
    onBadLink(null);
    return { opening: { scenario: r.scenario, ...(r.step === undefined ? {} : { step: r.step }) }, source: 'link' };
  }
  const fallback = saved();
  const last = fallback.source === 'saved' ? fallback.opening : null;
  onBadLink({ error: r.error, hash, fallback: last ? 'last' : 'demo', previous: last });
  return fallback;
}

/** Why the store could not show a run it was asked for (after `run` resolved false), or null if it was superseded. */
function runFailure(store: SessionStore): LinkError | null {
  const s = store.getState();
  if (s.status === 'invalid') return { kind: 'invalid', message: 'The scenario cannot be run.', errors: [...s.errors] };
  if (s.status === 'error') return { kind: 'cannot-run', message: s.message ?? 'The engine failed.' };
  return null;
}

export interface UrlSyncOptions {
  /**
   * Read-only pages (the embed): open the link and follow hash changes, but never rewrite the
   * address nor touch the saved last scenario.
   */
  readOnly?: boolean;
  storage?: Storage | null;
}

let restoreHook: (() => void) | null = null;

/** "Go back to your previous scenario": reopen what the person had before the bad link. */
export function restorePrevious(): void {
  restoreHook?.();
}

// ---- following

/**
 * Open the page's hash in the store, then keep the hash in step with the store; follow the hash
 * when the user edits or pastes one. Returns the stop function.
 */
export function startUrlSync(store: SessionStore = sessionStore, win: Window = window, options: UrlSyncOptions = {}): () => void {
  const readOnly = options.readOnly ?? false;
  const saved = 'storage' in options ? (options.storage ?? null) : storage();
  let written = win.location.hash;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Encoding deflates the scenario: do it once per scenario, and only append the step per step.
  let encodedFor: NormalizedScenario | null = null;
  let encoded = '';

  const write = () => {
    timer = undefined;
    const { scenario, cursor } = store.getState();
    if (!scenario) return;
    const hash = hashOf(scenario, cursor);
    if (readOnly) return;
    // The address changed under us (a link was opened) and its hashchange has not run yet: writing
    // now would overwrite that link before it is read. Its hashchange decides what to show.
    if (win.location.hash !== written) return;
    saveLast(saved, hash);
    if (hash === written) return;
    written = hash;
    win.history.replaceState(win.history.state, '', hash);
  };

  const runOpening = (o: Opening) =>
    store.getState().run(o.scenario, o.step !== undefined ? { cursor: o.step } : o.start ? { cursor: o.start } : {});

  /**
   * First visit: open the link (else the saved scenario, else the demo). Whatever cannot be shown
   * falls back, so the page always opens to something usable: a link that decodes but cannot run
   * gets the alert and the last scenario or the demo; a saved scenario that cannot be read or run is
   * dropped with a notice.
   */
  const open = async (hash: string) => {
    const from = readOnly ? null : saved;
    const dropNotice = (why: string) =>
      store.getState().notify('warning', `Your last scenario could not be opened again (${why.replace(/[.\s]+$/, '')}); it was dropped, and the built-in demo opened instead.`);
    const { opening, source } = resolveOpening(hash, from, dropNotice);
    if (await runOpening(opening)) return;
    const failure = runFailure(store);
    if (!failure || source === 'demo') return;
    let next: Opening = firstVisit();
    if (source === 'saved') {
      forgetLast(from);
      dropNotice(failure.errors?.[0]?.message ?? failure.message);
    } else {
      const last = lastOpening(from, dropNotice);
      onBadLink({ error: failure, hash, fallback: last ? 'last' : 'demo', previous: last });
      if (last) next = last;
    }
    if (await runOpening(next)) return;
    if (next.scenario !== DEFAULT_SCENARIO && runFailure(store)) {
      forgetLast(from);
      await runOpening(firstVisit());
    }
  };

  /** Back to the scenario the bad link would have replaced: run it if needed, and put its link in the address. */
  restoreHook = () => {
    const previous = badLink?.previous;
    onBadLink(null);
    if (!previous) return;
    const s = store.getState();
    const base = scenarioToHash(previous.scenario);
    // Still showing it (the page kept it): only the address needs fixing; else run it again.
    const showing = s.scenario !== null && scenarioToHash(s.scenario) === base;
    if (!showing) void s.run(previous.scenario, { cursor: previous.step ?? 0, select: null });
    if (readOnly) return;
    // Write the good link now (the store may not change, so the debounced write may not come).
    const hash = withStep(base, showing ? s.cursor : (previous.step ?? 0));
    written = hash;
    win.history.replaceState(win.history.state, '', hash);
  };

  if (!readOnly) adoptEntry(win);
  void open(win.location.hash);

  const hashOf = (scenario: NormalizedScenario, cursor: number) => {
    if (encodedFor !== scenario) {
      encoded = scenarioToHash(scenario);
      encodedFor = scenario;
    }
    return withStep(encoded, cursor);
  };

  const unsubscribe = store.subscribe((s, prev) => {
    if (s.scenario === prev.scenario && s.cursor === prev.cursor) return;
    if (!readOnly && s.edits !== prev.edits && s.scenario && win.location.hash === written) {
      // An edit: the entry we leave keeps the scenario and step the user had; a new entry has the edit.
      if (timer !== undefined) {
        clearTimeout(timer);
        timer = undefined;
      }
      if (prev.scenario) {
        const before = hashOf(prev.scenario, prev.cursor);
        if (before !== written) win.history.replaceState(win.history.state, '', before);
      }
      const hash = hashOf(s.scenario, s.cursor);
      written = hash;
      pushEntry(win, hash);
      saveLast(saved, hash);
      return;
    }
    if (timer === undefined) timer = setTimeout(write, HASH_DEBOUNCE_MS);
  });

  const onPopState = () => {
    if (!readOnly) followEntry(win);
  };
  win.addEventListener('popstate', onPopState);

  const onHashChange = () => {
    if (!readOnly) followEntry(win);
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
      const { scenario, cursor } = store.getState();
      onBadLink({ error: r.error, hash, fallback: 'current', previous: scenario ? { scenario, step: cursor } : null });
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
    restoreHook = null;
    unsubscribe();
    if (timer !== undefined) clearTimeout(timer);
    win.removeEventListener('hashchange', onHashChange);
    win.removeEventListener('popstate', onPopState);
    win.removeEventListener('pagehide', flush);
  };
}
