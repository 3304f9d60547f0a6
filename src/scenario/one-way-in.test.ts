// One way in (docs/architecture.md): every scenario reaches the engine through `load`. Only load.ts
// runs the migration chain and the validator, and the current format id is written once
// (SCENARIO_FORMAT in types.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = join(import.meta.dirname, '../..');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(p));
    else if (/\.(ts|tsx)$/.test(e.name) && !/\.(test|spec)\.tsx?$/.test(e.name)) out.push(p);
  }
  return out;
}

const files = [...sources(join(repo, 'src')), ...sources(join(repo, 'bench')), ...sources(join(repo, 'e2e'))].map((p) => ({
  path: relative(repo, p).split('\\').join('/'),
  code: readFileSync(p, 'utf8')
    .split('\n')
    .filter((l) => !/^\s*(\/\/|\*|\/\*)/.test(l))
    .join('\n'),
}));

describe('one way in', () => {
  it('only load.ts imports the validator and runs the migration chain', () => {
    const validates = files.filter((f) => /from '[^']*\/validate\.ts'|from '\.\/validate\.ts'/.test(f.code)).map((f) => f.path);
    expect(validates).toEqual(['src/scenario/load.ts']);
    const migrates = files.filter((f) => /\bmigrate(With)?\(/.test(f.code) && f.path !== 'src/scenario/migrations.ts').map((f) => f.path);
    expect(migrates).toEqual(['src/scenario/load.ts']);
  });

  it('the current format id is written once, as SCENARIO_FORMAT', () => {
    const literal = files.filter((f) => f.code.includes("'pnp-scenario/1'") || f.code.includes('"pnp-scenario/1"')).map((f) => f.path);
    expect(literal).toEqual(['src/scenario/types.ts']);
  });
});
