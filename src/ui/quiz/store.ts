// The quiz's own small store (a view preference, like playback): on or off, the score, and what the
// last answer was. Answering steps to the answer through the session store, like Next callback.
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { TraceEntry } from '../../engine/trace.ts';
import { sessionStore } from '../../store/session.ts';
import type { Question } from './quiz.ts';

export interface Feedback {
  right: boolean;
  question: Question;
  /** The option picked. */
  picked: string;
  /** The run it was asked in (a new run makes it stale). */
  trace: readonly TraceEntry[];
}

interface QuizState {
  on: boolean;
  asked: number;
  right: number;
  feedback: Feedback | null;
}

export const quizStore = createStore<QuizState>()(() => ({ on: false, asked: 0, right: 0, feedback: null }));

export const useQuiz = <T,>(select: (q: QuizState) => T): T => useStore(quizStore, select);

/** Turn the quiz on (with a fresh score) or off. */
export function setQuiz(on: boolean): void {
  quizStore.setState({ on, asked: 0, right: 0, feedback: null });
}

/** Score the pick, then show the answer: step to the entry where it happens. */
export function answer(question: Question, picked: string): void {
  const s = sessionStore.getState();
  const right = picked === question.answer;
  quizStore.setState((q) => ({
    asked: q.asked + 1,
    right: q.right + (right ? 1 : 0),
    feedback: { right, question, picked, trace: s.trace },
  }));
  s.seek(question.reveal);
}
