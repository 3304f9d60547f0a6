// The panels rendered to static markup with real traces (no DOM needed): names, roles, the current
// entry, the rule and its provenance, the thread picker, the overlays.
import { renderToStaticMarkup } from 'react-dom/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSeeker } from '../../engine/snapshot.ts';
import { runRaw } from '../../engine/testing.ts';
import { load } from '../../scenario/load.ts';
import type { TraceEntry } from '../../engine/trace.ts';
import { CodePanel, codeFocus } from './CodePanel.tsx';
import { loadCatalog } from './catalog.ts';
import { ExplanationPanel } from './ExplanationPanel.tsx';
import { HazardOverlay, fatalHazardAt, splitBugcheck } from './HazardOverlay.tsx';
import { SequencePanel } from './SequencePanel.tsx';
import { ThreadsPanel } from './ThreadsPanel.tsx';
import { TracePanel, hazardTone } from './TracePanel.tsx';
import { filterTrace, kindOf } from './traceFilter.ts';
import type { PanelProps } from './types.ts';
import * as S from './testing/scenarios.ts';
import { SEVERITY_CLASS, VERDICT_OBEYS_CLASS } from './ui.tsx';

function props(json: unknown, cursor: number | ((t: TraceEntry[]) => number)): PanelProps {
  const l = load(json);
  if (!l.ok) throw new Error('invalid');
  const out = runRaw(json);
  if (!out.ok) throw new Error('schedule');
  const c = typeof cursor === 'number' ? cursor : cursor(out.trace);
  return {
    scenario: l.scenario, trace: out.trace, cursor: c, snapshot: createSeeker(l.scenario, out.trace).at(c), choices: out.choices,
    onSeek: () => {}, onPickThread: () => {},
  };
}

const seqOf = (pred: (e: TraceEntry) => boolean) => (t: TraceEntry[]) => t.findIndex(pred);
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('TracePanel', () => {
  it('is a labelled region with a listbox whose selected option is the current entry, as formatEntry reads it', () => {
    const html = renderToStaticMarkup(<TracePanel {...props(S.SEED000, 10)} />);
    expect(html).toMatch(/<section aria-labelledby="[^"]+"/);
    expect(html).toContain('>Trace</h2>');
    expect(html).toContain('role="listbox"');
    expect(html).toContain('aria-label="Trace entries"');
    const selected = /<div role="option" id="([^"]+)" aria-selected="true" aria-current="step"[^>]*>(.*?)<\/div>/.exec(html)!;
    expect(selected).not.toBeNull();
    expect(html).toContain(`aria-activedescendant="${selected[1]}"`);
    expect(text(selected[2]).trim()).toBe('#11 s1 [sys:sampledrv] → KeRegisterProcessorChangeCallback(CallbackFunction=SyncProcessorCallback, CallbackContext=&amp;CallbackStatus, Flags=KE_PROCESSOR_CHANGE_ADD_EXISTING)');
    expect(html).toContain('<select');
    expect(html).toContain('Entry types');
  });

  it('renders only the rows in view of a long trace', () => {
    const p = props(S.CM_REMOVAL, 0);
    const html = renderToStaticMarkup(<TracePanel {...p} />);
    const rows = (html.match(/role="option"/g) ?? []).length;
    expect(rows).toBeGreaterThan(10);
    expect(rows).toBeLessThan(p.trace.length);
    expect(html).toContain(`height:${p.trace.length * 22}px`);
  });

  it('marks hazards red (bug check, deadlock, error) or amber (warning) and filters by component and type', () => {
    const p = props(S.KE_BUGCHECK, 0);
    const tones = p.trace.filter((e) => e.type === 'hazard').map(hazardTone);
    expect(tones).toEqual(['amber', 'red']);
    expect(kindOf(p.trace.find((e) => e.type === 'state' && e.entity.startsWith('thread:'))!)).toBe('thread');
    const onlyCalls = filterTrace(p.trace, { component: 'leaky', thread: '', hidden: new Set(['invoke', 'complete', 'note', 'return']) })!;
    expect([...onlyCalls].map((s) => p.trace[s].type)).toEqual(['call']);
    expect(filterTrace(p.trace, { component: '', thread: '', hidden: new Set() })).toBeNull();
  });
});

describe('ThreadsPanel', () => {
  it('shows each thread with state, IRQL and its stack innermost first, the registration of a callback', () => {
    const p = props(S.SEED000, 13); // inside Start(0), inside KeRegisterProcessorChangeCallback, inside DriverEntry
    const html = renderToStaticMarkup(<ThreadsPanel {...p} />);
    expect(html).toContain('>Threads</h2>');
    const t = text(html);
    expect(t).toContain('sys:sampledrv runnable current IRQL PASSIVE');
    const stack = t.slice(t.indexOf('#13'));
    expect(stack.indexOf('sampledrv!SyncProcessorCallback')).toBeLessThan(stack.indexOf('KeRegisterProcessorChangeCallback'));
    expect(stack.indexOf('KeRegisterProcessorChangeCallback')).toBeLessThan(stack.indexOf('sampledrv!DriverEntry'));
    expect(t).toContain('callback ke:1');
  });

  it('offers the thread picker at a choice point, the thread this run took marked', () => {
    const p = props(S.CONCURRENT, (t) => t.length);
    const at = p.choices[0].at;
    const html = renderToStaticMarkup(<ThreadsPanel {...p} cursor={at - 1} snapshot={createSeeker(p.scenario, p.trace).at(at - 1)} />);
    expect(html).toContain('Choice point: pick the thread that runs next');
    expect(html).toContain('aria-pressed="true"');
    for (const t of p.choices[0].runnable) expect(html).toContain(`>Run ${t} next</button>`);
    expect(html).toMatch(new RegExp(`aria-pressed="true"[^>]*>Run ${p.choices[0].chosen} next`));
    const none = renderToStaticMarkup(<ThreadsPanel {...p} cursor={at} />);
    expect(none).not.toContain('Choice point');
  });
});

describe('ExplanationPanel', () => {
  // The page loads the rule catalogue on demand (catalog.ts); static rendering needs it loaded first.
  beforeAll(() => loadCatalog());

  it('names the rule, its provenance, its source, and shows the narration as text', () => {
    const p = props(S.SEED000, seqOf((e) => e.type === 'invoke' && e.routine === 'SyncProcessorCallback'));
    const html = renderToStaticMarkup(<ExplanationPanel {...p} />);
    expect(html).toContain('>Explanation</h2>');
    expect(html).toContain('KE-4');
    expect(html).toContain('KE_PROCESSOR_CHANGE_ADD_EXISTING replays the active processors');
    expect(html).toContain('documented');
    expect(html).toContain('KeRegisterProcessorChangeCallback function (wdm.h) (related seed 000)');
    expect(text(html)).toContain('Register for synchronous processor notifications');
  });

  it('says "modelling choice" for a CHOICE rule and explains entries with no rule generically', () => {
    const p = props(S.CM6_DEADLOCK, (t) => t.length - 1); // halt: deadlock → CM-6
    expect(renderToStaticMarkup(<ExplanationPanel {...p} />)).toContain('CM-6');
    const q = props(S.SEED000, seqOf((e) => e.type === 'state' && e.entity === 'thread:hotplug'));
    const html = renderToStaticMarkup(<ExplanationPanel {...q} />);
    expect(html).toContain('Scheduler: thread hotplug');
    expect(html).toContain('No rule of the catalogue is specific to this entry.');
    const r = props(S.KE_BUGCHECK, 0);
    const stalled = renderToStaticMarkup(<ExplanationPanel {...r} trace={[...r.trace.slice(0, -1), { seq: r.trace.length - 1, step: 3, thread: 'system', type: 'halt', reason: 'stalled', rule: 'DL-2' }]} cursor={r.trace.length - 1} />);
    expect(stalled).toContain('DL-2');
    expect(stalled).toContain('modelling choice');
  });

  it('shows correct code as "obeys" in a calm colour, and severity colours only for what breaks a rule', () => {
    const p = props(S.CM_REMOVAL, seqOf((e) => e.type === 'call' && e.api === 'CloseHandle'));
    const html = renderToStaticMarkup(<ExplanationPanel {...p} />);
    expect(text(html)).toContain('obeys CM-5');
    expect(html).toContain(VERDICT_OBEYS_CLASS);
    for (const s of ['bugcheck', 'deadlock', 'error', 'warning'] as const) expect(html).not.toContain(SEVERITY_CLASS[s]);
    const q = props(S.CM6_DEADLOCK, seqOf((e) => e.type === 'hazard'));
    const hazard = renderToStaticMarkup(<ExplanationPanel {...q} />);
    expect(text(hazard)).toContain('breaks CM-6');
    expect(hazard).toContain(SEVERITY_CLASS.deadlock);
  });

  it('never renders narration as HTML', () => {
    const hostile = {
      format: 'pnp-scenario/1',
      drivers: { d: { routines: { DriverEntry: [{ op: 'note', text: '<img src=x onerror=alert(1)> <b>bold</b>' }] } } },
      timeline: [{ do: 'load', driver: 'd' }],
    };
    const p = props(hostile, (t) => t.length - 1);
    const html = renderToStaticMarkup(<ExplanationPanel {...p} />);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('CodePanel', () => {
  it('shows the running routine as C with the current op highlighted', () => {
    const p = props(S.SEED000, seqOf((e) => e.type === 'call' && e.api === 'KeRegisterProcessorChangeCallback'));
    const html = renderToStaticMarkup(<CodePanel {...p} />);
    expect(html).toContain('aria-label="Code of sampledrv!DriverEntry"');
    const current = /<span data-line="\d+" data-pointer="([^"]+)" aria-current="true"/.exec(html)!;
    expect(current[1]).toBe('/drivers/sampledrv/routines/DriverEntry/1');
  });

  it('follows the current thread into a callback, and back out to the caller once it returns', () => {
    const { trace, snapshot: _s, scenario } = props(S.SEED000, 0);
    const seeker = createSeeker(scenario, trace);
    const note = trace.find((e) => e.type === 'note' && e.text.startsWith('Start:') && e.thread === 'sys:sampledrv')!;
    expect(codeFocus(trace, note.seq, seeker.at(note.seq))).toMatchObject({
      component: 'sampledrv', routine: 'SyncProcessorCallback', pointer: '/drivers/sampledrv/routines/SyncProcessorCallback/cases/KeProcessorAddStartNotify/0',
    });
    const invoke = note.seq - 1;
    expect(codeFocus(trace, invoke, seeker.at(invoke))).toMatchObject({ routine: 'SyncProcessorCallback', pointer: 'signature' });
    // After the last replay callback returned, DriverEntry is still inside KeRegisterProcessorChangeCallback.
    const ret = trace.find((e) => e.type === 'return' && e.api === 'KeRegisterProcessorChangeCallback')!;
    expect(codeFocus(trace, ret.seq - 1, seeker.at(ret.seq - 1))).toMatchObject({ routine: 'DriverEntry', pointer: '/drivers/sampledrv/routines/DriverEntry/1' });
    // The hotplug thread runs no routine of a driver at the processor state change.
    const st = trace.find((e) => e.type === 'state' && e.entity === 'processor:2')!;
    expect(codeFocus(trace, st.seq, seeker.at(st.seq))).toBeNull();
    expect(renderToStaticMarkup(<CodePanel {...props(S.SEED000, st.seq)} />)).toContain('No routine of a driver or app is running on hotplug');
  });
});

describe('HazardOverlay', () => {
  it('shows a bug check as a simulated blue screen with the code, the rule and both buttons', () => {
    const p = props(S.KE_BUGCHECK, (t) => t.length - 1);
    const h = fatalHazardAt(p.trace, p.cursor)!;
    expect(h.rule).toBe('KE-5');
    const html = renderToStaticMarkup(<HazardOverlay {...p} onDismiss={() => {}} />);
    expect(html).toContain('role="alert"');
    expect(html).toContain('Simulated bug check');
    expect(html).toContain('0xCE');
    expect(html).toContain('DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS');
    expect(html).toContain('KE-5');
    expect(html).toContain(`Go to step #${h.seq + 1}`);
    expect(html).toContain('>Dismiss</button>');
    expect(splitBugcheck('0xCA PNP_DETECTED_FATAL_ERROR (parameter 1 = 0xA)')).toEqual({ code: '0xCA', name: 'PNP_DETECTED_FATAL_ERROR (parameter 1 = 0xA)' });
  });

  it('shows a deadlock as its wait cycle, and nothing before the hazard or for warnings', () => {
    const p = props(S.CM6_DEADLOCK, (t) => t.length - 1);
    const html = renderToStaticMarkup(<HazardOverlay {...p} onDismiss={() => {}} />);
    expect(html).toContain('role="alert"');
    expect(html).toContain('aria-label="Wait cycle"');
    expect(text(html)).toContain('1. app:monitor:notify waits for app:monitor:notify');
    expect(html).toContain('CM-6');
    expect(html).toContain('A thread waits for itself: it can never run again.');
    expect(renderToStaticMarkup(<HazardOverlay {...p} cursor={p.cursor - 5} onDismiss={() => {}} />)).toBe('');
    const warn = props(S.CM_OPEN_HANDLE, (t) => t.length - 1); // RM-4 warning only
    expect(renderToStaticMarkup(<HazardOverlay {...warn} onDismiss={() => {}} />)).toBe('');
  });
});

describe('SequencePanel', () => {
  it('draws the diagram up to the cursor with export buttons', () => {
    const p = props(S.SEED000, 20);
    const html = renderToStaticMarkup(<SequencePanel {...p} />);
    expect(html).toContain('>Sequence</h2>');
    expect(html).toContain('role="img"');
    for (const name of ['Export SVG', 'Copy Mermaid', 'Export Mermaid']) expect(html).toContain(`>${name}</button>`);
    expect(html).toContain('data-current="true"');
    expect(html).not.toContain('data-seq="21"');
    expect(renderToStaticMarkup(<SequencePanel {...p} cursor={-1} />)).toContain('Step forward to draw');
  });
});
