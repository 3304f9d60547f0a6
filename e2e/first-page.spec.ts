import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { traceByStepping } from './support/playground.ts';

// Two axe runs and a walk through the whole trace: more than the default 30 s on a busy machine.
test.describe.configure({ timeout: 60_000 });

/** Wait until the built-in scenario has run; return its trace lines as the Trace panel shows them. */
async function traceLines(page: Page): Promise<string[]> {
  await expect(page.getByRole('listbox', { name: 'Trace entries' })).toBeVisible();
  await expect(page.getByTestId('step-status')).toHaveText(/^Step \d+ of \d+$/);
  return (await traceByStepping(page)).map((t) => t.replace(/\s+/g, ' ').trim());
}

const indexOf = (lines: string[], re: RegExp, from = 0) => {
  const i = lines.findIndex((l, k) => k >= from && re.test(l));
  if (i < 0) throw new Error(`no trace line matches ${re}${from ? ` after line ${from}` : ''}:\n${lines.join('\n')}`);
  return i;
};

/** axe-core's findings, one line per rule with the offending elements. */
async function axeViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('runs seed 000 in the engine worker and shows its trace', async ({ page }) => {
  // What the page's Content-Security-Policy (vite.config.ts) refused: nothing, on a first visit.
  const refused: string[] = [];
  page.on('console', (m) => void (m.type() === 'error' && /Content Security Policy/i.test(m.text()) && refused.push(m.text())));
  await page.goto('/');
  await expect(page).toHaveTitle('Synchronous processor notification — PnP Playground');
  await expect(page.getByRole('heading', { level: 1, name: 'PnP Playground' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Synchronous processor notification' })).toBeVisible();

  const lines = await traceLines(page);
  await page.screenshot({ path: 'test-results/first-page.png', fullPage: true });

  // DriverEntry registers; with KE_PROCESSOR_CHANGE_ADD_EXISTING the callback runs for the active
  // processors inside the call: Start(0), Start(1), then Complete (KE-4).
  const register = indexOf(lines, /→ KeRegisterProcessorChangeCallback\(.*CallbackFunction=SyncProcessorCallback/);
  const start0 = indexOf(lines, /SyncProcessorCallback\(.*State=KeProcessorAddStartNotify, NtNumber=0\b/, register);
  const start1 = indexOf(lines, /SyncProcessorCallback\(.*State=KeProcessorAddStartNotify, NtNumber=1\b/, register);
  const complete = indexOf(lines, /SyncProcessorCallback\(.*State=KeProcessorAddCompleteNotify/, register);
  const registered = indexOf(lines, /← KeRegisterProcessorChangeCallback = /, register);
  expect(start0).toBeLessThan(start1);
  expect(start1).toBeLessThan(complete);
  expect(complete).toBeLessThan(registered);

  // The hot-add of processor 2 on the hotplug thread: Start(2), processor 2 active, Complete(2) (KE-1).
  const hotAdd = indexOf(lines, /▶ hotAddProcessor/);
  const start2 = indexOf(lines, /\[hotplug\] sampledrv!SyncProcessorCallback\(.*State=KeProcessorAddStartNotify, NtNumber=2\b/, hotAdd);
  const active2 = indexOf(lines, /processor:2 \S+ → active/, hotAdd);
  const complete2 = indexOf(lines, /SyncProcessorCallback\(.*State=KeProcessorAddCompleteNotify, NtNumber=2\b/, hotAdd);
  expect(start2).toBeLessThan(active2);
  expect(active2).toBeLessThan(complete2);

  // Unload deregisters, then the run ends quiescent with exactly one halt.
  indexOf(lines, /→ KeDeregisterProcessorChangeCallback\(/, complete2);
  expect(lines.at(-1)).toMatch(/■ halt: quiescent$/);
  expect(lines.filter((l) => l.includes('■ halt:'))).toHaveLength(1);
  expect(lines.filter((l) => l.includes('⚠'))).toHaveLength(0);

  // The simulation ran in one Web Worker (the one the page's entry started); the page's own globals
  // hold nothing of the engine.
  expect(page.workers().filter((w) => /engine\.worker/.test(w.url()))).toHaveLength(1);
  expect(refused).toEqual([]);
  const added = await page.evaluate(() => {
    // Globals of this page that a blank document does not have.
    const blank = document.body.appendChild(document.createElement('iframe'));
    const builtIn = new Set(Object.keys(blank.contentWindow ?? {}));
    blank.remove();
    return Object.keys(window).filter((k) => !builtIn.has(k));
  });
  expect(added.filter((k) => /engine|scenario|trace|run|load|simulat/i.test(k))).toEqual([]);
});

test('reads well in the dark theme and has no detectable accessibility violations', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('/');
  await expect(page.getByTestId('step-status')).toHaveText(/^Step \d+ of \d+$/);
  await expect(page.locator('html')).toHaveClass(/\bdark\b/);
  await page.screenshot({ path: 'test-results/first-page-dark.png', fullPage: true });
  expect(await axeViolations(page), 'dark theme').toEqual([]);

  await page.emulateMedia({ colorScheme: 'light' });
  await expect(page.locator('html')).not.toHaveClass(/\bdark\b/);
  // Colours ease into the new theme (Tailwind `transition`): check contrast once they have settled.
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity));
  expect(await axeViolations(page), 'light theme').toEqual([]);
});
