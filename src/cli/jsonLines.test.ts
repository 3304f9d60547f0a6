// The runner's JSON Lines, written a batch at a time (LineChunks.addJsonLines, jsonLines.ts), are
// byte-for-byte `JSON.stringify(entry)` and a newline per entry — whatever the entries hold.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadText } from '../scenario/load.ts';
import { runScenario } from '../engine/index.ts';
import { stressScenarioText } from '../../bench/stress.ts';
import { entryBoundaries, type Sequenced } from './jsonLines.ts';
import { LineChunks } from './simulate.ts';

/** What the runner must print for these entries: one JSON.stringify each, a newline after each. */
const expected = (entries: readonly unknown[]) => Buffer.from(entries.map((e) => `${JSON.stringify(e)}\n`).join(''), 'utf8');

/** The entries through addJsonLines, in batches of `batch`, into chunks of about `chunkBytes`. */
function written(entries: readonly Sequenced[], batch: number, chunkBytes: number): Buffer {
  const out = new LineChunks(chunkBytes, batch);
  out.addJsonLines(entries);
  const chunks = out.end();
  for (const c of chunks) expect(c.at(-1)).toBe(0x0a);
  return Buffer.concat(chunks);
}

/** Strings that JSON escapes or encodes in more than one byte, and object keys that are not like the others. */
const HOSTILE = [
  '"', '\\', '"}', ',{"seq":', ',{"seq":1,', '\n', '\r\n', '\t', '\u0000', '\u001f', '\u007f', '\u2028', '\u2029',
  '\ud800', '\udfff', 'a\ud83dz', '\ud83d\ude00', 'é', '—', '日本', '__proto__', 'constructor', 'toString', 'seq', '',
];
const hostileString = fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ unit: 'binary', maxLength: 12 }), fc.string({ maxLength: 12 }));
const key = fc.oneof(fc.constantFrom('seq', 'step', 'thread', 'type', 'args', '__proto__', 'constructor', 'toJSON', '0', '1', '"', ''), hostileString);

/** An object with these own keys, `__proto__` included as an ordinary own key. */
function objectOf(pairs: readonly [string, unknown][]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of pairs) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  return o;
}

const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    hostileString,
    fc.integer(),
    fc.double(),
    fc.constantFrom(null, true, false, undefined, -0, Number.NaN, Infinity),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.array(fc.tuple(key, tie('value')), { maxLength: 4 }).map(objectOf),
    // An object that starts like an entry, inside an entry: the boundary text where no boundary is.
    fc.tuple(fc.integer({ min: -2, max: 40 }), tie('value')).map(([seq, v]) => ({ seq, step: 0, thread: 'x', v })),
  ),
})).value;

/** A batch of entries: `seq` first and ascending (as the engine writes them, sometimes not), then any fields. */
const entries = fc
  .tuple(fc.nat({ max: 1000 }), fc.array(fc.tuple(fc.array(fc.tuple(key, value), { maxLength: 6 }), fc.boolean()), { minLength: 0, maxLength: 30 }))
  .map(([first, rows]) =>
    rows.map(([fields, seqFirst], i) => {
      const e = seqFirst || i % 7 !== 3 ? objectOf([['seq', first + i], ...fields.filter(([k]) => k !== 'seq')]) : objectOf(fields);
      return e as unknown as Sequenced;
    }),
  );

describe('JSON Lines a batch at a time', () => {
  it('are byte-for-byte JSON.stringify per entry, for any entries (hostile strings, __proto__ keys, boundary text inside entries)', () => {
    fc.assert(
      fc.property(entries, fc.integer({ min: 1, max: 40 }), fc.constantFrom(16, 256, 1 << 20), (es, batch, chunkBytes) => {
        expect(written(es, batch, chunkBytes).equals(expected(es))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('cut a trace at its entries: every entry starts with its own seq', () => {
    const loaded = loadText(stressScenarioText({ drivers: 3, hotAdds: 5 }));
    if (!loaded.ok) throw new Error('stress scenario invalid');
    const outcome = runScenario(loaded.scenario);
    if (!outcome.ok) throw new Error('schedule errors');
    const trace = outcome.trace;
    // The fast path is taken for real entries (a batch that fell back would be slower, not wrong).
    expect(entryBoundaries(JSON.stringify(trace), trace)).toHaveLength(trace.length - 1);
    expect(written(trace, 256, 4096).equals(expected(trace))).toBe(true);
  });

  it('fall back, with the same bytes, where the boundary text occurs inside an entry or an entry does not start with its seq', () => {
    const forged = [
      { seq: 0, step: 0, args: { list: [1, { seq: 1, step: 0 }] } },
      { seq: 1, step: 0 },
    ];
    expect(entryBoundaries(JSON.stringify(forged), forged)).toBeNull();
    expect(written(forged, 10, 64).equals(expected(forged))).toBe(true);
    const unordered = [{ seq: 0 }, { step: 1, seq: 1 }, { seq: 2 }];
    expect(entryBoundaries(JSON.stringify(unordered), unordered)).toBeNull();
    expect(written(unordered, 10, 64).equals(expected(unordered))).toBe(true);
    const leftOut = [{ seq: 0 }, { seq: undefined as unknown as number, step: 1 }];
    expect(entryBoundaries(JSON.stringify(leftOut), leftOut)).toBeNull();
    expect(written(leftOut, 10, 64).equals(expected(leftOut))).toBe(true);
    const numericKey = [{ seq: 0 }, { seq: 1, 0: 'first in JSON' }];
    expect(entryBoundaries(JSON.stringify(numericKey), numericKey)).toBeNull();
    const nonAscii = [{ seq: 0, text: 'é — 日本 😀' }, { seq: 1, text: '\ud800' }];
    expect(entryBoundaries(JSON.stringify(nonAscii), nonAscii)).toHaveLength(1);
    expect(written(nonAscii, 10, 64).equals(expected(nonAscii))).toBe(true);
  });
});
