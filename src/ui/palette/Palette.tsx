// The palette: drag a processor or memory module into the partition, a device onto the PnP
// manager (root bus) or a parent device — or activate the button (Enter/Space, or a click) to add
// it to its default place. Either way the action goes in "now": after the cursor's action.
import { useMemo, type DragEvent, type ReactNode } from 'react';
import { formatAction } from '../../engine/format.ts';
import { insertionPoint } from '../../scenario/gestures.ts';
import { useSession } from '../../store/session.ts';
import { PALETTE_MIME, type PaletteKind } from '../graph/ids.ts';
import { addFromPalette } from './add.ts';

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

/** "after action 2 (hotAddProcessor)" — where gestures insert their action. */
export function useInsertionText(): string {
  const scenario = useSession((s) => s.scenario);
  const trace = useSession((s) => s.trace);
  const cursor = useSession((s) => s.cursor);
  return useMemo(() => {
    if (!scenario) return '';
    const { index } = insertionPoint(scenario, trace, cursor);
    if (index === 0) return scenario.timeline.length > 0 ? 'right after boot, before the first action' : 'right after boot';
    const before = scenario.timeline[index - 1];
    const where = index === scenario.timeline.length ? 'at the end of the timeline' : `as action ${index + 1}`;
    return `${where}, after “${formatAction(before)}”`;
  }, [scenario, trace, cursor]);
}

export function Palette() {
  const ready = useSession((s) => s.scenario !== null);
  const where = useInsertionText();

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
        {ITEMS.map((item) => (
          <li key={item.kind}>
            <button
              type="button"
              draggable
              disabled={!ready}
              onDragStart={onDragStart(item.kind)}
              onClick={() => void addFromPalette(item.kind)}
              aria-label={item.label}
              aria-describedby="palette-help"
              data-palette={item.kind}
              className="group flex w-full cursor-grab items-center gap-2.5 rounded-lg border border-slate-300 bg-white px-2.5 py-2 text-left shadow-sm transition hover:border-sky-400 hover:bg-sky-50 active:cursor-grabbing disabled:cursor-not-allowed disabled:opacity-60 dark:border-slate-700 dark:bg-slate-800 dark:hover:border-sky-500 dark:hover:bg-slate-700"
            >
              <span className="flex size-8 shrink-0 items-center justify-center rounded-md bg-slate-100 text-slate-700 group-hover:bg-sky-100 group-hover:text-sky-800 dark:bg-slate-700 dark:text-slate-200 dark:group-hover:bg-sky-900 dark:group-hover:text-sky-100">
                {item.icon}
              </span>
              <span className="min-w-0">
                <span className="block text-[13px] font-semibold text-slate-900 dark:text-slate-100">{item.label}</span>
                <span className="block truncate text-[11px] text-slate-600 dark:text-slate-400">{item.hint}</span>
              </span>
              <span aria-hidden="true" className="ml-auto text-slate-400 group-hover:text-sky-600 dark:text-slate-500">
                ⠿
              </span>
            </button>
          </li>
        ))}
      </ul>
      <p id="palette-help" className="text-[11.5px] leading-snug text-slate-600 dark:text-slate-400">
        Drag onto the graph, or press Enter to add. Goes in {where || 'at the cursor'}.
      </p>
    </section>
  );
}
