import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { diagnosticRange, offsetOf, parsePointer, pointerRange, syntaxErrorOffset } from './jsonpath.ts';
import { loadText } from './load.ts';
import { pointer as toPointer } from './errors.ts';

const at = (text: string, p: string) => {
  const r = pointerRange(text, p);
  return r ? { text: text.slice(r.from, r.to), exact: r.exact, key: r.key ? text.slice(r.key.from, r.key.to) : undefined } : undefined;
};

describe('parsePointer', () => {
  it('splits and unescapes (RFC 6901)', () => {
    expect(parsePointer('')).toEqual([]);
    expect(parsePointer('/a/b~1c/~0d/0')).toEqual(['a', 'b/c', '~d', '0']);
    expect(parsePointer('/')).toEqual(['']);
    expect(parsePointer('a')).toBeUndefined();
  });
});

describe('pointerRange', () => {
  const text = `{
  "format": "pnp-scenario/1",
  "drivers": {
    "d": { "routines": { "DriverEntry": [ { "call": "Foo", "x": [1, "}]", {"y": null}] }, { "op": "note", "text": "a \\"q\\" b" } ] } }
  },
  "a/b": { "~k": true }
}`;

  it('finds the root, members, elements and nested scalars', () => {
    expect(at(text, '')).toEqual({ text, exact: true, key: undefined });
    expect(at(text, '/format')).toEqual({ text: '"pnp-scenario/1"', exact: true, key: '"format"' });
    expect(at(text, '/drivers/d/routines/DriverEntry/0/call')).toEqual({ text: '"Foo"', exact: true, key: '"call"' });
    expect(at(text, '/drivers/d/routines/DriverEntry/0/x/1')?.text).toBe('"}]"');
    expect(at(text, '/drivers/d/routines/DriverEntry/0/x/2/y')?.text).toBe('null');
    expect(at(text, '/drivers/d/routines/DriverEntry/1/text')?.text).toBe('"a \\"q\\" b"');
    expect(at(text, '/drivers/d/routines/DriverEntry/1')?.text).toBe('{ "op": "note", "text": "a \\"q\\" b" }');
  });

  it('unescapes ~0 and ~1 in the pointer', () => {
    expect(at(text, '/a~1b/~0k')).toEqual({ text: 'true', exact: true, key: '"~k"' });
  });

  it('falls back to the deepest existing ancestor', () => {
    const r = at(text, '/drivers/d/routines/DriverEntry/0/CallbackFunction');
    expect(r?.exact).toBe(false);
    expect(r?.text.startsWith('{ "call": "Foo"')).toBe(true);
    expect(at(text, '/drivers/d/routines/DriverEntry/7')?.text.startsWith('[ {')).toBe(true);
    expect(at(text, '/format/deeper')).toMatchObject({ text: '"pnp-scenario/1"', exact: false });
    expect(at(text, '/drivers/d/routines/DriverEntry/01')?.exact).toBe(false);
  });

  it('resolves a repeated key to its last occurrence, as JSON.parse does', () => {
    expect(at('{"a": 1, "b": 2, "a": 3}', '/a')?.text).toBe('3');
  });

  it('handles \\u escapes in keys', () => {
    expect(at('{"\\u0041b": [true]}', '/Ab/0')?.text).toBe('true');
  });

  it('resolves what comes before damaged text and never throws', () => {
    expect(at('{"a": {"b": 1}, "c": [1, 2', '/a/b')?.text).toBe('1');
    expect(at('{"a": {"b": 1}, "c": [1, 2', '/c/1')?.text).toBe('2');
    expect(at('{"a": {"b": ', '/a/b')?.exact).toBe(false);
    expect(pointerRange('', '/a')).toBeUndefined();
    expect(pointerRange('   ', '')).toBeUndefined();
    expect(pointerRange('{}', 'nope')).toBeUndefined();
  });

  it('agrees with JSON.parse on every path of any JSON value (property)', () => {
    const paths = (v: unknown, base: (string | number)[] = []): (string | number)[][] => {
      if (v === null || typeof v !== 'object') return [base];
      const kids = Array.isArray(v) ? v.map((x, i) => [i, x] as const) : Object.entries(v);
      return [base, ...kids.flatMap(([k, x]) => paths(x, [...base, k]))];
    };
    const get = (v: unknown, p: (string | number)[]) => p.reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], v);
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.integer({ min: 0, max: 4 }), (value, indent) => {
        const text = JSON.stringify(value, null, indent);
        const parsed: unknown = JSON.parse(text); // the value as the text holds it (-0 is written 0)
        for (const p of paths(parsed)) {
          const r = pointerRange(text, toPointer(p));
          expect(r?.exact).toBe(true);
          expect(JSON.parse(text.slice(r!.from, r!.to))).toEqual(get(parsed, p));
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('diagnosticRange', () => {
  const text = '{\n  "drivers": {\n    "d": {\n      "routines": { "DriverEntry": [ { "call": "Nope" } ] }\n    }\n  }\n}';

  it('underlines a scalar value, a container by its key, a missing member by its parent key', () => {
    const r = (p: string) => {
      const d = diagnosticRange(text, p);
      return [text.slice(d.from, d.to), d.exact];
    };
    expect(r('/drivers/d/routines/DriverEntry/0/call')).toEqual(['"Nope"', true]);
    expect(r('/drivers/d/routines')).toEqual(['"routines"', true]);
    expect(r('/drivers/d/routines/DriverEntry/0/result')).toEqual(['{ "call": "Nope" }', false]);
    expect(r('/drivers/d/globals')).toEqual(['"d"', false]);
    expect(r('')).toEqual(['{', true]);
  });

  it('puts every error load() reports for a broken scenario on text that exists', () => {
    const broken = JSON.stringify(
      {
        format: 'pnp-scenario/1',
        machine: { processors: 'two', devices: [{ id: 'x', stack: ['nodrv'] }] },
        drivers: { d: { routines: { DriverEntry: [{ call: 'KeRegisterProcessorChangeCallback' }, { op: 'jump' }] } } },
        timeline: [{ do: 'load', driver: 'missing' }],
      },
      null,
      2,
    );
    const loaded = loadText(broken);
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.errors.length).toBeGreaterThan(3);
    for (const e of loaded.errors) {
      const d = diagnosticRange(broken, e.path);
      expect(d.to).toBeGreaterThan(d.from);
      expect(d.to).toBeLessThanOrEqual(broken.length);
      if (pointerRange(broken, e.path)?.exact) expect(d.exact).toBe(true);
    }
    const processors = loaded.errors.find((e) => e.path === '/machine/processors');
    expect(processors).toBeDefined();
    const d = diagnosticRange(broken, processors!.path);
    expect(broken.slice(d.from, d.to)).toBe('"two"');
  });
});

describe('syntax error positions', () => {
  it('maps line and column to an offset, clamped', () => {
    const text = 'ab\ncde\nf';
    expect(offsetOf(text, 1, 1)).toBe(0);
    expect(offsetOf(text, 2, 2)).toBe(4);
    expect(offsetOf(text, 2, 99)).toBe(6);
    expect(offsetOf(text, 9, 1)).toBe(text.length);
  });

  it('reads the position out of loadText’s message', () => {
    const text = '{\n  "format": "pnp-scenario/1",\n  "title": oops\n}';
    const loaded = loadText(text);
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    const offset = syntaxErrorOffset(text, loaded.errors[0].message);
    expect(offset).toBeDefined();
    expect(text.slice(offset!, offset! + 4)).toBe('oops');
    expect(syntaxErrorOffset(text, 'something else')).toBeUndefined();
  });
});
