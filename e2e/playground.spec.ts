// The playground as a whole: stepping (and the Trace panel following), the thread picker at a
// choice point, the hazard overlay, the URL (reload restores scenario and step; a bad link keeps
// the user's work), a crashed or hung engine worker restored at the same step, a large machine,
// screenshots in both themes, and axe.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { currentEntry, entryText, focusPage, node, open, seed000, step, stepStatus, stepUntil, urlStep } from './support/playground.ts';
import { forgetsToDeregister, largeMachine, racing, toasterMonitors } from './support/scenarios.ts';
import { stressScenario } from '../bench/stress.ts';

test.describe.configure({ timeout: 60_000 });

async function seriousAxe(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('first visit: seed 000; stepping back and forth by buttons, keys and scrubber; the Trace panel follows', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Synchronous processor notification' })).toBeVisible();
  // It opens at its teaching moment, the first callback; Home goes to the first entry.
  await expect(stepStatus(page)).toHaveText('Step 13 of 58');
  await expect.poll(() => entryText(page)).toMatch(/sampledrv!SyncProcessorCallback\(/);
  await focusPage(page);
  await page.keyboard.press('Home');
  await expect(stepStatus(page)).toHaveText('Step 1 of 58');
  await expect(node(page, 'Hardware partition')).toBeVisible();
  await expect(node(page, 'CPU 0 · group 0/0')).toHaveAttribute('aria-label', /, active/);
  await expect(node(page, 'CPU 2')).toHaveAttribute('aria-label', /not-present/);
  await expect(node(page, 'Driver sampledrv')).toHaveAttribute('aria-label', /not-loaded/);
  await expect(currentEntry(page)).toHaveAttribute('data-seq', '0');

  await page.getByRole('button', { name: 'Step forward' }).click();
  await expect(stepStatus(page)).toHaveText('Step 2 of 58');
  await expect(currentEntry(page)).toHaveAttribute('data-seq', '1');
  await focusPage(page);
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
  await expect(stepStatus(page)).toHaveText('Step 7 of 58');
  await expect(currentEntry(page)).toHaveAttribute('data-seq', '6');
  await page.keyboard.press('ArrowLeft');
  await expect(stepStatus(page)).toHaveText('Step 6 of 58');
  await page.getByRole('button', { name: 'Step back' }).click();
  await expect(stepStatus(page)).toHaveText('Step 5 of 58');
  await expect(currentEntry(page)).toHaveAttribute('data-seq', '4');
  await expect(entryText(page)).resolves.toBe('▶ load sampledrv');

  await focusPage(page);
  await page.keyboard.press('End');
  await expect(stepStatus(page)).toHaveText('Step 58 of 58');
  await expect(currentEntry(page)).toHaveAttribute('title', /■ halt: quiescent/);
  await expect(node(page, 'CPU 2')).toHaveAttribute('aria-label', /, active/);
  await expect(node(page, 'Driver sampledrv')).toHaveAttribute('aria-label', /unloaded/);
  await page.keyboard.press('Home');
  await expect(stepStatus(page)).toHaveText('Step 1 of 58');
  await page.getByRole('button', { name: 'Run to end' }).click();
  await expect(stepStatus(page)).toHaveText('Step 58 of 58');
  await page.getByRole('button', { name: 'Reset' }).click();
  await expect(stepStatus(page)).toHaveText('Step 1 of 58');

  // By action: Shift+→ jumps to the next timeline action.
  await focusPage(page);
  await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('Shift+ArrowRight');
  await expect(entryText(page)).resolves.toBe('▶ hotAddProcessor');

  // The scrubber: a slider named with the step.
  const scrubber = page.getByRole('slider', { name: 'Trace position' });
  await expect(scrubber).toHaveAttribute('aria-valuetext', /^Step 29 of 58: ▶ hotAddProcessor/);
  await scrubber.focus();
  await page.keyboard.press('ArrowRight');
  await expect(stepStatus(page)).toHaveText('Step 30 of 58');
  await scrubber.fill('40');
  await expect(stepStatus(page)).toHaveText('Step 41 of 58');
  await expect(currentEntry(page)).toHaveAttribute('data-seq', '40');

  // Clicking an entry of the Trace panel moves the stepper.
  await page.getByRole('listbox', { name: 'Trace entries' }).locator('[data-seq="36"]').click();
  await expect(stepStatus(page)).toHaveText('Step 37 of 58');
  await expect(node(page, 'Driver sampledrv')).toHaveAttribute('aria-label', /its code is running now/);
});

test('thread picker: at a choice point pick the other thread; the scenario re-runs with that choice and the cursor stays', async ({ page }) => {
  const scenario = racing(seed000);
  // The first choice point of this scenario is at entry 31 (sys:sampledrv or hotplug): stand before it.
  await open(page, scenario, 30);
  await expect(stepStatus(page)).toHaveText(/^Step 31 of \d+$/);
  await expect(page.getByText(/Choice point: 2 threads can run next/)).toBeVisible();
  await page.getByRole('tab', { name: /Threads/ }).click();
  const pick = page.getByRole('button', { name: 'Run sys:sampledrv next' });
  await expect(pick).toHaveAttribute('aria-pressed', 'false');
  await pick.click();
  await expect(page.getByRole('button', { name: 'Run sys:sampledrv next' })).toHaveAttribute('aria-pressed', 'true');
  await expect(stepStatus(page)).toHaveText(/^Step 31 of \d+$/);
  await focusPage(page);
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => entryText(page)).not.toBe('');
  await page.getByRole('tab', { name: 'Trace' }).click();
  await expect(currentEntry(page)).toHaveAttribute('title', /^#32 s\d+ \[sys:sampledrv\]/);
  // The link carries the override.
  const [k] = await step(page);
  await expect.poll(() => urlStep(page)).toBe(k - 1);
  await page.reload();
  await expect(stepStatus(page)).toHaveText(new RegExp(`^Step ${k} of \\d+$`));
  await expect(currentEntry(page)).toHaveAttribute('title', /^#32 s\d+ \[sys:sampledrv\]/);
});

test('a bug check: the hazard overlay names the rule, the graph shows where it stopped', async ({ page }) => {
  await open(page, forgetsToDeregister(seed000));
  await focusPage(page);
  await page.keyboard.press('End');
  const alert = page.getByRole('alert').filter({ hasText: 'bug check' });
  await expect(alert).toBeVisible();
  await expect(alert).toContainText('KE-5');
  await expect(alert).toContainText('0xCE');
  await page.screenshot({ path: 'test-results/playground-bugcheck.png' });
  await alert.getByRole('button', { name: 'Dismiss' }).click();
  await expect(alert).toHaveCount(0);
  await expect(node(page, 'CPU 3')).toHaveAttribute('aria-label', /starting/);
  // The scrubber marks the hazards.
  await expect(page.locator('.pnp-scrubber ~ svg, svg:has(rect.fill-red-600)').first()).toBeAttached();
});

test('reload restores the same scenario and step from the URL', async ({ page }) => {
  await open(page);
  await page.getByRole('button', { name: 'Memory module', exact: true }).click();
  await expect(node(page, 'Memory mem0')).toBeVisible();
  await focusPage(page);
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  const [k, n] = await step(page);
  await expect.poll(() => urlStep(page)).toBe(k - 1);
  await page.reload();
  await expect(stepStatus(page)).toHaveText(`Step ${k} of ${n}`);
  await expect(node(page, 'Memory mem0')).toBeVisible();
  await expect(currentEntry(page)).toHaveAttribute('data-seq', String(k - 1));
});

test('a bad link shows an alert with the error and keeps going with the last scenario', async ({ page }) => {
  await open(page, toasterMonitors, 20);
  // The page remembers the last good link (debounced with the URL).
  await expect.poll(() => page.evaluate(() => localStorage.getItem('pnp-playground:last-link'))).toMatch(/&step=20$/);
  await page.goto('/#s1.AAAA-this-is-not-a-link!');
  await page.reload();
  const alert = page.getByRole('alert').filter({ hasText: 'This link is damaged.' });
  await expect(alert).toContainText('unexpected character "!"');
  await expect(alert).toContainText('The page shows the last scenario you had open instead.');
  await expect(page.getByRole('heading', { name: 'A toaster, watched from user mode and from the kernel' })).toBeVisible();
  // Pasting a bad link while working keeps the current work.
  await page.evaluate(() => (location.hash = '#s1.truncated-'));
  await expect(page.getByRole('alert').filter({ hasText: 'This link is damaged.' })).toContainText('Your current scenario is unchanged.');
  await expect(page.getByRole('heading', { name: 'A toaster, watched from user mode and from the kernel' })).toBeVisible();
});

test('a crashed engine worker is restarted and the user is back at the same step', async ({ page }) => {
  await open(page, toasterMonitors, 30);
  await expect(stepStatus(page)).toHaveText(/^Step 31 of/);
  const label = await node(page, 'Device toaster0').getAttribute('aria-label');
  const workers = page.workers();
  expect(workers.length).toBe(1);
  await workers[0].evaluate(() => {
    setTimeout(() => {
      throw new Error('simulated crash');
    }, 0);
  });
  await expect(page.getByTestId('notice')).toContainText(/crashed.*simulated crash.*Your scenario and step 31 were restored/);
  await expect(stepStatus(page)).toHaveText(/^Step 31 of/);
  await expect.poll(() => page.workers().length).toBe(1);
  expect(page.workers()[0]).not.toBe(workers[0]);
  await expect(node(page, 'Device toaster0')).toHaveAttribute('aria-label', label!);
  // Stepping works against the new worker.
  await focusPage(page);
  await page.keyboard.press('End');
  await expect(currentEntry(page)).toHaveAttribute('title', /halt: quiescent/);
  await expect(node(page, 'App monitor')).toHaveAttribute('aria-label', /running/);
});

test('a hung engine worker is detected, restarted, and the step restored', async ({ page }) => {
  // A long trace: a near step folds on the page without the worker, a far jump asks the worker.
  await open(page, largeMachine(seed000), 10);
  const n = Number(/of (\d+)$/.exec((await stepStatus(page).textContent()) ?? '')?.[1]);
  await page.workers()[0].evaluate(() => {
    setTimeout(() => {
      for (;;) {
        // hang
      }
    }, 0);
  });
  await focusPage(page);
  await page.keyboard.press('End'); // this seek never gets an answer
  await expect(stepStatus(page)).toHaveText(`Step ${n} of ${n}`);
  await expect(page.getByTestId('notice')).toContainText(new RegExp(`did not answer.*Your scenario and step ${n} were restored`), { timeout: 15_000 });
  await expect(page.getByTestId('graph')).toHaveAttribute('data-snapshot-seq', String(n - 1));
  await page.keyboard.press('Home'); // before every snapshot the page holds: the new worker answers
  await expect(stepStatus(page)).toHaveText(`Step 1 of ${n}`);
  await expect(page.getByTestId('graph')).toHaveAttribute('data-snapshot-seq', '0');
});

test('a long link is run once the first screen is painted, a short one at once, the default demo from the answer the page carries; all open where they should', async ({ page }) => {
  // Whether the step controls were on the page when the engine worker was sent the first run.
  await page.addInitScript(() => {
    const w = window as unknown as { __shellBeforeRun: boolean | null };
    w.__shellBeforeRun = null;
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (this: Worker, message: unknown, ...rest: [StructuredSerializeOptions?]) {
      if (w.__shellBeforeRun === null && (message as { type?: string } | null)?.type === 'run') w.__shellBeforeRun = document.querySelector('[data-testid="step-status"]') !== null;
      return post.call(this, message, ...rest);
    } as Worker['postMessage'];
  });
  const shellBeforeRun = () => page.evaluate(() => (window as unknown as { __shellBeforeRun: boolean | null }).__shellBeforeRun);
  // The default first visit: shown from the answer the build computed; the worker is sent the same
  // run once the first screen is painted.
  await open(page);
  await expect(page.getByTestId('graph')).toHaveAttribute('data-snapshot-seq', /^\d+$/);
  await expect.poll(shellBeforeRun).toBe(true);
  // A short link (and, from now on, the scenario this browser saved): sent at once.
  await page.goto('about:blank');
  await open(page, seed000);
  await expect(page.getByTestId('graph')).toHaveAttribute('data-snapshot-seq', /^\d+$/);
  expect(await shellBeforeRun()).toBe(false);
  await page.goto('about:blank');
  await page.goto('/');
  await expect(page.getByTestId('graph')).toHaveAttribute('data-snapshot-seq', /^\d+$/);
  expect(await shellBeforeRun()).toBe(false);
  await page.goto('about:blank');
  // 40 drivers, 140 timeline actions: (40 + 1) × 140 = 5,740, a long run (src/ui/url.ts, longRun).
  await open(page, stressScenario({ drivers: 40, hotAdds: 100 }), 500);
  await expect(stepStatus(page)).toHaveText(/^Step 501 of \d+$/);
  await expect(page.getByTestId('graph')).toHaveAttribute('data-snapshot-seq', '500');
  expect(await shellBeforeRun()).toBe(true);
});

test("a run's link and seek checkpoints wait in the worker until its result is painted (an opening's as an edit's): the page tells it (`shown`) once the step is on screen, then the link comes", async ({ page }) => {
  // What the page sent the engine worker, and whether the step controls showed a step when it sent each.
  await page.addInitScript(() => {
    const w = window as unknown as { __sent: { type: string; id: number; run?: number; afterShown?: boolean; linkLater?: boolean; stepShown: boolean }[] };
    w.__sent = [];
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (this: Worker, message: unknown, ...rest: [StructuredSerializeOptions?]) {
      const m = message as { type?: string; id?: number; run?: number; afterShown?: boolean; linkLater?: boolean } | null;
      if (m?.type === 'run' || m?.type === 'shown') {
        const stepShown = /^Step \d+ of \d+$/.test(document.querySelector('[data-testid="step-status"]')?.textContent ?? '');
        w.__sent.push({ type: m.type, id: m.id ?? -1, run: m.run, afterShown: m.afterShown, linkLater: m.linkLater, stepShown });
      }
      return post.call(this, message, ...rest);
    } as Worker['postMessage'];
  });
  const sent = () => page.evaluate(() => (window as unknown as { __sent: { type: string; id: number; run?: number; afterShown?: boolean; linkLater?: boolean; stepShown: boolean }[] }).__sent);
  await open(page, seed000, 3);
  await expect(stepStatus(page)).toHaveText(/^Step 4 of \d+$/);
  await expect.poll(async () => (await sent()).map((m) => m.type)).toEqual(['run', 'shown']);
  const [run, shown] = await sent();
  expect(run).toMatchObject({ linkLater: true, afterShown: true, stepShown: false });
  expect(shown).toMatchObject({ run: run.id, stepShown: true });
  // The link follows: Copy link is offered, and the address still opens the same step.
  await expect(page.getByRole('banner').getByRole('button', { name: 'Copy link' })).toBeVisible();
  await page.reload();
  await expect(stepStatus(page)).toHaveText(/^Step 4 of \d+$/);
  await expect.poll(async () => (await sent()).map((m) => m.type)).toEqual(['run', 'shown']);
  // An edit's link follows its result too: the notice once the edit is on screen, then the link,
  // and with it the edit's history entry (Undo goes back to the step before it).
  const before = await page.evaluate(() => location.hash);
  await page.evaluate(() => ((window as unknown as { __sent: unknown[] }).__sent.length = 0));
  await page.locator('button[data-palette="processor"]').focus();
  await page.keyboard.press('Enter');
  await expect.poll(async () => (await sent()).map((m) => m.type)).toEqual(['run', 'shown']);
  const [edit, editShown] = await sent();
  expect(edit).toMatchObject({ linkLater: true, afterShown: true });
  expect(editShown).toMatchObject({ run: edit.id });
  await expect.poll(() => page.evaluate(() => location.hash)).not.toBe(before);
  await expect(page.getByRole('banner').getByRole('button', { name: 'Copy link' })).toBeEnabled();
  await page.getByRole('button', { name: 'Undo' }).first().click();
  await expect(stepStatus(page)).toHaveText(/^Step 4 of \d+$/);
  await expect.poll(() => page.evaluate(() => location.hash)).toBe(before);
});

test("a long opening's first step shows from the first entries of its trace; the side columns, a step past them and the run's problems wait for the rest, and nothing reads an entry not received", async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
  // Hold the page's `shown` notices (the worker holds the rest of the trace until one comes), and
  // record what the worker sends: the result's `traceLater`, then the trace message.
  await page.addInitScript(() => {
    const w = window as unknown as { __held: (() => void)[]; __release(): void; __got: string[] };
    w.__held = [];
    w.__got = [];
    w.__release = () => {
      for (const send of w.__held.splice(0)) send();
    };
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (this: Worker, message: unknown, ...rest: [StructuredSerializeOptions?]) {
      if ((message as { type?: string } | null)?.type === 'shown') return void w.__held.push(() => post.call(this, message, ...rest));
      return post.call(this, message, ...rest);
    } as Worker['postMessage'];
    const Original = window.Worker;
    window.Worker = class extends Original {
      constructor(url: string | URL, options?: WorkerOptions) {
        super(url, options);
        this.addEventListener('message', (e: MessageEvent) => {
          const m = e.data as { type?: string; traceLater?: boolean };
          w.__got.push(m.type === 'result' ? `result${m.traceLater ? ' traceLater' : ''}` : String(m.type));
        });
      }
    };
  });
  const got = () => page.evaluate(() => (window as unknown as { __got: string[] }).__got);
  const release = () => page.evaluate(() => (window as unknown as { __release(): void }).__release());
  const stress = stressScenario({ drivers: 40, hotAdds: 100 });
  await open(page, stress);
  const status = await stepStatus(page).textContent();
  const length = Number(/of (\d+)$/.exec(status ?? '')?.[1]);
  expect(status).toBe(`Step 1 of ${length}`);
  expect(length).toBeGreaterThan(20_000);
  await expect.poll(got).toEqual(['result traceLater']);
  await expect(page.getByTestId('graph')).toHaveAttribute('data-snapshot-seq', '0');
  // The step controls work within the entries received.
  await focusPage(page);
  await page.keyboard.press('ArrowRight');
  await expect(stepStatus(page)).toHaveText(`Step 2 of ${length}`);
  // A step past them (End) waits; the side columns (they read the whole trace) are not shown yet.
  await page.keyboard.press('End');
  await page.waitForTimeout(400);
  await expect(stepStatus(page)).toHaveText(`Step 2 of ${length}`);
  await expect(page.getByRole('region', { name: 'Explanation' })).toHaveCount(0);
  await expect(page.locator('button[data-palette="processor"]')).toHaveCount(0);
  // … and both say what they wait for.
  await expect(page.getByText(`Receiving the rest of the trace (${length.toLocaleString('en-US')} entries)…`)).toHaveCount(2);
  expect(await got()).toEqual(['result traceLater']);
  // The page's notice lets the worker send the rest: the step waiting is made, the columns show.
  await release();
  await expect(stepStatus(page)).toHaveText(`Step ${length} of ${length}`);
  expect((await got()).slice(0, 3)).toEqual(['result traceLater', 'trace', 'link']);
  await expect(currentEntry(page)).toHaveAttribute('title', /■ halt/);
  await expect(page.getByRole('region', { name: 'Explanation' })).toBeVisible();
  await expect(page.locator('button[data-palette="processor"]')).toBeVisible();
  await expect(page.getByText(/^Receiving the rest of the trace/)).toHaveCount(0);
  await expect(page.getByRole('banner').getByRole('button', { name: 'Copy link' })).toBeVisible();
  expect(errors).toEqual([]);
});

test('the default first visit: the graph from the answer the page carries, the worker started after it; steps and Enter on "Processor" made before the worker is ready all work', async ({ page }) => {
  // When the engine worker was created: was the graph on screen already?
  await page.addInitScript(() => {
    const w = window as unknown as { __workerAfterGraph: boolean[] };
    w.__workerAfterGraph = [];
    const Original = window.Worker;
    window.Worker = class extends Original {
      constructor(url: string | URL, options?: WorkerOptions) {
        super(url, options);
        if (options?.name === 'pnp-engine') w.__workerAfterGraph.push(document.querySelector('.react-flow__node') !== null);
      }
    };
  });
  // Hold the engine worker's script until the gestures below are made.
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  let requested = false;
  await page.route('**/assets/engine.worker-*.js', async (route) => {
    requested = true;
    await held;
    await route.continue();
  });
  await page.goto('/');
  await expect(stepStatus(page)).toHaveText('Step 13 of 58');
  await expect(node(page, 'CPU 0 · group 0/0')).toBeVisible();
  await expect.poll(() => requested).toBe(true);
  expect(await page.evaluate(() => (window as unknown as { __workerAfterGraph: boolean[] }).__workerAfterGraph)).toEqual([true]);
  // Before the worker can answer anything: steps (folded on the page from the snapshot the answer
  // carries) work at once; a gesture (a run) waits for the worker, behind the run it is sent first.
  await focusPage(page);
  await page.keyboard.press('ArrowRight');
  await expect(stepStatus(page)).toHaveText('Step 14 of 58');
  await page.keyboard.press('End');
  await expect(stepStatus(page)).toHaveText('Step 58 of 58');
  const cpus = await page.locator('.react-flow__node[data-id^="cpu:"]').count();
  await page.locator('button[data-palette="processor"]').focus();
  await page.keyboard.press('Enter');
  await page.waitForTimeout(300);
  release();
  await expect.poll(() => page.locator('.react-flow__node[data-id^="cpu:"]').count(), { timeout: 20_000 }).toBeGreaterThan(cpus);
  expect(page.workers().filter((w) => /engine\.worker/.test(w.url()))).toHaveLength(1);
  // The seek and the new run came from the one worker, which held the page's run: no restart, no notice.
  await expect(page.getByTestId('notice')).toHaveCount(0);
  await focusPage(page);
  await page.keyboard.press('Home');
  await expect(stepStatus(page)).toHaveText(/^Step 1 of \d+$/);
  await expect(page.getByTestId('graph')).toHaveAttribute('data-snapshot-seq', '0');
  await page.keyboard.press('End');
  await expect(currentEntry(page)).toHaveAttribute('title', /halt: quiescent/);
});

test('a large machine (256 processors, 24 devices) stays readable; screenshots light and dark', async ({ page }) => {
  await page.setViewportSize({ width: 1600, height: 1000 });
  await open(page, largeMachine(seed000), 3000);
  await expect(node(page, 'CPU 0–255 · 256 processors')).toBeVisible();
  await expect(node(page, 'Device toaster23')).toBeAttached();
  await page.waitForTimeout(400);
  await page.screenshot({ path: 'test-results/playground-large-light.png' });
  // Expand the processors; step with the keyboard without long tasks.
  await page.getByRole('button', { name: 'Show all' }).click();
  await expect(node(page, 'CPU 255 · group 3/63')).toBeVisible();
  await page.waitForTimeout(400);
  await page.screenshot({ path: 'test-results/playground-large-expanded.png' });
  await page.getByRole('button', { name: 'Collapse processors' }).click();
  await expect(node(page, 'CPU 0–255')).toBeVisible();
  await page.emulateMedia({ colorScheme: 'dark' });
  await focusPage(page);
  await page.keyboard.press('End');
  await stepUntil(page, /SyncProcessorCallback\(.*KeProcessorAddStartNotify, NtNumber=255/, 'ArrowLeft');
  await page.waitForTimeout(400);
  await page.screenshot({ path: 'test-results/playground-large-dark.png' });
});

test('screenshots of a device scenario, light and dark, mid-eject', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await open(page, { ...toasterMonitors, timeline: [...toasterMonitors.timeline!, { do: 'eject', device: 'toaster0' }] });
  await focusPage(page);
  await stepUntil(page, /monitor!OnDevice\(.*DEVICEQUERYREMOVE/);
  await node(page, 'Device toaster0').click();
  await page.waitForTimeout(300);
  await page.screenshot({ path: 'test-results/playground-light.png' });
  await page.emulateMedia({ colorScheme: 'dark' });
  await focusPage(page);
  await stepUntil(page, /kmon!TargetCallback\(Event=GUID_TARGET_DEVICE_QUERY_REMOVE/);
  await page.waitForTimeout(300);
  await page.screenshot({ path: 'test-results/playground-dark.png' });
});

test('theme toggle overrides the system theme; axe finds no serious or critical violations on the playground', async ({ page }) => {
  await open(page, toasterMonitors, 60);
  const toggle = page.getByRole('button', { name: 'Dark theme' });
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  expect(await seriousAxe(page), 'light').toEqual([]);
  await toggle.click();
  await expect(page.locator('html')).toHaveClass(/\bdark\b/);
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  expect(await seriousAxe(page), 'dark').toEqual([]);
  await page.reload();
  await expect(page.locator('html')).toHaveClass(/\bdark\b/);
});
