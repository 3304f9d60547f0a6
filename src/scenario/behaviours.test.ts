import { describe, expect, it } from 'vitest';
import seed000 from './demos/seed000-sync.json';
import { run } from '../engine/testing.ts';
import { load } from './load.ts';
import { addTemplate, type TemplateId } from './templates.ts';
import {
  applyBehaviour,
  BEHAVIOUR_IDS,
  behavioursFor,
  currentBehaviour,
  findCallbacks,
  opsFor,
  workRoutineName,
  type BehaviourId,
  type CallbackInfo,
} from './behaviours.ts';
import type { Scenario } from './types.ts';

const EMPTY = { format: 'pnp-scenario/1' };
const template = (id: TemplateId) => addTemplate(EMPTY, id).scenario;

function callback(s: unknown, routine: string, component?: string): CallbackInfo {
  const cb = findCallbacks(s).find((c) => c.routine === routine && (component === undefined || c.component === component));
  if (!cb) throw new Error(`no callback ${routine}`);
  return cb;
}

/** The scenario with one behaviour applied; it must still load. */
function withBehaviour(s: Scenario, routine: string, event: string, b: BehaviourId): Scenario {
  const cb = callback(s, routine);
  expect(behavioursFor(cb, event).map((o) => o.id)).toContain(b);
  const next = applyBehaviour(s, cb, event, b);
  const loaded = load(next);
  expect(loaded.ok ? [] : loaded.errors).toEqual([]);
  expect(currentBehaviour(next, callback(next, routine), event)).toBe(b);
  return next;
}

const rules = (s: Scenario) => run(s).hazards().map((h) => `${h.rule} ${h.severity}`);
const ejectResult = (s: Scenario) => run(s).returned('CM_Query_And_Remove_SubTree').map((e) => e.result);

describe('findCallbacks', () => {
  it('finds each registered routine with its registration kind, handle, target and context', () => {
    const s = template('seed002-monitor-app');
    expect(findCallbacks(s).map(({ component, routine, kind, handleVar, targetVar, contextVar, switchOn, editable }) => ({ component, routine, kind, handleVar, targetVar, contextVar, switchOn, editable }))).toEqual([
      { component: 'monitor', routine: 'OnInterface', kind: 'cm-interface', handleVar: 'hInterfaceNotify', targetVar: undefined, contextVar: 'InterfaceCtx', switchOn: 'Action', editable: true },
      { component: 'monitor', routine: 'OnDevice', kind: 'cm-handle', handleVar: 'hDeviceNotify', targetVar: 'hDevice', contextVar: 'DevCtx', switchOn: 'Action', editable: true },
    ]);
    const k = template('toastmon-monitor');
    expect(findCallbacks(k).map((c) => [c.routine, c.kind, c.mode, c.handleVar, c.targetVar])).toEqual([
      ['InterfaceCallback', 'interface', 'kernel', 'InterfaceEntry', undefined],
      ['TargetCallback', 'target', 'kernel', 'TargetEntry', 'FileObject'],
    ]);
    expect(findCallbacks(seed000).map((c) => [c.routine, c.kind, c.handleVar, c.contextVar, c.events])).toEqual([
      // CallbackStatus is a status variable, not an allocation: no "free the context" there.
      ['SyncProcessorCallback', 'processor', 'CallbackRegistrationHandle', undefined, ['KeProcessorAddStartNotify', 'KeProcessorAddCompleteNotify', 'KeProcessorAddFailureNotify']],
    ]);
  });

  it('lists cases the routine already has after the standard events, and never throws on odd JSON', () => {
    const s = template('toastmon-monitor') as Scenario;
    (s.drivers!.toastmon.routines!.TargetCallback as { cases: Record<string, unknown> }).cases.GUID_TOASTER_CUSTOM = [];
    expect(callback(s, 'TargetCallback').events.at(-1)).toBe('GUID_TOASTER_CUSTOM');
    for (const odd of [null, 1, { drivers: [] }, { drivers: { d: { routines: { R: 5, S: [{ call: 'IoRegisterPlugPlayNotification', CallbackRoutine: 'R' }, null] } } } }]) {
      expect(() => findCallbacks(odd)).not.toThrow();
    }
  });

  it('marks a routine that switches on another argument as not editable', () => {
    const s = structuredClone(seed000) as Scenario;
    (s.drivers!.sampledrv.routines!.SyncProcessorCallback as { switch: string }).switch = 'Event';
    const cb = callback(s, 'SyncProcessorCallback');
    expect(cb.editable).toBe(false);
    expect(behavioursFor(cb, 'KeProcessorAddStartNotify')).toEqual([]);
    expect(applyBehaviour(s, cb, 'KeProcessorAddStartNotify', 'veto')).toBe(s);
  });
});

describe('behavioursFor', () => {
  it('offers only what applies to the registration', () => {
    const offered = (t: TemplateId, routine: string, event: string) => behavioursFor(callback(template(t), routine), event).map((b) => b.id);
    expect(offered('seed002-monitor-app', 'OnDevice', 'CM_NOTIFY_ACTION_DEVICEQUERYREMOVE')).toEqual(BEHAVIOUR_IDS);
    expect(offered('seed002-monitor-app', 'OnInterface', 'CM_NOTIFY_ACTION_DEVICEINTERFACEARRIVAL')).not.toContain('close-handle');
    expect(offered('toastmon-monitor', 'TargetCallback', 'GUID_TARGET_DEVICE_QUERY_REMOVE')).toEqual(BEHAVIOUR_IDS.filter((b) => b !== 'free-context'));
    expect(offered('interface-watcher', 'InterfaceCallback', 'GUID_DEVICE_INTERFACE_ARRIVAL')).toContain('free-context');
  });

  it('says what each one does, with the rule', () => {
    const s = template('seed002-monitor-app');
    const effects = Object.fromEntries(behavioursFor(callback(s, 'OnDevice'), 'CM_NOTIFY_ACTION_DEVICEQUERYREMOVE').map((b) => [b.id, b.effect]));
    expect(effects['unregister-inline']).toMatch(/deadlock \(CM-6\)/);
    expect(effects.veto).toMatch(/ERROR_CANCELLED.*RM-2/);
    const other = Object.fromEntries(behavioursFor(callback(s, 'OnDevice'), 'CM_NOTIFY_ACTION_DEVICEREMOVEPENDING').map((b) => [b.id, b.effect]));
    expect(other.veto).toMatch(/CM-8/);
  });
});

describe('currentBehaviour', () => {
  it('recognises the templates’ cases, ignoring notes', () => {
    const k = template('toastmon-monitor');
    expect(currentBehaviour(k, callback(k, 'TargetCallback'), 'GUID_TARGET_DEVICE_QUERY_REMOVE')).toBe('close-handle');
    expect(currentBehaviour(k, callback(k, 'TargetCallback'), 'GUID_TARGET_DEVICE_REMOVE_CANCELLED')).toBe('custom');
    const w = template('interface-watcher');
    expect(currentBehaviour(w, callback(w, 'InterfaceCallback'), 'GUID_DEVICE_INTERFACE_ARRIVAL')).toBe('succeed');
    // A missing case falls to the default ([]), which succeeds.
    expect(currentBehaviour(seed000, callback(seed000, 'SyncProcessorCallback'), 'KeProcessorAddStartNotify')).toBe('succeed');
  });
});

describe('applyBehaviour', () => {
  it('replaces only the chosen case and leaves the input alone', () => {
    const s = template('toastmon-monitor');
    const before = structuredClone(s);
    const cb = callback(s, 'TargetCallback');
    const next = applyBehaviour(s, cb, 'GUID_TARGET_DEVICE_QUERY_REMOVE', 'veto');
    expect(s).toEqual(before);
    expect(opsFor(next, cb, 'GUID_TARGET_DEVICE_QUERY_REMOVE')).toEqual([
      { op: 'note', text: 'Veto: return STATUS_UNSUCCESSFUL.' },
      { op: 'return', value: 'STATUS_UNSUCCESSFUL' },
    ]);
    for (const e of ['GUID_TARGET_DEVICE_REMOVE_CANCELLED', 'GUID_TARGET_DEVICE_REMOVE_COMPLETE']) expect(opsFor(next, cb, e)).toEqual(opsFor(s, cb, e));
  });

  it('turns an op-list routine into a switch whose default keeps the old ops', () => {
    const s = {
      format: 'pnp-scenario/1',
      drivers: {
        d: {
          routines: {
            DriverEntry: [{ call: 'IoRegisterPlugPlayNotification', EventCategory: 'EventCategoryDeviceInterfaceChange', EventCategoryData: 'GUID_DEVICE_PROCESSOR', CallbackRoutine: 'Cb', Context: null, NotificationEntry: 'Entry' }],
            Cb: [{ op: 'note', text: 'old' }],
          },
        },
      },
    } as unknown as Scenario;
    const next = applyBehaviour(s, callback(s, 'Cb'), 'GUID_DEVICE_INTERFACE_ARRIVAL', 'unregister-inline');
    expect(next.drivers!.d.routines!.Cb).toEqual({
      switch: 'Event',
      cases: { GUID_DEVICE_INTERFACE_ARRIVAL: [{ op: 'note', text: 'Unregister this registration from its own callback.' }, { call: 'IoUnregisterPlugPlayNotificationEx', NotificationEntry: 'Entry' }] },
      default: [{ op: 'note', text: 'old' }],
    });
    expect(load(next).ok).toBe(true);
  });

  it('adds a work routine for the deferred behaviours and removes it when no longer used', () => {
    const s = template('seed002-monitor-app');
    const cb = callback(s, 'OnInterface');
    const work = workRoutineName('OnInterface');
    const deferred = applyBehaviour(s, cb, 'CM_NOTIFY_ACTION_DEVICEINTERFACEREMOVAL', 'unregister-deferred');
    expect(deferred.apps!.monitor.routines![work]).toEqual([{ call: 'CM_Unregister_Notification', NotifyContext: '$Context' }]);
    const twice = applyBehaviour(deferred, cb, 'CM_NOTIFY_ACTION_DEVICEINTERFACEARRIVAL', 'wait-work-item');
    expect(Object.keys(twice.apps!.monitor.routines!).filter((r) => r.startsWith(work))).toEqual([work]);
    const back = applyBehaviour(applyBehaviour(twice, cb, 'CM_NOTIFY_ACTION_DEVICEINTERFACEREMOVAL', 'succeed'), cb, 'CM_NOTIFY_ACTION_DEVICEINTERFACEARRIVAL', 'succeed');
    expect(Object.keys(back.apps!.monitor.routines!)).not.toContain(work);
    expect(load(back).ok).toBe(true);
  });

  it('does not take over a routine of that name that the author wrote', () => {
    const s = template('seed002-monitor-app') as Scenario;
    const work = workRoutineName('OnDevice');
    s.apps!.monitor.routines![work] = [{ op: 'note', text: 'mine' }];
    const next = applyBehaviour(s, callback(s, 'OnDevice'), 'CM_NOTIFY_ACTION_DEVICEREMOVECOMPLETE', 'unregister-deferred');
    expect(next.apps!.monitor.routines![work]).toEqual([{ op: 'note', text: 'mine' }]);
    expect(next.apps!.monitor.routines![`${work}2`]).toEqual([{ call: 'CM_Unregister_Notification', NotifyContext: '$Context' }]);
    expect(load(next).ok).toBe(true);
  });

  it('every offered behaviour loads for every callback and event of every template', () => {
    for (const t of ['seed000-sync-driver', 'seed001-async-driver', 'interface-watcher', 'toastmon-monitor', 'seed002-monitor-app'] as const) {
      const s = template(t);
      for (const cb of findCallbacks(s)) {
        for (const e of cb.events) {
          for (const b of behavioursFor(cb, e)) {
            const next = applyBehaviour(s, cb, e, b.id);
            const loaded = load(next);
            expect(loaded.ok ? [] : loaded.errors, `${t} ${cb.routine} ${e} ${b.id}`).toEqual([]);
            expect(currentBehaviour(next, callback(next, cb.routine), e), `${t} ${cb.routine} ${e} ${b.id}`).toBe(b.id);
          }
        }
      }
    }
  });
});

// Each behaviour has its documented effect when the engine runs it.
describe('documented effects', () => {
  const QR = 'CM_NOTIFY_ACTION_DEVICEQUERYREMOVE';
  const app = () => template('seed002-monitor-app');
  const toastmon = () => template('toastmon-monitor');

  it('unregister inline in a CM callback: CM_Unregister_Notification waits for itself (CM-6 deadlock)', () => {
    const s = withBehaviour(app(), 'OnDevice', QR, 'unregister-inline');
    const r = run(s);
    expect(r.halt).toBe('deadlock');
    expect(rules(s)).toContain('CM-6 deadlock');
  });

  it('unregister inline in a processor callback: KeDeregisterProcessorChangeCallback waits for itself (KE-7 deadlock)', () => {
    const s = withBehaviour(template('seed000-sync-driver'), 'SyncProcessorCallback', 'KeProcessorAddCompleteNotify', 'unregister-inline');
    expect(run(s).halt).toBe('deadlock');
    expect(rules(s)).toContain('KE-7 deadlock');
  });

  it('unregister inline in a kernel PnP callback: allowed, and no later callback (UN-2)', () => {
    const s = withBehaviour(template('interface-watcher'), 'InterfaceCallback', 'GUID_DEVICE_INTERFACE_ARRIVAL', 'unregister-inline');
    const r = run(s);
    expect(r.halt).toBe('quiescent');
    expect(r.callbacks()).toEqual(['watcher!InterfaceCallback:ARRIVAL(toaster0)']);
    expect(rules(s)).not.toContain('UN-3 deadlock');
  });

  it('unregister inline during an INCLUDE_EXISTING replay: deadlock (UN-3)', () => {
    const s = withBehaviour(toastmon(), 'InterfaceCallback', 'GUID_DEVICE_INTERFACE_ARRIVAL', 'unregister-inline');
    expect(run(s).halt).toBe('deadlock');
    expect(rules(s)).toContain('UN-3 deadlock');
  });

  it('veto in a CM handle callback: the removal is vetoed (RM-2)', () => {
    expect(ejectResult(app())).toEqual(['CR_SUCCESS']);
    const s = withBehaviour(app(), 'OnDevice', QR, 'veto');
    expect(ejectResult(s)).toEqual(['CR_REMOVE_VETOED']);
    expect(run(s).callbacks()).toContain('monitor!OnDevice:QUERYREMOVEFAILED');
  });

  it('veto in a kernel target callback: the removal is vetoed (RM-3)', () => {
    const s = withBehaviour(toastmon(), 'TargetCallback', 'GUID_TARGET_DEVICE_QUERY_REMOVE', 'veto');
    expect(ejectResult(s)).toEqual(['CR_REMOVE_VETOED']);
    expect(run(s).callbacks()).toContain('toastmon!TargetCallback:REMOVE_CANCELLED');
  });

  it('veto in a processor Start callback: the add fails, every callback gets Failure (KE-1, KE-2)', () => {
    const s = withBehaviour(template('seed000-sync-driver'), 'SyncProcessorCallback', 'KeProcessorAddStartNotify', 'veto');
    const r = run(s);
    // The ADD_EXISTING replay fails first: Start(0) fails, the registration is refused (KE-4).
    expect(r.callbacks()[0]).toBe('syncdrv!SyncProcessorCallback:Start(0)');
    expect(r.returned('KeRegisterProcessorChangeCallback').map((e) => e.result)).toEqual([null]);
  });

  it('veto in a processor Complete callback is a contract violation (KE-3)', () => {
    const s = withBehaviour(template('seed000-sync-driver'), 'SyncProcessorCallback', 'KeProcessorAddCompleteNotify', 'veto');
    expect(rules(s)).toContain('KE-3 error');
  });

  it('not closing the file object on QUERY_REMOVE fails the removal (RM-4); closing it lets it go on (IO-9)', () => {
    const kept = withBehaviour(toastmon(), 'TargetCallback', 'GUID_TARGET_DEVICE_QUERY_REMOVE', 'succeed');
    expect(ejectResult(kept)).toEqual(['CR_REMOVE_VETOED']);
    expect(rules(kept)).toContain('RM-4 warning');
    const closed = withBehaviour(kept, 'TargetCallback', 'GUID_TARGET_DEVICE_QUERY_REMOVE', 'close-handle');
    expect(ejectResult(closed)).toEqual(['CR_SUCCESS']);
  });

  it('not closing the handle on DEVICEQUERYREMOVE fails the removal (CM-5, RM-4); closing it lets it go on', () => {
    const kept = withBehaviour(app(), 'OnDevice', QR, 'succeed');
    expect(ejectResult(kept)).toEqual(['CR_REMOVE_VETOED']);
    const closed = withBehaviour(kept, 'OnDevice', QR, 'close-handle');
    expect(ejectResult(closed)).toEqual(['CR_SUCCESS']);
  });

  it('unregister deferred from a CM callback: no deadlock, the registration ends (CM-6’s fix)', () => {
    const s = withBehaviour(app(), 'OnInterface', 'CM_NOTIFY_ACTION_DEVICEINTERFACEREMOVAL', 'unregister-deferred');
    const r = run(s);
    expect(r.halt).toBe('quiescent');
    expect(rules(s).filter((h) => h.endsWith('deadlock'))).toEqual([]);
    expect(r.of('invoke').map((e) => e.routine)).toContain(workRoutineName('OnInterface'));
    // The interface registration is gone: the re-plugged toaster's arrival is not delivered.
    expect(r.callbacks()).not.toContain('monitor!OnInterface:INTERFACEARRIVAL(toaster0)');
  });

  it('unregister deferred from a kernel callback: a work item unregisters it', () => {
    const s = withBehaviour(template('seed001-async-driver'), 'AsyncProcessorCallback', 'GUID_DEVICE_INTERFACE_ARRIVAL', 'unregister-deferred');
    const r = run(s);
    expect(r.halt).toBe('quiescent');
    expect(r.of('invoke').find((e) => e.routine === workRoutineName('AsyncProcessorCallback'))?.thread).toMatch(/^worker:/);
  });

  it('free the context while registered: the next callback is a use-after-free (UN-5 bug check 0x50)', () => {
    const s = withBehaviour(template('interface-watcher'), 'InterfaceCallback', 'GUID_DEVICE_INTERFACE_ARRIVAL', 'free-context');
    expect(run(s).halt).toBe('bugcheck');
    expect(run(s).hazards()).toContainEqual({ rule: 'UN-5', severity: 'bugcheck', bugcheck: '0x50' });
  });

  it('free the context in a CM callback: the next callback uses freed memory (CM-10)', () => {
    const s = withBehaviour(app(), 'OnDevice', QR, 'free-context');
    expect(rules(s)).toContain('CM-10 error');
  });

  it('wait for a work item that unregisters: deadlock (UN-4)', () => {
    const s = withBehaviour(template('seed001-async-driver'), 'AsyncProcessorCallback', 'GUID_DEVICE_INTERFACE_ARRIVAL', 'wait-work-item');
    expect(run(s).halt).toBe('deadlock');
    expect(rules(s)).toContain('UN-4 deadlock');
  });

  it('wait for threadpool work that unregisters, in a CM callback: deadlock (CM-12, the wait CM-6 forbids)', () => {
    const s = withBehaviour(app(), 'OnDevice', QR, 'wait-work-item');
    expect(run(s).halt).toBe('deadlock');
    // The callback blocks (CM-12) on work whose CM_Unregister_Notification waits for that callback (CM-6).
    expect(rules(s).filter((r) => r.endsWith('deadlock'))).toEqual([expect.stringMatching(/^CM-(6|12) deadlock$/)]);
  });
});
