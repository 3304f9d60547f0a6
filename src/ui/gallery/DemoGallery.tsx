// The demo gallery: a modal dialog listing the built-in demos by seed document, then the
// documented mistakes. Each card opens its demo or copies a link to it.
import { useId, useMemo, useState } from 'react';
import { scenarioToHash } from '../../scenario/codec.ts';
import { interleavingsText } from '../../scenario/demos/interleavings.ts';
import type { Scenario } from '../../scenario/types.ts';
import { CopyLinkButton } from '../share/CopyLinkButton.tsx';
import { Dialog } from '../share/Dialog.tsx';
import { filterDemos, groupDemos, type GalleryDemo } from './groups.ts';

export interface DemoGalleryProps<D extends GalleryDemo> {
  demos: readonly D[];
  /** Open this demo (the gallery does not close itself: the owner unmounts it). */
  onOpen(demo: D): void;
  onClose(): void;
}

export function DemoGallery<D extends GalleryDemo>({ demos, onOpen, onClose }: DemoGalleryProps<D>) {
  const [query, setQuery] = useState('');
  const shown = useMemo(() => filterDemos(demos, query), [demos, query]);
  const groups = useMemo(() => groupDemos(shown), [shown]);
  const searchId = useId();
  const descriptionId = useId();

  return (
    <Dialog title="Demos" onClose={onClose} describedBy={descriptionId}>
      <div className="space-y-6 px-5 py-4">
        <div className="flex flex-wrap items-end justify-between gap-3">
          <p id={descriptionId} className="max-w-2xl text-sm text-slate-600 dark:text-slate-300">
            Guided scenarios for each of the five documentation pages, and the documented mistakes. Opening one replaces the current
            scenario; its link brings you back to it.
          </p>
          <div className="flex flex-col gap-1">
            <label htmlFor={searchId} className="text-xs font-medium text-slate-600 dark:text-slate-300">
              Filter demos
            </label>
            <input
              id={searchId}
              type="search"
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              placeholder="e.g. CM-6, surprise, memory"
              className="w-64 rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm placeholder:text-slate-500 dark:border-slate-600 dark:bg-slate-800 dark:placeholder:text-slate-400"
            />
          </div>
        </div>
        <p aria-live="polite" className="sr-only">
          {query ? `${shown.length} ${shown.length === 1 ? 'demo matches' : 'demos match'}` : ''}
        </p>
        {groups.length === 0 && <p className="text-sm text-slate-600 dark:text-slate-300">No demo matches “{query}”.</p>}
        {groups.map((g) => (
          <section key={g.id} aria-labelledby={`${descriptionId}-${g.id}`} className="space-y-3">
            <div>
              <h3 id={`${descriptionId}-${g.id}`} className="text-base font-semibold tracking-tight">
                {g.title}
              </h3>
              {g.subtitle && <p className="text-sm text-slate-600 dark:text-slate-300">{g.subtitle}</p>}
            </div>
            <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
              {g.demos.map((d) => (
                <li key={d.id} className="flex">
                  <DemoCard demo={d} onOpen={() => onOpen(d)} />
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
    </Dialog>
  );
}

const LONG = 220;

function DemoCard({ demo, onOpen }: { demo: GalleryDemo; onOpen(): void }) {
  const [expanded, setExpanded] = useState(false);
  const titleId = useId();
  const descriptionId = useId();
  const hash = useMemo(() => {
    try {
      return scenarioToHash(demo.scenario as Scenario);
    } catch {
      return undefined; // not JSON data: no link to copy
    }
  }, [demo.scenario]);
  const long = demo.description.length > LONG;
  const mistake = demo.tags.includes('mistake');

  return (
    <article
      aria-labelledby={titleId}
      className="flex w-full flex-col gap-2 rounded-lg border border-slate-200 bg-slate-50 p-3.5 dark:border-slate-700 dark:bg-slate-800/60"
    >
      <div className="flex flex-wrap items-center gap-1.5 text-xs font-medium">
        <span className="rounded bg-sky-100 px-1.5 py-0.5 font-mono text-sky-900 dark:bg-sky-950 dark:text-sky-200">seed {demo.seed}</span>
        {mistake && <span className="rounded bg-red-100 px-1.5 py-0.5 text-red-900 dark:bg-red-950 dark:text-red-200">mistake</span>}
      </div>
      <h4 id={titleId} className="font-semibold leading-snug [overflow-wrap:anywhere]">
        {demo.title}
      </h4>
      <p id={descriptionId} className={`text-sm leading-relaxed text-slate-700 [overflow-wrap:anywhere] dark:text-slate-300 ${long && !expanded ? 'line-clamp-4' : ''}`}>
        {demo.description}
      </p>
      {long && (
        <button
          type="button"
          aria-expanded={expanded}
          aria-controls={descriptionId}
          onClick={() => setExpanded((x) => !x)}
          className="self-start text-sm font-medium text-sky-800 underline-offset-2 hover:underline dark:text-sky-300"
        >
          {expanded ? 'Show less' : 'Show more'}
          <span className="sr-only"> of “{demo.title}”</span>
        </button>
      )}
      {demo.interleavings && (
        <p className="rounded border-l-2 border-violet-500 bg-violet-50 px-2 py-1 text-sm leading-relaxed text-violet-950 dark:bg-violet-950/50 dark:text-violet-100">
          {interleavingsText(demo.interleavings)}
        </p>
      )}
      <div className="mt-auto flex flex-wrap items-start gap-2 pt-1">
        <button
          type="button"
          onClick={onOpen}
          aria-label={`Open “${demo.title}”`}
          className="rounded-md bg-sky-700 px-3 py-1.5 text-sm font-medium text-white shadow-sm hover:bg-sky-800 dark:bg-sky-700 dark:hover:bg-sky-600"
        >
          Open
        </button>
        {hash && <CopyLinkButton hash={hash} ariaLabel={`Copy link to “${demo.title}”`} />}
      </div>
    </article>
  );
}
