// Conformance: timeline actions that start inside an earlier action (`during`, docs/scenario-format.md §4):
// at a choice point of that step, or when a thread is about to run a given op.
import { describe, expect, it } from 'vitest';
import { run, runRaw } from '../testing.ts';
import { load } from '../../scenario/load.ts';
import { A, actions, closeHandle, device, handleApp, note, ret, scenario, stepLabels, toastmon } from './fixtures-devices.ts';

const QUERYREMOVE_OP = (n: number) => `/apps/appA/routines/OnDevice/cases/${A.QUERYREMOVE}/${n}`;

/** toaster0 (stack bus → toaster), kernel monitor kmonA, handle watcher appA; the eject is timeline step 3, the `during` action step 4. */
function world(onQueryRemove: unknown[], during: Record<string, unknown>) {
  return scenario({
    devices: [device('toaster0', { stack: ['bus', 'toaster'] })],
    drivers: { kmonA: toastmon() },
    apps: { appA: handleApp(actions({ [A.QUERYREMOVE]: onQueryRemove, [A.REMOVECOMPLETE]: [closeHandle()] })) },
    timeline: [{ do: 'load', driver: 'kmonA' }, { do: 'start', app: 'appA' }, { do: 'eject', device: 'toaster0' }, during],
  });
}

describe('an action that starts inside an earlier one (during)', () => {
  it('RM-2 then RM-5: a surprise removal starts while appA is vetoing the query-remove; it is queued behind the veto and runs after QUERYREMOVEFAILED', () => {
    const r = run(world([note('vetoing'), ret('ERROR_CANCELLED')], { do: 'surpriseRemove', device: 'toaster0', during: { step: 3, op: QUERYREMOVE_OP(1) } }));
    const labels = r.labels('action', 'invoke', 'note', 'queue', 'irp', 'return').filter((l) => !l.startsWith('kmonA>') && !l.startsWith('kmonA<') && !l.startsWith('appA>') && !l.startsWith('appA<'));
    const from = labels.indexOf('action eject');
    expect(labels.slice(from)).toEqual([
      'action eject',
      'queue QueryAndRemove(toaster0)',
      'appA!OnDevice:QUERYREMOVE',
      'note vetoing',
      // appA is about to return ERROR_CANCELLED: the surprise removal starts here.
      'action surpriseRemove',
      'queue SurpriseRemoval(toaster0)',
      'appA!OnDevice:QUERYREMOVEFAILED',
      'SURPRISE_REMOVAL@toaster0:toaster', 'queue REMOVAL(toaster0)', 'SURPRISE_REMOVAL@toaster0:bus',
      // The pnp thread goes straight on with the queued event; the waiting shell runs when pnp waits (docs/architecture.md §2.2).
      'shell<CM_Query_And_Remove_SubTree=CR_REMOVE_VETOED',
      'appA!OnDevice:REMOVECOMPLETE',
      'kmonA!TargetCallback:REMOVE_COMPLETE',
      'queue RemoveDevice(toaster0)',
      'kmonA!InterfaceCallback:REMOVAL(toaster0)',
      'REMOVE_DEVICE@toaster0:toaster', 'REMOVE_DEVICE@toaster0:bus',
    ]);
    // The veto stands (RM-2): the shell is told, then the device is surprise-removed (RM-5).
    expect(r.returned('CM_Query_And_Remove_SubTree')[0].out).toEqual({ pVetoType: 'PNP_VetoWindowsApp', pszVetoName: 'appA' });
    expect(r.states('device:toaster0').slice(2)).toEqual(['started>query-remove-pending', 'query-remove-pending>started', 'started>surprise-removed', 'surprise-removed>removed']);
    // Entries after the action started carry its step (4), as for a concurrent action.
    expect(r.of('action').map((e) => [e.action.do, e.step])).toEqual([['load', 1], ['start', 2], ['eject', 3], ['surpriseRemove', 4]]);
    expect(r.hazards()).toEqual([]);
    expect(r.halt).toBe('quiescent');
  });

  it('RM-1 / CM-5: the app exits while its QUERYREMOVE callback runs; the callback never completes, exit closes the handle, and the removal succeeds', () => {
    const r = run(world([note('closing'), closeHandle()], { do: 'exit', app: 'appA', during: { step: 3, op: QUERYREMOVE_OP(1) } }));
    const step = [...stepLabels(r, 3, 'action', 'invoke', 'complete', 'note', 'state'), ...stepLabels(r, 4, 'action', 'invoke', 'complete', 'note', 'state', 'return', 'irp')]
      .filter((l) => !l.startsWith('kmonA') && !l.startsWith('interface:') && !l.startsWith('registration:kmon'));
    expect(step).toEqual([
      'action eject',
      'device:toaster0 started>query-remove-pending',
      'appA!OnDevice:QUERYREMOVE',
      'note closing',
      'action exit',
      // Process exit: the callback's thread ends where it is; the handle and the registration go with the process.
      'handle:app:appA:1 open>closed',
      'registration:cm:1 active>unregistered',
      'app:appA running>exited',
      // The PnP manager counts the cut-off callback as returned and goes on: kmonA closes its file object (IO-9).
      'handle:fo:kmonA:1 open>closed',
      'QUERY_REMOVE_DEVICE@toaster0:toaster', 'QUERY_REMOVE_DEVICE@toaster0:bus',
      'device:toaster0 query-remove-pending>remove-pending',
      'registration:io:2 active>unregistered',
      'REMOVE_DEVICE@toaster0:toaster', 'REMOVE_DEVICE@toaster0:bus',
      'device:toaster0 remove-pending>removed',
      'shell<CM_Query_And_Remove_SubTree=CR_SUCCESS',
    ]);
    // The callback that was cut off has an invoke and no complete.
    expect(r.of('invoke').filter((e) => e.component === 'appA').length).toBe(r.of('complete').filter((e) => e.component === 'appA').length + 1);
    expect(r.of('state').find((e) => e.entity === 'thread:app:appA:notify' && e.to === 'done')).toBeTruthy();
    expect(r.hazards()).toEqual([]);
    expect(r.halt).toBe('quiescent');
  });

  it('at a choice point: the same address a schedule override uses ({ step, choice })', () => {
    // A concurrent hot-add makes choice points in step 4 (two threads runnable); the plug starts at the first.
    const s = scenario({
      devices: [device('toaster0', { stack: ['bus', 'toaster'] })],
      drivers: { kmonA: toastmon() },
      apps: { appA: handleApp(actions({ [A.QUERYREMOVE]: [closeHandle()] })) },
      timeline: [{ do: 'load', driver: 'kmonA' }, { do: 'start', app: 'appA' }, { do: 'eject', device: 'toaster0' }, { do: 'hotAddProcessor', concurrent: true }, { do: 'plug', device: 'toaster0', during: { step: 4, choice: 1 } }],
    });
    const out = runRaw(s);
    if (!out.ok) throw new Error(out.errors.map((e) => e.message).join('; '));
    const first = out.choices.find((c) => c.step === 4 && c.choice === 1)!;
    expect(first).toBeTruthy();
    const plug = out.trace.findIndex((e) => e.type === 'action' && e.action.do === 'plug');
    // The action starts right at that choice point: its entry is the entry whose seq the choice point names.
    expect(plug).toBe(first.at);
    expect(out.trace[plug].step).toBe(5);
  });

  it('existing traces do not change: a scenario without `during` runs as before, and `during` is kept by load', () => {
    const plain = world([closeHandle()], { do: 'hotAddProcessor' });
    const a = run(plain).trace;
    const b = run(JSON.parse(JSON.stringify(plain))).trace;
    expect(b).toEqual(a);
    const loaded = load(world([closeHandle()], { do: 'exit', app: 'appA', during: { step: 3, op: QUERYREMOVE_OP(0) } }));
    expect(loaded.ok && loaded.scenario.timeline[3]).toEqual({ do: 'exit', app: 'appA', during: { step: 3, op: QUERYREMOVE_OP(0) } });
  });

  it('a point never reached is an error of the run, like an override never reached', () => {
    const out = runRaw(world([closeHandle()], { do: 'exit', app: 'appA', during: { step: 3, choice: 5 } }));
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.errors).toEqual([{ path: '/timeline/3/during/choice', message: 'step 3 has 1 choice point; choice 5 is never reached, so the action never starts' }]);
    const op = runRaw(world([closeHandle()], { do: 'exit', app: 'appA', during: { step: 2, op: QUERYREMOVE_OP(0) } }));
    expect(!op.ok && op.errors).toEqual([{ path: '/timeline/3/during/op', message: `no thread is about to run ${QUERYREMOVE_OP(0)} during step 2, so the action never starts` }]);
  });

  it('validation: an earlier step, exactly one of choice and op, an op that exists, not with concurrent', () => {
    const errors = (during: unknown, extra: Record<string, unknown> = {}) => {
      const l = load(world([closeHandle()], { do: 'exit', app: 'appA', during, ...extra }));
      return l.ok ? [] : l.errors.map((e) => `${e.path}: ${e.message}`);
    };
    expect(errors({ step: 4, choice: 1 })).toEqual(['/timeline/3/during/step: expected the step of an earlier action (0 = boot … 3); this action is step 4']);
    expect(errors({ step: 3 })[0]).toMatch(/^\/timeline\/3\/during: expected exactly one of "choice".*"op"/);
    expect(errors({ step: 3, choice: 1, op: QUERYREMOVE_OP(0) })[0]).toMatch(/exactly one of/);
    expect(errors({ step: 3, op: QUERYREMOVE_OP(7) })[0]).toMatch(/^\/timeline\/3\/during\/op: expected the JSON pointer of an op in a routine/);
    expect(errors({ step: 3, op: '/drivers/kmonA/globals' })[0]).toMatch(/during\/op/);
    expect(errors({ step: 3, choice: 0 })[0]).toMatch(/^\/timeline\/3\/during\/choice/);
    expect(errors({ step: 3, choice: 1 }, { concurrent: true })).toEqual(['/timeline/3/concurrent: an action has either "concurrent" (start right after the previous action) or "during" (start inside an earlier one), not both']);
    expect(errors({ step: 3, op: QUERYREMOVE_OP(0) })).toEqual([]);
  });
});
