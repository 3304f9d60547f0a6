// Presenter mode, the Code pane beside the graph, the selected panel kept in the link, and a graph
// whose labels never collide and whose view is re-fitted after every run but steady while stepping
// (issue 10, items 6–8). Controls are found by role and accessible name.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { scenarioToHash } from '../src/scenario/codec.ts';
import { DEMOS } from '../src/scenario/demos/index.ts';
import type { Scenario } from '../src/scenario/types.ts';
import { graphTextSizes, labelCollisions, labelCollisionsAlongTrace, viewport } from './support/graph.ts';
import { entryText, focusPage, node, open, seed000, step, stepStatus, stepUntil } from './support/playground.ts';

test.describe.configure({ timeout: 120_000 });

/** The guided demo of each seed document, 000 to 004. */
const SEEDS = ['seed000-sync', 'seed001-async', 'seed002-recipe', 'seed003-non-ex-window', 'seed004-custom-event'].map((id) => {
  const demo = DEMOS.find((d) => d.id === id);
  if (!demo) throw new Error(`no demo ${id}`);
  return { id, scenario: demo.scenario as Scenario };
});

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
const presenterToggle = (page: Page) => button(page, 'Presenter mode');
const codeToggle = (page: Page) => button(page, 'Code beside graph');
const hashOf = (page: Page) => new URL(page.url()).hash;

async function axeViolations(page: Page): Promise<string[]> {
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity));
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Graph nodes (cards) not wholly inside the graph's pane. */
async function nodesOutsidePane(page: Page): Promise<string[]> {
  return page.getByTestId('graph').evaluate((graph) => {
    const pane = graph.getBoundingClientRect();
    return [...graph.querySelectorAll('.react-flow__node')]
      .filter((n) => {
        const r = n.getBoundingClientRect();
        return r.left < pane.left - 1 || r.top < pane.top - 1 || r.right > pane.right + 1 || r.bottom > pane.bottom + 1;
      })
      .map((n) => n.getAttribute('data-id') ?? '?');
  });
}

/** Drag the graph's background (pans the view). */
async function pan(page: Page, dx: number, dy: number): Promise<void> {
  const box = (await page.getByTestId('graph').boundingBox())!;
  // Near the top-left corner of the pane: background in seed 000 (the graph is centred with a margin).
  const x = box.x + 24;
  const y = box.y + 24;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + dx / 2, y + dy / 2, { steps: 4 });
  await page.mouse.move(x + dx, y + dy, { steps: 4 });
  await page.mouse.up();
}

/** Open a demo at its first step, once the page shows it (not the scenario it had before). */
async function openDemo(page: Page, demo: { scenario: Scenario }): Promise<void> {
  await open(page, demo.scenario, 0);
  await expect(page).toHaveTitle(`${demo.scenario.title} — PnP Playground`);
  await expect(stepStatus(page)).toHaveText(/^Step 1 of \d+$/);
}

async function settle(page: Page): Promise<void> {
  // The graph shows the cursor's step once its snapshot arrived.
  const [k] = await step(page);
  await expect(page.getByTestId('graph')).toHaveAttribute('data-snapshot-seq', String(k - 1));
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(null)))));
}

test('Presenter mode: graph text of 16 px or more on a 1280×720 screen, 44 px step controls, for the seed 000–004 demos', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await open(page, seed000, 0);
  // Normally the fitted graph's text is small (the issue measured 6.6–9.7 px).
  expect((await graphTextSizes(page))[0].px).toBeLessThan(12);
  await expect(presenterToggle(page)).toHaveAttribute('aria-pressed', 'false');
  await presenterToggle(page).click();
  await expect(presenterToggle(page)).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => hashOf(page)).toContain('&presenter=1');

  for (const demo of SEEDS) {
    // A link without view parameters keeps Presenter mode on.
    await openDemo(page, demo);
    await expect(presenterToggle(page)).toHaveAttribute('aria-pressed', 'true');
    await focusPage(page);
    await page.keyboard.press('n'); // the first callback: chips, captions and badges on the graph
    await settle(page);
    const sizes = await graphTextSizes(page);
    expect(sizes.length, demo.id).toBeGreaterThan(10);
    expect(sizes.filter((s) => s.px < 16), `${demo.id}: text under 16 px`).toEqual([]);
    expect(await nodesOutsidePane(page), `${demo.id}: the whole machine is in view`).toEqual([]);
  }

  // Step controls: 44 px or taller, every one of them.
  const heights = await page
    .getByRole('region', { name: 'Stepper' })
    .locator('button, select')
    .evaluateAll((els) => els.map((e) => [e.getAttribute('title') ?? e.tagName, Math.round(e.getBoundingClientRect().height)] as const));
  expect(heights.length).toBeGreaterThan(8);
  expect(heights.filter(([, h]) => h < 44)).toEqual([]);

  // Kept on a reload (the link carries it); off again with the same button.
  await expect.poll(() => hashOf(page)).toContain('&presenter=1');
  await page.reload();
  await expect(presenterToggle(page)).toHaveAttribute('aria-pressed', 'true');
  await presenterToggle(page).click();
  await expect.poll(() => hashOf(page)).not.toContain('presenter');
});

test('Presenter mode folds the side columns: each opens with one button, over the graph, and Escape folds it again', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await open(page, seed000, 0);
  await presenterToggle(page).click();
  const palette = page.getByRole('complementary', { name: 'Palette and actions' });
  const panels = page.getByRole('complementary', { name: 'Explanation and panels' });
  const paletteFold = palette.getByRole('button', { name: 'Palette and actions' });
  const panelsFold = panels.getByRole('button', { name: 'Explanation and panels' });
  await expect(paletteFold).toHaveAttribute('aria-expanded', 'false');
  await expect(panelsFold).toHaveAttribute('aria-expanded', 'false');
  await expect(button(page, 'Processor')).toBeHidden();
  await expect(page.getByRole('region', { name: 'Explanation' })).toBeHidden();
  // Folded, they leave the width to the graph.
  const graphWidth = (await page.getByTestId('graph').boundingBox())!.width;
  expect(graphWidth).toBeGreaterThan(1150);

  const before = await viewport(page);
  await panelsFold.click();
  await expect(panelsFold).toHaveAttribute('aria-expanded', 'true');
  await expect(page.getByRole('region', { name: 'Explanation' })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Trace' })).toBeVisible();
  // A drawer over the graph: the graph keeps its size and its view.
  expect((await page.getByTestId('graph').boundingBox())!.width).toBe(graphWidth);
  expect(await viewport(page)).toEqual(before);
  await focusPage(page);
  await page.keyboard.press('Escape');
  await expect(panelsFold).toHaveAttribute('aria-expanded', 'false');
  await expect(page.getByRole('region', { name: 'Explanation' })).toBeHidden();

  await paletteFold.click();
  await expect(button(page, 'Processor')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Actions' })).toBeVisible();
  await paletteFold.click();
  await expect(button(page, 'Processor')).toBeHidden();
});

test('Presenter mode: the view stays steady while stepping and is re-fitted after a re-run', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await open(page, seed000, 0);
  await presenterToggle(page).click();
  await settle(page);
  const fitted = await viewport(page);
  expect(fitted.zoom).toBeGreaterThan(1.1);
  await focusPage(page);
  for (const key of ['ArrowRight', 'ArrowRight', 'n', 'ArrowRight', 'n', 'n', 'ArrowLeft', 'End', 'Home']) {
    await page.keyboard.press(key);
    await settle(page);
    expect(await viewport(page), `after ${key}`).toEqual(fitted);
  }
  await button(page, 'Next callback').click();
  await button(page, 'Play').click();
  await expect.poll(async () => (await step(page))[0]).toBeGreaterThan(20);
  await button(page, 'Pause').click();
  expect(await viewport(page), 'after Play').toEqual(fitted);

  // The quiz (above the step controls in Presenter mode) takes room once; stepping with it keeps the view.
  await button(page, 'Quiz me').click();
  await settle(page);
  const quizzing = await viewport(page);
  for (let i = 0; i < 6; i++) {
    await button(page, 'Step forward').click();
    await settle(page);
    expect(await viewport(page), 'stepping with the quiz on').toEqual(quizzing);
  }
  expect(await labelCollisions(page)).toEqual([]);
  await button(page, 'Quiz me').click();
  await settle(page);
  await expect.poll(() => viewport(page)).toEqual(fitted);

  // The presenter pans away; a gesture re-runs the scenario and the view is fitted again.
  await pan(page, 160, -120);
  expect(await viewport(page)).not.toEqual(fitted);
  await page.getByRole('button', { name: 'Palette and actions', exact: true }).click();
  await button(page, 'Processor').click();
  await expect(page.getByRole('status', { name: 'Outcome' })).toContainText('Added action');
  await settle(page);
  await expect.poll(() => nodesOutsidePane(page)).toEqual([]);
  const refitted = await viewport(page);
  expect(refitted.zoom).toBeGreaterThan(1.1);
  expect(refitted.x).not.toBe(fitted.x + 160);
  expect((await graphTextSizes(page)).filter((s) => s.px < 16)).toEqual([]);
  // Undo re-runs too: fitted again.
  await pan(page, -100, 80);
  await button(page, 'Undo').click();
  await expect(node(page, 'CPU 3')).toHaveCount(0);
  await settle(page);
  await expect.poll(() => viewport(page)).toEqual(fitted);
});

test('every gesture re-fits the view (outside Presenter mode too), and the whole machine shows', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await open(page, seed000, 20);
  await settle(page);
  const fitted = await viewport(page);
  await pan(page, 200, -150);
  expect(await viewport(page)).not.toEqual(fitted);
  await button(page, 'Device').click();
  await expect(page.getByRole('status', { name: 'Outcome' })).toContainText('Added action');
  await settle(page);
  await expect.poll(() => nodesOutsidePane(page)).toEqual([]);
  const afterDevice = await viewport(page);
  // Stepping keeps it.
  await focusPage(page);
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
  await settle(page);
  expect(await viewport(page)).toEqual(afterDevice);
  await pan(page, -120, 90);
  await button(page, 'Processor').click();
  await expect.poll(() => nodesOutsidePane(page)).toEqual([]);
  expect(await labelCollisions(page)).toEqual([]);
});

for (const mode of ['normal', 'presenter'] as const) {
  test(`no label collisions on the graph at any step of the seed 000–004 demos (${mode})`, async ({ page }) => {
    test.setTimeout(240_000);
    await page.setViewportSize(mode === 'presenter' ? { width: 1280, height: 720 } : { width: 1440, height: 900 });
    await open(page, seed000, 0);
    if (mode === 'presenter') await presenterToggle(page).click();
    for (const demo of SEEDS) {
      await openDemo(page, demo);
      await settle(page);
      expect(await labelCollisionsAlongTrace(page), demo.id).toEqual([]);
    }
  });
}

test('Code beside graph: the running routine and its running line next to the graph, following each step', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  const demo = SEEDS.find((d) => d.id === 'seed003-non-ex-window')!;
  await open(page, demo.scenario, 0);
  await expect(codeToggle(page)).toHaveAttribute('aria-pressed', 'false');
  await codeToggle(page).click();
  await expect(codeToggle(page)).toHaveAttribute('aria-pressed', 'true');
  const pane = page.getByRole('complementary', { name: 'Code beside the graph' });
  await expect(pane).toBeVisible();
  // Beside the graph, inside the Machine region, while the side panels still show the Trace.
  const graphBox = (await page.getByTestId('graph').boundingBox())!;
  const paneBox = (await pane.boundingBox())!;
  expect(paneBox.x).toBeGreaterThanOrEqual(graphBox.x + graphBox.width - 1);
  expect(Math.abs(paneBox.y - graphBox.y)).toBeLessThan(2);
  await expect(page.getByRole('region', { name: 'Machine' }).getByRole('complementary', { name: 'Code beside the graph' })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Trace' })).toHaveAttribute('aria-selected', 'true');
  await expect.poll(() => hashOf(page)).toContain('&split=code');

  await focusPage(page);
  await stepUntil(page, /sampledrv!AsyncProcessorCallback\(/);
  await expect(pane.getByRole('heading', { name: 'Code' })).toBeVisible();
  await expect(pane).toContainText('sampledrv!AsyncProcessorCallback');
  const current = pane.locator('[aria-current="true"]');
  await expect(current).toHaveCount(1);
  await expect(current).toContainText('Current line:');
  await expect(current).toContainText('AsyncProcessorCallback');
  const first = await current.getAttribute('data-line');
  // The running line follows the steps through the routine.
  const lines = new Set([first]);
  for (let i = 0; i < 6; i++) {
    await button(page, 'Step forward').click();
    if ((await current.count()) === 1) lines.add(await current.getAttribute('data-line'));
  }
  expect(lines.size).toBeGreaterThan(1);
  await expect(page.getByTestId('graph')).toBeVisible();

  // The separator resizes the pane, with the keyboard too (and ← there is not a step back).
  const separator = pane.getByRole('separator', { name: 'Resize the code pane' });
  const k = (await step(page))[0];
  const width = (await pane.boundingBox())!.width;
  await separator.focus();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expect.poll(async () => (await pane.boundingBox())!.width).toBeGreaterThan(width + 40);
  expect((await step(page))[0]).toBe(k);
  await expect(separator).toHaveAttribute('aria-valuenow', /\d+/);
  const sep = (await separator.boundingBox())!;
  await page.mouse.move(sep.x + sep.width / 2, sep.y + 200);
  await page.mouse.down();
  await page.mouse.move(sep.x + sep.width / 2 + 150, sep.y + 200, { steps: 5 });
  await page.mouse.up();
  await expect.poll(async () => (await pane.boundingBox())!.width).toBeLessThan(width);

  // A page opened from the link shows the pane.
  await page.goto('about:blank');
  await page.goto(`/${scenarioToHash(demo.scenario, k - 1)}&split=code`);
  await expect(page.getByRole('complementary', { name: 'Code beside the graph' })).toBeVisible();
  await codeToggle(page).click();
  await expect(page.getByRole('complementary', { name: 'Code beside the graph' })).toHaveCount(0);
});

test('the selected panel is kept in the link, and a page opened from such a link shows it', async ({ page }) => {
  await open(page, seed000, 12);
  await expect(page.getByRole('tab', { name: 'Trace' })).toHaveAttribute('aria-selected', 'true');
  await page.getByRole('tab', { name: 'Code' }).click();
  await expect.poll(() => hashOf(page)).toMatch(/&step=12&panel=code$/);
  await page.getByRole('tab', { name: /^Threads/ }).click();
  await expect.poll(() => hashOf(page)).toMatch(/&step=12&panel=threads$/);
  // Back to the default: the parameter goes (a plain link, as links made before it).
  await page.getByRole('tab', { name: 'Trace' }).click();
  await expect.poll(() => hashOf(page)).toBe(scenarioToHash(seed000, 12));

  for (const [panel, tab] of [
    ['code', 'Code'],
    ['sequence', 'Sequence'],
    ['threads', /^Threads/],
  ] as const) {
    await page.goto('about:blank');
    await page.goto(`/${scenarioToHash(seed000, 30)}&panel=${panel}`);
    await expect(stepStatus(page)).toHaveText(/^Step 31 of \d+$/);
    await expect(page.getByRole('tab', { name: tab })).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('tabpanel', { name: tab })).toBeVisible();
  }
  // Copy link copies it with the panel.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await button(page, 'Copy link').click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toMatch(/&step=30&panel=threads$/);
  // A link this build cannot fully read still opens (an unknown panel is ignored).
  await page.goto('about:blank');
  await page.goto(`/${scenarioToHash(seed000, 5)}&panel=explorer`);
  await expect(stepStatus(page)).toHaveText(/^Step 6 of \d+$/);
  await expect(page.getByRole('tab', { name: 'Trace' })).toHaveAttribute('aria-selected', 'true');
  expect(await entryText(page)).not.toBe('');
});

test('axe: no violations in Presenter mode, light and dark, folded and with the panels open', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await open(page, seed000, 0);
  await presenterToggle(page).click();
  await codeToggle(page).click();
  await focusPage(page);
  await page.keyboard.press('n');
  expect(await axeViolations(page), 'light').toEqual([]);
  await page.getByRole('button', { name: 'Explanation and panels', exact: true }).click();
  expect(await axeViolations(page), 'light, panels open').toEqual([]);
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveClass(/\bdark\b/);
  expect(await axeViolations(page), 'dark, panels open').toEqual([]);
  await page.getByRole('button', { name: 'Explanation and panels', exact: true }).click();
  expect(await axeViolations(page), 'dark').toEqual([]);
});

for (const [w, h] of [
  [1440, 900],
  [1024, 768],
  [390, 844],
] as const) {
  test(`screenshot with the code beside the graph at ${w}×${h}`, async ({ page }, info) => {
    await page.setViewportSize({ width: w, height: h });
    await open(page, DEMOS.find((d) => d.id === 'seed003-non-ex-window')!.scenario as Scenario, 0);
    await codeToggle(page).click();
    await focusPage(page);
    await stepUntil(page, /→ ExFreePool\(P=pool:1\)/);
    await settle(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBe(0);
    await expect(page.getByRole('complementary', { name: 'Code beside the graph' }).locator('[aria-current="true"]')).toBeVisible();
    expect(await labelCollisions(page)).toEqual([]);
    const path = `test-results/presenter-code-beside-${w}.png`;
    await page.screenshot({ path });
    await info.attach(`code beside the graph at ${w}×${h}`, { path, contentType: 'image/png' });
  });
}

test('screenshot in Presenter mode at 1280×720 (folded, and with the panels open)', async ({ page }, info) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await open(page, DEMOS.find((d) => d.id === 'seed003-non-ex-window')!.scenario as Scenario, 0);
  await presenterToggle(page).click();
  await focusPage(page);
  await stepUntil(page, /→ ExFreePool\(P=pool:1\)/);
  await settle(page);
  for (const [name, open] of [
    ['presenter-1280', false],
    ['presenter-1280-panels', true],
  ] as const) {
    if (open) await page.getByRole('button', { name: 'Explanation and panels', exact: true }).click();
    const path = `test-results/${name}.png`;
    await page.screenshot({ path });
    await info.attach(`Presenter mode at 1280×720${open ? ', panels open' : ''}`, { path, contentType: 'image/png' });
  }
  await page.getByRole('button', { name: 'Explanation and panels', exact: true }).click();
  await codeToggle(page).click();
  await expect(page.getByRole('complementary', { name: 'Code beside the graph' }).locator('[aria-current="true"]')).toBeVisible();
  await settle(page);
  const path = 'test-results/presenter-1280-code.png';
  await page.screenshot({ path });
  await info.attach('Presenter mode at 1280×720 with the code beside the graph', { path, contentType: 'image/png' });
});
