// The "Quiz me" toggle of "Predict, then see" (in the stepper, after the current entry). The quiz
// itself (Quiz.tsx) loads on demand once the toggle is on.
import { useSession } from '../../store/session.ts';
import { setQuiz, useQuiz } from './store.ts';

export function QuizToggle() {
  const on = useQuiz((q) => q.on);
  const empty = useSession((s) => s.trace.length === 0);
  return (
    <button
      type="button"
      aria-pressed={on}
      onClick={() => setQuiz(!on)}
      disabled={empty}
      title={on ? 'Stop the quiz' : 'Before each callback, guess which one runs next'}
      className={`pnp-step-btn ml-auto inline-flex h-6 shrink-0 items-center gap-1 whitespace-nowrap rounded-md border px-2 text-[12px] font-medium shadow-sm disabled:cursor-not-allowed disabled:opacity-50 ${
        on
          ? 'border-violet-600 bg-violet-600 text-white hover:bg-violet-700 dark:border-violet-400 dark:bg-violet-500 dark:text-slate-950 dark:hover:bg-violet-400'
          : 'border-slate-300 bg-white text-slate-800 hover:bg-slate-50 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-100 dark:hover:bg-slate-700'
      }`}
    >
      <svg aria-hidden="true" viewBox="0 0 16 16" className="size-3.5 shrink-0 fill-current">
        <path d="M8 1a7 7 0 1 0 0 14A7 7 0 0 0 8 1zm.9 11.2H7.1v-1.7h1.8zm1.8-5.6c-.3.5-.8.9-1.3 1.2-.4.3-.5.5-.5 1v.3H7.2v-.4c0-.8.3-1.3.9-1.7.5-.3.8-.6.8-1 0-.5-.4-.8-1-.8s-1 .3-1.1.9l-1.7-.2C5.3 3.9 6.4 3 8 3c1.7 0 2.9.9 2.9 2.3 0 .5-.1.9-.2 1.3z" />
      </svg>
      Quiz me
    </button>
  );
}
