// The actions panel: what the user can do with the selected node. Every button is a gesture that
// inserts a timeline action at the cursor ("now"), re-runs and jumps to where it starts; the
// outcome of the last one (a refusal such as KE-6, a bug check) is shown underneath.
import { useId, useMemo, useState, type ReactNode } from 'react';
import type { TraceEntry } from '../../engine/trace.ts';
import { lastAtOrBefore, traceIndex } from '../../trace/indexes.ts';
import { formatAction } from '../../engine/format.ts';
import {
  addDevice,
  addMemory,
  addProcessor,
  appAction,
  deviceAction,
  driverAction,
  insertionPoint,
  removeMemory,
  removeProcessor,
  runnableRoutines,
  runRoutine,
} from '../../scenario/gestures.ts';
import { sessionStore, useSession } from '../../store/session.ts';
import { parseNodeId } from '../graph/ids.ts';
import { outcomeOf, seenSoFar, tallyText, type Tally } from './outcome.ts';

function ActionButton({
  onClick,
  children,
  tone = 'plain',
  describedBy,
  disabled = false,
}: {
  onClick(): void;
  children: ReactNode;
  tone?: 'plain' | 'danger';
  describedBy?: string;
  disabled?: boolean;
}) {
  const cls =
    tone === 'danger'
      ? 'border-red-300 text-red-800 hover:bg-red-50 dark:border-red-800 dark:text-red-200 dark:hover:bg-red-950'
      : 'border-slate-300 text-slate-800 hover:bg-slate-50 dark:border-slate-700 dark:text-slate-100 dark:hover:bg-slate-700';
  return (
    <button
      type="button"
      onClick={onClick}
      disabled={disabled}
      aria-describedby={describedBy}
      className={`rounded-md border bg-white px-2.5 py-1.5 text-left text-[12.5px] font-medium shadow-sm disabled:cursor-not-allowed disabled:opacity-60 dark:bg-slate-800 ${cls}`}
    >
      {children}
    </button>
  );
}

function StateLine({ state }: { state: string | undefined }) {
  return (
    <p className="text-[12px] text-slate-600 dark:text-slate-400">
      State here: <span className="font-mono text-slate-800 dark:text-slate-200">{state ?? '—'}</span>
    </p>
  );
}

function Routines({ component }: { component: string }) {
  const scenario = useSession((s) => s.scenario);
  const routines = useMemo(() => (scenario ? runnableRoutines(scenario, component) : []), [scenario, component]);
  if (routines.length === 0) return null;
  const { gesture } = sessionStore.getState();
  return (
    <div className="space-y-1">
      <h4 className="text-[11px] font-semibold uppercase tracking-wider text-slate-600 dark:text-slate-400">Run a routine</h4>
      <div className="flex flex-wrap gap-1.5">
        {routines.map((r) => (
          <ActionButton key={r} onClick={() => void gesture((s, at) => runRoutine(s, at, component, r))}>
            <span className="sr-only">Run </span>
            <span className="font-mono">{r}</span>
          </ActionButton>
        ))}
      </div>
    </div>
  );
}

/** Device states in which the device is not in the machine: nothing to eject or remove, it can be plugged in. */
const UNPLUGGED = new Set(['not-present', 'removed', 'surprise-removed']);
/** States in which plugging it in is not a new arrival (it is there already). */
const PLUGGABLE = new Set(['not-present', 'removed', 'start-failed']);

/** The device's state where a gesture would go in (the end of the cursor's action), from the trace. */
export function deviceStateAt(trace: readonly TraceEntry[], device: string, beforeSeq: number): string {
  const entity = `device:${device}`;
  const states = traceIndex(trace).entityStateSeqs;
  for (let k = lastAtOrBefore(states, Math.min(beforeSeq, trace.length) - 1); k >= 0; k--) {
    const e = trace[states[k]];
    if (e.type === 'state' && e.entity === entity) return e.to;
  }
  return 'not-present';
}

function DeviceActions({ device, state }: { device: string; state: string }) {
  const scenario = useSession((s) => s.scenario);
  const trace = useSession((s) => s.trace);
  const cursor = useSession((s) => s.cursor);
  const reasonId = useId();
  const there = useMemo(() => {
    if (!scenario) return state;
    const { seq } = insertionPoint(scenario, trace, cursor);
    return deviceStateAt(trace, device, seq);
  }, [scenario, trace, cursor, device, state]);
  const { gesture } = sessionStore.getState();
  const unplugged = UNPLUGGED.has(there);
  const pluggable = PLUGGABLE.has(there);
  const reason = unplugged
    ? `Eject and Surprise remove need the device in the machine: where the next action goes, ${device} is ${there}. Plug it in first.`
    : !pluggable
      ? `Plug in: ${device} is already in the machine (${there}) where the next action goes.`
      : null;
  return (
    <>
      <StateLine state={state} />
      <div className="flex flex-wrap gap-1.5">
        <ActionButton disabled={unplugged} describedBy={unplugged ? reasonId : undefined} onClick={() => void gesture((s, at) => deviceAction(s, at, 'eject', device))}>
          Eject
        </ActionButton>
        <ActionButton
          tone="danger"
          disabled={unplugged}
          describedBy={unplugged ? reasonId : undefined}
          onClick={() => void gesture((s, at) => deviceAction(s, at, 'surpriseRemove', device))}
        >
          Surprise remove
        </ActionButton>
        <ActionButton disabled={!pluggable} describedBy={!pluggable ? reasonId : undefined} onClick={() => void gesture((s, at) => deviceAction(s, at, 'plug', device))}>
          Plug in
        </ActionButton>
        <ActionButton onClick={() => void gesture((s, at) => addDevice(s, at, device))}>Add child device</ActionButton>
      </div>
      {reason && (
        <p id={reasonId} data-testid="action-reason" className="text-[11.5px] leading-snug text-slate-600 dark:text-slate-400">
          {reason}
        </p>
      )}
    </>
  );
}

function RemoveProcessorPicker({ count }: { count: number }) {
  const [nt, setNt] = useState(count - 1);
  const { gesture } = sessionStore.getState();
  return (
    <div className="flex items-end gap-1.5">
      <label className="text-[12px] text-slate-700 dark:text-slate-300">
        NtNumber
        <input
          type="number"
          min={0}
          max={count - 1}
          value={nt}
          onChange={(e) => setNt(Math.max(0, Math.min(count - 1, Math.trunc(Number(e.currentTarget.value)) || 0)))}
          className="ml-1.5 w-20 rounded border border-slate-300 bg-white px-1.5 py-1 font-mono text-[12px] dark:border-slate-600 dark:bg-slate-800"
        />
      </label>
      <ActionButton tone="danger" onClick={() => void gesture((s, at) => removeProcessor(s, at, nt))}>
        Remove processor
      </ActionButton>
    </div>
  );
}

function causedText(tallies: Tally[], hazards: number): string {
  const parts = tallies.map(tallyText);
  if (hazards > 0) parts.push(`${hazards} rule ${hazards === 1 ? 'report' : 'reports'}`);
  const callbacks = tallies.some((t) => t.what.startsWith('callback'));
  const none = 'no callback: no registration saw it';
  if (parts.length === 0) return `It caused ${none}.`;
  return `It caused ${parts.join(', ')}${callbacks || hazards > 0 ? '' : `; ${none}`}.`;
}

/** What the last gesture's action caused (callbacks, interface changes, hazards), as far as the cursor has come. */
function Outcome() {
  const lastAction = useSession((s) => s.lastAction);
  const trace = useSession((s) => s.trace);
  const scenario = useSession((s) => s.scenario);
  const cursor = useSession((s) => s.cursor);
  const result = useMemo(() => {
    if (lastAction === null || !scenario) return null;
    const action = scenario.timeline[lastAction];
    if (!action) return null;
    return { action, ...outcomeOf(trace, lastAction) };
  }, [lastAction, trace, scenario]);
  if (!result) return null;
  const total = result.tallies.reduce((n, t) => n + t.seqs.length, 0);
  return (
    <div role="status" aria-label="Outcome" className="space-y-1.5 rounded-lg border border-slate-200 bg-slate-50 p-2.5 text-[12px] dark:border-slate-700 dark:bg-slate-800/60">
      <p className="font-semibold text-slate-800 dark:text-slate-200">
        Added action {lastAction! + 1}: <span className="font-mono">{formatAction(result.action)}</span>
      </p>
      {!result.started && <p className="text-slate-700 dark:text-slate-300">It never started: the run ended before it.</p>}
      {result.started && (
        <p data-testid="outcome-caused" className="text-slate-800 dark:text-slate-200">
          {causedText(result.tallies, result.hazards.length)}
        </p>
      )}
      {result.started && total > 0 && (
        <p data-testid="outcome-so-far" className="text-slate-600 dark:text-slate-400">
          Up to step {cursor + 1}: {result.tallies.map((t) => `${seenSoFar(t.seqs, cursor)} of ${tallyText(t)}`).join('; ')}.
          {seenSoFar(result.tallies.flatMap((t) => t.seqs), cursor) < total ? ' Next callback (N) goes to the next one.' : ''}
        </p>
      )}
      {result.hazards.map((h) => (
        <p
          key={h.seq}
          className={h.severity === 'warning' || h.severity === 'info' ? 'text-amber-900 dark:text-amber-200' : 'font-medium text-red-800 dark:text-red-200'}
        >
          <span className="font-mono font-semibold">{h.rule}</span> ({h.severity}
          {h.bugcheck ? `, bug check ${h.bugcheck}` : ''}) at step {h.seq + 1}
          {h.seq > cursor ? ' (ahead)' : ''}: {h.message}
        </p>
      ))}
    </div>
  );
}

export function ActionsPanel() {
  const selected = useSession((s) => s.selected);
  const snapshot = useSession((s) => s.snapshot);
  const scenario = useSession((s) => s.scenario);
  const node = parseNodeId(selected);
  const { gesture, select } = sessionStore.getState();

  let body: ReactNode;
  let heading = 'Actions';
  if (!node || !scenario) {
    body = (
      <p className="text-[12.5px] leading-snug text-slate-600 dark:text-slate-400">
        Select a node in the graph — click it, or Tab to it and press Enter — to eject a device, load a driver, start an app…
      </p>
    );
  } else {
    switch (node.kind) {
      case 'device': {
        heading = `Device ${node.id}`;
        body = <DeviceActions device={node.id} state={snapshot?.devices[node.id]?.state ?? 'not-present'} />;
        break;
      }
      case 'driver':
        heading = `Driver ${node.id}`;
        body = (
          <>
            <StateLine state={snapshot?.drivers[node.id]?.state} />
            <div className="flex flex-wrap gap-1.5">
              <ActionButton onClick={() => void gesture((s, at) => driverAction(s, at, 'load', node.id))}>Load</ActionButton>
              <ActionButton onClick={() => void gesture((s, at) => driverAction(s, at, 'unload', node.id))}>Unload</ActionButton>
            </div>
            <Routines component={node.id} />
          </>
        );
        break;
      case 'app':
        heading = `App ${node.id}`;
        body = (
          <>
            <StateLine state={snapshot?.apps[node.id]?.state} />
            <div className="flex flex-wrap gap-1.5">
              <ActionButton onClick={() => void gesture((s, at) => appAction(s, at, 'start', node.id))}>Start</ActionButton>
              <ActionButton onClick={() => void gesture((s, at) => appAction(s, at, 'exit', node.id))}>Exit</ActionButton>
            </div>
            <Routines component={node.id} />
          </>
        );
        break;
      case 'cpu': {
        const nt = Number(node.id);
        heading = `Processor ${nt}`;
        body = (
          <>
            <StateLine state={snapshot?.processors[node.id]?.state ?? 'not-present'} />
            <div className="flex flex-wrap gap-1.5">
              <ActionButton tone="danger" onClick={() => void gesture((s, at) => removeProcessor(s, at, nt))}>
                Remove processor
              </ActionButton>
            </div>
            <p className="text-[11.5px] text-slate-600 dark:text-slate-400">Windows never removes an active processor: watch what the system says.</p>
          </>
        );
        break;
      }
      case 'cpus': {
        const count = Object.keys(snapshot?.processors ?? {}).length || scenario.machine.processors;
        heading = 'Processors';
        body = <RemoveProcessorPicker count={count} />;
        break;
      }
      case 'memory':
        heading = `Memory module ${node.id}`;
        body = (
          <>
            <StateLine state={snapshot?.memory[node.id]?.state ?? 'not-present'} />
            <div className="flex flex-wrap gap-1.5">
              <ActionButton tone="danger" onClick={() => void gesture((s, at) => removeMemory(s, at, node.id))}>
                Remove memory module
              </ActionButton>
            </div>
          </>
        );
        break;
      case 'partition':
        heading = 'Hardware partition';
        body = (
          <div className="flex flex-wrap gap-1.5">
            <ActionButton onClick={() => void gesture(addProcessor)}>Hot-add a processor</ActionButton>
            <ActionButton onClick={() => void gesture((s, at) => addMemory(s, at))}>Hot-add a memory module</ActionButton>
          </div>
        );
        break;
      case 'root':
        heading = 'PnP manager (root bus)';
        body = (
          <div className="flex flex-wrap gap-1.5">
            <ActionButton onClick={() => void gesture((s, at) => addDevice(s, at, 'root'))}>Plug in a new device</ActionButton>
          </div>
        );
        break;
    }
  }

  return (
    <section aria-labelledby="actions-title" className="space-y-2">
      <div className="flex items-center justify-between gap-2">
        <h2 id="actions-title" className="text-[11px] font-semibold uppercase tracking-wider text-slate-600 dark:text-slate-400">
          Actions
        </h2>
        {node && (
          <button
            type="button"
            onClick={() => select(null)}
            className="rounded px-1.5 text-[11.5px] text-slate-600 underline-offset-2 hover:underline dark:text-slate-400"
          >
            Clear selection
          </button>
        )}
      </div>
      {node && <h3 className="text-[14px] font-semibold text-slate-900 dark:text-slate-100">{heading}</h3>}
      <div className="space-y-2">{body}</div>
      <Outcome />
    </section>
  );
}
