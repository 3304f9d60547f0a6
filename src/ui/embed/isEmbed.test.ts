import { describe, expect, it } from 'vitest';
import { decodeHash, scenarioToHash } from '../../scenario/codec.ts';
import { fullPlaygroundLink, isEmbed } from './isEmbed.ts';

const at = (search: string, hash: string) => ({ search, hash, origin: 'https://x.test', pathname: '/p/' });

describe('isEmbed', () => {
  it('is on with ?embed=1 or an &embed=1 hash parameter', () => {
    expect(isEmbed(at('?embed=1', ''))).toBe(true);
    expect(isEmbed(at('?a=2&embed=1', '#s1.abc'))).toBe(true);
    expect(isEmbed(at('', '#s1.abc&embed=1'))).toBe(true);
    expect(isEmbed(at('', '#s1.abc&step=4&embed=1'))).toBe(true);
    expect(isEmbed(at('', '#embed=1'))).toBe(true);
  });

  it('is off otherwise', () => {
    expect(isEmbed(at('', ''))).toBe(false);
    expect(isEmbed(at('?embed=0', '#s1.abc&embed=0'))).toBe(false);
    expect(isEmbed(at('?embedded=1', '#s1.abc&step=1'))).toBe(false);
    // A payload can never hold "&" or "=1": only a parameter turns it on.
    expect(isEmbed(at('', '#s1.embed=1'))).toBe(false);
  });

  it('leaves the link openable: decodeHash ignores the flag', () => {
    const hash = `${scenarioToHash({ format: 'pnp-scenario/1', title: 'T' })}&step=3&embed=1`;
    const r = decodeHash(hash);
    expect(r.ok && r.step).toBe(3);
  });
});

describe('fullPlaygroundLink', () => {
  it('drops the embed flag and keeps everything else', () => {
    expect(fullPlaygroundLink(at('?embed=1', '#s1.abc&step=2'))).toBe('https://x.test/p/#s1.abc&step=2');
    expect(fullPlaygroundLink(at('?lang=en&embed=1', '#s1.abc&embed=1&step=2'))).toBe('https://x.test/p/?lang=en#s1.abc&step=2');
    expect(fullPlaygroundLink(at('', '#embed=1'))).toBe('https://x.test/p/');
    expect(fullPlaygroundLink(at('', ''))).toBe('https://x.test/p/');
  });
});
