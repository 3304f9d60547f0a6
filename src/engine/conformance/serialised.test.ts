// Conformance: KeRegisterProcessorChangeCallback and a processor hot-add are serialised (KE-4 with
// KE-1): one lock guards the callback list and the add, so a registration made with
// KE_PROCESSOR_CHANGE_ADD_EXISTING while a processor is being added learns of it exactly once.
import { describe, expect, it } from 'vitest';
import { run } from '../testing.ts';
import { hotAdd, load, note, overrideBefore, scenario, seed000Driver, sync } from './fixtures.ts';

const S = (d: string, n: number) => sync(d, 'Start', n);
const C = (d: string, n: number) => sync(d, 'Complete', n);

/** a is registered (without replay) and takes a step in its Start callback; b loads while processor 1 is added. */
const base = () => scenario({
  machine: { processors: 1, maxProcessors: 4 },
  drivers: {
    a: seed000Driver({ addExisting: false, start: [note('a: Start')] }),
    b: seed000Driver({ start: [note('b: Start')] }),
  },
  timeline: [load('a'), hotAdd(), load('b', { concurrent: true })],
});

describe('KE-4 registration and hot-add share one lock', () => {
  it('KE-4 KE-1 a registration with ADD_EXISTING during a hot-add waits for the add; its replay then includes the new processor, once', () => {
    // b's DriverEntry runs while hotplug is inside a's Start callback for processor 1.
    const s = overrideBefore(base(), 'note a: Start', 'sys:b');
    const r = run(s);
    expect(r.callbacks()).toEqual([S('a', 1), C('a', 1), S('b', 0), S('b', 1), C('b', 0), C('b', 1)]);
    const labels = r.labels('call', 'return', 'invoke', 'state', 'note').filter((l) => !l.startsWith('interface:') && !l.includes('DriverEntry'));
    expect(labels.slice(labels.indexOf('processor:1 not-present>starting'))).toEqual([
      'processor:1 not-present>starting',
      S('a', 1),
      'driver:b not-loaded>loaded', 'b>KeRegisterProcessorChangeCallback',
      // b waits for the lock that the add holds
      'note a: Start',
      'processor:1 starting>active', C('a', 1),
      // the add released the lock: b registers, and its replay sees processor 1 active
      'registration:ke:2 none>active',
      S('b', 0), 'note b: Start', S('b', 1), 'note b: Start',
      C('b', 0), C('b', 1),
      'b<KeRegisterProcessorChangeCallback=ke:2',
    ]);
    const blocked = r.of('state').find((e) => e.entity === 'thread:sys:b' && e.to === 'blocked');
    expect(blocked?.on).toBe('the processor-change lock, held by hotplug');
    expect(r.hazards()).toEqual([]);
    expect(r.halt).toBe('quiescent');
  });

  it('KE-4 KE-1 a hot-add that starts during an ADD_EXISTING replay waits for the register call; the add then notifies the new registration, once', () => {
    const s = scenario({
      machine: { processors: 1, maxProcessors: 4 },
      drivers: { b: seed000Driver({ start: [note('b: Start')] }) },
      timeline: [load('b'), hotAdd({ concurrent: true })],
    });
    // hotplug gets its turn while b's replay is inside Start(0).
    const r = run(overrideBefore(s, 'note b: Start', 'hotplug'));
    expect(r.callbacks()).toEqual([S('b', 0), C('b', 0), S('b', 1), C('b', 1)]);
    const blocked = r.of('state').find((e) => e.entity === 'thread:hotplug' && e.to === 'blocked');
    expect(blocked?.on).toBe('the processor-change lock, held by sys:b');
    const returned = r.returned('KeRegisterProcessorChangeCallback')[0];
    const starting = r.of('state').find((e) => e.entity === 'processor:1' && e.to === 'starting')!;
    expect(starting.seq).toBeGreaterThan(returned.seq);
    expect(r.halt).toBe('quiescent');
  });

  it('KE-4 without a concurrent add nothing waits (the lock leaves ordinary traces unchanged)', () => {
    const r = run(scenario({ machine: { processors: 2, maxProcessors: 4 }, drivers: { b: seed000Driver() }, timeline: [load('b'), hotAdd()] }));
    expect(r.of('state').filter((e) => e.to === 'blocked')).toEqual([]);
    expect(r.callbacks()).toEqual([S('b', 0), S('b', 1), C('b', 0), C('b', 1), S('b', 2), C('b', 2)]);
  });
});
