import { describe, expect, it } from 'vitest';
import { decodeHash, MAX_LINK_CHARS, scenarioToHash } from '../../scenario/codec.ts';
import { deflateSync } from 'fflate';
import { fullLink, linkLengthWarning } from './link.ts';
import { describeLinkError, MAX_LISTED_ERRORS } from './linkError.ts';

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

describe('fullLink', () => {
  it('is origin + path + hash, without the query', () => {
    expect(fullLink({ origin: 'https://x.test', pathname: '/play/' }, '#s1.abc')).toBe('https://x.test/play/#s1.abc');
    expect(fullLink({ origin: 'https://x.test', pathname: '/' }, 's1.abc')).toBe('https://x.test/#s1.abc');
    expect(fullLink({ origin: 'https://x.test', pathname: '/' }, '')).toBe('https://x.test/');
  });
});

describe('linkLengthWarning', () => {
  it('warns past MAX_LINK_CHARS, with both numbers written out', () => {
    expect(linkLengthWarning(MAX_LINK_CHARS)).toBeUndefined();
    expect(linkLengthWarning(2345)).toBe('This link is 2,345 characters long; chat apps may truncate links over 2,000 characters.');
  });
});

describe('describeLinkError', () => {
  const error = (hash: string) => {
    const r = decodeHash(hash);
    if (r.ok) throw new Error('expected a bad link');
    return r.error;
  };
  const good = scenarioToHash({ format: 'pnp-scenario/1', title: 'A scenario with enough text to make a link of some length' });

  it('says precisely what is wrong for each kind of bad link', () => {
    const corrupt = describeLinkError(error(`${good.slice(0, 12)}!${good.slice(13)}`));
    expect(corrupt.title).toBe('This link is damaged.');
    expect(corrupt.detail).toMatch(/unexpected character "!" at position 13/);

    const truncated = describeLinkError(error(good.slice(0, good.length - 9)));
    expect(truncated.title).toBe('This link is incomplete.');
    expect(truncated.help).toMatch(/cut long links/);

    const bomb = b64url(deflateSync(new Uint8Array(3 * 1024 * 1024).fill(32), { level: 9 }));
    const tooLarge = describeLinkError(error(`#s1.${bomb}`));
    expect(tooLarge.title).toBe('This link is too large to open.');
    expect(tooLarge.help).toMatch(/more than 1 MiB/);

    expect(describeLinkError(error('#s9.abc')).title).toBe('This link was made by a newer version of the playground.');
    const newerFormat = scenarioToHash({ format: 'pnp-scenario/7' } as never);
    expect(describeLinkError(error(newerFormat)).help).toMatch(/Reload the page/);

    expect(describeLinkError(error('#hello')).title).toBe('This address is not a playground link.');
  });

  it('lists the validation errors of an invalid scenario with their paths, then "and N more"', () => {
    const timeline = Array.from({ length: 8 }, (_, i) => ({ do: 'load', driver: `missing${i}` }));
    const text = describeLinkError(error(scenarioToHash({ format: 'pnp-scenario/1', timeline } as never)));
    expect(text.title).toBe('This link’s scenario is not valid.');
    expect(text.errors).toHaveLength(MAX_LISTED_ERRORS);
    expect(text.errors[0].path).toBe('/timeline/0/driver');
    expect(text.more).toBe(3);
    expect(text.detail).toBeUndefined();
  });

  it('keeps the codec message when an invalid link has no error list', () => {
    expect(describeLinkError({ kind: 'invalid', message: 'The link’s scenario could not be checked.' }).detail).toBe('The link’s scenario could not be checked.');
  });
});
