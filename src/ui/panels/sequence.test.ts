import { describe, expect, it } from 'vitest';
import { run } from '../../engine/testing.ts';
import type { TraceEntry } from '../../engine/trace.ts';
import {
  firstDifference, layoutSequence, LAYOUT, mermaidText, sequenceModel, sequenceSlice, sequenceWindow, threadLane, toMermaid, toSvg, STABLE_LANES, xml, type SeqItem,
} from './sequence.ts';
import * as S from './testing/scenarios.ts';

const arrow = (it: SeqItem) => (it.kind === 'note' ? `note ${it.label}` : `${it.from} ${it.dashed ? '-->' : '->'} ${it.to}: ${it.label}`);

describe('sequenceModel', () => {
  it('draws seed 000: the ADD_EXISTING replay comes from the kernel lane, the hot-add from hotplug', () => {
    const r = run(S.SEED000);
    const m = sequenceModel(r.scenario, r.trace);
    expect(m.allLanes).toEqual(['pnp', 'hotplug', 'sys:sampledrv', 'kernel', 'drv:sampledrv']);
    const lines = m.items.map(arrow);
    expect(lines).toContain('sys:sampledrv -> drv:sampledrv: DriverEntry()');
    expect(lines).toContain('drv:sampledrv -> kernel: KeRegisterProcessorChangeCallback(SyncProcessorCallback, &CallbackStatus, KE_PROCESSOR_CHANGE_ADD_EXISTING)');
    expect(lines).toContain('kernel -> drv:sampledrv: SyncProcessorCallback(Start, 0) [ke:1]');
    expect(lines).toContain('drv:sampledrv --> kernel: SyncProcessorCallback returned');
    expect(lines).toContain('kernel --> drv:sampledrv: KeRegisterProcessorChangeCallback = ke:1');
    expect(lines).toContain('hotplug -> drv:sampledrv: SyncProcessorCallback(Complete, 2) [ke:1]');
    expect(lines).toContain('drv:sampledrv --> hotplug: SyncProcessorCallback returned');
    // KE-9: after Complete the processor's device starts on pnp, which then queues its interface arrival.
    expect(lines).toContain('hotplug --> pnp: queue DeviceArrival (processor2)');
    expect(lines).toContain('pnp --> pnp: queue ARRIVAL (processor2)');
    expect(lines).toContain('kernel --> drv:sampledrv: KeDeregisterProcessorChangeCallback return');
    expect(lines).toContain('note ▶ step 2: hotAddProcessor');
    expect(lines.at(-1)).toBe('note ■ halt: quiescent');
    // State changes and notes are not drawn.
    expect(m.items.every((it) => r.trace[it.seq].type !== 'state' && r.trace[it.seq].type !== 'note')).toBe(true);
  });

  it('draws user-mode callbacks from the PnP manager, IRPs pnp → driver, the shell through the user-mode APIs', () => {
    const r = run(S.CM_REMOVAL);
    const lines = sequenceModel(r.scenario, r.trace).items.map(arrow);
    expect(lines).toContain('pnp -> app:monitor: OnDevice(QUERYREMOVE) [cm:2]');
    expect(lines).toContain('app:monitor --> pnp: OnDevice returned ERROR_SUCCESS');
    expect(lines).toContain('pnp -> drv:toaster: IRP_MN_QUERY_REMOVE_DEVICE (toaster0)');
    expect(lines).toContain('drv:toaster --> pnp: IRP_MN_REMOVE_DEVICE = STATUS_SUCCESS');
    expect(lines).toContain('shell -> user: CM_Query_And_Remove_SubTree(toaster0, CM_REMOVE_UI_OK)');
    expect(lines).toContain('user --> pnp: queue QueryAndRemove (toaster0)');
    expect(lines).toContain('system -> app:monitor: main()');
    expect(threadLane('app:monitor:notify')).toBe('pnp');
    expect(threadLane('app:monitor:pool:1')).toBe('system');
    expect(threadLane('worker:3')).toBe('worker:3');
  });

  it('puts a hazard over the lane where it happened', () => {
    const r = run(S.CM6_DEADLOCK);
    const notes = sequenceModel(r.scenario, r.trace).items.filter((it) => it.kind === 'note' && it.label.startsWith('⚠'));
    expect(notes).toEqual([expect.objectContaining({ label: '⚠ CM-6 deadlock', lanes: ['user'], tone: 'fatal' })]);
    const b = run(S.KE_BUGCHECK);
    const bug = sequenceModel(b.scenario, b.trace).items.filter((it) => it.kind === 'note' && it.tone === 'fatal');
    expect(bug.map((n) => n.label)).toEqual(['⚠ KE-5 bugcheck 0xCE']);
  });
});

describe('sequenceWindow', () => {
  const r = run(S.SEED000);
  const m = sequenceModel(r.scenario, r.trace);

  it('shows the items up to the cursor, the latest one current', () => {
    const w = sequenceWindow(m, 15);
    expect(w.items.every((it) => it.seq <= 15)).toBe(true);
    expect(w.items.at(-1)!.seq).toBe(15);
    expect(w.current).toBe(w.items.length - 1);
    expect(w.hidden).toBe(0);
    // A state change has no arrow: the latest arrow before it stays current.
    const atState = sequenceWindow(m, 11);
    expect(atState.items.at(-1)!.seq).toBe(10);
    expect(sequenceWindow(m, -1).items).toEqual([]);
    expect(sequenceWindow(m, -1).current).toBe(-1);
  });

  it('keeps the lanes of the whole trace when there are few (no layout jumps while stepping)', () => {
    expect(sequenceWindow(m, 9).lanes.map((l) => l.id)).toEqual(m.allLanes);
    expect(m.allLanes.length).toBeLessThanOrEqual(STABLE_LANES);
  });

  it('windows a big trace to the last N items and only the lanes they use', () => {
    const drivers: Record<string, unknown> = {};
    const timeline: unknown[] = [];
    for (let k = 0; k < 20; k++) {
      drivers[`d${k}`] = { routines: { DriverEntry: [{ op: 'note', text: `d${k}` }] } };
      timeline.push({ do: 'load', driver: `d${k}` });
    }
    const big = run({ format: 'pnp-scenario/1', drivers, timeline });
    const bm = sequenceModel(big.scenario, big.trace);
    expect(bm.allLanes.length).toBeGreaterThan(STABLE_LANES);
    const w = sequenceWindow(bm, big.trace.length - 1, 10);
    expect(w.items).toHaveLength(10);
    expect(w.hidden).toBe(bm.items.length - 10);
    const used = new Set(w.items.flatMap((it) => (it.kind === 'note' ? (it.lanes === 'all' ? [] : it.lanes) : [it.from, it.to])));
    expect(new Set(w.lanes.map((l) => l.id))).toEqual(used);
  });

  it('is memoised per trace', () => {
    expect(sequenceModel(r.scenario, r.trace)).toBe(m);
    expect(sequenceModel(r.scenario, [...r.trace] as TraceEntry[])).not.toBe(m);
  });
});

describe('firstDifference and sequenceSlice', () => {
  const r = run(S.SEED000);
  const m = sequenceModel(r.scenario, r.trace);
  const call = (seq: number, label: string, to = 'kernel'): SeqItem => ({ seq, kind: 'call', from: 'sampledrv', to, label, dashed: false });

  it('finds the first item that is not the same message, wherever it sits in the trace', () => {
    expect(firstDifference(m.items, m.items)).toBe(-1);
    const a = [call(0, 'IoA'), call(1, 'IoB'), call(2, 'IoC')];
    expect(firstDifference(a, [call(0, 'IoA'), call(5, 'IoB'), call(6, 'IoD')])).toBe(2); // seq aside
    expect(firstDifference(a, [call(0, 'IoA'), call(1, 'IoB', 'user')])).toBe(1);
    expect(firstDifference(a, a.slice(0, 2))).toBe(2); // one is the start of the other
    expect(firstDifference(a, [{ seq: 0, kind: 'note', lanes: 'all', label: 'IoA', tone: 'action' }])).toBe(0);
  });

  it('slices the items from a start, the last one current; sequenceWindow is the slice ending at the cursor', () => {
    const s = sequenceSlice(m, 3, 10);
    expect(s.items).toEqual(m.items.slice(3, 10));
    expect(s.hidden).toBe(3);
    expect(s.current).toBe(6);
    const w = sequenceWindow(m, m.items[9].seq, 7);
    expect(w).toEqual(s);
  });
});

describe('layoutSequence', () => {
  const r = run(S.SEED000);
  const w = sequenceWindow(sequenceModel(r.scenario, r.trace), r.trace.length - 1);
  const layout = layoutSequence(w);

  it('places lanes left to right and one row per item', () => {
    const xs = layout.lanes.map((l) => l.x);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    expect(layout.arrows.length + layout.notes.length).toBe(w.items.length);
    expect(layout.rows).toHaveLength(w.items.length);
    expect(layout.height).toBeGreaterThan(layout.rows.at(-1)!);
    expect(layout.width).toBeGreaterThan(xs.at(-1)!);
  });

  it('draws a right-pointing arrow with its head at the target, and loops for same-lane arrows', () => {
    const call = layout.arrows.find((a) => a.item.kind === 'call')!;
    const from = layout.lanes.find((l) => l.id === call.item.from)!.x;
    const to = layout.lanes.find((l) => l.id === call.item.to)!.x;
    expect(call.geom.path.startsWith(`M${from} `)).toBe(true);
    expect(Number(call.geom.head.split(',')[0])).toBeCloseTo(to - 2 * Math.sign(to - from));
    // Labels never run past their arrow.
    const x = (id: string) => layout.lanes.find((l) => l.id === id)!.x;
    for (const a of layout.arrows) {
      if (a.geom.anchor === 'middle') expect(a.geom.label.length * LAYOUT.charWidth).toBeLessThanOrEqual(Math.abs(x(a.item.to) - x(a.item.from)));
    }
    const cm = run(S.CM_REMOVAL);
    const cmLayout = layoutSequence(sequenceWindow(sequenceModel(cm.scenario, cm.trace), cm.trace.length - 1));
    const loop = cmLayout.arrows.find((a) => a.item.from === a.item.to)!; // pnp queues an event for itself
    expect(loop.geom.anchor).toBe('start');
    expect(loop.geom.path).toMatch(/^M\S+ \S+ H\S+ V\S+ H\S+$/);
  });

  it('narrows the lanes to fit a panel, never below the minimum', () => {
    expect(layout.laneWidth).toBe(LAYOUT.laneWidth);
    const fitted = layoutSequence(w, LAYOUT.gutter + 5 * 130);
    expect(fitted.laneWidth).toBe(130);
    expect(fitted.width).toBe(LAYOUT.gutter + 5 * 130);
    expect(layoutSequence(w, 300).laneWidth).toBe(LAYOUT.minLaneWidth);
    expect(layoutSequence(w, 5000).laneWidth).toBe(LAYOUT.laneWidth);
  });

  it('clips long labels with an ellipsis', () => {
    const long = layout.arrows.find((a) => a.item.label.startsWith('KeRegisterProcessorChangeCallback('))!;
    expect(long.geom.label.endsWith('…')).toBe(true);
    expect(long.geom.label.length).toBeLessThan(long.item.label.length);
  });

  it("reuses an arrow's geometry while its lanes stay put (stepping only moves rows)", () => {
    const m = sequenceModel(r.scenario, r.trace);
    const a = layoutSequence(sequenceWindow(m, 30));
    const b = layoutSequence(sequenceWindow(m, 40));
    const first = a.arrows[0];
    expect(b.arrows.find((x) => x.item === first.item)!.geom).toBe(first.geom);
    expect(layoutSequence(sequenceWindow(m, 40), 700).arrows.find((x) => x.item === first.item)!.geom).not.toBe(first.geom);
  });
});

describe('exports', () => {
  const r = run(S.SEED000);
  const m = sequenceModel(r.scenario, r.trace);
  const w = sequenceWindow(m, r.trace.length - 1);

  it('writes a standalone, well-formed SVG with inline styles and escaped text', () => {
    const svg = toSvg(layoutSequence(w), 'Seed <000> & "friends"', (seq) => `#${seq} <full>`);
    expect(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('<title>Seed &lt;000&gt; &amp; &quot;friends&quot;</title>');
    expect(svg).toContain('&lt;full&gt;');
    expect(svg).not.toMatch(/class=|<style|<script/);
    expect(svg).toContain('stroke="#6d28d9"'); // invokes, inline colour
    expect(svg).not.toMatch(/&(?!amp;|lt;|gt;|quot;)/); // every & escaped
    // Balanced tags (a cheap well-formedness check without a DOM).
    const opens = (svg.match(/<g[ >]/g) ?? []).length;
    expect(opens).toBeGreaterThan(0);
    expect(opens).toBe((svg.match(/<\/g>/g) ?? []).length);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
  });

  it('SVG text is well-formed XML whatever a scenario holds: control characters and lone surrogates removed', () => {
    const all = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join('');
    expect(xml(`a${all}b`)).toBe('a\t\nb');
    expect(xml('x\uD800y\uDC00z\uFFFE\uFFFF')).toBe('xyz');
    expect(xml('😀 <&>"\'')).toBe('😀 &lt;&amp;&gt;&quot;&apos;');
    const svg = toSvg(layoutSequence(w), `T\u0000\u0007\u001B[31m<t>`, (seq) => `#${seq}\u0001`);
    expect([...svg].some((ch) => ch.charCodeAt(0) < 0x20 && ch !== '\t' && ch !== '\n')).toBe(false);
    expect(svg).toContain('<title>T[31m&lt;t&gt;</title>');
  });

  it('writes Mermaid sequenceDiagram text with aliases, dashed returns, notes and the current message highlighted', () => {
    const text = toMermaid(w, 'Seed 000');
    const lines = text.trim().split('\n');
    expect(lines.slice(0, 4)).toEqual(['---', 'title: "Seed 000"', '---', 'sequenceDiagram']);
    expect(lines).toContain('  participant L3 as Kernel (ntoskrnl)');
    expect(lines).toContain('  L4->>L3: #35;10 KeRegisterProcessorChangeCallback(SyncProcessorCallback, #38;CallbackStatus, KE_PROCESSOR_CHANGE_ADD_EXISTING)');
    expect(lines).toContain('  L3-->>L4: #35;24 KeRegisterProcessorChangeCallback = ke:1');
    expect(lines).toContain('  Note over L0,L4: #35;28 ▶ step 2: hotAddProcessor');
    expect(lines.slice(-3)).toEqual(['  rect rgb(254, 243, 199)', '    Note over L0,L4: #35;57 ■ halt: quiescent', '  end']);
    // Every statement is on one line and names only declared participants.
    const declared = new Set(lines.filter((l) => l.includes('participant')).map((l) => l.trim().split(' ')[1]));
    for (const l of lines) {
      const m2 = /^\s*(L\d+)-->?>(L\d+):/.exec(l);
      if (m2) expect(declared.has(m2[1]) && declared.has(m2[2])).toBe(true);
    }
  });

  it('escapes what Mermaid would parse in a label', () => {
    expect(mermaidText('a;b#c<d>e\nf "g" 50% & h')).toBe('a#59;b#35;c#lt;d#gt;e f #quot;g#quot; 50#37; #38; h');
  });
});
