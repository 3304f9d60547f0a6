import { beforeEach, describe, expect, it } from 'vitest';
import { addDevice, addProcessor, removeProcessor } from '../scenario/gestures.ts';
import seed000 from '../scenario/demos/seed000-sync.json';
import { scenarioToHash } from '../scenario/codec.ts';
import type { Scenario } from '../scenario/types.ts';
import { stressScenario } from '../../bench/stress.ts';
import type { EncodedTrace } from '../trace/encoded.ts';
import { isTraceWhole, receivedLength } from '../trace/view.ts';
import { handleMessage, resetWorkerState, takeLaterLink, takeLaterTrace } from '../worker/engine.worker.ts';
import { PROTOCOL_VERSION, runRequest, seekRequest, type RunResponse, type SeekResponse } from '../worker/protocol.ts';
import { actionStart, createSessionStore, LOCAL_FOLD_MAX, shownLink, type EngineRunner } from './session.ts';

/** An engine backed by the real worker handler, answering after a macrotask; counts seeks; can "crash". */
class FakeEngine implements EngineRunner {
  seeks: number[] = [];
  runs = 0;
  private id = 1;
  private listeners = new Set<(r: string) => void>();
  async run(scenario: unknown, options: { seek?: number; seekAction?: number } = {}): Promise<RunResponse> {
    this.runs++;
    const r = handleMessage(runRequest(this.id++, structuredClone(scenario), { seek: options.seek, seekAction: options.seekAction }));
    await tick();
    return structuredClone(r) as RunResponse;
  }
  async seek(run: number, seq: number): Promise<SeekResponse> {
    this.seeks.push(seq);
    const r = handleMessage(seekRequest(this.id++, run, seq));
    await tick();
    return structuredClone(r) as SeekResponse;
  }
  onRestart(listener: (r: string) => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  /** The worker died: a fresh one holds no run. */
  crash() {
    resetWorkerState();
    for (const l of this.listeners) l('The engine worker crashed: boom; it was restarted.');
  }
}

/** A FakeEngine that brings an opening's link after its result, as the worker client does (`linkLater`). */
class LaterLinkEngine extends FakeEngine {
  asked: boolean[] = [];
  /** Each run's `afterShown`. */
  held: boolean[] = [];
  private links = new Map<number, string>();
  override async run(scenario: unknown, options: { seek?: number; seekAction?: number; linkLater?: boolean; afterShown?: boolean } = {}): Promise<RunResponse> {
    this.asked.push(options.linkLater ?? false);
    this.held.push(options.afterShown ?? false);
    const id = 1000 + this.asked.length;
    const r = handleMessage(runRequest(id, structuredClone(scenario), { seek: options.seek, seekAction: options.seekAction, linkLater: options.linkLater }));
    const link = takeLaterLink();
    if (link) this.links.set(link.run, link.link);
    await tick();
    return structuredClone(r) as RunResponse;
  }
  async laterLink(run: number): Promise<string | null> {
    await tick(); // asked before the link's message comes, as in a browser
    return this.links.get(run) ?? null;
  }
}

/** A LaterLinkEngine that answers a long opening with its trace's first entries (`traceLater`) and brings the rest when the test says. */
class LaterTraceEngine extends LaterLinkEngine {
  traceAsked: boolean[] = [];
  private rests = new Map<number, { trace: EncodedTrace | null; release(trace: EncodedTrace | null): void; promise: Promise<EncodedTrace | null> }>();
  override async run(scenario: unknown, options: { seek?: number; seekAction?: number; linkLater?: boolean; traceLater?: boolean } = {}): Promise<RunResponse> {
    this.traceAsked.push(options.traceLater ?? false);
    const r = handleMessage(runRequest(2000 + this.traceAsked.length, structuredClone(scenario), { seek: options.seek, seekAction: options.seekAction, traceLater: options.traceLater }));
    const rest = takeLaterTrace();
    if (rest) {
      let release!: (trace: EncodedTrace | null) => void;
      const promise = new Promise<EncodedTrace | null>((done) => (release = done));
      this.rests.set(rest.run, { trace: rest.trace, release, promise });
    }
    await tick();
    return structuredClone(r) as RunResponse;
  }
  laterTrace(run: number): Promise<EncodedTrace | null> {
    return this.rests.get(run)?.promise ?? Promise.resolve(null);
  }
  /** The worker sends run `run`'s whole trace (or stops first: `lost`). */
  release(run: number, lost = false) {
    const rest = this.rests.get(run);
    rest?.release(lost ? null : rest.trace);
  }
}

const tick = () => new Promise((r) => setTimeout(r, 1));
/** Seed 000 on 128 processors: a trace long enough (> 1,000 entries) for seeks too far to fold on the page. */
const wide = { ...seed000, machine: { processors: 128, maxProcessors: 256 } };
async function settle(check: () => boolean, what: string) {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await tick();
  }
  throw new Error(`timed out waiting for ${what}`);
}

let engine: FakeEngine;
beforeEach(() => {
  resetWorkerState();
  engine = new FakeEngine();
});

describe('session store', () => {
  it('runs a scenario, starts at the first entry, and fetches its snapshot', async () => {
    const store = createSessionStore(() => engine);
    expect(await store.getState().run(seed000)).toBe(true);
    const s = store.getState();
    expect(s.status).toBe('ready');
    expect(s.cursor).toBe(0);
    expect(s.scenario?.title).toBe('Synchronous processor notification');
    await settle(() => store.getState().snapshot?.seq === 0, 'snapshot 0');
  });

  it("a run's link follows its result, an opening's as an edit's", async () => {
    const later = new LaterLinkEngine();
    const store = createSessionStore(() => later);
    expect(await store.getState().run(seed000)).toBe(true);
    expect(store.getState().link).toBe('');
    await settle(() => store.getState().link !== '', 'the link');
    expect(store.getState().link).toBe(scenarioToHash(seed000 as Scenario));
    const edited = addProcessor(store.getState().scenario!, { index: 1, seq: Infinity });
    expect(await store.getState().run(edited.scenario, { edit: true })).toBe(true);
    expect(store.getState().link).toBe('');
    expect(store.getState().edits).toBe(1);
    await settle(() => store.getState().link !== '', "the edit's link");
    expect(store.getState().link).toBe(scenarioToHash(edited.scenario));
    expect(later.asked).toEqual([true, true]);
  });

  it("shownLink: the shown scenario's link once it has come; null when another scenario is shown first", async () => {
    const later = new (class extends LaterLinkEngine {
      /** The links asked for from now on do not come (yet). */
      hold = false;
      override laterLink(run: number): Promise<string | null> {
        return this.hold ? new Promise(() => {}) : super.laterLink(run);
      }
    })();
    const store = createSessionStore(() => later);
    expect(await shownLink(store)).toBeNull(); // nothing shown
    expect(await store.getState().run(seed000)).toBe(true);
    expect(store.getState().link).toBe('');
    expect(await shownLink(store)).toBe(scenarioToHash(seed000 as Scenario)); // waits for it
    expect(await shownLink(store)).toBe(scenarioToHash(seed000 as Scenario)); // known: at once
    later.hold = true;
    const edited = addProcessor(store.getState().scenario!, { index: 1, seq: Infinity });
    expect(await store.getState().run(edited.scenario, { edit: true })).toBe(true);
    const pending = shownLink(store);
    // Another scenario replaces it before its link comes: that link is not this scenario's.
    expect(await store.getState().run(wide, { edit: true })).toBe(true);
    expect(await pending).toBeNull();
  });

  it("a run asks the engine to hold its after-work until it is shown, and says so once its result is painted", async () => {
    const shown: number[] = [];
    const later = new (class extends LaterLinkEngine {
      shown(run: number) {
        shown.push(run);
      }
    })();
    const store = createSessionStore(() => later);
    expect(await store.getState().run(seed000)).toBe(true);
    expect(shown).toEqual([]); // not in the task that set the result: after its paint (here, with no frames, the next task)
    await settle(() => shown.length > 0, 'the shown notice');
    expect(shown).toEqual([store.getState().runKey]);
    const edited = addProcessor(store.getState().scenario!, { index: 1, seq: Infinity });
    expect(await store.getState().run(edited.scenario, { edit: true })).toBe(true);
    expect(shown).toHaveLength(1);
    await settle(() => shown.length === 2, "the edit's shown notice");
    expect(shown[1]).toBe(store.getState().runKey);
    expect(later.held).toEqual([true, true]);
    // With the views not on screen yet (`onScreen` pending), the notice waits for them too.
    let onScreen = () => undefined as void;
    expect(await store.getState().run(seed000, { onScreen: new Promise<void>((r) => (onScreen = r)) })).toBe(true);
    await tick();
    await tick();
    expect(shown).toHaveLength(2);
    onScreen();
    await settle(() => shown.length === 3, 'the shown notice after the first screen');
    expect(shown[2]).toBe(store.getState().runKey);
    expect(later.held).toEqual([true, true, true]);
    // A runner that cannot be told is never asked to hold.
    const plain = new LaterLinkEngine();
    expect(await createSessionStore(() => plain).getState().run(seed000)).toBe(true);
    expect(plain.held).toEqual([false]);
  });

  it('a run held `after` a promise shows it running but reaches the engine only once that settles', async () => {
    const store = createSessionStore(() => engine);
    let release = () => undefined as void;
    const opened = store.getState().run(seed000, { after: new Promise<void>((r) => (release = r)) });
    expect(store.getState().status).toBe('running');
    await tick();
    await tick();
    expect(engine.runs).toBe(0);
    release();
    expect(await opened).toBe(true);
    expect(engine.runs).toBe(1);
    expect(store.getState().status).toBe('ready');
    // A newer run while one waits supersedes it: the held one never reaches the engine.
    let release2 = () => undefined as void;
    const held = store.getState().run(wide, { after: new Promise<void>((r) => (release2 = r)) });
    expect(await store.getState().run(seed000)).toBe(true);
    release2();
    expect(await held).toBe(false);
    expect(engine.runs).toBe(2);
    expect(store.getState().scenario?.machine.processors).toBe(seed000.machine.processors);
  });

  it('opens at a given step with the snapshot in the same round trip', async () => {
    const store = createSessionStore(() => engine);
    await store.getState().run(seed000, { cursor: 35 });
    expect(store.getState().cursor).toBe(35);
    expect(store.getState().snapshot?.processors['2'].state).toBe('active');
    expect(engine.seeks).toEqual([]);
  });

  it('stepping moves the cursor at once; near steps fold on the page, far jumps ask the worker, coalesced', async () => {
    const store = createSessionStore(() => engine);
    await store.getState().run(wide, { cursor: 0 });
    engine.seeks = [];
    for (let i = 0; i < 20; i++) store.getState().step(1);
    expect(store.getState().cursor).toBe(20);
    // Each step folded its entry into the held snapshot: no round trip, and the same state the worker gives.
    expect(store.getState().snapshot?.seq).toBe(20);
    expect(engine.seeks).toEqual([]);
    const { runKey } = store.getState();
    const fromWorker = await engine.seek(runKey!, 20);
    expect(fromWorker.type === 'snapshot' && fromWorker.snapshot).toEqual(store.getState().snapshot);
    store.getState().step(-3); // back over held snapshots: still no round trip
    expect(store.getState().snapshot?.seq).toBe(17);
    engine.seeks = [];
    // Far jumps: one seek in flight, then only the latest cursor.
    const last = store.getState().trace.length - 1;
    expect(last).toBeGreaterThan(2 * LOCAL_FOLD_MAX);
    store.getState().seek(last - LOCAL_FOLD_MAX - 10);
    store.getState().seek(last - 5);
    store.getState().seek(last);
    await settle(() => store.getState().snapshot?.seq === last, 'snapshot at the end');
    expect(engine.seeks).toEqual([last - LOCAL_FOLD_MAX - 10, last]);
    // Stepping back from there: one seek to a point 64 entries earlier, then every step back folds from it.
    const fold = (k: number) => {
      const r = handleMessage(seekRequest(9_999, store.getState().runKey!, k)); // the worker's own answer, uncounted
      return r.type === 'snapshot' ? r.snapshot : null;
    };
    engine.seeks = [];
    for (let i = 1; i <= 30; i++) {
      store.getState().step(-1);
      await settle(() => store.getState().snapshot?.seq === last - i, `snapshot ${last - i}`);
      expect(store.getState().snapshot).toEqual(fold(last - i));
    }
    expect(engine.seeks).toEqual([last - 1 - 64]);
    // A jump farther back than that (the scrubber) asks for the cursor itself; a step back from
    // there asks for the point 64 entries earlier again.
    engine.seeks = [];
    const mid = Math.floor(last / 2); // more than LOCAL_FOLD_MAX away from every snapshot held
    store.getState().seek(mid);
    await settle(() => store.getState().snapshot?.seq === mid, 'snapshot after a jump back');
    expect(store.getState().snapshot).toEqual(fold(mid));
    store.getState().step(-1);
    await settle(() => store.getState().snapshot?.seq === mid - 1, 'snapshot a step back');
    expect(store.getState().snapshot).toEqual(fold(mid - 1));
    expect(engine.seeks).toEqual([mid, mid - 1 - 64]);
    store.getState().seek(1e9);
    expect(store.getState().cursor).toBe(store.getState().trace.length - 1);
    store.getState().seek(-5);
    expect(store.getState().cursor).toBe(0);
  });

  it('a gesture re-runs, jumps to where its action starts and selects what it added', async () => {
    const store = createSessionStore(() => engine);
    await store.getState().run(seed000);
    // Stand at the end of "load sampledrv" and drop a processor there.
    const afterLoad = store.getState().trace.findLastIndex((e) => e.step === 1);
    store.getState().seek(afterLoad);
    expect(await store.getState().gesture(addProcessor)).toBe(true);
    const s = store.getState();
    expect(s.scenario?.timeline.map((a) => a.do)).toEqual(['load', 'hotAddProcessor', 'hotAddProcessor', 'unload']);
    expect(s.cursor).toBe(actionStart(s.trace, 1));
    expect(s.trace[s.cursor]).toMatchObject({ type: 'action', index: 1 });
    expect(s.selected).toBe('cpu:2');

    await store.getState().gesture((sc, at) => addDevice(sc, at));
    expect(store.getState().selected).toBe('dev:device1');
  });

  it("a gesture far into a long trace comes with the snapshot where its action starts (no seek, one update)", async () => {
    const store = createSessionStore(() => engine);
    await store.getState().run(wide);
    engine.seeks = [];
    store.getState().seek(store.getState().trace.length - 1);
    await settle(() => store.getState().snapshot?.seq === store.getState().trace.length - 1, 'snapshot at the end');
    engine.seeks = [];
    const shown: { trace: unknown; cursor: number; snapshot: number | null }[] = [];
    const off = store.subscribe((s) => shown.push({ trace: s.trace, cursor: s.cursor, snapshot: s.snapshot?.seq ?? null }));
    expect(await store.getState().gesture(addProcessor)).toBe(true);
    off();
    const s = store.getState();
    const start = actionStart(s.trace, s.lastAction!);
    expect(start).toBeGreaterThan(LOCAL_FOLD_MAX); // too far to fold on the page from the run's first entry
    expect(s.cursor).toBe(start);
    expect(s.snapshot?.seq).toBe(start);
    // The worker's own answer for that position, asked separately: the same state.
    const r = handleMessage(seekRequest(9_999, s.runKey!, start));
    expect(r.type === 'snapshot' && r.snapshot).toEqual(s.snapshot);
    expect(engine.seeks).toEqual([]);
    // The new run was never shown without its state.
    expect(shown.filter((x) => x.trace === s.trace).every((x) => x.snapshot === start)).toBe(true);
  });

  it('a refused gesture leaves the scenario alone and says why', async () => {
    const store = createSessionStore(() => engine);
    await store.getState().run(seed000);
    const before = store.getState().scenario;
    expect(await store.getState().gesture((s, at) => addDevice(s, at, 'nope'))).toBe(false);
    expect(store.getState().scenario).toBe(before);
    expect(store.getState().notice).toMatchObject({ tone: 'error', text: 'There is no device nope to plug into.' });
  });

  it('Remove processor runs and lands on the refusal (KE-6)', async () => {
    const store = createSessionStore(() => engine);
    await store.getState().run(seed000, { cursor: 'end' });
    await store.getState().gesture((s, at) => removeProcessor(s, at, 1));
    const { trace, cursor } = store.getState();
    expect(trace[cursor]).toMatchObject({ type: 'action', action: { do: 'removeProcessor' } });
    expect(trace[cursor + 1]).toMatchObject({ type: 'hazard', rule: 'KE-6' });
  });

  it('the thread picker adds a schedule override at the choice point and keeps the cursor', async () => {
    const store = createSessionStore(() => engine);
    const racing = {
      ...seed000,
      timeline: [seed000.timeline[0], { do: 'hotAddProcessor' }, { do: 'unload', driver: 'sampledrv', concurrent: true }],
    };
    await store.getState().run(racing);
    const point = store.getState().choices[0];
    store.getState().seek(point.at - 1);
    const other = point.runnable.find((t) => t !== point.chosen)!;
    expect(await store.getState().pickThread(other)).toBe(true);
    const s = store.getState();
    expect(s.cursor).toBe(point.at - 1);
    expect(s.scenario?.schedule).toEqual([{ step: point.step, choice: point.choice, run: other }]);
    expect(s.trace[point.at].thread).toBe(other);
    expect(await store.getState().pickThread('nobody')).toBe(false);
  });

  it('an invalid scenario keeps the previous one and its trace', async () => {
    const store = createSessionStore(() => engine);
    await store.getState().run(seed000);
    const { trace } = store.getState();
    expect(await store.getState().run({ format: 'pnp-scenario/1', timeline: [{ do: 'fly' }] })).toBe(false);
    expect(store.getState().status).toBe('invalid');
    expect(store.getState().trace).toBe(trace);
    expect(store.getState().scenario?.title).toBe('Synchronous processor notification');
  });

  it('onInvalid: an invalid scenario (a link) leaves the session exactly as it was and reports the errors to the caller', async () => {
    const store = createSessionStore(() => engine);
    await store.getState().run(seed000);
    const before = store.getState();
    const got: unknown[] = [];
    const ok = await store.getState().run({ format: 'pnp-scenario/99' }, { onInvalid: (errors, newer) => got.push(errors.length > 0, newer) });
    expect(ok).toBe(false);
    expect(got).toEqual([true, true]);
    const after = store.getState();
    expect(after.status).toBe('ready');
    expect(after.errors).toEqual([]);
    expect(after.scenario).toBe(before.scenario);
    expect(after.link).toBe(before.link);
    expect(after.trace).toBe(before.trace);
  });

  it('after a worker crash the run is re-sent and the user is back at the same step', async () => {
    const store = createSessionStore(() => engine);
    await store.getState().run(seed000, { cursor: 31 });
    const { trace, runKey } = store.getState();
    engine.crash();
    await settle(() => store.getState().restarts === 1, 'recovery');
    const s = store.getState();
    expect(s.cursor).toBe(31);
    expect(s.trace).toBe(trace);
    expect(s.runKey).not.toBe(runKey);
    expect(s.snapshot?.seq).toBe(31);
    expect(s.notice?.text).toMatch(/crashed: boom\. Your scenario and step 32 were restored\./);
    // Stepping works against the new run.
    store.getState().step(4);
    await settle(() => store.getState().snapshot?.seq === 35, 'snapshot 35');
  });

  it('a seek answered `no-run` (the worker lost its run) also restores the session', async () => {
    const store = createSessionStore(() => engine);
    await store.getState().run(wide);
    resetWorkerState(); // lost without a crash event
    const far = store.getState().trace.length - 1; // too far to fold on the page: a worker seek
    store.getState().seek(far);
    await settle(() => store.getState().restarts === 1 && store.getState().snapshot?.seq === far, 'recovery');
  });
});

describe('session store: a long opening whose trace comes in two parts', () => {
  const long = stressScenario({ drivers: 40, hotAdds: 100 });

  it('shows the run from the first entries; a step past them waits for the rest, which completes the same trace; gestures wait for it too', async () => {
    const later = new LaterTraceEngine();
    const store = createSessionStore(() => later);
    expect(await store.getState().run(long)).toBe(true);
    const s = store.getState();
    expect(later.traceAsked).toEqual([true]);
    expect(s.status).toBe('ready');
    expect(s.traceWhole).toBe(false);
    expect(isTraceWhole(s.trace)).toBe(false);
    const received = receivedLength(s.trace);
    expect(received).toBeLessThan(s.trace.length);
    expect(s.cursor).toBe(0);
    await settle(() => store.getState().snapshot?.seq === 0, 'snapshot 0');
    // Within the received entries: at once. Past them: nothing yet, and no seek asked of the worker.
    store.getState().seek(received - 1);
    expect(store.getState().cursor).toBe(received - 1);
    const seeks = later.seeks.length;
    store.getState().seek(s.trace.length - 1);
    expect(store.getState().cursor).toBe(received - 1);
    store.getState().step(1);
    expect(store.getState().cursor).toBe(received - 1);
    await tick();
    expect(later.seeks).toHaveLength(seeks);
    // A gesture waits for the rest too (where it goes is read from the whole trace).
    let gestured = false;
    const gesture = store.getState().gesture((sc, at) => addProcessor(sc, at)).then((ok) => (gestured = ok));
    await tick();
    expect(gestured).toBe(false);
    later.release(s.runKey!);
    await settle(() => store.getState().traceWhole, 'the whole trace');
    // The same trace, whole now; the last step asked for is made.
    expect(store.getState().trace).toBe(s.trace);
    expect(isTraceWhole(s.trace)).toBe(true);
    expect(s.trace.at(-1)?.type).toBe('halt');
    await gesture;
    expect(gestured).toBe(true);
    expect(store.getState().traceWhole).toBe(true); // an edit's trace comes whole
    expect(later.traceAsked).toEqual([true, false]);
  }, 30_000);

  it('the last step asked for past the received entries is made when the rest comes; a rest that never comes runs the scenario again', async () => {
    const later = new LaterTraceEngine();
    const store = createSessionStore(() => later);
    expect(await store.getState().run(long)).toBe(true);
    const { trace, runKey } = store.getState();
    store.getState().seek(trace.length - 1);
    later.release(runKey!);
    await settle(() => store.getState().cursor === trace.length - 1 && store.getState().snapshot?.seq === trace.length - 1, 'the far step');
    // Lost: the worker stopped before sending it.
    expect(await store.getState().run(long, { cursor: 10 })).toBe(true);
    const second = store.getState();
    expect(second.traceWhole).toBe(false);
    later.release(second.runKey!, true);
    await settle(() => store.getState().traceWhole, 'the whole trace, from a second run');
    expect(store.getState().trace).toBe(second.trace);
    expect(store.getState().restarts).toBe(1);
    expect(store.getState().cursor).toBe(10);
    expect(second.trace.at(-1)?.type).toBe('halt');
    // A cursor or a selection computed from the trace: asked whole.
    expect(await store.getState().run(long, { cursor: 'end' })).toBe(true);
    expect(store.getState().traceWhole).toBe(true);
    expect(later.traceAsked.at(-1)).toBe(false);
  }, 30_000);
});

describe('session store: an internal engine error', () => {
  it('is shown as the run’s error, never retried silently (the client replaces the worker instead)', async () => {
    const failing = new FakeEngine();
    failing.run = async () => {
      failing.runs++;
      await tick();
      return { v: PROTOCOL_VERSION, id: 1, type: 'error', ok: false, message: 'Internal engine error: TypeError: x', code: 'internal' } as RunResponse;
    };
    const store = createSessionStore(() => failing);
    expect(await store.getState().run(seed000)).toBe(false);
    expect(failing.runs).toBe(1);
    expect(store.getState()).toMatchObject({ status: 'error', message: 'Internal engine error: TypeError: x', trace: [] });
  });

  it('a crash or a hang (no code) is still retried once, on the fresh worker', async () => {
    let calls = 0;
    const flaky = new FakeEngine();
    const real = flaky.run.bind(flaky);
    flaky.run = async (scenario, options) => {
      if (calls++ === 0) return { v: PROTOCOL_VERSION, id: 1, type: 'error', ok: false, message: 'The engine worker crashed; it was restarted.' } as RunResponse;
      return real(scenario, options);
    };
    const store = createSessionStore(() => flaky);
    expect(await store.getState().run(seed000)).toBe(true);
    expect(calls).toBe(2);
  });
});
