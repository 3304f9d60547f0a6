import { describe, expect, it } from 'vitest';
import { run } from '../../engine/testing.ts';
import { rule } from '../../engine/rules/catalog.ts';
import type { TraceEntry } from '../../engine/trace.ts';
import { ruleFor, ruleMentioned } from './ruleFor.ts';
import * as S from './testing/scenarios.ts';

type Pred = (e: TraceEntry) => boolean;

/** The rules of every entry matching `pred`, in trace order. */
function rulesOf(trace: TraceEntry[], pred: Pred) {
  const hits = trace.filter(pred);
  if (hits.length === 0) throw new Error('no entry matches');
  return hits.map((e) => ruleFor(e, trace, e.seq));
}

const invoke = (routine: string, field?: string, value?: unknown): Pred => (e) =>
  e.type === 'invoke' && e.routine === routine && (field === undefined || e.args[field] === value);
const call = (api: string): Pred => (e) => e.type === 'call' && e.api === api;
const irp = (minor: string): Pred => (e) => e.type === 'irp' && e.minor === minor;
const type = (t: TraceEntry['type']): Pred => (e) => e.type === t;

describe('ruleFor on seed 000 (synchronous processor notification)', () => {
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
    const byText = (t: string) => ruleFor(notes.find((n) => n.text.startsWith(t))!, trace, notes.find((n) => n.text.startsWith(t))!.seq);
    expect(byText('Deregister before')).toBe('KE-5'); // says "(KE-5)"
    expect(byText('Load sampledrv')).toBe('DRV-1'); // the timeline action's narration
    expect(byText('Register for synchronous')).toBe('DRV-1'); // runs in DriverEntry
  });

  it('returns null for scheduler bookkeeping and a quiescent halt', () => {
    expect(new Set(rulesOf(trace, (e) => e.type === 'state' && e.entity.startsWith('thread:')))).toEqual(new Set([null]));
    expect(rulesOf(trace, type('halt'))).toEqual([null]);
  });
});

describe('ruleFor on processor vetoes and bug checks', () => {
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

describe('ruleFor on asynchronous notification (IoRegisterPlugPlayNotification)', () => {
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

describe('ruleFor on device removal', () => {
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

describe('ruleFor in general', () => {
  it('only looks back: the rule of entry k is the same on the prefix trace[0..k]', () => {
    for (const s of [S.CM_VETO, S.KM_VETO, S.KE_VETO]) {
      const { trace } = run(s);
      for (let k = 0; k < trace.length; k++) {
        const prefix = trace.slice(0, k + 1);
        expect(ruleFor(prefix[k], prefix, k), `entry ${k}`).toBe(ruleFor(trace[k], trace, k));
      }
    }
  });

  it('only ever answers with catalogue rules', () => {
    for (const s of Object.values(S.ALL)) {
      const { trace } = run(s);
      for (const e of trace) {
        const id = ruleFor(e, trace, e.seq);
        if (id !== null) expect(() => rule(id)).not.toThrow();
      }
    }
  });

  it('finds rule ids named in narration, ignoring unknown ones', () => {
    expect(ruleMentioned('see (KE-5) and CM-6')).toBe('KE-5');
    expect(ruleMentioned('KE-42 is not a rule, IRQL-1 is')).toBe('IRQL-1');
    expect(ruleMentioned('no rule here')).toBeNull();
  });
});
