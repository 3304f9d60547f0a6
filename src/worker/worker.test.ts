import { beforeEach, describe, expect, it } from 'vitest';
import seed000 from '../scenario/demos/seed000-sync.json';
import { scenarioToHash } from '../scenario/codec.ts';
import type { Scenario } from '../scenario/types.ts';
import { stressScenario } from '../../bench/stress.ts';
import { encodedLength, encodeTrace } from '../trace/encoded.ts';
import { completeTrace, isTraceWhole, traceView } from '../trace/view.ts';
import { EngineClient, type WorkerLike } from './client.ts';
import { handleMessage, receive, resetWorkerState, takeLaterLink, takeLaterTrace, TRACE_AHEAD, TRACE_LATER_MIN } from './engine.worker.ts';
import { parseRequest, parseShown, PROTOCOL_VERSION, runRequest, seekRequest, shownNotice, type ShownNotice, type WorkerRequest, type WorkerResponse } from './protocol.ts';

beforeEach(() => resetWorkerState());

describe('worker: run and seek (protocol v3)', () => {
  it('a run result carries the normalised scenario, the choice points and an optional snapshot', () => {
    const r = handleMessage(runRequest(7, seed000, { seek: 31 }));
    expect(r).toMatchObject({ v: PROTOCOL_VERSION, id: 7, type: 'result', run: 7, choices: [] });
    if (r.type !== 'result') throw new Error(r.type);
    expect(r.scenario.machine.maxProcessors).toBe(4);
    expect(r.snapshot?.seq).toBe(31);
    expect(r.snapshot?.processors['2']?.state).toBe('starting');
    // The link is made here, so the page never needs the validator to write its address.
    expect(r.link).toBe(scenarioToHash(seed000 as Scenario));
  });

  it('a run asked with linkLater comes without its link; the link message that follows carries it, once', () => {
    const r = handleMessage(runRequest(9, seed000, { linkLater: true }));
    if (r.type !== 'result') throw new Error(r.type);
    expect(r.link).toBe('');
    expect(takeLaterLink()).toEqual({ v: PROTOCOL_VERSION, id: 9, type: 'link', ok: true, run: 9, link: scenarioToHash(seed000 as Scenario) });
    expect(takeLaterLink()).toBeNull();
    // Owed only for the message just answered: the next message forgets it.
    handleMessage(runRequest(10, seed000, { linkLater: true }));
    handleMessage(seekRequest(11, 10, 3));
    expect(takeLaterLink()).toBeNull();
    expect(handleMessage({ ...runRequest(12, seed000), linkLater: 'yes' })).toMatchObject({ type: 'error', id: 12 });
  });

  it('a scenario with old-form schedule overrides ({ at }) comes back with them as { step, choice }, and a warning', () => {
    const racing = { ...seed000, timeline: [seed000.timeline[0], { do: 'hotAddProcessor' }, { do: 'unload', driver: 'sampledrv', concurrent: true }] };
    const first = handleMessage(runRequest(1, racing));
    if (first.type !== 'result') throw new Error(first.type);
    const c = first.choices[0];
    const other = c.runnable.find((t) => t !== c.chosen)!;
    const r = handleMessage(runRequest(2, { ...racing, schedule: [{ at: c.at, run: other }] }));
    if (r.type !== 'result') throw new Error(r.type);
    expect(r.scenario.schedule).toEqual([{ step: c.step, choice: c.choice, run: other }]);
    expect(r.warnings).toEqual([{ path: '/schedule', message: 'overrides in the old form { "at": seq } were rewritten as { "step", "choice" }, which survive engine changes' }]);
    expect(traceView(r.trace, r.index)[c.at].thread).toBe(other);
  });

  it('answers seek from the last run; clamps the position; a stale or missing run is `no-run`', () => {
    expect(handleMessage(seekRequest(1, 1, 0))).toMatchObject({ type: 'error', code: 'no-run' });
    const r = handleMessage(runRequest(2, seed000));
    if (r.type !== 'result') throw new Error(r.type);
    const s = handleMessage(seekRequest(3, 2, 35));
    expect(s).toMatchObject({ type: 'snapshot', run: 2, seq: 35 });
    if (s.type !== 'snapshot') throw new Error(s.type);
    expect(s.snapshot.processors['2'].state).toBe('active');
    expect(handleMessage(seekRequest(4, 2, 1e6))).toMatchObject({ type: 'snapshot', seq: r.index.length - 1 });
    expect(handleMessage(seekRequest(5, 2, -1))).toMatchObject({ type: 'snapshot', seq: -1 });
    handleMessage(runRequest(6, seed000));
    expect(handleMessage(seekRequest(8, 2, 0))).toMatchObject({ type: 'error', code: 'no-run' });
  });

  it('refuses malformed seeks and other versions', () => {
    expect(handleMessage({ v: PROTOCOL_VERSION, id: 1, type: 'seek', run: 1, seq: 'x' })).toMatchObject({ type: 'error', id: 1 });
    expect(handleMessage({ v: PROTOCOL_VERSION, id: 1, type: 'seek', seq: 1 })).toMatchObject({ type: 'error' });
    expect(handleMessage({ v: 1, id: 1, type: 'ping' })).toMatchObject({ type: 'error', message: expect.stringMatching(/version/) });
  });
});

/** A scenario whose trace is long enough to come in two parts (36,000-odd entries). */
const long = stressScenario({ drivers: 40, hotAdds: 100 });
/** Byte arrays equal (toEqual compares megabytes element by element, too slowly). */
const sameBytes = (a: ArrayBufferView | undefined, b: ArrayBufferView) => !!a && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;

describe('worker: a long trace asked for later (traceLater)', () => {
  it('the result carries the entries through the position asked and TRACE_AHEAD more, with the whole index; the trace message that follows carries them all, once', () => {
    const whole = handleMessage(runRequest(1, long, { seek: 700 }));
    if (whole.type !== 'result') throw new Error(whole.type);
    const length = whole.index.length;
    expect(length - (701 + TRACE_AHEAD)).toBeGreaterThanOrEqual(TRACE_LATER_MIN);
    expect(whole.traceLater).toBeUndefined();
    expect(encodedLength(whole.trace)).toBe(length);
    expect(takeLaterTrace()).toBeNull(); // not asked
    const r = handleMessage(runRequest(2, long, { seek: 700, traceLater: true }));
    if (r.type !== 'result') throw new Error(r.type);
    expect(r.traceLater).toBe(true);
    expect(r.index.length).toBe(length);
    expect(encodedLength(r.trace)).toBe(701 + TRACE_AHEAD);
    expect(r.snapshot?.seq).toBe(700);
    // Its first entries are the whole trace's, byte for byte.
    expect(sameBytes(r.trace.bytes, whole.trace.bytes.subarray(0, r.trace.bytes.length))).toBe(true);
    const rest = takeLaterTrace();
    expect(rest).toMatchObject({ v: PROTOCOL_VERSION, id: 2, type: 'trace', ok: true, run: 2 });
    expect(sameBytes(rest?.trace.bytes, whole.trace.bytes)).toBe(true);
    expect(sameBytes(rest?.trace.offsets, whole.trace.offsets)).toBe(true);
    expect(takeLaterTrace()).toBeNull();
    // A short trace, or a position near the end, comes whole at once: nothing follows.
    const short = handleMessage(runRequest(3, seed000, { traceLater: true }));
    expect(short).toMatchObject({ type: 'result' });
    expect(short.type === 'result' && short.traceLater).toBeFalsy();
    expect(takeLaterTrace()).toBeNull();
    const late = handleMessage(runRequest(4, long, { seek: length - TRACE_LATER_MIN, traceLater: true }));
    expect(late.type === 'result' && late.traceLater).toBeFalsy();
    expect(late.type === 'result' && encodedLength(late.trace)).toBe(length);
    expect(takeLaterTrace()).toBeNull();
    expect(handleMessage({ ...runRequest(5, seed000), traceLater: 1 })).toMatchObject({ type: 'error', id: 5, message: expect.stringMatching(/traceLater/) });
  }, 30_000);

  it('the trace is the first after-work, held with the link until `shown` (or any other request), and posted before the link', () => {
    const posted: string[] = [];
    const send = (data: unknown) => receive(structuredClone(data), (m) => posted.push(m.type === 'link' || m.type === 'trace' ? `${m.type} ${m.run}` : `${m.type} ${m.id}`), () => undefined);
    send(runRequest(1, long, { linkLater: true, traceLater: true, afterShown: true }));
    expect(posted).toEqual(['result 1']);
    send(shownNotice(2, 1));
    expect(posted).toEqual(['result 1', 'trace 1', 'link 1']);
    send(runRequest(3, long, { linkLater: true, traceLater: true, afterShown: true }));
    send(seekRequest(4, 3, 30_000)); // a jump past the first entries: the whole trace comes before its snapshot
    expect(posted.slice(3)).toEqual(['result 3', 'trace 3', 'link 3', 'snapshot 4']);
  }, 30_000);
});

describe('worker: after-work held until the page has shown the run (afterShown)', () => {
  /** receive() with its posts recorded (type and run or id) and its slices queued, not run. */
  function loop() {
    const posted: string[] = [];
    const slices: (() => void)[] = [];
    const send = (data: unknown) =>
      receive(
        structuredClone(data),
        (m) => posted.push(m.type === 'link' ? `link ${m.run}` : m.type === 'error' ? `error ${m.id}` : `${m.type} ${m.id}`),
        (slice) => slices.push(slice),
      );
    return { posted, slices, send };
  }
  const link = scenarioToHash(seed000 as Scenario);

  it('without afterShown the link follows the result at once, and the seek checkpoints start', () => {
    const { posted, slices, send } = loop();
    send(runRequest(1, seed000, { linkLater: true }));
    expect(posted).toEqual(['result 1', 'link 1']);
    expect(slices).toHaveLength(1);
  });

  it('with afterShown only the result is posted; `shown` for the run posts the link and starts the checkpoints, once', () => {
    const { posted, slices, send } = loop();
    send(runRequest(2, seed000, { linkLater: true, afterShown: true }));
    expect(posted).toEqual(['result 2']);
    expect(slices).toHaveLength(0);
    send(shownNotice(3, 9)); // another run: ignored
    expect(posted).toEqual(['result 2']);
    send(shownNotice(4, 2));
    expect(posted).toEqual(['result 2', 'link 2']);
    expect(slices).toHaveLength(1);
    send(shownNotice(5, 2)); // already released: nothing more
    expect(posted).toEqual(['result 2', 'link 2']);
    while (slices.length) slices.shift()?.(); // the checkpoints, slice by slice, until done
    expect(handleMessage(seekRequest(6, 2, 30))).toMatchObject({ type: 'snapshot', run: 2, seq: 30 });
  });

  it('any other message first lets the held work go before its own answer: a seek, a new run (whose link is then the new one)', () => {
    const { posted, send } = loop();
    send(runRequest(1, seed000, { linkLater: true, afterShown: true }));
    send(seekRequest(2, 1, 5));
    expect(posted).toEqual(['result 1', 'link 1', 'snapshot 2']);
    send(runRequest(3, seed000, { linkLater: true, afterShown: true }));
    send(runRequest(4, { ...seed000, title: 'Another' }, { linkLater: true, afterShown: true }));
    expect(posted).toEqual(['result 1', 'link 1', 'snapshot 2', 'result 3', 'link 3', 'result 4']);
    send(shownNotice(5, 3)); // the run replaced: ignored, run 4 still held
    expect(posted).toHaveLength(6);
    send(shownNotice(6, 4));
    expect(posted.at(-1)).toBe('link 4');
  });

  it('the link posted after `shown` is the run\'s own', () => {
    const links: string[] = [];
    const post = (m: WorkerResponse) => void (m.type === 'link' && links.push(m.link));
    receive(runRequest(1, seed000, { linkLater: true, afterShown: true }), post, () => undefined);
    receive(shownNotice(2, 1), post, () => undefined);
    expect(links).toEqual([link]);
  });

  it('a malformed notice is answered with an error, after the held work it released; a request with a bad afterShown is refused', () => {
    const { posted, send } = loop();
    send(runRequest(1, seed000, { linkLater: true, afterShown: true }));
    send({ v: PROTOCOL_VERSION, id: 2, type: 'shown' });
    expect(posted).toEqual(['result 1', 'link 1', 'error 2']);
    send({ v: 1, id: 3, type: 'shown', run: 1 });
    expect(posted.at(-1)).toBe('error 3');
    send({ ...runRequest(4, seed000), afterShown: 'yes' });
    expect(posted.at(-1)).toBe('error 4');
    expect(parseShown({ v: PROTOCOL_VERSION, type: 'shown', run: 1 })).toMatchObject({ type: 'error', id: null });
    expect(parseShown({ v: PROTOCOL_VERSION, id: 1, type: 'shown', run: '1' })).toMatchObject({ type: 'error', id: 1, message: expect.stringMatching(/no run/) });
    expect(parseShown(runRequest(1, seed000))).toBeNull();
    // A notice is not a request: a worker that does not know it answers "unknown request type" with its id.
    expect(parseRequest(shownNotice(7, 1))).toMatchObject({ ok: false, error: { id: 7, message: expect.stringMatching(/Unknown request type/) } });
  });
});

/** A fake worker that answers through the worker's own message loop (receive), or not at all when `hung`. */
class FakeWorker implements WorkerLike {
  onmessage: ((event: MessageEvent) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  onmessageerror: ((event: MessageEvent) => void) | null = null;
  terminated = false;
  hung = false;
  linkDelayMs = 0;
  /** What this worker was sent, in order. */
  readonly got: (WorkerRequest | ShownNotice)[] = [];
  postMessage(message: WorkerRequest | ShownNotice) {
    this.got.push(message);
    if (this.hung) return;
    receive(
      structuredClone(message),
      (response: WorkerResponse) => {
        const deliver = () => this.onmessage?.({ data: structuredClone(response) } as MessageEvent);
        // A link's own message: in order, or (linkDelayMs) after the page has asked for it.
        if (response.type === 'link' && this.linkDelayMs > 0) setTimeout(deliver, this.linkDelayMs);
        else queueMicrotask(deliver);
      },
      () => undefined, // the seek checkpoints: built on the first seek instead
    );
  }
  terminate() {
    this.terminated = true;
  }
  crash() {
    this.onerror?.({ message: 'boom', preventDefault() {} } as ErrorEvent);
  }
}

/**
 * A client over FakeWorkers, each kept in `workers`; `fresh` (the default): each new worker starts
 * with no state, as a real one does.
 */
function fakeClient({ fresh = true } = {}): { client: EngineClient; workers: FakeWorker[] } {
  const workers: FakeWorker[] = [];
  const client = new EngineClient(() => {
    if (fresh) resetWorkerState();
    const w = new FakeWorker();
    workers.push(w);
    return w;
  });
  return { client, workers };
}

describe('client: a link asked for later', () => {
  it('resolves laterLink(run) with the link that follows the result; with null for a run not asked so, or when the worker dies first', async () => {
    const { client, workers } = fakeClient();
    const r = await client.run(seed000, { linkLater: true });
    if (r.type !== 'result') throw new Error(r.type);
    expect(r.link).toBe('');
    expect(await client.laterLink(r.run)).toBe(scenarioToHash(seed000 as Scenario));
    expect(await client.laterLink(r.run)).toBeNull(); // taken once
    // The usual order in a browser: the page asks before the link's message has come.
    workers[0].linkDelayMs = 20;
    const slow = await client.run(seed000, { linkLater: true });
    if (slow.type !== 'result') throw new Error(slow.type);
    expect(await client.laterLink(slow.run)).toBe(scenarioToHash(seed000 as Scenario));
    workers[0].linkDelayMs = 0;
    const plain = await client.run(seed000);
    if (plain.type !== 'result') throw new Error(plain.type);
    expect(plain.link).toBe(scenarioToHash(seed000 as Scenario));
    expect(await client.laterLink(plain.run)).toBeNull();
    workers[0].hung = true;
    const pending = client.run(seed000, { linkLater: true, timeoutMs: 20 });
    const failed = await pending;
    expect(failed.type).toBe('error');
    expect(await client.laterLink(failed.id ?? -1)).toBeNull();
  });
});

describe('client: a trace asked for later', () => {
  it('resolves laterTrace(run) with the whole trace that follows a result saying so; null for a whole result, or when the worker dies first', async () => {
    const { client, workers } = fakeClient();
    const r = await client.run(long, { traceLater: true, afterShown: true });
    if (r.type !== 'result') throw new Error(r.type);
    expect(r.traceLater).toBe(true);
    const view = traceView(r.trace, r.index);
    expect(isTraceWhole(view)).toBe(false);
    const rest = client.laterTrace(r.run);
    client.shown(r.run);
    const whole = await rest;
    expect(whole && encodedLength(whole)).toBe(r.index.length);
    expect(whole && completeTrace(view, whole)).toBe(true);
    expect(view.at(-1)?.type).toBe('halt');
    expect(await client.laterTrace(r.run)).toBeNull(); // taken once
    const short = await client.run(seed000, { traceLater: true });
    if (short.type !== 'result') throw new Error(short.type);
    expect(await client.laterTrace(short.run)).toBeNull();
    const held = await client.run(long, { traceLater: true, afterShown: true });
    if (held.type !== 'result') throw new Error(held.type);
    const pending = client.laterTrace(held.run);
    workers[0].crash();
    expect(await pending).toBeNull();
    expect(encodeTrace([])).toMatchObject({ offsets: new Uint32Array([0]) });
  }, 30_000);
});

describe('client: the run shown', () => {
  it('a run asked afterShown brings its link once the client says it is shown; the notice goes only to a live worker', async () => {
    const { client, workers } = fakeClient();
    client.shown(1); // no worker yet: none is started for it
    expect(client.started).toBe(0);
    const r = await client.run(seed000, { linkLater: true, afterShown: true });
    if (r.type !== 'result') throw new Error(r.type);
    expect(workers[0].got.at(-1)).toMatchObject({ type: 'run', afterShown: true, linkLater: true });
    let link: string | null | undefined;
    void client.laterLink(r.run).then((l) => (link = l));
    await new Promise((done) => setTimeout(done, 10));
    expect(link).toBeUndefined(); // held
    client.shown(r.run);
    await new Promise((done) => setTimeout(done, 10));
    expect(link).toBe(scenarioToHash(seed000 as Scenario));
    // A dead worker: the held run dies with it; its link settles null, and no notice goes to it or starts another.
    const held = await client.run(seed000, { linkLater: true, afterShown: true });
    if (held.type !== 'result') throw new Error(held.type);
    const pending = client.laterLink(held.run);
    workers[0].crash();
    expect(await pending).toBeNull();
    const sent = workers[0].got.length;
    client.shown(held.run);
    expect(workers[0].got).toHaveLength(sent);
    expect(client.started).toBe(1);
  });
});

describe('client: restart', () => {
  it('tells listeners when a crashed worker is replaced; the new worker holds no run', async () => {
    const { client, workers } = fakeClient();
    const reasons: string[] = [];
    client.onRestart((r) => reasons.push(r));
    const r = await client.run(seed000);
    if (r.type !== 'result') throw new Error(r.type);
    expect(await client.seek(r.run, 10)).toMatchObject({ type: 'snapshot', seq: 10 });
    workers[0].crash();
    expect(workers[0].terminated).toBe(true);
    expect(reasons).toEqual([expect.stringMatching(/crashed: boom/)]);
    expect(await client.seek(r.run, 10)).toMatchObject({ type: 'error', code: 'no-run' });
    expect(client.started).toBe(2);
  });

  it('a hung worker times out, is terminated, and the listener hears of it', async () => {
    const { client, workers } = fakeClient({ fresh: false });
    const reasons: string[] = [];
    client.onRestart((r) => reasons.push(r));
    workers.length = 0;
    const r = await client.run(seed000);
    if (r.type !== 'result') throw new Error(r.type);
    workers[0].hung = true;
    const answer = await client.seek(r.run, 3, 20);
    expect(answer).toMatchObject({ type: 'error', message: expect.stringMatching(/did not answer/) });
    expect(workers[0].terminated).toBe(true);
    expect(reasons).toHaveLength(1);
  });
});

describe('client: a fault inside a run', () => {
  it('is reported as the internal error of that run (code `internal`), and the client replaces that worker before the next run', async () => {
    const { client, workers } = fakeClient();
    const reasons: string[] = [];
    client.onRestart((r) => reasons.push(r));
    expect((await client.run(seed000)).type).toBe('result');
    // The first worker's engine now fails inside runs (src/worker/fault.test.ts makes the real one throw).
    workers[0].postMessage = (message: WorkerRequest) => {
      queueMicrotask(() => workers[0].onmessage?.({ data: { v: PROTOCOL_VERSION, id: message.id, type: 'error', ok: false, message: 'Internal engine error: TypeError: x', code: 'internal' } } as MessageEvent));
    };
    expect(await client.run(seed000)).toMatchObject({ type: 'error', code: 'internal', message: expect.stringContaining('Internal engine error') });
    expect(workers[0].terminated).toBe(true);
    expect(reasons).toEqual([]); // not a crash to recover from: the run itself failed
    expect((await client.run(seed000)).type).toBe('result');
    expect(client.started).toBe(2);
  });
});
