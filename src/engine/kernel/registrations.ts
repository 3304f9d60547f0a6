// Registrations of every kind (ke, io, cm): creation, the live list, unregistering, and the
// DriverObject reference an io registration holds (IO-6, DRV-2).
import type { Engine } from '../engine.ts';
import { nextId, type Registration } from '../model.ts';
import { entityId } from '../ids/entities.ts';
import { list } from '../lists.ts';

type NewRegistration = Pick<Registration, 'kind' | 'owner' | 'routine' | 'context'> & Partial<Registration>;

export function newRegistration(engine: Engine, spec: NewRegistration): Registration {
  const w = engine.world;
  const id = `${spec.kind}:${nextId(w, `reg:${spec.kind}`)}`;
  const reg: Registration = { inFlight: list(), registering: false, state: 'active', ...spec, id };
  w.registrations[id] = reg;
  w.registrationOrder.push(id);
  const info: { [k: string]: unknown } = { kind: reg.kind, owner: reg.owner, routine: reg.routine };
  for (const k of ['category', 'className', 'device', 'fileObject', 'handle', 'instanceId', 'includeExisting'] as const) {
    if (reg[k] !== undefined) info[k] = reg[k];
  }
  engine.state(entityId('registration', id), 'none', 'active', info);
  return reg;
}

/** Live registrations matching `pred`, in registration order: a snapshot for one broadcast (IO-2, IO-4). */
export function registrationsOf(engine: Engine, pred: (r: Registration) => boolean): Registration[] {
  const w = engine.world;
  const out: Registration[] = [];
  for (const id of w.registrationOrder) {
    const r = w.registrations[id];
    if (r.state === 'active' && pred(r)) out.push(r);
  }
  return out;
}

/**
 * Mark a registration unregistered. With `pinWhileRunning` (the Ex routine called from the
 * registration's own callback, UN-2), its DriverObject reference is dropped only when that callback
 * returns (DRV-2): the image cannot go while the code that unregistered is still running.
 */
export function unregister(engine: Engine, reg: Registration, opts: { pinWhileRunning?: boolean } = {}): void {
  if (reg.state === 'unregistered') return;
  reg.state = 'unregistered';
  engine.state(entityId('registration', reg.id), 'active', 'unregistered');
  const w = engine.world;
  w.registrationOrder = w.registrationOrder.filter((id) => id !== reg.id);
  if (reg.kind !== 'io') return;
  if (opts.pinWhileRunning && reg.inFlight.length > 0) {
    reg.pinned = true;
    holdImage(engine, reg.owner);
    return;
  }
  releaseImage(engine, reg.owner);
}

/** The callback that unregistered its own registration with the Ex routine returned: drop the reference (DRV-2). */
export function unpin(engine: Engine, reg: Registration): void {
  reg.pinned = false;
  dropImage(engine, reg.owner);
}

export const liveIoRegistrations = (engine: Engine, driver: string) =>
  registrationsOf(engine, (r) => r.kind === 'io' && r.owner === driver);

/** Something running holds a reference on the driver's DriverObject (DRV-2). */
export function holdImage(engine: Engine, driver: string): void {
  const c = engine.world.components[driver];
  if (c?.kind === 'driver') c.holds = (c.holds ?? 0) + 1;
}

export function dropImage(engine: Engine, driver: string): void {
  const c = engine.world.components[driver];
  if (c?.kind !== 'driver') return;
  c.holds = Math.max(0, (c.holds ?? 0) - 1);
  releaseImage(engine, driver);
}

/**
 * DRV-2: the image of a driver whose Unload returned (or whose DriverEntry failed) is released once no
 * registration references the DriverObject and nothing running holds it.
 */
export function releaseImage(engine: Engine, driver: string): void {
  const c = engine.world.components[driver];
  if (!c || !(c.state === 'unload-blocked' || (c.state === 'unloading' && c.unloadReturned))) return;
  if ((c.holds ?? 0) > 0 || liveIoRegistrations(engine, driver).length > 0) return;
  engine.state(entityId('driver', driver), c.state, 'unloaded', undefined, { rule: 'DRV-2' });
  c.state = 'unloaded';
  c.unloadReturned = false;
}

/**
 * UN-5 / CM-10: a callback invoked with a Context whose buffer was freed is a use-after-free.
 * Returns false (after recording the hazard) when the call must not go on.
 */
export function checkContextAlive(engine: Engine, reg: Registration): boolean {
  const ctx = reg.context;
  if (typeof ctx !== 'string') return true;
  const a = engine.world.allocations[ctx];
  if (!a?.freed) return true;
  if (reg.kind === 'cm') {
    engine.raise('CM-10', 'useAfterFree', `${reg.owner}'s callback for ${reg.id} runs with its context ${ctx}, which was freed before CM_Unregister_Notification returned: a use-after-free (access violation in ${reg.owner}).`);
    return true;
  }
  engine.raise('UN-5', 'useAfterFree', `The callback of ${reg.id} (${reg.owner}!${reg.routine}) is called with Context ${ctx}, which ${a.owner} already freed: free the context only after unregistering.`);
  return false;
}
