// Registrations of every kind (ke, io, cm): creation, the live list, unregistering, and the
// DriverObject reference an io registration holds (IO-6, DRV-2).
import type { Engine } from '../engine.ts';
import { nextId, type Registration } from '../model.ts';

type NewRegistration = Pick<Registration, 'kind' | 'owner' | 'routine' | 'context'> & Partial<Registration>;

export function newRegistration(engine: Engine, spec: NewRegistration): Registration {
  const w = engine.world;
  const id = `${spec.kind}:${nextId(w, `reg:${spec.kind}`)}`;
  const reg: Registration = { inFlight: [], registering: false, state: 'active', ...spec, id };
  w.registrations[id] = reg;
  w.registrationOrder.push(id);
  const info: { [k: string]: unknown } = { kind: reg.kind, owner: reg.owner, routine: reg.routine };
  for (const k of ['category', 'className', 'device', 'fileObject', 'handle', 'instanceId', 'includeExisting'] as const) {
    if (reg[k] !== undefined) info[k] = reg[k];
  }
  engine.state(`registration:${id}`, 'none', 'active', info);
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

export function unregister(engine: Engine, reg: Registration): void {
  if (reg.state === 'unregistered') return;
  reg.state = 'unregistered';
  engine.state(`registration:${reg.id}`, 'active', 'unregistered');
  const w = engine.world;
  w.registrationOrder = w.registrationOrder.filter((id) => id !== reg.id);
  if (reg.kind === 'io') releaseDriverObject(engine, reg.owner);
}

export const liveIoRegistrations = (engine: Engine, driver: string) =>
  registrationsOf(engine, (r) => r.kind === 'io' && r.owner === driver);

/** DRV-2: an unload-blocked driver's image is released when its last registration goes. */
function releaseDriverObject(engine: Engine, driver: string) {
  const c = engine.world.components[driver];
  if (c?.state === 'unload-blocked' && liveIoRegistrations(engine, driver).length === 0) {
    c.state = 'unloaded';
    engine.state(`driver:${driver}`, 'unload-blocked', 'unloaded');
  }
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
