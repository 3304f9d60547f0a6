// Pool, work items, waits and IRQL (docs/architecture.md §1.4, §2.3, §2.4; IRQL-1).
import type { Engine, Thread } from '../engine.ts';
import { callFrame, frame, pauseThen, ret, waitThen, type Frame, type Routine } from '../frame.ts';
import { IRQL_NAMES, type Irql } from '../api.ts';
import { invoke, type CallCtx, type CallResult, type Handler } from '../interp.ts';
import { nextId } from '../model.ts';
import { dropImage, holdImage } from './registrations.ts';
import { deliversCallbacks, workerThread } from '../ids/threads.ts';
import { entityId } from '../ids/entities.ts';

export function allocate(engine: Engine, owner: string, kind: 'pool' | 'heap', tag: string, paged: boolean) {
  const id = entityId(kind, nextId(engine.world, kind));
  engine.world.allocations[id] = { id, owner, tag, paged, freed: false, kind };
  engine.state(id, 'none', 'allocated', { owner, tag, paged });
  return id;
}

/**
 * UN-5 / CM-10 checked at the free: freeing a registration's context once every registration that
 * uses it was unregistered, with none of its callbacks still running, obeys the rule. Freeing it while one is still live is not yet a hazard
 * (nothing reads the buffer until a callback runs, and then the hazard is raised), so no verdict.
 */
export function freeVerdict(engine: Engine, id: unknown): 'obeys' | undefined {
  const a = typeof id === 'string' ? engine.world.allocations[id] : undefined;
  if (!a || a.freed) return undefined;
  const users = Object.values(engine.world.registrations).filter((r) => r.context === id);
  // Unregistered, and no callback still running with it (after IoUnregisterPlugPlayNotification one may be: UN-1).
  return users.length > 0 && users.every((r) => r.state === 'unregistered' && r.inFlight.length === 0) ? 'obeys' : undefined;
}

/** Free a buffer; a second free of the same buffer is a use-after-free of the pool (UN-5). */
export function free(engine: Engine, owner: string, id: unknown): boolean {
  const a = typeof id === 'string' ? engine.world.allocations[id] : undefined;
  if (!a) return false;
  if (a.freed) {
    if (a.kind === 'pool') engine.raise('UN-5', 'doubleFree', `${owner} frees ${a.id} a second time.`);
    else engine.raise('CM-10', 'doubleFree', `${owner} frees ${a.id} a second time (heap corruption).`);
    return false;
  }
  a.freed = true;
  engine.state(entityId(a.kind, a.id.slice(a.kind.length + 1)), 'allocated', 'freed');
  return true;
}

/**
 * A callback that waits holds up whoever delivered it: the PnP manager (IO-7, CM-12), or a
 * completion callback that must not block (CU-7). Recorded before the wait; a deadlock follows if
 * what it waits for needs the same thread.
 */
export function flagBlockingCallback(engine: Engine, t: Thread, what: string) {
  if (t.inCompletion) {
    engine.raise('CU-7', 'blocks', `A device-change completion callback on ${t.name} waits for ${what}; it must not block.`);
  } else if (t.callbacks.length > 0 && deliversCallbacks(t.name)) {
    const reg = engine.world.registrations[t.callbacks[t.callbacks.length - 1]];
    const rule = reg?.kind === 'cm' ? 'CM-12' : 'IO-7';
    engine.raise(rule, 'blocks', `${reg?.owner}!${reg?.routine} waits for ${what} inside a notification callback on ${t.name}; every other PnP notification waits with it.`);
  }
}

export const ExAllocatePool2: Handler = (x) => {
  const { engine, act, op, args } = x;
  const flags = ([] as unknown[]).concat(args.Flags ?? []);
  return { result: allocate(engine, act.component.id, 'pool', String(op.Tag ?? ''), flags.includes('POOL_FLAG_PAGED')) };
};

export const ExFreePool: Handler = (x) => {
  const { engine, act, args } = x;
  x.govern('UN-5', freeVerdict(engine, args.P));
  const a = typeof args.P === 'string' ? engine.world.allocations[args.P] : undefined;
  if (a?.paged && act.thread.irql > 1) {
    engine.raise('IRQL-1', 'verifier', `${act.component.id} frees paged pool ${a.id} at ${IRQL_NAMES[act.thread.irql]}; paged pool may be freed at APC_LEVEL at most.`);
    return pauseThen({ owner: act.component.id, p: args.P }, freePool);
  }
  free(engine, act.component.id, args.P);
  return { result: null };
};

const freePool = (engine: Engine, d: { owner: string; p: unknown }): CallResult => {
  free(engine, d.owner, d.p);
  return { result: null };
};

/** A work item runs later on its own `worker:<n>` thread at PASSIVE_LEVEL (DRV-3 if the driver is gone). */
export const IoQueueWorkItem: Handler = (x) => {
  const { engine, act, op, args } = x;
  // From a notification callback, a work item that unregisters must not be waited for (UN-4).
  if (act.registration) x.govern('UN-4');
  const n = nextId(engine.world, 'workItem');
  const id = entityId('workitem', n);
  const owner = act.component.id;
  const routine = String(op.WorkerRoutine);
  const thread = workerThread(n);
  engine.world.workItems[id] = { id, owner, routine, thread, done: false };
  engine.state(id, 'none', 'queued', { owner, routine, thread });
  engine.submit(thread, routine, frame(workItem, { id, owner, routine, context: args.Context ?? null, gone: false }), false);
  return { result: id };
};

interface WorkItemFrame extends Frame {
  id: `workitem:${string}`;
  owner: string;
  routine: string;
  context: unknown;
  gone: boolean;
}

/** A work item's job on its worker thread. */
const workItem: Routine<WorkItemFrame> = (engine, f) => {
  const { owner } = f;
  if (f.pc === 0) {
    // IoQueueWorkItem keeps the driver's objects until the routine returns (DRV-2); a work item that
    // starts after the image was released is DRV-3 (invoke).
    f.gone = engine.world.components[owner]?.state === 'unloaded';
    if (!f.gone) holdImage(engine, owner);
    f.pc = 1;
    return callFrame(invoke(owner, f.routine, { Context: f.context }, { isVoid: true }));
  }
  if (!f.gone) dropImage(engine, owner);
  engine.world.workItems[f.id].done = true;
  engine.state(f.id, 'queued', 'done');
  return ret();
};

/** A wait inside a notification callback holds up the PnP manager (IO-7, CM-12). */
export function governWait(x: CallCtx) {
  const reg = x.act.registration;
  if (reg) x.govern(reg.kind === 'cm' ? 'CM-12' : 'IO-7');
}

export const KeWaitForSingleObject: Handler = (x) => {
  const { engine, act, args } = x;
  governWait(x);
  const item = typeof args.Object === 'string' ? engine.world.workItems[args.Object] : undefined;
  if (!item) return { result: 'STATUS_SUCCESS' };
  if (!item.done) flagBlockingCallback(engine, act.thread, item.id);
  return waitThen({ k: 'work', item: item.id, what: `${item.id} (${item.owner}!${item.routine}) to finish` }, null, statusSuccess);
};

const lockName = (component: string, v: unknown) => `${component}.${String(v)}`;

export const KeAcquireSpinLock: Handler = (x) => {
  const { engine, act, op } = x;
  x.govern('IRQL-1');
  const name = lockName(act.component.id, op.SpinLock);
  engine.world.locks[name] = { thread: act.thread.name, previous: act.thread.irql };
  setIrql(engine, act.thread, 2);
  return { result: null, out: { OldIrql: IRQL_NAMES[engine.world.locks[name].previous] } };
};

export const KeReleaseSpinLock: Handler = (x) => {
  const { engine, act, op } = x;
  x.govern('IRQL-1');
  const name = lockName(act.component.id, op.SpinLock);
  const held = engine.world.locks[name];
  if (held) {
    delete engine.world.locks[name];
    setIrql(engine, act.thread, held.previous);
  }
  return { result: null };
};

const irqlOf = (v: unknown): Irql => Math.max(0, IRQL_NAMES.indexOf(v as (typeof IRQL_NAMES)[number])) as Irql;

export const KeRaiseIrql: Handler = (x) => {
  const { engine, act, args } = x;
  x.govern('IRQL-1');
  const old = act.thread.irql;
  setIrql(engine, act.thread, Math.max(old, irqlOf(args.NewIrql)) as Irql);
  return { result: null, out: { OldIrql: IRQL_NAMES[old] } };
};

export const KeLowerIrql: Handler = (x) => {
  const { engine, act, args } = x;
  x.govern('IRQL-1');
  setIrql(engine, act.thread, Math.min(act.thread.irql, irqlOf(args.NewIrql)) as Irql);
  return { result: null };
};

function setIrql(engine: Engine, t: Thread, to: Irql) {
  if (t.irql === to) return;
  engine.state(entityId('irql', t.name), IRQL_NAMES[t.irql], IRQL_NAMES[to]);
  t.irql = to;
}

/** The call succeeds (module-level, so a run's state holds no closure: src/engine/explore/state.ts). */
const statusSuccess = (): CallResult => ({ result: 'STATUS_SUCCESS' });
