// The panels in the real page: the virtualised Trace listbox (keys, filters, a large trace), the
// Explanation (rule + provenance), the Code view's current op, the Sequence exports (SVG, Mermaid),
// and axe on each panel.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { stressScenario } from '../bench/stress.ts';
import { scenarioToHash } from '../src/scenario/codec.ts';
import type { Scenario } from '../src/scenario/types.ts';
import { skipTour } from './support/playground.ts';

test.describe.configure({ timeout: 90_000 });

const demo = (name: string) => JSON.parse(readFileSync(new URL(`../src/scenario/demos/${name}.json`, import.meta.url), 'utf8')) as Scenario;

const traceList = (page: Page) => page.getByRole('listbox', { name: 'Trace entries' });
const current = (page: Page) => traceList(page).locator('[aria-current="step"]');
const tab = (page: Page, name: string) => page.getByRole('tab', { name: new RegExp(`^${name}`) });

async function open(page: Page, scenario?: Scenario) {
  await page.goto(scenario ? `/${scenarioToHash(scenario)}` : '/');
  await expect(traceList(page)).toBeVisible({ timeout: 30_000 });
  await expect(current(page)).toHaveCount(1);
}

/** Click a trace row whose text matches, making it the current entry. */
async function seekTo(page: Page, text: RegExp) {
  await traceList(page).getByRole('option', { name: text }).first().click();
  await expect(current(page)).toHaveText(text);
}

async function seriousAxe(page: Page, selector: string): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).include(selector).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('the Trace listbox: arrow keys, Home/End and filters; the current entry is selected and in view', async ({ page }) => {
  await open(page);
  await skipTour(page);
  const list = traceList(page);
  await seekTo(page, /^#6 s1 /); // step 6 is entry seq 5
  await expect(list).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(current(page)).toHaveAttribute('data-seq', '7');
  await expect(current(page)).toHaveAttribute('aria-selected', 'true');
  await expect(list).toHaveAttribute('aria-activedescendant', (await current(page).getAttribute('id'))!);
  await page.keyboard.press('End');
  await expect(current(page)).toHaveText(/■ halt: quiescent/);
  await expect(current(page)).toBeInViewport();
  await page.keyboard.press('Home');
  await expect(current(page)).toHaveAttribute('data-seq', '0');

  // Filter to the driver's API calls: every row shown is one.
  const panel = page.getByRole('region', { name: 'Trace' });
  await panel.getByLabel('Component').selectOption('sampledrv');
  await panel.getByText('Entry types', { exact: true }).click();
  for (const kind of ['API returns', 'Routine invocations', 'Routine returns', 'Narration']) await panel.getByLabel(kind).uncheck();
  const rows = list.getByRole('option');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toHaveText(/→ KeRegisterProcessorChangeCallback\(/);
  await expect(rows.nth(1)).toHaveText(/→ KeDeregisterProcessorChangeCallback\(/);
  await rows.nth(1).click();
  await expect(current(page)).toHaveText(/KeDeregisterProcessorChangeCallback/);
  expect(await seriousAxe(page, '[role="tabpanel"]')).toEqual([]);
});

test('a large trace: only the rows in view are in the page, End and Home jump across it', async ({ page }) => {
  await open(page, stressScenario({ drivers: 12, hotAdds: 60 }));
  const list = traceList(page);
  const setSize = Number(await list.getByRole('option').first().getAttribute('aria-setsize'));
  expect(setSize).toBeGreaterThan(5_000);
  expect(await list.getByRole('option').count()).toBeLessThan(120);
  await list.getByRole('option').first().click();
  await page.keyboard.press('End');
  await expect(current(page)).toHaveText(/■ halt: quiescent/);
  await expect(current(page)).toBeInViewport();
  expect(await list.getByRole('option').count()).toBeLessThan(120);
  await page.keyboard.press('PageUp');
  await expect(current(page)).toBeInViewport();
  await page.keyboard.press('Home');
  await expect(current(page)).toHaveAttribute('data-seq', '0');
});

test('a far jump re-fills the Trace rows where they are (none moved), a step of one moves at most one', async ({ page }) => {
  await open(page, stressScenario({ drivers: 12, hotAdds: 60 }));
  const list = traceList(page);
  const n = Number(await list.getByRole('option').first().getAttribute('aria-setsize'));
  /** Seek with the scrubber (or a key) and count the row elements taken out of the list meanwhile. */
  const removedWhile = async (move: () => Promise<void>, seq: number) => {
    await list.evaluate((el) => {
      const w = window as unknown as { __removed: number; __rows: MutationObserver };
      w.__removed = 0;
      w.__rows = new MutationObserver((records) => records.forEach((r) => (w.__removed += r.removedNodes.length)));
      w.__rows.observe(el.querySelector('[role="option"]')!.parentElement!, { childList: true });
    });
    await move();
    await expect(current(page)).toHaveAttribute('data-seq', String(seq));
    await expect(current(page)).toBeInViewport();
    const removed = await page.evaluate(() => {
      const w = window as unknown as { __removed: number; __rows: MutationObserver };
      w.__rows.disconnect();
      return w.__removed;
    });
    // The rows are in list order in the page (what assistive technology reads).
    const order = await list.getByRole('option').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('aria-posinset'))));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    return removed;
  };
  const scrub = (seq: number) => () => page.getByRole('slider', { name: 'Trace position' }).fill(String(seq));
  for (const seq of [Math.floor(n * 0.8), Math.floor(n * 0.3), Math.floor(n * 0.6)]) expect(await removedWhile(scrub(seq), seq)).toBe(0);
  await current(page).click();
  const at = Math.floor(n * 0.6);
  for (let i = 1; i <= 30; i++) expect(await removedWhile(() => page.keyboard.press('ArrowDown'), at + i)).toBeLessThanOrEqual(1);
});

test('the side column catches up with rapid scrubber jumps once they rest; two quick arrow keys in the Trace go two steps', async ({ page }) => {
  await open(page, stressScenario({ drivers: 12, hotAdds: 60 }));
  const list = traceList(page);
  const n = Number(await list.getByRole('option').first().getAttribute('aria-setsize'));
  const targets = [0.9, 0.2, 0.7, 0.4, 0.8, 0.1, 0.55].map((f) => Math.floor(n * f));
  // Jumps back to back, each as soon as the graph shows the one before (the side column follows
  // once the step rests: it may skip the ones in between, never the last).
  await page.evaluate(async (targets) => {
    const slider = document.querySelector<HTMLInputElement>('input[type="range"]')!;
    const graph = document.querySelector('[data-testid="graph"]')!;
    for (const k of targets) {
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(slider, String(k));
      slider.dispatchEvent(new Event('input', { bubbles: true }));
      slider.dispatchEvent(new Event('change', { bubbles: true }));
      while (graph.getAttribute('data-snapshot-seq') !== String(k)) await new Promise((r) => requestAnimationFrame(r));
    }
  }, targets);
  const last = targets.at(-1)!;
  await expect(current(page)).toHaveAttribute('data-seq', String(last));
  await expect(current(page)).toBeInViewport();
  // Two keys pressed before the column has followed the first: the second goes on from the first.
  await current(page).click();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(current(page)).toHaveAttribute('data-seq', String(last + 2));
  await expect(page.getByTestId('step-status')).toHaveText(new RegExp(`^Step ${last + 3} of `));
});

test('the Trace list scrolled by hand shows the rows it scrolls to and stays there until the current entry leaves the view', async ({ page }) => {
  await open(page, stressScenario({ drivers: 12, hotAdds: 60 }));
  const list = traceList(page);
  await list.getByRole('option').first().click();
  await list.hover();
  await page.mouse.wheel(0, 22 * 400); // 400 rows down
  await expect(list.locator('[data-seq="400"]')).toBeInViewport();
  const top = await list.evaluate((el) => el.scrollTop);
  expect(top).toBeGreaterThan(22 * 390);
  // A step whose entry is out of view brings it back into view; the rows there are rendered.
  await page.keyboard.press('ArrowDown');
  await expect(current(page)).toHaveAttribute('data-seq', '1');
  await expect(current(page)).toBeInViewport();
  expect(await list.evaluate((el) => el.scrollTop)).toBe(0);
  // Scrolled by hand again, a step that stays in view (and out of the two rows' margin) does not move the list.
  await page.keyboard.press('PageDown');
  await expect(current(page)).toBeInViewport();
  const before = await list.evaluate((el) => el.scrollTop);
  await list.hover();
  await page.mouse.wheel(0, 22 * 3);
  await expect.poll(() => list.evaluate((el) => el.scrollTop)).toBeGreaterThan(before);
  const scrolled = await list.evaluate((el) => el.scrollTop);
  await page.keyboard.press('ArrowUp');
  await expect(current(page)).toBeInViewport();
  expect(await list.evaluate((el) => el.scrollTop)).toBe(scrolled);
});

test('Explanation names the rule with its provenance; Code highlights the running op', async ({ page }) => {
  await open(page);
  await seekTo(page, /→ KeRegisterProcessorChangeCallback\(/);
  const explanation = page.getByRole('region', { name: 'Explanation' });
  await expect(explanation).toContainText('KE-4');
  await expect(explanation).toContainText('KE_PROCESSOR_CHANGE_ADD_EXISTING replays the active processors');
  await expect(explanation).toContainText('documented');
  await expect(explanation).toContainText('KeRegisterProcessorChangeCallback function (wdm.h)');

  await tab(page, 'Code').click();
  const code = page.getByLabel('Code of sampledrv!DriverEntry');
  await expect(code).toBeVisible();
  await expect(code.locator('[aria-current="true"]')).toContainText('CallbackRegistrationHandle = KeRegisterProcessorChangeCallback(SyncProcessorCallback, &CallbackStatus, KE_PROCESSOR_CHANGE_ADD_EXISTING);');
  expect(await seriousAxe(page, '[role="tabpanel"]')).toEqual([]);
  expect(await seriousAxe(page, 'section[aria-labelledby]')).toEqual([]);
});

test('Sequence: the diagram up to the step, exported as a standalone SVG and as Mermaid', async ({ page }) => {
  await open(page, demo('seed002-recipe'));
  await traceList(page).getByRole('option').first().click();
  await page.keyboard.press('End');
  await tab(page, 'Sequence').click();
  const diagram = page.getByRole('img', { name: /^Sequence diagram up to step #\d+/ });
  await expect(diagram).toBeVisible();
  await expect(diagram.locator('[data-current="true"]')).toHaveCount(0); // the last item is the halt note
  await expect(diagram).toContainText('OnDevice(QUERYREMOVE)');

  const [svgDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export SVG' }).click()]);
  expect(svgDownload.suggestedFilename()).toMatch(/\.svg$/);
  const svg = readFileSync((await svgDownload.path())!, 'utf8');
  expect(svg).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  expect(svg).toContain('OnDevice(QUERYREMOVE)');
  // Standalone: the browser parses it as an SVG document without errors.
  const parsed = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    return { root: doc.documentElement.nodeName, error: doc.getElementsByTagName('parsererror').length };
  }, svg);
  expect(parsed).toEqual({ root: 'svg', error: 0 });

  const [mmd] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export Mermaid' }).click()]);
  const mermaid = readFileSync((await mmd.path())!, 'utf8');
  expect(mermaid).toContain('sequenceDiagram');
  expect(mermaid).toMatch(/participant L\d+ as PnP manager \(pnp\)/);
  await expect(page.getByRole('status').filter({ hasText: 'Mermaid file downloaded.' })).toBeVisible();

  // Clicking an arrow seeks to its entry.
  const arrow = diagram.locator('g[data-seq]').nth(3);
  const seq = await arrow.getAttribute('data-seq');
  await arrow.locator('text').last().click();
  await tab(page, 'Trace').click();
  await expect(current(page)).toHaveAttribute('data-seq', seq!);
  expect(await seriousAxe(page, '[role="tabpanel"]')).toEqual([]);
});

test('the panel tabs fit: every tab whole inside its tab bar at 1280, 1024 and 390 px wide', async ({ page }) => {
  for (const [width, height] of [[1280, 800], [1024, 768], [390, 844]] as const) {
    await page.setViewportSize({ width, height });
    await open(page, demo('seed000-sync'));
    const tablist = page.getByRole('tablist', { name: 'Panels' });
    await tablist.scrollIntoViewIfNeeded();
    const bar = (await tablist.boundingBox())!;
    const tabs = tablist.getByRole('tab');
    await expect(tabs).toHaveCount(5);
    for (const t of await tabs.all()) {
      const name = (await t.textContent())!;
      const box = (await t.boundingBox())!;
      expect.soft(box.x, `${name} at ${width} px: left edge`).toBeGreaterThanOrEqual(bar.x - 0.5);
      expect.soft(box.x + box.width, `${name} at ${width} px: right edge`).toBeLessThanOrEqual(bar.x + bar.width + 0.5);
      expect.soft(box.y, `${name} at ${width} px: top edge`).toBeGreaterThanOrEqual(bar.y - 0.5);
      expect.soft(box.y + box.height, `${name} at ${width} px: bottom edge`).toBeLessThanOrEqual(bar.y + bar.height + 1.5);
    }
    // Nothing hidden behind a scroll: the bar is as wide as its content.
    expect(await tablist.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
    await tabs.last().click();
    await expect(tabs.last()).toHaveAttribute('aria-selected', 'true');
    await expect(tabs.first()).toBeInViewport({ ratio: 1 });
    await tabs.first().click(); // back to Trace for the next width
    await expect(traceList(page)).toBeVisible();
  }
});
