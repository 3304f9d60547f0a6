// Snapshots (snapshot.ts): seeking with checkpoints gives exactly the fold of entries 0..k from
// scratch, for any k (−1 and the last included), including threads' stacks and states and
// registration states.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apply, CHECKPOINT_EVERY, cloneSnapshot, createSeeker, initialSnapshot, reviveSnapshot, type Snapshot } from './snapshot.ts';
import { run, type Run } from './testing.ts';
import {
  eject, hotAdd, hotAddMemory, ifNull, ioRegister, ioUnregisterEx, load, note, overrideBefore, plainDriver, plug, queueWorkItem,
  runRoutine, scenario, seed000Driver, seed001Driver, toasterDevice, toastmonDriver, unload, waitFor,
} from './conformance/fixtures.ts';

/** The state after entry k, folded from scratch. */
function fold(r: Run, k: number): Snapshot {
  const snap = initialSnapshot(r.scenario);
  for (let i = 0; i <= k; i++) apply(snap, r.trace[i]);
  return snap;
}

/** A long run (> 2 checkpoints): four drivers, many hot-adds, a toastmon and ejects. */
function longRun(): Run {
  const r = run(scenario({
    machine: { processors: 1, maxProcessors: 64, devices: [toasterDevice('toaster0'), toasterDevice('toaster1', 'toaster', false)] },
    drivers: {
      toaster: plainDriver(),
      s1: seed000Driver({ start: [note('s1 start')] }),
      s2: seed000Driver({ addExisting: false, complete: [note('s2 complete')] }),
      a1: seed001Driver({ ex: true, processorOps: [note('a1 arrival')] }),
      a2: seed001Driver({ memoryOps: [note('a2 memory')], processorOps: [note('a2 arrival')] }),
      s3: seed000Driver({ addExisting: false, start: [note('s3 start')], complete: [note('s3 complete')] }),
      mon: toastmonDriver(),
    },
    timeline: [
      load('s1'), load('s2'), load('a1'), load('a2'), load('s3'), load('mon'),
      ...Array.from({ length: 80 }, (_, i) => (i % 4 === 3 ? hotAddMemory(`mem${i}`) : hotAdd())),
      plug('toaster1'), eject('toaster0'), eject('toaster1', { concurrent: true }),
      unload('a1'), unload('s2'), unload('s1'),
    ],
  }));
  expect(r.trace.length).toBeGreaterThan(2 * CHECKPOINT_EVERY + 1);
  return r;
}

describe('snapshot seek', () => {
  const r = longRun();
  const seeker = createSeeker(r.scenario, r.trace);
  const last = r.trace.length - 1;

  it('at(k) equals the fold of entries 0..k, for -1, the last entry, and around every checkpoint', () => {
    const ks = [-1, 0, 1, last - 1, last];
    for (let c = CHECKPOINT_EVERY; c < r.trace.length; c += CHECKPOINT_EVERY) ks.push(c - 2, c - 1, c, c + 1);
    for (const k of ks) expect(seeker.at(k), `k = ${k}`).toEqual(fold(r, k));
    expect(seeker.length).toBe(r.trace.length);
    expect(seeker.at(-1).seq).toBe(-1);
    expect(seeker.at(last).seq).toBe(last);
    expect(seeker.at(last).halted).toBe('quiescent');
  });

  it('at(k) equals the fold for random k, in any order (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1, max: last }), { minLength: 1, maxLength: 8 }), (ks) => {
        for (const k of ks) expect(seeker.at(k)).toEqual(fold(r, k));
      }),
      { numRuns: 60, seed: 99 },
    );
  });

  it('out-of-range positions clamp to before-the-first and the last entry', () => {
    expect(seeker.at(-5)).toEqual(fold(r, -1));
    expect(seeker.at(last + 100)).toEqual(fold(r, last));
  });

  it('each at() is a fresh object: mutating one does not change later seeks', () => {
    const k = CHECKPOINT_EVERY + 3;
    const a = seeker.at(k);
    a.threads.pnp.stack.push({ component: 'x', seq: -1 });
    a.registrations['io:1'].state = 'tampered';
    a.hazards.push(12345);
    expect(seeker.at(k)).toEqual(fold(r, k));
    expect(seeker.at(0)).toEqual(fold(r, 0));
  });

  it('checkpoints taken ahead of time (prepare, in slices) or on demand give the same states', () => {
    const ahead = createSeeker(r.scenario, r.trace);
    let slices = 0;
    while (ahead.prepare(700)) slices++;
    expect(slices).toBe(Math.ceil(r.trace.length / 700) - 1);
    const onDemand = createSeeker(r.scenario, r.trace);
    for (const k of [last, CHECKPOINT_EVERY + 5, 0]) {
      expect(ahead.at(k)).toEqual(fold(r, k));
      expect(onDemand.at(k)).toEqual(fold(r, k));
    }
  });

  it('a seeker over a short trace (one checkpoint) works the same', () => {
    const short = run(scenario({ drivers: { a: seed000Driver() }, timeline: [load('a')] }));
    const s = createSeeker(short.scenario, short.trace);
    for (let k = -1; k < short.trace.length; k++) expect(s.at(k)).toEqual(fold(short, k));
  });
});

describe('snapshot contents', () => {
  it('threads: the stack of nested routines and API calls during an INCLUDE_EXISTING replay (IO-1), empty when idle', () => {
    const r = run(scenario({
      machine: { devices: [toasterDevice('toaster0')] },
      drivers: {
        toaster: plainDriver(),
        mon: { routines: { DriverEntry: [ioRegister('GUID_DEVINTERFACE_TOASTER', 'OnToaster', 'Entry', { includeExisting: true })], OnToaster: [ifNull('Entry', [note('inside the replay')])] } },
      },
      timeline: [load('mon')],
    }));
    const seeker = createSeeker(r.scenario, r.trace);
    const k = r.of('note').find((e) => e.text === 'inside the replay')!.seq;
    const t = seeker.at(k).threads['sys:mon'];
    expect(t.state).toBe('runnable');
    expect(t.irql).toBe('PASSIVE_LEVEL');
    expect(t.stack.map((f) => f.routine ?? `>${f.api}`)).toEqual(['DriverEntry', '>IoRegisterPlugPlayNotification', 'OnToaster']);
    expect(t.stack[2].registration).toBe('io:1');
    expect(t.stack.map((f) => f.seq)).toEqual([
      r.of('invoke').find((e) => e.routine === 'DriverEntry')!.seq,
      r.of('call').find((e) => e.api === 'IoRegisterPlugPlayNotification')!.seq,
      r.of('invoke').find((e) => e.routine === 'OnToaster')!.seq,
    ]);
    // The registration is active during its replay (inserted first).
    expect(seeker.at(k).registrations['io:1']).toMatchObject({ state: 'active', info: { owner: 'mon', routine: 'OnToaster', includeExisting: true } });
    const end = seeker.at(r.trace.length - 1);
    expect(end.threads['sys:mon'].state).toBe('idle');
    expect(end.threads['sys:mon'].stack).toEqual([]);
  });

  it('threads: a blocked thread says what it waits for; the UN-2 wait ends when the callback returns; registration states follow', () => {
    const base = scenario({
      machine: { processors: 1 },
      drivers: { drv: seed001Driver({ memory: false, processorOps: [note('step 1'), note('step 2')], extraRoutines: { Stop: [ioUnregisterEx('ProcessorNotificationEntry')] } }) },
      timeline: [load('drv'), hotAdd(), runRoutine('drv', 'Stop', { concurrent: true })],
    });
    const r = run(overrideBefore(overrideBefore(base, 'drv!Stop', 'pnp'), 'note step 1', 'sys:drv'));
    const seeker = createSeeker(r.scenario, r.trace);
    const k = r.of('note').find((e) => e.text === 'step 1')!.seq;
    const s = seeker.at(k);
    expect(s.threads['sys:drv']).toMatchObject({ state: 'blocked', on: 'the callbacks of io:1 on other threads to return' });
    expect(s.threads['sys:drv'].stack.map((f) => f.routine ?? `>${f.api}`)).toEqual(['Stop', '>IoUnregisterPlugPlayNotificationEx']);
    expect(s.threads.pnp.stack.map((f) => f.routine)).toEqual(['AsyncProcessorCallback']);
    expect(s.registrations['io:1'].state).toBe('active');
    const done = r.of('state').find((e) => e.entity === 'registration:io:1' && e.to === 'unregistered')!.seq;
    const after = seeker.at(done);
    expect(after.registrations['io:1'].state).toBe('unregistered');
    expect(after.threads['sys:drv'].state).toBe('runnable');
    expect(after.threads['sys:drv'].on).toBeUndefined();
    expect(after.threads.pnp.stack).toEqual([]);
  });

  it('deadlock: both threads of the UN-4 cycle blocked, the hazard recorded, the run halted', () => {
    const r = run(scenario({
      machine: { processors: 1 },
      drivers: { drv: seed001Driver({ memory: false, processorOps: [queueWorkItem('W', null), waitFor()], extraRoutines: { W: [ioUnregisterEx('ProcessorNotificationEntry')] } }) },
      timeline: [load('drv'), hotAdd()],
    }));
    const s = createSeeker(r.scenario, r.trace).at(r.trace.length - 1);
    expect(s.halted).toBe('deadlock');
    expect(s.threads.pnp.state).toBe('blocked');
    expect(s.threads['worker:1'].state).toBe('blocked');
    expect(s.hazards.map((q) => r.trace[q].type === 'hazard' && r.trace[q].rule)).toEqual(['IO-7', 'UN-4']);
    expect(s.workItems['1']).toMatchObject({ state: 'queued', info: { owner: 'drv', routine: 'W', thread: 'worker:1' } });
  });

  it('entities: processors, memory, drivers, devices, handles and allocations at the end equal their last state entries', () => {
    const r = longRun();
    const s = createSeeker(r.scenario, r.trace).at(r.trace.length - 1);
    const lastState = new Map<string, string>();
    for (const e of r.of('state')) lastState.set(e.entity, e.to);
    const tables: [keyof Snapshot, string][] = [['processors', 'processor'], ['memory', 'memory'], ['drivers', 'driver'], ['devices', 'device'], ['registrations', 'registration'], ['handles', 'handle']];
    for (const [table, kind] of tables) {
      const rows = s[table] as Record<string, { state: string }>;
      for (const [id, row] of Object.entries(rows)) {
        const key = `${kind}:${id}`;
        if (lastState.has(key)) expect(row.state, key).toBe(lastState.get(key));
      }
    }
    expect(Object.keys(s.processors)).toHaveLength(61);
    expect(Object.keys(s.memory)).toHaveLength(20);
    expect(s.drivers.s1.state).toBe('unloaded');
    expect(s.drivers.mon.state).toBe('loaded');
  });
});

describe('reviveSnapshot', () => {
  it('gives a posted snapshot prototype-free tables again, keeping every id (__proto__ and constructor included)', () => {
    const snap = initialSnapshot(longRun().scenario);
    Object.defineProperty(snap.devices, '__proto__', { value: { id: '__proto__', state: 'started', info: {} }, enumerable: true, configurable: true, writable: true });
    const ctor: string = 'constructor';
    snap.devices[ctor] = { id: ctor, state: 'removed', info: {} };
    const posted = structuredClone(snap); // what postMessage gives the page
    expect(Object.getPrototypeOf(posted.devices)).toBe(Object.prototype);
    const back = reviveSnapshot(posted);
    for (const t of ['processors', 'devices', 'drivers', 'threads'] as const) expect(Object.getPrototypeOf(back[t])).toBeNull();
    expect(Object.keys(back.devices).sort()).toEqual(['__proto__', 'constructor']);
    expect(back.devices['__proto__'].state).toBe('started');
    expect(back.devices[ctor].state).toBe('removed');
    expect(back.drivers.toaster.state).toBe('not-loaded');
    expect('toString' in back.devices).toBe(false);
    // A copy is independent of its original.
    const copy = cloneSnapshot(back);
    copy.devices[ctor].state = 'started';
    expect(back.devices[ctor].state).toBe('removed');
  });
});
