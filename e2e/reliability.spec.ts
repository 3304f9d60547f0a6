// Reliability of the page (issue 13): every link opens to something usable, on a first visit too —
// a link that decodes but cannot run, a bad saved scenario, a trace too large for the page, and
// links with an unknown prefix.
import { expect, test, type Page } from '@playwright/test';
import { scenarioToHash } from '../src/scenario/codec.ts';
import type { Scenario } from '../src/scenario/types.ts';
import { seed000, stepStatus } from './support/playground.ts';

test.describe.configure({ timeout: 90_000 });

const LAST_LINK_KEY = 'pnp-playground:last-link';

const title = (page: Page) =>
  page.getByRole('banner').filter({ has: page.getByRole('heading', { name: 'PnP Playground', level: 1 }) }).getByRole('heading', { level: 2 });

/** Seed 000 with a schedule override that the run never reaches: it decodes, but cannot run. */
const cannotRun: Scenario = { ...seed000, title: 'Never reaches its schedule', schedule: [{ at: 99_999, run: 'pnp' }] };

/** Two nested INCLUDE_EXISTING replays over 1,000 processors: about 3 million entries uncapped. */
const includeExisting = (routine: string) => ({
  call: 'IoRegisterPlugPlayNotification', EventCategory: 'EventCategoryDeviceInterfaceChange',
  EventCategoryFlags: ['PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES'], EventCategoryData: 'GUID_DEVICE_PROCESSOR',
  CallbackRoutine: routine, NotificationEntry: 'e',
});
const huge = {
  format: 'pnp-scenario/1',
  title: 'Empty callbacks, a million times',
  machine: { processors: 1000, maxProcessors: 1000 },
  drivers: { d: { routines: { DriverEntry: [includeExisting('A')], A: [includeExisting('B')], B: [] } } },
  timeline: [{ do: 'load', driver: 'd' }],
} as unknown as Scenario;

/** A fresh browser profile: nothing saved, so the page's first visit. */
async function firstVisit(page: Page, hash: string): Promise<number> {
  const t0 = Date.now();
  await page.goto(`/${hash}`);
  await expect(stepStatus(page)).toHaveText(/^Step \d+ of \d+$/, { timeout: 60_000 });
  const ms = Date.now() - t0;
  console.log(`opened ${hash.slice(0, 12)}… in ${ms} ms`);
  return ms;
}

test('a link that decodes but cannot run: on a first visit, the alert and the seed-000 demo', async ({ page }) => {
  const ms = await firstVisit(page, scenarioToHash(cannotRun));
  const alert = page.getByRole('alert').filter({ hasText: 'This link’s scenario is not valid.' });
  await expect(alert).toBeVisible();
  await expect(alert).toContainText('/schedule/0/at');
  await expect(alert).toContainText('The page shows the built-in demo instead.');
  await expect(title(page)).toHaveText(seed000.title!);
  await expect(page.getByRole('button', { name: 'Go back to your previous scenario' })).toHaveCount(0);
  await expect(page.getByText('The scenario is not valid; the previous one is still shown')).toHaveCount(0);
  expect(ms).toBeLessThan(10_000); // generous for a loaded machine; a blank page never resolves at all
});

test('a bad saved scenario is dropped with a notice, and the demo opens', async ({ page }) => {
  await page.goto('/');
  await expect(stepStatus(page)).toHaveText(/^Step \d+ of \d+$/);
  // One that cannot be read, and one that decodes but cannot run.
  for (const saved of ['#s1.%%%{not a link', scenarioToHash(cannotRun, 3)]) {
    // Planted from another page of the same origin: the app saves its own work when it is left
    // (a write still debounced runs at pagehide), which would overwrite a value planted under it.
    await page.goto('/favicon.svg');
    await page.evaluate(([k, v]) => localStorage.setItem(k, v), [LAST_LINK_KEY, saved]);
    await page.goto('/');
    await expect(stepStatus(page)).toHaveText(/^Step \d+ of \d+$/);
    await expect(page.getByTestId('notice')).toContainText('Your last scenario could not be opened again');
    await expect(page.getByTestId('notice')).toContainText('it was dropped');
    await expect(title(page)).toHaveText(seed000.title!);
    await expect.poll(() => page.evaluate((k) => localStorage.getItem(k), LAST_LINK_KEY)).not.toBe(saved);
  }
});

test('a trace too large for the page opens capped, with a notice', async ({ page }) => {
  await firstVisit(page, scenarioToHash(huge));
  await expect(title(page)).toHaveText('Empty callbacks, a million times');
  await expect(stepStatus(page)).toHaveText(/of 200000$/);
  const capped = page.getByTestId('trace-capped');
  await expect(capped).toContainText('This trace is capped at 200,000 entries');
  await expect(capped).toContainText('--max-entries');
});

for (const hash of ['#x1.AAAA', '#S1.AAAA']) {
  test(`an unknown link prefix (${hash.slice(0, 4)}…) gets the alert on a first visit, as on a hash change`, async ({ page }) => {
    await firstVisit(page, hash);
    await expect(page.getByRole('alert').filter({ hasText: 'This address is not a playground link.' })).toBeVisible();
    await expect(title(page)).toHaveText(seed000.title!);
    await page.getByRole('button', { name: 'Dismiss' }).first().click();
    await page.evaluate((h) => (location.hash = h), `${hash}B`);
    await expect(page.getByRole('alert').filter({ hasText: 'This address is not a playground link.' })).toBeVisible();
  });
}

test('pasting 5 MB on one line into the editor: checked off the main thread, the page stays responsive', async ({ page }) => {
  await firstVisit(page, '');
  await page.getByRole('button', { name: 'Edit scenario' }).click();
  const content = page.locator('.cm-content').first();
  await content.click();
  await page.keyboard.press('Control+A');
  const longest = await page.evaluate(async () => {
    const tasks: number[] = [];
    const observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) tasks.push(e.duration);
    });
    observer.observe({ type: 'longtask', buffered: false });
    const big = `{"format":"pnp-scenario/1","title":"${'x'.repeat(5 * 1024 * 1024)}"}`;
    const dt = new DataTransfer();
    dt.setData('text/plain', big);
    document.querySelector('.cm-content')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    // Wait for the check to land (the status leaves "Checking…").
    for (let i = 0; i < 600; i++) {
      await new Promise((r) => setTimeout(r, 50));
      if ([...document.querySelectorAll('[role="status"]')].some((e) => /problems? to fix/.test(e.textContent ?? ''))) break;
    }
    observer.disconnect();
    const status = [...document.querySelectorAll('[role="status"]')].map((e) => e.textContent ?? '').find((t) => /problems? to fix/.test(t)) ?? '';
    return { max: Math.max(0, ...tasks), status };
  });
  console.log(`5 MB paste: longest task ${Math.round(longest.max)} ms; status "${longest.status}"`);
  // Over 1 MiB: refused with its reason (the check ran, in the checker worker).
  expect(longest.status).toMatch(/1 problem to fix/);
  await expect(page.getByText('the scenario is more than 1 MiB of JSON text', { exact: false }).first()).toBeVisible();
});

test('a side column whose code cannot be downloaded: that column says so, the graph and the step controls keep working, and a reload brings it back', async ({ page }) => {
  await page.route('**/assets/SideColumns-*.js', (route) => route.abort());
  await page.goto('/');
  await expect(stepStatus(page)).toHaveText(/^Step \d+ of \d+$/, { timeout: 60_000 });
  const failed = page.getByRole('alert').filter({ hasText: 'could not be loaded' });
  await expect(failed).toHaveCount(2);
  await expect(page.getByRole('complementary', { name: 'Palette and actions' }).getByRole('alert')).toContainText('The palette and actions could not be loaded');
  await expect(page.getByRole('complementary', { name: 'Explanation and panels' }).getByRole('alert')).toContainText('The explanation and panels could not be loaded');
  await expect(page.locator('.react-flow__node').first()).toBeVisible();
  await page.screenshot({ path: 'test-results/side-columns-failed.png' });
  const shown = await stepStatus(page).textContent();
  await page.getByRole('button', { name: 'Step forward' }).click();
  await expect(stepStatus(page)).not.toHaveText(shown!);
  const scenarioTitle = await title(page).textContent();

  await page.unroute('**/assets/SideColumns-*.js');
  await page.getByRole('button', { name: 'Reload the page' }).first().click();
  await expect(page.getByRole('heading', { name: 'Add hardware' })).toBeVisible({ timeout: 30_000 });
  await expect(failed).toHaveCount(0);
  await expect(title(page)).toHaveText(scenarioTitle!);
});

test('a link whose reader cannot be downloaded: the page says so and opens nothing in its place; the link and the last scenario are kept, and a reload opens the link', async ({ page }) => {
  const other: Scenario = { ...seed000, title: 'Kept through a failed download' };
  const hash = scenarioToHash(other, 0);
  // An earlier visit saved its last scenario: it must survive the failed visit untouched.
  await page.addInitScript(([key, saved]) => {
    if (!sessionStorage.getItem('seeded')) {
      localStorage.setItem(key, saved);
      sessionStorage.setItem('seeded', '1');
    }
  }, [LAST_LINK_KEY, scenarioToHash(seed000, 3)] as const);
  await page.route('**/assets/link-*.js', (route) => route.abort());
  await page.goto(`/${hash}`);
  await expect(page.getByText('could not download the code that reads links', { exact: false })).toBeVisible({ timeout: 30_000 });
  await page.waitForTimeout(500); // any write would have happened by now (the address is written after 250 ms)
  expect(new URL(page.url()).hash).toBe(hash);
  expect(await page.evaluate((key) => localStorage.getItem(key), LAST_LINK_KEY)).toBe(scenarioToHash(seed000, 3));
  await page.screenshot({ path: 'test-results/link-reader-failed.png' });

  await page.unroute('**/assets/link-*.js');
  await page.reload();
  await expect(title(page)).toHaveText('Kept through a failed download', { timeout: 30_000 });
  await expect(stepStatus(page)).toHaveText(/^Step 1 of \d+$/);
});
