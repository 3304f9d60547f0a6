// The graph's type scale. Node and edge text use these sizes through CSS variables
// (`text-[length:var(--g-sm)]`), set on the graph by Graph.tsx, so Presenter mode can enlarge the
// text inside the same layout: the fitted zoom then brings every label to PRESENTER_SCREEN_PX or
// more on screen. `ui` is text drawn over the graph at screen scale (the legend).

export type GraphTextSize = '2xs' | 'xs' | 'sm' | 'md' | 'base' | 'lg' | 'xl' | 'ui';

type Scale = Record<GraphTextSize, number>;

export const GRAPH_TEXT: { normal: Scale; presenter: Scale } = {
  normal: { '2xs': 9.5, xs: 10, sm: 10.5, md: 11, base: 12, lg: 12.5, xl: 13, ui: 11 },
  presenter: { '2xs': 14, xs: 14, sm: 14, md: 14, base: 15, lg: 15, xl: 16, ui: 16 },
};

/** In Presenter mode, the smallest graph text on screen (a projected room reads 16 px from the back). */
export const PRESENTER_SCREEN_PX = 16;

/** The zoom at which the smallest Presenter mode text is PRESENTER_SCREEN_PX on screen. */
export const PRESENTER_MIN_ZOOM =
  PRESENTER_SCREEN_PX / Math.min(...Object.entries(GRAPH_TEXT.presenter).filter(([k]) => k !== 'ui').map(([, v]) => v));

/** The CSS variables of a scale, for the graph's style (`--g-sm: 10.5px`…), and its line height. */
export function graphTextStyle(presenter: boolean): Record<string, string | number> {
  const scale = presenter ? GRAPH_TEXT.presenter : GRAPH_TEXT.normal;
  const style: Record<string, string | number> = Object.fromEntries(Object.entries(scale).map(([k, v]) => [`--g-${k}`, `${v}px`]));
  // Larger text in the same cards: tighter lines so it fits their rows.
  if (presenter) style.lineHeight = 1.2;
  return style;
}
