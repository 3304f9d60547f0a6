// The palette: drag a processor or memory module into the partition, a device onto the PnP
// manager (root bus) or a parent device — or activate the button (Enter/Space, or a click) to add
// it to its default place. Either way the action goes in where it teaches (placement.ts: where
// registrations that would see it are live) unless "Goes in" names another point; each item says
// where and who would see it.
import { useDeferredValue, useId, useMemo, type DragEvent, type ReactNode } from 'react';
import { useSession } from '../../store/session.ts';
import { PALETTE_MIME, type PaletteKind } from '../graph/ids.ts';
import { addFromPalette, setPaletteAt, usePaletteAt } from './add.ts';
import { boundaries, placementAt, teachingPlacement, watchersFor, whereText, type Placement } from './placement.ts';

const ITEMS: { kind: PaletteKind; label: string; hint: string; icon: ReactNode }[] = [
  {
    kind: 'processor',
    label: 'Processor',
    hint: 'hot-add into the partition',
    icon: (
      <svg aria-hidden="true" viewBox="0 0 20 20" className="size-5">
        <rect x="5" y="5" width="10" height="10" rx="1.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
        <rect x="8" y="8" width="4" height="4" fill="currentColor" />
        <path d="M8 2v3M12 2v3M8 15v3M12 15v3M2 8h3M2 12h3M15 8h3M15 12h3" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
      </svg>
    ),
  },
  {
    kind: 'memory',
    label: 'Memory module',
    hint: '4 GiB, hot-add',
    icon: (
      <svg aria-hidden="true" viewBox="0 0 20 20" className="size-5">
        <rect x="2" y="6" width="16" height="7" rx="1" fill="none" stroke="currentColor" strokeWidth="1.5" />
        <path d="M5 13v3M8 13v3M11 13v3M14 13v3M5.5 8.5v2M9 8.5v2M12.5 8.5v2" stroke="currentColor" strokeWidth="1.5" />
      </svg>
    ),
  },
  {
    kind: 'device',
    label: 'Device',
    hint: 'with a generic driver, plugged in',
    icon: (
      <svg aria-hidden="true" viewBox="0 0 20 20" className="size-5">
        <rect x="3" y="4" width="14" height="10" rx="2" fill="none" stroke="currentColor" strokeWidth="1.5" />
        <path d="M7 17h6M10 14v3" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
      </svg>
    ),
  },
];

/**
 * Where each palette item goes in now, and who would see it there. A new run reads every
 * registration change of its trace once (watchersFor): the text follows a run or a step in a
 * deferred render, after the graph has shown it (a gesture computes its own placement when made).
 */
function usePlacements(): Record<PaletteKind, Placement> | null {
  const scenario = useSession((s) => s.scenario);
  const trace = useSession((s) => s.trace);
  const cursor = useSession((s) => s.cursor);
  const chosen = usePaletteAt();
  const at = useDeferredValue(useMemo(() => ({ scenario, trace, cursor }), [scenario, trace, cursor]));
  return useMemo(() => {
    const { scenario, trace, cursor } = at;
    if (!scenario) return null;
    const place = (kind: PaletteKind) =>
      chosen === 'auto'
        ? teachingPlacement(scenario, trace, cursor, kind)
        : placementAt(scenario, trace, chosen, watchersFor(scenario, trace, kind));
    return { processor: place('processor'), memory: place('memory'), device: place('device') };
  }, [at, chosen]);
}

/** "Goes in after action 1; seen by sampledrv." */
function placementText(p: Placement): string {
  const where = p.index === 0 ? 'right after boot' : `after action ${p.index}`;
  const who = p.watchers.length === 0 ? 'no registration sees it there' : `seen by ${p.watchers.join(', ')}`;
  return `Goes in ${where}; ${who}.`;
}

/** "Goes in": where it teaches (default), or any point between timeline actions. */
function GoesIn() {
  // A long scenario has hundreds of points: a new run shows them in a render of their own (React's
  // deferred value), after the graph and the step controls, not in the same long task.
  const scenario = useDeferredValue(useSession((s) => s.scenario));
  const chosen = usePaletteAt();
  const id = useId();
  if (!scenario) return null;
  const points = boundaries(scenario);
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-[11.5px] font-medium text-slate-700 dark:text-slate-300">
        Goes in
      </label>
      <select
        id={id}
        value={String(chosen)}
        onChange={(e) => setPaletteAt(e.currentTarget.value === 'auto' ? 'auto' : Number(e.currentTarget.value))}
        className="w-full rounded-md border border-slate-300 bg-white px-1.5 py-1 text-[12px] text-slate-900 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100"
      >
        <option value="auto">Where it teaches: callbacks fire</option>
        {points.map((i) => (
          <option key={i} value={i}>
            {whereText(scenario, i)}
          </option>
        ))}
      </select>
    </div>
  );
}

export function Palette() {
  const ready = useSession((s) => s.scenario !== null);
  const placements = usePlacements();

  const onDragStart = (kind: PaletteKind) => (e: DragEvent) => {
    e.dataTransfer.setData(PALETTE_MIME[kind], kind);
    e.dataTransfer.setData('text/plain', kind);
    e.dataTransfer.effectAllowed = 'copy';
  };

  return (
    <section aria-labelledby="palette-title" className="space-y-2">
      <h2 id="palette-title" className="text-[11px] font-semibold uppercase tracking-wider text-slate-600 dark:text-slate-400">
        Add hardware
      </h2>
      <ul className="space-y-1.5">
        {ITEMS.map((item) => {
          const p = placements?.[item.kind];
          return (
            <li key={item.kind}>
              <button
                type="button"
                draggable
                disabled={!ready}
                onDragStart={onDragStart(item.kind)}
                onClick={() => void addFromPalette(item.kind)}
                aria-label={item.label}
                aria-describedby={`palette-where-${item.kind} palette-help`}
                data-palette={item.kind}
                className="group flex w-full cursor-grab items-center gap-2.5 rounded-lg border border-slate-300 bg-white px-2.5 py-2 text-left shadow-sm transition hover:border-sky-400 hover:bg-sky-50 active:cursor-grabbing disabled:cursor-not-allowed disabled:opacity-60 dark:border-slate-700 dark:bg-slate-800 dark:hover:border-sky-500 dark:hover:bg-slate-700"
              >
                <span className="flex size-8 shrink-0 items-center justify-center rounded-md bg-slate-100 text-slate-700 group-hover:bg-sky-100 group-hover:text-sky-800 dark:bg-slate-700 dark:text-slate-200 dark:group-hover:bg-sky-900 dark:group-hover:text-sky-100">
                  {item.icon}
                </span>
                <span className="min-w-0">
                  <span className="block text-[13px] font-semibold text-slate-900 dark:text-slate-100">{item.label}</span>
                  <span className="block text-[11px] text-slate-600 dark:text-slate-300">{item.hint}</span>
                  <span id={`palette-where-${item.kind}`} data-testid={`palette-where-${item.kind}`} className="block text-[11px] leading-snug text-sky-800 dark:text-sky-200">
                    {p ? placementText(p) : ''}
                  </span>
                </span>
                <span aria-hidden="true" className="ml-auto text-slate-400 group-hover:text-sky-600 dark:text-slate-500">
                  ⠿
                </span>
              </button>
            </li>
          );
        })}
      </ul>
      <GoesIn />
      <p id="palette-help" className="text-[11.5px] leading-snug text-slate-600 dark:text-slate-400">
        Drag onto the graph, or press Enter to add.
      </p>
    </section>
  );
}
