// The teaching layer (issue 10): the first gesture shows something, stepping goes by meaning,
// Undo / Redo walk the edits, impossible gestures say why, one numbering, and the page at every
// size. Controls are found by role and accessible name.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { runScenario } from '../src/engine/index.ts';
import { DEMOS } from '../src/scenario/demos/index.ts';
import { load } from '../src/scenario/load.ts';
import type { Scenario } from '../src/scenario/types.ts';
import { currentEntry, entryText, focusPage, node, open, seed000, step, stepStatus, stepUntil, urlStep } from './support/playground.ts';
import { toasterMonitors } from './support/scenarios.ts';

test.describe.configure({ timeout: 60_000 });

/** Seed 000's trace length, from the engine (the page must agree with it). */
const N = (() => {
  const l = load(seed000);
  if (!l.ok) throw new Error('seed 000 does not load');
  const r = runScenario(l.scenario);
  if (!r.ok) throw new Error('seed 000 does not run');
  return r.trace.length;
})();

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
const explanation = (page: Page) => page.getByRole('region', { name: 'Explanation' });

async function axeViolations(page: Page): Promise<string[]> {
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity));
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('first visit: seed 000 at its first callback; a dragged processor goes where callbacks fire and the outcome counts them', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveTitle('Synchronous processor notification — PnP Playground');
  await expect(stepStatus(page)).toHaveText(new RegExp(`^Step \\d+ of ${N}$`));
  await expect.poll(() => entryText(page)).toMatch(/sampledrv!SyncProcessorCallback\(.*KeProcessorAddStartNotify, NtNumber=0/);
  await expect(explanation(page)).not.toContainText('No rule of the catalogue is specific to this entry');

  // The palette says where a processor goes and who sees it there.
  await expect(page.getByTestId('palette-where-processor')).toHaveText('Goes in after action 1; seen by sampledrv.');
  await button(page, 'Processor').dragTo(page.getByTestId('graph'));
  await expect.poll(() => entryText(page)).toMatch(/▶ hotAddProcessor$/);
  const outcome = page.getByRole('status', { name: 'Outcome' });
  await expect(outcome).toContainText('Added action 2');
  await expect(page.getByTestId('outcome-caused')).toHaveText('It caused 2 callbacks to sampledrv, 1 interface arrival.');
  await expect(page.getByTestId('outcome-so-far')).toContainText('0 of 2 callbacks to sampledrv');
  // The card follows the cursor.
  await button(page, 'Next callback').click();
  await expect(page.getByTestId('outcome-so-far')).toContainText('1 of 2 callbacks to sampledrv');
  await expect(node(page, 'Driver sampledrv')).toHaveAttribute('aria-label', /its code is running now/);
  await button(page, 'Next callback').click();
  await expect(page.getByTestId('outcome-so-far')).toContainText('2 of 2 callbacks to sampledrv');
});

test('the palette can put the gesture at another point ("Goes in")', async ({ page }) => {
  await open(page, seed000, 0);
  await page.getByLabel('Goes in').selectOption({ label: 'right after boot' });
  await expect(page.getByTestId('palette-where-processor')).toHaveText('Goes in right after boot; no registration sees it there.');
  await button(page, 'Processor').click();
  await expect(page.getByTestId('outcome-caused')).toHaveText('It caused 1 interface arrival; no callback: no registration saw it.');
  await expect(page.getByRole('status', { name: 'Outcome' })).toContainText('Added action 1');
});

test('Next callback / Previous callback (buttons and N / P) go from callback to callback', async ({ page }) => {
  await open(page, seed000, 0);
  await button(page, 'Next callback').click();
  await expect.poll(() => entryText(page)).toMatch(/SyncProcessorCallback\(.*KeProcessorAddStartNotify, NtNumber=0/);
  await focusPage(page);
  await page.keyboard.press('n');
  await expect.poll(() => entryText(page)).toMatch(/SyncProcessorCallback\(.*KeProcessorAddStartNotify, NtNumber=1/);
  await page.keyboard.press('n');
  await expect.poll(() => entryText(page)).toMatch(/SyncProcessorCallback\(.*KeProcessorAddCompleteNotify/);
  await page.keyboard.press('p');
  await expect.poll(() => entryText(page)).toMatch(/NtNumber=1/);
  await button(page, 'Previous callback').click();
  await expect.poll(() => entryText(page)).toMatch(/NtNumber=0/);
  await expect(button(page, 'Previous callback')).toBeDisabled();
  // The last callback: Next callback is disabled.
  await page.keyboard.press('End');
  await expect(button(page, 'Next callback')).toBeDisabled();
});

test('stepping follows the Trace filter: hidden scheduler entries are not visited', async ({ page }) => {
  await open(page, seed000, 0);
  await page.getByText('Entry types', { exact: true }).click();
  await page.getByRole('checkbox', { name: 'Scheduler (threads, IRQL)' }).uncheck();
  await expect(page.getByText(new RegExp(`Stepping follows the Trace filter: \\d+ of ${N}`))).toBeVisible();
  await focusPage(page);
  const seen: string[] = [];
  for (let i = 0; i < 20; i++) {
    await button(page, 'Step forward').click();
    seen.push(await entryText(page));
  }
  expect(seen.filter((t) => /^thread:|^irql:/.test(t))).toEqual([]);
  // Back, too.
  for (let i = 0; i < 5; i++) await button(page, 'Step back').click();
  expect(await entryText(page)).not.toMatch(/^thread:|^irql:/);
});

test('Play steps on its own at the chosen Speed; Pause stops it; it stops at the end', async ({ page }) => {
  await open(page, seed000, 0);
  await page.getByLabel('Speed').selectOption('8');
  await button(page, 'Play').click();
  await expect(button(page, 'Pause')).toBeVisible();
  await expect.poll(async () => (await step(page))[0]).toBeGreaterThan(4);
  await button(page, 'Pause').click();
  const [k] = await step(page);
  await page.waitForTimeout(600);
  expect((await step(page))[0]).toBe(k);
  await button(page, 'Play').click();
  await expect(stepStatus(page)).toHaveText(`Step ${N} of ${N}`, { timeout: 20_000 });
  await expect(button(page, 'Play')).toBeDisabled();
});

test('Undo and Redo (buttons, Ctrl+Z / Ctrl+Shift+Z) and the browser Back / Forward walk the same edits', async ({ page }) => {
  await open(page, seed000, 20);
  await expect(button(page, 'Undo')).toBeDisabled();
  await button(page, 'Processor').click();
  await expect(page.getByRole('status', { name: 'Outcome' })).toContainText('Added action');
  const [, n1] = await step(page);
  expect(n1).toBeGreaterThan(N);
  await button(page, 'Memory module').click();
  await expect(node(page, 'Memory mem0')).toBeVisible();

  await button(page, 'Undo').click();
  await expect(node(page, 'Memory mem0')).toHaveCount(0);
  await expect(stepStatus(page)).toHaveText(`Step ${(await step(page))[0]} of ${n1}`);
  await focusPage(page);
  await page.keyboard.press('Control+z');
  await expect(stepStatus(page)).toHaveText(`Step 21 of ${N}`); // back where the first gesture was made
  await expect(button(page, 'Undo')).toBeDisabled();
  await page.keyboard.press('Control+Shift+z');
  await expect(stepStatus(page)).toHaveText(new RegExp(` of ${n1}$`));
  await button(page, 'Redo').click();
  await expect(node(page, 'Memory mem0')).toBeVisible();
  await expect(button(page, 'Redo')).toBeDisabled();

  // The browser's Back and Forward are the same history.
  await page.goBack();
  await expect(node(page, 'Memory mem0')).toHaveCount(0);
  await page.goBack();
  await expect(stepStatus(page)).toHaveText(`Step 21 of ${N}`);
  await page.goForward();
  await expect(stepStatus(page)).toHaveText(new RegExp(` of ${n1}$`));
  await expect(button(page, 'Redo')).toBeEnabled();
});

test('Eject and Surprise remove are disabled, with the reason, on a removed device; Plug in on a present one', async ({ page }) => {
  const ejected = { ...toasterMonitors, timeline: [...toasterMonitors.timeline!, { do: 'eject' as const, device: 'toaster0' }] };
  await open(page, ejected, 1000);
  await node(page, 'Device toaster0').click();
  await expect(button(page, 'Eject')).toBeDisabled();
  await expect(button(page, 'Surprise remove')).toBeDisabled();
  await expect(button(page, 'Eject')).toHaveAccessibleDescription(/toaster0 is removed\. Plug it in first\./);
  await expect(button(page, 'Plug in')).toBeEnabled();
  await button(page, 'Plug in').click();
  await expect.poll(() => entryText(page)).toMatch(/▶ plug toaster0$/);
  await expect(button(page, 'Eject')).toBeEnabled();
  await expect(button(page, 'Plug in')).toBeDisabled();
  await expect(page.getByTestId('action-reason')).toContainText('already in the machine');
});

test('one numbering: Step k is #k in the Trace and the Explanation; the link carries k − 1', async ({ page }) => {
  await open(page, seed000, 46);
  await expect(stepStatus(page)).toHaveText(`Step 47 of ${N}`);
  await expect(currentEntry(page)).toContainText('#47');
  await expect(explanation(page).getByText(/^#47 s\d/)).toBeVisible();
  await expect.poll(() => urlStep(page)).toBe(46);
});

test('switching demos: the partition counts the new machine, the tab title names it, each demo is listed once', async ({ page }) => {
  await open(page, seed000, 0);
  await expect(node(page, 'Hardware partition')).toHaveAttribute('aria-label', /3 processors/);
  await button(page, 'Demos').click();
  const gallery = page.getByRole('dialog', { name: 'Demos' });
  await expect(gallery.getByRole('button', { name: /^Open “IoUnregisterPlugPlayNotification: the hazard window/ })).toHaveCount(1);
  await gallery.getByRole('button', { name: 'Open “Asynchronous processor and memory notification”' }).click();
  await expect(page).toHaveTitle('Asynchronous processor and memory notification — PnP Playground');
  await expect(node(page, 'Hardware partition')).toHaveAttribute('aria-label', /2 processors/);
  await expect(node(page, 'Hardware partition')).toContainText('2 processors');
});

test('the editor confirms Apply, and Undo takes the Apply back', async ({ page }) => {
  await open(page, seed000, 10);
  await button(page, 'Edit scenario').click();
  const editor = page.getByRole('dialog', { name: 'Edit scenario' });
  await editor.getByLabel('Title').fill('My lesson');
  await editor.getByRole('button', { name: 'Apply' }).click();
  await expect(editor.getByTestId('editor-applied')).toContainText('Applied at');
  await expect(editor.getByTestId('editor-applied')).toContainText('re-ran from step 1');
  await editor.getByRole('button', { name: 'Close' }).click();
  await expect(page).toHaveTitle('My lesson — PnP Playground');
  await button(page, 'Undo').click();
  await expect(page).toHaveTitle('Synchronous processor notification — PnP Playground');
  await expect(stepStatus(page)).toHaveText(`Step 11 of ${N}`);
});

test('axe: no violations in light and dark, after a gesture', async ({ page }) => {
  await open(page);
  await button(page, 'Processor').click();
  await expect(page.getByRole('status', { name: 'Outcome' })).toBeVisible();
  expect(await axeViolations(page), 'light').toEqual([]);
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveClass(/\bdark\b/);
  expect(await axeViolations(page), 'dark').toEqual([]);
});

for (const [w, h] of [
  [1440, 900],
  [1024, 768],
  [390, 844],
] as const) {
  test(`screenshot at ${w}×${h}: no sideways scrolling, step controls keep their labels on one line`, async ({ page }) => {
    await page.setViewportSize({ width: w, height: h });
    await open(page, seed000, 30);
    await page.waitForTimeout(400);
    await page.screenshot({ path: `test-results/teach-${w}.png` });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBe(0);
    // No control wraps its label: each button of the stepper is one line tall.
    const tall = await page.getByRole('region', { name: 'Stepper' }).getByRole('button').evaluateAll((els) =>
      els.filter((e) => (e as HTMLElement).getBoundingClientRect().height > 40).map((e) => e.getAttribute('title')),
    );
    expect(tall).toEqual([]);
    // The header stays one row from 1024 px up.
    if (w >= 1024) expect(await page.getByRole('banner').evaluate((el) => el.getBoundingClientRect().height)).toBeLessThanOrEqual(64);
  });
}

test('threads on the graph: the hazard window shows the PnP thread still in the callback while Unload frees the context', async ({ page }) => {
  const demo = DEMOS.find((d) => d.id === 'seed003-non-ex-window')!;
  await open(page, demo.scenario as Scenario, 0);
  await focusPage(page);
  await stepUntil(page, /sampledrv!AsyncProcessorCallback\(/);
  const chips = node(page, 'Driver sampledrv').getByTestId('thread-chips').locator('li');
  await expect(chips).toHaveCount(1);
  await expect(chips.first()).toContainText('pnp');
  await expect(chips.first()).toContainText('AsyncProcessorCallback · callback');
  // Later entries: the chip stays for the whole call, and the notification label stays on its edge.
  await stepUntil(page, /→ ExFreePool\(P=pool:1\)/);
  await expect(chips).toHaveCount(2);
  await expect(node(page, 'Driver sampledrv').locator('[data-thread="pnp"]')).toContainText('AsyncProcessorCallback');
  // The unload path (Unload, or a routine it calls) runs on the driver's own thread at the same time.
  await expect(node(page, 'Driver sampledrv').locator('[data-thread="sys:sampledrv"]')).toContainText('running');
  await expect(node(page, 'Driver sampledrv')).toHaveAttribute('aria-label', /threads: .*pnp in AsyncProcessorCallback \(callback\), runnable/);
  await expect(node(page, 'Driver sampledrv')).toHaveAttribute('aria-label', /threads: .*sys:sampledrv in \w+, running/);
  await expect(page.locator('.react-flow__edgelabel-renderer').getByText('GUID_DEVICE_INTERFACE_ARRIVAL')).toBeVisible();
  await page.screenshot({ path: 'test-results/teach-hazard-window.png' });
});

test('a blocked thread shows what it waits for in full, wrapped, never clipped', async ({ page }) => {
  await open(page, { ...toasterMonitors, timeline: [...toasterMonitors.timeline!, { do: 'eject' as const, device: 'toaster0' }] }, 0);
  await focusPage(page);
  await stepUntil(page, /monitor!OnDevice\(.*Action=CM_NOTIFY_ACTION_DEVICEQUERYREMOVE/);
  const chip = node(page, 'PnP manager').locator('[data-thread="pnp"]');
  await expect(chip).toContainText(/blocked.*waits for monitor!OnDevice/);
  const clipped = await chip.evaluate((el) => el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1);
  expect(clipped).toBe(false);
  await page.screenshot({ path: 'test-results/teach-blocked.png' });
});

test('Run summary: a run that ends quietly after a warning lists what broke, each a link to its step', async ({ page }) => {
  const demo = DEMOS.find((d) => d.id === 'mistake-unload-blocked')!;
  await open(page, demo.scenario as Scenario, 0);
  await focusPage(page);
  await page.keyboard.press('End');
  const summary = page.getByRole('region', { name: 'Run summary' });
  await expect(summary).toBeVisible();
  await expect(summary.getByRole('heading', { level: 3 })).toHaveText('Run summary: 1 rule broken, the worst a warning');
  await expect(summary.getByRole('list', { name: 'What broke' })).toContainText('IO-6');
  await expect(explanation(page)).not.toContainText('The run ended normally');
  await expect(explanation(page)).toContainText('but the run broke a rule on the way');
  await summary.getByRole('button', { name: /^Go to step \d+: IO-6 warning$/ }).click();
  await expect.poll(() => entryText(page)).toMatch(/IO-6 warning/);
  // A clean run says so.
  await page.goto('about:blank');
  await open(page, seed000, N - 1);
  await expect(stepStatus(page)).toHaveText(`Step ${N} of ${N}`);
  const clean = page.getByRole('region', { name: 'Run summary' });
  await expect(clean.getByRole('heading', { level: 3 })).toHaveText('Run summary: No rule broken');
  // seed 000 deregisters before unload: the summary lists what it obeyed (KE-5).
  await expect(clean.getByRole('heading', { name: 'Obeyed' })).toBeVisible();
  await expect(clean).toContainText('KE-5');
});

test('Glossary: every abbreviation the page shows is explained; FDO / PDO and group/number have tooltips on the graph', async ({ page }) => {
  await open(page, toasterMonitors, 10);
  await button(page, 'Glossary').click();
  const glossary = page.getByRole('dialog', { name: 'Glossary' });
  for (const term of ['PDO', 'FDO', 'NtNumber', 'g0/1', 'Step k', 's0, s2', 'ke:1, io:1, cm:2', 'IRQL']) {
    await expect(glossary.getByRole('term').filter({ hasText: term }).first()).toBeVisible();
  }
  await expect(glossary).toContainText('Physical device object');
  await glossary.getByRole('button', { name: 'Close' }).click();
  await expect(glossary).toHaveCount(0);
  await expect(node(page, 'Device toaster0').locator('abbr[title^="FDO: Functional device object"]')).toHaveCount(1);
  await expect(node(page, 'Device toaster0').locator('abbr[title^="PDO: Physical device object"]')).toHaveCount(1);
  await expect(node(page, 'CPU 1').locator('[title^="g0/1: group / number"]')).toHaveCount(1);
});

test('the minimap hides when the graph area is short, shows when it is tall', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await open(page, seed000, 10);
  await expect(page.getByTestId('graph').locator('.react-flow__minimap')).toBeHidden();
  await page.setViewportSize({ width: 1600, height: 1200 });
  await expect(page.getByTestId('graph').locator('.react-flow__minimap')).toBeVisible();
});
