// Two outcomes of the explorer side by side (docs/explore.md): each outcome's schedule is run in a
// worker of its own (the page's engine worker keeps the run being stepped), and the two runs are
// drawn as sequence diagrams (SequenceDiagram) from the same first message, so their rows line up;
// the first message that differs is marked "First difference" in both and scrolled into view, and
// scrolling one diagram scrolls the other.
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { OutcomeReport } from '../../engine/explore/index.ts';
import type { TraceEntry } from '../../engine/trace.ts';
import type { NormalizedScenario } from '../../scenario/types.ts';
import { traceView } from '../../trace/view.ts';
import { EngineClient } from '../../worker/client.ts';
import { LAYOUT, WINDOW, firstDifference, sequenceModel, sequenceSlice, type SequenceModel } from './sequence.ts';
import { SequenceDiagram, rowTop, useSequenceLayout } from './SequenceDiagram.tsx';
import { BUTTON } from './ui.tsx';

/** Messages drawn above the first difference, for context. */
const CONTEXT = 40;

/** The comparison's own engine worker (started on the first comparison). */
let client: EngineClient | null = null;

export interface ComparedOutcome {
  /** 1-based number of the outcome in the Interleavings table. */
  number: number;
  outcome: OutcomeReport;
}

interface Run {
  scenario: NormalizedScenario;
  trace: readonly TraceEntry[];
}

type Loaded = { status: 'loading' } | { status: 'failed'; message: string } | { status: 'done'; runs: [Run, Run] };

/** A finished load, with the pair it was for. */
type Finished = { for: readonly [OutcomeReport, OutcomeReport] } & Loaded;

async function runOutcome(scenario: NormalizedScenario, outcome: OutcomeReport): Promise<Run> {
  client ??= new EngineClient();
  const response = await client.run({ ...scenario, schedule: outcome.schedule });
  if (response.type === 'result') return { scenario: response.scenario, trace: traceView(response.trace, response.index) };
  throw new Error(response.type === 'invalid' ? response.errors.map((e) => e.message).join('; ') : response.message);
}

const describe = ({ number, outcome }: ComparedOutcome) =>
  `Outcome ${number}: ${outcome.halt}${outcome.hazards.length > 0 ? `, ${outcome.hazards.map((h) => h.split(':')[0]).join(', ')}` : ''}`;

function Side({
  compared, model, start, end, mark,
}: {
  compared: ComparedOutcome;
  model: SequenceModel;
  start: number;
  end: number;
  mark: number;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const win = useMemo(() => sequenceSlice(model, start, end), [model, start, end]);
  const layout = useSequenceLayout(win, scroller, win.items.length === 0);
  // Scroll the first difference into view, a few rows below the lane headers.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || mark < 0 || mark >= layout.rows.length) return;
    el.scrollTop = Math.max(0, rowTop(layout, mark, win.hidden > 0) - LAYOUT.headerHeight - LAYOUT.rowHeight * 3);
  }, [layout, mark, win]);
  const title = describe(compared);
  const at = mark >= 0 && mark < win.items.length ? win.items[mark] : null;
  return (
    <div className="flex min-w-0 flex-col border border-slate-200 dark:border-slate-700">
      {/* One line whatever the hazards, so both diagrams start at the same height and their rows line up. */}
      <h3 title={title} className="truncate border-b border-slate-200 bg-slate-50 px-2 py-1 text-xs font-semibold dark:border-slate-700 dark:bg-slate-800/60">
        {title}
      </h3>
      <SequenceDiagram
        ref={scroller}
        win={win}
        layout={layout}
        title={`${title}: ${win.items.length} messages${at ? `; first difference at #${at.seq + 1} ${at.label}` : ''}.`}
        onSeek={() => undefined}
        showCurrent={false}
        mark={mark}
        className="h-80"
      />
    </div>
  );
}

export function CompareOutcomes({ scenario, pair, onClose }: { scenario: NormalizedScenario; pair: [ComparedOutcome, ComparedOutcome]; onClose(): void }) {
  const [a, b] = pair;
  const [finished, setFinished] = useState<Finished | null>(null);
  const loaded: Loaded = finished && finished.for[0] === a.outcome && finished.for[1] === b.outcome ? finished : { status: 'loading' };
  useEffect(() => {
    let live = true;
    const key = [a.outcome, b.outcome] as const;
    // One after the other: the worker keeps one run at a time.
    void (async () => {
      try {
        const first = await runOutcome(scenario, a.outcome);
        const second = await runOutcome(scenario, b.outcome);
        if (live) setFinished({ for: key, status: 'done', runs: [first, second] });
      } catch (err) {
        if (live) setFinished({ for: key, status: 'failed', message: err instanceof Error ? err.message : String(err) });
      }
    })();
    return () => {
      live = false;
    };
  }, [scenario, a.outcome, b.outcome]);

  const runs = loaded.status === 'done' ? loaded.runs : null;
  const models = useMemo(() => (runs ? (runs.map((r) => sequenceModel(r.scenario, r.trace)) as [SequenceModel, SequenceModel]) : null), [runs]);
  // Bring the comparison into view once it is drawn (it sits under the outcomes table).
  const section = useRef<HTMLElement>(null);
  useEffect(() => {
    if (models) section.current?.scrollIntoView({ block: 'nearest' });
  }, [models]);
  const diff = models ? firstDifference(models[0].items, models[1].items) : -1;
  // Both diagrams start at the same message (the runs are the same up to the difference), so rows line up.
  const start = Math.max(0, diff - CONTEXT);

  return (
    <section ref={section} aria-label="Compare outcomes" className="space-y-2 border-t border-slate-200 pt-2 dark:border-slate-700">
      <div className="flex flex-wrap items-center gap-2">
        <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-700 dark:text-slate-200">
          Outcome {a.number} and outcome {b.number}
        </h3>
        <button type="button" className={`${BUTTON} ml-auto`} onClick={onClose}>
          Close comparison
        </button>
      </div>
      <p aria-live="polite" className="text-xs text-slate-600 dark:text-slate-400">
        {loaded.status === 'loading' && 'Running both schedules…'}
        {loaded.status === 'failed' && `Could not run the schedules: ${loaded.message}`}
        {models &&
          (diff < 0
            ? 'The two runs draw the same messages; they differ only in what the diagram leaves out (see the trace).'
            : `The runs are the same up to message ${diff + 1}; the first difference is marked in both.`)}
      </p>
      {models && (
        // Scrolling one diagram up or down scrolls the other to the same rows.
        <div
          className="grid grid-cols-2 gap-2"
          onScrollCapture={(e) => {
            const from = e.target as HTMLElement;
            for (const el of e.currentTarget.querySelectorAll<HTMLElement>('[data-diagram]')) if (el !== from && el.scrollTop !== from.scrollTop) el.scrollTop = from.scrollTop;
          }}
        >
          <Side compared={a} model={models[0]} start={start} end={Math.min(models[0].items.length, start + WINDOW)} mark={diff - start}  />
          <Side compared={b} model={models[1]} start={start} end={Math.min(models[1].items.length, start + WINDOW)} mark={diff - start}  />
        </div>
      )}
    </section>
  );
}
