// Accessible tabs (WAI-ARIA tabs pattern: arrow keys move between tabs, Home/End, automatic
// activation). Inactive panels stay mounted but hidden, so they keep their scroll position.
import { useId, useRef, type KeyboardEvent, type ReactNode } from 'react';

export interface TabSpec {
  id: string;
  label: ReactNode;
  /** Plain-text name when the label has decorations (a badge). */
  name?: string;
  content: ReactNode;
}

export function Tabs({ tabs, active, onChange, label, className = '' }: { tabs: TabSpec[]; active: string; onChange(id: string): void; label: string; className?: string }) {
  const base = useId();
  const refs = useRef(new Map<string, HTMLButtonElement>());
  const onKeyDown = (e: KeyboardEvent) => {
    const i = tabs.findIndex((t) => t.id === active);
    let next = -1;
    if (e.key === 'ArrowRight') next = (i + 1) % tabs.length;
    else if (e.key === 'ArrowLeft') next = (i - 1 + tabs.length) % tabs.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = tabs.length - 1;
    if (next < 0) return;
    e.preventDefault();
    onChange(tabs[next].id);
    refs.current.get(tabs[next].id)?.focus();
  };
  return (
    <div className={`flex min-h-0 flex-col ${className}`}>
      {/* The tabs wrap onto a second row when the column is too narrow for them: every tab stays whole and in reach, none scrolls out of sight. */}
      <div role="tablist" aria-label={label} onKeyDown={onKeyDown} className="flex shrink-0 flex-wrap gap-x-0.5 border-b border-slate-200 px-1 dark:border-slate-800">
        {tabs.map((t) => {
          const selected = t.id === active;
          return (
            <button
              key={t.id}
              ref={(el) => {
                if (el) refs.current.set(t.id, el);
                else refs.current.delete(t.id);
              }}
              type="button"
              role="tab"
              id={`${base}-tab-${t.id}`}
              aria-controls={`${base}-panel-${t.id}`}
              aria-selected={selected}
              tabIndex={selected ? 0 : -1}
              onClick={() => onChange(t.id)}
              className={`-mb-px inline-flex items-center gap-1.5 whitespace-nowrap border-b-2 px-2 py-2 text-[13px] font-medium ${
                selected
                  ? 'border-sky-600 text-slate-900 dark:border-sky-400 dark:text-slate-100'
                  : 'border-transparent text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-slate-100'
              }`}
            >
              {t.label}
            </button>
          );
        })}
      </div>
      {tabs.map((t) => (
        <div
          key={t.id}
          role="tabpanel"
          id={`${base}-panel-${t.id}`}
          aria-labelledby={`${base}-tab-${t.id}`}
          hidden={t.id !== active}
          className="min-h-0 flex-1 overflow-auto"
        >
          {t.content}
        </div>
      ))}
    </div>
  );
}
