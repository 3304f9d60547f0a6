// The interleaving explorer in the page (docs/explore.md): Explore runs every schedule in a worker
// with a progress bar and Cancel; the Interleavings panel lists the distinct outcomes; Open loads an
// outcome's schedule (the link follows) and the Explanation says which thread ran instead of which.
import { expect, test, type Page } from '@playwright/test';
import { explore } from '../src/engine/explore/index.ts';
import { DEMOS } from '../src/scenario/demos/index.ts';
import { interleavingsText } from '../src/scenario/demos/interleavings.ts';
import { load } from '../src/scenario/load.ts';
import { open, openDemo, seed000 } from './support/playground.ts';

test.describe.configure({ timeout: 90_000 });

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });

/** Pretend the machine has `cores` cores: the page explores on cores − 1 workers. */
const withCores = (page: Page, cores: number) =>
  page.addInitScript((n) => Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => n, configurable: true }), cores);

/** The explorer's workers the page starts, and which of them have ended. */
function watchExploreWorkers(page: Page): { started: () => number; running: () => number } {
  let started = 0;
  let closed = 0;
  page.on('worker', (w) => {
    if (!/explore\.worker/.test(w.url())) return;
    started++;
    w.on('close', () => closed++);
  });
  return { started: () => started, running: () => started - closed };
}


test('Explore lists the outcomes of the non-Ex window; Open loads the bug-checking schedule and explains where it departs', async ({ page }) => {
  await openDemo(page, 'seed003-non-ex-window');
  await page.getByRole('tab', { name: 'Interleavings' }).click();
  const panel = page.getByRole('region', { name: 'Interleavings' });
  await panel.getByRole('button', { name: 'Explore', exact: true }).click();
  const progress = panel.getByRole('progressbar', { name: 'Exploring schedules' });
  await expect(progress).toBeVisible();
  await expect(progress).toHaveAttribute('aria-valuetext', /schedules, .* states, done/);
  const rows = panel.getByRole('table').getByRole('row');
  await expect(rows.nth(1)).toContainText('quiescent'); // the default run's outcome first
  const bug = rows.filter({ hasText: 'bugcheck' }).filter({ hasText: 'UN-5' }).first();
  await expect(bug).toBeVisible();
  await expect(bug.getByTitle(/^UN-1: warning/)).toBeVisible(); // the rule badges
  const before = page.url();
  await bug.getByRole('button', { name: /^Open outcome/ }).click();
  await expect.poll(() => page.url()).not.toBe(before); // the link follows the schedule
  const note = page.getByRole('region', { name: 'Explanation' }).getByRole('note', { name: 'Interleaving' });
  await expect(note).toContainText(/ ran instead of /);
  // The outcomes still describe this scenario's schedules: the table stays with the new link.
  await expect(bug).toBeVisible();
});

test("an exploration started before the scenario's link has come (right after an edit) keeps its outcomes once the link comes", async ({ page }) => {
  // Hold the page's `shown` notices while asked: the worker makes a run's link only after one.
  await page.addInitScript(() => {
    const w = window as unknown as { __hold: boolean; __held: (() => void)[]; __release(): void };
    w.__hold = false;
    w.__held = [];
    w.__release = () => {
      w.__hold = false;
      for (const send of w.__held.splice(0)) send();
    };
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (this: Worker, message: unknown, ...rest: [StructuredSerializeOptions?]) {
      if (w.__hold && (message as { type?: string } | null)?.type === 'shown') return void w.__held.push(() => post.call(this, message, ...rest));
      return post.call(this, message, ...rest);
    } as Worker['postMessage'];
  });
  await openDemo(page, 'seed003-non-ex-window');
  await page.getByRole('tab', { name: 'Interleavings' }).click();
  const before = page.url();
  await page.evaluate(() => void ((window as unknown as { __hold: boolean }).__hold = true));
  // An edit: a processor added where the palette puts it; its link is held.
  await page.locator('button[data-palette="processor"]').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('banner').getByRole('button', { name: 'Copy link' })).toBeDisabled();
  const panel = page.getByRole('region', { name: 'Interleavings' });
  await panel.getByRole('button', { name: 'Explore', exact: true }).click();
  await expect(panel.getByRole('progressbar', { name: 'Exploring schedules' })).toHaveAttribute('aria-valuetext', /done/);
  const rows = panel.getByRole('table').getByRole('row');
  await expect(rows.nth(1)).toContainText('quiescent');
  await page.evaluate(() => (window as unknown as { __release(): void }).__release());
  await expect.poll(() => page.url()).not.toBe(before); // the edit's link came
  await expect(page.getByRole('banner').getByRole('button', { name: 'Copy link' })).toBeEnabled();
  await expect(rows.nth(1)).toContainText('quiescent');
});

test('several workers: the outcome table is the one a single exploration gives', async ({ page }) => {
  await withCores(page, 4);
  const workers = watchExploreWorkers(page);
  const id = 'seed002-duplicate';
  await openDemo(page, id);
  await page.getByRole('tab', { name: 'Interleavings' }).click();
  const panel = page.getByRole('region', { name: 'Interleavings' });
  await panel.getByRole('button', { name: 'Explore', exact: true }).click();
  await expect(panel.getByRole('progressbar', { name: 'Exploring schedules' })).toHaveAttribute('aria-valuetext', /done/);
  expect(workers.started()).toBe(3); // 4 cores: one for the page, three explorer workers
  // One exploration in one thread (Node, the same engine) gives the same rows, in the same order.
  const loaded = load(DEMOS.find((d) => d.id === id)!.scenario);
  if (!loaded.ok) throw new Error('the demo does not load');
  const expected = explore(loaded.scenario);
  expect(expected.outcomes.length).toBeGreaterThan(1);
  const rows = panel.getByRole('table').getByRole('row');
  await expect(rows).toHaveCount(expected.outcomes.length + 1);
  for (const [i, o] of expected.outcomes.entries()) {
    const cells = rows.nth(i + 1).getByRole('cell');
    await expect(rows.nth(i + 1).getByRole('rowheader')).toHaveText(o.halt);
    await expect(cells.nth(2)).toHaveText(o.runs.toLocaleString('en-US'));
    await expect(cells.nth(3)).toHaveText(o.divergesAt ? `departs at step ${o.divergesAt.step}: ${o.divergesAt.ran} instead of ${o.divergesAt.insteadOf}` : 'the default run');
  }
  await expect(panel.getByText(`${expected.runs.toLocaleString('en-US')} schedules, ${expected.states.toLocaleString('en-US')} states: ${expected.outcomes.length} distinct outcomes.`)).toBeVisible();
  await expect.poll(workers.running).toBe(0); // done: every worker ended
});

test('Cancel stops a long exploration: every worker ends', async ({ page }) => {
  await withCores(page, 4);
  const workers = watchExploreWorkers(page);
  await openDemo(page, 'seed002-recipe');
  await page.getByRole('tab', { name: 'Interleavings' }).click();
  const panel = page.getByRole('region', { name: 'Interleavings' });
  await panel.getByRole('button', { name: 'Explore', exact: true }).click();
  await expect(panel.getByRole('progressbar', { name: 'Exploring schedules' })).toBeVisible();
  await expect.poll(workers.started).toBe(3);
  await panel.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(panel.getByText(/^Cancelled after /)).toBeVisible();
  await expect.poll(workers.running).toBe(0);
  await expect(panel.getByRole('button', { name: 'Explore', exact: true })).toBeEnabled();
});

test('Compare: two outcomes picked by name, their sequence diagrams side by side, the first difference marked in both', async ({ page }) => {
  await openDemo(page, 'seed003-non-ex-window');
  await page.getByRole('tab', { name: 'Interleavings' }).click();
  const panel = page.getByRole('region', { name: 'Interleavings' });
  await panel.getByRole('button', { name: 'Explore', exact: true }).click();
  await expect(panel.getByRole('progressbar', { name: 'Exploring schedules' })).toHaveAttribute('aria-valuetext', /done/);
  const compareButton = panel.getByRole('button', { name: 'Compare', exact: true });
  await expect(compareButton).toBeDisabled();
  await panel.getByRole('checkbox', { name: 'Compare outcome 1' }).check();
  const rows = panel.getByRole('table').getByRole('row');
  const bug = rows.filter({ hasText: 'bugcheck' }).first();
  await bug.getByRole('checkbox', { name: /^Compare outcome \d+$/ }).check();
  await compareButton.click();
  const region = panel.getByRole('region', { name: 'Compare outcomes' });
  await expect(region).toBeVisible();
  await expect(region.getByRole('heading', { name: /^Outcome 1: quiescent/ })).toBeVisible();
  await expect(region.getByRole('heading', { name: /^Outcome \d+: bugcheck/ })).toBeVisible();
  const diagrams = region.getByRole('img', { name: /^Outcome \d+: / });
  await expect(diagrams).toHaveCount(2);
  // The first difference is marked in both diagrams, in view, at the same height (the rows line up).
  const marks = region.getByRole('note', { name: /^First difference: #\d+ / });
  await expect(marks).toHaveCount(2);
  await expect(marks.first()).toHaveText('First difference');
  await expect(marks.first()).toBeInViewport();
  await expect(marks.last()).toBeInViewport();
  const [y1, y2] = [(await marks.first().boundingBox())!.y, (await marks.last().boundingBox())!.y];
  expect(Math.abs(y1 - y2)).toBeLessThan(1);
  // The two marks name different messages: that is where the runs part.
  expect(await marks.first().getAttribute('aria-label')).not.toBe(await marks.last().getAttribute('aria-label'));
  await region.getByRole('button', { name: 'Close comparison' }).click();
  await expect(region).toHaveCount(0);
});

test('the seed-003 and seed-002 demo cards point at the explorer with its counts', async ({ page }) => {
  await open(page, seed000, 0);
  await button(page, 'Demos').click();
  const gallery = page.getByRole('dialog', { name: 'Demos' });
  for (const id of ['seed003-non-ex-window', 'seed003-ex-guarantee', 'seed002-missed-arrival']) {
    const demo = DEMOS.find((d) => d.id === id)!;
    const card = gallery.getByRole('article', { name: demo.title });
    await expect(card).toContainText(interleavingsText(demo.interleavings!));
  }
});
