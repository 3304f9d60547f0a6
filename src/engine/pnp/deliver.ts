// Delivery of one notification to one registrant (docs/architecture.md §2.2 "Delivery is synchronous").
import { OP, type Body, type Engine } from '../engine.ts';
import { invoke } from '../interp.ts';
import type { Registration } from '../model.ts';
import { checkContextAlive } from '../kernel/registrations.ts';

/** A kernel PnP callback runs on the delivering thread at PASSIVE_LEVEL (IO-2, IO-7). */
export function* deliverKernel(engine: Engine, reg: Registration, args: Record<string, unknown>): Body<unknown> {
  if (!checkContextAlive(engine, reg)) {
    yield OP;
    return null;
  }
  return yield* invoke(engine, reg.owner, reg.routine, { ...args, Context: reg.context }, { registration: reg, checkIrql: true });
}

/**
 * A user-mode callback runs on the app's notify thread, one at a time per app (docs/architecture.md §2.1); the
 * delivering thread waits until it returns, because its return value matters (CM-12).
 */
export function* deliverUser(engine: Engine, reg: Registration, args: Record<string, unknown>): Body<unknown> {
  const thread = `app:${reg.owner}:notify`;
  const job = engine.submit(thread, `${reg.routine}`, function* () {
    // CM-6: once CM_Unregister_Notification returned, no callback of the registration runs — a
    // delivery still queued for the notify thread is dropped.
    if (reg.state !== 'active') return 'ERROR_SUCCESS';
    checkContextAlive(engine, reg);
    return yield* invoke(engine, reg.owner, reg.routine, { hNotify: reg.id, Context: reg.context, ...args }, { registration: reg });
  });
  yield* engine.waitUntil(
    { k: 'job', thread, job: job.id, rule: 'CM-12', what: `${reg.owner}!${reg.routine} (${reg.id}) to return` },
    () => job.done,
  );
  return job.result;
}

/** CM-8: what a user-mode callback may return. On QUERYREMOVE anything but ERROR_SUCCESS vetoes. */
export function checkCmReturn(engine: Engine, reg: Registration, action: string, result: unknown): 'ok' | 'veto' {
  const queryRemove = action === 'CM_NOTIFY_ACTION_DEVICEQUERYREMOVE';
  if (result === 'ERROR_SUCCESS') return 'ok';
  if (queryRemove && result === 'ERROR_CANCELLED') return 'veto';
  engine.raise(
    'CM-8',
    'returnValue',
    queryRemove
      ? `${reg.owner}!${reg.routine} returned ${String(result)} to ${action}; only ERROR_SUCCESS or ERROR_CANCELLED are allowed. It counts as a veto.`
      : `${reg.owner}!${reg.routine} returned ${String(result)} to ${action}; it must return ERROR_SUCCESS. The value is ignored.`,
  );
  return queryRemove ? 'veto' : 'ok';
}
