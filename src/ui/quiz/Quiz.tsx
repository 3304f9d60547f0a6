// "Predict, then see" on the page: the "Quiz me" toggle (in the stepper, after the current entry)
// and, while it is on, the question for the next callback (above the Explanation in three columns,
// above the step controls in one). Picking an option scores it and steps to the answer (the same
// move as Next callback); the next question follows at once.
import { useId, useMemo } from 'react';
import type { TraceEntry } from '../../engine/trace.ts';
import { useSession } from '../../store/session.ts';
import { useCatalog } from '../panels/catalog.ts';
import { questionAt } from './quiz.ts';
import { answer, setQuiz, useQuiz, type Feedback } from './store.ts';

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

function FeedbackText({ feedback, trace }: { feedback: Feedback; trace: readonly TraceEntry[] }) {
  const catalog = useCatalog();
  const { question, picked, right } = feedback;
  const step = question.reveal + 1;
  const entry: TraceEntry | undefined = trace[question.reveal];
  const rule = entry?.rule && catalog ? catalog.rule(entry.rule) : null;
  const label = (id: string) => question.options.find((o) => o.id === id)?.label ?? id;
  const what =
    question.kind === 'thread'
      ? `At step ${step} the scheduler runs ${question.answer}: ${question.runnable ?? question.options.length} threads could run, and this run picks ${question.answer} (pick another one in Threads to see the other order).`
      : `Step ${step}: ${label(question.answer)} runs next.`;
  return (
    <>
      <span className={`font-semibold ${right ? 'text-emerald-800 dark:text-emerald-300' : 'text-red-800 dark:text-red-300'}`}>{right ? 'Right.' : 'Not quite.'}</span>{' '}
      {!right && <>You said {label(picked)}. </>}
      {what}
      {entry?.rule && (
        <>
          {' '}
          <span className="font-medium">
            {entry.verdict === 'breaks' ? 'It breaks' : 'Rule'} {entry.rule}
            {rule ? `: ${rule.title}.` : '.'}
          </span>
        </>
      )}
    </>
  );
}

export function QuizPanel() {
  const on = useQuiz((q) => q.on);
  const asked = useQuiz((q) => q.asked);
  const right = useQuiz((q) => q.right);
  const feedback = useQuiz((q) => q.feedback);
  const trace = useSession((s) => s.trace);
  const choices = useSession((s) => s.choices);
  const cursor = useSession((s) => s.cursor);
  const question = useMemo(() => (on ? questionAt(trace, choices, cursor) : null), [on, trace, choices, cursor]);
  const id = useId();
  if (!on) return null;
  const shownFeedback = feedback && feedback.trace === trace ? feedback : null;
  return (
    <section
      aria-labelledby={`${id}-title`}
      className="pnp-quiz max-h-[40%] shrink-0 overflow-y-auto border-y border-violet-300 bg-violet-50 px-3 py-2 text-[13px] text-slate-900 dark:border-violet-800 dark:bg-slate-900 dark:text-slate-100"
    >
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <h2 id={`${id}-title`} className="text-xs font-semibold uppercase tracking-wide text-violet-900 dark:text-violet-200">
          Predict, then see
        </h2>
        <p data-testid="quiz-score" className="ml-auto tabular-nums text-slate-700 dark:text-slate-300">
          Score: {right} of {asked}
        </p>
      </div>
      <p role="status" data-testid="quiz-feedback" className="mt-1 leading-snug empty:hidden">
        {shownFeedback && <FeedbackText feedback={shownFeedback} trace={trace} />}
      </p>
      {question ? (
        <div role="group" aria-labelledby={`${id}-prompt`} className="mt-1.5">
          <p className="font-medium">
            <span id={`${id}-prompt`}>{question.prompt}</span>
            {question.kind === 'thread' && <span className="font-normal text-slate-700 dark:text-slate-300"> {question.runnable} threads are runnable.</span>}
          </p>
          <ul className="mt-1 grid gap-1 sm:max-lg:grid-cols-2 xl:grid-cols-2">
            {question.options.map((o) => (
              <li key={o.id} className="min-w-0">
                <button
                  type="button"
                  aria-label={o.label}
                  onClick={() => answer(question, o.id)}
                  className="w-full rounded-md border border-violet-300 bg-white px-2 py-0.5 text-left leading-snug text-slate-900 [overflow-wrap:break-word] hover:border-violet-500 hover:bg-violet-100 dark:border-violet-700 dark:bg-slate-800 dark:text-slate-100 dark:hover:bg-slate-700"
                >
                  <span className="block font-mono text-[11px] text-slate-600 dark:text-slate-300">{o.who}</span>
                  {o.what && <span className="block text-[12.5px] font-medium">{o.what}</span>}
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <p className="mt-1.5 text-slate-700 dark:text-slate-300">No callback runs after this step. Go back (Reset, or Previous callback) to be asked again.</p>
      )}
    </section>
  );
}
