// A modal dialog on the native <dialog> element: showModal() makes the rest of the page inert (so
// focus stays inside), Escape asks to close, and focus goes back where it was when the dialog
// closes. Mount it to open it; unmount it to close it. Used by the demo gallery and the editor.
import { useEffect, useId, useRef, type ReactNode } from 'react';

export interface DialogProps {
  /** The dialog's accessible name, shown as its heading. */
  title: string;
  /** Escape, the close button: the owner decides (it may ask first, or unmount the dialog). */
  onClose(): void;
  children: ReactNode;
  /** Extra content in the header, before the close button. */
  actions?: ReactNode;
  /** Width classes; defaults to a comfortable reading width. */
  size?: 'medium' | 'large';
  /** Element id of a description (aria-describedby). */
  describedBy?: string;
}

export function Dialog({ title, onClose, children, actions, size = 'medium', describedBy }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  useEffect(() => {
    onCloseRef.current = onClose;
  });

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    // The browser may still close it (a close request it did not let us refuse): tell the owner.
    // The close event is queued, so one from an earlier close() may arrive after a re-open
    // (React's StrictMode mounts twice): only a dialog that is closed now counts.
    const closed = () => {
      if (!dialog.open) onCloseRef.current();
    };
    dialog.addEventListener('close', closed);
    return () => {
      dialog.removeEventListener('close', closed);
      if (dialog.open) dialog.close();
      if (previous?.isConnected) previous.focus();
    };
  }, []);

  // Mounted means open: if the browser closed it and the owner kept it (say, to ask "discard
  // your changes?"), its next render opens it again.
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && dialog.isConnected && !dialog.open) dialog.showModal();
  });

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={describedBy}
      // Escape is a request: the owner decides. Handling the keydown keeps the browser from
      // closing the dialog behind React's back.
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !e.defaultPrevented) {
          e.preventDefault();
          e.stopPropagation();
          onClose();
        }
      }}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      // Below 640 px a dialog takes the whole screen (its Close button always in view).
      className={`m-0 h-dvh max-h-dvh w-screen max-w-[100vw] flex-col overflow-hidden rounded-none border-slate-200 bg-white p-0 text-slate-900 shadow-2xl backdrop:bg-slate-950/60 open:flex open:flex-col sm:m-auto sm:max-h-[calc(100dvh-2rem)] sm:w-[calc(100vw-2rem)] sm:rounded-xl sm:border dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100 ${
        size === 'large' ? 'sm:h-[calc(100dvh-2rem)] sm:max-w-[1400px]' : 'sm:h-auto sm:max-w-5xl'
      }`}
    >
      <header className="flex shrink-0 items-center gap-3 border-b border-slate-200 px-5 py-3 dark:border-slate-700">
        <h2 id={titleId} className="text-lg font-semibold tracking-tight">
          {title}
        </h2>
        <div className="ml-auto flex items-center gap-2">
          {actions}
          <button
            type="button"
            onClick={onClose}
            className="rounded-md p-1.5 text-slate-600 hover:bg-slate-100 hover:text-slate-900 dark:text-slate-300 dark:hover:bg-slate-800 dark:hover:text-white"
          >
            <svg aria-hidden="true" viewBox="0 0 20 20" className="size-5" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round">
              <path d="M5 5l10 10M15 5L5 15" />
            </svg>
            <span className="sr-only">Close</span>
          </button>
        </div>
      </header>
      <div className="min-h-0 flex-1 overflow-auto">{children}</div>
    </dialog>
  );
}
