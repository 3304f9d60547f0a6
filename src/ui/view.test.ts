import { beforeAll, describe, expect, it } from 'vitest';
import { readLink } from '../scenario/link.ts';
import { scenarioToHash } from '../scenario/codec.ts';
import { DEFAULT_SCENARIO, openingFor, pageHash } from './url.ts';
import { loadLinkReader } from './linkReader.ts';
import { DEFAULT_VIEW, PANELS, viewOfHash, viewParams } from './view.ts';
import golden from '../scenario/fixtures/golden-links.json' with { type: 'json' };

// The page reads links once their codec is loaded (src/boot.ts does it first).
beforeAll(() => loadLinkReader());

describe('the view in the link', () => {
  it('the default view adds nothing: a link made before the view parameters is the same link', () => {
    const base = scenarioToHash(DEFAULT_SCENARIO);
    expect(viewParams(DEFAULT_VIEW)).toBe('');
    expect(pageHash(base, 7, DEFAULT_VIEW)).toBe(scenarioToHash(DEFAULT_SCENARIO, 7));
    expect(viewOfHash(scenarioToHash(DEFAULT_SCENARIO, 7))).toEqual({});
  });

  it('every panel, Presenter mode and the Code pane round-trip through the hash', () => {
    const base = scenarioToHash(DEFAULT_SCENARIO);
    for (const panel of PANELS) {
      for (const presenter of [false, true]) {
        for (const codeBeside of [false, true]) {
          const view = { panel, presenter, codeBeside };
          const hash = pageHash(base, 3, view);
          expect({ ...DEFAULT_VIEW, ...viewOfHash(hash) }, hash.slice(-40)).toEqual(view);
        }
      }
    }
    expect(pageHash(base, 3, { panel: 'code', presenter: true, codeBeside: true })).toBe(`${base}&step=3&panel=code&presenter=1&split=code`);
  });

  it('the link codec ignores the view parameters: the scenario and the step are read as before', () => {
    const plain = scenarioToHash(DEFAULT_SCENARIO, 12);
    const withView = `${plain}&panel=threads&presenter=1&split=code`;
    const a = readLink(plain);
    const b = readLink(withView);
    expect(b).toEqual(a);
    expect(b.ok && b.step).toBe(12);
  });

  it('the golden v1 links open the same scenario and step with view parameters after them', () => {
    for (const { link } of golden.links as { link: string }[]) {
      const plain = readLink(link);
      expect(plain.ok).toBe(true);
      expect(readLink(`${link}&panel=code&presenter=1&split=code`)).toEqual(plain);
      expect(viewOfHash(`${link}&panel=sequence`)).toEqual({ panel: 'sequence' });
    }
  });

  it('a hash says only what it has; values this build does not know are ignored (a later build may add panels)', () => {
    const base = scenarioToHash(DEFAULT_SCENARIO, 1);
    expect(viewOfHash(`${base}&panel=explorer`)).toEqual({});
    expect(viewOfHash(`${base}&panel=__proto__&constructor=1`)).toEqual({});
    expect(viewOfHash(`${base}&presenter=0&split=none`)).toEqual({ presenter: false, codeBeside: false });
    expect(viewOfHash('')).toEqual({});
  });

  it('opening a link brings its view; the last scenario of this browser brings the view it had', () => {
    const hash = `${scenarioToHash(DEFAULT_SCENARIO, 4)}&panel=code`;
    expect(openingFor(hash, null).view).toEqual({ panel: 'code' });
    const store = new Map([['pnp-playground:last-link', `${scenarioToHash(DEFAULT_SCENARIO, 2)}&presenter=1`]]);
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem() {}, removeItem() {} } as unknown as Storage;
    expect(openingFor('', storage).view).toEqual({ presenter: true });
  });
});
