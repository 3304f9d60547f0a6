// The embed layout (`?embed=1` or `&embed=1`, see isEmbed.ts): a compact, read-only page for an
// iframe in a slide deck or a course page. The shell passes its own pieces (graph, step controls,
// explanation); this component only lays them out and links to the full playground. No editing
// controls, and nothing here loads anything from the network.
import type { ReactNode } from 'react';

export interface EmbedViewProps {
  /** The node graph (read-only). */
  graph: ReactNode;
  /** Step controls (back / forward / position). */
  stepper: ReactNode;
  /** The narration of the current step: what happened and which rule applies. */
  explanation: ReactNode;
  /** The scenario's title. */
  title: string;
  /** The same scenario and step in the full playground (fullPlaygroundLink). */
  fullLink: string;
}

export function EmbedView({ graph, stepper, explanation, title, fullLink }: EmbedViewProps) {
  return (
    <div className="flex h-dvh min-h-[320px] flex-col bg-slate-50 text-slate-900 dark:bg-slate-950 dark:text-slate-100">
      <header className="flex shrink-0 items-center gap-3 border-b border-slate-200 bg-white px-3 py-2 dark:border-slate-800 dark:bg-slate-900">
        <h1 className="min-w-0 flex-1 truncate text-sm font-semibold" title={title}>
          {title || 'PnP Playground scenario'}
        </h1>
        <a
          href={fullLink}
          target="_blank"
          rel="noopener"
          className="inline-flex shrink-0 items-center gap-1 rounded-md border border-slate-300 px-2.5 py-1 text-xs font-medium text-sky-800 hover:bg-sky-50 dark:border-slate-600 dark:text-sky-300 dark:hover:bg-slate-800"
        >
          Open in the full playground
          <svg aria-hidden="true" viewBox="0 0 16 16" className="size-3.5" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round">
            <path d="M6 3H3v10h10v-3M9 3h4v4M13 3 7 9" />
          </svg>
          <span className="sr-only">(opens in a new tab)</span>
        </a>
      </header>
      <main className="flex min-h-0 flex-1 flex-col md:flex-row">
        <section aria-label="System graph" className="relative min-h-[200px] min-w-0 flex-1">
          {graph}
        </section>
        <aside
          aria-label="Explanation"
          className="max-h-[40%] shrink-0 overflow-auto border-t border-slate-200 bg-white p-3 text-sm leading-relaxed md:max-h-none md:w-[min(38%,420px)] md:border-l md:border-t-0 dark:border-slate-800 dark:bg-slate-900"
        >
          {explanation}
        </aside>
      </main>
      <footer className="shrink-0 border-t border-slate-200 bg-white px-3 py-2 dark:border-slate-800 dark:bg-slate-900">{stepper}</footer>
    </div>
  );
}
