import { describe, expect, it } from 'vitest';
import seed000 from '../../scenario/demos/seed000-sync.json';
import { scenarioToJson } from '../../scenario/exporters.ts';
import { load } from '../../scenario/load.ts';
import { check, decodeFile, fileTooLarge, invalidUtf8Offset, minimalChange, parseObject, readScenarioFile, setEnvelopeString, summary, toText } from './model.ts';

const text = scenarioToJson(seed000 as never);

describe('check', () => {
  it('a valid text has no problems and a summary', () => {
    const c = check(text);
    expect(c.result.ok).toBe(true);
    expect(c.problems).toEqual([]);
    if (c.result.ok) expect(summary(c.result)).toBe('1 driver, 0 apps, 0 devices, 3 timeline actions');
  });

  it('places each validation error on the text it is about', () => {
    const broken = text.replace('"processors": 2', '"processors": "two"').replace('"CallbackFunction": "SyncProcessorCallback"', '"CallbackFunction": "Missing"');
    const c = check(broken);
    expect(c.result.ok).toBe(false);
    const at = (path: string) => {
      const p = c.problems.find((x) => x.path === path)!;
      return broken.slice(p.from, p.to);
    };
    expect(at('/machine/processors')).toBe('"two"');
    expect(at('/drivers/sampledrv/routines/DriverEntry/1/CallbackFunction')).toBe('"Missing"');
    expect(c.problems.every((p) => p.severity === 'error')).toBe(true);
  });

  it('puts a JSON syntax error where the parser stopped', () => {
    const broken = text.replace('"format": "pnp-scenario/1",', '"format": "pnp-scenario/1"');
    const c = check(broken);
    expect(c.problems).toHaveLength(1);
    expect(c.problems[0].message).toMatch(/^JSON syntax error at line 3/);
    expect(broken.slice(c.problems[0].from, c.problems[0].from + 7)).toBe('"title"');
  });

  it('reports warnings of a valid scenario as warnings', () => {
    const s = { format: 'pnp-scenario/1', apps: { a: { routines: { main: [] } } }, timeline: [{ do: 'start', app: 'a' }] };
    const loaded = load(s);
    const c = check(toText(s));
    expect(c.result.ok).toBe(true);
    expect(c.problems.map((p) => p.severity)).toEqual((loaded.ok ? loaded.warnings : []).map(() => 'warning'));
  });
});

describe('setEnvelopeString', () => {
  it('replaces an existing title in place, keeping the rest of the text as written', () => {
    const odd = '{"format":"pnp-scenario/1",   "title" : "Old",\n"timeline":[ ]}';
    expect(setEnvelopeString(odd, 'title', 'New "quoted" ✓')).toBe('{"format":"pnp-scenario/1",   "title" : "New \\"quoted\\" ✓",\n"timeline":[ ]}');
  });

  it('adds a missing member in its conventional place, and removes an emptied one', () => {
    const t = toText({ format: 'pnp-scenario/1', timeline: [] });
    const added = setEnvelopeString(t, 'description', 'About');
    expect(Object.keys(parseObject(added)!)).toEqual(['format', 'description', 'timeline']);
    const titled = setEnvelopeString(added, 'title', 'T');
    expect(Object.keys(parseObject(titled)!)).toEqual(['format', 'title', 'description', 'timeline']);
    expect(Object.keys(parseObject(setEnvelopeString(titled, 'title', ''))!)).toEqual(['format', 'description', 'timeline']);
  });

  it('leaves text that is not a JSON object alone', () => {
    expect(setEnvelopeString('{ broken', 'title', 'x')).toBe('{ broken');
    expect(setEnvelopeString('[1]', 'title', 'x')).toBe('[1]');
  });

  it('keeps a "__proto__" member as data', () => {
    const next = setEnvelopeString('{"format":"pnp-scenario/1","__proto__":{"x":1}}', 'title', 'T');
    expect(next).toContain('"__proto__": { "x": 1 }');
  });
});

describe('reading an imported file', () => {
  it('valid: pretty text that loads', () => {
    const r = readScenarioFile('a.json', JSON.stringify(seed000));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.text).toBe(toText(seed000));
    expect(r.text.split('\n').length).toBeGreaterThan(20);
    expect(load(JSON.parse(r.text)).ok).toBe(true);
  });

  it('invalid: the errors with their paths, nothing else', () => {
    const r = readScenarioFile('bad.json', '{"format":"pnp-scenario/1","timeline":[{"do":"load","driver":"x"}]}');
    expect(r).toEqual({ ok: false, title: 'bad.json is not a valid scenario:', errors: [expect.objectContaining({ path: '/timeline/0/driver' })] });
  });

  it('newer version: says so', () => {
    const r = readScenarioFile('new.json', '{"format":"pnp-scenario/9"}');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.title).toMatch(/newer version of the playground/);
  });

  it('too large: refused before reading', () => {
    expect(fileTooLarge('big.json', 1024 * 1024)).toBeUndefined();
    expect(fileTooLarge('big.json', 3 * 1024 * 1024)).toEqual({ ok: false, title: 'big.json is 3.0 MiB; a scenario is at most 1 MiB of JSON.', errors: [] });
  });
});

describe('minimalChange', () => {
  it('keeps the common prefix and suffix', () => {
    expect(minimalChange('abcdef', 'abXYef')).toEqual({ from: 2, to: 4, insert: 'XY' });
    expect(minimalChange('abc', 'abc')).toBeUndefined();
    expect(minimalChange('', 'x')).toEqual({ from: 0, to: 0, insert: 'x' });
    expect(minimalChange('aaa', 'aa')).toEqual({ from: 2, to: 3, insert: '' });
  });

  it('always turns one text into the other', () => {
    const cases = [['hello world', 'hello there world'], ['abab', 'ab'], ['x', ''], ['{"a":1}', '{"a":12}']];
    for (const [a, b] of cases) {
      const c = minimalChange(a, b)!;
      expect(a.slice(0, c.from) + c.insert + a.slice(c.to)).toBe(b);
    }
  });
});

describe('importing a file: UTF-8 only', () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  it('decodes UTF-8 (with or without a byte-order mark)', () => {
    expect(decodeFile('a.json', enc('{"title":"é😀"}'))).toEqual({ ok: true, text: '{"title":"é😀"}' });
    expect(decodeFile('a.json', new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d]))).toMatchObject({ ok: true });
  });

  it('invalid UTF-8 is an error with the byte offset of the first bad sequence, never U+FFFD', () => {
    const bad = (prefix: string, tail: number[]) => new Uint8Array([...enc(prefix), ...tail]);
    const cases: [Uint8Array, number][] = [
      [bad('{"t":"', [0xff, 0x22, 0x7d]), 6], // a byte that never starts a sequence
      [bad('{"é":"', [0xc3, 0x28]), 7], // a lead byte without its continuation (é is 2 bytes)
      [bad('{', [0xc0, 0xaf]), 1], // an overlong encoding
      [bad('ab', [0xed, 0xa0, 0x80]), 2], // a surrogate
      [bad('abc', [0xe2, 0x82]), 3], // cut at the end
      [bad('', [0xf5, 0x80, 0x80, 0x80]), 0], // past U+10FFFF
    ];
    for (const [bytes, offset] of cases) {
      expect(invalidUtf8Offset(bytes)).toBe(offset);
      const r = decodeFile('x.json', bytes);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.title).toContain(`byte offset ${offset}`);
    }
    expect(invalidUtf8Offset(enc('plain ✓ 😀'))).toBe(enc('plain ✓ 😀').length);
  });
});
