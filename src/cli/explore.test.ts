// `npm run explore`, driven as a real process (`node bin/pnp-playground.mjs explore …`), plus unit
// tests of its argument parsing.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, isStale } from '../../scripts/cli-bundle.mjs';
import type { ExploreResult, StealStats } from '../engine/explore/index.ts';
import { runCli } from './testing.ts';
import { parseArgs } from './explore.ts';
import { EXIT } from './simulate.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DEMO = join(ROOT, 'src/scenario/demos/seed003-non-ex-window.json');
const TIMEOUT = 60_000;

const tmp = mkdtempSync(join(tmpdir(), 'explore-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
beforeAll(async () => {
  if (isStale()) await buildCli();
}, TIMEOUT);

const explore = (args: string[], stdin?: string, env?: Record<string, string>) => runCli(['explore', ...args], stdin, env);

describe('npm run explore', { timeout: TIMEOUT }, () => {
  it('prints one pnp-explore/1 object; the same with one worker thread and with two', async () => {
    const one = await explore(['--workers', '1', DEMO]);
    const two = await explore(['--workers', '2', DEMO]);
    expect(one).toMatchObject({ code: EXIT.ran, stderr: '' });
    expect(two).toMatchObject({ code: EXIT.ran, stderr: '' });
    expect(one.stdout.endsWith('\n')).toBe(true);
    expect(one.stdout.trim().split('\n')).toHaveLength(1);
    expect(two.stdout).toBe(one.stdout);
    const r = JSON.parse(one.stdout) as ExploreResult;
    expect(Object.keys(r)).toEqual(['format', 'complete', 'stoppedBy', 'runs', 'states', 'outcomes']);
    expect(r).toMatchObject({ format: 'pnp-explore/1', complete: true, stoppedBy: [] });
    expect(r.runs).toBe(r.outcomes.reduce((n, o) => n + o.runs, 0));
    expect(Object.keys(r.outcomes[0])).toEqual(['halt', 'hazards', 'runs', 'schedule', 'divergesAt', 'observations']);
    expect(r.outcomes.some((o) => o.hazards.includes('UN-5:bugcheck:0x50'))).toBe(true);
  });

  it('the largest demo, shared with worker threads by work stealing: the same output as one worker', async () => {
    const recipe = join(ROOT, 'src/scenario/demos/seed002-recipe.json');
    const one = await explore(['--workers', '1', recipe]);
    expect(one).toMatchObject({ code: EXIT.ran, stderr: '' });
    expect(JSON.parse(one.stdout)).toMatchObject({ complete: true });
    const two = await explore(['--workers', '2', recipe]);
    expect(two).toEqual({ code: EXIT.ran, stdout: one.stdout, stderr: '' });
    // The threads started at once (by default only after THREADS_AFTER_MS of exploring here), and
    // how the work was shared printed (PNP_EXPLORE_STATS): the threads explored part of the tree.
    for (const workers of [2, 3]) {
      const shared = await explore(['--workers', String(workers), recipe], undefined, { PNP_EXPLORE_THREADS_AFTER_MS: '0', PNP_EXPLORE_STATS: '1' });
      expect(shared).toMatchObject({ code: EXIT.ran, stdout: one.stdout });
      const stats = JSON.parse(/^explore: workers (.*)$/m.exec(shared.stderr)![1]) as StealStats;
      const runs = stats.workers.map((w) => w?.runs ?? 0);
      expect(runs.reduce((a, b) => a + b, 0)).toBe((JSON.parse(one.stdout) as ExploreResult).runs);
      if (runs.slice(1).every((n) => n === 0)) console.warn(`explore --workers ${workers}: the threads were not ready before this thread finished (a loaded machine)`);
      else {
        // The workers sent each other the states they explored completely (src/engine/explore/explored.ts).
        expect(stats.workers.every((w) => !w || w.runs === 0 || w.shared!.sent > 0)).toBe(true);
        expect(stats.workers.some((w) => w && w.shared!.received > 0)).toBe(true);
      }
    }
  });

  it('worker threads sharing the states they explored, under a preemption bound: the same output with 1, 2 and 3 workers', async () => {
    const recipe = join(ROOT, 'src/scenario/demos/seed002-recipe.json');
    const one = await explore(['--workers', '1', '--preemptions', '1', recipe]);
    expect(one).toMatchObject({ code: EXIT.ran, stderr: '' });
    for (const workers of ['2', '3']) {
      const many = await explore(['--workers', workers, '--preemptions', '1', recipe], undefined, { PNP_EXPLORE_THREADS_AFTER_MS: '0' });
      expect(many).toEqual({ code: EXIT.ran, stdout: one.stdout, stderr: '' });
    }
  });

  it('--max-runs on worker threads: every worker counts against one bound, and the result says it stopped', async () => {
    const recipe = join(ROOT, 'src/scenario/demos/seed002-recipe.json');
    const out = await explore(['--workers', '2', '--max-runs', '2000', recipe], undefined, { PNP_EXPLORE_THREADS_AFTER_MS: '0' });
    expect(out).toMatchObject({ code: EXIT.ran, stderr: '' });
    const r = JSON.parse(out.stdout) as ExploreResult;
    expect(r).toMatchObject({ complete: false, stoppedBy: ['max-runs'] });
    expect(r.runs).toBeLessThanOrEqual(2000);
    expect(r.runs).toBeGreaterThan(1000);
  });

  it('an outcome\'s schedule, put in the scenario, makes simulate end with that outcome', async () => {
    const r = JSON.parse((await explore(['--workers', '1', DEMO])).stdout) as ExploreResult;
    const bug = r.outcomes.find((o) => o.halt === 'bugcheck')!;
    const scenario = JSON.parse(readFileSync(DEMO, 'utf8')) as Record<string, unknown>;
    const file = join(tmp, 'with-schedule.json');
    writeFileSync(file, JSON.stringify({ ...scenario, schedule: bug.schedule }));
    const sim = await runCli(['simulate', file]);
    expect(sim.code).toBe(EXIT.ran);
    const trace = sim.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; reason?: string; rule?: string; severity?: string });
    expect(trace.at(-1)).toMatchObject({ type: 'halt', reason: 'bugcheck' });
    expect(trace.filter((e) => e.type === 'hazard').map((e) => `${e.rule}:${e.severity}`)).toEqual(bug.hazards.map((h) => h.split(':').slice(0, 2).join(':')));
  });

  it('--max-runs: stopped at the bound, exit 0; reads stdin with "-"', async () => {
    const out = await explore(['--max-runs', '3', '--workers=1', '-'], readFileSync(DEMO, 'utf8'));
    expect(out.code).toBe(EXIT.ran);
    expect(JSON.parse(out.stdout)).toMatchObject({ complete: false, stoppedBy: ['max-runs'], runs: 3 });
  });

  it('an invalid scenario: the same messages as simulate, exit 2', async () => {
    const bad = JSON.stringify({ format: 'pnp-scenario/1', drivers: { d: { routines: { DriverEntry: [{ call: 'NoSuchApi' }] } } } });
    const a = await explore(['-'], bad);
    const b = await runCli(['simulate', '-'], bad);
    expect(a.code).toBe(EXIT.invalid);
    expect(a.stdout).toBe('');
    expect(a.stderr).toBe(b.stderr);
    expect(a.stderr).not.toBe('');
  });

  it('an unreadable file or a bad option: exit 1', async () => {
    const missing = await explore([join(tmp, 'nope.json')]);
    expect(missing.code).toBe(EXIT.internal);
    expect(missing.stderr).toMatch(/^explore: cannot read /);
    const bad = await explore(['--preemptions', 'x', DEMO]);
    expect(bad.code).toBe(EXIT.internal);
    expect(bad.stderr).toMatch(/^explore: --preemptions needs a whole number/);
  });
});

describe('parseArgs', () => {
  it('reads the bounds and the worker count', () => {
    expect(parseArgs(['a.json', '--max-runs', '10', '--time-limit=2.5', '--preemptions', '2', '--workers', '3'])).toEqual({
      file: 'a.json', maxRuns: 10, timeLimitS: 2.5, preemptions: 2, workers: 3,
    });
    expect(parseArgs(['--help'])).toBe('help');
    expect(parseArgs([])).toEqual({ error: 'no scenario file given' });
    expect(parseArgs(['--workers', '0', 'a.json'])).toEqual({ error: '--workers needs at least 1' });
    expect(parseArgs(['--', '--weird.json'])).toEqual({ file: '--weird.json' });
  });
});
