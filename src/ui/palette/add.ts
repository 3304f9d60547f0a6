// What the palette adds, by drag or by button: each is a gesture on the session's scenario, put
// in where it teaches (placement.ts) unless the user picked another point ("Goes in").
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { addDevice, addMemory, addProcessor } from '../../scenario/gestures.ts';
import { sessionStore } from '../../store/session.ts';
import type { PaletteKind } from '../graph/ids.ts';
import { placementAt, teachingPlacement, watchersFor } from './placement.ts';

/** 'auto': where it teaches; a number: right after that many timeline actions. */
export type PaletteAt = 'auto' | number;

export const paletteAtStore = createStore<{ at: PaletteAt }>()(() => ({ at: 'auto' }));
export const usePaletteAt = (): PaletteAt => useStore(paletteAtStore, (s) => s.at);
export const setPaletteAt = (at: PaletteAt): void => paletteAtStore.setState({ at });

/** Add a processor or memory module to the partition, or a device under `parent` (default: the root bus). */
export function addFromPalette(kind: PaletteKind, parent = 'root'): Promise<boolean> {
  const { gesture } = sessionStore.getState();
  const chosen = paletteAtStore.getState().at;
  const at = (s: Parameters<typeof teachingPlacement>[0], trace: Parameters<typeof teachingPlacement>[1], cursor: number) =>
    chosen === 'auto' ? teachingPlacement(s, trace, cursor, kind) : placementAt(s, trace, chosen, watchersFor(s, trace, kind));
  switch (kind) {
    case 'processor':
      return gesture(addProcessor, at);
    case 'memory':
      return gesture((s, ins) => addMemory(s, ins), at);
    case 'device':
      return gesture((s, ins) => addDevice(s, ins, parent), at);
  }
}
