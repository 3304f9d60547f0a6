// jsonLines writes exactly one JSON.stringify per entry and a line break: on every demo's trace,
// and on random entries of every kind with hostile values (quotes, backslashes, control
// characters, lone surrogates, `__proto__` keys, the separator text itself, nested arrays of
// objects that start with `seq`, entries that do not).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../engine/index.ts';
import type { TraceEntry } from '../engine/trace.ts';
import { DEMOS } from '../scenario/demos/index.ts';
import { load } from '../scenario/load.ts';
import { eachJsonLines, jsonLines } from './lines.ts';

const reference = (entries: readonly unknown[]) => entries.map((e) => `${JSON.stringify(e)}\n`).join('');
const asEntries = (xs: unknown[]) => xs as TraceEntry[];

/** Strings JSON.stringify has to escape, or that look like the boundary between two entries. */
const hostile = fc.oneof(
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }), // lone surrogates included
  fc.constantFrom('"', '\\', '\u0000', '\u001f', '\u2028', '\ud800', '\udc00x', '},{"seq":', '}\n{"seq":', '"},{\\"seq\\":1', '__proto__', 'constructor', 'é', '😀'),
);
const key = fc.oneof(hostile, fc.constantFrom('seq', '__proto__', 'toString', '0', '10', 'rule'));

/** A JSON-like value: may hold objects whose first key is `seq` inside arrays (the separator, nested). */
const value = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    hostile,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.array(fc.record({ seq: fc.integer(), x: tie('v') }), { maxLength: 3 }),
    fc.array(fc.tuple(key, tie('v')), { maxLength: 4 }).map(objectOf),
  ),
})).v;

/** An object with these own keys in this order (`__proto__` an own key, as JSON.parse makes it). */
function objectOf(pairs: [string, unknown][]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of pairs) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  return o;
}

const TYPES = ['action', 'call', 'return', 'invoke', 'complete', 'irp', 'irpComplete', 'queue', 'state', 'hazard', 'note', 'halt'];

/** An entry of a random kind: `seq`, `step`, `thread`, `type` first, then fields in any order. */
const entry = fc
  .record({
    seq: fc.nat(),
    step: fc.nat(),
    thread: hostile,
    type: fc.constantFrom(...TYPES),
    fields: fc.array(fc.tuple(key, value), { maxLength: 6 }),
  })
  .map(({ seq, step, thread, type, fields }) => objectOf([['seq', seq], ['step', step], ['thread', thread], ['type', type], ...fields]));

/** Now and then an entry that does not start with `seq` (never from the engine, still exact). */
const anyEntry = fc.oneof({ weight: 9, arbitrary: entry }, { weight: 1, arbitrary: fc.array(fc.tuple(key, value), { maxLength: 4 }).map(objectOf) });

describe('jsonLines', () => {
  it.each(DEMOS.map((d) => [d.id, d] as const))('%s: the bytes of one JSON.stringify per entry', (_, d) => {
    const loaded = load(d.scenario);
    if (!loaded.ok) throw new Error(d.id);
    const run = runScenario(loaded.scenario);
    if (!run.ok) throw new Error(d.id);
    expect(jsonLines(run.trace)).toBe(reference(run.trace));
  });

  it('writes JSON.stringify exactly for random entries of every kind with hostile strings and keys', () => {
    fc.assert(
      fc.property(fc.array(anyEntry, { maxLength: 12 }), (xs) => {
        expect(jsonLines(asEntries(xs))).toBe(reference(xs));
      }),
      { numRuns: 2000 },
    );
  });

  it('cuts long traces into slices that join to the same text, one whole line each', () => {
    fc.assert(
      fc.property(fc.array(entry, { minLength: 500, maxLength: 1600 }), (xs) => {
        const texts: string[] = [];
        eachJsonLines(asEntries(xs), (t) => texts.push(t));
        expect(texts.join('')).toBe(reference(xs));
        for (const t of texts) expect(t.endsWith('\n')).toBe(true);
      }),
      { numRuns: 20 },
    );
  });

  it('falls back to one entry at a time where the separator also stands inside an entry', () => {
    const xs = [
      { seq: 0, step: 0, thread: 'system', type: 'note', text: 'a', args: [{ seq: 1 }, { seq: 2 }] },
      { seq: 1, step: 0, thread: '},{"seq":', type: 'note', text: '},{"seq":' },
      { step: 0, seq: 2, thread: 'system', type: 'halt', reason: 'quiescent' },
    ];
    expect(jsonLines(asEntries(xs))).toBe(reference(xs));
    expect(jsonLines([])).toBe('');
  });
});
