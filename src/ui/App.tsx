// The first page: runs the built-in seed-000 scenario in the engine worker and shows its trace.
// The visual playground (graph, stepper, sequence diagram) grows from here: views read the
// session store, which mirrors what the worker sent.
import { useEffect, useMemo } from 'react';
import seed000 from '../scenario/demos/seed000-sync.json';
import { sessionStore, useSession } from '../store/session.ts';
import { TraceList } from './first/TraceList.tsx';

function Logo() {
  return (
    <svg aria-hidden="true" viewBox="0 0 32 32" className="size-9 shrink-0">
      <rect width="32" height="32" rx="7" className="fill-slate-900 dark:fill-slate-800" />
      <rect x="9" y="9" width="14" height="14" rx="2" fill="none" strokeWidth="2" className="stroke-sky-400" />
      <path
        d="M13 5v4M19 5v4M13 23v4M19 23v4M5 13h4M5 19h4M23 13h4M23 19h4"
        strokeWidth="2"
        strokeLinecap="round"
        className="stroke-slate-400"
      />
      <circle cx="16" cy="16" r="2.5" className="fill-sky-400" />
    </svg>
  );
}

function Stat({ label, value, tone = 'plain' }: { label: string; value: string | number; tone?: 'plain' | 'good' | 'bad' }) {
  const toneClass =
    tone === 'good'
      ? 'text-emerald-700 dark:text-emerald-400'
      : tone === 'bad'
        ? 'text-red-700 dark:text-red-400'
        : 'text-slate-900 dark:text-slate-100';
  return (
    <div className="rounded-lg border border-slate-200 bg-white px-3 py-2 dark:border-slate-800 dark:bg-slate-900">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500 dark:text-slate-400">{label}</dt>
      <dd className={`mt-0.5 text-lg font-semibold tabular-nums ${toneClass}`}>{value}</dd>
    </div>
  );
}

function Summary() {
  const trace = useSession((s) => s.trace);
  const stats = useMemo(() => {
    let callbacks = 0;
    let hazards = 0;
    let steps = 0;
    let halt = '—';
    for (const e of trace) {
      if (e.type === 'invoke') callbacks++;
      else if (e.type === 'hazard') hazards++;
      else if (e.type === 'halt') halt = e.reason;
      steps = Math.max(steps, e.step);
    }
    return { callbacks, hazards, steps, halt };
  }, [trace]);
  if (trace.length === 0) return null;
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-5">
      <Stat label="Entries" value={trace.length} />
      <Stat label="Timeline steps" value={stats.steps} />
      <Stat label="Routines invoked" value={stats.callbacks} />
      <Stat label="Hazards" value={stats.hazards} tone={stats.hazards > 0 ? 'bad' : 'plain'} />
      <Stat label="Halt" value={stats.halt} tone={stats.halt === 'quiescent' ? 'good' : 'bad'} />
    </dl>
  );
}

function StatusLine() {
  const status = useSession((s) => s.status);
  const message = useSession((s) => s.message);
  const errors = useSession((s) => s.errors);
  const newerVersion = useSession((s) => s.newerVersion);

  if (status === 'running' || status === 'idle') {
    return (
      <p role="status" className="flex items-center gap-2 text-sm text-slate-600 dark:text-slate-400">
        <span className="size-2 animate-pulse rounded-full bg-sky-500" aria-hidden="true" />
        Running…
      </p>
    );
  }
  if (status === 'error') {
    return (
      <div role="alert" className="rounded-lg border border-red-300 bg-red-50 p-3 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-200">
        <strong className="font-semibold">The engine failed.</strong> {message}
      </div>
    );
  }
  if (status === 'invalid') {
    return (
      <div role="alert" className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
        <p className="font-semibold">
          {newerVersion ? 'This scenario was made by a newer version of the playground.' : 'The scenario is not valid:'}
        </p>
        <ul className="mt-1 list-disc pl-5 font-mono text-xs">
          {errors.map((e, i) => (
            <li key={i}>
              <span className="font-semibold">{e.path || '/'}</span>: {e.message}
            </li>
          ))}
        </ul>
      </div>
    );
  }
  return null;
}

function Legend() {
  const items: [string, string][] = [
    ['→ ← API call and return', 'text-sky-800 dark:text-sky-300'],
    ['driver!Routine invoked by the system', 'text-violet-800 dark:text-violet-300'],
    ['state change', 'text-emerald-800 dark:text-emerald-300'],
    ['⚠ rule fired', 'text-red-800 dark:text-red-300'],
  ];
  return (
    <ul aria-label="Legend" className="flex flex-wrap gap-x-4 gap-y-1 text-xs">
      {items.map(([text, cls]) => (
        <li key={text} className={`font-mono ${cls}`}>
          {text}
        </li>
      ))}
    </ul>
  );
}

export function App() {
  const title = useSession((s) => s.title);
  const description = useSession((s) => s.description);
  const trace = useSession((s) => s.trace);

  useEffect(() => {
    void sessionStore.getState().run(seed000);
  }, []);

  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white/80 backdrop-blur dark:border-slate-800 dark:bg-slate-900/80">
        <div className="mx-auto flex max-w-6xl items-center gap-3 px-4 py-3 sm:px-6">
          <Logo />
          <div>
            <h1 className="text-lg font-semibold tracking-tight">PnP Playground</h1>
            <p className="text-sm text-slate-600 dark:text-slate-400">How Windows delivers Plug and Play notifications, step by step</p>
          </div>
        </div>
      </header>

      <main className="mx-auto max-w-6xl space-y-6 px-4 py-6 sm:px-6">
        <section aria-labelledby="scenario-title" className="space-y-4">
          <div>
            <p className="text-xs font-semibold uppercase tracking-wider text-sky-700 dark:text-sky-400">Built-in scenario</p>
            <h2 id="scenario-title" className="mt-1 text-2xl font-semibold tracking-tight">
              {title || seed000.title}
            </h2>
            <p className="mt-2 max-w-3xl text-[15px] leading-relaxed text-slate-700 dark:text-slate-300">
              {description || seed000.description}
            </p>
          </div>
          <StatusLine />
          <Summary />
        </section>

        {trace.length > 0 && (
          <section
            aria-labelledby="trace-title"
            className="rounded-xl border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900"
          >
            <div className="flex flex-wrap items-baseline justify-between gap-2 border-b border-slate-200 px-4 py-3 dark:border-slate-800">
              <h2 id="trace-title" className="font-semibold">
                Trace
              </h2>
              <Legend />
            </div>
            <div className="overflow-x-auto p-2">
              <TraceList trace={trace} />
            </div>
          </section>
        )}
      </main>
    </div>
  );
}
