// Conformance: custom device events (CU-1…CU-9; seed 004).
import { describe, expect, it } from 'vitest';
import { load } from '../../scenario/load.ts';
import { run } from '../testing.ts';
import {
  A, actions, closeHandle, CUSTOM, device, E, ejects, handleApp, registerInterface, scenario, stepLabels, toastmon,
  TOASTER, results, type Component, type Ops,
} from './fixtures-devices.ts';

/** The asynchronous report; an `extra` key set to undefined is left out (e.g. no completion Callback). */
const report = (ns: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => Object.fromEntries(Object.entries({
  call: 'IoReportTargetDeviceChangeAsynchronous', PhysicalDeviceObject: 'toaster0',
  NotificationStructure: { Event: CUSTOM, FileObject: null, NameBufferOffset: -1, CustomData: 'hello', Pool: 'NonPaged', ...ns },
  Callback: 'ReportDone', Context: 'ReportContext', result: 'Status', ...extra,
}).filter(([, v]) => v !== undefined));
const reportSync = (ns: Record<string, unknown> = {}) => ({
  call: 'IoReportTargetDeviceChange', PhysicalDeviceObject: 'toaster0',
  NotificationStructure: { Event: CUSTOM, FileObject: null, NameBufferOffset: -1, CustomData: 'hello', ...ns }, result: 'Status',
});

/** The function driver of toaster0 reports; appA/appB hold handle registrations, kmonA/kmonB target registrations. */
function world(toaster: Record<string, unknown>, timeline: unknown[] = [{ do: 'run', component: 'toaster', routine: 'Report' }], more: { apps?: Record<string, Component>; drivers?: Record<string, Component> } = {}) {
  return scenario({
    devices: [device('toaster0')],
    drivers: {
      toaster: { globals: { ReportContext: null }, routines: { ReportDone: [], ...toaster } as Component['routines'] },
      kmonA: toastmon(), kmonB: toastmon(),
      ...more.drivers,
    },
    apps: {
      appA: handleApp(actions({ [A.QUERYREMOVE]: [closeHandle()] })),
      appB: handleApp(actions({ [A.QUERYREMOVE]: [closeHandle()] }), { pre: [registerInterface(TOASTER, 'OnInterface', 'hInterfaceNotify')], extra: { OnInterface: [] } }),
      ...more.apps,
    },
    timeline: [
      { do: 'load', driver: 'kmonA' }, { do: 'load', driver: 'kmonB' }, { do: 'start', app: 'appA' }, { do: 'start', app: 'appB' },
      ...timeline,
    ],
  });
}
const STEP = 5;
const DELIVERIES = [
  `appA!OnDevice:CUSTOMEVENT(${CUSTOM})`, `appB!OnDevice:CUSTOMEVENT(${CUSTOM})`,
  `kmonA!TargetCallback:${CUSTOM}`, `kmonB!TargetCallback:${CUSTOM}`,
];

describe('CU-1 returns at once', () => {
  const r = run(world({ Report: [{ call: 'ExAllocatePool2', Flags: ['POOL_FLAG_NON_PAGED'], Tag: 'Rpt', result: 'ReportContext' }, report()] }));

  it('CU-1 STATUS_PENDING at once; then UM before KM, each KM registrant with its own FileObject; then the completion callback', () => {
    expect(stepLabels(r, STEP, 'invoke', 'call', 'return', 'queue').filter((l) => !/ExAllocatePool2/.test(l))).toEqual([
      'toaster!Report',
      'toaster>IoReportTargetDeviceChangeAsynchronous', `queue ${CUSTOM}(toaster0)`, 'toaster<IoReportTargetDeviceChangeAsynchronous=STATUS_PENDING',
      ...DELIVERIES,
      'toaster!ReportDone',
    ]);
    const km = r.of('invoke').filter((e) => e.routine === 'TargetCallback' && e.args.Event === CUSTOM);
    expect(km.map((e) => e.args.FileObject)).toEqual(['fo:kmonA:1', 'fo:kmonB:1']);
    expect(km.map((e) => e.args.CustomDataBuffer)).toEqual(['hello', 'hello']);
    const um = r.of('invoke').filter((e) => e.routine === 'OnDevice' && e.args.Action === A.CUSTOM);
    expect(um.map((e) => [e.args.EventGuid, e.args.NameOffset, e.args.Data])).toEqual([[CUSTOM, -1, 'hello'], [CUSTOM, -1, 'hello']]);
    expect(r.hazards()).toEqual([]);
    expect(r.halt).toBe('quiescent');
  });

  it('CU-1 the report returns on the reporter thread; deliveries and the completion callback run on pnp, at PASSIVE_LEVEL, with the Context', () => {
    const ret = r.returned('IoReportTargetDeviceChangeAsynchronous')[0];
    expect(ret.thread).toBe('sys:toaster');
    const done = r.of('invoke').find((e) => e.routine === 'ReportDone')!;
    expect(done.thread).toBe('pnp');
    expect(done.irql).toBe('PASSIVE_LEVEL');
    expect(done.args).toEqual({ Context: 'pool:1' });
    expect(r.of('invoke').filter((e) => e.args.Event === CUSTOM).every((e) => e.thread === 'pnp')).toBe(true);
  });
});

describe('CU-2 system GUIDs refused', () => {
  for (const ev of [E.QUERY_REMOVE, E.REMOVE_CANCELLED, E.REMOVE_COMPLETE]) {
    it(`CU-2 ${ev} → STATUS_INVALID_DEVICE_REQUEST, nothing queued`, () => {
      const r = run(world({ Report: [report({ Event: ev })] }));
      expect(results(r, 'IoReportTargetDeviceChangeAsynchronous')).toEqual(['STATUS_INVALID_DEVICE_REQUEST']);
      expect(stepLabels(r, STEP, 'queue', 'invoke')).toEqual(['toaster!Report']);
      expect(r.hazards()).toEqual([{ rule: 'CU-2', severity: 'error' }]);
    });
  }

  it('CU-2 a Size smaller than the header, or a NameBufferOffset past the data, is refused too (OBS)', () => {
    const r = run(world({ Report: [report({ Size: 8 }), report({ NameBufferOffset: 100 })] }));
    expect(results(r, 'IoReportTargetDeviceChangeAsynchronous')).toEqual(['STATUS_INVALID_DEVICE_REQUEST', 'STATUS_INVALID_DEVICE_REQUEST']);
    expect(stepLabels(r, STEP, 'queue', 'invoke')).toEqual(['toaster!Report']);
    expect(r.hazards()).toEqual([{ rule: 'CU-2', severity: 'error' }, { rule: 'CU-2', severity: 'error' }]);
  });

  it('CU-2 the synchronous routine refuses them as well', () => {
    const r = run(world({ Report: [reportSync({ Event: E.QUERY_REMOVE })] }));
    expect(results(r, 'IoReportTargetDeviceChange')).toEqual(['STATUS_INVALID_DEVICE_REQUEST']);
    expect(r.hazards()).toEqual([{ rule: 'CU-2', severity: 'error' }]);
  });
});

describe('CU-3 FileObject must be NULL', () => {
  it('CU-3 a non-NULL FileObject is flagged; each registrant still gets its own file object', () => {
    const r = run(world({ Report: [report({ FileObject: 'Bogus' })] }, undefined, {
      drivers: { toaster: { globals: { ReportContext: null, Bogus: 'fo:kmonA:1' }, routines: { ReportDone: [], Report: [report({ FileObject: 'Bogus' })] } } },
    }));
    expect(r.hazards()).toEqual([{ rule: 'CU-3', severity: 'error' }]);
    expect(results(r, 'IoReportTargetDeviceChangeAsynchronous')).toEqual(['STATUS_PENDING']);
    expect(r.of('invoke').filter((e) => e.args.Event === CUSTOM).map((e) => e.args.FileObject)).toEqual(['fo:kmonA:1', 'fo:kmonB:1']);
  });
});

describe('CU-4 shallow copy', () => {
  it('CU-4 the caller may reuse its structure at once: each delivery uses its own copy; not a hazard', () => {
    const r = run(world({ Report: [report({ CustomData: 'first' }), report({ CustomData: 'second' })] }));
    const data = r.of('invoke').filter((e) => e.routine === 'TargetCallback' && e.args.Event === CUSTOM).map((e) => e.args.CustomDataBuffer);
    expect(data).toEqual(['first', 'first', 'second', 'second']);
    expect(stepLabels(r, STEP, 'invoke')).toEqual(['toaster!Report', ...DELIVERIES, 'toaster!ReportDone', ...DELIVERIES, 'toaster!ReportDone']);
    expect(r.hazards()).toEqual([]);
  });
});

describe('CU-5 IRQL', () => {
  const atDispatch = (pool: string): Ops => [{ call: 'KeAcquireSpinLock', SpinLock: 'Lock' }, report({ Pool: pool }, { Callback: undefined, Context: null }), { call: 'KeReleaseSpinLock', SpinLock: 'Lock' }];

  it('CU-5 a paged structure at DISPATCH_LEVEL (under a spin lock) → bug check 0xD1', () => {
    const r = run(world({ Report: atDispatch('Paged') }));
    expect(r.hazards()).toEqual([{ rule: 'CU-5', severity: 'bugcheck', bugcheck: '0xD1' }]);
    expect(r.halt).toBe('bugcheck');
    const call = r.of('call').find((e) => e.api === 'IoReportTargetDeviceChangeAsynchronous')!;
    expect(call.irql).toBe('DISPATCH_LEVEL');
    expect(r.callbacks().filter((l) => l.includes(CUSTOM))).toEqual([]);
  });

  it('CU-5 a non-paged structure at DISPATCH_LEVEL is fine', () => {
    const r = run(world({ Report: atDispatch('NonPaged') }));
    expect(r.hazards()).toEqual([]);
    expect(results(r, 'IoReportTargetDeviceChangeAsynchronous')).toEqual(['STATUS_PENDING']);
    expect(r.callbacks().filter((l) => l.includes(CUSTOM))).toEqual(DELIVERIES);
  });

  it('CU-5 a paged structure at PASSIVE_LEVEL is fine; a paged Context is flagged at any IRQL', () => {
    const r = run(world({ Report: [{ call: 'ExAllocatePool2', Flags: ['POOL_FLAG_PAGED'], Tag: 'Ctx', result: 'ReportContext' }, report({ Pool: 'Paged' })] }));
    expect(r.hazards()).toEqual([{ rule: 'CU-5', severity: 'error' }]);
    expect(results(r, 'IoReportTargetDeviceChangeAsynchronous')).toEqual(['STATUS_PENDING']);
    expect(r.halt).toBe('quiescent');
  });
});

describe('CU-6 during removal IRPs', () => {
  it('CU-6 reported while handling IRP_MN_SURPRISE_REMOVAL: queued behind the current event; deliveries and the completion callback after the stack unwinds', () => {
    const r = run(world({ IRP_MN_SURPRISE_REMOVAL: [report()] }, [{ do: 'surpriseRemove', device: 'toaster0' }]));
    expect(stepLabels(r, STEP, 'invoke', 'irp', 'irpComplete', 'return', 'queue').filter((l) => !l.includes('ObDereferenceObject') && !l.includes('IoUnregister'))).toEqual([
      'queue SurpriseRemoval(toaster0)',
      'SURPRISE_REMOVAL@toaster0:toaster', 'toaster!IRP_MN_SURPRISE_REMOVAL',
      `queue ${CUSTOM}(toaster0)`, 'toaster<IoReportTargetDeviceChangeAsynchronous=STATUS_PENDING',
      'queue REMOVAL(toaster0)', 'SURPRISE_REMOVAL@toaster0:toaster=STATUS_SUCCESS',
      // the current event goes on: UM REMOVECOMPLETE, KM REMOVE_COMPLETE (toastmon unregisters there)
      'appA!OnDevice:REMOVECOMPLETE', 'appB!OnDevice:REMOVECOMPLETE',
      'kmonA!TargetCallback:REMOVE_COMPLETE', 'kmonB!TargetCallback:REMOVE_COMPLETE',
      // then, as a later PnP event, the custom event and its completion callback
      `appA!OnDevice:CUSTOMEVENT(${CUSTOM})`, `appB!OnDevice:CUSTOMEVENT(${CUSTOM})`,
      'toaster!ReportDone',
      'kmonA!InterfaceCallback:REMOVAL(toaster0)', 'kmonB!InterfaceCallback:REMOVAL(toaster0)', 'appB!OnInterface:INTERFACEREMOVAL(toaster0)',
    ]);
    expect(r.hazards()).toEqual([]);
  });

  it('CU-6 reported while handling IRP_MN_REMOVE_DEVICE: the completion callback runs after the removal finished', () => {
    const r = run(world({ IRP_MN_REMOVE_DEVICE: [report()] }, [{ do: 'eject', device: 'toaster0' }]));
    const labels = stepLabels(r, STEP, 'invoke', 'irp', 'irpComplete');
    const done = labels.indexOf('toaster!ReportDone');
    expect(done).toBeGreaterThan(labels.indexOf('REMOVE_DEVICE@toaster0:toaster=STATUS_SUCCESS'));
    expect(done).toBeGreaterThan(labels.indexOf('appA!OnDevice:REMOVECOMPLETE'));
    expect(ejects(r)[0].result).toBe('CR_SUCCESS');
    expect(r.hazards()).toEqual([]);
  });
});

describe('CU-7 completion callback discipline', () => {
  it('CU-7 a completion callback that blocks is flagged (error)', () => {
    const r = run(world({
      Report: [report()],
      ReportDone: [{ call: 'IoQueueWorkItem', WorkerRoutine: 'Work', Context: null, result: 'WorkItem' }, { call: 'KeWaitForSingleObject', Object: 'WorkItem' }],
      Work: [],
    }));
    expect(r.hazards()).toEqual([{ rule: 'CU-7', severity: 'error' }]);
    expect(r.halt).toBe('quiescent');
  });

  it('CU-7 a completion callback calling the synchronous IoReportTargetDeviceChange: the PnP manager waits for itself (CU-8)', () => {
    const r = run(world({ Report: [report()], ReportDone: [reportSync()] }));
    expect(r.hazards()).toEqual([{ rule: 'CU-8', severity: 'deadlock' }]);
    expect(r.halt).toBe('deadlock');
    expect(r.of('hazard')[0].cycle).toEqual([{ thread: 'pnp', waitsFor: 'pnp', reason: `the PnP manager to deliver ${CUSTOM}` }]);
  });
});

describe('CU-8 synchronous variant', () => {
  it('CU-8 from a driver thread: waits until every registrant was notified, then STATUS_SUCCESS', () => {
    const r = run(world({ Report: [reportSync()] }));
    expect(stepLabels(r, STEP, 'invoke', 'call', 'return').filter((l) => !l.startsWith('shell'))).toEqual([
      'toaster!Report', 'toaster>IoReportTargetDeviceChange',
      ...DELIVERIES,
      'toaster<IoReportTargetDeviceChange=STATUS_SUCCESS',
    ]);
    expect(r.hazards()).toEqual([]);
  });

  it('CU-8 from a notification callback (on the pnp thread): deadlock CU-8', () => {
    const bad = run(world({ Report: [report({}, { Callback: undefined })] }, undefined, {
      drivers: { kmonB: { routines: { ...toastmon().routines, TargetCallback: { switch: 'Event', cases: { [CUSTOM]: [reportSync({ CustomData: 'again' })] }, default: [] } } } },
    }));
    expect(bad.hazards()).toEqual([{ rule: 'CU-8', severity: 'deadlock' }]);
    expect(bad.halt).toBe('deadlock');
    expect(bad.callbacks().at(-1)).toBe(`kmonB!TargetCallback:${CUSTOM}`);
  });

  it('CU-8 IoReportTargetDeviceChange is PASSIVE_LEVEL only (IRQL-1 at DISPATCH_LEVEL)', () => {
    const r = run(world({ Report: [{ call: 'KeAcquireSpinLock', SpinLock: 'Lock' }, reportSync()] }));
    expect(r.hazards()).toEqual([{ rule: 'IRQL-1', severity: 'bugcheck', bugcheck: '0xC4' }]);
  });
});

describe('CU-9 kernel mode only', () => {
  it('CU-9 an app cannot raise a custom event: the scenario is refused', () => {
    const s = world({ Report: [] }, [], { apps: { rogue: { routines: { main: [report()], ReportDone: [] } } } });
    const loaded = load(s);
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.errors.map((e) => e.message).join('\n')).toContain('CU-9');
  });

  it('CU-9 user mode receives custom events on handle registrations only, not on interface registrations', () => {
    const r = run(world({ Report: [report()] }));
    expect(r.callbacks().filter((l) => l.startsWith('appB'))).toEqual([`appB!OnDevice:CUSTOMEVENT(${CUSTOM})`]);
    expect(r.of('invoke').filter((e) => e.routine === 'OnInterface')).toEqual([]);
  });
});
