// Undo and Redo in the header (and Ctrl+Z / Ctrl+Shift+Z): the browser's Back and Forward through
// the edits (src/ui/history.ts).
import { useEffect } from 'react';
import { historyShortcut, redo, undo, useHistoryPosition } from '../history.ts';

const BTN =
  'inline-flex size-8 shrink-0 items-center justify-center rounded-md border border-slate-300 bg-white text-slate-700 shadow-sm hover:bg-slate-50 disabled:cursor-not-allowed disabled:opacity-50 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-200 dark:hover:bg-slate-700';

export function useHistoryShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      const what = historyShortcut(e);
      if (!what) return;
      e.preventDefault();
      if (what === 'undo') undo();
      else redo();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

export function UndoRedo() {
  const { canUndo, canRedo } = useHistoryPosition();
  return (
    <div role="group" aria-label="History" className="flex items-center gap-1">
      <button type="button" className={BTN} onClick={() => undo()} disabled={!canUndo} aria-keyshortcuts="Control+Z" title="Undo the last change (Ctrl+Z, or the browser's Back)">
        <svg aria-hidden="true" viewBox="0 0 20 20" className="size-4" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round">
          <path d="M7 4 3 8l4 4" />
          <path d="M3 8h9a5 5 0 0 1 0 10H9" />
        </svg>
        <span className="sr-only">Undo</span>
      </button>
      <button
        type="button"
        className={BTN}
        onClick={() => redo()}
        disabled={!canRedo}
        aria-keyshortcuts="Control+Shift+Z"
        title="Redo (Ctrl+Shift+Z, or the browser's Forward)"
      >
        <svg aria-hidden="true" viewBox="0 0 20 20" className="size-4" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round">
          <path d="m13 4 4 4-4 4" />
          <path d="M17 8H8a5 5 0 0 0 0 10h3" />
        </svg>
        <span className="sr-only">Redo</span>
      </button>
    </div>
  );
}
