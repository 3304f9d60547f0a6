// An interleaved A/B of the 101k-entry link row (bench/speed.bench.ts, row 9) between builds:
//
//   npx tsx bench/link-ab.ts DIST_A DIST_B [DIST_C …] [--rounds 8] [--fresh]
//
// Each build is served on its own loopback address (127.0.0.2, 127.0.0.3, … at SPEED_PORT). Each
// round opens the bench's link once in every build, in an order that rotates and reverses from round
// to round, each visit in a fresh browser context with the bench's probes: "Step 1" shown (the
// bench's own wait, read as the page's `performance.now()`) and the long tasks (over 50 ms) before
// it. A build that logs `[mark] NAME T` lines (T: `performance.timeOrigin + performance.now()`, from
// the page or a worker) has each mark's median, in ms after navigation, printed too. Prints the
// medians, every visit and the load average after each round. With `--fresh`, each visit launches
// a browser of its own, as the bench's row does (one browser per bench run).

import { chromium, type Browser } from '@playwright/test';
import { scenarioToHash } from '../src/scenario/codec.ts';
import { load } from '../src/scenario/load.ts';
import { abOptions, interleave, launchOptions, median, serveBuilds } from './ab.ts';
import { STEP_ONE_PROBE, stepOneShown } from './stepProbe.ts';
import { stressScenario } from './stress.ts';

const { dists, rounds: ROUNDS, has } = abOptions('npx tsx bench/link-ab.ts DIST_A [DIST_B …] [--rounds N] [--fresh]', 8);
const FRESH = has('--fresh');
const served = serveBuilds(dists);

/** The bench's long-task probe (bench/speed.bench.ts). */
const PROBE = () => {
  const w = window as unknown as { __speed: { longTasks: number[] } };
  w.__speed = { longTasks: [] };
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__speed.longTasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // no long task API
  }
};

const stress = load(stressScenario({ drivers: 40, hotAdds: 270 }));
if (!stress.ok) throw new Error('stress scenario invalid');
const HASH = scenarioToHash(stress.scenario, 0);

interface Visit {
  ms: number;
  long: number[];
  marks: Map<string, number>;
}

async function visit(shared: Browser, url: string): Promise<Visit> {
  const browser = FRESH ? await chromium.launch(launchOptions()) : shared;
  try {
    return await visitIn(browser, url);
  } finally {
    if (FRESH) await browser.close();
  }
}

async function visitIn(browser: Browser, url: string): Promise<Visit> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  // tsx's keepNames wraps named inner functions in `__name(…)`: give the page that helper.
  await context.addInitScript({ content: 'globalThis.__name = globalThis.__name || ((f) => f);' });
  await context.addInitScript(PROBE);
  await context.addInitScript(STEP_ONE_PROBE);
  const page = await context.newPage();
  const raw: [string, number][] = [];
  const take = (text: string) => {
    const m = /^\[mark\] (\S+) ([\d.]+)$/.exec(text);
    if (m) raw.push([m[1], Number(m[2])]);
  };
  page.on('console', (msg) => take(msg.text()));
  page.on('worker', (worker) => worker.on('console', (msg) => take(msg.text())));
  const shown = stepOneShown(page);
  await page.goto(url + HASH);
  await shown;
  const ms = await page.evaluate(() => performance.now());
  const origin = await page.evaluate(() => performance.timeOrigin);
  const long = await page.evaluate(() => (window as unknown as { __speed: { longTasks: number[] } }).__speed.longTasks.filter((d) => d > 50));
  await page.waitForTimeout(100);
  await context.close();
  const marks = new Map<string, number>();
  for (const [name, t] of raw) if (!marks.has(name)) marks.set(name, t - origin);
  return { ms, long, marks };
}

const browser = await chromium.launch(launchOptions());
const builds = served.builds;
const results = new Map(builds.map((b) => [b.name, [] as Visit[]]));
let loads: number[] = [];
try {
  loads = await interleave(browser, builds, ROUNDS, (br, b) => visit(br, b.url), (b, v) => results.get(b.name)?.push(v));
} finally {
  await browser.close();
  served.close();
}
for (const b of builds) {
  const visits = results.get(b.name) ?? [];
  const withLong = visits.filter((v) => v.long.length > 0);
  console.log(
    `${b.name} "Step 1" median ${median(visits.map((v) => v.ms)).toFixed(0)} ms  ${visits.map((v) => v.ms.toFixed(0)).join(' / ')}  ${b.dist}`,
  );
  console.log(`  long tasks in ${withLong.length} of ${visits.length} visits${withLong.length ? `: ${withLong.map((v) => v.long.map((d) => d.toFixed(0)).join('+')).join(', ')} ms` : ''}`);
  const names = [...new Set(visits.flatMap((v) => [...v.marks.keys()]))];
  names.sort((x, y) => median(visits.map((v) => v.marks.get(x) ?? NaN).filter(Number.isFinite)) - median(visits.map((v) => v.marks.get(y) ?? NaN).filter(Number.isFinite)));
  const tail = visits.filter((v) => v.marks.has('answer')).map((v) => v.ms - (v.marks.get('answer') ?? 0));
  if (tail.length) console.log(`  "Step 1" after the answer: median ${median(tail).toFixed(0)} ms  (${tail.map((t) => t.toFixed(0)).join(' / ')})`);
  for (const name of names) {
    const ts = visits.map((v) => v.marks.get(name)).filter((t): t is number => t !== undefined);
    console.log(`  ${name.padEnd(14)} median ${median(ts).toFixed(0)} ms  (${ts.map((t) => t.toFixed(0)).join(' / ')})`);
  }
}
console.log(`load average after each round: ${loads.map((l) => l.toFixed(1)).join(' ')}`);
