// A side column that Presenter mode folds: the column becomes a narrow rail with one button
// (aria-expanded) that opens its content as a drawer over the graph, so the graph keeps its size
// and its view. Escape or the button closes it. Outside Presenter mode the content shows as usual.
import { useEffect, useId, useState, type ReactNode } from 'react';

export function Fold({
  folded,
  label,
  side,
  opened = false,
  children,
}: {
  folded: boolean;
  label: string;
  side: 'left' | 'right';
  /** Open while this is true (something inside needs to be seen, e.g. the tour). */
  opened?: boolean;
  children: ReactNode;
}) {
  const [chosen, setOpen] = useState(false);
  const open = chosen || opened;
  const id = useId();
  useEffect(() => {
    if (!folded || !open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented) setOpen(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [folded, open]);
  if (!folded) return <>{children}</>;
  return (
    <>
      <button
        type="button"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen(!open)}
        className="flex min-h-11 w-full items-center justify-center gap-2 px-2 py-2 text-[15px] font-medium text-slate-800 hover:bg-slate-100 dark:text-slate-100 dark:hover:bg-slate-800 lg:h-full lg:w-11 lg:justify-start lg:py-4 lg:[writing-mode:vertical-rl]"
      >
        <svg aria-hidden="true" viewBox="0 0 16 16" className={`size-4 shrink-0 fill-current ${(side === 'left') !== open ? 'rotate-180' : ''} max-lg:rotate-90`}>
          <path d="M10 3 5 8l5 5z" />
        </svg>
        {label}
      </button>
      <div
        id={id}
        hidden={!open}
        className={`flex min-h-[480px] flex-col bg-white dark:bg-slate-900 lg:absolute lg:inset-y-0 lg:z-30 lg:min-h-0 lg:w-[min(420px,80vw)] lg:shadow-2xl lg:ring-1 lg:ring-slate-300 dark:lg:ring-slate-700 ${
          side === 'left' ? 'lg:left-full' : 'lg:right-full'
        }`}
      >
        {open && children}
      </div>
    </>
  );
}
