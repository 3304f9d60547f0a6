// Where the view goes when the graph is fitted (Graph.tsx, after every run and when the pane or
// Presenter mode changes; never while stepping). Pure, so the zoom rules are tested without a browser.
import { PRESENTER_MIN_ZOOM } from './text.ts';

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Screen pixels kept free around the graph when Presenter mode fits it. */
export const PRESENTER_PAD = 14;
/** Normally the graph is never enlarged past this zoom. */
export const MAX_FIT_ZOOM = 1.4;

/**
 * The viewport that shows `b` in a `width` × `height` pane. Normally: all of it, at a zoom of at
 * most MAX_FIT_ZOOM. In Presenter mode: the largest zoom that shows all of it, but never below
 * PRESENTER_MIN_ZOOM, where the smallest graph text is 16 px on screen; a graph too large for that
 * keeps its top-left corner in view, and the rest is a pan away. Centred along an axis where it fits.
 */
export function fittedViewport(b: Bounds, width: number, height: number, presenter: boolean): { x: number; y: number; zoom: number } {
  const pad = presenter ? PRESENTER_PAD : 0.04 * Math.min(width, height);
  const fits = Math.min((width - 2 * pad) / b.width, (height - 2 * pad) / b.height);
  const zoom = presenter ? Math.min(2, Math.max(PRESENTER_MIN_ZOOM, fits)) : Math.min(MAX_FIT_ZOOM, Math.max(0.08, fits));
  const along = (origin: number, size: number, pane: number) =>
    size * zoom <= pane - 2 * pad ? (pane - size * zoom) / 2 - origin * zoom : pad - origin * zoom;
  return { x: along(b.x, b.width, width), y: along(b.y, b.height, height), zoom };
}
