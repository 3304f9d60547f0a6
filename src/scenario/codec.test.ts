import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Deflate, deflateSync } from 'fflate';
import {
  MAX_DECODED_BYTES,
  MAX_LINK_CHARS,
  base64urlEncode,
  canonicalJson,
  decodeHash,
  encodeScenario,
  inflateCapped,
  scenarioToHash,
  type DecodeResult,
  type LinkErrorKind,
} from './codec.ts';
import { load } from './load.ts';
import type { NormalizedScenario, Scenario } from './types.ts';
import seed000 from './fixtures/golden/seed-000.json' with { type: 'json' };
import cmDevicesApps from './fixtures/golden/cm-devices-apps.json' with { type: 'json' };
import notesUnicode from './fixtures/golden/notes-unicode.json' with { type: 'json' };

const SEED = seed000 as unknown as Scenario;
const CM = cmDevicesApps as unknown as Scenario;
const UNICODE = notesUnicode as unknown as Scenario;

const utf8 = (s: string) => new TextEncoder().encode(s);
/** A `#s1.` link whose payload is exactly `text`, compressed (what a hostile or buggy encoder could send). */
const linkOfText = (text: string, prefix = '#s1.') => `${prefix}${base64urlEncode(deflateSync(utf8(text), { level: 9 }))}`;
const linkOfBytes = (bytes: Uint8Array) => `#s1.${base64urlEncode(bytes)}`;

function normalized(s: unknown): NormalizedScenario {
  const r = load(s);
  if (!r.ok) throw new Error(`fixture does not load: ${JSON.stringify(r.errors)}`);
  return r.scenario;
}

function expectError(r: DecodeResult, kind: LinkErrorKind) {
  expect(r.ok).toBe(false);
  if (r.ok) throw new Error('expected a refusal');
  expect(r.error.kind).toBe(kind);
  expect(r.error.message.length).toBeGreaterThan(10);
  return r.error;
}

/** The payload bytes of a link (base64url-decoded), for tests that damage them. */
function payloadBytes(hash: string): Uint8Array {
  const b64 = hash.slice(4).replace(/-/g, '+').replace(/_/g, '/');
  return Uint8Array.from(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0));
}

describe('encode → decode', () => {
  it.each([
    ['seed 000', SEED],
    ['devices, apps and CM_Register_Notification', CM],
    ['notes and unicode text', UNICODE],
  ])('round-trips %s to its normalised form', (_name, s) => {
    const hash = scenarioToHash(s);
    expect(hash).toMatch(/^#s1\.[A-Za-z0-9_-]+$/);
    const r = decodeHash(hash);
    expect(r).toEqual({ ok: true, scenario: normalized(s) });
  });

  it('writes only the base64url alphabet, without padding', () => {
    expect(encodeScenario(UNICODE)).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('gives a short link for the seed-000 example', () => {
    expect(scenarioToHash(SEED).length).toBeLessThan(MAX_LINK_CHARS / 2);
  });

  it('carries the step', () => {
    const hash = scenarioToHash(SEED, 12);
    expect(hash).toMatch(/&step=12$/);
    const r = decodeHash(hash);
    expect(r.ok && r.step).toBe(12);
    expect(decodeHash(scenarioToHash(SEED, 0))).toMatchObject({ ok: true, step: 0 });
  });

  it.each([-1, 1.5, NaN, Infinity, 2 ** 60])('leaves out a step that is not a non-negative integer (%s)', (step) => {
    expect(scenarioToHash(SEED, step)).toBe(scenarioToHash(SEED));
  });

  it.each(['&step=-1', '&step=1.5', '&step=abc', '&step=', '&step=99999999999999999', '&step=1e3', '&step=0x10'])(
    'ignores a bad step on decode (%s)',
    (param) => {
      const r = decodeHash(scenarioToHash(SEED) + param);
      expect(r.ok).toBe(true);
      expect(r.ok && 'step' in r).toBe(false);
    },
  );

  it('ignores unknown parameters, in any position', () => {
    const base = scenarioToHash(SEED);
    expect(decodeHash(`${base}&view=graph&step=3&x`)).toMatchObject({ ok: true, step: 3 });
  });

  it('accepts the hash without its leading #', () => {
    expect(decodeHash(scenarioToHash(SEED).slice(1)).ok).toBe(true);
  });

  it('tolerates base64 padding someone added', () => {
    const payload = encodeScenario(SEED);
    const padded = payload + '='.repeat((4 - (payload.length % 4)) % 4);
    expect(decodeHash(`#s1.${padded}`).ok).toBe(true);
  });
});

describe('stable links', () => {
  it('the same scenario always gives the same link', () => {
    expect(scenarioToHash(structuredClone(CM))).toBe(scenarioToHash(CM));
  });

  it('a scenario and its normalised form give the same link', () => {
    for (const s of [SEED, CM, UNICODE]) expect(scenarioToHash(normalized(s))).toBe(scenarioToHash(s));
  });

  it('spelling out defaults does not change the link', () => {
    const explicit = { ...SEED, description: '', machine: { ...SEED.machine, memory: [], devices: [] }, apps: {}, schedule: [] };
    expect(scenarioToHash(explicit as Scenario)).toBe(scenarioToHash(SEED));
  });

  it('the envelope key order does not change the link', () => {
    const reversed = Object.fromEntries(Object.entries(SEED).reverse()) as unknown as Scenario;
    expect(scenarioToHash(reversed)).toBe(scenarioToHash(SEED));
  });

  it('re-encoding a decoded link gives the same link', () => {
    const first = scenarioToHash(CM, 5);
    const r = decodeHash(first);
    if (!r.ok) throw new Error(r.error.message);
    expect(scenarioToHash(r.scenario, r.step)).toBe(first);
  });

  it('still encodes a scenario load() refuses (the editor mid-edit), as written', () => {
    const broken = { format: 'pnp-scenario/1', title: 7, machine: { processors: 0 } } as unknown as Scenario;
    const hash = scenarioToHash(broken);
    expect(scenarioToHash(structuredClone(broken))).toBe(hash);
    const err = expectError(decodeHash(hash), 'invalid');
    expect(err.errors?.length).toBeGreaterThan(0);
  });
});

describe('canonicalJson', () => {
  it('writes the envelope in the conventional order, other keys after it in their own order', () => {
    const text = canonicalJson({ zeta: 1, schedule: [], timeline: [], apps: {}, drivers: {}, machine: {}, description: 'd', title: 't', format: 'f', alpha: 2 });
    expect(text).toBe('{"format":"f","title":"t","description":"d","machine":{},"drivers":{},"apps":{},"timeline":[],"schedule":[],"zeta":1,"alpha":2}');
  });

  it('keeps the key order of nested objects and of arrays (the author order is what the editor shows)', () => {
    expect(canonicalJson({ format: 'f', drivers: { b: { routines: { Unload: [], DriverEntry: [] } }, a: {} } })).toBe(
      '{"format":"f","drivers":{"b":{"routines":{"Unload":[],"DriverEntry":[]}},"a":{}}}',
    );
    expect(canonicalJson({ format: 'f', timeline: [3, 1, 2] })).toBe('{"format":"f","timeline":[3,1,2]}');
  });

  it('follows JSON.stringify for undefined, non-finite numbers and strings', () => {
    const v = { format: 'f', a: undefined, b: [undefined, NaN, -0], c: 'é\u2028"\\' };
    expect(canonicalJson(v)).toBe(JSON.stringify(v));
  });

  it('refuses a cycle', () => {
    const a: Record<string, unknown> = { format: 'f' };
    a.self = a;
    expect(() => canonicalJson(a)).toThrow(/cycle/);
  });
});

describe('base64url', () => {
  it.each([
    ['', ''],
    ['f', 'Zg'],
    ['fo', 'Zm8'],
    ['foo', 'Zm9v'],
    ['foob', 'Zm9vYg'],
    ['fooba', 'Zm9vYmE'],
    ['foobar', 'Zm9vYmFy'],
  ])('encodes the RFC 4648 vector %j as %j', (text, b64) => {
    expect(base64urlEncode(utf8(text))).toBe(b64);
  });

  it('uses - and _ and round-trips every byte value', () => {
    expect(base64urlEncode(Uint8Array.of(0xfb, 0xff, 0xbf))).toBe('-_-_');
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(payloadBytes(`#s1.${base64urlEncode(all)}`)).toEqual(all);
  });
});

describe('inflateCapped', () => {
  it('accepts output of exactly the cap and refuses one byte more', () => {
    const exact = deflateSync(new Uint8Array(4096), { level: 9 });
    expect(inflateCapped(exact, 4096)).toMatchObject({ ok: true });
    expect(inflateCapped(exact, 4095)).toMatchObject({ ok: false, kind: 'too-large' });
  });

  it('returns the bytes across many pushes', () => {
    // Barely compressible, so the input spans hundreds of pushes.
    let x = 2463534242;
    const data = Uint8Array.from({ length: 300_000 }, () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), x & 255));
    const compressed = deflateSync(data, { level: 9 });
    expect(compressed.length).toBeGreaterThan(100 * 1024);
    const r = inflateCapped(compressed, data.length);
    expect(r.ok).toBe(true);
    if (r.ok) expect(Buffer.compare(r.bytes, data)).toBe(0);
  });
});

/** 50 MiB of zeros, compressed without ever holding 50 MiB. */
function makeBomb(): Uint8Array {
  const parts: Uint8Array[] = [];
  const d = new Deflate({ level: 9 }, (chunk) => parts.push(chunk));
  const zeros = new Uint8Array(1024 * 1024);
  for (let i = 0; i < 50; i++) d.push(zeros, i === 49);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('bad links (one per category)', () => {
  it('not a link: empty hash, a bare #, another route', () => {
    for (const h of ['', '#', '#/gallery', '#s1', '#S1.abc', '#s0.abcd', 's', '#step=3']) expectError(decodeHash(h), 'not-a-link');
  });

  it('corrupt base64: names the offending character and its position', () => {
    const good = scenarioToHash(SEED);
    const bad = good.slice(0, 20) + '%' + good.slice(21);
    const err = expectError(decodeHash(bad), 'corrupt');
    expect(err.message).toContain('"%"');
    expect(err.message).toContain('position 21');
    expect(expectError(decodeHash('#s1.abc def'), 'corrupt').message).toContain('position 8');
    expect(expectError(decodeHash('#s1.Zm9v€'), 'corrupt').message).toContain('"€"');
  });

  it('flipped bytes: damaged compressed data is refused', () => {
    // A fixed text, so the damaged bytes (and the outcome) do not depend on how scenarios are encoded.
    const bytes = payloadBytes(linkOfText(JSON.stringify(CM)));
    for (const i of [0, 1, 2, 3]) {
      const flipped = bytes.slice();
      flipped[i] ^= 0xff;
      const r = decodeHash(linkOfBytes(flipped));
      expect(r.ok, `flip at ${i}`).toBe(false);
      if (!r.ok) expect(['corrupt', 'truncated']).toContain(r.error.kind);
    }
    const mid = bytes.slice();
    for (let i = 20; i < 40; i++) mid[i] ^= 0x5a;
    expectError(decodeHash(linkOfBytes(mid)), 'corrupt');
  });

  it('truncated payload: a link cut short is reported as incomplete', () => {
    const good = scenarioToHash(CM);
    const payloadLength = good.length - 4;
    for (const keep of [Math.floor(payloadLength / 2 / 4) * 4, payloadLength - 8, payloadLength - 6]) {
      expectError(decodeHash(good.slice(0, 4 + keep)), 'truncated');
    }
    // 4k+1 characters cannot come out of the encoder.
    expectError(decodeHash(good.slice(0, 4 + 4 * 10 + 1)), 'truncated');
    expectError(decodeHash('#s1.'), 'truncated');
  });

  it('decompression bomb: 50 MiB of zeros is refused quickly, without inflating it', () => {
    const bomb = makeBomb();
    expect(bomb.length).toBeLessThan(100 * 1024); // tiny next to 50 MiB: that is what makes it a bomb
    const hash = linkOfBytes(bomb);
    const before = process.memoryUsage().arrayBuffers;
    const started = performance.now();
    const err = expectError(decodeHash(hash), 'too-large');
    const elapsed = performance.now() - started;
    const grown = process.memoryUsage().arrayBuffers - before;
    expect(err.message).toContain('the link expands to more than 1 MiB');
    // Inflating all 50 MiB would take far longer and leave tens of MiB of buffers behind.
    expect(elapsed).toBeLessThan(2000);
    expect(grown).toBeLessThan(16 * 1024 * 1024);
  });

  it('a payload just over the cap is too large, as is a big valid-looking scenario', () => {
    const padding = 'x'.repeat(MAX_DECODED_BYTES);
    expectError(decodeHash(linkOfText(JSON.stringify({ format: 'pnp-scenario/1', title: padding }))), 'too-large');
  });

  it('wrong link version: #s9. was made by a newer version', () => {
    for (const h of ['#s9.abcd', '#s2.' + encodeScenario(SEED), '#s10.x']) {
      expect(expectError(decodeHash(h), 'newer-version').message).toContain('made by a newer version of the playground');
    }
  });

  it('a scenario in format pnp-scenario/7 was made by a newer version', () => {
    const err = expectError(decodeHash(linkOfText(JSON.stringify({ ...SEED, format: 'pnp-scenario/7' }))), 'newer-version');
    expect(err.message).toContain('made by a newer version of the playground');
  });

  it('schema-invalid scenario JSON: refused with the validation errors and their paths', () => {
    const bad = structuredClone(SEED) as unknown as { timeline: { do: string; driver: string }[] };
    bad.timeline[0].driver = 'nosuchdriver';
    const err = expectError(decodeHash(linkOfText(JSON.stringify(bad))), 'invalid');
    expect(err.errors?.some((e) => e.path.startsWith('/timeline/0'))).toBe(true);
    expectError(decodeHash(linkOfText('[]')), 'invalid');
    expectError(decodeHash(linkOfText('{"title":"no format"}')), 'invalid');
  });

  it('non-JSON payload: corrupt', () => {
    expect(expectError(decodeHash(linkOfText('{"format": "pnp-scenario/1",')), 'corrupt').message).toContain('not valid JSON');
    expectError(decodeHash(linkOfText('hello world')), 'corrupt');
    expectError(decodeHash(linkOfText('')), 'corrupt');
  });

  it('not UTF-8: corrupt', () => {
    const r = decodeHash(linkOfBytes(deflateSync(Uint8Array.of(0x7b, 0xff, 0xfe, 0x7d))));
    expect(expectError(r, 'corrupt').message).toContain('UTF-8');
  });

  it('__proto__ keys: refused, and nothing is polluted', () => {
    const texts = [
      '{"format":"pnp-scenario/1","__proto__":{"polluted":true}}',
      '{"format":"pnp-scenario/1","drivers":{"__proto__":{"globals":{"polluted":true}}}}',
      '{"format":"pnp-scenario/1","drivers":{"d":{"globals":{"__proto__":{"polluted":"yes"}}}}}',
      '{"format":"pnp-scenario/1","timeline":[{"do":"hotAddProcessor","__proto__":{"polluted":1}}]}',
    ];
    for (const text of texts) {
      const err = expectError(decodeHash(linkOfText(text)), 'invalid');
      expect(err.errors?.[0].path).toMatch(/__proto__$/);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('absurd nesting: refused without overflowing the stack', () => {
    const deep = '{"format":"pnp-scenario/1","title":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}';
    expectError(decodeHash(linkOfText(deep)), 'invalid');
  });
});

describe('properties', () => {
  const KINDS: LinkErrorKind[] = ['corrupt', 'truncated', 'too-large', 'newer-version', 'invalid', 'not-a-link'];
  const wellFormed = (r: DecodeResult) => {
    if (r.ok) return;
    expect(KINDS).toContain(r.error.kind);
    expect(typeof r.error.message).toBe('string');
  };
  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const b64char = fc.constantFrom(...B64.split(''));

  it('decodeHash never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
        wellFormed(decodeHash(s));
        wellFormed(decodeHash('#s1.' + s));
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.string({ unit: b64char, maxLength: 400 }), (s) => wellFormed(decodeHash('#s1.' + s))),
      { numRuns: 500 },
    );
  });

  it('decodeHash never throws on damaged real links (a character changed, or the end cut off)', () => {
    const good = scenarioToHash(CM);
    fc.assert(
      fc.property(fc.nat({ max: good.length - 1 }), b64char, fc.nat({ max: good.length }), (i, c, cut) => {
        wellFormed(decodeHash(good.slice(0, i) + c + good.slice(i + 1)));
        wellFormed(decodeHash(good.slice(0, cut)));
      }),
      { numRuns: 300 },
    );
  });

  // Valid by construction: prefixed ids keep variables, drivers and apps apart and off constant names.
  const text = fc.string({ unit: 'binary', maxLength: 40 });
  const note = text.map((t) => ({ op: 'note' as const, text: t }));
  const value = fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), fc.constantFrom('STATUS_SUCCESS', 'STATUS_UNSUCCESSFUL'));
  const component = fc.record({
    globals: fc.dictionary(fc.stringMatching(/^g[a-z0-9_]{0,8}$/), value, { maxKeys: 3 }),
    routines: fc.record({ DriverEntry: fc.array(note, { maxLength: 3 }) }),
  });
  const appComponent = fc.record({
    globals: fc.dictionary(fc.stringMatching(/^g[a-z0-9_]{0,8}$/), value, { maxKeys: 3 }),
    routines: fc.record({ main: fc.array(note, { maxLength: 3 }) }),
  });
  const scenario = fc
    .record({
      title: text,
      description: text,
      processors: fc.integer({ min: 1, max: 4 }),
      extraMax: fc.integer({ min: 0, max: 8 }),
      drivers: fc.dictionary(fc.stringMatching(/^d[a-z0-9_]{0,8}$/), component, { maxKeys: 3 }),
      apps: fc.dictionary(fc.stringMatching(/^a[a-z0-9_]{0,8}$/), appComponent, { maxKeys: 2 }),
      actionNotes: fc.array(fc.option(text, { nil: undefined }), { maxLength: 4 }),
      concurrent: fc.boolean(),
    })
    .map((g): Scenario => {
      const ids = [...Object.keys(g.drivers).map((d) => ({ do: 'load' as const, driver: d })), ...Object.keys(g.apps).map((a) => ({ do: 'start' as const, app: a }))];
      const timeline = [...ids, { do: 'hotAddProcessor' as const }].map((a, i) => {
        const n = g.actionNotes[i];
        return { ...a, ...(n !== undefined ? { note: n } : {}), ...(i > 0 && g.concurrent ? { concurrent: true } : {}) };
      });
      return {
        format: 'pnp-scenario/1',
        title: g.title,
        description: g.description,
        machine: { processors: g.processors, maxProcessors: g.processors + g.extraMax },
        drivers: g.drivers,
        apps: g.apps,
        timeline,
      };
    });

  it('encode → decode round-trips load()-valid scenarios, with the step', () => {
    fc.assert(
      fc.property(scenario, fc.option(fc.nat(), { nil: undefined }), (s, step) => {
        const loaded = load(s);
        expect(loaded.ok).toBe(true);
        if (!loaded.ok) return;
        const hash = scenarioToHash(s, step);
        const r = decodeHash(hash);
        expect(r).toEqual(step === undefined ? { ok: true, scenario: loaded.scenario } : { ok: true, scenario: loaded.scenario, step });
        expect(scenarioToHash(loaded.scenario, step)).toBe(hash);
      }),
      { numRuns: 150 },
    );
  });
});
