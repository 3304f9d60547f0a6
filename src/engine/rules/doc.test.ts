import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { conformanceTests, mentions, renderRulesDoc, type SourceFile } from './doc.ts';
import { RULE_IDS } from './ids.ts';

const repo = join(import.meta.dirname, '../../..');
const dir = join(repo, 'src/engine/conformance');
const files: SourceFile[] = readdirSync(dir)
  .filter((f) => f.endsWith('.test.ts'))
  .sort()
  .map((f) => ({ path: `src/engine/conformance/${f}`, text: readFileSync(join(dir, f), 'utf8') }));

describe('docs/rules.md', () => {
  it('every rule has at least one conformance test that names it', () => {
    const tests = conformanceTests(files);
    const missing = RULE_IDS.filter((id) => (tests.get(id) ?? []).length === 0);
    expect(missing, 'rules without a conformance test (name the rule id in a test of src/engine/conformance)').toEqual([]);
  });

  it('is generated from the catalogue and up to date (npm run docs:rules)', () => {
    const current = readFileSync(join(repo, 'docs/rules.md'), 'utf8');
    expect(current === renderRulesDoc(files), 'docs/rules.md is stale: run `npm run docs:rules`').toBe(true);
  });

  it('lists every rule id with its title', () => {
    const text = renderRulesDoc(files);
    for (const id of RULE_IDS) expect(text).toContain(`\n### ${id}\n`);
  });

  it('finds tests by whole rule id, in the test name or its describe block', () => {
    expect(mentions('KE-10 refused', 'KE-1')).toBe(false);
    expect(mentions('KE-1 twice', 'KE-1')).toBe(true);
    expect(mentions('(IO-1, IO-3)', 'IO-3')).toBe(true);
    const found = conformanceTests([
      {
        path: 'x.test.ts',
        text: "describe('UN-5 order', () => {\n  it('frees after', () => {});\n});\nit('other KE-10 test', () => {});\n/x/.test('KE-2 not a test');\n",
      },
    ]);
    expect(found.get('UN-5')).toEqual([{ path: 'x.test.ts', name: 'UN-5 order › frees after' }]);
    expect(found.get('KE-10')).toEqual([{ path: 'x.test.ts', name: 'other KE-10 test' }]);
    expect(found.get('KE-1')).toEqual([]);
    expect(found.get('KE-2')).toEqual([]);
  });
});
