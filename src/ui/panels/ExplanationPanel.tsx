// For the current entry: the rule the engine stamped on it, looked up in the catalogue, with its provenance
// shown next to it — a modelling choice is never dressed up as documented behaviour — and the
// scenario's narration up to this step. Notes are plain text, rendered as text.
import { useMemo } from 'react';
import type { Rule } from '../../engine/rules/catalog.ts';
import { useCatalog } from './catalog.ts';
import type { TraceEntry } from '../../engine/trace.ts';
import { describeEntry, sourceText } from './explain.ts';
import { brokenHeadline, runSummary } from './summary.ts';
import { lastAtOrBefore, noteSeqs } from './traceIndex.ts';
import type { PanelProps } from './types.ts';
import { useExplore } from '../../store/explore.ts';
import { useSession } from '../../store/session.ts';
import { entryLine } from '../stepper/numbering.ts';
import { Badge, PanelFrame, PROVENANCE_CLASS, SEVERITY_CLASS, VERDICT_OBEYS_CLASS } from './ui.tsx';

/** How many narration notes up to the cursor are shown (newest last). */
export const NARRATION_SHOWN = 3;

export function ProvenanceBadge({ r }: { r: Rule }) {
  const label = useCatalog()?.PROVENANCE_LABEL[r.provenance] ?? r.provenance;
  return (
    <Badge className={`border ${PROVENANCE_CLASS[r.provenance]}`} title={`Provenance: ${label}`}>
      <span className="sr-only">Provenance: </span>
      {label}
    </Badge>
  );
}

/** What the engine records when the rule is broken, per circumstance: reference text, in calm colours. */
function RuleCases({ r }: { r: Rule }) {
  const cases = Object.entries(r.cases);
  if (cases.length === 0) return null;
  return (
    <div className="text-xs text-slate-600 dark:text-slate-400">
      <h4 className="font-semibold">When broken</h4>
      <ul className="list-disc pl-4">
        {cases.map(([name, c]) => (
          <li key={name}>
            {c.severity}
            {c.bugcheck ? ` (bug check ${c.bugcheck})` : ''}: {c.when}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** "obeys UN-5" in a calm colour; what breaks a rule wears the severity of its hazard. */
export function VerdictBadge({ entry }: { entry: TraceEntry }) {
  if (!entry.rule || !entry.verdict) return null;
  if (entry.verdict === 'obeys') {
    return (
      <Badge className={VERDICT_OBEYS_CLASS} title={`This step follows rule ${entry.rule}`}>
        obeys {entry.rule}
      </Badge>
    );
  }
  const severity = entry.type === 'hazard' ? entry.severity : 'error';
  return (
    <Badge className={SEVERITY_CLASS[severity]} title={`This step breaks rule ${entry.rule}`}>
      breaks {entry.rule}
    </Badge>
  );
}

function RuleCard({ r }: { r: Rule }) {
  return (
    <article aria-labelledby={`rule-${r.id}`} className="space-y-2">
      <div className="flex flex-wrap items-center gap-2">
        <span className="rounded bg-slate-900 px-1.5 py-px font-mono text-xs font-bold text-white dark:bg-slate-100 dark:text-slate-900">{r.id}</span>
        <h3 id={`rule-${r.id}`} className="text-sm font-semibold leading-snug">
          {r.title}
        </h3>
        <ProvenanceBadge r={r} />
      </div>
      {r.provenanceNote && (
        <p className="rounded border border-dashed border-slate-300 px-2 py-1 text-xs leading-relaxed text-slate-700 dark:border-slate-600 dark:text-slate-300">
          <span className="font-semibold">What is documented, what is not: </span>
          {r.provenanceNote}
        </p>
      )}
      <p className="leading-relaxed text-slate-800 dark:text-slate-200">{r.explanation}</p>
      <p className="text-xs text-slate-600 dark:text-slate-400">
        Source: <cite className="not-italic font-medium text-slate-800 dark:text-slate-200">{sourceText(r)}</cite>
        <span aria-hidden="true"> · </span>
        <span className="sr-only">, </span>
        {r.section}
      </p>
      <RuleCases r={r} />
    </article>
  );
}

function Narration({ trace, cursor, description, onSeek }: { trace: PanelProps['trace']; cursor: number; description: string; onSeek(seq: number): void }) {
  const seqs = useMemo(() => noteSeqs(trace), [trace]);
  const k = lastAtOrBefore(seqs, cursor);
  const shown = k < 0 ? [] : seqs.slice(Math.max(0, k - NARRATION_SHOWN + 1), k + 1);
  return (
    <section aria-label="Narration" className="border-t border-slate-200 pt-2 dark:border-slate-700">
      <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-400">Narration</h3>
      {shown.length === 0 ? (
        <p className="mt-1 leading-relaxed text-slate-700 dark:text-slate-300">{description || 'The scenario has no narration yet at this step.'}</p>
      ) : (
        <ol className="mt-1 space-y-1">
          {shown.map((seq) => {
            const e = trace[seq] as Extract<TraceEntry, { type: 'note' }>;
            const latest = seq === seqs[k];
            return (
              <li key={seq} className={`flex gap-2 ${latest ? 'text-slate-900 dark:text-slate-100' : 'text-slate-600 dark:text-slate-400'}`}>
                <button
                  type="button"
                  onClick={() => onSeek(seq)}
                  aria-label={`Go to step ${seq + 1}`}
                  className="shrink-0 font-mono text-xs tabular-nums text-slate-500 hover:text-sky-700 hover:underline dark:text-slate-400 dark:hover:text-sky-300"
                >
                  #{seq + 1}
                </button>
                <p className={`leading-relaxed ${latest ? 'font-medium' : ''}`}>
                  {e.component && <span className="font-mono text-xs text-slate-500 dark:text-slate-400">{e.component}: </span>}
                  {e.text}
                </p>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

/** At the end of a run: what broke (each a link to its step) and what was obeyed. */
export function RunSummaryView({ trace, onSeek }: { trace: PanelProps['trace']; onSeek(seq: number): void }) {
  const s = runSummary(trace);
  return (
    <section aria-label="Run summary" data-testid="run-summary" className="space-y-2 rounded-lg border border-slate-300 p-2.5 dark:border-slate-600">
      <h3 className="text-sm font-semibold">Run summary: {brokenHeadline(s)}</h3>
      {s.broken.length > 0 && (
        <ol aria-label="What broke" className="space-y-1.5">
          {s.broken.map((b) => (
            <li key={b.seq} className="flex flex-wrap items-baseline gap-x-2 gap-y-0.5">
              <span className="font-mono text-xs font-bold">{b.rule}</span>
              <Badge className={SEVERITY_CLASS[b.severity]}>{b.severity}</Badge>
              {b.bugcheck && <span className="font-mono text-xs">bug check {b.bugcheck}</span>}
              <button
                type="button"
                onClick={() => onSeek(b.seq)}
                aria-label={`Go to step ${b.seq + 1}: ${b.rule} ${b.severity}`}
                className="text-xs font-medium text-sky-800 underline underline-offset-2 hover:text-sky-950 dark:text-sky-300 dark:hover:text-sky-100"
              >
                Go to step {b.seq + 1}
              </button>
              {b.message && <p className="basis-full text-xs leading-relaxed text-slate-700 dark:text-slate-300">{b.message}</p>}
            </li>
          ))}
        </ol>
      )}
      {s.obeyed.length > 0 && (
        <div>
          <h4 className="text-xs font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-400">Obeyed</h4>
          <ul aria-label="What was obeyed" className="mt-1 flex flex-wrap gap-1.5">
            {s.obeyed.map((o) => (
              <li key={o.rule}>
                <button
                  type="button"
                  onClick={() => onSeek(o.first)}
                  title={`First at step ${o.first + 1}`}
                  aria-label={`${o.rule}${o.count > 1 ? ` ×${o.count}` : ''}, obeyed; go to step ${o.first + 1}`}
                  className={`rounded px-1.5 py-px font-mono text-xs ${VERDICT_OBEYS_CLASS}`}
                >
                  {o.rule}
                  {o.count > 1 ? ` ×${o.count}` : ''}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

/** After opening an outcome of the explorer (Interleavings): at its first departure from the default run, say which thread ran instead of which. */
function Divergence({ cursor }: { cursor: number }) {
  const opened = useExplore((s) => s.opened);
  const link = useSession((s) => s.link);
  if (!opened || opened.link !== link) return null;
  const d = opened.divergence;
  if (cursor !== d.at - 1 && cursor !== d.at) return null;
  return (
    <p role="note" aria-label="Interleaving" className="rounded border border-violet-300 bg-violet-50 px-2 py-1 leading-relaxed text-violet-950 dark:border-violet-700 dark:bg-violet-950 dark:text-violet-100">
      <span className="font-semibold">Interleaving: </span>
      {`at this choice point (step ${d.step}, choice ${d.choice}) ${d.ran} ran instead of ${d.insteadOf}, which the default schedule runs. From here this outcome departs from the default run.`}
    </p>
  );
}

export function ExplanationPanel({ scenario, trace, cursor, onSeek }: PanelProps) {
  const entry = cursor >= 0 && cursor < trace.length ? trace[cursor] : null;
  // The engine stamps the rule it applied on the entry; the panel only looks it up in the catalogue.
  const id = entry?.rule ?? null;
  const catalog = useCatalog();
  const r = id && catalog ? catalog.rule(id) : null;
  return (
    <PanelFrame title="Explanation" className="h-full" bodyClassName="overflow-auto" scrollable>
      <div className="space-y-3 p-3 [overflow-wrap:anywhere]">
        <Divergence cursor={cursor} />
        {entry ? (
          <>
            <p className="break-words rounded bg-slate-100 px-2 py-1 font-mono text-xs text-slate-800 dark:bg-slate-800 dark:text-slate-200">
              {entryLine(entry)}
            </p>
            {entry.verdict === 'obeys' && (
              <div className="flex flex-wrap items-start gap-2">
                <VerdictBadge entry={entry} />
              </div>
            )}
            {entry.type === 'hazard' && (
              <div className="flex flex-wrap items-start gap-2">
                <VerdictBadge entry={entry} />
                <Badge className={SEVERITY_CLASS[entry.severity]}>{entry.severity}</Badge>
                {entry.bugcheck && <span className="font-mono text-xs font-semibold">bug check {entry.bugcheck}</span>}
                <p className="basis-full leading-relaxed">{entry.message}</p>
              </div>
            )}
            <div aria-live="polite" className="sr-only">
              {r && catalog ? `Rule ${r.id}: ${r.title} (${catalog.PROVENANCE_LABEL[r.provenance]})` : id ? '' : 'No rule applies to this entry.'}
            </div>
            {entry.type === 'halt' && <RunSummaryView trace={trace} onSeek={onSeek} />}
            {r ? (
              <RuleCard r={r} />
            ) : id ? (
              <p className="text-slate-600 dark:text-slate-400">Rule {id}…</p>
            ) : (
              <div className="space-y-1">
                <p className="leading-relaxed text-slate-800 dark:text-slate-200">
                  {entry.type === 'halt' && entry.reason === 'quiescent' && runSummary(trace).broken.length > 0
                    ? `Every timeline action ran and no thread can run, but the run broke ${runSummary(trace).broken.length === 1 ? 'a rule' : 'rules'} on the way: see the Run summary above.`
                    : describeEntry(entry)}
                </p>
                {entry.type !== 'halt' && <p className="text-xs text-slate-600 dark:text-slate-400">No rule of the catalogue is specific to this entry.</p>}
              </div>
            )}
          </>
        ) : (
          <p className="text-slate-700 dark:text-slate-300">Before the first step. Step forward to see what the system does and which rule explains it.</p>
        )}
        <Narration trace={trace} cursor={cursor} description={scenario.description} onSeek={onSeek} />
      </div>
    </PanelFrame>
  );
}
