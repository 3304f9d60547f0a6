// Waiting for the 101k link's "Step 1" without Playwright's injected script. `page.waitForFunction`
// first sends the page Playwright's injected script (~330 KB over the DevTools session), which the
// page's main thread compiles and runs in a task of 21–32 ms of CPU a few hundred ms after
// navigation, before "Step 1": the probe's own task, stretched past 50 ms on a loaded machine and
// counted by the long-task probe as the page's (docs/benchmarks.md, "The 101k link's first-screen
// tasks, tenth session"). Here a script of the page's own, added before navigation, watches the step
// controls every frame and logs a console line the test waits for; nothing is injected meanwhile.

import type { Page } from '@playwright/test';

const SHOWN = '[probe] step 1 shown';

/** In the page from its first script (addInitScript): logs once the step controls read "Step 1 of N". */
export const STEP_ONE_PROBE = () => {
  const poll = () => {
    if (/^Step 1 of \d+$/.test(document.querySelector('[data-testid="step-status"]')?.textContent ?? '')) console.log('[probe] step 1 shown');
    else requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);
};

/** Resolves when the page's STEP_ONE_PROBE has seen "Step 1"; call it before navigating. */
export function stepOneShown(page: Page, timeout = 120_000): Promise<unknown> {
  return page.waitForEvent('console', { predicate: (msg) => msg.text() === SHOWN, timeout });
}
