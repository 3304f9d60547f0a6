// Helpers for the playground specs: open a scenario by link, read the stepper and the trace,
// find graph nodes, wait for the URL to follow.
import { readFileSync } from 'node:fs';
import { expect, type Locator, type Page } from '@playwright/test';
import { scenarioToHash } from '../../src/scenario/codec.ts';
import { DEMOS } from '../../src/scenario/demos/index.ts';
import type { Scenario } from '../../src/scenario/types.ts';

export const seed000 = JSON.parse(readFileSync(new URL('../../src/scenario/demos/seed000-sync.json', import.meta.url), 'utf8')) as Scenario;

/** Open the playground on a scenario (through its link), optionally at a step. */
export async function open(page: Page, scenario?: Scenario, step?: number): Promise<void> {
  await page.goto(scenario ? `/${scenarioToHash(scenario, step)}` : '/');
  await expect(stepStatus(page)).toHaveText(/^Step \d+ of \d+$/);
}

export const stepStatus = (page: Page): Locator => page.getByTestId('step-status');

/**
 * Close the "Start here" tour a first visit offers (it sits at the top of the right column and
 * takes room from the panels), for a test about something else on the bare address.
 */
export async function skipTour(page: Page): Promise<void> {
  const tour = page.getByRole('dialog', { name: 'Start here' });
  await expect(tour).toBeVisible();
  await tour.getByRole('button', { name: 'Skip tour' }).click();
  await expect(tour).toHaveCount(0);
}

/** [k, n] from "Step k of n". */
export async function step(page: Page): Promise<[number, number]> {
  const text = (await stepStatus(page).textContent()) ?? '';
  const m = /^Step (\d+) of (\d+)$/.exec(text);
  if (!m) throw new Error(`no step status: ${text}`);
  return [Number(m[1]), Number(m[2])];
}

/** The Trace panel's current entry. */
export const currentEntry = (page: Page): Locator => page.getByRole('listbox', { name: 'Trace entries' }).locator('[aria-current="step"]');

/** A graph node by the start of its accessible name ("CPU 2", "Device toaster0", "Driver kmon"). */
export const node = (page: Page, name: string): Locator => page.locator(`.react-flow__node[aria-label^="${name}"]`);

/** The stepper's line for the current entry. */
export const entryText = async (page: Page): Promise<string> => (await page.getByTestId('step-entry').getAttribute('title')) ?? '';

/**
 * Press a stepping key until the current entry matches `re` (at most `max` presses, one per
 * animation frame, through the page's own keyboard shortcut handler); returns k of "Step k of n".
 */
export async function stepUntil(page: Page, re: RegExp, key: 'ArrowRight' | 'ArrowLeft' = 'ArrowRight', max = 600): Promise<number> {
  const found = await page.evaluate(
    async ({ source, flags, key, max }) => {
      const re = new RegExp(source, flags);
      const entry = () => document.querySelector('[data-testid="step-entry"]')?.getAttribute('title') ?? '';
      const status = () => document.querySelector('[data-testid="step-status"]')?.textContent ?? '';
      for (let i = 0; i < max; i++) {
        if (re.test(entry())) return { ok: true, status: status(), entry: entry() };
        const before = status();
        (document.activeElement as HTMLElement | null)?.blur?.();
        window.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
        for (let f = 0; f < 20 && status() === before; f++) await new Promise((r) => requestAnimationFrame(() => r(null)));
        if (status() === before) break; // at an end
      }
      return { ok: false, status: status(), entry: entry() };
    },
    { source: re.source, flags: re.flags, key, max },
  );
  if (!found.ok) throw new Error(`no entry matches ${re} (stopped at ${found.status}: ${found.entry})`);
  return Number(/^Step (\d+)/.exec(found.status)?.[1]);
}

/** The step the URL's link carries, once the URL has caught up. */
export async function urlStep(page: Page): Promise<number | null> {
  const m = /&step=(\d+)/.exec(new URL(page.url()).hash);
  return m ? Number(m[1]) : null;
}

/** Focus something neutral so the stepper's global keys apply. */
export async function focusPage(page: Page): Promise<void> {
  await page.locator('body').focus().catch(() => undefined);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
}

/**
 * Every trace entry as the Trace panel shows it (`#seq sStep [thread] body`), by stepping from
 * the first entry to the last and reading the panel's current entry each time.
 */
export async function traceByStepping(page: Page): Promise<string[]> {
  await page.getByRole('tab', { name: 'Trace' }).click();
  return page.evaluate(async () => {
    const status = () => document.querySelector('[data-testid="step-status"]')?.textContent ?? '';
    const frame = () => new Promise((r) => requestAnimationFrame(() => r(null)));
    const key = (k: string) => window.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));
    (document.activeElement as HTMLElement | null)?.blur?.();
    key('Home');
    const lines: string[] = [];
    for (;;) {
      const m = /^Step (\d+) of (\d+)$/.exec(status());
      if (!m) throw new Error(`no step status: ${status()}`);
      const seq = Number(m[1]) - 1;
      let row: Element | null = null;
      for (let f = 0; f < 60 && !row; f++) {
        row = document.querySelector(`[role="listbox"][aria-label="Trace entries"] [aria-current="step"][data-seq="${seq}"]`);
        if (!row) await frame();
      }
      if (!row) throw new Error(`the Trace panel does not show entry ${seq} as current`);
      lines.push(row.getAttribute('title') ?? '');
      if (m[1] === m[2]) return lines;
      key('ArrowRight');
      for (let f = 0; f < 60 && status() === `Step ${m[1]} of ${m[2]}`; f++) await frame();
    }
  });
}

/** Open a built-in demo the way a learner does: from the Demos gallery, then focus the page. */
export async function openDemo(page: Page, id: string): Promise<void> {
  const demo = DEMOS.find((d) => d.id === id);
  if (!demo) throw new Error(`no demo ${id}`);
  await open(page, seed000, 0);
  await page.getByRole('button', { name: 'Demos', exact: true }).click();
  await page.getByRole('dialog', { name: 'Demos' }).getByRole('button', { name: `Open “${demo.title}”` }).click();
  await expect(page).toHaveTitle(`${demo.title} — PnP Playground`);
  await focusPage(page);
}
