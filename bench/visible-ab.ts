// An interleaved A/B of the "graph visible" row (bench/speed.bench.ts, row 5) between builds:
//
//   npx tsx bench/visible-ab.ts DIST_A DIST_B [DIST_C …] [--rounds 10] [--trace]
//
// Each build is served on its own loopback address (127.0.0.2, 127.0.0.3, … at SPEED_PORT), so that
// every build keeps its absolute asset paths and the browser sees separate origins; the bare React
// Flow page (bench/results/bare-flow, built by `npm run bench:speed`) is served beside the first.
// Each round visits every build and the bare page once, in an order that rotates and reverses from
// round to round, each visit in a fresh browser context with the bench's own probe (the frame after
// the first `.react-flow__node`). With `--trace`, each visit is traced and the renderer's thread time
// (CPU) from navigation to that frame is summed per thread kind: the main thread, the thread pool
// (the scripts' streamed compile, raster) and the rest. On a shared machine wall times move with the
// load more than between builds; the CPU sums move less. Prints the medians and every visit.

import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from '@playwright/test';
import { abOptions, interleave, launchOptions, median, serveBuilds } from './ab.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BARE = join(ROOT, 'bench', 'results', 'bare-flow');
const { dists, rounds: ROUNDS, has } = abOptions('npx tsx bench/visible-ab.ts DIST_A [DIST_B …] [--rounds N] [--trace]', 10);
const TRACE = has('--trace');
if (!existsSync(join(BARE, 'index.html'))) {
  console.error('no bare page: run `npm run bench:speed -- --page-only --only visible` once first');
  process.exit(2);
}
const served = serveBuilds(dists, BARE);

/** The bench's probe (bench/speed.bench.ts), with a user-timing mark the trace can find. */
const PROBE = () => {
  const w = window as unknown as { __ab: { graphPainted: number | null } };
  w.__ab = { graphPainted: null };
  const poll = () => {
    if (document.querySelector('.react-flow__node'))
      requestAnimationFrame(() => {
        w.__ab.graphPainted = performance.now();
        performance.mark('ab-graph-painted');
      });
    else requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);
};

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}
type Cpu = { main: number; pool: number; other: number };

/** The renderer's top-level tasks' thread time from navigation (the document's first parse, less 30 ms) to the probe's mark. */
function cpuOf(events: TraceEvent[]): Cpu {
  const mark = events.find((e) => e.name === 'ab-graph-painted');
  if (!mark) throw new Error('the trace has no ab-graph-painted mark');
  const names = new Map<number, string>();
  for (const e of events) if (e.name === 'thread_name' && e.pid === mark.pid) names.set(e.tid, e.args?.name ?? '');
  const parse = events.filter((e) => e.pid === mark.pid && e.name === 'ParseHTML').sort((a, b) => a.ts - b.ts)[0];
  const t0 = parse ? parse.ts - 30_000 : -Infinity;
  const cpu: Cpu = { main: 0, pool: 0, other: 0 };
  for (const e of events) {
    if (e.pid !== mark.pid || e.ph !== 'X' || e.ts < t0 || e.ts > mark.ts) continue;
    if (e.name !== 'ThreadControllerImpl::RunTask' && e.name !== 'ThreadPool_RunTask') continue;
    const thread = names.get(e.tid) ?? '';
    cpu[thread === 'CrRendererMain' ? 'main' : thread.startsWith('ThreadPool') ? 'pool' : 'other'] += (e.tdur ?? 0) / 1000;
  }
  return cpu;
}

async function visit(browser: Browser, url: string): Promise<{ ms: number; cpu: Cpu | null }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  // tsx's keepNames wraps named inner functions in `__name(…)`: give the page that helper.
  await context.addInitScript({ content: 'globalThis.__name = globalThis.__name || ((f) => f);' });
  await context.addInitScript(PROBE);
  const page = await context.newPage();
  if (TRACE) await browser.startTracing(page, { categories: ['toplevel', 'blink.user_timing', 'devtools.timeline'] });
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { __ab: { graphPainted: number | null } }).__ab.graphPainted !== null, null, { timeout: 60_000 });
  const ms = await page.evaluate(() => (window as unknown as { __ab: { graphPainted: number } }).__ab.graphPainted);
  await page.waitForTimeout(200);
  const cpu = TRACE ? cpuOf((JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] }).traceEvents) : null;
  await context.close();
  return { ms, cpu };
}

const browser = await chromium.launch(launchOptions());
const pages = [...served.builds, { name: 'bare', dist: BARE, url: `${served.bareUrl}?n=7` }];
const results = new Map(pages.map((p) => [p.name, { ms: [] as number[], cpu: [] as Cpu[] }]));
let loads: number[] = [];
try {
  loads = await interleave(browser, pages, ROUNDS, (br, p) => visit(br, p.url), (p, v) => {
    const got = results.get(p.name);
    got?.ms.push(v.ms);
    if (v.cpu) got?.cpu.push(v.cpu);
  });
} finally {
  await browser.close();
  served.close();
}
const bare = median(results.get('bare')?.ms ?? []);
for (const p of pages) {
  const { ms, cpu } = results.get(p.name) ?? { ms: [], cpu: [] };
  console.log(`${p.name.padEnd(5)} median ${median(ms).toFixed(0)} ms (${(median(ms) / bare).toFixed(2)}× the bare page's)  ${ms.map((x) => x.toFixed(0)).join(' / ')}  ${p.dist}`);
  if (cpu.length) {
    const total = cpu.map((c) => c.main + c.pool + c.other);
    console.log(`      CPU medians: all threads ${median(total).toFixed(1)}, main ${median(cpu.map((c) => c.main)).toFixed(1)}, pool ${median(cpu.map((c) => c.pool)).toFixed(1)}, other ${median(cpu.map((c) => c.other)).toFixed(1)} ms  (${total.map((x) => x.toFixed(0)).join(' / ')})`);
  }
}
console.log(`load average after each round: ${loads.map((l) => l.toFixed(1)).join(' ')}`);
