// "Predict, then see": before the next callback the page asks which callback runs next (or, when
// a choice point comes first, which thread the scheduler runs), offers a few plausible answers read
// from the trace itself, then shows the answer by stepping to it. Nothing here knows a demo: the
// right answer is the trace's next callback (or the choice point's chosen thread) and the
// distractors are other callbacks of the same run (or the other runnable threads).
import type { ChoicePoint, NextStep } from '../../engine/engine.ts';
import type { EntryOf, TraceEntry } from '../../engine/trace.ts';
import { notificationCaption } from '../graph/derive.ts';
import { callbackSeqs, nextOf } from '../stepper/model.ts';

export interface QuizOption {
  /** Stable within a question: the callback's label, or the thread's name. */
  id: string;
  /** The option's text (also its accessible name): `${who} — ${what}`. */
  label: string;
  /** Who runs: `component!routine`, or the thread. */
  who: string;
  /** What: the notification, or what the thread would do. */
  what: string;
}

export interface Question {
  kind: 'callback' | 'thread';
  prompt: string;
  options: QuizOption[];
  /** The id of the right option. */
  answer: string;
  /** The entry that shows the answer: the callback's invoke, or the chosen thread's first entry. */
  reveal: number;
  /** For a thread question: how many threads could run. */
  runnable?: number;
}

/** At most this many options (the right one included). */
export const MAX_OPTIONS = 4;
/** The wrong option offered when a run has a single kind of callback: there is always a next one. */
export const NO_MORE_CALLBACKS = 'No other callback runs in this run';
/** How far from the answer (in callbacks, either side) distractors are looked for. */
const DISTRACTOR_REACH = 200;

const option = (id: string, who: string, what: string): QuizOption => ({ id, who, what, label: what ? `${who} — ${what}` : who });

/** The callback an invoke entry starts: "sampledrv!SyncProcessorCallback" and "KeProcessorAddStartNotify · CPU 2". */
function callbackOption(e: EntryOf<'invoke'>): QuizOption {
  const who = `${e.component}!${e.routine}`;
  const what = notificationCaption(e.args);
  return option(`${who} — ${what}`, who, what);
}

/** "sampledrv!SyncProcessorCallback — KeProcessorAddStartNotify · CPU 2". */
export function callbackLabel(e: EntryOf<'invoke'>): string {
  return callbackOption(e).label;
}

/** "pnp" and "continues QueryAndRemove": the thread and what it would do if it ran. */
function threadOption(next: NextStep): QuizOption {
  const what =
    next.does === 'start'
      ? `starts ${next.job ?? 'its next job'}`
      : next.does === 'continue'
        ? `continues ${next.job ?? next.routine ?? 'its work'}`
        : `runs ${next.routine ?? 'its code'}${next.what ? ` (${next.what})` : ''}`;
  return option(next.thread, next.thread, what);
}

/**
 * Other callbacks of the run, nearest to the answer first (the previous and the following ones are
 * the plausible mistakes), each label once, none equal to the answer.
 */
function distractors(trace: readonly TraceEntry[], seqs: readonly number[], at: number, answer: string, want: number): QuizOption[] {
  const i = seqs.indexOf(at);
  const out: QuizOption[] = [];
  for (let d = 1; d <= DISTRACTOR_REACH && out.length < want; d++) {
    for (const j of [i - d, i + d]) {
      if (j < 0 || j >= seqs.length || out.length >= want) continue;
      const e = trace[seqs[j]];
      if (e.type !== 'invoke') continue;
      const o = callbackOption(e);
      if (o.id !== answer && !out.some((d) => d.id === o.id)) out.push(o);
    }
  }
  return out;
}

/**
 * The question to ask at `cursor`, or null when no callback follows. A choice point between the
 * cursor and the next callback is asked first (which thread runs); then the callback itself.
 */
export function questionAt(trace: readonly TraceEntry[], choices: readonly ChoicePoint[], cursor: number): Question | null {
  const seqs = callbackSeqs(trace);
  const next = nextOf(seqs, cursor);
  if (next === null) return null;
  const choice = choices.find((c) => c.at > cursor && c.at <= next && c.runnable.length > 1 && c.at < trace.length);
  if (choice) {
    const others = choice.next.filter((n) => n.thread !== choice.chosen).slice(0, MAX_OPTIONS - 1);
    const shown = choice.next.filter((n) => n.thread === choice.chosen || others.includes(n));
    return {
      kind: 'thread',
      prompt: 'Which thread runs next?',
      options: shown.map(threadOption),
      answer: choice.chosen,
      reveal: choice.at,
      runnable: choice.runnable.length,
    };
  }
  const e = trace[next];
  if (e.type !== 'invoke') return null;
  const right = callbackOption(e);
  const wrong = distractors(trace, seqs, next, right.id, MAX_OPTIONS - 1);
  if (wrong.length === 0) wrong.push(option(NO_MORE_CALLBACKS, NO_MORE_CALLBACKS, ''));
  return {
    kind: 'callback',
    prompt: 'Which callback runs next?',
    // Sorted, so the right answer's place says nothing.
    options: [right, ...wrong].sort((a, b) => a.label.localeCompare(b.label)),
    answer: right.id,
    reveal: next,
  };
}
