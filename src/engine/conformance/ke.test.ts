// Conformance: synchronous processor notification (spec §3, seed 000).
import { describe, expect, it } from 'vitest';
import { run } from '../testing.ts';

/** Seed 000's driver: DriverEntry registers with ADD_EXISTING and carries the callback's error in CallbackStatus. */
const sampledrv = (startOps: unknown[] = []) => ({
  globals: { CallbackStatus: 'STATUS_SUCCESS' },
  routines: {
    DriverEntry: [
      { call: 'KeRegisterProcessorChangeCallback', CallbackFunction: 'SyncProcessorCallback', CallbackContext: 'CallbackStatus', Flags: ['KE_PROCESSOR_CHANGE_ADD_EXISTING'], result: 'CallbackRegistrationHandle' },
      { op: 'if', cond: { isNull: 'CallbackRegistrationHandle' }, then: [
        { op: 'if', cond: { not: { eq: ['CallbackStatus', 'STATUS_SUCCESS'] } },
          then: [{ op: 'return', value: 'CallbackStatus' }], else: [{ op: 'return', value: 'STATUS_UNSUCCESSFUL' }] }] },
    ],
    Unload: [{ call: 'KeDeregisterProcessorChangeCallback', CallbackHandle: 'CallbackRegistrationHandle' }],
    SyncProcessorCallback: { switch: 'State', cases: { KeProcessorAddStartNotify: startOps }, default: [] },
  },
});

const scenario = (extra: object = {}) => ({
  format: 'pnp-scenario/1',
  machine: { processors: 2, maxProcessors: 4 },
  drivers: { sampledrv: sampledrv() },
  timeline: [{ do: 'load', driver: 'sampledrv' }, { do: 'hotAddProcessor' }, { do: 'unload', driver: 'sampledrv' }],
  ...extra,
});

describe('KE-4 ADD_EXISTING and KE-1 hot-add (scenario-format §8)', () => {
  it('replays Start then Complete for each active processor, then Start(2), active, Complete(2), arrival queued', () => {
    const r = run(scenario());
    expect(r.callbacks()).toEqual([
      'sampledrv!SyncProcessorCallback:Start(0)', 'sampledrv!SyncProcessorCallback:Start(1)',
      'sampledrv!SyncProcessorCallback:Complete(0)', 'sampledrv!SyncProcessorCallback:Complete(1)',
      'sampledrv!SyncProcessorCallback:Start(2)', 'sampledrv!SyncProcessorCallback:Complete(2)',
    ]);
    // KE-1 step 2 and KE-9: the processor starts between Start and Complete; only then is its arrival queued.
    const seqOf = (pred: (l: string) => boolean) => r.labels().findIndex(pred);
    const labels = r.labels();
    expect(seqOf((l) => l === 'processor:2 starting>active')).toBeGreaterThan(labels.indexOf('sampledrv!SyncProcessorCallback:Start(2)'));
    expect(seqOf((l) => l === 'processor:2 starting>active')).toBeLessThan(labels.indexOf('sampledrv!SyncProcessorCallback:Complete(2)'));
    expect(seqOf((l) => l === 'queue ARRIVAL(processor2)')).toBeGreaterThan(labels.indexOf('sampledrv!SyncProcessorCallback:Complete(2)'));
    expect(r.returned('KeRegisterProcessorChangeCallback').map((e) => e.result)).toEqual(['ke:1']);
    expect(r.states('registration:ke:1')).toEqual(['none>active', 'active>unregistered']);
    expect(r.hazards()).toEqual([]);
    expect(r.halt).toBe('quiescent');
  });

  it('runs the replay on the caller thread and the hot-add on hotplug, at PASSIVE_LEVEL (KE-8)', () => {
    const r = run(scenario());
    const inv = r.of('invoke').filter((e) => e.routine === 'SyncProcessorCallback');
    expect(inv.map((e) => e.thread)).toEqual(['sys:sampledrv', 'sys:sampledrv', 'sys:sampledrv', 'sys:sampledrv', 'hotplug', 'hotplug']);
    expect(new Set(inv.map((e) => e.irql))).toEqual(new Set(['PASSIVE_LEVEL']));
  });
});
