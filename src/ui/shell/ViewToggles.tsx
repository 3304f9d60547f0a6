// The header's view toggles: "Presenter mode" (graph text of 16 px or more at 1280×720, 44 px step
// controls, secondary panels folded) and "Code beside graph" (the Code panel in a pane next to the
// graph). Both are toggle buttons (aria-pressed) and part of the link (view.ts).
import type { ReactNode } from 'react';
import { setView, useView } from '../view.ts';

function Toggle({ name, pressed, onClick, hint, children }: { name: string; pressed: boolean; onClick(): void; hint: string; children: ReactNode }) {
  return (
    <button
      type="button"
      aria-pressed={pressed}
      title={hint}
      onClick={onClick}
      className={`inline-flex h-8 shrink-0 items-center gap-1.5 rounded-md border px-2 text-sm font-medium shadow-sm ${
        pressed
          ? 'border-sky-700 bg-sky-700 text-white hover:bg-sky-800 dark:border-sky-400 dark:bg-sky-400 dark:text-slate-950 dark:hover:bg-sky-300'
          : 'border-slate-300 bg-white text-slate-800 hover:bg-slate-50 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100 dark:hover:bg-slate-700'
      }`}
    >
      {children}
      <span className="sr-only 2xl:not-sr-only">{name}</span>
    </button>
  );
}

export function PresenterToggle() {
  const on = useView((v) => v.presenter);
  return (
    <Toggle name="Presenter mode" pressed={on} onClick={() => setView({ presenter: !on })} hint="Presenter mode: large graph text and step controls for a projector; the side panels fold away">
      <svg aria-hidden="true" viewBox="0 0 20 20" className="size-4" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round">
        <path d="M2.5 3.5h15M3.5 3.5v8.5h13V3.5M10 12v2.5M7 17.5l3-3 3 3" />
      </svg>
    </Toggle>
  );
}

export function CodeBesideToggle() {
  const on = useView((v) => v.codeBeside);
  return (
    <Toggle name="Code beside graph" pressed={on} onClick={() => setView({ codeBeside: !on })} hint="Code beside graph: the running routine's code, its running line highlighted, next to the graph">
      <svg aria-hidden="true" viewBox="0 0 20 20" className="size-4" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round">
        <rect x="2.5" y="3.5" width="15" height="13" rx="1.5" />
        <path d="M11 3.5v13M13.5 7.5h2M13.5 10h2M13.5 12.5h1" />
      </svg>
    </Toggle>
  );
}
