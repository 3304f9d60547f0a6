import { describe, expect, it } from 'vitest';
import { adoptEntry, flushWrites, pushEntry, redo, reserveEntry, undo } from './history.ts';

/** A window whose history records what the page did to it. */
function fakeWindow() {
  const calls: string[] = [];
  const history = {
    state: null as unknown,
    pushState(state: unknown, _: string, hash: string) {
      this.state = state;
      calls.push(`push ${hash}`);
    },
    replaceState(state: unknown) {
      this.state = state;
    },
    back: () => calls.push('back'),
    forward: () => calls.push('forward'),
  };
  return { calls, win: { history } as unknown as Window };
}

describe('history: an edit whose address comes later', () => {
  it('its entry is reserved at once, added when the address comes, and an Undo pressed meanwhile waits for it', () => {
    const { calls, win } = fakeWindow();
    adoptEntry(win);
    flushWrites();
    const add = reserveEntry(win);
    undo(win);
    expect(calls).toEqual([]); // nothing walked before the entry exists
    add('#s1.edit&step=3');
    expect(calls).toEqual(['push #s1.edit&step=3', 'back']);
    add('#s1.again'); // only the first call counts
    expect(calls).toHaveLength(2);
  });

  it('an address that will not come gives the place back: Undo then walks from the entry before', () => {
    const { calls, win } = fakeWindow();
    adoptEntry(win);
    flushWrites();
    pushEntry(win, '#s1.first');
    const add = reserveEntry(win);
    redo(win);
    add(null);
    expect(calls).toEqual(['push #s1.first']); // Redo had nothing ahead once the place was given back
    undo(win);
    expect(calls).toEqual(['push #s1.first', 'back']);
  });
});
