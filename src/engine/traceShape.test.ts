// Rule stamps are additive: every demo and golden link keeps its entries, their types, threads and
// positions (links with `schedule` overrides address entries by position). The fingerprints in
// fixtures/trace-shapes.json were taken before the stamps were added; an engine change that
// deliberately moves entries regenerates them with `UPDATE_TRACE_SHAPES=1 npx vitest run src/engine/traceShape.test.ts`.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEMOS } from '../scenario/demos/index.ts';
import { decodeHash } from '../scenario/codec.ts';
import { load } from '../scenario/load.ts';
import golden from '../scenario/fixtures/golden-links.json' with { type: 'json' };
import { runScenario } from './index.ts';
import { traceShape } from './traceShape.ts';

const FILE = new URL('./fixtures/trace-shapes.json', import.meta.url);
const stored = JSON.parse(readFileSync(FILE, 'utf8')) as Record<string, { entries: number; sha256: string }>;

function shapes(): Record<string, { entries: number; sha256: string }> {
  const out: Record<string, { entries: number; sha256: string }> = {};
  for (const d of DEMOS) {
    const l = load(d.scenario);
    if (!l.ok) throw new Error(d.id);
    const r = runScenario(l.scenario);
    if (r.ok) out[`demo:${d.id}`] = traceShape(r.trace);
  }
  for (const g of golden.links as { name: string; link: string }[]) {
    const o = decodeHash(g.link);
    if (!o.ok) continue;
    const r = runScenario(o.scenario);
    if (r.ok) out[`link:${g.name}`] = traceShape(r.trace);
  }
  return out;
}

describe('trace shapes (seq, type, thread) are unchanged', () => {
  const now = shapes();
  if (process.env.UPDATE_TRACE_SHAPES) writeFileSync(FILE, `${JSON.stringify(now, null, 2)}\n`);

  it('covers every demo', () => {
    for (const d of DEMOS) expect(Object.keys(stored)).toContain(`demo:${d.id}`);
  });

  it.each(Object.keys(stored))('%s', (key) => {
    expect(now[key]).toEqual(stored[key]);
  });
});
