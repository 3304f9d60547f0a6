// The demo gallery: every demo loads cleanly, runs to its documented key outcome, opens at the
// intended step, and its link stays short enough to paste into a chat (docs/architecture.md: < 2,000 chars).
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { run, type Run } from '../../engine/testing.ts';
import type { TraceEntry } from '../../engine/trace.ts';
import { MAX_LINK_CHARS, scenarioToHash } from '../codec.ts';
import { load } from '../load.ts';
import { DEMOS, demoById, startSeq, type Demo } from './index.ts';

// ---------------------------------------------------------------- helpers

/** Position of the first label equal to (or, for a trailing '*', starting with) `label`; -1 if none. */
const at = (labels: string[], label: string) =>
  labels.findIndex((l) => (label.endsWith('*') ? l.startsWith(label.slice(0, -1)) : l === label));

/** The labels appear in this order (each found after the previous one). */
function expectInOrder(r: Run, ...labels: string[]) {
  const all = r.labels();
  let from = -1;
  for (const l of labels) {
    const i = at(all.slice(from + 1), l);
    expect(i, `"${l}" after position ${from} in\n${all.join('\n')}`).toBeGreaterThanOrEqual(0);
    from += i + 1;
  }
}

const returned = (r: Run, api: string) => r.returned(api).map((e) => e.result);
const cycleOf = (r: Run) => r.of('hazard').find((h) => h.severity === 'deadlock')?.cycle?.map((e) => `${e.thread}>${e.waitsFor}`);
const shellVeto = (r: Run) => r.returned('CM_Query_And_Remove_SubTree').map((e) => ({ result: e.result, ...e.out }));

// ---------------------------------------------------------------- key outcomes, one per demo

interface Case {
  /** The label (see Run.label; a trailing '*' matches a prefix) of the entry the page opens at. */
  opensAt: string;
  outcome: (r: Run) => void;
}

const sync = (drv: string, state: string, n: number, routine = 'SyncProcessorCallback') => `${drv}!${routine}:${state}(${n})`;

const CASES: Record<string, Case> = {
  'seed000-sync': {
    opensAt: 'action load',
    outcome: (r) => {
      expect(r.callbacks()).toEqual([
        sync('sampledrv', 'Start', 0), sync('sampledrv', 'Start', 1), sync('sampledrv', 'Complete', 0), sync('sampledrv', 'Complete', 1),
        sync('sampledrv', 'Start', 2), sync('sampledrv', 'Complete', 2),
      ]);
      expectInOrder(r, sync('sampledrv', 'Start', 2), 'processor:2 starting>active', sync('sampledrv', 'Complete', 2), 'queue ARRIVAL(processor2)');
      expect(r.states('registration:ke:1')).toEqual(['none>active', 'active>unregistered']);
      expect(r.hazards()).toEqual([]);
      expect(r.halt).toBe('quiescent');
    },
  },
  'seed000-veto': {
    opensAt: 'action hotAddProcessor',
    outcome: (r) => {
      // KE-2: the vetoer and every later callback get Start; the failure pass runs in registration order.
      expect(r.callbacks()).toEqual([
        sync('sampledrv', 'Start', 2), sync('otherdrv', 'Start', 2, 'OnProcessor'),
        sync('sampledrv', 'Failure', 2), sync('otherdrv', 'Failure', 2, 'OnProcessor'),
      ]);
      const otherStart = r.of('invoke').find((e) => e.component === 'otherdrv' && e.args.State === 'KeProcessorAddStartNotify');
      expect(otherStart?.args.Status).toBe('STATUS_INSUFFICIENT_RESOURCES');
      expect(r.of('invoke').filter((e) => e.args.State === 'KeProcessorAddFailureNotify').map((e) => e.args.Status)).toEqual([
        'STATUS_INSUFFICIENT_RESOURCES', 'STATUS_INSUFFICIENT_RESOURCES',
      ]);
      // No processor 2, and so no interface arrival (KE-9).
      expect(r.states('processor:2')).toEqual(['not-present>starting', 'starting>failed']);
      expect(r.of('queue')).toEqual([]);
      expect(r.hazards()).toEqual([]);
      expect(r.halt).toBe('quiescent');
    },
  },
  'seed000-driverentry-error': {
    opensAt: 'note Cannot set up processor 1*',
    outcome: (r) => {
      // KE-4: no Start after the failing one; Failure for those that got Start, except the one that failed.
      expect(r.callbacks()).toEqual([sync('sampledrv', 'Start', 0), sync('sampledrv', 'Start', 1), sync('sampledrv', 'Failure', 0)]);
      expect(returned(r, 'KeRegisterProcessorChangeCallback')).toEqual([null]);
      expect(r.states('registration:ke:1')).toEqual(['none>active', 'active>unregistered']);
      // DRV-1: the error carried in CallbackStatus is DriverEntry's result; the driver goes away, no Unload.
      expect(r.labels('complete')).toContain('sampledrv!DriverEntry=STATUS_INSUFFICIENT_RESOURCES');
      expect(r.states('driver:sampledrv')).toEqual(['not-loaded>loaded', 'loaded>unloaded']);
      expect(r.labels('invoke')).not.toContain('sampledrv!Unload');
      // Nothing is left registered: the hot-add notifies nobody and succeeds.
      expect(r.states('processor:2')).toEqual(['not-present>starting', 'starting>active']);
      expect(r.hazards()).toEqual([]);
      expect(r.halt).toBe('quiescent');
    },
  },
  'mistake-ke-no-deregister': {
    opensAt: 'note Bug:*',
    outcome: (r) => {
      expect(r.hazards()).toEqual([
        { rule: 'KE-5', severity: 'warning' },
        { rule: 'KE-5', severity: 'bugcheck', bugcheck: '0xCE' },
      ]);
      expect(r.states('driver:sampledrv')).toEqual(['not-loaded>loaded', 'loaded>unloading', 'unloading>unloaded']);
      expectInOrder(r, 'driver:sampledrv unloading>unloaded', 'action hotAddProcessor', 'hazard KE-5 bugcheck 0xCE', 'halt bugcheck');
      expect(r.callbacks()).toEqual([]);
      expect(r.halt).toBe('bugcheck');
    },
  },
  'seed001-async': {
    opensAt: 'action hotAddProcessor',
    outcome: (r) => {
      // IO-10: the processor arrival reaches both drivers, the memory arrival only sampledrv.
      expect(r.callbacks()).toEqual([
        'sampledrv!AsyncProcessorCallback:ARRIVAL(processor1)',
        'procdrv!AsyncProcessorCallback:ARRIVAL(processor1)',
        'sampledrv!AsyncMemoryCallback:ARRIVAL(mem1)',
      ]);
      expect(new Set(r.of('invoke').filter((e) => e.registration).map((e) => e.thread))).toEqual(new Set(['pnp']));
      expect(r.states('registration:io:1')).toEqual(['none>active', 'active>unregistered']);
      expect(r.states('registration:io:2')).toEqual(['none>active', 'active>unregistered']);
      expect(r.states('driver:sampledrv')).toEqual(['not-loaded>loaded', 'loaded>unloading', 'unloading>unloaded']);
      expect(r.hazards()).toEqual([]);
      expect(r.halt).toBe('quiescent');
    },
  },
  'seed001-sync-then-async': {
    opensAt: 'action hotAddProcessor',
    outcome: (r) => {
      // KE-9: Start and Complete on hotplug first; only then the arrival is queued and delivered on pnp.
      expect(r.callbacks()).toEqual([
        sync('sampledrv', 'Start', 1), sync('sampledrv', 'Complete', 1), 'sampledrv!AsyncProcessorCallback:ARRIVAL(processor1)',
      ]);
      expect(r.of('invoke').filter((e) => e.registration).map((e) => e.thread)).toEqual(['hotplug', 'hotplug', 'pnp']);
      expectInOrder(r, sync('sampledrv', 'Complete', 1), 'queue ARRIVAL(processor1)', 'sampledrv!AsyncProcessorCallback:ARRIVAL(processor1)');
      expect(r.hazards()).toEqual([]);
      expect(r.halt).toBe('quiescent');
    },
  },
  'seed002-recipe': {
    opensAt: 'action eject',
    outcome: (r) => {
      expect(shellVeto(r)).toEqual([{ result: 'CR_SUCCESS', pVetoType: null, pszVetoName: null }]);
      expect(r.callbacks()).toEqual([
        'monitor!OnDevice:QUERYREMOVE', 'monitor!OnDevice:REMOVEPENDING', 'monitor!OnDevice:REMOVECOMPLETE',
        'monitor!OnInterface:INTERFACEREMOVAL(toaster0)',
      ]);
      // CM-5 / CM-6: the unregistration runs on a threadpool thread, and frees the context only after it returned.
      const unreg = r.of('return').filter((e) => e.api === 'CM_Unregister_Notification');
      expect(unreg.map((e) => [e.thread, e.result])).toEqual([['app:monitor:pool:1', 'CR_SUCCESS']]);
      expectInOrder(r, 'monitor!OnDevice:REMOVECOMPLETE', 'monitor<CM_Unregister_Notification=CR_SUCCESS', 'monitor>HeapFree', 'heap:2 allocated>freed');
      expectInOrder(r, 'handle:app:monitor:1 open>closed', 'QUERY_REMOVE_DEVICE@toaster0:toaster', 'REMOVE_DEVICE@toaster0:toaster');
      expect(r.hazards()).toEqual([]);
      expect(r.halt).toBe('quiescent');
    },
  },
  'seed002-query-remove-failed': {
    opensAt: 'action eject',
    outcome: (r) => {
      expect(shellVeto(r)).toEqual([{ result: 'CR_REMOVE_VETOED', pVetoType: 'PNP_VetoOutstandingOpen', pszVetoName: 'holder (handle app:holder:1)' }]);
      expect(r.hazards()).toEqual([{ rule: 'RM-4', severity: 'warning' }]);
      expect(r.callbacks()).toEqual(['monitor!OnDevice:QUERYREMOVE', 'monitor!OnDevice:QUERYREMOVEFAILED']);
      expectInOrder(r, 'QUERY_REMOVE_DEVICE@toaster0:toaster=STATUS_SUCCESS', 'hazard RM-4 warning', 'CANCEL_REMOVE_DEVICE@toaster0:toaster', 'monitor!OnDevice:QUERYREMOVEFAILED');
      // CM-5: a new handle and registration; the old registration is unregistered from the work item, then its context freed.
      expect(r.states('registration:cm:3')).toEqual(['none>active']);
      expect(r.states('registration:cm:2')).toEqual(['none>active', 'active>unregistered']);
      expect(r.states('heap:2')).toEqual(['none>allocated', 'allocated>freed']);
      expect(r.states('handle:app:monitor:2')).toEqual(['none>open']);
      expect(r.states('device:toaster0').at(-1)).toBe('query-remove-pending>started');
      expect(r.halt).toBe('quiescent');
    },
  },
  'seed002-surprise': {
    opensAt: 'action surpriseRemove',
    outcome: (r) => {
      // RM-5: SURPRISE_REMOVAL first, REMOVECOMPLETE without QUERYREMOVE, REMOVE_DEVICE once the handle is closed.
      expect(r.callbacks()).toEqual(['monitor!OnDevice:REMOVECOMPLETE', 'monitor!OnInterface:INTERFACEREMOVAL(toaster0)']);
      expect(r.labels('irp')).toEqual(['SURPRISE_REMOVAL@toaster0:toaster', 'REMOVE_DEVICE@toaster0:toaster']);
      expectInOrder(r, 'SURPRISE_REMOVAL@toaster0:toaster=STATUS_SUCCESS', 'monitor!OnDevice:REMOVECOMPLETE', 'handle:app:monitor:1 open>closed', 'REMOVE_DEVICE@toaster0:toaster');
      expect(returned(r, 'CM_Unregister_Notification')).toEqual(['CR_SUCCESS']);
      expect(r.states('device:toaster0').slice(-2)).toEqual(['started>surprise-removed', 'surprise-removed>removed']);
      expect(r.hazards()).toEqual([]);
      expect(r.halt).toBe('quiescent');
    },
  },
  'seed000-processor-groups': {
    opensAt: 'action hotAddProcessor',
    outcome: (r) => {
      // 64 processors per group: hot-added NtNumber 64 is number 0 of group 1, 65 is number 1 (KE-1).
      expect(r.callbacks()).toEqual([
        sync('groupdrv', 'Start', 64), sync('groupdrv', 'Complete', 64), sync('groupdrv', 'Start', 65), sync('groupdrv', 'Complete', 65),
      ]);
      expect(r.of('invoke').filter((e) => e.registration).map((e) => e.args.ProcNumber)).toEqual([
        { Group: 1, Number: 0 }, { Group: 1, Number: 0 }, { Group: 1, Number: 1 }, { Group: 1, Number: 1 },
      ]);
      // The callback reads $ProcNumber.Number and $ProcNumber.Group: the first of a new group, then another of it.
      expect(r.of('note').map((n) => n.text.split(':')[0])).toEqual([
        'Number 0 in its group', 'The processor now runs threads in group 1', 'Not the first of its group', 'The processor now runs threads in group 1',
      ]);
      expect(r.hazards()).toEqual([]);
      expect(r.halt).toBe('quiescent');
    },
  },
  'seed002-interface-off-on': {
    opensAt: 'action run',
    outcome: (r) => {
      // IO-11: REMOVAL then ARRIVAL of one symbolic link, kernel registrants before user mode (IO-2).
      expect(r.callbacks()).toEqual([
        'watcher!OnInterface:REMOVAL(toaster0)', 'monitor!OnInterface:INTERFACEREMOVAL(toaster0)',
        'watcher!OnInterface:ARRIVAL(toaster0)', 'monitor!OnInterface:INTERFACEARRIVAL(toaster0)',
      ]);
      expect(returned(r, 'IoSetDeviceInterfaceState')).toEqual(['STATUS_SUCCESS', 'STATUS_SUCCESS']);
      expect(r.of('call').filter((e) => e.api === 'IoSetDeviceInterfaceState').map((e) => e.rule)).toEqual(['IO-11', 'IO-11']);
      expect(r.states('device:toaster0')).toEqual(['none>not-present', 'not-present>started']);
      expect(r.hazards()).toEqual([]);
      expect(r.halt).toBe('quiescent');
    },
  },
  'seed002-eject-vetoed': {
    opensAt: 'action run',
    outcome: (r) => {
      // RM-9: the app's eject runs the query-remove; editor's veto comes back in the out-parameters (RM-2).
      expect(r.of('call').find((e) => e.api === 'CM_Request_Device_Eject')?.rule).toBe('RM-9');
      expect(r.returned('CM_Request_Device_Eject').map((e) => ({ result: e.result, ...e.out }))).toEqual([
        { result: 'CR_REMOVE_VETOED', pVetoType: 'PNP_VetoWindowsApp', pszVetoName: 'editor' },
      ]);
      expectInOrder(
        r,
        'tray>CM_Request_Device_Eject', 'editor!OnDevice:QUERYREMOVE', 'editor!OnDevice=ERROR_CANCELLED', 'editor!OnDevice:QUERYREMOVEFAILED',
        'tray<CM_Request_Device_Eject=CR_REMOVE_VETOED', 'note Vetoed:*',
      );
      // RM-11: PNP_DEVICE_FAILED is a surprise removal (RM-5): no second QUERYREMOVE, only REMOVECOMPLETE.
      expect(r.callbacks()).toEqual(['editor!OnDevice:QUERYREMOVE', 'editor!OnDevice:QUERYREMOVEFAILED', 'editor!OnDevice:REMOVECOMPLETE']);
      expectInOrder(
        r,
        'toaster>IoInvalidateDeviceState', 'QUERY_PNP_DEVICE_STATE@toaster0:toaster', 'QUERY_PNP_DEVICE_STATE@toaster0:bus',
        'queue SurpriseRemoval(toaster0)', 'SURPRISE_REMOVAL@toaster0:toaster', 'editor!OnDevice:REMOVECOMPLETE', 'REMOVE_DEVICE@toaster0:toaster',
      );
      expect(r.of('queue').find((e) => e.event === 'SurpriseRemoval')?.rule).toBe('RM-11');
      expect(r.labels('irp')).not.toContain('EJECT@toaster0:bus');
      expect(r.states('device:toaster0').slice(2)).toEqual([
        'started>query-remove-pending', 'query-remove-pending>started', 'started>surprise-removed', 'surprise-removed>removed',
      ]);
      expect(r.hazards()).toEqual([]);
      expect(r.halt).toBe('quiescent');
    },
  },
  'seed002-surprise-during-veto': {
    opensAt: 'action eject',
    outcome: (r) => {
      // The surprise removal starts as editor is about to return its veto; the broadcast finishes first (RM-2), then RM-5.
      expect(r.of('action').map((e) => [e.action.do, e.step])).toEqual([['start', 1], ['eject', 2], ['surpriseRemove', 3]]);
      expectInOrder(
        r,
        'editor!OnDevice:QUERYREMOVE', 'note Unsaved work*', 'action surpriseRemove', 'queue SurpriseRemoval(toaster0)',
        'editor!OnDevice=ERROR_CANCELLED', 'editor!OnDevice:QUERYREMOVEFAILED', 'SURPRISE_REMOVAL@toaster0:toaster',
        'shell<CM_Query_And_Remove_SubTree=CR_REMOVE_VETOED', 'editor!OnDevice:REMOVECOMPLETE', 'editor<CloseHandle=TRUE', 'REMOVE_DEVICE@toaster0:toaster',
      );
      expect(shellVeto(r)).toEqual([{ result: 'CR_REMOVE_VETOED', pVetoType: 'PNP_VetoWindowsApp', pszVetoName: 'editor' }]);
      expect(r.callbacks()).toEqual(['editor!OnDevice:QUERYREMOVE', 'editor!OnDevice:QUERYREMOVEFAILED', 'editor!OnDevice:REMOVECOMPLETE']);
      expect(r.labels('irp')).not.toContain('QUERY_REMOVE_DEVICE@toaster0:toaster');
      expect(r.states('device:toaster0').slice(2)).toEqual([
        'started>query-remove-pending', 'query-remove-pending>started', 'started>surprise-removed', 'surprise-removed>removed',
      ]);
      expect(r.hazards()).toEqual([]);
      expect(r.halt).toBe('quiescent');
    },
  },
  'seed002-duplicate': {
    opensAt: 'note Already listed*',
    outcome: (r) => {
      // CM-3: the interface arrived between the registration and the list: listed and notified.
      const link = r.of('state').find((e) => e.entity.startsWith('interface:') && e.info?.device === 'toaster1')!.entity.slice('interface:'.length);
      expect(r.returned('CM_Get_Device_Interface_List').map((e) => e.out?.Buffer)).toEqual([[link]]);
      expect(r.callbacks()).toEqual(['monitor!OnInterface:INTERFACEARRIVAL(toaster1)']);
      expectInOrder(r, 'monitor<CM_Get_Device_Interface_List=CR_SUCCESS', 'monitor!OnInterface:INTERFACEARRIVAL(toaster1)', 'note Already listed*');
      // De-duplicated: opened once.
      expect(r.returned('CreateFile')).toHaveLength(1);
      expect(r.hazards()).toEqual([]);
      expect(r.halt).toBe('quiescent');
    },
  },
  'seed002-missed-arrival': {
    opensAt: 'note Bug:*',
    outcome: (r) => {
      expect(r.returned('CM_Get_Device_Interface_List').map((e) => e.out?.Buffer)).toEqual([[]]);
      expect(r.hazards()).toEqual([{ rule: 'CM-3', severity: 'warning' }]);
      expect(r.callbacks()).toEqual([]);
      expect(r.returned('CreateFile')).toEqual([]);
      expect(r.states('device:toaster1').at(-1)).toBe('not-present>started');
      expect(r.halt).toBe('quiescent');
    },
  },
  'mistake-handle-not-closed': {
    opensAt: 'note Bug:*',
    outcome: (r) => {
      expect(shellVeto(r)).toEqual([{ result: 'CR_REMOVE_VETOED', pVetoType: 'PNP_VetoOutstandingOpen', pszVetoName: 'monitor (handle app:monitor:1)' }]);
      expect(r.hazards()).toEqual([{ rule: 'RM-4', severity: 'warning' }]);
      expect(r.callbacks()).toEqual(['monitor!OnDevice:QUERYREMOVE', 'monitor!OnDevice:QUERYREMOVEFAILED']);
      expect(r.labels('irp')).toEqual(['QUERY_REMOVE_DEVICE@toaster0:toaster', 'CANCEL_REMOVE_DEVICE@toaster0:toaster']);
      expect(r.halt).toBe('quiescent');
    },
  },
  'mistake-cm-unregister-in-callback': {
    opensAt: 'note Bug:*',
    outcome: (r) => {
      expect(r.hazards()).toEqual([{ rule: 'CM-6', severity: 'deadlock' }]);
      expect(cycleOf(r)).toEqual(['app:monitor:notify>app:monitor:notify']);
      expect(r.callbacks().at(-1)).toBe('monitor!OnDevice:REMOVECOMPLETE');
      expect(r.halt).toBe('deadlock');
    },
  },
  'mistake-context-freed-early': {
    opensAt: 'note Bug:*',
    outcome: (r) => {
      // CM-7 / CM-10: REMOVECOMPLETE arrives before the deferred unregister, with the freed context.
      expect(r.hazards()).toEqual([{ rule: 'CM-10', severity: 'error' }]);
      expect(r.callbacks()).toEqual(['monitor!OnDevice:QUERYREMOVE', 'monitor!OnDevice:REMOVEPENDING', 'monitor!OnDevice:REMOVECOMPLETE']);
      expectInOrder(r, 'heap:1 allocated>freed', 'hazard CM-10 error', 'monitor!OnDevice:REMOVECOMPLETE', 'monitor<CM_Unregister_Notification=CR_SUCCESS');
      expect(shellVeto(r)).toEqual([{ result: 'CR_SUCCESS', pVetoType: null, pszVetoName: null }]);
      expect(r.halt).toBe('quiescent');
    },
  },
  'seed003-non-ex-window': {
    opensAt: 'note A processor arrived*',
    outcome: (r) => {
      // UN-1: the obsolete routine returns while the callback runs; UN-5: the callback then touches the freed context.
      expect(r.hazards()).toEqual([
        { rule: 'UN-1', severity: 'warning' },
        { rule: 'UN-5', severity: 'bugcheck', bugcheck: '0x50' },
      ]);
      expectInOrder(r, 'sampledrv!AsyncProcessorCallback:ARRIVAL(processor1)', 'sampledrv<IoUnregisterPlugPlayNotification=STATUS_SUCCESS', 'pool:1 allocated>freed', 'hazard UN-5 bugcheck 0x50');
      expect(r.labels('complete')).not.toContain('sampledrv!AsyncProcessorCallback=STATUS_SUCCESS');
      // A routine the timeline runs holds the DriverObject; the driver stays loaded (DRV-2).
      expect(r.states('driver:sampledrv')).toEqual(['not-loaded>loaded']);
      expect(r.halt).toBe('bugcheck');
    },
  },
  'seed003-ex-guarantee': {
    opensAt: 'note A processor arrived*',
    outcome: (r) => {
      // UN-2: the Ex routine waits for the running callback; the context is freed after it returned.
      expectInOrder(
        r,
        'sampledrv>IoUnregisterPlugPlayNotificationEx', 'sampledrv!AsyncProcessorCallback=STATUS_SUCCESS',
        'registration:io:1 active>unregistered', 'sampledrv<IoUnregisterPlugPlayNotificationEx=STATUS_SUCCESS', 'pool:1 allocated>freed',
      );
      expect(r.states('thread:sys:sampledrv')).toContain('runnable>blocked');
      expect(r.hazards()).toEqual([]);
      expect(r.halt).toBe('quiescent');
    },
  },
  'mistake-un3-include-existing': {
    opensAt: 'note Found a processor*',
    outcome: (r) => {
      expect(r.hazards()).toEqual([{ rule: 'UN-3', severity: 'deadlock' }]);
      // IO-1: the entry variable is not written yet inside the replay.
      expect(r.of('call').find((e) => e.api === 'IoUnregisterPlugPlayNotificationEx')?.args.NotificationEntry).toBeNull();
      expect(returned(r, 'IoRegisterPlugPlayNotification')).toEqual([]);
      expect(r.halt).toBe('deadlock');
    },
  },
  'mistake-un4-wait-work-item': {
    opensAt: 'note Unregister from a work item*',
    outcome: (r) => {
      expect(r.hazards()).toEqual([
        { rule: 'IO-7', severity: 'error' },
        { rule: 'UN-4', severity: 'deadlock' },
      ]);
      expect(new Set(cycleOf(r))).toEqual(new Set(['worker:1>pnp', 'pnp>worker:1']));
      expect(r.halt).toBe('deadlock');
    },
  },
  'mistake-unload-blocked': {
    opensAt: 'note Bug:*',
    outcome: (r) => {
      // IO-6 / UN-6: the registration pins the DriverObject; the callback keeps being called.
      expect(r.hazards()).toEqual([{ rule: 'IO-6', severity: 'warning' }]);
      expect(r.states('driver:sampledrv')).toEqual(['not-loaded>loaded', 'loaded>unloading', 'unloading>unload-blocked']);
      expectInOrder(r, 'driver:sampledrv unloading>unload-blocked', 'sampledrv!AsyncProcessorCallback:ARRIVAL(processor1)');
      expect(r.halt).toBe('quiescent');
    },
  },
  'seed004-custom-event': {
    opensAt: 'action run',
    outcome: (r) => {
      // CU-1: STATUS_PENDING at once; then user mode, then kernel (with its own FileObject), then the completion callback.
      expect(returned(r, 'IoReportTargetDeviceChangeAsynchronous')).toEqual(['STATUS_PENDING']);
      const reported = r.of('invoke').filter((e) => e.registration && e.step === 3).map((e) => r.label(e));
      expect(reported).toEqual(['monitor!OnDevice:CUSTOMEVENT(GUID_TOASTER_LABEL_CHANGED)', 'toastmon!TargetCallback:GUID_TOASTER_LABEL_CHANGED']);
      expectInOrder(
        r,
        'toaster<IoReportTargetDeviceChangeAsynchronous=STATUS_PENDING', 'toaster!ReportLabelChange=STATUS_SUCCESS',
        'monitor!OnDevice:CUSTOMEVENT(GUID_TOASTER_LABEL_CHANGED)', 'toastmon!TargetCallback:GUID_TOASTER_LABEL_CHANGED', 'toaster!ReportDone',
      );
      const ownFileObject = r.returned('IoGetDeviceObjectPointer')[0].out?.FileObject;
      const km = r.of('invoke').find((e) => e.routine === 'TargetCallback');
      expect(km?.args.FileObject).toBe(ownFileObject);
      expect(r.of('invoke').find((e) => e.routine === 'ReportDone')?.irql).toBe('PASSIVE_LEVEL');
      expect(r.hazards()).toEqual([]);
      expect(r.halt).toBe('quiescent');
    },
  },
  'seed004-system-guid': {
    opensAt: 'note Bug:*',
    outcome: (r) => {
      expect(returned(r, 'IoReportTargetDeviceChangeAsynchronous')).toEqual(['STATUS_INVALID_DEVICE_REQUEST']);
      expect(r.hazards()).toEqual([{ rule: 'CU-2', severity: 'error' }]);
      expect(r.of('queue').filter((e) => e.step === 1)).toEqual([]);
      expect(r.halt).toBe('quiescent');
    },
  },
  'seed004-paged-at-dispatch': {
    opensAt: 'note Now at DISPATCH_LEVEL*',
    outcome: (r) => {
      expect(r.hazards()).toEqual([{ rule: 'CU-5', severity: 'bugcheck', bugcheck: '0xD1' }]);
      expect(r.of('call').find((e) => e.api === 'IoReportTargetDeviceChangeAsynchronous')?.irql).toBe('DISPATCH_LEVEL');
      expect(r.halt).toBe('bugcheck');
    },
  },
  'seed004-during-surprise-removal': {
    opensAt: 'action surpriseRemove',
    outcome: (r) => {
      // CU-6: reported inside IRP_MN_SURPRISE_REMOVAL, delivered after the removal event; completion last.
      expect(returned(r, 'IoReportTargetDeviceChangeAsynchronous')).toEqual(['STATUS_PENDING']);
      expect(r.callbacks()).toEqual(['monitor!OnDevice:REMOVECOMPLETE', 'monitor!OnDevice:CUSTOMEVENT(GUID_TOASTER_UNPLUGGED)']);
      expectInOrder(
        r,
        'toaster<IoReportTargetDeviceChangeAsynchronous=STATUS_PENDING', 'SURPRISE_REMOVAL@toaster0:toaster=STATUS_SUCCESS',
        'monitor!OnDevice:REMOVECOMPLETE', 'monitor!OnDevice:CUSTOMEVENT(GUID_TOASTER_UNPLUGGED)', 'toaster!ReportDone',
      );
      expect(r.hazards()).toEqual([]);
      expect(r.halt).toBe('quiescent');
    },
  },
  'mistake-cu8-sync-report-in-callback': {
    opensAt: 'note Bug:*',
    outcome: (r) => {
      expect(r.hazards()).toEqual([{ rule: 'CU-8', severity: 'deadlock' }]);
      expect(cycleOf(r)).toEqual(['pnp>pnp']);
      expect(r.halt).toBe('deadlock');
    },
  },
};

// ---------------------------------------------------------------- the gallery as a whole

describe('the demo gallery', () => {
  it('lists every demo file exactly once, with unique ids equal to the file names', () => {
    const files = readdirSync(new URL('.', import.meta.url)).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, ''));
    expect(DEMOS.map((d) => d.id).sort()).toEqual(files.sort());
    expect(new Set(DEMOS.map((d) => d.id)).size).toBe(DEMOS.length);
    expect(Object.keys(CASES).sort()).toEqual(DEMOS.map((d) => d.id).sort());
  });

  it('has at least one guided demo per seed document, and the documented mistakes', () => {
    for (const seed of ['000', '001', '002', '003', '004'] as const) {
      expect(DEMOS.some((d) => d.seed === seed && d.tags.includes('guided')), `seed ${seed}`).toBe(true);
    }
    const mistakes = DEMOS.filter((d) => d.tags.includes('mistake')).map((d) => d.id);
    for (const id of [
      'mistake-ke-no-deregister', 'mistake-cm-unregister-in-callback', 'mistake-handle-not-closed', 'mistake-context-freed-early',
      'mistake-cu8-sync-report-in-callback', 'mistake-un3-include-existing', 'mistake-un4-wait-work-item',
    ]) expect(mistakes).toContain(id);
  });

  it('takes title and description from the scenario, and every demo has both', () => {
    for (const d of DEMOS) {
      const s = d.scenario as { title?: string; description?: string };
      expect(d.title).toBe(s.title);
      expect(d.description).toBe(s.description);
      expect(d.title.length).toBeGreaterThan(0);
      expect(d.description.length).toBeGreaterThan(0);
    }
    expect(demoById('seed002-recipe')?.seed).toBe('002');
    expect(demoById('nope')).toBeUndefined();
  });
});

describe.each(DEMOS.map((d) => [d.id, d] as [string, Demo]))('%s', (id, demo) => {
  it('loads without errors or warnings', () => {
    const loaded = load(demo.scenario);
    expect(loaded.ok ? loaded.warnings : loaded.errors).toEqual([]);
  });

  it('narrates its key steps', () => {
    const r = run(demo.scenario);
    expect(r.of('note').length).toBeGreaterThan(0);
  });

  it('runs to its key outcome', () => {
    CASES[id].outcome(run(demo.scenario));
  });

  it('opens at the intended step', () => {
    const r = run(demo.scenario);
    const seq = startSeq(demo, r.trace);
    expect(seq).toBeGreaterThan(0);
    const entry = r.trace[seq];
    expect(entry.seq).toBe(seq);
    expect(at([r.label(entry)], CASES[id].opensAt), `opens at "${r.label(entry)}"`).toBe(0);
  });

  it(`has a link under ${MAX_LINK_CHARS} characters, with its start step`, () => {
    const loaded = load(demo.scenario);
    if (!loaded.ok) throw new Error(`${id} does not load`);
    const r = run(demo.scenario);
    // The app-relative link (`/` + hash), as the gallery shares it: opening at the start step.
    const link = `/${scenarioToHash(loaded.scenario, startSeq(demo, r.trace))}`;
    expect(link.length).toBeLessThanOrEqual(MAX_LINK_CHARS);
  });
});

// ---------------------------------------------------------------- startSeq

describe('startSeq', () => {
  const entry = (seq: number, body: Partial<TraceEntry>) => ({ seq, step: 0, thread: 'system', ...body }) as TraceEntry;
  const trace: TraceEntry[] = [
    entry(0, { type: 'note', text: 'boot' }),
    entry(1, { type: 'action', action: { do: 'hotAddProcessor' }, index: 0 }),
    entry(2, { type: 'hazard', rule: 'KE-5', severity: 'warning', message: '' }),
    entry(3, { type: 'note', text: 'Bug: here' }),
    entry(4, { type: 'hazard', rule: 'KE-5', severity: 'bugcheck', message: '' }),
    entry(5, { type: 'halt', reason: 'bugcheck' }),
  ];

  it('finds the first entry matching each kind of hint', () => {
    expect(startSeq({ start: { at: 'action', step: 1 } }, trace)).toBe(1);
    expect(startSeq({ start: { at: 'hazard' } }, trace)).toBe(2);
    expect(startSeq({ start: { at: 'hazard', rule: 'KE-5', severity: 'bugcheck' } }, trace)).toBe(4);
    expect(startSeq({ start: { at: 'note', text: 'Bug:' } }, trace)).toBe(3);
    expect(startSeq({ start: { at: 'seq', seq: 5 } }, trace)).toBe(5);
  });

  it('falls back to the beginning when nothing matches', () => {
    expect(startSeq({ start: { at: 'action', step: 9 } }, trace)).toBe(0);
    expect(startSeq({ start: { at: 'hazard', rule: 'UN-3' } }, trace)).toBe(0);
    expect(startSeq({ start: { at: 'note', text: 'nothing' } }, [])).toBe(0);
  });
});
