// The URL always follows the scenario and the step (docs/architecture.md: "nothing a user builds is ever only
// in memory"). The hash is the scenario's link (made by the engine worker after each run's
// result: the store's `link`) plus `&step=<cursor>`, written with history.replaceState (stepping does not flood
// the back button) HASH_DEBOUNCE_MS after the last change. An edit (a gesture, an Apply, a demo)
// adds a history entry instead (history.ts): Undo / Back and Redo / Forward walk the edits.
//
// Opening: a hash → readLink; no hash → the last scenario and step this browser had open
// (localStorage, saved with the URL), else the built-in seed-000 demo at its teaching moment (its
// first callback: a processor dropped there is hot-added while the callback is registered); a bad link shows an alert
// and keeps going with the last scenario (else the demo). The page never validates: the worker does
// when it runs the scenario, and a link whose scenario it refuses is a bad link too
// (invalidLinkError). Bad-link UX hook: `onBadLink` below is the single place a link error
// surfaces; `restorePrevious` goes back to the work it replaced. Storage is best effort: a full
// quota, disabled storage or a corrupt stored value is ignored.
import { useSyncExternalStore } from 'react';
import { DEFAULT_SCENARIO } from '../scenario/defaultScenario.ts';
import { invalidLinkError, withStep, type LinkError } from '../scenario/linkText.ts';
import { LINK_READER_FAILED, linkReaderLoaded, loadLinkReader, readLink } from './linkReader.ts';
import type { TraceEntry } from '../engine/trace.ts';
import { adoptEntry, afterPaint, flushWrites, followEntry, pushEntry, reserveEntry } from './history.ts';
import { callbackSeqs } from './stepper/model.ts';
import { sessionStore, type SessionState, type SessionStore } from '../store/session.ts';
import { setView, viewOfHash, viewParams, viewStore, type View } from './view.ts';
import { hasLink, isFirstVisit, LAST_LINK_KEY, readLast, storage } from './firstVisit.ts';

export { DEFAULT_SCENARIO, hasLink, isFirstVisit };
export const HASH_DEBOUNCE_MS = 250;

export { withStep };

/** The page's hash for a link and a step: `#s1.<payload>&step=N` and the view's parameters (view.ts). */
export function pageHash(link: string, cursor: number, view: View = viewStore.getState()): string {
  return withStep(link, cursor) + viewParams(view);
}

/** The link of a hash without its parameters (`#s1.<payload>`). */
const linkOf = (hash: string) => (hash.startsWith('#') ? hash : `#${hash}`).replace(/&.*$/s, '');

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
  /** The scenario as JSON data (the worker validates it when it runs). */
  scenario: unknown;
  step?: number;
  /** Where to open when there is no step: a function of the trace (the first visit's teaching moment). */
  start?: (trace: readonly TraceEntry[]) => number;
  /** Its link without the step, when it came from one ("Go back" compares it with the store's). */
  link?: string;
  /** Where it came from: the page's link, the last scenario of this browser, the built-in demo, or what the page showed. */
  from: 'link' | 'last' | 'demo' | 'current';
  /** What its hash says about the view (selected panel, Presenter mode, Code beside the graph). */
  view?: Partial<View>;
}

/** The first visit: seed 000 at its first callback. */
export function firstVisit(): Opening {
  return { scenario: DEFAULT_SCENARIO, start: (trace) => callbackSeqs(trace)[0] ?? 0, from: 'demo' };
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
  const r = readLink(hash);
  if (!r.ok) {
    forgetLast(store);
    onDropped?.(r.error.message);
    return null;
  }
  return { scenario: r.value, ...(r.step === undefined ? {} : { step: r.step }), link: linkOf(hash), from: 'last', view: viewOfHash(hash) };
}

/**
 * What to open for this hash: the link's scenario; no hash, the last scenario and step (else the
 * demo); a bad link, the last one / the demo, with the error reported.
 */
export function openingFor(hash: string, store: Storage | null = storage(), onDropped?: (why: string) => void): Opening {
  if (!hasLink(hash)) {
    onBadLink(null);
    return lastOpening(store, onDropped) ?? firstVisit();
  }
  const r = readLink(hash);
  if (r.ok) {
    onBadLink(null);
    return { scenario: r.value, ...(r.step === undefined ? {} : { step: r.step }), link: linkOf(hash), from: 'link', view: viewOfHash(hash) };
  }
  return badLinkOpening(r.error, hash, store, onDropped);
}

let firstVisitOpened = false;

/**
 * Whether the page opened on a first visit (isFirstVisit, read by startUrlSync before it opened
 * anything or saved its first scenario): the "Start here" tour then offers itself.
 */
export const openedOnFirstVisit = (): boolean => firstVisitOpened;

/** A link that cannot be opened: report it, and open the last scenario instead (else the demo). */
function badLinkOpening(error: LinkError, hash: string, store: Storage | null, onDropped?: (why: string) => void): Opening {
  const last = lastOpening(store, onDropped);
  onBadLink({ error, hash, fallback: last ? 'last' : 'demo', previous: last });
  return last ?? firstVisit();
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
  /**
   * Settles once the page's first screen is painted (src/ui/shell/firstScreen.ts): a first visit
   * whose run will be long (longRun) sends it to the engine only then, and every opening tells the
   * engine its result is shown only after it (the store's `onScreen`). Without it, no wait.
   */
  firstScreen?: Promise<unknown>;
}

/** (drivers + apps + 1) × timeline actions from which a scenario's run counts as long (longRun). */
export const LONG_RUN_WORK = 5_000;

/**
 * May this scenario's run be long (tens of thousands of entries)? Every timeline action can notify
 * every component, so (components + 1) × actions bounds what the run can deliver: the built-in
 * demos are at most 20, 256 processors with 64 added devices (2,922 entries) 4,422, the 40-driver,
 * 310-action stress scenario (101,349 entries) 12,710. Read from the raw, unvalidated scenario:
 * anything it cannot read counts as short.
 */
export function longRun(scenario: unknown): boolean {
  if (typeof scenario !== 'object' || scenario === null) return false;
  const { drivers, apps, timeline } = scenario as { drivers?: unknown; apps?: unknown; timeline?: unknown };
  const count = (x: unknown) => (typeof x === 'object' && x !== null && !Array.isArray(x) ? Object.keys(x).length : 0);
  const actions = Array.isArray(timeline) ? timeline.length : 0;
  return (count(drivers) + count(apps) + 1) * actions >= LONG_RUN_WORK;
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
  const last = readOnly ? null : saved;
  let written = win.location.hash;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const write = () => {
    timer = undefined;
    flushWrites(); // an edit's entry waiting for its paint goes first
    const { scenario, link, cursor } = store.getState();
    if (!scenario || !link) return;
    const hash = pageHash(link, cursor);
    if (readOnly) return;
    // The address changed under us (a link was opened) and its hashchange has not run yet: writing
    // now would overwrite that link before it is read. Its hashchange decides what to show.
    if (win.location.hash !== written) return;
    saveLast(saved, hash);
    if (hash === written) return;
    written = hash;
    win.history.replaceState(win.history.state, '', hash);
  };

  /**
   * Run an opening. `failure`: why it could not be shown — the worker refused its scenario (the
   * session is then left exactly as it was) or could not run it; null when it ran or was superseded.
   */
  const runOpening = async (o: Opening): Promise<{ ok: boolean; failure: LinkError | null }> => {
    let refused: LinkError | null = null;
    if (o.view && !readOnly) setView(o.view);
    const cursor = o.step !== undefined ? { cursor: o.step } : o.start ? { cursor: o.start } : {};
    // A long run sent while the page's code evaluates and its first screen renders and lays out
    // takes one of the processor's cores from them for its whole length: it waits for that screen.
    const after = options.firstScreen && longRun(o.scenario) ? { after: options.firstScreen } : {};
    // The engine holds the opening's after-work until its result is on screen: the first screen's.
    const onScreen = options.firstScreen ? { onScreen: options.firstScreen } : {};
    const ok = await store.getState().run(o.scenario, { ...cursor, ...after, ...onScreen, onInvalid: (errors, newerVersion) => (refused = invalidLinkError(errors, newerVersion)) });
    return { ok, failure: ok ? null : (refused ?? runFailure(store)) };
  };

  /**
   * First visit: open the link (else the saved scenario, else the demo). Whatever cannot be shown
   * falls back, so the page always opens to something usable: a link that does not validate or
   * cannot run gets the alert and the last scenario or the demo; a saved scenario that cannot be
   * read or run is dropped with a notice.
   */
  const open = async (hash: string) => {
    // The link codec is loaded before anything is read with it (src/boot.ts loads it first on every
    // visit that has a link or a saved scenario, so this waits only when that was skipped).
    // If it cannot be downloaded, nothing is opened in its place: the link stays in the address and
    // the last scenario in storage (nothing is written while no scenario is shown), and a reload
    // tries again.
    if (!linkReaderLoaded() && (hasLink(hash) || readLast(last) !== null)) {
      try {
        await loadLinkReader();
      } catch {
        return store.getState().notify('error', LINK_READER_FAILED);
      }
    }
    const dropNotice = (why: string) =>
      store.getState().notify('warning', `Your last scenario could not be opened again (${why.replace(/[.\s]+$/, '')}); it was dropped, and the built-in demo opened instead.`);
    const opening = openingFor(hash, last, dropNotice);
    const first = await runOpening(opening);
    if (first.ok || !first.failure || opening.from === 'demo') return;
    let next: Opening = firstVisit();
    if (opening.from === 'last') {
      forgetLast(last);
      dropNotice(first.failure.errors?.[0]?.message ?? first.failure.message);
    } else {
      const previous = lastOpening(last, dropNotice);
      onBadLink({ error: first.failure, hash, fallback: previous ? 'last' : 'demo', previous });
      if (previous) next = previous;
    }
    const second = await runOpening(next);
    if (second.ok || !second.failure || next.from === 'demo') return;
    forgetLast(last);
    await runOpening(firstVisit());
  };

  /** Back to the scenario the bad link would have replaced: run it if needed, and put its link in the address. */
  restoreHook = () => {
    const previous = badLink?.previous;
    onBadLink(null);
    flushWrites();
    if (!previous) return;
    const s = store.getState();
    // Still showing it (the page kept it): only the address needs fixing; else run it again.
    const showing = s.scenario !== null && (s.scenario === previous.scenario || (previous.link !== undefined && s.link === previous.link));
    if (!showing) void s.run(previous.scenario, { cursor: previous.step ?? 0, select: null });
    // The link it had, or the one that came since (a run's link follows its result); none yet: the
    // address is written when it comes (the store changes then).
    const link = previous.link ?? (showing ? s.link : '');
    if (readOnly || !link) return;
    // Write the good link now (the store may not change, so the debounced write may not come).
    const hash = pageHash(link, showing ? s.cursor : (previous.step ?? 0));
    written = hash;
    win.history.replaceState(win.history.state, '', hash);
  };

  firstVisitOpened = !readOnly && isFirstVisit(win.location.hash, saved);
  if (!readOnly) adoptEntry(win);
  void open(win.location.hash);

  /**
   * An edit shown before its link came (a run's link follows its result: the store's `linkLater`):
   * its history entry is reserved (history.ts: reserveEntry) and added when the link comes.
   */
  let unlinked: { scenario: SessionState['scenario']; add: (hash: string | null) => void } | null = null;
  const endUnlinked = (hash: string | null) => {
    const edit = unlinked;
    unlinked = null;
    edit?.add(hash);
  };
  /** The address of an edit: its new entry (or the one reserved for it), and the saved copy. */
  const writeEdit = (hash: string, add: (hash: string) => void) => {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    written = hash;
    add(hash);
    afterPaint(() => saveLast(saved, hash));
  };

  const unsubscribe = store.subscribe((s, prev) => {
    if (s.scenario === prev.scenario && s.cursor === prev.cursor && s.link === prev.link) return;
    if (unlinked) {
      // The edit's link came (unless the address changed under us meanwhile): its entry now.
      if (s.scenario === unlinked.scenario && s.link && win.location.hash === written) {
        const add = unlinked.add;
        unlinked = null;
        return writeEdit(pageHash(s.link, s.cursor), add);
      }
      // Another scenario replaced it, or another link is being opened: its link will not be written.
      if (s.scenario !== unlinked.scenario || win.location.hash !== written) endUnlinked(null);
    }
    const edit = !readOnly && s.edits !== prev.edits && s.scenario;
    if (edit) flushWrites(); // the entry of an edit just before this one goes first
    if (edit && win.location.hash === written) {
      // An edit: the entry we leave keeps the scenario and step the user had; a new entry has the
      // edit. Written once the edit is painted (history.ts: afterPaint).
      if (timer !== undefined) {
        clearTimeout(timer);
        timer = undefined;
      }
      if (prev.scenario && prev.link) {
        const before = pageHash(prev.link, prev.cursor);
        if (before !== written) afterPaint(() => win.history.replaceState(win.history.state, '', before));
      }
      if (s.link) return writeEdit(pageHash(s.link, s.cursor), (hash) => pushEntry(win, hash));
      unlinked = { scenario: s.scenario, add: reserveEntry(win) };
      return;
    }
    // Debounced: while the user holds → (or drags the scrubber) nothing is written; the address and
    // the saved copy follow HASH_DEBOUNCE_MS after the last change (and at once when the page hides).
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(write, HASH_DEBOUNCE_MS);
  });

  // The view changed (a panel, Presenter mode, the Code pane): the address follows, debounced.
  const unsubscribeView = viewStore.subscribe(() => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(write, HASH_DEBOUNCE_MS);
  });

  /** Set by popstate, read by the hashchange that follows: Back / Forward to one of our entries, or a new link. */
  let walked: boolean | null = null;
  const onPopState = () => {
    if (readOnly) return;
    walked = followEntry(win);
    endUnlinked(null);
  };
  win.addEventListener('popstate', onPopState);

  const onHashChange = () => {
    // A link opened before the codec was loaded (src/boot.ts loads it after the default first
    // visit's first screen): handled once it is.
    if (!linkReaderLoaded()) return void loadLinkReader().then(onHashChange, () => store.getState().notify('error', LINK_READER_FAILED));
    // Back and Forward walk the edits and keep the view; a link opened here brings its own view.
    const walk = readOnly ? true : (walked ?? followEntry(win));
    walked = null;
    const hash = win.location.hash;
    if (hash === written) return;
    written = hash;
    endUnlinked(null); // an edit's link still to come is not written over the address now shown
    // The user went to another link: a write still pending for the previous state must not undo it.
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    // A link that cannot be opened keeps the user's current work and says what is wrong with it.
    const keepCurrent = (error: LinkError) => {
      const { scenario, cursor, link } = store.getState();
      // No link yet (it follows the run): "Go back" takes the one that has come by then.
      onBadLink({ error, hash, fallback: 'current', previous: scenario ? { scenario, step: cursor, ...(link ? { link } : {}), from: 'current' } : null });
    };
    const r = readLink(hash);
    if (!r.ok) return keepCurrent(r.error);
    onBadLink(null);
    void runOpening({ scenario: r.value, ...(r.step === undefined ? {} : { step: r.step }), from: 'link', ...(walk ? {} : { view: viewOfHash(hash) }) }).then(({ failure }) => {
      // A refused link keeps the current work; one the engine cannot run shows its error as any run does.
      if (failure && failure.kind !== 'cannot-run') keepCurrent(failure);
    });
  };
  win.addEventListener('hashchange', onHashChange);

  /** Write at once when the page is hidden (closing the tab within the debounce loses nothing). */
  const flush = () => {
    flushWrites();
    if (timer !== undefined) {
      clearTimeout(timer);
      write();
    }
  };
  win.addEventListener('pagehide', flush);

  return () => {
    restoreHook = null;
    unsubscribe();
    unsubscribeView();
    if (timer !== undefined) clearTimeout(timer);
    win.removeEventListener('hashchange', onHashChange);
    win.removeEventListener('popstate', onPopState);
    win.removeEventListener('pagehide', flush);
  };
}
