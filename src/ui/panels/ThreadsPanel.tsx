// Every simulated thread: state (runnable / blocked on what / idle / done), IRQL and call stack,
// innermost frame first; at a choice point, the thread picker.
import { memo, useId, useMemo, useState } from 'react';
import type { ChoicePoint } from '../../engine/index.ts';
import type { FrameView, ThreadView } from '../../engine/snapshot.ts';
import type { PanelProps } from './types.ts';
import { Badge, BUTTON, PanelFrame, THREAD_STATE_CLASS } from './ui.tsx';
import { dictOf } from '../../engine/dict.ts';

const IRQL_SHORT: Readonly<Record<string, string>> = dictOf({ PASSIVE_LEVEL: 'PASSIVE', APC_LEVEL: 'APC', DISPATCH_LEVEL: 'DISPATCH' });

function Frame({ frame, onSeek }: { frame: FrameView; onSeek(seq: number): void }) {
  const routine = frame.routine !== undefined;
  return (
    <li className="flex min-w-0 items-baseline gap-2 py-px font-mono text-xs">
      <button
        type="button"
        onClick={() => onSeek(frame.seq)}
        aria-label={`Go to step ${frame.seq + 1}`}
        className="w-12 shrink-0 text-right tabular-nums text-slate-500 hover:text-sky-700 hover:underline dark:text-slate-400 dark:hover:text-sky-300"
      >
        #{frame.seq + 1}
      </button>
      {routine ? (
        <span className="min-w-0 truncate text-violet-800 dark:text-violet-300" title={`${frame.component}!${frame.routine}`}>
          {frame.component}!{frame.routine}
        </span>
      ) : (
        <span className="min-w-0 truncate text-sky-800 dark:text-sky-300" title={`${frame.component} → ${frame.api}`}>
          → {frame.api}
        </span>
      )}
      {frame.registration && (
        <Badge className="bg-violet-100 text-violet-900 dark:bg-violet-950 dark:text-violet-200" title={`Callback of registration ${frame.registration}`}>
          callback {frame.registration}
        </Badge>
      )}
      {!routine && <span className="shrink-0 text-[11px] text-slate-500 dark:text-slate-400">API</span>}
    </li>
  );
}

const Thread = memo(function Thread({ thread, current, onSeek }: { thread: ThreadView; current: boolean; onSeek(seq: number): void }) {
  const frames = [...thread.stack].reverse();
  return (
    <li
      aria-current={current ? 'true' : undefined}
      className={`border-l-4 px-3 py-1.5 ${current ? 'border-sky-600 bg-sky-50 dark:border-sky-400 dark:bg-sky-950/50' : 'border-transparent'}`}
    >
      <div className="flex flex-wrap items-center gap-x-2 gap-y-0.5">
        <span className="font-mono text-xs font-semibold">{thread.name}</span>
        <Badge className={THREAD_STATE_CLASS[thread.state] ?? THREAD_STATE_CLASS.idle}>{thread.state}</Badge>
        {current && <span className="text-[11px] font-medium text-sky-800 dark:text-sky-300">current</span>}
        <span className="ml-auto font-mono text-[11px] text-slate-600 dark:text-slate-400" title={`IRQL ${thread.irql}`}>
          IRQL {IRQL_SHORT[thread.irql] ?? thread.irql}
        </span>
      </div>
      {thread.state === 'blocked' && thread.on && (
        <p className="mt-0.5 text-xs text-red-800 dark:text-red-300">waits for {thread.on}</p>
      )}
      {frames.length > 0 ? (
        <ol aria-label={`Call stack of ${thread.name}, innermost first`} className="mt-0.5">
          {frames.map((f) => (
            <Frame key={f.seq} frame={f} onSeek={onSeek} />
          ))}
        </ol>
      ) : (
        <p className="mt-0.5 text-xs text-slate-500 dark:text-slate-400">empty call stack</p>
      )}
    </li>
  );
});

function ChoicePicker({ choice, onPickThread }: { choice: ChoicePoint; onPickThread(thread: string): void }) {
  const id = useId();
  return (
    <div role="group" aria-labelledby={`${id}-title`} className="border-b border-amber-300 bg-amber-50 px-3 py-2 dark:border-amber-800 dark:bg-amber-950/50">
      <p id={`${id}-title`} className="text-xs font-semibold text-amber-950 dark:text-amber-100">
        Choice point: pick the thread that runs next
      </p>
      <p className="mt-0.5 text-xs text-amber-900 dark:text-amber-200">
        {choice.runnable.length} threads can run at step #{choice.at + 1}. Picking another one re-runs the scenario with that choice.
      </p>
      <ul className="mt-1.5 flex flex-wrap gap-2">
        {choice.runnable.map((t) => (
          <li key={t} className="flex items-center gap-1">
            <button
              type="button"
              aria-pressed={t === choice.chosen}
              onClick={() => onPickThread(t)}
              className={`${BUTTON} font-mono ${t === choice.chosen ? 'border-amber-600 ring-1 ring-amber-600 dark:border-amber-400 dark:ring-amber-400' : ''}`}
            >
              Run {t} next
            </button>
            {t === choice.chosen && <span className="text-[11px] font-medium text-amber-900 dark:text-amber-200">(this run)</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function ThreadsPanel({ trace, cursor, snapshot, choices, onSeek, onPickThread }: PanelProps) {
  const [showDone, setShowDone] = useState(false);
  const choiceAt = useMemo(() => new Map(choices.map((c) => [c.at, c])), [choices]);
  const choice = choiceAt.get(cursor + 1);
  const currentThread = cursor >= 0 && cursor < trace.length ? trace[cursor].thread : null;
  const threads = snapshot ? Object.values(snapshot.threads) : [];
  const done = threads.filter((t) => t.state === 'done').length;
  const shown = showDone ? threads : threads.filter((t) => t.state !== 'done');
  const toggleId = useId();

  return (
    <PanelFrame
      title="Threads"
      subtitle={snapshot ? `${threads.length - done} live${done > 0 ? `, ${done} finished` : ''}` : undefined}
      actions={
        done > 0 ? (
          <label htmlFor={toggleId} className="flex items-center gap-1 text-xs text-slate-700 dark:text-slate-300">
            <input id={toggleId} type="checkbox" checked={showDone} onChange={(e) => setShowDone(e.target.checked)} className="accent-sky-600" />
            Show finished
          </label>
        ) : undefined
      }
      bodyClassName="overflow-auto"
    >
      {choice && <ChoicePicker choice={choice} onPickThread={onPickThread} />}
      {!snapshot ? (
        <p className="p-3 text-xs text-slate-600 dark:text-slate-400">Loading…</p>
      ) : shown.length === 0 ? (
        <p className="p-3 text-xs text-slate-600 dark:text-slate-400">No thread has run yet. Step forward to start the simulation.</p>
      ) : (
        <ul aria-label="Simulated threads" className="divide-y divide-slate-100 dark:divide-slate-800">
          {shown.map((t) => (
            <Thread key={t.name} thread={t} current={t.name === currentThread} onSeek={onSeek} />
          ))}
        </ul>
      )}
    </PanelFrame>
  );
}
