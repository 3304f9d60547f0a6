// An interleaved A/B of the 256-CPU / 64-device Enter row (bench/speed.bench.ts, row 10) between builds:
//
//   npx tsx bench/enter-ab.ts DIST_A DIST_B [DIST_C …] [--rounds 7] [--presses 3]
//
// Each visit opens the 256/64 link in a fresh browser context, waits until the graph shows its step
// and the page is idle (as the bench does), then presses Enter on the palette's "Processor" a few
// times, each once the page is idle again, and times each press until the collapsed processors'
// count goes up and until the graph shows the new run's state (its snapshot at the step the stepper
// shows: what the row judges). Builds are served and visited in rounds as bench/ab.ts does. Prints
// the medians of the first presses and of all presses, and every number.

import { chromium, type Browser, type Page } from '@playwright/test';
import { scenarioToHash } from '../src/scenario/codec.ts';
import { addDevice } from '../src/scenario/gestures.ts';
import { load } from '../src/scenario/load.ts';
import type { NormalizedScenario, Scenario } from '../src/scenario/types.ts';
import seed000 from '../src/scenario/demos/seed000-sync.json' with { type: 'json' };
import { abOptions, interleave, launchOptions, median, serveBuilds } from './ab.ts';
import { enterUntil } from './enterProbe.ts';

const { dists, rounds: ROUNDS } = abOptions('npx tsx bench/enter-ab.ts DIST_A [DIST_B …] [--rounds N] [--presses N]', 7);
const pressesAt = process.argv.indexOf('--presses');
const PRESSES = pressesAt >= 0 ? Number(process.argv[pressesAt + 1]) : 3;
const served = serveBuilds(dists);

/** The bench's 256-CPU / 64-device scenario (bench/speed.bench.ts: bigMachine). */
function bigMachine(): NormalizedScenario {
  const loaded = load({ ...(seed000 as Scenario), machine: { processors: 256, maxProcessors: 320 } });
  if (!loaded.ok) throw new Error('256-CPU scenario invalid');
  let s = loaded.scenario;
  for (let i = 0; i < 64; i++) s = addDevice(s, { index: s.timeline.length, seq: Infinity }).scenario;
  return s;
}
const HASH = scenarioToHash(bigMachine(), 0);

const COUNT = `Number(/(\\d+) processors/.exec(document.querySelector('[data-id="cpus"]')?.textContent ?? '')?.[1])`;
const SETTLED = `(() => { const k = Number(/^Step (\\d+)/.exec(document.querySelector('[data-testid="step-status"]')?.textContent ?? '')?.[1]); return k > 0 && document.querySelector('[data-testid="graph"]')?.getAttribute('data-snapshot-seq') === String(k - 1); })()`;

async function idle(page: Page) {
  await page.waitForTimeout(500);
  await page.evaluate(() => new Promise<void>((done) => requestIdleCallback(() => done(), { timeout: 2000 })));
}

/** One press: [count shown, state shown] in ms from the keydown. */
async function press(page: Page): Promise<[number, number]> {
  const before = (await page.evaluate(COUNT)) as number;
  return enterUntil(page, 'button[data-palette="processor"]', `${COUNT} > ${before}`, SETTLED);
}

async function visit(browser: Browser, url: string): Promise<[number, number][]> {
  // The probes are strings evaluated in the page (the bench's own): past the page's CSP.
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, bypassCSP: true });
  await context.addInitScript({ content: 'globalThis.__name = globalThis.__name || ((f) => f);' });
  const page = await context.newPage();
  await page.goto(`${url}${HASH}`);
  await page.waitForFunction(SETTLED, null, { timeout: 120_000 });
  const out: [number, number][] = [];
  for (let i = 0; i < PRESSES; i++) {
    await idle(page);
    out.push(await press(page));
  }
  await context.close();
  return out;
}

const browser = await chromium.launch(launchOptions());
const results = new Map(served.builds.map((b) => [b.name, [] as [number, number][][]]));
let loads: number[] = [];
try {
  loads = await interleave(browser, served.builds, ROUNDS, (br, b) => visit(br, b.url), (b, v) => results.get(b.name)?.push(v));
} finally {
  await browser.close();
  served.close();
}
const f = (xs: number[]) => xs.map((x) => x.toFixed(1)).join(' / ');
for (const b of served.builds) {
  const visits = results.get(b.name) ?? [];
  const firstState = visits.map((v) => v[0][1]);
  const allState = visits.flatMap((v) => v.map((p) => p[1]));
  const allCount = visits.flatMap((v) => v.map((p) => p[0]));
  console.log(`${b.name}  first press, state: median ${median(firstState).toFixed(1)} ms  (${f(firstState)})  ${b.dist}`);
  console.log(`   all presses, state: median ${median(allState).toFixed(1)} ms, count ${median(allCount).toFixed(1)} ms  (${f(allState)})`);
}
console.log(`load average after each round: ${loads.map((l) => l.toFixed(1)).join(' ')}`);
