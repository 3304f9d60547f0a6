// Synchronous processor notification (KE rules, seed 000): KeRegisterProcessorChangeCallback,
// KeDeregisterProcessorChangeCallback and the hot-add path on the `hotplug` thread.
import { OP, type Body, type Engine } from '../engine.ts';
import { invoke, type Activation, type Handler } from '../interp.ts';
import { nextId, type Processor, type Registration } from '../model.ts';
import { checkContextAlive, registrationsOf, newRegistration, unregister } from './registrations.ts';
import { processorDevice, processorSymlink, queueEvent } from '../pnp/devices.ts';
import { entityId } from '../ids/entities.ts';

type KeState = 'KeProcessorAddStartNotify' | 'KeProcessorAddCompleteNotify' | 'KeProcessorAddFailureNotify';

/**
 * Call one processor-change callback (KE-1); `status` is the add's shared *OperationStatus (KE-2).
 * In the ADD_EXISTING replay the callback runs under KE-4; on a hot-add, a Failure or a Start that
 * finds an error already there runs under KE-2.
 */
function* notify(
  engine: Engine,
  reg: Registration,
  p: Processor,
  status: NonNullable<Activation['operationStatus']>,
  replay = false,
): Body<void> {
  if (!checkContextAlive(engine, reg)) return yield OP;
  const vetoed = status.state === 'KeProcessorAddFailureNotify' || status.value !== 'STATUS_SUCCESS';
  const rule = replay ? 'KE-4' : vetoed ? 'KE-2' : 'KE-1';
  yield* invoke(
    engine, reg.owner, reg.routine,
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

export const KeRegisterProcessorChangeCallback: Handler = function* (x) {
  const { engine } = x;
  x.govern(([] as unknown[]).concat(x.args.Flags ?? []).includes('KE_PROCESSOR_CHANGE_ADD_EXISTING') ? 'KE-4' : 'KE-1');
  yield* engine.acquire(PROCESSOR_LOCK, lockWhat(engine));
  try {
    return yield* register(x);
  } finally {
    engine.release(PROCESSOR_LOCK);
  }
};

const register: Handler = function* ({ engine, act, op, args }) {
  const flags = ([] as unknown[]).concat(args.Flags ?? []);
  const reg = newRegistration(engine, {
    kind: 'ke', owner: act.component.id, routine: String(op.CallbackFunction), context: args.CallbackContext,
  });
  if (!flags.includes('KE_PROCESSOR_CHANGE_ADD_EXISTING')) return { result: reg.id };
  // KE-4: replay on the caller's thread before the call returns.
  const started: Processor[] = [];
  let failure: string | null = null;
  for (const p of engine.world.processors.filter((q) => q.state === 'active')) {
    const status = newStatus('KeProcessorAddStartNotify');
    yield* notify(engine, reg, p, status, true);
    if (status.value !== 'STATUS_SUCCESS') {
      failure = status.value;
      break;
    }
    started.push(p);
  }
  if (failure !== null) {
    for (const p of started) {
      const status = newStatus('KeProcessorAddFailureNotify');
      status.value = failure;
      yield* notify(engine, reg, p, status, true);
    }
    unregister(engine, reg);
    return { result: null };
  }
  for (const p of started) yield* notify(engine, reg, p, newStatus('KeProcessorAddCompleteNotify'), true);
  return { result: reg.id };
};

export const KeDeregisterProcessorChangeCallback: Handler = function* ({ engine, act, args, govern }) {
  const id = args.CallbackHandle;
  const reg = typeof id === 'string' ? engine.world.registrations[id] : undefined;
  const live = !!reg && reg.kind === 'ke' && reg.state === 'active';
  // KE-7 from inside a processor-change callback; anywhere else, deregistering a live registration obeys KE-5.
  if (act.registration?.kind === 'ke') govern('KE-7');
  else if (live) govern('KE-5', 'obeys');
  else govern('KE-5');
  if (!reg || !live) {
    engine.raise('UN-7', 'invalidEntry', `${act.component.id} called KeDeregisterProcessorChangeCallback with ${JSON.stringify(id ?? null)}, which is not a live processor-change registration.`);
    return { result: null };
  }
  // KE-7: waits for an in-flight callback of the registration — including its own.
  yield* engine.waitUntil(
    { k: 'callbacks', registration: reg.id, waiter: act.thread.name, includeSelf: true, rule: 'KE-7', what: `the callbacks of ${reg.id} to return` },
    () => reg.inFlight.length === 0,
  );
  unregister(engine, reg);
  return { result: null };
};

/** A processor hot-add on the `hotplug` thread (KE-1, KE-2, KE-9, KE-10). */
export function* hotAddProcessor(engine: Engine): Body<void> {
  const w = engine.world;
  if (w.processors.length >= w.maxProcessors) {
    engine.raise('KE-10', 'capacity', `The machine already has ${w.processors.length} processors, its boot-time maximum (maxProcessors); the hot-add is refused before any notification.`);
    return;
  }
  yield* engine.acquire(PROCESSOR_LOCK, lockWhat(engine));
  yield* addProcessor(engine);
  engine.release(PROCESSOR_LOCK);
}

function* addProcessor(engine: Engine): Body<void> {
  const w = engine.world;
  const n = w.processors.length;
  const p: Processor = { NtNumber: n, Group: Math.floor(n / 64), Number: n % 64, state: 'starting', symlink: processorSymlink(n) };
  w.processors.push(p);
  engine.state(entityId('processor', n), 'not-present', 'starting', { Group: p.Group, Number: p.Number }, { rule: 'KE-1' });
  const regs = registrationsOf(engine, (r) => r.kind === 'ke');
  const status = newStatus('KeProcessorAddStartNotify');
  for (const reg of regs) if (reg.state === 'active') yield* notify(engine, reg, p, status);
  if (status.value === 'STATUS_SUCCESS') {
    p.state = 'active';
    engine.state(entityId('processor', n), 'starting', 'active', undefined, { rule: 'KE-1' });
    status.state = 'KeProcessorAddCompleteNotify';
    for (const reg of regs) if (reg.state === 'active') yield* notify(engine, reg, p, status);
    // KE-9: only now does the processor's device start (on the pnp thread); then its interface arrives.
    queueEvent(engine, { kind: 'DeviceArrival', device: processorDevice(n), unit: { symlink: p.symlink, className: 'GUID_DEVICE_PROCESSOR' } }, 'KE-9');
    return;
  }
  status.state = 'KeProcessorAddFailureNotify';
  for (const reg of regs) if (reg.state === 'active') yield* notify(engine, reg, p, status);
  w.processors.pop();
  engine.state(entityId('processor', n), 'starting', 'failed', undefined, { rule: 'KE-2' });
  nextId(w, 'failedAdds');
}
