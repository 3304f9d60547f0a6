// "Start here" (the first visit's tour) and "Predict, then see" (the quiz), issue 10 items 1 and 10.
// Found by role and accessible name: the tour is a non-modal dialog named "Start here"; the quiz is
// the "Quiz me" toggle and the "Predict, then see" region.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page, type TestInfo } from '@playwright/test';
import { runScenario } from '../src/engine/index.ts';
import { DEMOS } from '../src/scenario/demos/index.ts';
import { load } from '../src/scenario/load.ts';
import type { Scenario } from '../src/scenario/types.ts';
import { callbackLabel } from '../src/ui/quiz/quiz.ts';
import { callbackSeqs } from '../src/ui/stepper/model.ts';
import { entryText, open, seed000, step, stepStatus } from './support/playground.ts';

test.describe.configure({ timeout: 60_000 });

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
const tour = (page: Page) => page.getByRole('dialog', { name: 'Start here' });
const quiz = (page: Page) => page.getByRole('region', { name: 'Predict, then see' });

function run(scenario: unknown) {
  const l = load(scenario);
  if (!l.ok) throw new Error('does not load');
  const r = runScenario(l.scenario);
  if (!r.ok) throw new Error('does not run');
  return r;
}

async function axeViolations(page: Page): Promise<string[]> {
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity));
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(name);
  await page.screenshot({ path });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

/** The spotlight's box contains the element's box (it outlines the real element; within 6 px at the window's edges). */
async function outlines(page: Page, target: Locator): Promise<boolean> {
  const s = await page.getByTestId('tour-spotlight').boundingBox();
  const t = await target.boundingBox();
  if (!s || !t) return false;
  return s.x <= t.x + 6 && s.y <= t.y + 1 && s.x + s.width >= t.x + t.width - 6 && s.y + s.height >= t.y + t.height - 1 && s.width <= t.width + 10;
}

test('Start here: offered on a first visit, non-modal, walks the page, Escape and Skip tour close it', async ({ page }) => {
  await page.goto('/');
  await expect(stepStatus(page)).toHaveText(/^Step \d+ of \d+$/);
  const t = tour(page);
  await expect(t).toBeVisible();
  await expect(t).toHaveAttribute('aria-modal', 'false');
  await expect(t.getByRole('heading', { name: 'The partition' })).toBeVisible();
  await expect.poll(() => outlines(page, page.locator('.react-flow__node[data-id="partition"]'))).toBe(true);
  await expect(button(page, 'Back')).toBeDisabled();

  // The page stays usable while it is open.
  const [k] = await step(page);
  await button(page, 'Next callback').click();
  await expect.poll(async () => (await step(page))[0]).toBeGreaterThan(k);
  await expect(t).toBeVisible();

  const walk: [string, Locator][] = [
    ['Add a processor', button(page, 'Processor')],
    ['Step through its callbacks', page.getByRole('group', { name: 'Callbacks' })],
    ['The Explanation', page.getByRole('region', { name: 'Explanation' })],
    ['Demos', button(page, 'Demos')],
    ['Copy link', button(page, 'Copy link')],
  ];
  for (const [title, target] of walk) {
    await t.getByRole('button', { name: 'Next' }).click();
    await expect(t.getByRole('heading', { name: title })).toBeVisible();
    await expect.poll(() => outlines(page, target), title).toBe(true);
  }
  await t.getByRole('button', { name: 'Back' }).click();
  await expect(t.getByRole('heading', { name: 'Demos' })).toBeVisible();
  // The keyboard path is part of the processor step.
  await t.getByRole('button', { name: 'Back' }).click();
  await t.getByRole('button', { name: 'Back' }).click();
  await t.getByRole('button', { name: 'Back' }).click();
  await expect(t).toContainText('press Enter');

  // Escape closes it.
  await page.keyboard.press('Escape');
  await expect(t).toHaveCount(0);

  // "Start here" reopens it at the first step, with focus in it; Skip tour closes it and focus goes back.
  await button(page, 'Start here').click();
  await expect(t.getByRole('heading', { name: 'The partition' })).toBeFocused();
  await t.getByRole('button', { name: 'Skip tour' }).click();
  await expect(t).toHaveCount(0);
  await expect(button(page, 'Start here')).toBeFocused();

  // Done on the last step closes it.
  await button(page, 'Start here').click();
  for (let i = 0; i < 5; i++) await t.getByRole('button', { name: 'Next' }).click();
  await t.getByRole('button', { name: 'Done' }).click();
  await expect(t).toHaveCount(0);
});

test('Start here: only on the first visit; a later visit, or a link, does not offer it', async ({ page }) => {
  await page.goto('/');
  await expect(tour(page)).toBeVisible();
  // A later visit to the bare address (the saved scenario forgotten, even): not offered again.
  await page.evaluate(() => localStorage.removeItem('pnp-playground:last-link'));
  await page.goto('about:blank');
  await page.goto('/');
  await expect(stepStatus(page)).toHaveText(/^Step \d+ of \d+$/);
  await expect(button(page, 'Start here')).toBeVisible();
  await expect(tour(page)).toHaveCount(0);
  // A fresh browser that opens a link is not on a first visit either.
  const other = await page.context().browser()!.newPage();
  await open(other, seed000, 5);
  await expect(button(other, 'Start here')).toBeVisible();
  await expect(tour(other)).toHaveCount(0);
  await other.close();
});

for (const [w, h] of [
  [1440, 900],
  [1024, 768],
  [390, 844],
] as const) {
  test(`Start here at ${w}×${h}: every step on screen, no sideways scrolling`, async ({ page }, testInfo) => {
    await page.setViewportSize({ width: w, height: h });
    await page.goto('/');
    await expect(stepStatus(page)).toHaveText(/^Step \d+ of \d+$/);
    const t = tour(page);
    for (let i = 0; i < 6; i++) {
      if (i > 0) await t.getByRole('button', { name: 'Next' }).click();
      await page.waitForTimeout(250);
      const box = await t.boundingBox();
      expect(box, `step ${i + 1}`).not.toBeNull();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(w);
      expect(box!.y).toBeGreaterThanOrEqual(0);
      expect(box!.y + box!.height).toBeLessThanOrEqual(h);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
      await shot(page, testInfo, `tour-${w}-step${i + 1}.png`);
    }
  });
}

test('axe: no violations with the tour open, light and dark', async ({ page }, testInfo) => {
  await page.goto('/');
  await expect(tour(page)).toBeVisible();
  expect(await axeViolations(page), 'light').toEqual([]);
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveClass(/\bdark\b/);
  await tour(page).getByRole('button', { name: 'Next' }).click();
  expect(await axeViolations(page), 'dark').toEqual([]);
  await shot(page, testInfo, 'tour-dark.png');
});

test('Predict, then see: the quiz asks which callback runs next, reveals it by stepping, and keeps the score', async ({ page }, testInfo) => {
  const { trace } = run(seed000);
  const seqs = callbackSeqs(trace);
  const label = (i: number) => callbackLabel(trace[seqs[i]] as Extract<(typeof trace)[number], { type: 'invoke' }>);
  await open(page, seed000, 0);
  const toggle = button(page, 'Quiz me');
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  const q = quiz(page);
  await expect(q).toBeVisible();
  await expect(q.getByTestId('quiz-score')).toHaveText('Score: 0 of 0');
  const options = q.getByRole('group', { name: 'Which callback runs next?' }).getByRole('button');
  expect(await options.count()).toBeGreaterThanOrEqual(2);
  expect(await options.count()).toBeLessThanOrEqual(4);
  await shot(page, testInfo, 'quiz-1440.png');

  // Right: it steps to the callback and says why (the entry's rule stamp).
  await q.getByRole('button', { name: label(0), exact: true }).click();
  await expect(stepStatus(page)).toHaveText(new RegExp(`^Step ${seqs[0] + 1} of `));
  await expect.poll(() => entryText(page)).toMatch(/SyncProcessorCallback\(.*KeProcessorAddStartNotify, NtNumber=0/);
  await expect(q.getByRole('status')).toContainText('Right.');
  await expect(q.getByRole('status')).toContainText(`Rule ${trace[seqs[0]].rule}`);
  await expect(q.getByTestId('quiz-score')).toHaveText('Score: 1 of 1');

  // Wrong: any option but the next callback's, by the keyboard.
  const wrong = (await options.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''))).find((t) => t !== label(1))!;
  await q.getByRole('button', { name: wrong, exact: true }).focus();
  await page.keyboard.press('Enter');
  await expect(stepStatus(page)).toHaveText(new RegExp(`^Step ${seqs[1] + 1} of `));
  await expect(q.getByRole('status')).toContainText('Not quite.');
  await expect(q.getByRole('status')).toContainText(`You said ${wrong}`);
  await expect(q.getByTestId('quiz-score')).toHaveText('Score: 1 of 2');

  // Next callback still works with the quiz on (no score); the question follows the cursor.
  await button(page, 'Next callback').click();
  await expect(stepStatus(page)).toHaveText(new RegExp(`^Step ${seqs[2] + 1} of `));
  await expect(q.getByTestId('quiz-score')).toHaveText('Score: 1 of 2');
  await expect(q.getByRole('button', { name: label(3), exact: true })).toBeVisible();

  // After the last callback there is nothing to ask; off, the region goes away.
  await page.getByRole('slider', { name: 'Trace position' }).focus();
  await page.keyboard.press('End');
  await expect(q).toContainText('No callback runs after this step');
  await toggle.click();
  await expect(q).toHaveCount(0);
});

test('Predict, then see: at a choice point it asks which thread runs next (the run’s chosen thread is right)', async ({ page }) => {
  // A demo whose run has a choice point before a callback; its choice and answer come from the engine.
  let found: { scenario: Scenario; at: number; chosen: string; runnable: string[] } | null = null;
  for (const d of DEMOS) {
    const { trace, choices } = run(d.scenario);
    const seqs = callbackSeqs(trace);
    const c = choices.find((c) => c.runnable.length > 1 && seqs.some((s) => s >= c.at));
    if (c) {
      found = { scenario: d.scenario as Scenario, at: c.at, chosen: c.chosen, runnable: c.runnable };
      break;
    }
  }
  expect(found).not.toBeNull();
  const { scenario, at, chosen, runnable } = found!;
  await open(page, scenario, at - 1);
  await button(page, 'Quiz me').click();
  const group = quiz(page).getByRole('group', { name: 'Which thread runs next?' });
  await expect(group.getByRole('button')).toHaveCount(Math.min(4, runnable.length));
  await group.getByRole('button', { name: new RegExp(`^${chosen.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} — `) }).click();
  await expect(stepStatus(page)).toHaveText(new RegExp(`^Step ${at + 1} of `));
  await expect(quiz(page).getByRole('status')).toContainText(`Right. At step ${at + 1} the scheduler runs ${chosen}`);
  await expect(quiz(page).getByTestId('quiz-score')).toHaveText('Score: 1 of 1');
});

for (const [w, h] of [
  [1024, 768],
  [390, 844],
] as const) {
  test(`Predict, then see at ${w}×${h}: no sideways scrolling, axe clean in light and dark`, async ({ page }, testInfo) => {
    await page.setViewportSize({ width: w, height: h });
    await open(page, seed000, 0);
    await button(page, 'Quiz me').click();
    await expect(quiz(page).getByRole('group', { name: 'Which callback runs next?' })).toBeVisible();
    await quiz(page).getByRole('group').getByRole('button').first().click();
    await expect(quiz(page).getByRole('status')).not.toBeEmpty();
    await quiz(page).scrollIntoViewIfNeeded();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
    await shot(page, testInfo, `quiz-${w}.png`);
    expect(await axeViolations(page), 'light').toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect(page.locator('html')).toHaveClass(/\bdark\b/);
    expect(await axeViolations(page), 'dark').toEqual([]);
    await shot(page, testInfo, `quiz-${w}-dark.png`);
  });
}
