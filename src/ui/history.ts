// Undo / Redo are the browser's history: every edit (a gesture, an Apply, opening a demo, a thread
// pick) adds a history entry whose address is the edited scenario's link, so Undo is Back, Redo is
// Forward, and both walk the same list. Each entry the page adds carries its position in
// `history.state.pnp`; entries before the first one this tab opened are not ours to undo into.
import { useSyncExternalStore } from 'react';
import { afterNextPaint } from '../store/frames.ts';

interface Position {
  /** Position of the current entry among this page's entries (0: the one the page opened on). */
  index: number;
  /** The last position known to exist ahead (Redo is possible while index < max). */
  max: number;
}

let position: Position = { index: 0, max: 0 };

// ---- writes after the paint
//
// pushState and replaceState are a synchronous round trip to the browser that takes milliseconds
// (more on a long address), and so does a storage write: a key press, a gesture or the first load
// should not wait for them before the page shows what changed. They wait until the frame that
// shows the change has been painted, in order; `flushWrites` runs the waiting ones at once (before
// anything reads or walks the history), `dropWrites` forgets them (the user navigated meanwhile:
// the browser's own entry wins).

const waiting: (() => void)[] = [];
let scheduled = false;

/** Run `write` once the next frame has been painted (at once where there are no frames to wait for). */
export function afterPaint(write: () => void): void {
  waiting.push(write);
  if (scheduled) return;
  scheduled = true;
  afterNextPaint(flushWrites);
}

/** Run the writes still waiting for a paint, now. */
export function flushWrites(): void {
  scheduled = false;
  for (const write of waiting.splice(0)) write();
}

/** Forget the writes still waiting (the address changed under them). */
export function dropWrites(): void {
  waiting.length = 0;
  onceAdded.length = 0; // an Undo or Redo waiting for an entry is void too
  navigations++;
}

// ---- entries whose address is still to come
//
// An edit's link is made by the worker after the frame showing its run is painted (the store's
// `linkLater`): its entry's place is taken at once (Undo is offered with the run) and the entry is
// added when the link comes. Undo and Redo wait for it, so that they walk from that entry.

/** Entries reserved and not added yet. */
let reserved = 0;
/** What waits for them (an Undo or Redo pressed meanwhile). */
const onceAdded: (() => void)[] = [];
/** Increases when the address changes under the page (Back, Forward, a link): a reservation made before it is void. */
let navigations = 0;

/**
 * An edit whose address is not known yet: its entry after the current one is reserved now, and
 * added by `add(hash)` (after the paint, in order with the other writes) once the address is
 * known; `add(null)`: it will not come, and the place is given back. Only the first call counts.
 */
export function reserveEntry(win: Window): (hash: string | null) => void {
  const index = position.index + 1;
  const at = navigations;
  reserved++;
  setPosition({ index, max: index });
  let done = false;
  return (hash) => {
    if (done) return;
    done = true;
    reserved--;
    if (at === navigations) {
      if (hash !== null) afterPaint(() => win.history.pushState({ pnp: index }, '', hash));
      else if (position.index === index) setPosition({ index: index - 1, max: index - 1 });
    }
    if (reserved === 0) for (const then of onceAdded.splice(0)) then();
  };
}
const listeners = new Set<() => void>();

function setPosition(next: Position) {
  if (next.index === position.index && next.max === position.max) return;
  position = next;
  for (const l of listeners) l();
}

function stateIndex(win: Window): number | undefined {
  const st = win.history.state as { pnp?: unknown } | null;
  return typeof st?.pnp === 'number' ? st.pnp : undefined;
}

/** When the page opens: number the current entry (a reload keeps its number, Redo is unknown). The number is written after the first paint. */
export function adoptEntry(win: Window): void {
  const index = stateIndex(win);
  if (index === undefined) {
    afterPaint(() => win.history.replaceState({ ...(win.history.state as object | null), pnp: 0 }, ''));
    setPosition({ index: 0, max: 0 });
  } else setPosition({ index, max: index });
}

/**
 * An edit: a new entry after the current one (the entries ahead are gone, as in any browser),
 * added after the paint (`afterPaint`); Undo and Redo run it first.
 */
export function pushEntry(win: Window, hash: string): void {
  const index = position.index + 1;
  afterPaint(() => win.history.pushState({ pnp: index }, '', hash));
  setPosition({ index, max: index });
}

/** The address changed (Back, Forward, a pasted link): where are we now? True when it is one of our entries (Back or Forward). */
export function followEntry(win: Window): boolean {
  dropWrites();
  const index = stateIndex(win);
  if (index === undefined) {
    // A link typed or pasted into the address bar: a new entry after the one we were on.
    const next = position.index + 1;
    win.history.replaceState({ ...(win.history.state as object | null), pnp: next }, '');
    setPosition({ index: next, max: next });
    return false;
  }
  setPosition({ index, max: Math.max(position.max, index) });
  return true;
}

export function undo(win: Window = window): void {
  if (reserved > 0) return void onceAdded.push(() => undo(win));
  flushWrites();
  if (position.index > 0) win.history.back();
}

export function redo(win: Window = window): void {
  if (reserved > 0) return void onceAdded.push(() => redo(win));
  flushWrites();
  if (position.index < position.max) win.history.forward();
}

export function useHistoryPosition(): { canUndo: boolean; canRedo: boolean } {
  const p = useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => position,
  );
  return { canUndo: p.index > 0, canRedo: p.index < p.max };
}

/** Ctrl+Z / Ctrl+Shift+Z (and Ctrl+Y; ⌘ on a Mac), outside text fields that have their own undo. */
export function historyShortcut(e: KeyboardEvent): 'undo' | 'redo' | null {
  if (!(e.ctrlKey || e.metaKey) || e.altKey) return null;
  const t = e.target;
  if (t instanceof Element && t.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"], dialog[open]')) return null;
  const key = e.key.toLowerCase();
  if (key === 'z') return e.shiftKey ? 'redo' : 'undo';
  if (key === 'y' && !e.shiftKey) return 'redo';
  return null;
}
