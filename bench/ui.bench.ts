// UI benchmark: the production build (`vite build`, served by `vite preview`) in the same Chromium
// playwright.config.ts launches, driven by Playwright.
//
//   npm run bench:ui        # or: npx tsx bench/ui.bench.ts [--steps N] [--no-build]
//
// (a) step latency: on a ≥10,000-entry trace (bench/stress.ts), hold → like a user does (one key
//     press every 40 ms): time from the keydown to "Step k of n" updated in the DOM, and to the
//     next frame — p50/p95/max;
// (b) long tasks (PerformanceObserver 'longtask', > 50 ms) during that stepping, and during a
//     burst of presses with no pause at all;
// (c) bundle size: every dist/assets/*.js, raw and gzip (zlib, level 9);
// (d) JS heap of the page and of the engine worker with a ~100,000-entry trace loaded and stepped
//     (CDP Runtime.getHeapUsage after a forced GC, on the page target and the worker target).
//
// Prints a table with targets and PASS/FAIL and writes bench/results/ui.json. A missed target is
// printed loudly but does not fail the process: this is a benchmark, not a test.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type CDPSession, type Page } from '@playwright/test';
import config from '../playwright.config.ts';
import { scenarioToHash } from '../src/scenario/codec.ts';
import { stressScenario } from './stress.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PORT = 4183; // (not 4190: the fetch spec blocks that port, ManageSieve)
const BASE = `http://localhost:${PORT}`;

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isInteger(v) && v > 0 ? v : fallback;
}
const STEPS = option('steps', 300);
const BUILD = !process.argv.includes('--no-build');

const TARGET = {
  minStepEntries: 10_000,
  minHeapEntries: 100_000,
  stepP95Ms: 16.7, // one frame
  longTasks: 0,
  heapMiB: 256,
};

const quantile = (xs: number[], q: number): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
};
const ms = (x: number) => `${x.toFixed(1)} ms`;
const mib = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MiB`;
const kib = (b: number) => `${(b / 1024).toFixed(1)} KiB`;

// ---------------------------------------------------------------- build and serve

function build() {
  process.stderr.write('building (vite build)…\n');
  const r = spawnSync('npx', ['vite', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error('vite build failed');
}

async function serve(): Promise<ChildProcess> {
  const child = spawn('npx', ['vite', 'preview', '--port', String(PORT), '--strictPort'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let log = '';
  child.stdout?.on('data', (d) => (log += String(d)));
  child.stderr?.on('data', (d) => (log += String(d)));
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(BASE)).ok) return child;
    } catch (e) {
      if (i === 149) log += `\n${String(e)} ${String((e as { cause?: unknown }).cause)}`;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  stop(child);
  throw new Error(`vite preview did not come up on ${BASE}:\n${log}`);
}

function stop(child: ChildProcess) {
  // The preview server was started detached, in its own process group: end that group only.
  if (child.pid) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}

// ---------------------------------------------------------------- the page

async function openScenario(page: Page, scenario: ReturnType<typeof stressScenario>): Promise<number> {
  await page.goto(`${BASE}/${scenarioToHash(scenario, 0)}`);
  await page.waitForFunction(() => /^Step 1 of \d+$/.test(document.querySelector('[data-testid="step-status"]')?.textContent ?? ''), null, {
    timeout: 120_000,
  });
  const text = (await page.getByTestId('step-status').textContent()) ?? '';
  return Number(/of (\d+)/.exec(text)?.[1]);
}

/** Install the latency and long-task probes in the page. */
async function installProbes(page: Page) {
  await page.evaluate(() => {
    const w = window as unknown as { __bench: { down: number[]; dom: number[]; frame: number[]; longTasks: number[] } };
    w.__bench = { down: [], dom: [], frame: [], longTasks: [] };
    const status = document.querySelector('[data-testid="step-status"]')!;
    // The keydown time, taken before any handler of the page (capture phase on window).
    window.addEventListener('keydown', () => w.__bench.down.push(performance.now()), { capture: true });
    new MutationObserver(() => {
      const t = performance.now();
      w.__bench.dom.push(t);
      requestAnimationFrame(() => w.__bench.frame.push(performance.now()));
    }).observe(status, { childList: true, characterData: true, subtree: true });
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__bench.longTasks.push(e.duration);
    }).observe({ type: 'longtask' });
  });
}

async function readProbes(page: Page) {
  return page.evaluate(() => {
    const w = window as unknown as { __bench: { down: number[]; dom: number[]; frame: number[]; longTasks: number[] } };
    const b = w.__bench;
    const out = { dom: [] as number[], frame: [] as number[], longTasks: [...b.longTasks] };
    // Pair each keydown with the first DOM update after it.
    let j = 0;
    for (let i = 0; i < b.down.length; i++) {
      while (j < b.dom.length && b.dom[j] < b.down[i]) j++;
      if (j >= b.dom.length) break;
      const next = b.down[i + 1] ?? Infinity;
      if (b.dom[j] < next) {
        out.dom.push(b.dom[j] - b.down[i]);
        if (b.frame[j] !== undefined) out.frame.push(b.frame[j] - b.down[i]);
      }
    }
    b.down = [];
    b.dom = [];
    b.frame = [];
    b.longTasks = [];
    return out;
  });
}

async function stepLatency(browser: Browser) {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const scenario = stressScenario({ drivers: 12, hotAdds: 100 });
  const entries = await openScenario(page, scenario);
  await page.waitForTimeout(500);
  await page.locator('body').click({ position: { x: 5, y: 5 } }).catch(() => undefined);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await installProbes(page);

  // Held key: one press every 40 ms (a typical key repeat rate is 25–33 per second).
  for (let i = 0; i < STEPS; i++) {
    await page.keyboard.press('ArrowRight');
    await page.waitForTimeout(40);
  }
  await page.waitForTimeout(300);
  const held = await readProbes(page);

  // A burst: presses back to back, as fast as the input pipeline delivers them.
  for (let i = 0; i < STEPS; i++) await page.keyboard.press('ArrowLeft');
  await page.waitForTimeout(500);
  const burst = await readProbes(page);

  // Scrubber jumps across the whole trace (every jump a seek far away).
  const jumps: number[] = [];
  for (let i = 1; i <= 20; i++) {
    const target = Math.floor((entries - 1) * ((i * 7919) % 20) / 20);
    const t0 = Date.now();
    await page.getByRole('slider', { name: 'Trace position' }).fill(String(target));
    await page.waitForFunction((k) => document.querySelector('[data-testid="step-status"]')?.textContent?.startsWith(`Step ${k + 1} of`), target);
    jumps.push(Date.now() - t0);
  }
  const afterJumps = await readProbes(page);
  await page.close();
  return { entries, held, burst, jumps, jumpLongTasks: afterJumps.longTasks };
}

// ---------------------------------------------------------------- heap of page and worker

async function heap(browser: Browser) {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const scenario = stressScenario({ drivers: 40, hotAdds: 270 });
  const entries = await openScenario(page, scenario);
  // Step around a little so the worker has built its seeker and the views have rendered.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  for (let i = 0; i < 20; i++) await page.keyboard.press('ArrowRight');
  await page.keyboard.press('End');
  await page.waitForFunction(() => /^Step (\d+) of \1$/.test(document.querySelector('[data-testid="step-status"]')?.textContent ?? ''));
  await page.waitForTimeout(500);

  const pageSession = await page.context().newCDPSession(page);
  await pageSession.send('HeapProfiler.collectGarbage');
  const pageHeap = (await pageSession.send('Runtime.getHeapUsage')) as { usedSize: number; totalSize: number };

  const workerHeap = await workerHeapUsage(browser);
  await page.close();
  return { entries, pageHeap: pageHeap.usedSize, workerHeap };
}

/** Runtime.getHeapUsage of the engine worker, through a browser-level CDP session attached to its target. */
async function workerHeapUsage(browser: Browser): Promise<number> {
  const session: CDPSession = await browser.newBrowserCDPSession();
  const { targetInfos } = (await session.send('Target.getTargets')) as { targetInfos: { targetId: string; type: string; title: string; url: string }[] };
  const worker = targetInfos.find((t) => t.type === 'worker' && /engine\.worker|pnp-engine/.test(`${t.title} ${t.url}`)) ?? targetInfos.find((t) => t.type === 'worker');
  if (!worker) throw new Error('no worker target');
  const { sessionId } = (await session.send('Target.attachToTarget', { targetId: worker.targetId, flatten: false })) as { sessionId: string };
  let id = 0;
  const call = (method: string) =>
    new Promise<Record<string, unknown>>((resolveCall, reject) => {
      const mine = ++id;
      const onMessage = (event: { sessionId: string; message: string }) => {
        if (event.sessionId !== sessionId) return;
        const msg = JSON.parse(event.message) as { id?: number; result?: Record<string, unknown>; error?: { message: string } };
        if (msg.id !== mine) return;
        session.off('Target.receivedMessageFromTarget', onMessage);
        if (msg.error) reject(new Error(msg.error.message));
        else resolveCall(msg.result ?? {});
      };
      session.on('Target.receivedMessageFromTarget', onMessage);
      void session.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: mine, method }) });
    });
  await call('HeapProfiler.collectGarbage');
  const usage = await call('Runtime.getHeapUsage');
  await session.detach();
  return Number(usage.usedSize);
}

// ---------------------------------------------------------------- bundle

function bundle() {
  const dir = join(ROOT, 'dist', 'assets');
  const files = readdirSync(dir).filter((f) => f.endsWith('.js'));
  return files
    .map((f) => {
      const raw = readFileSync(join(dir, f));
      return { file: f, raw: raw.length, gzip: gzipSync(raw, { level: 9 }).length };
    })
    .sort((a, b) => b.gzip - a.gzip);
}

// ---------------------------------------------------------------- main

async function main() {
  if (BUILD || !existsSync(join(ROOT, 'dist', 'index.html'))) build();
  const files = bundle();
  const server = await serve();
  const launch = (config.projects?.[0]?.use as { launchOptions?: Parameters<typeof chromium.launch>[0] } | undefined)?.launchOptions ?? {};
  const browser = await chromium.launch({ ...launch, headless: true });
  try {
    process.stderr.write('stepping a large trace…\n');
    const s = await stepLatency(browser);
    process.stderr.write('heap with a ~100,000-entry trace…\n');
    const h = await heap(browser);

    const heldP50 = quantile(s.held.dom, 0.5);
    const heldP95 = quantile(s.held.dom, 0.95);
    const frameP50 = quantile(s.held.frame, 0.5);
    const frameP95 = quantile(s.held.frame, 0.95);
    const burstP95 = quantile(s.burst.dom, 0.95);
    const main = files.find((f) => /^index-/.test(f.file));
    const worker = files.find((f) => /worker/.test(f.file));
    const totalGzip = files.reduce((a, f) => a + f.gzip, 0);
    const longHeld = s.held.longTasks.filter((d) => d > 50);
    const longBurst = s.burst.longTasks.filter((d) => d > 50);
    const pass = (ok: boolean) => (ok ? 'PASS' : 'FAIL  <<<');

    const rows: [string, string, string, string][] = [
      ['trace entries (stepping)', s.entries.toLocaleString('en'), `≥ ${TARGET.minStepEntries.toLocaleString('en')}`, pass(s.entries >= TARGET.minStepEntries)],
      [`step latency, key → DOM (held →, ${s.held.dom.length} steps) p50`, ms(heldP50), '', ''],
      ['step latency, key → DOM p95', ms(heldP95), `≤ ${TARGET.stepP95Ms} ms`, pass(heldP95 <= TARGET.stepP95Ms)],
      ['step latency, key → next frame p50 / p95', `${ms(frameP50)} / ${ms(frameP95)}`, '', ''],
      [`step latency, back-to-back presses (${s.burst.dom.length}) p95`, ms(burstP95), '', ''],
      ['step latency max (held)', ms(Math.max(...s.held.dom)), '', ''],
      ['scrubber jump (fill → status) p50 / max', `${ms(quantile(s.jumps, 0.5))} / ${ms(Math.max(...s.jumps))}`, '', ''],
      ['long tasks > 50 ms while stepping (held)', `${longHeld.length}${longHeld.length ? ` (max ${ms(Math.max(...longHeld))})` : ''}`, `${TARGET.longTasks}`, pass(longHeld.length <= TARGET.longTasks)],
      ['long tasks > 50 ms while stepping (burst)', `${longBurst.length}${longBurst.length ? ` (max ${ms(Math.max(...longBurst))})` : ''}`, `${TARGET.longTasks}`, pass(longBurst.length <= TARGET.longTasks)],
      ['long tasks > 50 ms during scrubber jumps', `${s.jumpLongTasks.length}${s.jumpLongTasks.length ? ` (max ${ms(Math.max(...s.jumpLongTasks))})` : ''}`, '', ''],
      ['bundle: main JS gzip (raw)', main ? `${kib(main.gzip)} (${kib(main.raw)})` : '—', '', ''],
      ['bundle: worker JS gzip (raw)', worker ? `${kib(worker.gzip)} (${kib(worker.raw)})` : '—', '', ''],
      [`bundle: all ${files.length} JS files gzip`, kib(totalGzip), '', ''],
      ['trace entries (heap)', h.entries.toLocaleString('en'), `≥ ${TARGET.minHeapEntries.toLocaleString('en')}`, pass(h.entries >= TARGET.minHeapEntries)],
      ['JS heap, page (after GC)', mib(h.pageHeap), `< ${TARGET.heapMiB} MiB`, pass(h.pageHeap < TARGET.heapMiB * 1024 * 1024)],
      ['JS heap, engine worker (after GC)', mib(h.workerHeap), `< ${TARGET.heapMiB} MiB`, pass(h.workerHeap < TARGET.heapMiB * 1024 * 1024)],
    ];
    const w = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c].length)));
    const line = (r: string[]) => `${r[0].padEnd(w[0])}  ${r[1].padStart(w[1])}  ${r[2].padEnd(w[2])}  ${r[3]}`;
    console.log(`\nUI benchmark (production build, ${launch.executablePath ?? 'Playwright Chromium'})\n`);
    console.log(line(['measure', 'value', 'target', '']));
    console.log(line(['-'.repeat(w[0]), '-'.repeat(w[1]), '-'.repeat(w[2]), '----']));
    for (const r of rows) console.log(line(r));
    console.log('\nJS files (gzip):');
    for (const f of files) console.log(`  ${f.file.padEnd(40)} ${kib(f.gzip).padStart(10)}  (${kib(f.raw)} raw)`);

    const results = {
      date: new Date().toISOString(),
      stepping: {
        entries: s.entries,
        heldDomMs: { p50: heldP50, p95: heldP95, max: Math.max(...s.held.dom), n: s.held.dom.length },
        heldFrameMs: { p50: frameP50, p95: frameP95 },
        burstDomMs: { p50: quantile(s.burst.dom, 0.5), p95: burstP95, n: s.burst.dom.length },
        scrubberJumpMs: { p50: quantile(s.jumps, 0.5), max: Math.max(...s.jumps) },
        longTasksHeld: longHeld,
        longTasksBurst: longBurst,
        longTasksJumps: s.jumpLongTasks,
      },
      bundle: files,
      heap: { entries: h.entries, pageBytes: h.pageHeap, workerBytes: h.workerHeap },
      targets: TARGET,
    };
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(join(ROOT, 'bench', 'results', 'ui.json'), `${JSON.stringify(results, null, 2)}\n`);
  } finally {
    await browser.close();
    stop(server);
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
