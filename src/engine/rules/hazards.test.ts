// Severity and bug check of every hazard come from the catalogue, nowhere else (issue 8).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMOS } from '../../scenario/demos/index.ts';
import { decodeHash } from '../../scenario/codec.ts';
import { load } from '../../scenario/load.ts';
import golden from '../../scenario/fixtures/golden-links.json' with { type: 'json' };
import { runScenario } from '../index.ts';
import type { TraceEntry } from '../trace.ts';
import { RULES } from './catalog.ts';
import { hazardMismatches } from './hazards.ts';
import type { RuleId } from './ids.ts';

const ENGINE = new URL('..', import.meta.url).pathname;

function sources(dir: string): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (p.endsWith('.ts') && !p.endsWith('.test.ts') && !p.includes('/conformance/')) out.push({ path: p.slice(ENGINE.length), text: readFileSync(p, 'utf8') });
  }
  return out;
}

const ENGINE_SOURCES = sources(ENGINE);

describe('hazards come from the catalogue: the raise sites', () => {
  it('builds hazard entries in one place only (Engine.raise)', () => {
    const builders = ENGINE_SOURCES.filter((f) => /type: 'hazard',/.test(f.text)).map((f) => f.path);
    expect(builders).toEqual(['engine.ts']);
  });

  it('raises only cases the catalogue lists, and every listed case is raised somewhere', () => {
    const raised = new Set<string>();
    for (const f of ENGINE_SOURCES) {
      for (const m of f.text.matchAll(/\.raise\(\s*'([A-Z]+-\d+)',\s*'(\w+)'/g)) {
        const [, id, name] = m;
        expect(Object.hasOwn(RULES, id), `${f.path}: ${id}`).toBe(true);
        expect(Object.keys(RULES[id as RuleId].cases), `${f.path}: ${id} ${name}`).toContain(name);
        raised.add(`${id} ${name}`);
      }
      // A limit of the run reached (Engine.stop): DL-3, in the case named after the limit.
      for (const m of f.text.matchAll(/\.stop\(\s*'(\w+)'/g)) {
        expect(Object.keys(RULES['DL-3'].cases), `${f.path}: DL-3 ${m[1]}`).toContain(m[1]);
        raised.add(`DL-3 ${m[1]}`);
      }
      // A rule chosen at run time (a deadlock's rule, IO-7 / CM-12 for a blocking callback, KE-5 / DRV-3): the case literal.
      for (const m of f.text.matchAll(/\.raise\(\s*\w+,\s*'(\w+)'/g)) raised.add(`* ${m[1]}`);
    }
    for (const r of Object.values(RULES)) {
      for (const name of Object.keys(r.cases)) {
        expect(raised.has(`${r.id} ${name}`) || raised.has(`* ${name}`), `${r.id} ${name} is listed but never raised`).toBe(true);
      }
    }
  });
});

function traces(): [string, TraceEntry[]][] {
  const out: [string, TraceEntry[]][] = [];
  for (const d of DEMOS) {
    const l = load(d.scenario);
    if (!l.ok) throw new Error(d.id);
    const r = runScenario(l.scenario);
    if (r.ok) out.push([`demo ${d.id}`, r.trace]);
  }
  for (const g of golden.links as { name: string; link: string }[]) {
    const o = decodeHash(g.link);
    if (!o.ok) continue;
    const r = runScenario(o.scenario);
    if (r.ok) out.push([`link ${g.name}`, r.trace]);
  }
  return out;
}

describe('hazards come from the catalogue: every demo and golden link', () => {
  const all = traces();

  it.each(all)('%s', (_name, trace) => {
    expect(hazardMismatches(trace)).toEqual([]);
  });

  it('sees the rules whose consequence depends on circumstance in more than one case', () => {
    const seen = new Set(all.flatMap(([, t]) => t.flatMap((e) => (e.type === 'hazard' ? [`${e.rule} ${e.case}`] : []))));
    expect(seen).toContain('KE-5 unload');
    expect(seen).toContain('KE-5 call');
    expect(seen).toContain('UN-5 useAfterFree');
  });
});

describe('hazardMismatches', () => {
  const base = { seq: 0, step: 0, thread: 'pnp', type: 'hazard', message: 'm', verdict: 'breaks' } as const;
  it('reports a severity, a bug check or a case the catalogue does not have', () => {
    expect(hazardMismatches([{ ...base, rule: 'RM-4', severity: 'info', case: 'outstandingOpen' }])).toEqual(['#0 RM-4 outstandingOpen: severity info, catalogue warning']);
    expect(hazardMismatches([{ ...base, rule: 'UN-5', severity: 'bugcheck', case: 'doubleFree', bugcheck: '0x50 PAGE_FAULT_IN_NONPAGED_AREA' }])[0]).toMatch(/bug check 0x50.*catalogue 0xC2/);
    expect(hazardMismatches([{ ...base, rule: 'KE-1', severity: 'info' }])[0]).toMatch(/not in the catalogue/);
    expect(hazardMismatches([{ ...base, rule: 'KE-6', severity: 'warning', case: 'remove' }])).toEqual([]);
  });
});
