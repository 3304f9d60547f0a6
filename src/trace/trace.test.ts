import { describe, expect, it } from 'vitest';
import { runScenario } from '../engine/index.ts';
import type { TraceEntry } from '../engine/trace.ts';
import { DEMOS } from '../scenario/demos/index.ts';
import { traceToJsonl } from '../scenario/exporters.ts';
import { load } from '../scenario/load.ts';
import { filterTrace, kindOf, NO_FILTER } from '../ui/panels/traceFilter.ts';
import { decodeEntry, encodedLength, encodedText, encodeTrace } from './encoded.ts';
import { buildTraceIndex, componentOf, firstSeqOfStep, isCallbackStart, traceIndex } from './indexes.ts';
import { completeTrace, encodedTraceOf, isTraceWhole, receivedLength, TraceNotReceived, traceView } from './view.ts';

function traceOf(input: unknown): TraceEntry[] {
  const loaded = load(input);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  const run = runScenario(loaded.scenario);
  if (!run.ok) throw new Error('run failed');
  return run.trace;
}

const traces = DEMOS.map((d) => [d.id, traceOf(d.scenario)] as const);

describe('the encoded trace and its view', () => {
  it.each(traces)('%s: the view reads back every entry exactly, and its text is the JSON Lines export', (_, trace) => {
    const encoded = encodeTrace(trace);
    expect(encodedLength(encoded)).toBe(trace.length);
    expect(decodeEntry(encoded, trace.length - 1)).toEqual(trace.at(-1));
    const view = traceView(encoded, buildTraceIndex(trace));
    expect(view).toHaveLength(trace.length);
    expect(Array.isArray(view)).toBe(true);
    expect([...view]).toEqual(trace);
    expect(view.at(-1)).toEqual(trace.at(-1));
    expect(view.find((e) => e.type === 'halt')).toEqual(trace.find((e) => e.type === 'halt'));
    expect(view.filter((e) => e.type === 'note').length).toBe(trace.filter((e) => e.type === 'note').length);
    expect(view[trace.length]).toBeUndefined();
    expect(encodedTraceOf(view)).toBe(encoded);
    expect(traceToJsonl(view)).toBe(traceToJsonl(trace));
    expect(encodedText(encoded)).toBe(traceToJsonl(trace));
  });

  it('keeps text outside ASCII (titles, notes) byte-exact', () => {
    const odd = ['Ünïcødé “quotes” — 𝄞 \u2028', 'é', '𝄞𝄞', '\u07ff\u0800\uffff'];
    const trace = traceOf(DEMOS[0].scenario).map((e, i) => (i % 3 === 0 ? { ...e, note: odd[i % odd.length] } : e)) as TraceEntry[];
    const encoded = encodeTrace(trace);
    const view = traceView(encoded, buildTraceIndex(trace));
    expect(view[0]).toEqual(trace[0]);
    expect(view[1]).toEqual(trace[1]);
    expect([...view]).toEqual(trace);
    expect(encodedText(encoded)).toBe(traceToJsonl(trace));
    expect(encoded.offsets.at(-1)).toBe(encoded.bytes.length);
  });

  it('starts with the first entries of a trace: reading any other one throws (never undefined, never a stale entry) until the whole trace completes the same view', () => {
    const trace = traceOf(DEMOS[0].scenario);
    const first = 5;
    const view = traceView(encodeTrace(trace, first), buildTraceIndex(trace));
    expect(encodedLength(encodeTrace(trace, first))).toBe(first);
    expect(view).toHaveLength(trace.length);
    expect(isTraceWhole(view)).toBe(false);
    expect(receivedLength(view)).toBe(first);
    expect(view[first - 1]).toEqual(trace[first - 1]);
    expect(() => view[first]).toThrow(TraceNotReceived);
    // Whatever reads the whole of it: the last entry, a search, a copy, the export.
    expect(() => view.at(-1)).toThrow(TraceNotReceived);
    expect(() => view.find((e) => e.type === 'halt')).toThrow(TraceNotReceived);
    expect(() => [...view]).toThrow(TraceNotReceived);
    expect(encodedTraceOf(view)).toBeUndefined();
    expect(() => traceToJsonl(view)).toThrow(TraceNotReceived);
    expect(view[trace.length]).toBeUndefined();
    // Only the whole trace completes it.
    expect(completeTrace(view, encodeTrace(trace, trace.length - 1))).toBe(false);
    expect(isTraceWhole(view)).toBe(false);
    expect(completeTrace(trace, encodeTrace(trace))).toBe(false); // a plain array is whole already
    const whole = encodeTrace(trace);
    expect(completeTrace(view, whole)).toBe(true);
    expect(isTraceWhole(view)).toBe(true);
    expect(receivedLength(view)).toBe(trace.length);
    expect([...view]).toEqual(trace);
    expect(encodedTraceOf(view)).toBe(whole);
    expect(traceToJsonl(view)).toBe(traceToJsonl(trace));
    expect(isTraceWhole(trace)).toBe(true);
  });

  it('is read-only', () => {
    const trace = traceOf(DEMOS[0].scenario);
    const view = traceView(encodeTrace(trace), buildTraceIndex(trace)) as TraceEntry[];
    expect(() => {
      view[0] = trace[1];
    }).toThrow(TypeError);
    expect(view[0]).toEqual(trace[0]);
  });
});

describe('the trace index', () => {
  it.each(traces)('%s: every list and column agrees with a scan of the entries', (_, trace) => {
    const ix = buildTraceIndex(trace);
    expect(ix.length).toBe(trace.length);
    expect(ix.actionSeqs).toEqual(trace.filter((e) => e.type === 'action').map((e) => e.seq));
    expect(ix.callbackSeqs).toEqual(trace.filter(isCallbackStart).map((e) => e.seq));
    expect(ix.noteSeqs).toEqual(trace.filter((e) => e.type === 'note').map((e) => e.seq));
    expect(ix.fatalHazardSeqs).toEqual(trace.filter((e) => e.type === 'hazard' && (e.severity === 'bugcheck' || e.severity === 'deadlock')).map((e) => e.seq));
    expect(ix.entityStateSeqs).toEqual(trace.filter((e) => kindOf(e) === 'state').map((e) => e.seq));
    expect(ix.threadNames).toEqual([...new Set(trace.map((e) => e.thread))]);
    expect(ix.componentNames).toEqual([...new Set(trace.map(componentOf).filter((c) => c !== undefined))]);
    expect(ix.summary.halt).toBe(trace.findLast((e) => e.type === 'halt')?.reason ?? null);
    expect(ix.summary.broken.map((b) => b.seq)).toEqual(trace.filter((e) => e.verdict === 'breaks').map((e) => e.seq));
    for (const step of new Set(trace.map((e) => e.step))) expect(firstSeqOfStep(ix, step)).toBe(trace.findIndex((e) => e.step >= step));
  });

  it.each(traces)('%s: the filter (read from the columns) keeps exactly the entries its predicate keeps', (_, trace) => {
    const threads = [...new Set(trace.map((e) => e.thread))];
    const components = traceIndex(trace).componentNames;
    const cases = [
      { ...NO_FILTER, hidden: new Set(['thread', 'state'] as const) },
      { ...NO_FILTER, thread: threads[1] ?? threads[0] },
      { ...NO_FILTER, component: components[0] ?? 'nobody' },
      { component: components.at(-1) ?? '', thread: threads[0], hidden: new Set(['note'] as const) },
      { ...NO_FILTER, thread: 'no-such-thread' },
    ];
    for (const f of cases) {
      const expected = trace
        .filter((e) => !f.hidden.has(kindOf(e)) && (!f.thread || e.thread === f.thread) && (!f.component || componentOf(e) === f.component))
        .map((e) => e.seq);
      expect([...(filterTrace(trace, f) ?? [])]).toEqual(expected);
    }
    expect(filterTrace(trace, NO_FILTER)).toBeNull();
  });

});
