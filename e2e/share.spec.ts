// Sharing and teaching: bad links (one alert per kind, the previous scenario kept and restorable),
// every demo from the gallery and from its link, Copy link, the scenario editor, the embed in an
// iframe (own origin only), the `npm run link` CLI, markup in a scenario shown as text, and the
// local restore of the last scenario and step.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { deflateSync } from 'fflate';
import { runScenario } from '../src/engine/index.ts';
import { decodeHash, scenarioToHash } from '../src/scenario/codec.ts';
import { DEMOS, startSeq } from '../src/scenario/demos/index.ts';
import { load } from '../src/scenario/load.ts';
import type { Scenario } from '../src/scenario/types.ts';
import { focusPage, open, seed000, step, stepStatus, urlStep } from './support/playground.ts';
import { toasterMonitors } from './support/scenarios.ts';

// The preview server's origin (playwright.config.ts: E2E_PORT, default 4173).
const ORIGIN = `http://localhost:${process.env.E2E_PORT ?? 4173}`;

test.describe.configure({ timeout: 90_000 });

/** The scenario title in the page header (dialogs have their own header). */
const title = (page: Page) =>
  page.getByRole('banner').filter({ has: page.getByRole('heading', { name: 'PnP Playground', level: 1 }) }).getByRole('heading', { level: 2 });
const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

/** The scenario and step the page's URL carries now. */
function linkOf(page: Page): { title?: string; step?: number } {
  const r = decodeHash(new URL(page.url()).hash);
  return r.ok ? { title: r.scenario.title, step: r.step } : {};
}

/** A good link with its end cut off so that the codec reports it as truncated. */
function truncatedLink(): string {
  const good = scenarioToHash(seed000);
  for (let cut = 5; cut < 60; cut++) {
    const h = good.slice(0, good.length - cut);
    const r = decodeHash(h);
    if (!r.ok && r.error.kind === 'truncated') return h;
  }
  throw new Error('no truncated cut found');
}

const BAD_LINKS: { name: string; hash: () => string; message: string; more?: string }[] = [
  { name: 'corrupt base64', hash: () => `${scenarioToHash(seed000).slice(0, 20)}!*${scenarioToHash(seed000).slice(22)}`, message: 'This link is damaged.', more: 'unexpected character' },
  { name: 'truncated payload', hash: truncatedLink, message: 'This link is incomplete.', more: 'cut long links' },
  {
    name: 'decompression bomb',
    hash: () => `#s1.${b64url(deflateSync(new Uint8Array(20 * 1024 * 1024), { level: 9 }))}`,
    message: 'This link is too large to open.',
    more: 'decompression bombs',
  },
  { name: 'newer link version', hash: () => '#s9.AAAA', message: 'This link was made by a newer version of the playground.', more: 'Reload the page' },
  {
    name: 'newer scenario format',
    hash: () => scenarioToHash({ format: 'pnp-scenario/7', title: 'From the future' } as never),
    message: 'This link was made by a newer version of the playground.',
  },
  {
    name: 'schema-invalid scenario',
    hash: () => scenarioToHash({ format: 'pnp-scenario/1', title: 'Broken', timeline: [{ do: 'load', driver: 'ghost' }] } as never),
    message: 'This link’s scenario is not valid.',
    more: '/timeline/0/driver',
  },
];

test('(a) every kind of bad link: a precise alert, the previous scenario stays, and "Go back" restores it', async ({ page }) => {
  await open(page, toasterMonitors, 20);
  const previousTitle = toasterMonitors.title!;
  const [, n] = await step(page);
  for (const bad of BAD_LINKS) {
    await test.step(bad.name, async () => {
      const hash = bad.hash();
      await page.evaluate((h) => (location.hash = h), hash);
      const alert = page.getByRole('alert').filter({ hasText: bad.message });
      await expect(alert).toBeVisible();
      if (bad.more) await expect(alert).toContainText(bad.more);
      await expect(alert).toContainText('Your current scenario is unchanged.');
      // The page stays usable, on the previous scenario and step.
      await expect(title(page)).toHaveText(previousTitle);
      await expect(stepStatus(page)).toHaveText(`Step 21 of ${n}`);
      await page.getByRole('button', { name: 'Step forward' }).click();
      await expect(stepStatus(page)).toHaveText(`Step 22 of ${n}`);
      await page.getByRole('button', { name: 'Step back' }).click();
      await expect(stepStatus(page)).toHaveText(`Step 21 of ${n}`);
      await alert.getByRole('button', { name: 'Go back to your previous scenario' }).click();
      await expect(page.getByRole('alert')).toHaveCount(0);
      await expect(title(page)).toHaveText(previousTitle);
      await expect(stepStatus(page)).toHaveText(`Step 21 of ${n}`);
      expect(linkOf(page)).toEqual({ title: previousTitle, step: 20 });
    });
  }

  // Opening the page on a bad link: the last scenario this browser had open, with the way back.
  await page.goto(`/${BAD_LINKS[1].hash()}`);
  await page.reload();
  const alert = page.getByRole('alert').filter({ hasText: 'This link is incomplete.' });
  await expect(alert).toContainText('The page shows the last scenario you had open instead.');
  await expect(title(page)).toHaveText(previousTitle);
  await alert.getByRole('button', { name: 'Go back to your previous scenario' }).click();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect.poll(() => linkOf(page).title).toBe(previousTitle);
});

test('a first visit with a bad link shows the demo and no "Go back" (there is nothing to go back to)', async ({ page }) => {
  await page.goto('/#s1.AAAA!');
  const alert = page.getByRole('alert').filter({ hasText: 'This link is damaged.' });
  await expect(alert).toContainText('The page shows the built-in demo instead.');
  await expect(alert.getByRole('button', { name: 'Go back to your previous scenario' })).toHaveCount(0);
  await expect(title(page)).toHaveText(seed000.title!);
  await alert.getByRole('button', { name: 'Dismiss' }).click();
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('(b) every demo opens from the gallery and from its link, at its start step', async ({ page }) => {
  test.setTimeout(180_000);
  const expected = DEMOS.map((demo) => {
    const loaded = load(demo.scenario);
    if (!loaded.ok) throw new Error(`demo ${demo.id} does not load`);
    const outcome = runScenario(loaded.scenario);
    if (!outcome.ok) throw new Error(`demo ${demo.id} does not run`);
    return { demo, k: startSeq(demo, outcome.trace) + 1, n: outcome.trace.length };
  });
  await open(page);
  for (const { demo, k, n } of expected) {
    await test.step(`${demo.id} from the gallery`, async () => {
      await page.getByRole('button', { name: 'Demos', exact: true }).click();
      const gallery = page.getByRole('dialog', { name: 'Demos' });
      // Every demo is listed once (strict locator: a second card would fail the click).
      await gallery.getByRole('button', { name: `Open “${demo.title}”`, exact: true }).click();
      await expect(gallery).toHaveCount(0);
      await expect(title(page)).toHaveText(demo.title);
      await expect(stepStatus(page)).toHaveText(`Step ${k} of ${n}`);
      await expect.poll(() => urlStep(page)).toBe(k - 1);
    });
  }
  // From its link (the same page: a new hash is followed without a reload).
  for (const { demo, k, n } of expected) {
    await test.step(`${demo.id} from its link`, async () => {
      await page.goto(`/${scenarioToHash(demo.scenario as Scenario, k - 1)}`);
      await expect(title(page)).toHaveText(demo.title);
      await expect(stepStatus(page)).toHaveText(`Step ${k} of ${n}`);
    });
  }
});

test('(c) Copy link copies a link that reopens the same scenario and step', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await open(page, toasterMonitors, 10);
  await focusPage(page);
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  const [k, n] = await step(page);
  expect(k).toBe(14);
  await page.getByRole('banner').getByRole('button', { name: 'Copy link' }).click();
  await expect(page.getByRole('banner').getByText('Link copied')).toBeVisible();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toMatch(new RegExp(`^${ORIGIN}/#s1\\.[A-Za-z0-9_-]+&step=13$`));

  const other = await context.newPage();
  await other.goto(link);
  await expect(title(other)).toHaveText(toasterMonitors.title!);
  await expect(stepStatus(other)).toHaveText(`Step ${k} of ${n}`);
  await expect(page.getByRole('status').filter({ hasText: 'chat apps may truncate' })).toHaveCount(0);

  // A link over 2,000 characters: the header warns (incompressible text makes a long link).
  const long = { ...toasterMonitors, description: randomBytes(1800).toString('base64') };
  await page.goto(`/${scenarioToHash(long, 0)}`);
  await expect(page.getByRole('status').filter({ hasText: /This link is [\d,]+ characters long; chat apps may truncate links over 2,000 characters/ })).toBeAttached();
  await expect(page.getByText('⚠ long link')).toBeVisible();
});

test('(d) the editor: invalid JSON is flagged at its path and cannot be applied; a title edit applies and the URL follows', async ({ page }) => {
  await open(page, toasterMonitors, 5);
  await page.getByRole('button', { name: 'Edit scenario' }).click();
  const editor = page.getByRole('dialog', { name: 'Edit scenario' });
  await expect(editor).toBeVisible();
  const apply = editor.getByRole('button', { name: 'Apply', exact: true });
  await expect(apply).toBeDisabled();
  const json = editor.locator('.cm-content');

  // Not even JSON.
  await json.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText('{"format": "pnp-scenario/1", "title": ');
  await expect(editor.getByRole('status')).toHaveText(/problems? to fix before applying/);
  await expect(apply).toBeDisabled();
  await expect(editor.getByRole('button', { name: /^Error \/: JSON syntax error at line 1, column 39/ })).toBeVisible();

  // JSON, but not a valid scenario: the problem is under its text and listed with its path.
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText('{"format": "pnp-scenario/1", "timeline": [{"do": "load", "driver": "ghost"}]}');
  await expect(editor.getByRole('button', { name: /\/timeline\/0\/driver/ })).toBeVisible();
  await expect(editor.locator('.cm-lintRange-error').first()).toBeAttached();
  await expect(apply).toBeDisabled();
  await page.screenshot({ path: 'test-results/share-editor-invalid.png' });

  // Back to the running scenario; change the title by the form.
  await editor.getByRole('button', { name: 'Revert' }).click();
  await expect(editor.getByRole('status')).toHaveText(/^Valid/);
  const before = page.url();
  await editor.getByLabel('Title').fill('Toasters, edited');
  await expect(editor.getByRole('status')).toHaveText(/^Valid/);
  await expect(apply).toBeEnabled();
  await page.screenshot({ path: 'test-results/share-editor.png' });
  await apply.click();
  await expect(title(page)).toHaveText('Toasters, edited');
  await expect.poll(() => linkOf(page).title).toBe('Toasters, edited');
  expect(page.url()).not.toBe(before);
  // A new scenario starts at its beginning.
  await expect(stepStatus(page)).toHaveText(/^Step 1 of/);
  await editor.getByRole('button', { name: 'Close' }).first().click();
  await expect(editor).toHaveCount(0);
});

test('the gallery (screenshot)', async ({ page }) => {
  await open(page);
  await page.getByRole('button', { name: 'Demos', exact: true }).click();
  const gallery = page.getByRole('dialog', { name: 'Demos' });
  await expect(gallery.getByRole('heading', { name: 'Documented mistakes' })).toBeVisible();
  await gallery.getByLabel('Filter demos').fill('surprise');
  await expect(gallery.getByRole('heading', { level: 4 })).not.toHaveCount(0);
  await gallery.getByLabel('Filter demos').fill('');
  await page.screenshot({ path: 'test-results/share-gallery.png' });
  await page.keyboard.press('Escape');
  await expect(gallery).toHaveCount(0);
});

test('(e) embed mode in an iframe: graph, step controls, a link out, and no request to another origin', async ({ page }) => {
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  const hash = scenarioToHash(seed000, 4);
  await page.setContent(`<!doctype html><title>Course page</title><iframe title="PnP demo" src="${ORIGIN}/?embed=1${hash}" style="width:1000px;height:640px;border:0"></iframe>`);
  const frame = page.frameLocator('iframe');
  await expect(frame.getByTestId('graph')).toBeVisible();
  await expect(frame.getByTestId('step-status')).toHaveText('Step 5 of 58');
  await frame.getByRole('button', { name: 'Step forward' }).click();
  await expect(frame.getByTestId('step-status')).toHaveText('Step 6 of 58');
  const out = frame.getByRole('link', { name: /Open in the full playground/ });
  await expect(out).toBeVisible();
  await expect(out).toHaveAttribute('href', new RegExp(`^${ORIGIN}/#s1\\.[A-Za-z0-9_-]+&step=5$`));
  await expect(out).toHaveAttribute('target', '_blank');
  // Read-only: no palette, no editor, no demos, no copy-link tools.
  await expect(frame.getByRole('button', { name: 'Edit scenario' })).toHaveCount(0);
  await expect(frame.getByRole('button', { name: 'Demos' })).toHaveCount(0);
  await expect(frame.getByRole('complementary', { name: 'Palette and actions' })).toHaveCount(0);
  await page.screenshot({ path: 'test-results/share-embed.png' });
  await page.waitForTimeout(500);
  const foreign = requests.filter((u) => !u.startsWith(`${ORIGIN}/`) && !u.startsWith('data:') && !u.startsWith('blob:'));
  expect(foreign).toEqual([]);
  expect(requests.length).toBeGreaterThan(0);
});

test('(f) the link printed by `npm run link` opens in the page', async ({ page }) => {
  const out = execFileSync('npm', ['run', '--silent', 'link', '--', 'src/scenario/demos/seed000-sync.json'], { encoding: 'utf8' }).trim();
  expect(out).toMatch(/^\/#s1\.[A-Za-z0-9_-]+$/);
  await page.goto(out);
  await expect(title(page)).toHaveText('Synchronous processor notification');
  await expect(stepStatus(page)).toHaveText('Step 1 of 58');
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('(g) markup in a scenario is shown as text, never as elements', async ({ page }) => {
  const evil = '<img src=x onerror=alert(1)>';
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const s = structuredClone(seed000);
  s.title = `Hostile ${evil}`;
  s.description = `Description ${evil}`;
  const entry = s.drivers!.sampledrv.routines!.DriverEntry as unknown[];
  entry.unshift({ op: 'note', text: `Note ${evil}` });
  await open(page, s, 6);
  await expect(title(page)).toHaveText(`Hostile ${evil}`);
  await expect(page.getByText(`Note ${evil}`).first()).toBeAttached();
  await page.getByRole('button', { name: 'Edit scenario' }).click();
  await expect(page.getByRole('dialog', { name: 'Edit scenario' }).getByLabel('Title')).toHaveValue(`Hostile ${evil}`);
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Demos', exact: true }).click();
  await page.keyboard.press('Escape');
  expect(await page.locator('img').count()).toBe(0);

  // A link whose JSON carries __proto__ is refused, and nothing is polluted.
  const hostile = `{"format":"pnp-scenario/1","title":"x","__proto__":{"polluted":true},"machine":{"constructor":{"prototype":{"polluted":true}}}}`;
  await page.evaluate((h) => (location.hash = h), `#s1.${b64url(deflateSync(new TextEncoder().encode(hostile)))}`);
  await expect(page.getByRole('alert').filter({ hasText: 'This link’s scenario is not valid.' })).toBeVisible();
  await expect(title(page)).toHaveText(`Hostile ${evil}`);
  expect(await page.evaluate(() => 'polluted' in Object.prototype || 'polluted' in ({} as object))).toBe(false);
  expect(await page.locator('img').count()).toBe(0);
  expect(dialogs).toEqual([]);
});

test('no hash restores the last scenario and step; a corrupt saved value never breaks the page', async ({ page }) => {
  await page.goto('/');
  await expect(title(page)).toHaveText(seed000.title!); // the very first visit
  await open(page, toasterMonitors, 12);
  await expect.poll(() => page.evaluate(() => localStorage.getItem('pnp-playground:last-link'))).toMatch(/&step=12$/);
  await page.goto('about:blank');
  await page.goto('/');
  await expect(title(page)).toHaveText(toasterMonitors.title!);
  await expect(stepStatus(page)).toHaveText(/^Step 13 of/);
  await expect(page.getByRole('alert')).toHaveCount(0);
  // Let the page's own (debounced) save land first, so that it does not overwrite the corrupt value.
  await expect.poll(() => urlStep(page)).toBe(12);

  await page.evaluate(() => localStorage.setItem('pnp-playground:last-link', '#s1.%%%{not a link'));
  await page.goto('about:blank');
  await page.goto('/');
  await expect(title(page)).toHaveText(seed000.title!);
  await expect(stepStatus(page)).toHaveText('Step 13 of 58'); // the first visit's teaching moment: the first callback
  await expect(page.getByRole('alert')).toHaveCount(0);
});
