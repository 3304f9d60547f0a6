import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import seed000 from './demos/seed000-sync.json';
import { run } from '../engine/testing.ts';
import { scenarioToHash, decodeHash } from './codec.ts';
import { exportFileName, prettyJson, scenarioToJson, traceToJsonl } from './exporters.ts';
import { load, loadText } from './load.ts';

describe('prettyJson', () => {
  it('keeps short containers on one line and breaks long ones', () => {
    const text = prettyJson(
      { format: 'pnp-scenario/1', machine: { processors: 2 }, flags: ['A', 'B'], ops: [{ op: 'note', text: 'x'.repeat(120) }], empty: {}, none: [] },
      { width: 60 },
    );
    expect(text).toBe(
      [
        '{',
        '  "format": "pnp-scenario/1",',
        '  "machine": { "processors": 2 },',
        '  "flags": ["A", "B"],',
        '  "ops": [',
        '    {',
        '      "op": "note",',
        `      "text": "${'x'.repeat(120)}"`,
        '    }',
        '  ],',
        '  "empty": {},',
        '  "none": []',
        '}',
      ].join('\n'),
    );
  });

  it('counts the indent and the key against the width', () => {
    const v = { aaaaaaaaaa: { b: 1, c: 2 } };
    expect(prettyJson(v, { width: 36 })).toBe('{ "aaaaaaaaaa": { "b": 1, "c": 2 } }'); // 36 columns
    expect(prettyJson(v, { width: 35 })).toBe('{\n  "aaaaaaaaaa": { "b": 1, "c": 2 }\n}'); // 2 + 32 columns
    expect(prettyJson(v, { width: 33 })).toBe('{\n  "aaaaaaaaaa": {\n    "b": 1,\n    "c": 2\n  }\n}');
  });

  it('follows JSON.stringify for undefined, functions and non-finite numbers', () => {
    expect(prettyJson({ a: undefined, b: () => 1, c: NaN, d: [undefined, Infinity] })).toBe('{ "c": null, "d": [null, null] }');
    expect(prettyJson(undefined)).toBe('null');
    expect(prettyJson('x"y')).toBe('"x\\"y"');
  });

  it('parses back to the same value for any JSON value and width (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), fc.integer({ min: 0, max: 120 }), (value, width) => {
        expect(JSON.parse(prettyJson(value, { width }))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 300 },
    );
  });
});

describe('scenarioToJson', () => {
  it('gives text that loads back to the same scenario and the same link', () => {
    const loaded = load(seed000);
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    const text = scenarioToJson(loaded.scenario);
    const back = loadText(text);
    expect(back.ok).toBe(true);
    if (!back.ok) return;
    expect(back.scenario).toEqual(loaded.scenario);
    expect(scenarioToHash(back.scenario)).toBe(scenarioToHash(loaded.scenario));
  });

  it('leaves the defaults out and starts with the envelope in conventional order', () => {
    const loaded = load({ format: 'pnp-scenario/1', timeline: [{ do: 'hotAddProcessor' }], title: 'T' });
    if (!loaded.ok) throw new Error('invalid');
    expect(scenarioToJson(loaded.scenario)).toBe('{ "format": "pnp-scenario/1", "title": "T", "timeline": [{ "do": "hotAddProcessor" }] }\n');
  });

  it('reads like the format examples: one op per line', () => {
    const text = scenarioToJson(seed000 as never);
    expect(text).toContain('{ "call": "KeDeregisterProcessorChangeCallback", "CallbackHandle": "CallbackRegistrationHandle" }');
    expect(text).toContain('"machine": { "processors": 2, "maxProcessors": 4 },');
    expect(text.endsWith('}\n')).toBe(true);
  });
});

describe('traceToJsonl', () => {
  it('writes one JSON entry per line, each ending in a newline, and reads back', () => {
    const r = run(seed000);
    const jsonl = traceToJsonl(r.trace);
    const lines = jsonl.split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.length - 1).toBe(r.trace.length);
    expect(lines.slice(0, -1).map((l) => JSON.parse(l))).toEqual(JSON.parse(JSON.stringify(r.trace)));
    expect(JSON.parse(lines.at(-2)!)).toMatchObject({ type: 'halt', reason: 'quiescent' });
  });

  it('gives an empty file for an empty trace', () => {
    expect(traceToJsonl([])).toBe('');
  });

  it('keeps text with line breaks on its own line (JSON escapes them)', () => {
    const jsonl = traceToJsonl([{ seq: 0, step: 0, thread: 't', type: 'note', text: 'a\nb\u2028c' }]);
    expect(jsonl.split('\n')).toHaveLength(2);
  });
});

describe('exportFileName', () => {
  it('slugs the title and adds the kind’s extension', () => {
    expect(exportFileName('Synchronous processor notification', 'scenario')).toBe('synchronous-processor-notification.json');
    expect(exportFileName('Unregister in a CM callback!', 'trace')).toBe('unregister-in-a-cm-callback.trace.jsonl');
    expect(exportFileName('Café « déjà » vu', 'svg')).toBe('cafe-deja-vu.sequence.svg');
    expect(exportFileName('', 'mermaid')).toBe('scenario.sequence.mmd');
    expect(exportFileName('../../etc/passwd', 'scenario')).toBe('etc-passwd.json');
    expect(exportFileName('日本語', 'scenario')).toBe('scenario.json');
    expect(exportFileName('x'.repeat(200), 'scenario')).toBe(`${'x'.repeat(60)}.json`);
  });

  it('a link to the exported scenario opens', () => {
    expect(decodeHash(scenarioToHash(JSON.parse(scenarioToJson(seed000 as never)))).ok).toBe(true);
  });
});
