// The engine's Web Worker: a thin adapter (docs/architecture.md). Messages in, results out; the simulation
// itself lives in src/engine and the validation in src/scenario, both framework-free.
import type { ChoicePoint } from '../engine/engine.ts';
import { runScenario } from '../engine/index.ts';
import { createSeeker, type Seeker } from '../engine/snapshot.ts';
import type { TraceEntry } from '../engine/trace.ts';
import { scenarioToHash } from '../scenario/codec.ts';
import { load } from '../scenario/load.ts';
import type { NormalizedScenario } from '../scenario/types.ts';
import { encodeTrace, encodedTransfer } from '../trace/encoded.ts';
import { actionStart, buildTraceIndex, indexTransfer } from '../trace/indexes.ts';
import { errorResponse, parseRequest, parseShown, PROTOCOL_VERSION, type LinkResponse, type SeekRequest, type TraceResponse, type WorkerResponse } from './protocol.ts';

/** The worker's last run: what `seek` answers from. */
interface LastRun {
  key: number;
  scenario: NormalizedScenario;
  trace: TraceEntry[];
  choices: ChoicePoint[];
  /** Built on the first seek (a checkpointed fold of the whole trace). */
  seeker: Seeker | null;
}

let last: LastRun | null = null;

/** A run answered without its link (`linkLater`): the link to make and send next (takeLaterLink). */
let laterLink: { id: number; scenario: NormalizedScenario } | null = null;

/** A run answered with its trace's first entries only (`traceLater`): the whole trace to encode and send next (takeLaterTrace). */
let laterTrace: { id: number; trace: readonly TraceEntry[] } | null = null;

/**
 * A `traceLater` result carries the entries through the position asked for and this many more: the
 * page can step that far before the whole trace comes (a step past them waits for it).
 */
export const TRACE_AHEAD = 2_048;
/** ... and only when at least this many entries would come later: a shorter trace is encoded whole at once. */
export const TRACE_LATER_MIN = 16_384;

/**
 * The page's cap on a trace (the command line has its own, higher default): a longer run stops there
 * with a DL-3 halt (limit `entries`) and the page says the trace was capped.
 */
export const PAGE_MAX_ENTRIES = 200_000;

/** A run answered with `afterShown`: its after-work waits for the page's `shown` notice (receive). */
let held: number | null = null;

/** Forget the last run (tests). */
export function resetWorkerState(): void {
  last = null;
  laterLink = null;
  laterTrace = null;
  held = null;
}

/**
 * The `trace` message owed for the run just answered with `traceLater` (its whole trace, encoded
 * now, after its result was posted), or null. Sent before the run's link.
 */
export function takeLaterTrace(): TraceResponse | null {
  const owed = laterTrace;
  laterTrace = null;
  if (!owed) return null;
  return { v: PROTOCOL_VERSION, id: owed.id, type: 'trace', ok: true, run: owed.id, trace: encodeTrace(owed.trace) };
}

/**
 * The `link` message owed for the run just answered with `linkLater` (made now, after its result
 * was posted), or null. The worker's message loop sends it right after that result.
 */
export function takeLaterLink(): LinkResponse | null {
  const owed = laterLink;
  laterLink = null;
  if (!owed) return null;
  let link = '';
  try {
    link = scenarioToHash(owed.scenario);
  } catch {
    // Not JSON data (it was validated, so never): the page keeps the address it has.
  }
  return { v: PROTOCOL_VERSION, id: owed.id, type: 'link', ok: true, run: owed.id, link };
}

function snapshotAt(run: LastRun, seq: number) {
  run.seeker ??= createSeeker(run.scenario, run.trace);
  const clamped = Math.max(-1, Math.min(seq, run.trace.length - 1));
  return { seq: clamped, snapshot: run.seeker.at(clamped) };
}

function seek(request: SeekRequest): WorkerResponse {
  if (!last || last.key !== request.run) {
    return errorResponse(request.id, 'The engine does not hold that run any more; run the scenario again.', 'no-run');
  }
  const { seq, snapshot } = snapshotAt(last, request.seq);
  return { v: PROTOCOL_VERSION, id: request.id, type: 'snapshot', ok: true, run: last.key, seq, snapshot };
}

/**
 * Take the last run's seek checkpoints a slice at a time (between messages, so a seek is never
 * kept waiting long): true while there is more to do.
 */
export function prepareLastRun(entries = 4_096): boolean {
  if (!last) return false;
  last.seeker ??= createSeeker(last.scenario, last.trace);
  return last.seeker.prepare(entries);
}

/** Answer one message. Never throws: an engine exception becomes an `error` response. */
export function handleMessage(data: unknown): WorkerResponse {
  laterLink = null;
  laterTrace = null;
  const parsed = parseRequest(data);
  if (!parsed.ok) return parsed.error;
  const request = parsed.message;
  if (request.type === 'ping') return { v: PROTOCOL_VERSION, id: request.id, type: 'pong', ok: true };
  if (request.type === 'seek') {
    try {
      return seek(request);
    } catch (err) {
      return errorResponse(request.id, `Internal engine error while seeking: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  try {
    const loaded = load(request.scenario);
    if (!loaded.ok) {
      return {
        v: PROTOCOL_VERSION,
        id: request.id,
        type: 'invalid',
        ok: false,
        errors: loaded.errors,
        ...(loaded.newerVersion ? { newerVersion: true } : {}),
      };
    }
    let { scenario } = loaded;
    const outcome = runScenario(scenario, {
      maxEntries: request.maxEntries ?? PAGE_MAX_ENTRIES,
      ...(request.opBudget === undefined ? {} : { opBudget: request.opBudget }),
    });
    if (!outcome.ok) {
      // e.g. a schedule override naming a thread that is not runnable (docs/scenario-format.md §5).
      return { v: PROTOCOL_VERSION, id: request.id, type: 'invalid', ok: false, errors: outcome.errors };
    }
    // Old-form overrides ({ at }) come back as { step, choice }: the page keeps (and links) the stable form.
    const warnings = [...loaded.warnings];
    if (outcome.migratedSchedule) {
      scenario = { ...scenario, schedule: outcome.migratedSchedule };
      warnings.push({ path: '/schedule', message: 'overrides in the old form { "at": seq } were rewritten as { "step", "choice" }, which survive engine changes' });
    }
    const run: LastRun = { key: request.id, scenario, trace: outcome.trace, choices: outcome.choices, seeker: null };
    last = run;
    if (request.linkLater) laterLink = { id: request.id, scenario };
    const index = buildTraceIndex(outcome.trace);
    const at = request.seekAction !== undefined ? actionStart(outcome.trace, request.seekAction, index) : (request.seek ?? -1);
    // A long trace asked `traceLater`: its first entries now (through where the page starts), the rest next.
    const first = Math.max(0, at) + 1 + TRACE_AHEAD;
    const split = request.traceLater === true && outcome.trace.length - first >= TRACE_LATER_MIN;
    if (split) laterTrace = { id: request.id, trace: outcome.trace };
    return {
      v: PROTOCOL_VERSION,
      id: request.id,
      type: 'result',
      ok: true,
      run: run.key,
      scenario,
      link: request.linkLater ? '' : scenarioToHash(scenario),
      trace: encodeTrace(outcome.trace, split ? first : outcome.trace.length),
      ...(split ? { traceLater: true as const } : {}),
      index,
      choices: outcome.choices,
      title: scenario.title,
      description: scenario.description,
      warnings,
      // The position asked for (a seq, or where a gesture's action starts); else the state before the
      // first entry, from which the page folds the first entries itself.
      snapshot: snapshotAt(run, at).snapshot,
    };
  } catch (err) {
    // The engine must never throw on a valid scenario (docs/architecture.md); if it does, say so clearly.
    // The run's state is dropped, and the page replaces this worker before its next run (code `internal`).
    last = null;
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return errorResponse(request.id, `Internal engine error: ${message}`, 'internal');
  }
}

/** The buffers a response hands over to the page (moved, not copied). */
export function transferOf(response: WorkerResponse): ArrayBuffer[] {
  if (response.type === 'trace') return encodedTransfer(response.trace);
  return response.type === 'result' ? [...encodedTransfer(response.trace), ...indexTransfer(response.index)] : [];
}

/** How the worker sends a message to the page (the transfer list moves buffers). */
export type Post = (message: WorkerResponse, transfer: ArrayBuffer[]) => void;

/**
 * What the worker does for run `run` once its result is posted: its whole trace if it was answered
 * with its first entries (`traceLater`), its link if it was asked `linkLater` (both made now), then
 * its seek checkpoints a slice at a time, each slice in a task of its own (`later`).
 */
function afterWork(run: number, post: Post, later: (slice: () => void) => void): void {
  const trace = takeLaterTrace();
  if (trace) post(trace, transferOf(trace));
  const link = takeLaterLink();
  if (link) post(link, []);
  const slice = () => {
    if (last?.key === run && prepareLastRun()) later(slice);
  };
  later(slice);
}

/**
 * Receive one message from the page: answer it, then do the answered run's after-work at once or,
 * for a run asked `afterShown`, once the page's `shown` notice names it. Any other message lets a
 * held run's after-work go first (its link is posted before that message's answer; a newer run
 * would otherwise drop it). A notice for a run not held is ignored.
 */
export function receive(data: unknown, post: Post, later: (slice: () => void) => void = (slice) => void setTimeout(slice, 0)): void {
  const shown = parseShown(data);
  if (shown && shown.type === 'shown') {
    if (held !== null && held === shown.run) {
      held = null;
      afterWork(shown.run, post, later);
    }
    return;
  }
  if (held !== null) {
    const run = held;
    held = null;
    afterWork(run, post, later);
  }
  if (shown) return post(shown, []); // a malformed notice: say so
  const response = handleMessage(data);
  post(response, transferOf(response));
  if (response.type !== 'result') return;
  if ((data as { afterShown?: unknown }).afterShown === true) held = response.run;
  else afterWork(response.run, post, later);
}

interface WorkerScope {
  postMessage(message: unknown, transfer: ArrayBuffer[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

// Only wire up when actually running as a dedicated worker (not when imported by a test in Node).
const scope = globalThis as unknown as Partial<WorkerScope> & { document?: unknown };
if (typeof scope.postMessage === 'function' && typeof scope.addEventListener === 'function' && scope.document === undefined) {
  const worker = scope as WorkerScope;
  worker.addEventListener('message', (event) => receive(event.data, (message, transfer) => worker.postMessage(message, transfer)));
}
