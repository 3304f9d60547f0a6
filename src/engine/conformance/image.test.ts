// Conformance: when a driver's image goes (DRV-2, DRV-3) while its code may still run —
// IoUnregisterPlugPlayNotification's window (UN-1) against the Ex routine's guarantee (UN-2).
import { describe, expect, it } from 'vitest';
import { run, type Run } from '../testing.ts';
import type { Scenario } from '../../scenario/types.ts';
import { hotAdd, ioUnregister, ioUnregisterEx, load, note, overrideBefore, scenario, seed001Driver, unload, type Ops } from './fixtures.ts';

/** seed 001's processor registration only; the callback takes two steps. */
function driver(opts: { unloadOps?: Ops; callback?: Ops }) {
  return seed001Driver({
    memory: false, unload: false,
    processorOps: opts.callback ?? [note('callback: step 1'), note('callback: step 2')],
    extraRoutines: opts.unloadOps ? { Unload: opts.unloadOps } : {},
  });
}

/** The processor arrival is being delivered while the driver unloads (Unload is concurrent with the hot-add). */
const racing = (d: ReturnType<typeof driver>): Scenario =>
  scenario({ machine: { processors: 1 }, drivers: { drv: d }, timeline: [load('drv'), hotAdd(), unload('drv', { concurrent: true })] });

/** Everything from the callback's invocation on (thread bookkeeping excluded). */
const after = (r: Run) => {
  const all = r.labels('invoke', 'complete', 'call', 'return', 'note', 'hazard', 'state', 'halt');
  return all.slice(all.indexOf('drv!AsyncProcessorCallback:ARRIVAL(processor1)'));
};

describe('DRV-3 code running in a released image', () => {
  it('DRV-3 UN-1: Unload unregisters with the plain routine while the callback runs on pnp; the image goes when Unload returns; the callback\'s next op is bug check 0xCE', () => {
    let s = racing(driver({ unloadOps: [ioUnregister('ProcessorNotificationEntry'), note('Unload: done')] }));
    s = overrideBefore(s, 'driver:drv loaded>unloading', 'pnp');
    s = overrideBefore(s, 'note callback: step 1', 'sys:drv');
    const r = run(s);
    expect(after(r)).toEqual([
      'drv!AsyncProcessorCallback:ARRIVAL(processor1)',
      'driver:drv loaded>unloading', 'drv!Unload',
      'drv>IoUnregisterPlugPlayNotification', 'registration:io:1 active>unregistered', 'hazard UN-1 warning', 'drv<IoUnregisterPlugPlayNotification=STATUS_SUCCESS',
      'note Unload: done', 'drv!Unload=null', 'driver:drv unloading>unloaded',
      // pnp resumes inside the callback: its code is gone.
      'hazard DRV-3 bugcheck 0xCE', 'halt bugcheck',
    ]);
    expect(r.states('driver:drv')).toEqual(['not-loaded>loaded', 'loaded>unloading', 'unloading>unloaded']);
    const released = r.trace.find((e) => e.type === 'state' && e.entity === 'driver:drv' && e.to === 'unloaded')!;
    const crash = r.of('hazard').find((h) => h.rule === 'DRV-3')!;
    expect(crash.thread).toBe('pnp');
    expect(crash.seq).toBeGreaterThan(released.seq);
    expect(crash.message).toContain('/drivers/drv/routines/AsyncProcessorCallback/0');
    // Nothing of the callback ran after the release.
    expect(r.labels('note')).toEqual(['note Unload: done']);
    expect(r.halt).toBe('bugcheck');
  });

  it('DRV-3 UN-1: without the race (nothing in flight) the same Unload is safe', () => {
    const r = run(racing(driver({ unloadOps: [ioUnregister('ProcessorNotificationEntry')] })));
    expect(r.hazards()).toEqual([]);
    expect(r.states('driver:drv')).toEqual(['not-loaded>loaded', 'loaded>unloading', 'unloading>unloaded']);
  });
});

describe('DRV-2 the image goes after the last callback returns', () => {
  it('DRV-2 UN-2: an unload-blocked driver\'s callback unregisters itself with the Ex routine; the image goes only after that callback returned', () => {
    const r = run(scenario({
      machine: { processors: 1 },
      drivers: { drv: driver({ unloadOps: [note('Unload: forgot to unregister')], callback: [ioUnregisterEx('ProcessorNotificationEntry'), note('callback: after the unregister')] }) },
      timeline: [load('drv'), unload('drv'), hotAdd()],
    }));
    expect(after(r)).toEqual([
      'drv!AsyncProcessorCallback:ARRIVAL(processor1)',
      'drv>IoUnregisterPlugPlayNotificationEx', 'registration:io:1 active>unregistered', 'drv<IoUnregisterPlugPlayNotificationEx=STATUS_SUCCESS',
      'note callback: after the unregister', 'drv!AsyncProcessorCallback=STATUS_SUCCESS',
      'driver:drv unload-blocked>unloaded',
      'halt quiescent',
    ]);
    expect(r.hazards()).toEqual([{ rule: 'IO-6', severity: 'warning' }]);
  });

  it('DRV-2 UN-2: Unload returns while the callback that unregistered itself with the Ex routine still runs; the driver stays unloading until it returns', () => {
    let s = racing(driver({
      unloadOps: [note('Unload: nothing left to unregister')],
      callback: [ioUnregisterEx('ProcessorNotificationEntry'), note('callback: after the unregister')],
    }));
    s = overrideBefore(s, 'driver:drv loaded>unloading', 'pnp');
    s = overrideBefore(s, 'note callback: after the unregister', 'sys:drv');
    const r = run(s);
    expect(after(r)).toEqual([
      'drv!AsyncProcessorCallback:ARRIVAL(processor1)',
      'drv>IoUnregisterPlugPlayNotificationEx', 'registration:io:1 active>unregistered', 'drv<IoUnregisterPlugPlayNotificationEx=STATUS_SUCCESS',
      'driver:drv loaded>unloading', 'drv!Unload', 'note Unload: nothing left to unregister', 'drv!Unload=null',
      'note drv\'s image stays loaded until drv!AsyncProcessorCallback on pnp returns: that code still holds the DriverObject (DRV-2).',
      'note callback: after the unregister', 'drv!AsyncProcessorCallback=STATUS_SUCCESS',
      'driver:drv unloading>unloaded',
      'halt quiescent',
    ]);
    expect(r.hazards()).toEqual([]);
  });
});
