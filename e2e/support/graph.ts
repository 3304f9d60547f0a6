// Reading the machine graph as a person sees it: the viewport transform, the size of its text on
// screen, and text boxes that overlap (label collisions).
import type { Page } from '@playwright/test';

/** The React Flow viewport transform: `translate(x, y) scale(zoom)`. */
export async function viewport(page: Page): Promise<{ x: number; y: number; zoom: number }> {
  return page.locator('.react-flow__viewport').evaluate((el) => {
    const m = new DOMMatrixReadOnly(getComputedStyle(el).transform);
    return { x: m.e, y: m.f, zoom: m.a };
  });
}

/**
 * Every piece of visible text on the graph (nodes, edge captions, thread chips, and the legend and
 * controls drawn over it), with its size on screen: its computed font size times the zoom of what
 * contains it (1 for what is drawn over the graph). Sorted, smallest first.
 */
export async function graphTextSizes(page: Page): Promise<{ text: string; px: number }[]> {
  return page.getByTestId('graph').evaluate((graph) => {
    const vp = graph.querySelector('.react-flow__viewport');
    const zoom = vp ? new DOMMatrixReadOnly(getComputedStyle(vp).transform).a : 1;
    const pane = graph.getBoundingClientRect();
    const out: { text: string; px: number }[] = [];
    const walker = document.createTreeWalker(graph, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = n.textContent?.trim() ?? '';
      const el = n.parentElement;
      if (!text || !el || el.closest('.sr-only, [hidden], details:not([open]) > :not(summary)')) continue;
      const r = el.getBoundingClientRect();
      // Only what is on screen, inside the graph's pane.
      if (r.width === 0 || r.height === 0 || r.right < pane.left || r.left > pane.right || r.bottom < pane.top || r.top > pane.bottom) continue;
      const scale = vp?.contains(el) || el.closest('.react-flow__edgelabel-renderer') ? zoom : 1;
      out.push({ text, px: Math.round(parseFloat(getComputedStyle(el).fontSize) * scale * 100) / 100 });
    }
    return out.sort((a, b) => a.px - b.px);
  });
}

/**
 * Text boxes on the graph that overlap: node cards, the partition's heading, column headings,
 * badges, thread chips, edge captions, and the legend and zoom controls drawn over the graph. A box
 * inside another (a badge on its card, a processor in the partition) is not a collision.
 */
export async function labelCollisions(page: Page): Promise<string[]> {
  return page.evaluate(sweep, { all: false });
}

/**
 * labelCollisions at every step of the trace, from the first (stepping with the page's own → key,
 * waiting for the graph to show each step); each collision once, with the first step it is seen at.
 */
export async function labelCollisionsAlongTrace(page: Page): Promise<string[]> {
  return page.evaluate(sweep, { all: true });
}

/** In the page: the collisions now, or at every step. Self-contained (it runs in the browser). */
async function sweep({ all }: { all: boolean }): Promise<string[]> {
  const graph = document.querySelector('[data-testid="graph"]')!;
  const collisions = (): string[] => {
    const boxes: { el: Element; name: string; r: DOMRect }[] = [];
    const add = (el: Element, name: string) => {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden') boxes.push({ el, name, r });
    };
    for (const el of graph.querySelectorAll('.react-flow__node')) {
      const type = [...el.classList].find((c) => c.startsWith('react-flow__node-'))?.slice('react-flow__node-'.length);
      if (type !== 'partition' && type !== 'label') add(el, `node ${el.getAttribute('data-id')}`);
    }
    for (const el of graph.querySelectorAll('[data-graph-label]')) {
      const owner = el.closest('.react-flow__node')?.getAttribute('data-id') ?? 'edge';
      add(el, `${el.getAttribute('data-graph-label')} of ${owner} "${(el.textContent ?? '').slice(0, 40)}"`);
    }
    for (const el of graph.querySelectorAll('.react-flow__panel')) add(el, `${el.className.includes('controls') ? 'zoom controls' : `panel "${(el.textContent ?? '').slice(0, 20)}"`}`);
    const out: string[] = [];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i];
        const b = boxes[j];
        if (a.el.contains(b.el) || b.el.contains(a.el)) continue;
        const w = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
        const h = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
        if (w > 1 && h > 1) out.push(`${a.name} × ${b.name}`);
      }
    }
    return out;
  };
  if (!all) return collisions();
  const status = () => document.querySelector('[data-testid="step-status"]')?.textContent ?? '';
  const frame = () => new Promise((r) => requestAnimationFrame(() => r(null)));
  const key = (k: string) => window.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));
  (document.activeElement as HTMLElement | null)?.blur?.();
  key('Home');
  const seen = new Map<string, number>();
  for (;;) {
    const m = /^Step (\d+) of (\d+)$/.exec(status());
    if (!m) throw new Error(`no step status: ${status()}`);
    // The graph shows a step once the worker's snapshot for it arrived, one frame later.
    for (let f = 0; f < 120 && graph.getAttribute('data-snapshot-seq') !== String(Number(m[1]) - 1); f++) await frame();
    await frame();
    for (const c of collisions()) if (!seen.has(c)) seen.set(c, Number(m[1]));
    if (m[1] === m[2]) break;
    key('ArrowRight');
    for (let f = 0; f < 60 && status() === m[0]; f++) await frame();
  }
  return [...seen].map(([c, k]) => `step ${k}: ${c}`);
}
