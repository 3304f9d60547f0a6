// The page header: logo and title, the scenario's title, room for the scenario buttons another
// view adds (Demos, Edit scenario, Copy link: pass them as `tools`), and the theme toggle.
import { useEffect, type ReactNode } from 'react';
import { useSession } from '../../store/session.ts';
import { toggleTheme, useTheme } from '../theme.ts';

export function Logo() {
  return (
    <svg aria-hidden="true" viewBox="0 0 32 32" className="size-8 shrink-0">
      <rect width="32" height="32" rx="7" className="fill-slate-900 dark:fill-slate-800" />
      <rect x="9" y="9" width="14" height="14" rx="2" fill="none" strokeWidth="2" className="stroke-sky-400" />
      <path d="M13 5v4M19 5v4M13 23v4M19 23v4M5 13h4M5 19h4M23 13h4M23 19h4" strokeWidth="2" strokeLinecap="round" className="stroke-slate-400" />
      <circle cx="16" cy="16" r="2.5" className="fill-sky-400" />
    </svg>
  );
}

export function ThemeToggle() {
  const theme = useTheme();
  const dark = theme === 'dark';
  return (
    <button
      type="button"
      onClick={toggleTheme}
      aria-pressed={dark}
      aria-label="Dark theme"
      title={dark ? 'Switch to the light theme' : 'Switch to the dark theme'}
      className="inline-flex size-8 items-center justify-center rounded-md border border-slate-300 bg-white text-slate-700 hover:bg-slate-50 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-200 dark:hover:bg-slate-700"
    >
      {dark ? (
        <svg aria-hidden="true" viewBox="0 0 20 20" className="size-4 fill-current">
          <path d="M15.5 12.6A6.5 6.5 0 0 1 7.4 4.5a6.5 6.5 0 1 0 8.1 8.1z" />
        </svg>
      ) : (
        <svg aria-hidden="true" viewBox="0 0 20 20" className="size-4">
          <circle cx="10" cy="10" r="3.5" className="fill-current" />
          <path d="M10 1.5v2M10 16.5v2M1.5 10h2M16.5 10h2M4 4l1.4 1.4M14.6 14.6 16 16M4 16l1.4-1.4M14.6 5.4 16 4" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
        </svg>
      )}
    </button>
  );
}

/** The tab title names the scenario: "Synchronous processor notification — PnP Playground". */
export function useDocumentTitle(): void {
  const title = useSession((s) => s.title);
  useEffect(() => {
    document.title = title ? `${title} — PnP Playground` : 'PnP Playground';
  }, [title]);
}

export function Header({ tools }: { tools?: ReactNode }) {
  const title = useSession((s) => s.title);
  useDocumentTitle();
  return (
    <header className="flex min-h-14 shrink-0 flex-wrap items-center gap-x-3 gap-y-1.5 border-b border-slate-200 bg-white px-3 py-2 dark:border-slate-800 dark:bg-slate-900 sm:flex-nowrap sm:px-4 sm:py-0">
      <Logo />
      <div className="min-w-0 shrink-0">
        <h1 className="text-[15px] font-semibold leading-tight tracking-tight">PnP Playground</h1>
        <p className="hidden text-[11.5px] leading-tight text-slate-600 dark:text-slate-400 xl:block">How Windows delivers Plug and Play notifications</p>
      </div>
      <div aria-hidden="true" className="mx-1 hidden h-7 w-px bg-slate-200 dark:bg-slate-700 sm:block" />
      <h2 className="order-last min-w-0 basis-full truncate text-[14px] font-medium text-slate-800 dark:text-slate-200 sm:order-none sm:flex-1 sm:basis-auto" title={title}>
        {title || 'Loading…'}
      </h2>
      <div className="ml-auto flex flex-wrap items-center justify-end gap-2 lg:shrink-0 lg:flex-nowrap [&_button]:whitespace-nowrap" data-slot="scenario-tools">
        {tools}
        <ThemeToggle />
      </div>
    </header>
  );
}
