// How the page is laid out, apart from the scenario and the step: the selected side panel,
// Presenter mode (large graph text and controls for a projector, secondary panels folded) and the
// Code pane beside the graph. The view is part of the link, as optional `&name=value` parameters
// after the step (`#s1.<payload>&step=N&panel=code&presenter=1&split=code`), written only when
// they differ from the default, so a link made without them keeps its meaning and an older build
// ignores them (readLink skips unknown parameters; docs/scenario-format.md, "Stability promise").
import { useSyncExternalStore } from 'react';
import { createStore } from 'zustand/vanilla';

/** The side panels (tabs), in order; `trace` is the default. */
export const PANELS = ['trace', 'threads', 'sequence', 'code', 'interleavings'] as const;
export type PanelId = (typeof PANELS)[number];

export interface View {
  panel: PanelId;
  presenter: boolean;
  /** The Code pane beside the graph (a split view). */
  codeBeside: boolean;
}

export const DEFAULT_VIEW: View = { panel: 'trace', presenter: false, codeBeside: false };

export const viewStore = createStore<View>(() => ({ ...DEFAULT_VIEW }));

export function useView<T>(select: (v: View) => T): T {
  return useSyncExternalStore(viewStore.subscribe, () => select(viewStore.getState()));
}

export function setView(change: Partial<View>): void {
  const v = viewStore.getState();
  if (Object.entries(change).every(([k, x]) => v[k as keyof View] === x)) return;
  viewStore.setState({ ...v, ...change });
}

const isPanel = (x: string): x is PanelId => (PANELS as readonly string[]).includes(x);

/** `&panel=…&presenter=1&split=code` for what differs from the default view ('' for the default). */
export function viewParams(v: View): string {
  let out = '';
  if (v.panel !== DEFAULT_VIEW.panel) out += `&panel=${v.panel}`;
  if (v.presenter) out += '&presenter=1';
  if (v.codeBeside) out += '&split=code';
  return out;
}

/**
 * What a hash says about the view: only the view parameters it has (a link made in the default view
 * has none, and opening it keeps the view the page has, e.g. Presenter mode during a lesson).
 * Parameters with values this build does not know are ignored (a later build may add panels).
 */
export function viewOfHash(hash: string): Partial<View> {
  const view: Partial<View> = {};
  const params = hash.replace(/^#/, '').split('&').slice(1);
  for (const p of params) {
    const [name, value = ''] = p.split('=', 2);
    if (name === 'panel' && isPanel(value)) view.panel = value;
    else if (name === 'presenter') view.presenter = value === '1';
    else if (name === 'split') view.codeBeside = value === 'code';
  }
  return view;
}
