// Interleavings (docs/explore.md): "Explore" runs every schedule of the current scenario in the
// explorer's worker, with a progress bar and Cancel; then one row per distinct outcome — its halt,
// its hazards as rule badges, how many schedules reach it — and "Open", which puts the outcome's
// schedule into the scenario (the link follows) and goes to where it departs from the default run.
import type { Severity } from '../../engine/rules/ids.ts';
import type { OutcomeReport } from '../../engine/explore/index.ts';
import { exploreStore, useExplore } from '../../store/explore.ts';
import { useSession } from '../../store/session.ts';
import { PAGE_EXPLORE_LIMITS } from '../../worker/explorer.ts';
import { Suspense, useState } from 'react';
import { CompareOutcomes } from './lazy.tsx';
import { Badge, BUTTON, PanelFrame, SEVERITY_CLASS } from './ui.tsx';

const n = (x: number) => x.toLocaleString('en-US');

/** `UN-5:bugcheck:0x50` as a badge: the rule, coloured by severity, the bug check spelled out. */
function HazardBadge({ hazard }: { hazard: string }) {
  const [rule, severity, code] = hazard.split(':');
  return (
    <Badge className={SEVERITY_CLASS[severity as Severity] ?? SEVERITY_CLASS.info} title={`${rule}: ${severity}${code ? ` (bug check ${code})` : ''}`}>
      {rule}
      <span className="sr-only"> {severity}{code ? ` ${code}` : ''}</span>
    </Badge>
  );
}

/** A thread name like `sys:sampledrv` may wrap after its colon, not in the middle of the driver's name (the table is narrow: its cells are padded 4 px a side so that it fits the 1024 px layout's side column). */
const breakAfterColons = (text: string) => text.split(':').flatMap((part, i) => (i === 0 ? [part] : [':', <wbr key={i} />, part]));

function OutcomeRow({ o, index, picked, onPick }: { o: OutcomeReport; index: number; picked: boolean; onPick(on: boolean): void }) {
  const where = o.divergesAt ? `departs at step ${o.divergesAt.step}: ${o.divergesAt.ran} instead of ${o.divergesAt.insteadOf}` : 'the default run';
  return (
    <tr className="border-b border-slate-100 align-top dark:border-slate-800">
      <td className="px-1 py-1">
        <input type="checkbox" aria-label={`Compare outcome ${index + 1}`} checked={picked} onChange={(e) => onPick(e.currentTarget.checked)} />
      </td>
      <th scope="row" className="px-1 py-1 text-left font-medium">{o.halt}</th>
      <td className="px-1 py-1">
        <span className="flex flex-wrap gap-1">{o.hazards.length === 0 ? <span className="text-slate-500">none</span> : o.hazards.map((h, i) => <HazardBadge key={i} hazard={h} />)}</span>
      </td>
      <td className="px-1 py-1 text-right tabular-nums">{n(o.runs)}</td>
      <td className="px-1 py-1 text-xs break-words text-slate-600 dark:text-slate-400">{breakAfterColons(where)}</td>
      <td className="px-1 py-1">
        <button type="button" className={BUTTON} aria-label={`Open outcome ${index + 1}`} onClick={() => void exploreStore.getState().open(o)}>
          Open
        </button>
      </td>
    </tr>
  );
}

export function InterleavingsPanel() {
  const status = useExplore((s) => s.status);
  const runs = useExplore((s) => s.runs);
  const states = useExplore((s) => s.states);
  const result = useExplore((s) => s.result);
  const message = useExplore((s) => s.message);
  const forLink = useExplore((s) => s.link);
  const link = useSession((s) => s.link);
  const running = status === 'running';
  const shown = result && forLink === link ? result : null;
  const max = PAGE_EXPLORE_LIMITS.maxRuns;
  const scenario = useSession((s) => s.scenario);
  // Outcomes picked for the comparison (at most two: picking a third drops the oldest), and the pair compared.
  const [picks, setPicks] = useState<{ result: unknown; picked: number[]; compared: [number, number] | null }>({ result: null, picked: [], compared: null });
  const current = picks.result === shown ? picks : { result: shown, picked: [], compared: null };
  const pick = (i: number, on: boolean) =>
    setPicks({ ...current, picked: on ? [...current.picked.filter((j) => j !== i), i].slice(-2) : current.picked.filter((j) => j !== i) });
  const compare = () => current.picked.length === 2 && setPicks({ ...current, compared: [current.picked[0], current.picked[1]].sort((x, y) => x - y) as [number, number] });
  return (
    <PanelFrame
      title="Interleavings"
      scrollable
      bodyClassName="overflow-auto"
      actions={
        <>
          <button type="button" className={BUTTON} disabled={running} onClick={() => exploreStore.getState().start()}>
            Explore
          </button>
          {running && (
            <button type="button" className={BUTTON} onClick={() => exploreStore.getState().cancel()}>
              Cancel
            </button>
          )}
        </>
      }
    >
      <div className="space-y-2 p-3">
        {status === 'idle' && (
          <p className="text-slate-700 dark:text-slate-300">
            Explore runs every schedule of this scenario — at each choice point, each runnable thread in turn — and lists the
            distinct outcomes. Open one to step through it.
          </p>
        )}
        {status !== 'idle' && (
          <div className="space-y-1">
            {/* While exploring, only this block changes: its own layout and paint, a transform for the bar. */}
            <div className="space-y-1" style={running ? { contain: 'strict', height: '1.625rem' } : undefined}>
              <div
                role="progressbar"
                aria-label="Exploring schedules"
                aria-valuemin={0}
                aria-valuemax={max}
                aria-valuenow={status === 'done' ? max : Math.min(runs, max)}
                aria-valuetext={`${n(runs)} schedules, ${n(states)} states${status === 'done' ? ', done' : ''}`}
                className="h-1.5 overflow-hidden rounded bg-slate-200 dark:bg-slate-700"
              >
                <div className="h-full origin-left bg-violet-600" style={{ transform: `scaleX(${status === 'done' ? 1 : Math.min(1, runs / max)})` }} />
              </div>
              {running && <p aria-live="polite" className="text-xs tabular-nums text-slate-600 dark:text-slate-400">{`${n(runs)} schedules so far…`}</p>}
            </div>
            <p aria-live="polite" className="text-xs text-slate-600 dark:text-slate-400">
              {status === 'cancelled' && `Cancelled after ${n(runs)} schedules.`}
              {status === 'failed' && `The explorer failed: ${message ?? ''}`}
              {status === 'done' && shown &&
                `${n(shown.runs)} schedules, ${n(shown.states)} states: ${shown.outcomes.length} distinct outcome${shown.outcomes.length === 1 ? '' : 's'}${shown.complete ? '.' : ` — stopped at a bound (${shown.stoppedBy.join(', ')}), not every schedule was tried.`}`}
            </p>
          </div>
        )}
        {shown && (
          <table className="w-full border-collapse text-[12.5px]">
            <caption className="sr-only">Distinct outcomes</caption>
            <thead>
              <tr className="border-b border-slate-200 text-left text-xs text-slate-600 dark:border-slate-700 dark:text-slate-400">
                <th scope="col" className="px-1 py-1 font-medium"><span className="sr-only">Compare</span></th>
                <th scope="col" className="px-1 py-1 font-medium">Halt</th>
                <th scope="col" className="px-1 py-1 font-medium">Hazards</th>
                <th scope="col" className="px-1 py-1 text-right font-medium">Schedules</th>
                <th scope="col" className="px-1 py-1 font-medium">Where</th>
                <th scope="col" className="px-1 py-1"><span className="sr-only">Open</span></th>
              </tr>
            </thead>
            <tbody>
              {shown.outcomes.map((o, i) => <OutcomeRow key={i} o={o} index={i} picked={current.picked.includes(i)} onPick={(on) => pick(i, on)} />)}
            </tbody>
          </table>
        )}
        {shown && shown.outcomes.length > 1 && (
          <p className="flex flex-wrap items-center gap-2 text-xs text-slate-600 dark:text-slate-400">
            <button type="button" className={BUTTON} disabled={current.picked.length !== 2} onClick={compare}>
              Compare
            </button>
            Tick two outcomes to see their sequence diagrams side by side, from where they first differ.
          </p>
        )}
        {shown && scenario && current.compared && (
          <Suspense fallback={<p className="text-xs">Loading…</p>}>
            <CompareOutcomes
              scenario={scenario}
              pair={[
                { number: current.compared[0] + 1, outcome: shown.outcomes[current.compared[0]] },
                { number: current.compared[1] + 1, outcome: shown.outcomes[current.compared[1]] },
              ]}
              onClose={() => setPicks({ ...current, compared: null })}
            />
          </Suspense>
        )}
      </div>
    </PanelFrame>
  );
}
