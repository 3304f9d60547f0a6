// Where a palette gesture teaches: it goes in where registrations that would see it are live, so
// the hot-add or the plug-in produces callbacks. The palette proposes that point and the user can
// pick another (every boundary between timeline actions). "Who would see it" follows what the
// engine delivers to, as the graph's registration edges do: a processor is seen by processor
// change callbacks (KeRegisterProcessorChangeCallback) and GUID_DEVICE_PROCESSOR interface
// registrations, a memory module by GUID_DEVICE_MEMORY ones, a new device by registrations for the
// interface class it will expose.
import { formatAction } from '../../engine/format.ts';
import type { TraceEntry } from '../../engine/trace.ts';
import { insertionAt, insertionPoint, newDeviceClass, type Insertion } from '../../scenario/gestures.ts';
import type { NormalizedScenario } from '../../scenario/types.ts';
import type { PaletteKind } from '../graph/ids.ts';
import { entityKind } from '../../engine/ids/entities.ts';
import { traceIndex } from '../../trace/indexes.ts';

type Info = Record<string, unknown>;

/** Does a registration (its creation `info`) see what the palette adds? */
export function seesFor(kind: PaletteKind, s: NormalizedScenario): (info: Info) => boolean {
  switch (kind) {
    case 'processor':
      return (info) => info.kind === 'ke' || info.className === 'GUID_DEVICE_PROCESSOR';
    case 'memory':
      return (info) => info.className === 'GUID_DEVICE_MEMORY';
    case 'device': {
      const cls = newDeviceClass(s);
      return (info) => info.className === cls || (info.category === 'CM_NOTIFY_FILTER_TYPE_DEVICEINSTANCE' && info.instanceId === 'ALL');
    }
  }
}

/** Timeline indices where an action may go in: 0 … length, except inside a group of concurrent actions. */
export function boundaries(s: NormalizedScenario): number[] {
  const out: number[] = [];
  for (let i = 0; i <= s.timeline.length; i++) if (i === s.timeline.length || !s.timeline[i].concurrent) out.push(i);
  return out;
}

/**
 * For each boundary i (after timeline action i; 0 is right after boot): the owners of the live
 * registrations that would see the gesture there, from the trace's registration states (the
 * index lists the state changes: nothing else is read).
 */
export function watchersAt(s: NormalizedScenario, trace: readonly TraceEntry[], sees: (info: Info) => boolean): string[][] {
  const n = s.timeline.length;
  const out: string[][] = Array.from({ length: n + 1 }, () => []);
  const live = new Map<string, string>(); // registration entity → owner
  const relevant = new Map<string, string>(); // registrations that see it → owner
  let step = 0;
  const record = (upTo: number) => {
    for (; step < Math.min(upTo, n + 1); step++) out[step] = [...new Set(live.values())];
  };
  for (const seq of traceIndex(trace).entityStateSeqs) {
    const e = trace[seq];
    if (e.step > step) record(e.step);
    if (e.type !== 'state' || entityKind(e.entity) !== 'registration') continue;
    if (e.info && sees(e.info)) relevant.set(e.entity, String(e.info.owner ?? ''));
    const owner = relevant.get(e.entity);
    if (owner === undefined) continue;
    if (e.to === 'active') live.set(e.entity, owner);
    else live.delete(e.entity);
  }
  record(n + 1);
  return out;
}

const watchersCache = new WeakMap<readonly TraceEntry[], WeakMap<NormalizedScenario, Map<PaletteKind, string[][]>>>();

/** watchersAt for a palette item, once per trace, scenario and kind (stepping does not recompute it). */
export function watchersFor(s: NormalizedScenario, trace: readonly TraceEntry[], kind: PaletteKind): string[][] {
  let byScenario = watchersCache.get(trace);
  if (!byScenario) watchersCache.set(trace, (byScenario = new WeakMap()));
  let byKind = byScenario.get(s);
  if (!byKind) byScenario.set(s, (byKind = new Map()));
  let w = byKind.get(kind);
  if (!w) byKind.set(kind, (w = watchersAt(s, trace, seesFor(kind, s))));
  return w;
}

export interface Placement extends Insertion {
  /** Who would see the gesture there (owners of live registrations); empty: no callback will fire. */
  watchers: string[];
  /** "after “load sampledrv”". */
  where: string;
}

/** "right after boot" / "after “load sampledrv”" for boundary `index`. */
export function whereText(s: NormalizedScenario, index: number): string {
  if (index === 0) return 'right after boot';
  return `after action ${index}, “${formatAction(s.timeline[index - 1])}”`;
}

/**
 * The point the palette proposes: the cursor's ("now") if something would see the gesture there,
 * else the first later boundary where something would, else the last earlier one, else now.
 */
export function teachingPlacement(s: NormalizedScenario, trace: readonly TraceEntry[], cursor: number, kind: PaletteKind): Placement {
  const now = insertionPoint(s, trace, cursor).index;
  const watchers = watchersFor(s, trace, kind);
  const points = boundaries(s);
  const later = points.filter((i) => i >= now);
  const earlier = points.filter((i) => i < now).reverse();
  const index = [...later, ...earlier].find((i) => watchers[i].length > 0) ?? now;
  return placementAt(s, trace, index, watchers);
}

export function placementAt(s: NormalizedScenario, trace: readonly TraceEntry[], index: number, watchers: string[][]): Placement {
  const ins = insertionAt(s, trace, index);
  return { ...ins, watchers: watchers[ins.index] ?? [], where: whereText(s, ins.index) };
}
