import { describe, expect, it } from 'vitest';
import { scenarioToHash } from '../scenario/codec.ts';
import { DEFAULT_SCENARIO } from '../scenario/defaultScenario.ts';
import { readLink as codecReadLink } from '../scenario/link.ts';
import { linkReaderLoaded, loadLinkReader, readLink } from './linkReader.ts';

describe('the page reads links once the codec is loaded', () => {
  it('refuses to read before loading, then reads exactly as the codec does', async () => {
    const hash = scenarioToHash(DEFAULT_SCENARIO, 7);
    expect(linkReaderLoaded()).toBe(false);
    expect(() => readLink(hash)).toThrow(/loadLinkReader/);
    const loading = loadLinkReader();
    expect(loadLinkReader()).toBe(loading); // loaded once
    await loading;
    expect(linkReaderLoaded()).toBe(true);
    expect(readLink(hash)).toEqual(codecReadLink(hash));
    expect(readLink('#s1.AAAA!')).toEqual(codecReadLink('#s1.AAAA!'));
  });
});
