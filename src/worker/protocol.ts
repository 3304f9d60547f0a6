// The message protocol between the UI thread and the engine worker (docs/architecture.md: "typed, versioned
// messages"). Every message carries the protocol version; either side rejects a message of
// another version with a clear error instead of misreading it (a stale cached worker after a
// deploy is the usual cause). Plain data only: everything here crosses postMessage.
//
// Version 2: the worker keeps its last run (scenario, trace, choice points, seeker) and answers
// `seek` with the state at a trace position, so the page never runs the engine: stepping is a
// `seek` round trip. `run` results carry the normalised scenario and the choice points, and a run
// can ask for the snapshot at a position in the same round trip.
//
// Version 3: the trace stays in the worker's form. A `run` result carries it encoded (JSON Lines in
// one transferred buffer, src/trace/encoded.ts) with the index the page needs (src/trace/indexes.ts,
// typed arrays transferred too), so the page never rebuilds or scans the whole trace.
//
// Within version 3: a run may ask for its link later (`linkLater`): the result comes without it
// (`link: ''`) and a `link` message for that run follows at once. Making a link validates the
// scenario twice and deflates it, which an opening need not wait for: its address already carries
// a link. An older worker ignores the flag and sends the link with the result.
//
// Within version 3: a run may ask the worker to hold what it does for it after answering (its later
// link, then its seek checkpoints) until the page has shown the result (`afterShown`): the page
// sends a `shown` notice once the frame showing it is painted, and any other request lets the held
// work go first too. On 2 cores that work otherwise takes a core from the page's render of the
// result. A notice is not answered. An older worker ignores the flag, and answers the notice with
// an "unknown request type" error, which the page drops (no request of its has that id).
//
// Within version 3: a run may ask for its whole trace later (`traceLater`): when the trace is long,
// the result carries only its first entries (through the position asked for and TRACE_AHEAD more),
// with the whole trace's index, and says so (`traceLater: true` on the result); a `trace` message for
// that run brings the whole encoded trace, as the first of the run's after-work (so before its
// link, and before the answer of any later request). Encoding a 100,000-entry trace takes longer
// than the page needs to show its first step. A result without the flag carries the whole trace, as
// an older worker's always does; an older page never asks, so never gets a `trace` message.
import type { ChoicePoint } from '../engine/engine.ts';
import { reviveSnapshot, type Snapshot } from '../engine/snapshot.ts';
import { dictOf } from '../engine/dict.ts';
import type { EncodedTrace } from '../trace/encoded.ts';
import type { TraceIndex } from '../trace/indexes.ts';
import type { ComponentSpec, NormalizedScenario } from '../scenario/types.ts';

export const PROTOCOL_VERSION = 3;
export type ProtocolVersion = typeof PROTOCOL_VERSION;

/** A problem in the scenario, at a JSON path (`/drivers/sampledrv/routines/DriverEntry/0`). */
export interface ProtocolValidationError {
  path: string;
  message: string;
}

// ---- requests (UI → worker)

/** Validate and run a raw scenario (as parsed from JSON: the worker validates it). */
export interface RunRequest {
  v: ProtocolVersion;
  id: number;
  type: 'run';
  scenario: unknown;
  /** Override the engine's op budget (tests, benchmarks). */
  opBudget?: number;
  /** Override the page's trace-entry cap (PAGE_MAX_ENTRIES): tests. */
  maxEntries?: number;
  /** Also return the snapshot after this trace entry (clamped to the trace). */
  seek?: number;
  /** Answer with `link: ''` and send the link in a `link` message right after the result. */
  linkLater?: boolean;
  /**
   * Answer with only the trace's first entries when it is long (RunResult.traceLater) and send the
   * whole trace in a `trace` message right after the result (its after-work's first part).
   */
  traceLater?: boolean;
  /**
   * Hold this run's after-work (the `traceLater` trace, the `linkLater` link, then the seek
   * checkpoints) until a `shown` notice names the run, or another request comes first (its
   * after-work goes before that answer).
   */
  afterShown?: boolean;
  /**
   * Also return the snapshot where timeline action `seekAction` starts (its `action` entry; the last
   * entry if it never started): a gesture's position, which the page cannot name before the trace
   * exists. Takes the place of `seek`.
   */
  seekAction?: number;
}

/** The state after trace entry `seq` of the worker's last run (−1: before the first entry). */
export interface SeekRequest {
  v: ProtocolVersion;
  id: number;
  type: 'seek';
  /** Which run: the `run` key of its result. A seek for another run is answered with code `no-run`. */
  run: number;
  seq: number;
}

/** Liveness check: the worker answers `pong` (used to detect a hung worker). */
export interface PingRequest {
  v: ProtocolVersion;
  id: number;
  type: 'ping';
}

export type WorkerRequest = RunRequest | SeekRequest | PingRequest;

/**
 * The page has shown run `run`'s result (the frame showing it is painted): the work the worker held
 * for it (`afterShown`) goes ahead. Not answered; `id` is the page's next request id, as for any message.
 */
export interface ShownNotice {
  v: ProtocolVersion;
  id: number;
  type: 'shown';
  run: number;
}
export type RequestType = WorkerRequest['type'];

// ---- responses (worker → UI)

export interface RunResult {
  v: ProtocolVersion;
  id: number;
  type: 'result';
  ok: true;
  /** The key of this run for later `seek`s (the id of the run request). */
  run: number;
  /** The scenario as validated and normalised (every default filled in). */
  scenario: NormalizedScenario;
  /**
   * Its link without a step (`#s1.<payload>`, codec.ts): made here so the page needs no validator to
   * write its address. '' when the request asked `linkLater`: a `link` message brings it next.
   */
  link: string;
  /**
   * The trace, encoded (the page reads it through traceView, src/trace/view.ts): the whole trace,
   * or with `traceLater` only its first entries.
   */
  trace: EncodedTrace;
  /** `trace` holds only the first entries of the run's trace (`index` is the whole trace's): a `trace` message brings them all next. */
  traceLater?: true;
  /** What the page needs to know about the whole trace, built here. */
  index: TraceIndex;
  /** Choice points of the run: where more than one thread was runnable (the thread picker). */
  choices: ChoicePoint[];
  title: string;
  description: string;
  warnings: ProtocolValidationError[];
  /**
   * The snapshot the request asked for with `seek`; without `seek`, the state before the first entry
   * (seq −1: the page folds from it to a cursor it picks from the trace). Optional for older workers.
   */
  snapshot?: Snapshot;
}

/** The link of a run whose request asked `linkLater`, sent right after its result. */
export interface LinkResponse {
  v: ProtocolVersion;
  /** The run request's id (the result's `run`). */
  id: number;
  type: 'link';
  ok: true;
  run: number;
  link: string;
}

/** The whole trace of a run whose result came with `traceLater: true`, sent right after that result. */
export interface TraceResponse {
  v: ProtocolVersion;
  /** The run request's id (the result's `run`). */
  id: number;
  type: 'trace';
  ok: true;
  run: number;
  trace: EncodedTrace;
}

export interface SnapshotResponse {
  v: ProtocolVersion;
  id: number;
  type: 'snapshot';
  ok: true;
  run: number;
  /** The position answered (the request's, clamped to the trace). */
  seq: number;
  snapshot: Snapshot;
}

export interface InvalidResponse {
  v: ProtocolVersion;
  id: number;
  type: 'invalid';
  ok: false;
  errors: ProtocolValidationError[];
  /** The scenario was made by a newer version of the playground. */
  newerVersion?: boolean;
}

export interface ErrorResponse {
  v: ProtocolVersion;
  /** `null` when the request was too malformed to have an id. */
  id: number | null;
  type: 'error';
  ok: false;
  message: string;
  /** `no-run`: the worker does not hold the run a seek names (it was restarted, or a newer run replaced it). */
  /** `no-run`: the worker does not hold that run. `internal`: the engine failed inside the run (a bug); the page replaces that worker. */
  code?: 'no-run' | 'internal';
}

export interface PongResponse {
  v: ProtocolVersion;
  id: number;
  type: 'pong';
  ok: true;
}

export type RunResponse = RunResult | InvalidResponse | ErrorResponse;
export type SeekResponse = SnapshotResponse | ErrorResponse;
export type WorkerResponse = RunResponse | SnapshotResponse | PongResponse | LinkResponse | TraceResponse;
export type ResponseType = WorkerResponse['type'];

// ---- constructors

/** A run request's optional fields (RunRequest): what to return beside the result, and how. */
export type RunRequestOptions = Partial<Pick<RunRequest, 'opBudget' | 'seek' | 'seekAction' | 'linkLater' | 'traceLater' | 'afterShown'>>;

export function runRequest(id: number, scenario: unknown, options: RunRequestOptions = {}): RunRequest {
  const r: RunRequest = { v: PROTOCOL_VERSION, id, type: 'run', scenario };
  if (options.opBudget !== undefined) r.opBudget = options.opBudget;
  if (options.seek !== undefined) r.seek = options.seek;
  if (options.seekAction !== undefined) r.seekAction = options.seekAction;
  if (options.linkLater) r.linkLater = true;
  if (options.traceLater) r.traceLater = true;
  if (options.afterShown) r.afterShown = true;
  return r;
}

export const shownNotice = (id: number, run: number): ShownNotice => ({ v: PROTOCOL_VERSION, id, type: 'shown', run });

export const seekRequest = (id: number, run: number, seq: number): SeekRequest => ({ v: PROTOCOL_VERSION, id, type: 'seek', run, seq });

export const pingRequest = (id: number): PingRequest => ({ v: PROTOCOL_VERSION, id, type: 'ping' });

export const errorResponse = (id: number | null, message: string, code?: ErrorResponse['code']): ErrorResponse =>
  code === undefined ? { v: PROTOCOL_VERSION, id, type: 'error', ok: false, message } : { v: PROTOCOL_VERSION, id, type: 'error', ok: false, message, code };

// ---- checking what arrives

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isId = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x);
const isSeq = (x: unknown): x is number => isId(x) && x >= -1;

function versionProblem(data: Record<string, unknown>, from: string): string | null {
  if (data.v === PROTOCOL_VERSION) return null;
  return (
    `Protocol version mismatch: ${from} sent a message of version ${JSON.stringify(data.v)}, ` +
    `this side speaks version ${PROTOCOL_VERSION}. Reload the page to get matching code.`
  );
}

export type Parsed<T> = { ok: true; message: T } | { ok: false; error: ErrorResponse };

/** In the worker: check an incoming request. A bad one yields the error response to send back. */
export function parseRequest(data: unknown): Parsed<WorkerRequest> {
  if (!isRecord(data)) return { ok: false, error: errorResponse(null, 'Malformed request: not an object.') };
  const id = isId(data.id) ? data.id : null;
  const version = versionProblem(data, 'the page');
  if (version) return { ok: false, error: errorResponse(id, version) };
  if (id === null) return { ok: false, error: errorResponse(null, 'Malformed request: missing numeric id.') };
  switch (data.type) {
    case 'run':
      if (!('scenario' in data)) return { ok: false, error: errorResponse(id, 'Malformed run request: no scenario.') };
      if (data.opBudget !== undefined && !(typeof data.opBudget === 'number' && data.opBudget > 0)) {
        return { ok: false, error: errorResponse(id, 'Malformed run request: opBudget must be a positive number.') };
      }
      if (data.maxEntries !== undefined && !(typeof data.maxEntries === 'number' && data.maxEntries > 0)) {
        return { ok: false, error: errorResponse(id, 'Malformed run request: maxEntries must be a positive number.') };
      }
      if (data.seek !== undefined && !isSeq(data.seek)) {
        return { ok: false, error: errorResponse(id, 'Malformed run request: seek must be an integer ≥ −1.') };
      }
      if (data.seekAction !== undefined && !(Number.isInteger(data.seekAction) && (data.seekAction as number) >= 0)) {
        return { ok: false, error: errorResponse(id, 'Malformed run request: seekAction must be an integer ≥ 0.') };
      }
      if (data.linkLater !== undefined && typeof data.linkLater !== 'boolean') {
        return { ok: false, error: errorResponse(id, 'Malformed run request: linkLater must be a boolean.') };
      }
      if (data.traceLater !== undefined && typeof data.traceLater !== 'boolean') {
        return { ok: false, error: errorResponse(id, 'Malformed run request: traceLater must be a boolean.') };
      }
      if (data.afterShown !== undefined && typeof data.afterShown !== 'boolean') {
        return { ok: false, error: errorResponse(id, 'Malformed run request: afterShown must be a boolean.') };
      }
      return { ok: true, message: data as unknown as RunRequest };
    case 'seek':
      if (!isId(data.run)) return { ok: false, error: errorResponse(id, 'Malformed seek request: no run.') };
      if (!isSeq(data.seq)) return { ok: false, error: errorResponse(id, 'Malformed seek request: seq must be an integer ≥ −1.') };
      return { ok: true, message: data as unknown as SeekRequest };
    case 'ping':
      return { ok: true, message: data as unknown as PingRequest };
    default:
      return { ok: false, error: errorResponse(id, `Unknown request type ${JSON.stringify(data.type)}.`) };
  }
}

/**
 * In the worker: a `shown` notice, checked. Null when the message is not one (it is a request, for
 * parseRequest); an error response to send back when it is a malformed one.
 */
export function parseShown(data: unknown): ShownNotice | ErrorResponse | null {
  if (!isRecord(data) || data.type !== 'shown') return null;
  const id = isId(data.id) ? data.id : null;
  const version = versionProblem(data, 'the page');
  if (version) return errorResponse(id, version);
  if (id === null) return errorResponse(null, 'Malformed shown notice: missing numeric id.');
  if (!isId(data.run)) return errorResponse(id, 'Malformed shown notice: no run.');
  return data as unknown as ShownNotice;
}

const isEncodedTrace = (x: unknown): x is EncodedTrace =>
  isRecord(x) && x.bytes instanceof Uint8Array && x.offsets instanceof Uint32Array && x.offsets.length >= 1;

const RESPONSE_TYPES: readonly ResponseType[] = ['result', 'snapshot', 'invalid', 'error', 'pong', 'link', 'trace'];

/** On the page: check a message from the worker. A bad one becomes an error response (never a throw). */
export function parseResponse(data: unknown): WorkerResponse {
  if (!isRecord(data)) return errorResponse(null, 'Malformed response from the engine worker: not an object.');
  const id = isId(data.id) ? data.id : null;
  const version = versionProblem(data, 'the engine worker');
  if (version) return errorResponse(id, version);
  if (!RESPONSE_TYPES.includes(data.type as ResponseType)) {
    return errorResponse(id, `Unknown response type ${JSON.stringify(data.type)} from the engine worker.`);
  }
  if (data.type !== 'error' && id === null) return errorResponse(null, 'Malformed response from the engine worker: no id.');
  if (data.type === 'result' && (!isEncodedTrace(data.trace) || !isRecord(data.index) || !Array.isArray(data.choices) || !isRecord(data.scenario) || typeof data.link !== 'string')) {
    return errorResponse(id, 'Malformed response from the engine worker: no trace.');
  }
  if (data.type === 'trace' && (!isEncodedTrace(data.trace) || !isId(data.run))) {
    return errorResponse(id, 'Malformed response from the engine worker: no trace.');
  }
  if (data.type === 'result' && data.traceLater !== undefined && data.traceLater !== true) {
    return errorResponse(id, 'Malformed response from the engine worker: traceLater must be true or absent.');
  }
  if (data.type === 'link' && (typeof data.link !== 'string' || !isId(data.run))) {
    return errorResponse(id, 'Malformed response from the engine worker: no link.');
  }
  if (data.type === 'snapshot' && !isRecord(data.snapshot)) {
    return errorResponse(id, 'Malformed response from the engine worker: no snapshot.');
  }
  if (data.type === 'invalid' && !Array.isArray(data.errors)) {
    return errorResponse(id, 'Malformed response from the engine worker: no errors.');
  }
  // postMessage gives every object Object.prototype back: key scenario data without it again.
  if (data.type === 'result') reviveScenario(data.scenario as unknown as NormalizedScenario);
  if ((data.type === 'result' || data.type === 'snapshot') && isRecord(data.snapshot)) reviveSnapshot(data.snapshot as unknown as Snapshot);
  return data as unknown as WorkerResponse;
}

/** The records of a normalised scenario keyed by its ids, prototype-free again (mutates `n`). */
export function reviveScenario(n: NormalizedScenario): NormalizedScenario {
  const components = (group: Record<string, Required<ComponentSpec>>) => {
    const out = dictOf(group);
    for (const c of Object.values(out)) {
      c.globals = dictOf(c.globals);
      c.routines = dictOf(c.routines);
      for (const body of Object.values(c.routines)) if (!Array.isArray(body) && isRecord(body.cases)) body.cases = dictOf(body.cases);
    }
    return out;
  };
  if (isRecord(n.drivers)) n.drivers = components(n.drivers);
  if (isRecord(n.apps)) n.apps = components(n.apps);
  return n;
}
