// The session store: mirrors what the engine worker sent for the current scenario, plus where the
// user is in its trace (docs/architecture.md: scenario → engine in worker → store → views). Views read it
// through narrow selectors; only this store talks to the worker.
//
// - The scenario is the source of truth: a gesture edits it (src/scenario/gestures.ts) and re-runs.
// - Stepping moves `cursor` at once (the stepper's "Step k of n" never waits). The snapshot there
//   comes from the recent snapshots the page holds: the one at the cursor, or the nearest before it
//   with the few entries in between folded in here by the engine's own `apply` (a key press or Play
//   costs no worker round trip). Anything farther is asked of the worker; rapid seeks are
//   coalesced: one seek in flight, and when it lands only the latest cursor is asked for next.
// - A crashed or hung worker is restarted by the client; the store then re-sends the run with a
//   seek to the cursor, so the user is back where they were with nothing lost.
import { useSyncExternalStore } from 'react';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ChoicePoint } from '../engine/engine.ts';
import { apply, cloneSnapshot, type Snapshot } from '../engine/snapshot.ts';
import type { TraceEntry } from '../engine/trace.ts';
import {
  GestureError,
  insertionPoint,
  pickThread as pickThreadGesture,
  type GestureResult,
  type Insertion,
  type NodeRef,
} from '../scenario/gestures.ts';
import type { NormalizedScenario } from '../scenario/types.ts';
import { actionStart, firstSeqOfStep, traceIndex } from '../trace/indexes.ts';
import { afterNextPaint, noFrames } from './frames.ts';
import { completeTrace, isTraceWhole, receivedLength, traceView } from '../trace/view.ts';
import type { EncodedTrace } from '../trace/encoded.ts';
import { getEngineClient } from '../worker/client.ts';
import { PROTOCOL_VERSION, type ProtocolValidationError, type RunResponse, type SeekResponse } from '../worker/protocol.ts';

export type SessionStatus = 'idle' | 'running' | 'ready' | 'invalid' | 'error';

/** A short message for the user about what just happened (a refused gesture, a restarted worker). */
export interface Notice {
  tone: 'info' | 'warning' | 'error';
  text: string;
  /** Increases with every notice, so the same text twice is still announced. */
  id: number;
}

export interface SessionState {
  status: SessionStatus;
  /** Title and description of the scenario whose trace is shown. */
  title: string;
  description: string;
  /** The scenario whose trace is shown, as the worker normalised it. Gestures edit it; the URL encodes it. */
  scenario: NormalizedScenario | null;
  /** The link of `scenario` without a step (`#s1.<payload>`, made by the worker); '' while there is none. */
  link: string;
  /**
   * The trace of the last scenario that ran. Kept when a later one is invalid or fails (keep the user's work).
   * A read-only view of the worker's encoded trace: an entry is decoded when read; whole-trace
   * questions go to its worker-built index (`traceIndex(trace)`, src/trace/indexes.ts).
   */
  trace: readonly TraceEntry[];
  /**
   * Whether every entry of `trace` can be read. A long opening's trace comes in two parts: its first
   * entries with the result (the step controls and the graph show them), the rest in a message of
   * their own (src/trace/view.ts). Until then this is false, and whatever reads entries beyond the
   * cursor's neighbourhood (the side columns, the export, the run's problems) waits for it; a step or
   * a jump past the received entries is made when the rest comes.
   */
  traceWhole: boolean;
  choices: readonly ChoicePoint[];
  /** Which run of the worker the trace is (for seeks). */
  runKey: number | null;
  /** The current trace entry (seq): 0…trace.length − 1, or −1 while there is no trace. */
  cursor: number;
  /** The state after entry `snapshot.seq`; lags `cursor` by one worker round trip while stepping. */
  snapshot: Snapshot | null;
  /** The selected graph node (see src/ui/graph/ids.ts), acted on by the actions panel. */
  selected: string | null;
  /** Validation problems of the last scenario submitted (status `invalid`). */
  errors: readonly ProtocolValidationError[];
  warnings: readonly ProtocolValidationError[];
  /** Set when the scenario was made by a newer version of the playground. */
  newerVersion: boolean;
  /** What went wrong (status `error`). */
  message: string | null;
  notice: Notice | null;
  /** Timeline index of the action the last gesture added (its outcome is shown), null after opening a scenario. */
  lastAction: number | null;
  /** How many times the worker was restarted and the session restored. */
  restarts: number;
  /** Increases with every submitted run; a result for an older run is dropped. */
  runId: number;
  /**
   * Increases when a run is an edit the user can undo (a gesture, an Apply, opening a demo): the
   * URL sync then adds a browser history entry, so Undo / Back and Redo / Forward walk the edits.
   */
  edits: number;

  /** Validate and run a raw scenario in the engine worker; go to `cursor` (default 0) in its trace. */
  run(scenario: unknown, options?: OpenOptions): Promise<boolean>;
  /** Go to trace entry `seq` (clamped). */
  seek(seq: number): void;
  /** Move by `delta` entries. */
  step(delta: number): void;
  /**
   * Apply a gesture at the cursor ("now") or at `at`, re-run, jump to where its action starts and
   * select what it added.
   */
  gesture(edit: (s: NormalizedScenario, at: Insertion) => GestureResult, at?: (s: NormalizedScenario, trace: readonly TraceEntry[], cursor: number) => Insertion): Promise<boolean>;
  /** The thread picker: at the choice point after the cursor, run `thread`; the cursor stays. */
  pickThread(thread: string): Promise<boolean>;
  select(node: string | null): void;
  notify(tone: Notice['tone'], text: string): void;
  dismissNotice(): void;
}

export interface OpenOptions {
  /**
   * Where to put the cursor: a seq, 'end', where timeline action `action` starts (a gesture's: the
   * worker answers with the snapshot there, so the run is shown with its state in one render), or a
   * function of the new trace.
   */
  cursor?: number | 'end' | { action: number } | ((trace: readonly TraceEntry[]) => number);
  /** What to select afterwards: a node id, or a function of the new trace. */
  select?: string | null | ((trace: readonly TraceEntry[]) => string | null);
  /**
   * Called instead of showing the problems when the scenario is invalid (a link that does not
   * open): the session stays exactly as it was, and the caller decides what to show.
   */
  onInvalid?: (errors: ProtocolValidationError[], newerVersion: boolean) => void;
  /** An edit the user can undo (see `edits`). */
  edit?: boolean;
  /**
   * Send the run to the engine only once this has settled (the session shows it running at once):
   * a long link's run waits for the page's first screen, so the two do not share the processor.
   */
  after?: Promise<unknown>;
  /**
   * Settles once the page's views are on screen (its first screen painted): an opening tells the
   * engine its result is shown (`shown`) after this and then a painted frame. Without it, a painted
   * frame after the result suffices.
   */
  onScreen?: Promise<unknown>;
}

/** What the store needs from the engine: the worker client, or a fake in tests. */
export interface EngineRunner {
  run(scenario: unknown, options?: { seek?: number; seekAction?: number; linkLater?: boolean; traceLater?: boolean; afterShown?: boolean }): Promise<RunResponse>;
  /** The link of a run asked with `linkLater` (its result came with `link: ''`); null if it will not come. */
  laterLink?(run: number): Promise<string | null>;
  /** The whole trace of a run whose result came with `traceLater: true` (its first entries only); null if it will not come. */
  laterTrace?(run: number): Promise<EncodedTrace | null>;
  /** Run `run`, asked `afterShown`, is shown: the engine may do what it held for it (its link, its seek checkpoints). */
  shown?(run: number): void;
  seek?(run: number, seq: number): Promise<SeekResponse>;
  onRestart?(listener: (reason: string) => void): () => void;
}

export type SessionStore = StoreApi<SessionState>;

/** Graph node ids for what a gesture added (the graph uses the same ids; see src/ui/graph/ids.ts). */
export function nodeIdOf(ref: NodeRef, trace: readonly TraceEntry[], actionIndex: number): string | null {
  switch (ref.kind) {
    case 'processor': {
      if (ref.NtNumber !== undefined) return `cpu:${ref.NtNumber}`;
      // The hot-added processor's NtNumber is decided by the run: the processor that appears in that step.
      const step = actionIndex + 1;
      const ix = traceIndex(trace);
      const from = firstSeqOfStep(ix, step);
      for (const seq of ix.entityStateSeqs) {
        if (seq < from) continue;
        const e = trace[seq];
        if (e.step !== step) break;
        if (e.type === 'state' && e.entity.startsWith('processor:') && e.from === 'not-present') {
          return `cpu:${e.entity.slice('processor:'.length)}`;
        }
      }
      return 'partition';
    }
    case 'memory':
      return `mem:${ref.id}`;
    case 'device':
      return `dev:${ref.id}`;
    case 'driver':
      return `drv:${ref.id}`;
    case 'app':
      return `app:${ref.id}`;
  }
}

export { actionStart };

/** At most this many entries are folded into a held snapshot on the page; a longer way is a worker seek. */
export const LOCAL_FOLD_MAX = 256;
/** A seek going back asks for the state this many entries before the cursor (see requestSnapshot). */
const BACK_AHEAD = 64;
/** How many recent snapshots the page holds (stepping back over them costs nothing). */
const RECENT_SNAPSHOTS = 64;

const clampCursor = (seq: number, length: number) => (length === 0 ? -1 : Math.max(0, Math.min(Math.trunc(seq), length - 1)));

export function createSessionStore(engine: () => EngineRunner): SessionStore {
  // Seek bookkeeping outside the state: it changes on every step and no view needs it.
  let seekInFlight = false;
  let noticeId = 0;
  let recovering: Promise<void> | null = null;
  let subscribed = false;
  /** A seek past the received entries of a trace still coming: made once it is whole. */
  let pendingSeek: number | null = null;
  /** Settles once the shown trace is whole (at once when it is). */
  let wholeTrace: Promise<unknown> = Promise.resolve();

  // Recent snapshots of the current trace by seq (never mutated once held), oldest first.
  let recent = new Map<number, Snapshot>();
  let recentFor: readonly TraceEntry[] | null = null;
  const hold = (trace: readonly TraceEntry[], snap: Snapshot | null | undefined): Snapshot | undefined => {
    if (!snap) return undefined;
    if (recentFor !== trace) {
      recent = new Map();
      recentFor = trace;
    }
    recent.delete(snap.seq);
    recent.set(snap.seq, snap);
    if (recent.size > RECENT_SNAPSHOTS) recent.delete(recent.keys().next().value as number);
    return snap;
  };
  /** The snapshot at `cursor` from the held ones (folding at most LOCAL_FOLD_MAX entries), or null. */
  const nearby = (trace: readonly TraceEntry[], cursor: number): Snapshot | null => {
    if (recentFor !== trace) return null;
    let from: Snapshot | null = null;
    for (const snap of recent.values()) if (snap.seq <= cursor && cursor - snap.seq <= LOCAL_FOLD_MAX && (!from || snap.seq > from.seq)) from = snap;
    if (!from || from.seq === cursor) return from;
    const next = cloneSnapshot(from);
    for (let i = from.seq + 1; i <= cursor; i++) apply(next, trace[i]);
    hold(trace, next);
    return next;
  };

  const store = createStore<SessionState>()((set, get) => {
    /** Bring the snapshot to the cursor: from the held ones, else ask the worker (coalesced while one is in flight). */
    function requestSnapshot() {
      const { runKey, cursor, snapshot, trace } = get();
      const client = engine();
      if (runKey === null || cursor < 0 || recovering) return;
      if (snapshot && snapshot.seq === cursor) return;
      const local = nearby(trace, cursor);
      if (local) return set({ snapshot: local });
      if (!client.seek || seekInFlight) return; // the landing seek will ask for the latest cursor
      seekInFlight = true;
      // Stepping back: ask for a point BACK_AHEAD entries earlier, so the next steps back fold from it
      // here. A jump farther back (the scrubber) asks for the cursor itself: the next move would not
      // land within those entries, and folding them here would only delay the jump's frame.
      const back = snapshot !== null && cursor < snapshot.seq && snapshot.seq - cursor <= BACK_AHEAD;
      client.seek(runKey, back ? Math.max(0, cursor - BACK_AHEAD) : cursor).then(
        (response) => {
          seekInFlight = false;
          if (response.type === 'snapshot') {
            if (response.run === get().runKey) {
              hold(get().trace, response.snapshot);
              if (get().snapshot?.seq !== get().cursor) set({ snapshot: response.snapshot }); // unless the page got there first
            }
            requestSnapshot(); // the cursor may have moved meanwhile: only its latest value matters
          } else if (response.code === 'no-run' && response.id !== null) {
            // The worker was restarted or replaced: put the run back (only if it is still ours).
            if (get().runKey === runKey) void recover('The engine was restarted');
          } else if (!recovering) {
            void recover(response.message);
          }
        },
        () => {
          seekInFlight = false;
        },
      );
    }

    /** Show the link of run `run` once the worker sends it, if that run is still the one shown. */
    async function takeLaterLink(run: number) {
      const link = await engine().laterLink?.(run);
      if (link && get().runKey === run && get().link === '') set({ link });
    }

    /** The trace `trace` of run `run` is whole now: show it so, and make a seek that waited for it. */
    function traceCompleted(trace: readonly TraceEntry[]) {
      if (get().trace !== trace) return;
      set({ traceWhole: true });
      const seq = pendingSeek;
      pendingSeek = null;
      if (seq !== null) get().seek(seq);
    }

    /** Take the rest of run `run`'s trace when the worker sends it; if it never does, run the scenario again (recover). */
    async function takeLaterTrace(run: number, trace: readonly TraceEntry[]) {
      const whole = await engine().laterTrace?.(run);
      if (get().trace !== trace || isTraceWhole(trace)) return;
      if (whole && completeTrace(trace, whole)) return traceCompleted(trace);
      // The worker stopped before sending it (or sent another length): the run, again, brings it whole.
      await recover('The engine stopped before sending the whole trace');
    }

    /** Re-send the current scenario with a seek to the cursor (after a worker crash or hang). */
    function recover(reason: string): Promise<void> {
      if (recovering) return recovering;
      const { scenario, status } = get();
      // A run in flight retries on its own (runScenario) and replaces the worker's run anyway.
      if (!scenario || status === 'running') return Promise.resolve();
      recovering = (async () => {
        const cursor = get().cursor;
        let response: RunResponse | null = null;
        for (let attempt = 0; attempt < 2 && response?.type !== 'result'; attempt++) {
          response = await safeRun(engine(), scenario, cursor);
        }
        recovering = null;
        if (get().scenario !== scenario || get().status === 'running') return; // something newer replaced it
        const r = response;
        if (r?.type === 'result') {
          // The engine is deterministic: a trace still coming is this run's (asked whole here).
          const trace = get().trace;
          if (!isTraceWhole(trace) && r.traceLater !== true && completeTrace(trace, r.trace)) traceCompleted(trace);
          set((s) => ({
            runKey: r.run,
            // The engine is deterministic: the trace is the one we have; keep it (views don't re-render).
            snapshot: hold(get().trace, r.snapshot) ?? null,
            // A link still to come from the crashed worker never will: this answer carries it.
            ...(s.link === '' && r.link !== '' ? { link: r.link } : {}),
            restarts: s.restarts + 1,
            notice: { tone: 'warning', text: `${stripPeriod(reason)}. Your scenario and step ${s.cursor + 1} were restored.`, id: ++noticeId },
          }));
          requestSnapshot();
        } else if (r) {
          set({ status: 'error', message: r.type === 'error' ? r.message : 'The scenario could not be run again.' });
        }
      })();
      return recovering;
    }

    /**
     * Run and show `raw`. `lastAction`: the gesture's action whose outcome is shown from now on (null:
     * none), set with the result so that the views render it once; undefined keeps the current one.
     */
    async function runScenario(raw: unknown, options: OpenOptions = {}, lastAction?: number | null): Promise<boolean> {
      const client = engine();
      if (!subscribed && client.onRestart) {
        subscribed = true;
        client.onRestart((reason) => void recover(reason));
      }
      const runId = get().runId + 1;
      const before = { status: get().status, message: get().message };
      set({ status: 'running', runId, message: null });
      if (options.after) {
        await Promise.allSettled([options.after]);
        if (get().runId !== runId) return false; // superseded while it waited
      }
      const wanted = options.cursor;
      const seek = typeof wanted === 'number' ? wanted : typeof wanted === 'object' ? { action: wanted.action } : undefined;
      // The link follows the result (made once the frame showing the run is painted), so the page
      // shows the run without waiting for it; an edit's history entry is written when it comes
      // (src/ui/url.ts). An opening's trace may come in two parts when the page starts at a position
      // it names (the worker then sends the entries through it first); a cursor or a selection
      // computed from the trace needs it whole.
      const traceLater = !options.edit && (wanted === undefined || typeof wanted === 'number') && typeof options.select !== 'function';
      let response = await safeRun(client, raw, seek, true, traceLater);
      // A crashed or hung worker fails the request and is replaced: try once more on the fresh one.
      // Not after an internal engine error: the run itself failed (deterministically), so say so.
      if (response.type === 'error' && response.code !== 'internal' && get().runId === runId) response = await safeRun(engine(), raw, seek, true, traceLater);
      if (get().runId !== runId) return false; // superseded by a newer run
      switch (response.type) {
        case 'result': {
          const trace = traceView(response.trace, response.index);
          const cursor = clampCursor(
            wanted === 'end'
              ? trace.length - 1
              : typeof wanted === 'function'
                ? wanted(trace)
                : typeof wanted === 'object'
                  ? actionStart(trace, wanted.action)
                  : (wanted ?? 0),
            trace.length,
          );
          const select = typeof options.select === 'function' ? options.select(trace) : options.select;
          const snapshot = response.snapshot && response.snapshot.seq === cursor ? response.snapshot : null;
          hold(trace, response.snapshot);
          pendingSeek = null;
          const whole = isTraceWhole(trace);
          if (!whole && cursor >= receivedLength(trace)) {
            // Not the entries the request named (never from this worker): wait for them all.
            const rest = await engine().laterTrace?.(response.run);
            if (get().runId !== runId) return false;
            if (!rest || !completeTrace(trace, rest)) {
              set({ status: 'error', message: 'The engine did not send the whole trace.' });
              return false;
            }
          }
          set((s) => ({
            status: 'ready',
            title: response.title,
            description: response.description,
            scenario: response.scenario,
            link: response.link,
            trace,
            traceWhole: isTraceWhole(trace),
            choices: response.choices,
            runKey: response.run,
            cursor,
            snapshot,
            selected: select === undefined ? s.selected : select,
            errors: [],
            warnings: response.warnings ?? [],
            newerVersion: false,
            edits: options.edit ? s.edits + 1 : s.edits,
            ...(lastAction === undefined ? {} : { lastAction }),
          }));
          requestSnapshot();
          wholeTrace = isTraceWhole(trace) ? Promise.resolve() : takeLaterTrace(response.run, trace);
          if (response.link === '') void takeLaterLink(response.run);
          // The run's after-work in the worker (its link, its seek checkpoints) waits until the frame
          // showing it is painted, so that it does not take a core from this render (safeRun).
          void Promise.allSettled([options.onScreen]).then(() => afterNextPaint(() => engine().shown?.(response.run)));
          return true;
        }
        case 'invalid':
          if (options.onInvalid) {
            set(before);
            options.onInvalid(response.errors, response.newerVersion ?? false);
            return false;
          }
          set({ status: 'invalid', errors: response.errors, newerVersion: response.newerVersion ?? false });
          return false;
        case 'error':
          set({ status: 'error', message: response.message });
          return false;
      }
    }

    return {
      status: 'idle',
      title: '',
      description: '',
      scenario: null,
      link: '',
      trace: [],
      traceWhole: true,
      choices: [],
      runKey: null,
      cursor: -1,
      snapshot: null,
      selected: null,
      errors: [],
      warnings: [],
      newerVersion: false,
      message: null,
      notice: null,
      lastAction: null,
      restarts: 0,
      runId: 0,
      edits: 0,

      run(raw, options) {
        return runScenario(raw, options, null);
      },

      seek(seq) {
        const { trace, cursor } = get();
        const next = clampCursor(seq, trace.length);
        // Past the entries received so far: the step is made when the rest of the trace comes.
        if (next >= receivedLength(trace)) {
          pendingSeek = next;
          return;
        }
        pendingSeek = null;
        if (next === cursor) return;
        set({ cursor: next });
        requestSnapshot();
      },

      step(delta) {
        get().seek(get().cursor + delta);
      },

      async gesture(edit, at) {
        // Where a gesture goes is read from the trace (insertionPoint): from all of it.
        if (!isTraceWhole(get().trace)) await wholeTrace;
        const { scenario, trace, cursor } = get();
        if (!isTraceWhole(trace)) {
          get().notify('error', 'The trace did not come whole from the engine; open the scenario again to edit it.');
          return false;
        }
        if (!scenario) return false;
        let result: GestureResult;
        try {
          result = edit(scenario, (at ?? insertionPoint)(scenario, trace, cursor));
        } catch (err) {
          if (err instanceof GestureError) {
            get().notify('error', err.message);
            return false;
          }
          throw err;
        }
        const { actionIndex, select } = result;
        return runScenario(
          result.scenario,
          {
            edit: true,
            cursor: { action: actionIndex },
            select: select ? (t) => nodeIdOf(select, t, actionIndex) : undefined,
          },
          actionIndex,
        );
      },

      async pickThread(thread) {
        const { scenario, cursor, choices } = get();
        if (!scenario) return false;
        const at = cursor + 1;
        const point = choices.find((c) => c.at === at);
        if (!point || !point.runnable.includes(thread)) {
          get().notify('error', `${thread} cannot run here: the thread picker applies at a choice point, where more than one thread is runnable.`);
          return false;
        }
        return runScenario(pickThreadGesture(scenario, point, thread), { cursor, edit: true });
      },

      select(node) {
        if (get().selected !== node) set({ selected: node });
      },

      notify(tone, text) {
        set({ notice: { tone, text, id: ++noticeId } });
      },

      dismissNotice() {
        set({ notice: null });
      },
    };
  });
  return store;
}

const stripPeriod = (s: string) => s.replace(/[.;:\s]+$/, '').replace(/; it was restarted$/, '');

async function safeRun(client: EngineRunner, scenario: unknown, seek: number | { action: number } | undefined, linkLater = false, traceLater = false): Promise<RunResponse> {
  try {
    // Only a runner that can bring the link (the trace) later is asked for it later; one that can be
    // told when the run is shown is asked to hold its after-work until then.
    const later =
      linkLater && client.laterLink
        ? { linkLater: true, ...(traceLater && client.laterTrace ? { traceLater: true } : {}), ...(client.shown ? { afterShown: true } : {}) }
        : {};
    return await client.run(scenario, { ...(seek === undefined ? {} : typeof seek === 'number' ? { seek } : { seekAction: seek.action }), ...later });
  } catch (err) {
    return { v: PROTOCOL_VERSION, id: null, type: 'error', ok: false, message: err instanceof Error ? err.message : String(err) };
  }
}

// The app's store, bound to the shared worker client (created on the first run, not on import).
export const sessionStore: SessionStore = createSessionStore(getEngineClient);

/**
 * The link of the scenario shown now, once it is known: a run's link follows its result (the worker
 * makes it after the run is painted), so right after a run `link` is ''. Resolves at once when it is
 * known; with null when another scenario (or none) is shown before it comes.
 */
export function shownLink(store: SessionStore = sessionStore): Promise<string | null> {
  const { scenario, link } = store.getState();
  if (link || !scenario) return Promise.resolve(link || null);
  return new Promise((resolve) => {
    const unsubscribe = store.subscribe((s) => {
      if (s.scenario === scenario && !s.link) return;
      unsubscribe();
      resolve(s.scenario === scenario ? s.link : null);
    });
  });
}

/**
 * The views see the store at most once per painted frame: changes made in one task (the cursor moved
 * by a key, then the snapshot for it folded in) are shown by one render, at the end of that task, so
 * a key press is on screen in the next frame; changes that come while a render is still waiting for
 * its frame to be painted (a key held down faster than the screen paints, a scrubber dragged) are
 * shown together by one render right after that paint, never by one render each. A jump the worker
 * answers (the scrubber) waits for its snapshot, up to SNAPSHOT_WAIT_MS, so the panels and the graph
 * catch up in one render and one frame instead of two. Without requestAnimationFrame (tests) or on a
 * hidden page (no frames) changes show at once.
 */
const frameStore = createFrameStore(sessionStore);

/** How long the views wait for the worker's snapshot of a jump before showing the new cursor without it. */
export const SNAPSHOT_WAIT_MS = 50;

function createFrameStore(source: SessionStore) {
  let shown = source.getState();
  /** A change not shown yet. */
  let pending = false;
  /** A render was shown and its frame is not painted yet. */
  let unpainted = false;
  /** The deadline of a wait for the worker's snapshot. */
  let waiting: ReturnType<typeof setTimeout> | null = null;
  const listeners = new Set<() => void>();
  const flush = () => {
    pending = false;
    if (waiting) clearTimeout(waiting);
    waiting = null;
    shown = source.getState();
    if (!noFrames()) {
      unpainted = true;
      afterNextPaint(() => {
        unpainted = false;
        if (pending) flush();
      });
    }
    for (const l of listeners) l();
  };
  const request = () => {
    if (pending) return;
    pending = true;
    if (!unpainted) queueMicrotask(flush); // at the end of this task: after every change it makes
  };
  /** The cursor moved within the shown trace and its snapshot is still to come from the worker. */
  const awaitsSnapshot = (s: SessionState) => s.trace === shown.trace && s.snapshot === shown.snapshot && s.snapshot !== null && s.snapshot.seq !== s.cursor;
  source.subscribe((state) => {
    if (noFrames()) return flush();
    if (!pending && awaitsSnapshot(state)) {
      waiting ??= setTimeout(() => {
        waiting = null;
        request();
      }, SNAPSHOT_WAIT_MS);
      return;
    }
    request();
  });
  return {
    getState: () => shown,
    subscribe: (l: () => void) => {
      listeners.add(l);
      return () => void listeners.delete(l);
    },
  };
}

/**
 * Whether the session has moved to a step (or a run) the views do not show yet: a key press or a
 * scrubber jump whose render is still to come. What follows the step at leisure (the side column)
 * waits while one is on its way.
 */
export function stepPending(): boolean {
  const now = sessionStore.getState();
  const shown = frameStore.getState();
  return now.cursor !== shown.cursor || now.trace !== shown.trace;
}

/**
 * The session as of this moment, for the little that must follow a key press in the same frame
 * (the stepper's "Step k of n"); everything else reads useSession.
 */
export function useSessionNow<T>(selector: (state: SessionState) => T): T {
  const get = () => selector(sessionStore.getState());
  return useSyncExternalStore(sessionStore.subscribe, get, get);
}

/** Read the session with a narrow selector: `useSession((s) => s.status)` (updated once per frame, see frameStore). */
export function useSession<T>(selector: (state: SessionState) => T): T {
  const get = () => selector(frameStore.getState());
  return useSyncExternalStore(frameStore.subscribe, get, get);
}
