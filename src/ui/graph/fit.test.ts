import { describe, expect, it } from 'vitest';
import { runScenario } from '../../engine/index.ts';
import { DEMOS } from '../../scenario/demos/index.ts';
import { rootHasThreads } from './derive.ts';
import { load } from '../../scenario/load.ts';
import { fittedViewport, MAX_FIT_ZOOM, PRESENTER_PAD } from './fit.ts';
import { graphBounds, layoutGraph } from './layout.ts';
import { GRAPH_TEXT, PRESENTER_MIN_ZOOM, PRESENTER_SCREEN_PX } from './text.ts';
import { universeOf } from './universe.ts';

const layoutOf = (scenario: unknown) => {
  const l = load(scenario);
  if (!l.ok) throw new Error('demo does not load');
  return layoutGraph(universeOf(l.scenario));
};

describe('fitting the graph', () => {
  it('Presenter mode text times its least zoom is 16 px on screen', () => {
    for (const [size, px] of Object.entries(GRAPH_TEXT.presenter)) {
      if (size !== 'ui') expect(px * PRESENTER_MIN_ZOOM, size).toBeGreaterThanOrEqual(PRESENTER_SCREEN_PX - 1e-9);
    }
    expect(GRAPH_TEXT.presenter.ui).toBeGreaterThanOrEqual(PRESENTER_SCREEN_PX);
  });

  it('a small graph is centred at the largest zoom that shows it; normally never past 1.4', () => {
    const b = { x: 0, y: 0, width: 700, height: 200 };
    const p = fittedViewport(b, 1200, 600, true);
    expect(p.zoom).toBeCloseTo((1200 - 2 * PRESENTER_PAD) / 700);
    expect(p.x).toBeCloseTo(PRESENTER_PAD);
    expect(p.y).toBeCloseTo((600 - 200 * p.zoom) / 2);
    expect(fittedViewport(b, 1200, 600, false).zoom).toBe(MAX_FIT_ZOOM);
  });

  it('Presenter mode never zooms out past its least zoom: a large graph keeps its top-left corner in view', () => {
    const b = { x: -20, y: 10, width: 3000, height: 2000 };
    const p = fittedViewport(b, 1200, 600, true);
    expect(p.zoom).toBe(PRESENTER_MIN_ZOOM);
    expect(p.x).toBeCloseTo(PRESENTER_PAD + 20 * p.zoom);
    expect(p.y).toBeCloseTo(PRESENTER_PAD - 10 * p.zoom);
    expect(fittedViewport(b, 1200, 600, false).zoom).toBeLessThan(0.3);
  });

  it('every built-in demo fits whole at Presenter mode zoom in the graph pane of a 1280×720 screen', () => {
    // The pane at 1280×720 with both side columns folded: about 1190 × 550 px (e2e/presenter.spec.ts measures it).
    for (const d of DEMOS) {
      const layout = layoutOf(d.scenario);
      for (const rootChips of [false, true]) {
        const b = graphBounds(layout, rootChips);
        const v = fittedViewport(b, 1190, 550, true);
        expect(v.zoom, d.id).toBeGreaterThanOrEqual(PRESENTER_MIN_ZOOM);
        expect(b.x * v.zoom + v.x, d.id).toBeGreaterThanOrEqual(PRESENTER_PAD - 1e-6);
        expect((b.x + b.width) * v.zoom + v.x, d.id).toBeLessThanOrEqual(1190 - PRESENTER_PAD + 1e-6);
        expect((b.y + b.height) * v.zoom + v.y, d.id).toBeLessThanOrEqual(550 - PRESENTER_PAD + 1e-6);
      }
    }
  });

  it('a run has PnP manager thread chips when a system thread blocks (from the trace index)', () => {
    const traceOf = (id: string) => {
      const l = load(DEMOS.find((d) => d.id === id)!.scenario);
      if (!l.ok) throw new Error(id);
      const r = runScenario(l.scenario);
      if (!r.ok) throw new Error(id);
      return r.trace;
    };
    // The PnP thread waits for the app's query-remove callback; in seed 000 no system thread ever blocks.
    expect(rootHasThreads(traceOf('seed002-query-remove-failed'))).toBe(true);
    expect(rootHasThreads(traceOf('seed000-sync'))).toBe(false);
  });

  it('the bounds keep room for the PnP manager thread chips only when the run has some', () => {
    const layout = layoutOf(DEMOS[0].scenario);
    expect(graphBounds(layout, true).width).toBeGreaterThan(graphBounds(layout, false).width);
    expect(graphBounds(layout, true).height).toBe(graphBounds(layout, false).height);
  });
});
