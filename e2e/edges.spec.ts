// The graph's registration edges (drawn in a shared layer, src/ui/graph/shared.tsx): what keyboard
// and screen-reader users and tests get from each edge, and where it is drawn, also after zooming.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { stressScenario } from '../bench/stress.ts';
import { runScenario } from '../src/engine/index.ts';
import { load } from '../src/scenario/load.ts';
import { open } from './support/playground.ts';

/** Where a path starts and ends on the screen. */
async function pathEnds(edge: Locator): Promise<{ start: { x: number; y: number }; end: { x: number; y: number } }> {
  return edge.locator('path.react-flow__edge-path').evaluate((p: SVGPathElement) => {
    const m = p.getScreenCTM()!;
    const at = (l: number) => new DOMPoint(p.getPointAtLength(l).x, p.getPointAtLength(l).y).matrixTransform(m);
    const a = at(0);
    const b = at(p.getTotalLength());
    return { start: { x: a.x, y: a.y }, end: { x: b.x, y: b.y } };
  });
}

/** The edge starts on the right side of its source node and ends on the left side of its target. */
async function expectBetween(page: Page, edge: Locator, source: string, target: string) {
  const { start, end } = await pathEnds(edge);
  const s = (await page.locator(`.react-flow__node[data-id="${source}"]`).boundingBox())!;
  const t = (await page.locator(`.react-flow__node[data-id="${target}"]`).boundingBox())!;
  expect(Math.abs(start.x - (s.x + s.width))).toBeLessThan(8);
  expect(start.y).toBeGreaterThan(s.y);
  expect(start.y).toBeLessThan(s.y + s.height);
  expect(Math.abs(end.x - t.x)).toBeLessThan(8);
  expect(end.y).toBeGreaterThan(t.y);
  expect(end.y).toBeLessThan(t.y + t.height);
}

test('registration edges: each a focusable group with its name and description, drawn between its nodes, also after zooming', async ({ page }) => {
  // 20 drivers, two registrations each: a crowded graph (quiet registrations fade), at its last step.
  const stress = stressScenario({ drivers: 20, hotAdds: 1 });
  const loaded = load(stress);
  const run = loaded.ok ? runScenario(loaded.scenario) : null;
  if (!run?.ok) throw new Error('the stress scenario does not run');
  await open(page, stress, run.trace.length - 1);
  const edges = page.locator('.react-flow__edge[aria-label^="Registration "]');
  await expect(edges).toHaveCount(40);
  const first = page.locator('.react-flow__edge[aria-label^="Registration ke:1:"]');
  await expect(first).toHaveAttribute('aria-label', /^Registration ke:1: drv000!SyncProcessorCallback for processor change \(KeRegisterProcessorChangeCallback\) — active$/);
  await expect(first).toHaveAttribute('role', 'group');
  await expect(first).toHaveAttribute('tabindex', '0');
  await expect(first).toHaveAttribute('data-testid', 'rf__edge-reg:ke:1:partition');
  const description = await first.getAttribute('aria-describedby');
  await expect(page.locator(`[id="${description}"]`)).toHaveText('A registration, open handle or wait between two nodes.');

  // Keyboard: Tab goes from one edge to the next; the focused edge is drawn wider.
  await first.focus();
  await expect(first).toBeFocused();
  await expect(first.locator('path')).toHaveCSS('stroke-width', '4px');
  await page.keyboard.press('Tab');
  const next = await page.evaluate(() => ({ cls: document.activeElement?.getAttribute('class'), id: document.activeElement?.getAttribute('data-id') }));
  expect(next.cls).toContain('react-flow__edge');
  expect(next.id).not.toBe('reg:ke:1:partition');

  await expectBetween(page, first, 'drv:drv000', 'partition');
  await page.getByRole('button', { name: 'Zoom In' }).click();
  await page.getByRole('button', { name: 'Zoom In' }).click();
  await expect(async () => expectBetween(page, first, 'drv:drv000', 'partition')).toPass();
});
