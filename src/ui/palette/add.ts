// What the palette adds, by drag or by button: each is a gesture on the session's scenario.
import { addDevice, addMemory, addProcessor } from '../../scenario/gestures.ts';
import { sessionStore } from '../../store/session.ts';
import type { PaletteKind } from '../graph/ids.ts';

/** Add a processor or memory module to the partition, or a device under `parent` (default: the root bus). */
export function addFromPalette(kind: PaletteKind, parent = 'root'): Promise<boolean> {
  const { gesture } = sessionStore.getState();
  switch (kind) {
    case 'processor':
      return gesture(addProcessor);
    case 'memory':
      return gesture((s, at) => addMemory(s, at));
    case 'device':
      return gesture((s, at) => addDevice(s, at, parent));
  }
}
