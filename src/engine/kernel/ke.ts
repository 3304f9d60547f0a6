// Synchronous processor notification (KE rules, seed 000): KeRegisterProcessorChangeCallback,
// KeDeregisterProcessorChangeCallback and the hot-add path on the `hotplug` thread.
import { acquire, type Engine } from '../engine.ts';
import { call, callFrame, frame, pauseThen, ret, waitThen, type Frame, type Routine } from '../frame.ts';
import { invoke, type Activation, type CallCtx, type CallResult, type Handler } from '../interp.ts';
import { nextId, type Processor, type Registration } from '../model.ts';
import { checkContextAlive, registrationsOf, newRegistration, unregister } from './registrations.ts';
import { processorDevice, processorSymlink, queueEvent } from '../pnp/devices.ts';
import { entityId } from '../ids/entities.ts';

type KeState = 'KeProcessorAddStartNotify' | 'KeProcessorAddCompleteNotify' | 'KeProcessorAddFailureNotify';

/**
 * Call one processor-change callback (KE-1); `status` is the add's shared *OperationStatus (KE-2).
 * In the ADD_EXISTING replay the callback runs under KE-4; on a hot-add, a Failure or a Start that
 * finds an error already there runs under KE-2. A frame to call.
 */
function notify(
  engine: Engine,
  reg: Registration,
  p: Processor,
  status: NonNullable<Activation['operationStatus']>,
  replay = false,
): Frame {
  if (!checkContextAlive(engine, reg)) return pauseThen(null, nothing);
  const vetoed = status.state === 'KeProcessorAddFailureNotify' || status.value !== 'STATUS_SUCCESS';
  const rule = replay ? 'KE-4' : vetoed ? 'KE-2' : 'KE-1';
  return invoke(
    reg.owner, reg.routine,
    {
      CallbackContext: reg.context, State: status.state, NtNumber: p.NtNumber,
      ProcNumber: { Group: p.Group, Number: p.Number }, Status: status.value,
    },
    { registration: reg, isVoid: true, unloadedRule: 'KE-5', operationStatus: status, rule },
  );
}

const newStatus = (state: KeState) => ({ value: 'STATUS_SUCCESS', state }) as NonNullable<Activation['operationStatus']>;

/**
 * KE-4: one lock guards the callback list and a processor add, so a registration and a hot-add never
 * interleave: a registration made while an add is in progress waits for it (and its replay then
 * includes the new processor); an add that starts during a replay waits for the register call.
 * Re-entrant for its owner (CHOICE): a callback of the add or of the replay may register again.
 */
const PROCESSOR_LOCK = 'processor-change';
const lockWhat = (engine: Engine) => `the processor-change lock, held by ${engine.world.mutexes.get(PROCESSOR_LOCK)?.thread ?? 'another thread'}`;

export const KeRegisterProcessorChangeCallback: Handler = (x) => {
  x.govern(([] as unknown[]).concat(x.args.Flags ?? []).includes('KE_PROCESSOR_CHANGE_ADD_EXISTING') ? 'KE-4' : 'KE-1');
  return frame(locked, { x });
};

interface LockedFrame extends Frame {
  x: CallCtx;
}

interface RegisterFrame extends Frame {
  x: CallCtx;
  reg: Registration | null;
  /** The active processors the replay goes through, and those it started. */
  active: Processor[];
  started: Processor[];
  failure: string | null;
  i: number;
}

/** The register call, under the processor-change lock. */
const locked: Routine<LockedFrame> = (engine, f) => {
  if (f.pc === 0) {
    f.pc = 1;
    return callFrame(acquire(engine, PROCESSOR_LOCK, lockWhat(engine)));
  }
  if (f.pc === 1) {
    f.pc = 2;
    return call(register, { x: f.x, reg: null, active: [], started: [], failure: null, i: 0 });
  }
  engine.release(PROCESSOR_LOCK);
  return ret(f.ret);
};

const register: Routine<RegisterFrame> = (engine, f) => {
  const { act, op, args } = f.x;
  for (;;) {
    switch (f.pc) {
      case 0: {
        const flags = ([] as unknown[]).concat(args.Flags ?? []);
        f.reg = newRegistration(engine, {
          kind: 'ke', owner: act.component.id, routine: String(op.CallbackFunction), context: args.CallbackContext,
        });
        if (!flags.includes('KE_PROCESSOR_CHANGE_ADD_EXISTING')) return ret({ result: f.reg.id });
        // KE-4: replay on the caller's thread before the call returns.
        f.active = engine.world.processors.filter((q) => q.state === 'active');
        f.pc = 1;
        continue;
      }
      case 1: // Start for each active processor, until one fails
        if (f.i > 0) {
          const status = f.ret as NonNullable<Activation['operationStatus']>;
          if (status.value !== 'STATUS_SUCCESS') {
            f.failure = status.value;
            f.i = 0;
            f.pc = 2;
            continue;
          }
          f.started.push(f.active[f.i - 1]);
        }
        if (f.i < f.active.length) {
          const status = newStatus('KeProcessorAddStartNotify');
          return call(notifyThen, { status, call: notify(engine, f.reg!, f.active[f.i++], status, true) });
        }
        f.i = 0;
        f.pc = 3;
        continue;
      case 2: // Failure for those started, then the registration goes
        if (f.i < f.started.length) {
          const status = newStatus('KeProcessorAddFailureNotify');
          status.value = f.failure!;
          return callFrame(notify(engine, f.reg!, f.started[f.i++], status, true));
        }
        unregister(engine, f.reg!);
        return ret({ result: null });
      case 3: // Complete for those started
        if (f.i < f.started.length) return callFrame(notify(engine, f.reg!, f.started[f.i++], newStatus('KeProcessorAddCompleteNotify'), true));
        return ret({ result: f.reg!.id });
    }
  }
};

interface NotifyThenFrame extends Frame {
  status: NonNullable<Activation['operationStatus']>;
  call: Frame;
}

/** Run a callback, then return the status it may have written. */
const notifyThen: Routine<NotifyThenFrame> = (_engine, f) => {
  if (f.pc === 0) {
    f.pc = 1;
    return callFrame(f.call);
  }
  return ret(f.status);
};

export const KeDeregisterProcessorChangeCallback: Handler = (x) => {
  const { engine, act, args } = x;
  const id = args.CallbackHandle;
  const reg = typeof id === 'string' ? engine.world.registrations[id] : undefined;
  const live = !!reg && reg.kind === 'ke' && reg.state === 'active';
  // KE-7 from inside a processor-change callback; anywhere else, deregistering a live registration obeys KE-5.
  if (act.registration?.kind === 'ke') x.govern('KE-7');
  else if (live) x.govern('KE-5', 'obeys');
  else x.govern('KE-5');
  if (!reg || !live) {
    engine.raise('UN-7', 'invalidEntry', `${act.component.id} called KeDeregisterProcessorChangeCallback with ${JSON.stringify(id ?? null)}, which is not a live processor-change registration.`);
    return { result: null };
  }
  // KE-7: waits for an in-flight callback of the registration — including its own.
  return waitThen(
    { k: 'callbacks', registration: reg.id, waiter: act.thread.name, includeSelf: true, rule: 'KE-7', what: `the callbacks of ${reg.id} to return` },
    reg,
    deregistered,
  );
};

const deregistered = (engine: Engine, reg: Registration): CallResult => {
  unregister(engine, reg);
  return { result: null };
};

interface HotAddFrame extends Frame {
  p: Processor | null;
  regs: Registration[];
  status: NonNullable<Activation['operationStatus']> | null;
  i: number;
}

/** A processor hot-add on the `hotplug` thread (KE-1, KE-2, KE-9, KE-10): the job's routine. */
export const hotAddProcessor: Routine<HotAddFrame> = (engine, f) => {
  const w = engine.world;
  switch (f.pc) {
    case 0:
      if (w.processors.length >= w.maxProcessors) {
        engine.raise('KE-10', 'capacity', `The machine already has ${w.processors.length} processors, its boot-time maximum (maxProcessors); the hot-add is refused before any notification.`);
        return ret();
      }
      f.pc = 1;
      return callFrame(acquire(engine, PROCESSOR_LOCK, lockWhat(engine)));
    case 1:
      f.pc = 2;
      return call(addProcessor, { p: null, regs: [], status: null, i: 0 });
  }
  engine.release(PROCESSOR_LOCK);
  return ret();
};

const addProcessor: Routine<HotAddFrame> = (engine, f) => {
  const w = engine.world;
  for (;;) {
    switch (f.pc) {
      case 0: {
        const n = w.processors.length;
        const p: Processor = { NtNumber: n, Group: Math.floor(n / 64), Number: n % 64, state: 'starting', symlink: processorSymlink(n) };
        f.p = p;
        w.processors.push(p);
        engine.state(entityId('processor', n), 'not-present', 'starting', { Group: p.Group, Number: p.Number }, { rule: 'KE-1' });
        f.regs = registrationsOf(engine, (r) => r.kind === 'ke');
        f.status = newStatus('KeProcessorAddStartNotify');
        f.pc = 1;
        continue;
      }
      case 1: // Start
      case 2: // Complete
      case 3: // Failure
        while (f.i < f.regs.length) {
          const reg = f.regs[f.i++];
          if (reg.state === 'active') return callFrame(notify(engine, reg, f.p!, f.status!));
        }
        f.i = 0;
        if (f.pc === 1) {
          if (f.status!.value === 'STATUS_SUCCESS') {
            const p = f.p!;
            p.state = 'active';
            engine.state(entityId('processor', p.NtNumber), 'starting', 'active', undefined, { rule: 'KE-1' });
            f.status!.state = 'KeProcessorAddCompleteNotify';
            f.pc = 2;
          } else {
            f.status!.state = 'KeProcessorAddFailureNotify';
            f.pc = 3;
          }
          continue;
        }
        if (f.pc === 2) {
          // KE-9: only now does the processor's device start (on the pnp thread); then its interface arrives.
          const n = f.p!.NtNumber;
          queueEvent(engine, { kind: 'DeviceArrival', device: processorDevice(n), unit: { symlink: f.p!.symlink, className: 'GUID_DEVICE_PROCESSOR' } }, 'KE-9');
          return ret();
        }
        w.processors.pop();
        engine.state(entityId('processor', f.p!.NtNumber), 'starting', 'failed', undefined, { rule: 'KE-2' });
        nextId(w, 'failedAdds');
        return ret();
    }
  }
};

/** A callback that did not run returns nothing (module-level, so a run's state holds no closure: src/engine/explore/state.ts). */
const nothing = () => undefined;
