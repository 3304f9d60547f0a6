// The default first visit's answer, computed by the build (vite.config.ts, `virtual:first-answer`)
// and carried by the page, must be exactly what the engine worker answers to that run: a change to
// the engine or to the default scenario changes both, and this test fails if they ever differ.
import { beforeEach, describe, expect, it } from 'vitest';
import packed from 'virtual:first-answer';
import { DEFAULT_SCENARIO } from '../scenario/defaultScenario.ts';
import { encodedText } from '../trace/encoded.ts';
import { firstVisit } from '../ui/url.ts';
import { opensBuiltInDemo } from '../ui/firstVisit.ts';
import { EngineClient, type WorkerLike } from './client.ts';
import { handleMessage, resetWorkerState } from './engine.worker.ts';
import { FIRST_RUN_ID } from './firstAnswer.ts';
import { packMessage, unpackMessage } from './packed.ts';
import { parseResponse, runRequest, seekRequest, type RunResponse, type WorkerRequest, type WorkerResponse } from './protocol.ts';

beforeEach(() => resetWorkerState());

/** What the page receives from a real worker for `request` (structured clone, then the page's check). */
const fromWorker = (request: WorkerRequest) => parseResponse(structuredClone(handleMessage(request)));
const shipped = () => parseResponse(unpackMessage(packed)) as RunResponse;

describe('the default first visit’s answer, computed at build time', () => {
  it('is the engine worker’s answer to the default scenario’s run, exactly', () => {
    expect(firstVisit().scenario).toBe(DEFAULT_SCENARIO);
    const answer = shipped();
    expect(answer.type).toBe('result');
    expect(answer).toStrictEqual(fromWorker(runRequest(FIRST_RUN_ID, DEFAULT_SCENARIO)));
    if (answer.type !== 'result') return;
    expect(answer.trace.bytes).toBeInstanceOf(Uint8Array);
    expect(answer.index.steps).toBeInstanceOf(Uint32Array);
    expect(Object.getPrototypeOf(answer.scenario.drivers)).toBeNull();
    expect(encodedText(answer.trace).split('\n').length - 1).toBe(answer.index.length);
  });

  it('is no longer the answer once the scenario changes (the check can fail)', () => {
    const other = fromWorker(runRequest(FIRST_RUN_ID, { ...DEFAULT_SCENARIO, title: 'Another' }));
    expect(shipped()).not.toStrictEqual(other);
  });
});

describe('packMessage / unpackMessage', () => {
  it('bring back typed arrays (text or numbers), prototype-free records and odd keys', () => {
    const record = Object.assign(Object.create(null) as Record<string, unknown>, { ['__proto__']: 1, constructor: 'x' });
    Object.defineProperty(record, '__proto__', { value: 1, enumerable: true, configurable: true, writable: true });
    const message = {
      text: new TextEncoder().encode('{"a":"é ✓"}\n'),
      bytes: new Uint8Array([0xff, 0, 0xc3]),
      offsets: new Uint32Array([0, 4_000_000_000]),
      depths: new Uint16Array([1, 65535]),
      parents: new Int32Array([-1, 3]),
      record,
      list: [1, 'two', null, { three: true }],
    };
    const back = unpackMessage(packMessage(message)) as typeof message;
    expect(back.text).toEqual(message.text);
    expect(back.text).toBeInstanceOf(Uint8Array);
    expect(back.bytes).toEqual(message.bytes);
    expect(back.offsets).toEqual(message.offsets);
    expect(back.offsets).toBeInstanceOf(Uint32Array);
    expect(back.depths).toBeInstanceOf(Uint16Array);
    expect(back.parents).toEqual(new Int32Array([-1, 3]));
    expect(Object.getOwnPropertyNames(back.record).sort()).toEqual(['__proto__', 'constructor']);
    expect(back.list).toEqual(message.list);
    expect(packMessage(message)).toContain('é ✓'); // text stays text
  });

  it('refuse what JSON would not carry as postMessage does', () => {
    for (const bad of [{ a: undefined }, { a: Number.NaN }, { a: -0 }, { a: Infinity }, { a: new Map() }, { a: new Set() }, { a: new Date(0) }, { a: () => 1 }, { a: new BigInt64Array(1) }, { $typedArray: 'x' }]) {
      expect(() => packMessage(bad)).toThrow(/packMessage/);
    }
  });
});

describe('opensBuiltInDemo: the loads whose first run is the default scenario', () => {
  const stored = (value: string | null) => ({ getItem: () => value }) as unknown as Storage;
  it('a first visit to the full playground, with or without view parameters', () => {
    expect(opensBuiltInDemo({ search: '', hash: '' }, stored(null))).toBe(true);
    expect(opensBuiltInDemo({ search: '', hash: '#presenter=1' }, stored(null))).toBe(true);
  });
  it('not a link, a scenario saved by an earlier visit, nor the embed', () => {
    expect(opensBuiltInDemo({ search: '', hash: '#s1.abc' }, stored(null))).toBe(false);
    expect(opensBuiltInDemo({ search: '', hash: '' }, stored('#s1.abc&step=3'))).toBe(false);
    expect(opensBuiltInDemo({ search: '?embed=1', hash: '' }, stored(null))).toBe(false);
    expect(opensBuiltInDemo({ search: '', hash: '#embed=1' }, stored(null))).toBe(false);
  });
});

/** A worker that runs the real handler and records what it was sent. */
class RecordingWorker implements WorkerLike {
  onmessage: ((event: MessageEvent) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  onmessageerror: ((event: MessageEvent) => void) | null = null;
  readonly sent: WorkerRequest[] = [];
  postMessage(message: WorkerRequest) {
    this.sent.push(message);
    const response: WorkerResponse = handleMessage(structuredClone(message));
    queueMicrotask(() => this.onmessage?.({ data: structuredClone(response) } as MessageEvent));
  }
  terminate() {}
}

describe('client: a run answered early', () => {
  const setup = () => {
    const workers: RecordingWorker[] = [];
    const client = new EngineClient(() => {
      const w = new RecordingWorker();
      workers.push(w);
      return w;
    });
    client.answerEarly(DEFAULT_SCENARIO, shipped);
    return { client, workers };
  };

  it('answers that run without a worker, as the worker answers that request; the worker then starts with that run and answers seeks in it', async () => {
    const { client, workers } = setup();
    const early = await client.run(DEFAULT_SCENARIO);
    expect(workers).toHaveLength(0);
    const id = early.id!;
    expect(early).toStrictEqual(fromWorker(runRequest(id, DEFAULT_SCENARIO)));
    resetWorkerState();
    client.start();
    expect(workers).toHaveLength(1);
    expect(workers[0].sent).toEqual([runRequest(id, DEFAULT_SCENARIO)]);
    if (early.type !== 'result') throw new Error(early.type);
    const seek = await client.seek(early.run, 20);
    expect(seek).toMatchObject({ type: 'snapshot', run: id, seq: 20 });
    resetWorkerState();
    handleMessage(runRequest(id, DEFAULT_SCENARIO));
    expect(seek).toStrictEqual(fromWorker(seekRequest(seek.id!, id, 20)));
    client.start(); // already running: nothing more is sent
    expect(workers).toHaveLength(1);
    expect(workers[0].sent).toHaveLength(2);
  });

  it('a request before the worker started starts it, after that run: nothing is lost', async () => {
    const { client, workers } = setup();
    const early = await client.run(DEFAULT_SCENARIO);
    const edited = { ...DEFAULT_SCENARIO, timeline: [...DEFAULT_SCENARIO.timeline!, { do: 'hotAddProcessor' }] };
    const [seek, next] = await Promise.all([client.seek(early.id!, 5), client.run(edited)]);
    expect(workers).toHaveLength(1);
    expect(workers[0].sent.map((m) => m.type)).toEqual(['run', 'seek', 'run']);
    expect(seek).toMatchObject({ type: 'snapshot', seq: 5 });
    expect(next.type).toBe('result');
    if (next.type === 'result') expect(next.index.length).toBeGreaterThan(early.type === 'result' ? early.index.length : 0);
  });

  it('only for that scenario object, once, and only without a seek or op budget', async () => {
    const copy = structuredClone(DEFAULT_SCENARIO);
    for (const [scenario, options] of [[copy, {}], [DEFAULT_SCENARIO, { seek: 3 }], [DEFAULT_SCENARIO, { opBudget: 1000 }]] as const) {
      const { client, workers } = setup();
      expect((await client.run(scenario, options)).type).toBe('result');
      expect(workers).toHaveLength(1); // asked of the worker
    }
    const { client, workers } = setup();
    await client.run(DEFAULT_SCENARIO);
    await client.run(DEFAULT_SCENARIO);
    expect(workers).toHaveLength(1);
    expect(workers[0].sent.map((m) => m.id)).toEqual([1, 2]); // the first run (replayed), then the second
  });
});
