// "Predict, then see" on the page: the "Quiz me" toggle is in QuizToggle.tsx (in the stepper, after
// the current entry). While the quiz is on, the question for the next callback (above the Explanation
// in three columns, above the step controls in one). Picking an option scores it and steps to the answer (the same
// move as Next callback); the next question follows at once.
import { useId, useMemo } from 'react';
import type { TraceEntry } from '../../engine/trace.ts';
import { useSession } from '../../store/session.ts';
import { useCatalog } from '../panels/catalog.ts';
import { questionAt } from './quiz.ts';
import { answer, useQuiz, type Feedback } from './store.ts';

export function QuizPanel() {
  const on = useQuiz((q) => q.on);
  const asked = useQuiz((q) => q.asked);
  const right = useQuiz((q) => q.right);
  const feedback = useQuiz((q) => q.feedback);
  const trace = useSession((s) => s.trace);
  // The question reads the entries ahead of the cursor: asked once the trace is whole.
  const whole = useSession((s) => s.traceWhole);
  const choices = useSession((s) => s.choices);
  const cursor = useSession((s) => s.cursor);
  const question = useMemo(() => (on && whole ? questionAt(trace, choices, cursor) : null), [on, whole, trace, choices, cursor]);
  const id = useId();
  if (!on || !whole) return null;
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
