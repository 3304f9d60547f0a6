// Timing Enter on the page until what it should paint is painted: the speed bench's Enter rows and
// the interleaved A/B of the 256/64 press (bench/enter-ab.ts) press and time the same way.
import type { Page } from '@playwright/test';

/**
 * Press Enter on `focus` (or the page) and time until `painted` holds in a frame; with `then`, also
 * until `then` holds as well (in a later frame, or the same one).
 */
export async function enterUntil(page: Page, focus: string | null, painted: string): Promise<number>;
export async function enterUntil(page: Page, focus: string | null, painted: string, then: string): Promise<[number, number]>;
export async function enterUntil(page: Page, focus: string | null, painted: string, then?: string): Promise<number | [number, number]> {
  if (focus) await page.focus(focus);
  await page.evaluate(
    ([painted, then]) => {
      const w = window as unknown as { __enter: Promise<[number, number]> };
      const check = new Function(`return (${painted})`) as () => boolean;
      const after = new Function(`return (${then ?? 'true'})`) as () => boolean;
      w.__enter = new Promise((done) => {
        window.addEventListener(
          'keydown',
          () => {
            const t0 = performance.now();
            let seen = NaN;
            const poll = () => {
              if (Number.isNaN(seen) && check()) seen = performance.now() - t0;
              if (!Number.isNaN(seen) && after()) done([seen, performance.now() - t0]);
              else requestAnimationFrame(poll);
            };
            requestAnimationFrame(poll);
          },
          { capture: true, once: true },
        );
      });
    },
    [painted, then ?? null] as const,
  );
  await page.keyboard.press('Enter');
  const [seen, settled] = await page.evaluate(() => (window as unknown as { __enter: Promise<[number, number]> }).__enter);
  return then === undefined ? seen : [seen, settled];
}
