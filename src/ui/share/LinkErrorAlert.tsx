// The alert for a link that did not open: what is wrong, precisely, and a way back to the work the
// person had before. Everything from the link is rendered as text (React escapes it).
import type { LinkError } from '../../scenario/linkText.ts';
import { describeLinkError } from './linkError.ts';

export interface LinkErrorAlertProps {
  error: LinkError;
  /** Is there a previous scenario to go back to? */
  hasPrevious: boolean;
  onRestorePrevious(): void;
  onDismiss(): void;
  /** What the page shows instead, if the owner wants to say it (url.ts BadLink.fallback). */
  fallback?: 'current' | 'last' | 'demo';
}

const SHOWING = {
  current: 'Your current scenario is unchanged.',
  last: 'The page shows the last scenario you had open instead.',
  demo: 'The page shows the built-in demo instead.',
} as const;

export function LinkErrorAlert({ error, hasPrevious, onRestorePrevious, onDismiss, fallback }: LinkErrorAlertProps) {
  const text = describeLinkError(error);
  return (
    <div
      role="alert"
      className="rounded-lg border border-red-300 bg-red-50 p-4 text-sm text-red-950 shadow-sm dark:border-red-800 dark:bg-red-950/60 dark:text-red-100"
    >
      <div className="flex gap-3">
        <svg aria-hidden="true" viewBox="0 0 20 20" className="mt-0.5 size-5 shrink-0 text-red-700 dark:text-red-400" fill="currentColor">
          <path d="M10 1.8 19 18H1L10 1.8Zm-.9 5.7v5h1.8v-5H9.1Zm0 6.5V15.8h1.8V14H9.1Z" />
        </svg>
        <div className="min-w-0 flex-1 space-y-2">
          <p className="font-semibold">{text.title}</p>
          <p>{text.help}</p>
          {text.errors.length > 0 && (
            <ul className="list-disc space-y-0.5 pl-5 font-mono text-xs">
              {text.errors.map((e, i) => (
                <li key={i} className="break-words">
                  <span className="font-semibold">{e.path || '/'}</span>: {e.message}
                </li>
              ))}
              {text.more > 0 && (
                <li className="list-none font-sans text-sm">
                  and {text.more} more {text.more === 1 ? 'problem' : 'problems'}
                </li>
              )}
            </ul>
          )}
          {text.detail && <p className="break-words text-xs text-red-900 dark:text-red-200">Details: {text.detail}</p>}
          {fallback && <p>{SHOWING[fallback]}</p>}
          <div className="flex flex-wrap gap-2 pt-1">
            {hasPrevious && (
              <button
                type="button"
                onClick={onRestorePrevious}
                className="rounded-md bg-red-800 px-3 py-1.5 text-sm font-medium text-white shadow-sm hover:bg-red-900 dark:bg-red-700 dark:hover:bg-red-600"
              >
                Go back to your previous scenario
              </button>
            )}
            <button
              type="button"
              onClick={onDismiss}
              className="rounded-md border border-red-300 bg-white px-3 py-1.5 text-sm font-medium text-red-900 hover:bg-red-100 dark:border-red-700 dark:bg-transparent dark:text-red-100 dark:hover:bg-red-900"
            >
              Dismiss
            </button>
          </div>
        </div>
      </div>
    </div>
  );
}
