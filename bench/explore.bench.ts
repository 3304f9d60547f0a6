// Interleaving explorer benchmark (docs/explore.md), on every built-in demo.
//
//   npm run bench:explore            # or: npx tsx bench/explore.bench.ts [--full-runs N]
//
// Per demo, in process: runs, states, outcomes and time of a complete exploration (target < 5 s);
// the reduction factor (runs without the sleep-set reduction / runs with it, where the exploration
// without it finishes within --full-runs schedules); and the explorer's cost per schedule against
// one plain runScenario of the same demo measured in the same run (the replay overhead).
// The speed-up of forking (each branch resumed from a copy of the run at its choice point, the default)
// over re-running every schedule from the start (`fork: false`), both measured in this run, alternately,
// in CPU time, per demo with more than one schedule (target ≥ 5×), and over all of them together.
// Then the command line on the largest demo with one worker thread and with two (whole process,
// target ≥ 1.6× on a 2-core machine).
//
// Prints a table with targets and PASS/FAIL and writes bench/results/explore.json. A missed target
// is printed loudly but does not fail the process: this is a benchmark, not a test.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMOS } from '../src/scenario/demos/index.ts';
import { load } from '../src/scenario/load.ts';
import { runScenario } from '../src/engine/index.ts';
import { explore } from '../src/engine/explore/index.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const i = process.argv.indexOf('--full-runs');
const FULL_RUNS = i >= 0 ? Number(process.argv[i + 1]) : 20_000;
const TARGET = { demoMs: 5_000, workerSpeedup: 1.6, forkSpeedup: 5 };

/**
 * Mean CPU time (this process, user + system: what other processes do on a loaded machine counts
 * less than in wall time) of one complete exploration forking and re-running, measured alternately
 * for at least `budgetMs` each.
 */
function forkAgainstRerun(s: Parameters<typeof explore>[0], budgetMs: number): { forkMs: number; rerunMs: number } {
  const spent = { fork: 0, rerun: 0 };
  const n = { fork: 0, rerun: 0 };
  while (spent.fork < budgetMs || spent.rerun < budgetMs) {
    for (const mode of ['fork', 'rerun'] as const) {
      const t = process.cpuUsage();
      explore(s, { fork: mode === 'fork' });
      const used = process.cpuUsage(t);
      spent[mode] += (used.user + used.system) / 1000;
      n[mode]++;
    }
  }
  return { forkMs: spent.fork / n.fork, rerunMs: spent.rerun / n.rerun };
}
let totalFork = 0;
let totalRerun = 0;

const rows: Record<string, unknown>[] = [];
let largest: { id: string; runs: number } = { id: '', runs: -1 };
for (const demo of DEMOS) {
  const l = load(demo.scenario);
  if (!l.ok) continue;
  const s = l.scenario;
  let t = performance.now();
  const r = explore(s, { timeLimitMs: 60_000, now: () => performance.now() });
  const ms = performance.now() - t;
  const full = explore(s, { reduction: false, maxRuns: FULL_RUNS, timeLimitMs: 60_000, now: () => performance.now() });
  t = performance.now();
  const plainN = 20;
  for (let k = 0; k < plainN; k++) runScenario({ ...s, schedule: [] });
  const plainMs = (performance.now() - t) / plainN;
  if (r.runs > largest.runs) largest = { id: demo.id, runs: r.runs };
  const many = r.runs > 1;
  const speed = many ? forkAgainstRerun(s, Math.min(2_000, Math.max(200, 3 * ms))) : null;
  if (speed) {
    totalFork += speed.forkMs;
    totalRerun += speed.rerunMs;
  }
  const speedup = speed ? speed.rerunMs / speed.forkMs : null;
  rows.push({
    demo: demo.id, complete: r.complete, runs: r.runs, states: r.states, outcomes: r.outcomes.length,
    ms: Math.round(ms), target: `< ${TARGET.demoMs} ms`, verdict: r.complete && ms < TARGET.demoMs ? 'PASS' : 'FAIL',
    reduction: full.complete ? +(full.runs / Math.max(1, r.runs)).toFixed(2) : `> ${(full.runs / Math.max(1, r.runs)).toFixed(2)}`,
    'ms/run': +(ms / Math.max(1, r.runs)).toFixed(3), 'vs plain run': +(ms / Math.max(1, r.runs) / plainMs).toFixed(2),
    'fork cpu ms': speed ? +speed.forkMs.toFixed(2) : 'n/a', 're-run cpu ms': speed ? +speed.rerunMs.toFixed(2) : 'n/a',
    'fork speed-up': speedup === null ? 'n/a (one schedule)' : `${speedup.toFixed(2)}× ${speedup >= TARGET.forkSpeedup ? 'PASS' : 'FAIL'}`,
  });
}
console.table(rows);
const overall = totalRerun / totalFork;
console.log(`\nforking over re-running from the start, all demos with more than one schedule together: ${totalFork.toFixed(0)} ms against ${totalRerun.toFixed(0)} ms of CPU, ${overall.toFixed(2)}× (target ≥ ${TARGET.forkSpeedup}× per demo) ${overall >= TARGET.forkSpeedup ? 'PASS' : 'FAIL'}`);

/** Whole-process time of `explore --workers N` on the largest demo (best of 3). */
function cli(workers: number): number {
  const file = join(tmpdir(), `explore-bench-${process.pid}.json`);
  writeFileSync(file, JSON.stringify(DEMOS.find((d) => d.id === largest.id)!.scenario));
  let best = Infinity;
  for (let k = 0; k < 3; k++) {
    const t = performance.now();
    const out = spawnSync(process.execPath, [join(ROOT, 'bin/pnp-playground.mjs'), 'explore', '--workers', String(workers), file], { encoding: 'utf8', maxBuffer: 1 << 28 });
    if (out.status !== 0) throw new Error(`explore --workers ${workers}: ${out.stderr}`);
    best = Math.min(best, performance.now() - t);
  }
  return best;
}
const one = cli(1);
const two = cli(2);
const speedup = one / two;
console.log(`\n${largest.id} (${largest.runs} schedules) on the command line: 1 worker ${Math.round(one)} ms, 2 workers ${Math.round(two)} ms: ${speedup.toFixed(2)}× (target ≥ ${TARGET.workerSpeedup}× on 2 cores; this machine: ${cpus().length} cores) ${speedup >= TARGET.workerSpeedup ? 'PASS' : 'FAIL'}`);

mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
writeFileSync(join(ROOT, 'bench/results/explore.json'), `${JSON.stringify({ demos: rows, fork: { forkMs: totalFork, rerunMs: totalRerun, speedup: overall }, workers: { demo: largest.id, oneMs: one, twoMs: two, speedup } }, null, 2)}\n`);
