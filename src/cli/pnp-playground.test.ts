// The command-line entry point and its prebuilt bundle: `node bin/pnp-playground.mjs <command>`
// (what `npm run simulate`, `npm run link` and `npx pnp-playground` run), and the staleness check
// that rebuilds the bundle when a source changed.
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE, MANIFEST, ROOT, buildCli, codeCachePath, isStale, manifestOf, type CliManifest } from '../../scripts/cli-bundle.mjs';
import { scenarioToHash } from '../scenario/codec.ts';
import { loadText } from '../scenario/load.ts';
import { runCli } from './testing.ts';

const TIMEOUT = 60_000;
const SEED000 = join(ROOT, 'src/scenario/demos/seed000-sync.json');
const tmp = mkdtempSync(join(tmpdir(), 'cli-bundle-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
beforeAll(async () => {
  if (isStale()) await buildCli();
}, TIMEOUT);

const run = (args: string[]) => runCli(args);

describe('isStale', () => {
  it('is false while every input keeps its size and time; true when one changes, disappears, or the bundle or manifest is missing', () => {
    const input = join(tmp, 'input.ts');
    const bundle = join(tmp, 'bundle.mjs');
    const manifest = join(tmp, 'manifest.json');
    writeFileSync(input, 'export const a = 1;\n');
    writeFileSync(bundle, '');
    writeFileSync(manifest, JSON.stringify(manifestOf([input])));
    expect(isStale(manifest, bundle)).toBe(false);

    writeFileSync(input, 'export const a = 22;\n'); // edited: size and time change
    expect(isStale(manifest, bundle)).toBe(true);
    writeFileSync(manifest, JSON.stringify(manifestOf([input])));
    expect(isStale(manifest, bundle)).toBe(false);

    const later = new Date(Date.now() + 5_000);
    utimesSync(input, later, later); // same size, touched (e.g. a checkout)
    expect(isStale(manifest, bundle)).toBe(true);

    writeFileSync(manifest, JSON.stringify(manifestOf([input])));
    expect(isStale(manifest, join(tmp, 'no-bundle.mjs'))).toBe(true);
    expect(isStale(join(tmp, 'no-manifest.json'), bundle)).toBe(true);
    rmSync(input);
    expect(isStale(manifest, bundle)).toBe(true);
    writeFileSync(manifest, '{ not json');
    expect(isStale(manifest, bundle)).toBe(true);
  });

  it('the real build lists its sources (and only the English zod locale); touching one makes it stale', () => {
    expect(isStale()).toBe(false);
    const real = JSON.parse(readFileSync(MANIFEST, 'utf8')) as CliManifest;
    const paths = real.inputs.map(([p]) => p.replaceAll('\\', '/'));
    for (const source of ['src/cli/pnp-playground.ts', 'src/cli/simulate.ts', 'src/cli/link.ts', 'src/engine/engine.ts', 'src/scenario/validate.ts', 'scripts/cli-bundle.mjs']) {
      expect(paths.some((p) => p.endsWith(source))).toBe(true);
    }
    expect(paths.filter((p) => /\/zod\/.*\/locales\//.test(p)).map((p) => p.replace(/.*\/locales\//, ''))).toEqual(['en.js']);
    expect(readFileSync(BUNDLE, 'utf8')).not.toMatch(/(from |require\()['"](tsx|zod|fflate)/); // self-contained

    const touched: CliManifest = { ...real, inputs: real.inputs.map(([p, size, mtime], i) => [p, size, i === 0 ? mtime - 1 : mtime]) };
    const copy = join(tmp, 'touched.json');
    writeFileSync(copy, JSON.stringify(touched));
    expect(isStale(copy)).toBe(true);
  });
});

describe('the code cache', () => {
  it("a run saves its command's V8 code cache and the next runs start from it; one V8 cannot use is replaced, never an error", { timeout: TIMEOUT }, async () => {
    const path = codeCachePath('link');
    rmSync(path, { force: true });
    const first = await run(['link', SEED000]);
    expect(first.code).toBe(0);
    expect(existsSync(path)).toBe(true);
    expect(await run(['link', SEED000])).toEqual(first);
    writeFileSync(path, 'not a code cache');
    expect(await run(['link', SEED000])).toEqual(first);
    expect(readFileSync(path, 'utf8')).not.toBe('not a code cache');
    expect(await run(['link', SEED000])).toEqual(first);
  });
});

describe.concurrent('pnp-playground (process)', () => {
  it('--help lists the commands (exit 0); no command or an unknown one is a usage error (exit 1)', { timeout: TIMEOUT }, async () => {
    const [help, none, unknown, proto] = await Promise.all([run(['--help']), run([]), run(['frobnicate']), run(['constructor'])]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: pnp-playground <command>/);
    expect(help.stdout).toContain('simulate');
    expect(help.stdout).toContain('link');
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^usage: /);
    for (const r of [unknown, proto]) {
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^pnp-playground: unknown command "(frobnicate|constructor)"\n/);
    }
  });

  it('link prints the link of the scenario (the page codec), with --step', { timeout: TIMEOUT }, async () => {
    const [plain, stepped, bad] = await Promise.all([run(['link', SEED000]), run(['link', '--step', '7', SEED000]), run(['link', '--step', 'x', SEED000])]);
    const loaded = loadText(readFileSync(SEED000, 'utf8'));
    if (!loaded.ok) throw new Error('seed 000 does not load');
    expect(plain).toEqual({ code: 0, stdout: `/${scenarioToHash(loaded.scenario)}\n`, stderr: '' });
    expect(stepped.stdout).toBe(`/${scenarioToHash(loaded.scenario, 7)}\n`);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--step needs a non-negative integer');
  });
});
