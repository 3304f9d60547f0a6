// The rule stamps the Explanation panel reads: the engine names the rule it applied on each entry
// (`rule`), and where it checked the rule, how it went (`verdict`). The page re-derives nothing.
import { describe, expect, it } from 'vitest';
import { run } from '../../engine/testing.ts';
import { rule } from '../../engine/rules/catalog.ts';
import { ruleMentioned } from '../../engine/rules/ids.ts';
import type { TraceEntry } from '../../engine/trace.ts';
import { DEMOS } from '../../scenario/demos/index.ts';
import * as S from './testing/scenarios.ts';

type Pred = (e: TraceEntry) => boolean;

/** The rules of every entry matching `pred`, in trace order. */
function rulesOf(trace: TraceEntry[], pred: Pred) {
  const hits = trace.filter(pred);
  if (hits.length === 0) throw new Error('no entry matches');
  return hits.map((e) => e.rule ?? null);
}

const invoke = (routine: string, field?: string, value?: unknown): Pred => (e) =>
  e.type === 'invoke' && e.routine === routine && (field === undefined || e.args[field] === value);
const call = (api: string): Pred => (e) => e.type === 'call' && e.api === api;
const irp = (minor: string): Pred => (e) => e.type === 'irp' && e.minor === minor;
const type = (t: TraceEntry['type']): Pred => (e) => e.type === t;

describe('rule stamps on seed 000 (synchronous processor notification)', () => {
  const { trace } = run(S.SEED000);

  it('explains the ADD_EXISTING replay inside the register call as KE-4, the hot-add as KE-1', () => {
    expect(rulesOf(trace, call('KeRegisterProcessorChangeCallback'))).toEqual(['KE-4']);
    // Start(0), Start(1), Complete(0), Complete(1) inside the call; Start(2), Complete(2) on hotplug.
    expect(rulesOf(trace, invoke('SyncProcessorCallback'))).toEqual(['KE-4', 'KE-4', 'KE-4', 'KE-4', 'KE-1', 'KE-1']);
    expect(rulesOf(trace, (e) => e.type === 'complete' && e.routine === 'SyncProcessorCallback')).toEqual(['KE-4', 'KE-4', 'KE-4', 'KE-4', 'KE-1', 'KE-1']);
    expect(rulesOf(trace, (e) => e.type === 'return' && e.api === 'KeRegisterProcessorChangeCallback')).toEqual(['KE-4']);
  });

  it('explains the processor\'s device start and its interface arrival, queued after Complete, as KE-9', () => {
    expect(rulesOf(trace, type('queue'))).toEqual(['KE-9', 'KE-9']);
  });

  it('explains DriverEntry and Unload as DRV-1 / DRV-2 and the deregister call as KE-5', () => {
    expect(rulesOf(trace, invoke('DriverEntry'))).toEqual(['DRV-1']);
    expect(rulesOf(trace, invoke('Unload'))).toEqual(['DRV-2']);
    expect(rulesOf(trace, call('KeDeregisterProcessorChangeCallback'))).toEqual(['KE-5']);
  });

  it('gives a note the rule it names, else the rule of the routine it runs in', () => {
    const notes = trace.filter(type('note')) as Extract<TraceEntry, { type: 'note' }>[];
    const byText = (t: string) => notes.find((n) => n.text.startsWith(t))!.rule;
    expect(byText('Deregister before')).toBe('KE-5'); // says "(KE-5)"
    expect(byText('Load sampledrv')).toBe('DRV-1'); // the timeline action's narration
    expect(byText('Register for synchronous')).toBe('DRV-1'); // runs in DriverEntry
  });

  it('returns null for scheduler bookkeeping and a quiescent halt', () => {
    expect(new Set(rulesOf(trace, (e) => e.type === 'state' && e.entity.startsWith('thread:')))).toEqual(new Set([null]));
    expect(rulesOf(trace, type('halt'))).toEqual([null]);
  });
});

describe('rule stamps on processor vetoes and bug checks', () => {
  it('explains the failure pass of a vetoed hot-add as KE-2', () => {
    const { trace } = run(S.KE_VETO);
    expect(rulesOf(trace, invoke('SyncProcessorCallback', 'State', 'KeProcessorAddFailureNotify'))).toEqual(['KE-2', 'KE-2']);
    expect(rulesOf(trace, (e) => e.type === 'state' && e.entity === 'processor:2' && e.to === 'failed')).toEqual(['KE-2']);
  });

  it('gives hazards and the fatal halt their own rule', () => {
    const { trace } = run(S.KE_BUGCHECK);
    expect(rulesOf(trace, type('hazard'))).toEqual(['KE-5', 'KE-5']);
    expect(rulesOf(trace, type('halt'))).toEqual(['KE-5']);
  });
});

describe('rule stamps on asynchronous notification (IoRegisterPlugPlayNotification)', () => {
  const { trace } = run(S.IO_ASYNC);

  it('tells the INCLUDE_EXISTING replay (IO-1) from a queued arrival (IO-2) and processor arrivals (IO-10)', () => {
    expect(rulesOf(trace, invoke('InterfaceCallback'))).toEqual(['IO-1', 'IO-2']);
    expect(rulesOf(trace, invoke('ProcessorCallback'))).toEqual(['IO-10']);
    expect(rulesOf(trace, call('IoRegisterPlugPlayNotification'))).toEqual(['IO-1', 'IO-10']);
  });

  it('explains the two unregister routines as UN-1 and UN-2', () => {
    expect(rulesOf(trace, call('IoUnregisterPlugPlayNotification'))).toEqual(['UN-1']);
    expect(rulesOf(trace, call('IoUnregisterPlugPlayNotificationEx'))).toEqual(['UN-2']);
  });

  it('explains the Ex routine called from the replay, and its deadlock, as UN-3', () => {
    const { trace: t } = run(S.UN3_DEADLOCK);
    expect(rulesOf(t, call('IoUnregisterPlugPlayNotificationEx'))).toEqual(['UN-3']);
    expect(rulesOf(t, type('hazard'))).toEqual(['UN-3']);
  });
});

describe('rule stamps on device removal', () => {
  it('follows an orderly removal (RM-1) and explains the registrations (CM-2, CM-4) and the close (CM-5)', () => {
    const { trace } = run(S.CM_REMOVAL);
    expect(rulesOf(trace, call('CM_Register_Notification'))).toEqual(['CM-2', 'CM-4']);
    expect(rulesOf(trace, call('CloseHandle'))).toEqual(['CM-5']);
    expect(rulesOf(trace, invoke('OnDevice'))).toEqual(['RM-1', 'RM-1', 'RM-1']); // QUERYREMOVE, REMOVEPENDING, REMOVECOMPLETE
    expect(rulesOf(trace, irp('IRP_MN_QUERY_REMOVE_DEVICE'))).toEqual(['RM-1']);
    expect(rulesOf(trace, irp('IRP_MN_REMOVE_DEVICE'))).toEqual(['RM-1']);
    expect(rulesOf(trace, (e) => e.type === 'return' && e.api === 'CM_Query_And_Remove_SubTree')).toEqual(['RM-1']);
  });

  it('names the vetoer on the failure path: RM-2 app, RM-3 kernel callback, RM-4 open handle', () => {
    const app = run(S.CM_VETO).trace;
    expect(rulesOf(app, invoke('OnDevice', 'Action', 'CM_NOTIFY_ACTION_DEVICEQUERYREMOVEFAILED'))).toEqual(['RM-2']);
    expect(rulesOf(app, (e) => e.type === 'complete' && e.result === 'ERROR_CANCELLED')).toEqual(['RM-2']);

    const kernel = run(S.KM_VETO).trace;
    expect(rulesOf(kernel, invoke('TargetCallback', 'Event', 'GUID_TARGET_DEVICE_QUERY_REMOVE'))).toEqual(['RM-1']);
    expect(rulesOf(kernel, invoke('TargetCallback', 'Event', 'GUID_TARGET_DEVICE_REMOVE_CANCELLED'))).toEqual(['RM-3']);
    expect(rulesOf(kernel, call('IoRegisterPlugPlayNotification'))).toEqual(['IO-1', 'IO-8']);

    const open = run(S.CM_OPEN_HANDLE).trace;
    expect(rulesOf(open, irp('IRP_MN_CANCEL_REMOVE_DEVICE'))).toEqual(['RM-4']);
    expect(rulesOf(open, invoke('OnDevice', 'Action', 'CM_NOTIFY_ACTION_DEVICEQUERYREMOVEFAILED'))).toEqual(['RM-4']);
  });

  it('explains a surprise removal as RM-5 and a custom event as CU-1', () => {
    const { trace } = run(S.CM_SURPRISE);
    expect(rulesOf(trace, irp('IRP_MN_SURPRISE_REMOVAL'))).toEqual(['RM-5']);
    expect(rulesOf(trace, invoke('OnDevice', 'Action', 'CM_NOTIFY_ACTION_DEVICEREMOVECOMPLETE'))).toEqual(['RM-5']);
    expect(rulesOf(trace, invoke('OnDevice', 'Action', 'CM_NOTIFY_ACTION_DEVICECUSTOMEVENT'))).toEqual(['CU-1']);
    expect(rulesOf(trace, call('IoReportTargetDeviceChangeAsynchronous'))).toEqual(['CU-1']);
    expect(rulesOf(trace, invoke('ReportDone'))).toEqual(['CU-1']);
  });

  it('explains unregistering a handle from its own callback as CM-6', () => {
    const { trace } = run(S.CM6_DEADLOCK);
    expect(rulesOf(trace, call('CM_Unregister_Notification'))).toEqual(['CM-6']);
    expect(rulesOf(trace, (e) => e.type === 'hazard' && e.severity === 'deadlock')).toEqual(['CM-6']);
  });
});

describe('rule stamps in general', () => {
  it('only ever stamps catalogue rules, and a verdict only with a rule', () => {
    for (const s of Object.values(S.ALL)) {
      const { trace } = run(s);
      for (const e of trace) {
        if (e.rule !== undefined) expect(() => rule(e.rule!)).not.toThrow();
        if (e.verdict !== undefined) expect(e.rule, `#${e.seq}`).toBeDefined();
        if (e.type === 'hazard') expect(e.verdict).toBe('breaks');
        else expect(e.verdict, `#${e.seq} ${e.type}`).not.toBe('breaks');
      }
    }
  });

  it('finds rule ids named in narration, ignoring unknown ones', () => {
    expect(ruleMentioned('see (KE-5) and CM-6')).toBe('KE-5');
    expect(ruleMentioned('KE-42 is not a rule, IRQL-1 is')).toBe('IRQL-1');
    expect(ruleMentioned('no rule here')).toBeNull();
  });
});

describe('verdicts: correct code obeys its rule', () => {
  const demo = (id: string) => run(DEMOS.find((d) => d.id === id)!.scenario).trace;

  it('ExFreePool of the context after IoUnregisterPlugPlayNotificationEx returned obeys UN-5', () => {
    const trace = demo('seed003-ex-guarantee');
    const free = trace.filter((e) => (e.type === 'call' || e.type === 'return') && e.api === 'ExFreePool');
    expect(free.map((e) => [e.type, e.rule, e.verdict])).toEqual([['call', 'UN-5', 'obeys'], ['return', 'UN-5', 'obeys']]);
  });

  it('ExFreePool while a callback still runs after the non-Ex unregister gets no "obeys" (the UN-1 window)', () => {
    const trace = demo('seed003-non-ex-window');
    const free = trace.filter((e) => e.type === 'call' && e.api === 'ExFreePool');
    expect(free.map((e) => [e.rule, e.verdict])).toEqual([['UN-5', undefined]]);
    expect(trace.filter((e) => e.type === 'hazard').map((e) => e.rule)).toContain('UN-1');
  });

  it("the recipe's CloseHandle on QUERYREMOVE obeys CM-5, its HeapFree after the unregister obeys CM-10", () => {
    const trace = demo('seed002-recipe');
    expect(trace.filter((e) => e.type === 'call' && e.api === 'CloseHandle').map((e) => [e.rule, e.verdict])).toEqual([['CM-5', 'obeys']]);
    expect(trace.filter((e) => e.type === 'call' && e.api === 'HeapFree').map((e) => [e.rule, e.verdict])).toContainEqual(['CM-10', 'obeys']);
  });

  it('a driver that deregisters its processor callback in Unload obeys KE-5', () => {
    const trace = demo('seed000-sync');
    expect(trace.filter((e) => e.type === 'call' && e.api === 'KeDeregisterProcessorChangeCallback').map((e) => [e.rule, e.verdict])).toEqual([['KE-5', 'obeys']]);
  });

  it('no demo stamps "breaks" on anything but a hazard', () => {
    for (const d of DEMOS) {
      for (const e of run(d.scenario).trace) if (e.verdict === 'breaks') expect(e.type, `${d.id} #${e.seq}`).toBe('hazard');
    }
  });
});
