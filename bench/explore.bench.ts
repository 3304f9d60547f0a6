// Interleaving explorer benchmark (docs/explore.md), on every built-in demo.
//
//   npm run bench:explore      # or: npx tsx bench/explore.bench.ts [--full-runs N] [--trials N] [--no-build] [--no-cli] [--no-page]
//
// 1. Per demo, in process: runs, states, outcomes and time of a complete exploration (target < 5 s);
//    the reduction factor (choice points explored without pruning seen states / distinct states
//    explored with it, where the exploration without it finishes within --full-runs schedules), the
//    time without pruning, and whether both give the same outcomes and counts (they must: pruning is
//    exact, docs/explore.md); and the explorer's cost per schedule against
//    one plain runScenario of the same demo measured in the same run (the replay overhead). The
//    speed-up of forking (each branch resumed from a copy of the run at its choice point, the default)
//    over re-running every schedule from the start (`fork: false`), both measured in this run,
//    alternately, in CPU time, per demo with more than one schedule (target ≥ 5×), and over all of
//    them together; both with pruning (the explorer as it runs) and running every schedule
//    (`reduction: false`: what forking saves per schedule, pruning aside — pruning skips most of
//    the schedules whose suffixes forking made cheap).
// 2. The command line with one worker and with two (whole process, best of --trials, the two
//    interleaved; target ≥ 1.6× on a 2-core machine), with the load average (the machine is shared:
//    other processes take cores from the second worker), and a check that both print the same
//    result: on the largest demo, and on heavier explorations generated from it (its apps started
//    twice, at most one preemption: ~28k schedules; at most two: ~470k), where there is work to split. And, since the
//    load of a shared machine stretches wall time, what it does not: the CPU time each worker spent
//    exploring (PNP_EXPLORE_STATS), so how evenly the work was shared and what sharing it cost, and
//    how many explored states each worker sent the others, received, and took over instead of
//    exploring them (src/engine/explore/explored.ts); and each thread's whole CPU time and the
//    process's (V8's compiler and GC threads included), from which it estimates the speed-up with
//    the machine's cores to itself (`freeWallMs`) — the exploring threads' CPU alone overstates it.
//    The 1.6× target is judged on the heaviest exploration only: the recipe's apps started twice with
//    at most two preemptions (~470k schedules, ~25k states, ~4–5 s of CPU with one worker). What a
//    second worker costs that one does not is partly fixed — the thread's start (~0.1–0.2 s), V8
//    optimising the engine again in the second isolate (~0.4–0.5 s of background compiling), its
//    first schedules run cold — so on the ~1.3 s exploration (`--preemptions 1`) those alone are a
//    third of the work; the issue's target is about heavy explorations, where a second core matters.
//    The lighter explorations (that one, and the largest demo alone, ~0.3 s) are still measured and
//    printed, marked "not judged". Each trial also prints the ceiling this measure leaves: what two
//    workers would reach if the second added no CPU at all (one worker's process CPU spread over the
//    cores, against its thread's CPU) — V8's background threads already spend 35–40 % of the
//    exploring thread's CPU with one worker, on the core it leaves free. And a bare baseline in the
//    same run, for the judged exploration: two one-worker explorations of it started at once (two
//    processes, nothing shared). Two workers that split one exploration cannot beat two that split
//    nothing, so 2 × one alone ÷ the pair's time is the most this machine lets any split reach.
// 3. The page (production build, served by `vite preview`, in the Chromium the e2e tests use):
//    Explore on the largest demo, with the page's own number of workers (hardwareConcurrency − 1),
//    and the long tasks (PerformanceObserver 'longtask') on the main thread meanwhile: target none
//    over 50 ms.
//
// Prints tables with targets and PASS/FAIL and writes bench/results/explore.json. A missed target
// is printed loudly but does not fail the process: this is a benchmark, not a test.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import config from '../playwright.config.ts';
import { DEMOS } from '../src/scenario/demos/index.ts';
import { scenarioToHash } from '../src/scenario/codec.ts';
import { load } from '../src/scenario/load.ts';
import type { Scenario, TimelineAction } from '../src/scenario/types.ts';
import { runScenario } from '../src/engine/index.ts';
import { explore } from '../src/engine/explore/index.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const option = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isInteger(v) && v > 0 ? v : fallback;
};
const FULL_RUNS = option('full-runs', 20_000);
const TRIALS = option('trials', 3);
const PORT = Number(process.env.EXPLORE_BENCH_PORT) || 4187;
const TARGET = { demoMs: 5_000, workerSpeedup: 1.6, longTaskMs: 50, forkSpeedup: 5 };
const load1 = () => loadavg()[0].toFixed(2);

/**
 * Mean CPU time (this process, user + system: what other processes do on a loaded machine counts
 * less than in wall time) of one complete exploration forking and re-running, measured alternately
 * for at least `budgetMs` each.
 */
function forkAgainstRerun(s: Parameters<typeof explore>[0], budgetMs: number, reduction = true): { forkMs: number; rerunMs: number } {
  const spent = { fork: 0, rerun: 0 };
  const n = { fork: 0, rerun: 0 };
  while (spent.fork < budgetMs || spent.rerun < budgetMs) {
    for (const mode of ['fork', 'rerun'] as const) {
      const t = process.cpuUsage();
      explore(s, { fork: mode === 'fork', reduction });
      const used = process.cpuUsage(t);
      spent[mode] += (used.user + used.system) / 1000;
      n[mode]++;
    }
  }
  return { forkMs: spent.fork / n.fork, rerunMs: spent.rerun / n.rerun };
}
let totalFork = 0;
let totalRerun = 0;
// The same, running every schedule (no pruning): what forking itself saves, per schedule explored.
let totalForkAll = 0;
let totalRerunAll = 0;

// ---------------------------------------------------------------- 1. every demo, in process

const rows: Record<string, unknown>[] = [];
let largest: { id: string; runs: number; scenario: Scenario } = { id: '', runs: -1, scenario: DEMOS[0].scenario as Scenario };
for (const demo of DEMOS) {
  const l = load(demo.scenario);
  if (!l.ok) continue;
  const s = l.scenario;
  let t = performance.now();
  const r = explore(s, { timeLimitMs: 60_000, now: () => performance.now() });
  const ms = performance.now() - t;
  t = performance.now();
  const full = explore(s, { reduction: false, maxRuns: FULL_RUNS, timeLimitMs: 60_000, now: () => performance.now() });
  const fullMs = performance.now() - t;
  t = performance.now();
  const plainN = 20;
  for (let k = 0; k < plainN; k++) runScenario({ ...s, schedule: [] });
  const plainMs = (performance.now() - t) / plainN;
  if (r.runs > largest.runs) largest = { id: demo.id, runs: r.runs, scenario: demo.scenario as Scenario };
  const speed = r.runs > 1 ? forkAgainstRerun(s, Math.min(2_000, Math.max(200, 3 * ms))) : null;
  const every = r.runs > 1 && full.complete ? forkAgainstRerun(s, Math.min(2_000, Math.max(200, 3 * fullMs)), false) : null;
  if (speed) {
    totalFork += speed.forkMs;
    totalRerun += speed.rerunMs;
  }
  if (every) {
    totalForkAll += every.forkMs;
    totalRerunAll += every.rerunMs;
  }
  const forkSpeedup = speed ? speed.rerunMs / speed.forkMs : null;
  const everySpeedup = every ? every.rerunMs / every.forkMs : null;
  rows.push({
    demo: demo.id, complete: r.complete, runs: r.runs, states: r.states, outcomes: r.outcomes.length,
    ms: Math.round(ms), target: `< ${TARGET.demoMs} ms`, verdict: r.complete && ms < TARGET.demoMs ? 'PASS' : 'FAIL',
    reduction: full.complete ? +(full.states / Math.max(1, r.states)).toFixed(2) : `> ${(full.states / Math.max(1, r.states)).toFixed(2)}`,
    'no-pruning ms': Math.round(fullMs),
    'same counts': full.complete ? JSON.stringify({ ...full, states: 0 }) === JSON.stringify({ ...r, states: 0 }) : 'n/a',
    'ms/run': +(ms / Math.max(1, r.runs)).toFixed(3), 'vs plain run': +(ms / Math.max(1, r.runs) / plainMs).toFixed(2),
    'fork cpu ms': speed ? +speed.forkMs.toFixed(2) : 'n/a', 're-run cpu ms': speed ? +speed.rerunMs.toFixed(2) : 'n/a',
    'fork speed-up': forkSpeedup === null ? 'n/a (one schedule)' : `${forkSpeedup.toFixed(2)}× ${forkSpeedup >= TARGET.forkSpeedup ? 'PASS' : 'FAIL'}`,
    'fork speed-up, every schedule': everySpeedup === null ? 'n/a' : `${everySpeedup.toFixed(2)}× ${everySpeedup >= TARGET.forkSpeedup ? 'PASS' : 'FAIL'}`,
  });
}
console.table(rows);
const forkOverall = totalRerun / totalFork;
console.log(`\nforking over re-running from the start, all demos with more than one schedule together: ${totalFork.toFixed(0)} ms against ${totalRerun.toFixed(0)} ms of CPU, ${forkOverall.toFixed(2)}× (target ≥ ${TARGET.forkSpeedup}× per demo) ${forkOverall >= TARGET.forkSpeedup ? 'PASS' : 'FAIL'}`);
const forkEvery = totalRerunAll / totalForkAll;
console.log(`the same running every schedule (no pruning; what forking saves per schedule): ${totalForkAll.toFixed(0)} ms against ${totalRerunAll.toFixed(0)} ms of CPU, ${forkEvery.toFixed(2)}× ${forkEvery >= TARGET.forkSpeedup ? 'PASS' : 'FAIL'}`);
console.log(`(load average while measuring: ${load1()} on ${cpus().length} cores)`);

// ---------------------------------------------------------------- 2. the command line, 1 and 2 workers

/**
 * A heavier exploration, where there is work to split: the largest demo with a second copy of each
 * of its apps started right after the first (two apps racing through the same callbacks), explored
 * with a preemption bound (`--preemptions 1`: tens of thousands of schedules; `2`: hundreds of
 * thousands; unbounded, it does not finish in minutes).
 */
function racingCopies(s: Scenario): Scenario {
  const apps = Object.entries(s.apps ?? {});
  const copy = (name: string) => `${name}2`;
  const timeline = (s.timeline ?? []).flatMap((a): TimelineAction[] => (a.do === 'start' ? [a, { ...a, app: copy(a.app) }] : [a]));
  return { ...s, apps: Object.fromEntries([...apps, ...apps.map(([name, app]) => [copy(name), app])]), timeline } as Scenario;
}
const CASES = [
  { name: `${largest.id} (${largest.runs} schedules)`, scenario: largest.scenario, args: [] as string[], judged: false },
  { name: `${largest.id} with its apps started twice, --preemptions 1`, scenario: racingCopies(largest.scenario), args: ['--preemptions', '1'], judged: false },
  { name: `${largest.id} with its apps started twice, --preemptions 2`, scenario: racingCopies(largest.scenario), args: ['--preemptions', '2'], judged: true },
];
/** How `explore` shared the work (PNP_EXPLORE_STATS=1, src/engine/explore/parallel.ts StealStats). */
interface Stats { workers: ({ tasks: number; runs: number; ms: number; cpuMs: number; threadCpuMs?: number; shared?: { sent: number; received: number; reused: number } } | null)[]; splits: number; ms: number; processCpuMs?: number }
/**
 * The wall time an exploration would take with the machine's cores to itself, from what the load
 * does not stretch (CPU times): at least its busiest thread's whole CPU time (its start and its
 * waiting included), and at least the whole process's CPU time spread over every core — V8
 * compiles and collects garbage on threads of its own, and with one worker those run on the core
 * it leaves free, with two they take CPU from the workers.
 */
const freeWallMs = (st: Stats) => Math.max(...st.workers.map((w) => w?.threadCpuMs ?? 0), (st.processCpuMs ?? NaN) / cpus().length);
interface CliRow { name: string; one: number[]; two: number[]; /** The bare parallel baseline: two one-worker processes at once, each one's wall time (judged exploration only). */ pairs: number[][]; /** 2 × one worker's best ÷ the best pair's slower one. */ pairCeiling?: number; loads: string[]; same: boolean; runs: number; speedup: number; freeSpeedup: number; judged: boolean; oneStats: Stats[]; twoStats: Stats[] }
const cliRows: CliRow[] = [];
const CLI = !process.argv.includes('--no-cli');
for (const c of CLI ? CASES : []) {
  const file = join(tmpdir(), `explore-bench-${process.pid}.json`);
  writeFileSync(file, JSON.stringify(c.scenario));
  /** Whole-process time of `explore --workers N`, what it printed, and how it shared the work. */
  const cli = (workers: number): { ms: number; stdout: string; stats: Stats } => {
    const t = performance.now();
    const out = spawnSync(process.execPath, [join(ROOT, 'bin/pnp-playground.mjs'), 'explore', '--workers', String(workers), ...c.args, file], { encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, PNP_EXPLORE_STATS: '1' } });
    if (out.status !== 0) throw new Error(`explore --workers ${workers}: ${out.stderr}`);
    const stats = JSON.parse(/^explore: workers (.*)$/m.exec(out.stderr)?.[1] ?? 'null') as Stats;
    return { ms: performance.now() - t, stdout: out.stdout, stats };
  };
  /** Two `explore --workers 1` processes of the same exploration started at once: each one's wall time. */
  const pairOfOnes = async (): Promise<number[]> => {
    const once = () =>
      new Promise<number>((done, fail) => {
        const t = performance.now();
        const child = spawn(process.execPath, [join(ROOT, 'bin/pnp-playground.mjs'), 'explore', '--workers', '1', ...c.args, file], { stdio: 'ignore' });
        child.on('error', fail);
        child.on('exit', (code) => (code === 0 ? done(performance.now() - t) : fail(new Error(`explore --workers 1 exited with ${code}`))));
      });
    return Promise.all([once(), once()]);
  };
  const row: CliRow = { name: c.name, one: [], two: [], pairs: [], loads: [load1()], same: true, runs: 0, speedup: 0, freeSpeedup: 0, judged: c.judged, oneStats: [], twoStats: [] };
  row.runs = (JSON.parse(cli(1).stdout) as { runs: number }).runs; // builds the command-line bundle if a source changed, warms the file and code caches
  for (let k = 0; k < TRIALS; k++) {
    const one = cli(1);
    const two = cli(2);
    row.one.push(one.ms);
    row.two.push(two.ms);
    row.oneStats.push(one.stats);
    row.twoStats.push(two.stats);
    row.same &&= one.stdout === two.stdout;
    if (c.judged) row.pairs.push(await pairOfOnes());
    row.loads.push(load1());
  }
  const best = (xs: number[]) => Math.min(...xs);
  row.speedup = best(row.one) / best(row.two);
  cliRows.push(row);
  const oneCpu = Math.min(...row.oneStats.map((st) => st.workers[0]?.cpuMs ?? NaN));
  row.judged = c.judged;
  row.freeSpeedup = Math.min(...row.oneStats.map(freeWallMs)) / Math.min(...row.twoStats.map(freeWallMs));
  const pass = (x: number) => (x >= TARGET.workerSpeedup ? 'PASS' : 'FAIL');
  const verdict = !c.judged ? `not judged (${oneCpu} ms of CPU with one worker: the heaviest exploration is judged)` : `wall ${pass(row.speedup)}; with the cores to itself ${row.freeSpeedup.toFixed(2)}× ${pass(row.freeSpeedup)}`;
  console.log(`\n${c.name}, ${row.runs} schedules, on the command line, best of ${TRIALS} (interleaved): 1 worker ${Math.round(best(row.one))} ms, 2 workers ${Math.round(best(row.two))} ms: ${row.speedup.toFixed(2)}× (target ≥ ${TARGET.workerSpeedup}× on 2 cores) ${verdict}`);
  console.log(`  all trials: 1 worker ${row.one.map(Math.round).join(', ')} ms; 2 workers ${row.two.map(Math.round).join(', ')} ms; load average ${row.loads.join(' → ')} on ${cpus().length} cores`);
  console.log(`  the same result with 1 and 2 workers: ${row.same ? 'yes' : 'NO'} ${row.same ? 'PASS' : 'FAIL'}`);
  if (row.pairs.length > 0) {
    // The baseline in the same run: what this machine gives two copies of this work with nothing
    // shared between them (two one-worker processes at once, each trial right after its 1- and
    // 2-worker runs). Two workers splitting one exploration cannot do better than two explorations
    // that split nothing: 2 × one alone ÷ the pair's slower one is the most they could reach here.
    // Best of the trials on both sides, as the speed-up above is.
    const pairMs = Math.min(...row.pairs.map((pair) => Math.max(...pair)));
    row.pairCeiling = (2 * best(row.one)) / pairMs;
    console.log(`  baseline, two one-worker explorations of the same scenario at once (nothing shared): ${row.pairs.map((pair) => pair.map(Math.round).join(' and ')).join('; ')} ms: `
      + `best ${Math.round(pairMs)} ms for both against ${Math.round(best(row.one))} ms for one alone, so two copies run ${row.pairCeiling.toFixed(2)}× as fast as one: the most a split into two could reach on this machine now`);
  }
  // What the load does not stretch: CPU times (from /proc and getrusage). First what each worker's
  // thread spent exploring, so how evenly the work was shared and what it cost; then the whole: each
  // thread's CPU (its start included) and the process's (V8's compiler and GC threads included), and
  // from them the wall time each would take with the machine to itself (freeWallMs) — the speed-up
  // to judge by on a loaded machine. The exploring threads' CPU alone overstates it: it leaves out
  // the thread's start and the second isolate's compiling (docs/explore.md "Two workers, measured").
  for (const [k, st] of row.twoStats.entries()) {
    const one = row.oneStats[k];
    const cpu1 = one.workers[0]!.cpuMs;
    const cpus2 = st.workers.map((w) => w?.cpuMs ?? 0);
    const busiest = Math.max(...cpus2);
    const thread = st.workers[1];
    const free = freeWallMs(one) / freeWallMs(st);
    console.log(`  trial ${k + 1}, CPU of exploring: 1 worker ${cpu1} ms; 2 workers ${cpus2.join(' + ')} ms (schedules ${st.workers.map((w) => w?.runs ?? 0).join(' + ')}, ${st.splits} splits): `
      + `balance ${(cpus2.reduce((a, b) => a + b, 0) / (cpus2.length * busiest)).toFixed(2)}, cost ${(cpus2.reduce((a, b) => a + b, 0) / cpu1).toFixed(2)}× the CPU of 1 worker, exploring threads alone ${(cpu1 / busiest).toFixed(2)}×; `
      + `the thread explored ${thread ? Math.round(thread.ms) : 0} of the ${Math.round(st.ms)} ms (wall); `
      + `explored states sent/received/taken over ${st.workers.map((w) => (w?.shared ? `${w.shared.sent}/${w.shared.received}/${w.shared.reused}` : '-')).join(' + ')}`);
    console.log(`    whole CPU: 1 worker: its thread ${one.workers[0]!.threadCpuMs} ms, the process ${Math.round(one.processCpuMs ?? NaN)} ms; `
      + `2 workers: threads ${st.workers.map((w) => w?.threadCpuMs ?? 0).join(' + ')} ms, the process ${Math.round(st.processCpuMs ?? NaN)} ms; `
      + `with the ${cpus().length} cores to itself ≈ ${Math.round(freeWallMs(one))} against ${Math.round(freeWallMs(st))} ms: ${free.toFixed(2)}× `
      + `(ceiling if the second worker added no CPU: ${(freeWallMs(one) / ((one.processCpuMs ?? NaN) / cpus().length)).toFixed(2)}×)`);
  }
}

// ---------------------------------------------------------------- 3. the page: long tasks while exploring

interface PageResult {
  workers: number;
  ms: number;
  runs: string;
  /** Long tasks from the click on Explore on: how long, and when (ms after the click). */
  longTasks: number[];
  at: number[];
  /** From a trace of the same time: main-thread tasks, the most CPU one of them took. */
  cpu: { tasks: number; maxCpuMs: number; over50Wall: number };
}

/** `vite preview` of the production build on PORT; resolves once it answers. */
async function preview(): Promise<() => void> {
  if (!process.argv.includes('--no-build') || !existsSync(join(ROOT, 'dist/index.html'))) {
    console.log('building the app (vite build)…');
    const b = spawnSync('npx', ['vite', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    if (b.status !== 0) throw new Error('vite build failed');
  }
  const server = spawn('npx', ['vite', 'preview', '--port', String(PORT), '--strictPort'], { cwd: ROOT, stdio: 'ignore', detached: true });
  const stop = () => {
    try {
      process.kill(-server.pid!);
    } catch {
      // already gone
    }
  };
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`http://localhost:${PORT}/`)).ok) return stop;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  stop();
  throw new Error(`vite preview did not start on port ${PORT}`);
}

interface TraceEvent { ph: string; name: string; pid: number; tid: number; ts: number; dur?: number; tdur?: number; args?: { name?: string } }

/**
 * The page's main-thread tasks in a Chromium trace: how many, and the CPU time of the longest (its
 * thread time, which the other processes on a shared machine do not stretch as they stretch the
 * wall-clock time the long-task API reports).
 */
function mainThreadCpu(events: TraceEvent[]): { tasks: number; maxCpuMs: number; over50Wall: number } {
  const main = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const tasks = events.filter((e) => e.ph === 'X' && e.name === 'RunTask' && main.has(`${e.pid}:${e.tid}`));
  return {
    tasks: tasks.length,
    maxCpuMs: Math.round(Math.max(0, ...tasks.map((e) => (e.tdur ?? 0) / 1000))),
    over50Wall: tasks.filter((e) => (e.dur ?? 0) > 50_000).length,
  };
}

async function pageExplore(): Promise<PageResult> {
  const stop = await preview();
  const launch = (config.projects?.[0]?.use as { launchOptions?: Parameters<typeof chromium.launch>[0] } | undefined)?.launchOptions ?? {};
  const browser = await chromium.launch({ ...launch, headless: true });
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    // tsx compiles the functions handed to the page with esbuild's keepNames (`__name(…)`): give the page that helper.
    await context.addInitScript({ content: 'globalThis.__name = globalThis.__name || ((f) => f);' });
    await context.addInitScript(() => {
      const w = window as unknown as { __longTasks: { start: number; duration: number }[] };
      w.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: 'longtask', buffered: true });
    });
    const page = await context.newPage();
    let workers = 0;
    page.on('worker', (w) => {
      if (/explore\.worker/.test(w.url())) workers++;
    });
    await page.goto(`http://localhost:${PORT}/${scenarioToHash(largest.scenario)}`);
    await page.getByTestId('step-status').filter({ hasText: /^Step \d+ of \d+$/ }).waitFor({ timeout: 60_000 });
    await page.getByRole('tab', { name: 'Interleavings' }).click();
    const panel = page.getByRole('region', { name: 'Interleavings' });
    const explore = panel.getByRole('button', { name: 'Explore', exact: true });
    await explore.waitFor();
    // From the press on Explore until the progress bar says done, nothing of the harness runs in the
    // page (no polling): one promise, settled by a MutationObserver.
    const finished = page.evaluate(() => new Promise<{ t0: number; t1: number; text: string }>((resolve) => {
      let t0 = 0;
      document.addEventListener('pointerdown', () => (t0 = performance.now()), { capture: true, once: true });
      const bar = () => document.querySelector('[role="progressbar"][aria-label="Exploring schedules"]');
      const observer = new MutationObserver(() => {
        const text = bar()?.getAttribute('aria-valuetext') ?? '';
        if (!/done/.test(text)) return;
        observer.disconnect();
        resolve({ t0, t1: performance.now(), text });
      });
      observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuetext'] });
    }));
    await page.waitForTimeout(1_000); // let the page settle: only the exploration's long tasks count
    await browser.startTracing(page, { categories: ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline'] });
    await explore.click();
    const { t0, t1, text } = await finished;
    await page.waitForTimeout(500); // the rendering of the result
    const trace = JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: TraceEvent[] };
    const tasks = await page.evaluate((t0) => (window as unknown as { __longTasks: { start: number; duration: number }[] }).__longTasks.filter((e) => e.start >= t0), t0);
    return { workers, ms: t1 - t0, runs: text, longTasks: tasks.map((e) => Math.round(e.duration)), at: tasks.map((e) => Math.round(e.start - t0)), cpu: mainThreadCpu(trace.traceEvents) };
  } finally {
    await browser.close();
    stop();
  }
}

let page: PageResult | null = null;
if (!process.argv.includes('--no-page')) {
  page = await pageExplore();
  const worst = page.longTasks.length ? Math.max(...page.longTasks) : 0;
  const ok = page.longTasks.every((d) => d <= TARGET.longTaskMs);
  console.log(`\nthe page, Explore on ${largest.id} with ${page.workers} worker${page.workers === 1 ? '' : 's'} (hardwareConcurrency − 1): ${Math.round(page.ms)} ms (${page.runs})`);
  console.log(`  long tasks on the main thread meanwhile: ${page.longTasks.length} (longest ${worst} ms; target none over ${TARGET.longTaskMs} ms) ${ok ? 'PASS' : 'FAIL'}`);
  if (page.longTasks.length) console.log(`  (${page.longTasks.map((d, i) => `${d} ms at +${page!.at[i]} ms`).join(', ')}; load average ${load1()})`);
  console.log(`  main-thread tasks meanwhile (trace): ${page.cpu.tasks}, the longest took ${page.cpu.maxCpuMs} ms of CPU (what the long tasks above are made of once other processes stretch them)`);
}

mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
writeFileSync(join(ROOT, 'bench/results/explore.json'), `${JSON.stringify({
  demos: rows,
  fork: { forkMs: totalFork, rerunMs: totalRerun, speedup: forkOverall },
  forkEverySchedule: { forkMs: totalForkAll, rerunMs: totalRerunAll, speedup: forkEvery },
  workers: cliRows.map((r) => ({ exploration: r.name, runs: r.runs, oneMs: r.one, twoMs: r.two, pairOfOnesMs: r.pairs, pairCeiling: r.pairCeiling, speedup: r.speedup, freeSpeedup: r.freeSpeedup, judged: r.judged, sameResult: r.same, loadAverage: r.loads, cores: cpus().length, oneStats: r.oneStats, twoStats: r.twoStats })),
  page,
}, null, 2)}\n`);
