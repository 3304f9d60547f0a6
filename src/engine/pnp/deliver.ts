// Delivery of one notification to one registrant (docs/architecture.md §2.2 "Delivery is synchronous").
import type { Engine, Job } from '../engine.ts';
import { callFrame, frame, pauseThen, ret, waitThen, type Frame, type Routine } from '../frame.ts';
import { invoke } from '../interp.ts';
import { immutableLocals } from '../fork.ts';
import type { Registration } from '../model.ts';
import type { RuleId } from '../rules/ids.ts';
import { checkContextAlive } from '../kernel/registrations.ts';
import { isPartitionClass } from '../constants.ts';
import { appNotifyThread } from '../ids/threads.ts';

/** The rule a delivery runs under; `veto` gives the completion's rule when its result vetoes (RM-2, RM-3). */
export interface DeliveryRule {
  rule: RuleId | undefined;
  veto?: (result: unknown) => RuleId | undefined;
}

/**
 * An interface arrival or removal: IO-3 for a second ARRIVAL of one interface to one registration
 * (the INCLUDE_EXISTING duplicate), else IO-10 for processor and memory interfaces, else `otherwise`.
 */
export function interfaceRule(reg: Registration, arrival: boolean, link: string, className: string, otherwise: RuleId): RuleId {
  if (arrival) {
    const seen = (reg.arrived ??= new Set());
    if (seen.has(link)) return 'IO-3';
    seen.add(link);
  }
  if (otherwise === 'IO-1') return otherwise;
  return isPartitionClass(className) ? 'IO-10' : otherwise;
}

/**
 * A kernel PnP callback runs on the delivering thread at PASSIVE_LEVEL (IO-2, IO-7). `args` is the
 * notification structure, built for this one delivery: the registration's Context is added to it.
 * A frame to call; its result is the callback's.
 */
export function deliverKernel(engine: Engine, reg: Registration, args: Record<string, unknown>, how: DeliveryRule): Frame {
  if (!checkContextAlive(engine, reg)) return pauseThen(null, nothing);
  args.Context = reg.context;
  return invoke(reg.owner, reg.routine, args, { registration: reg, checkIrql: true, rule: how.rule, completeRule: how.veto });
}

interface UserCallback extends Frame {
  reg: Registration;
  args: Record<string, unknown>;
  how: DeliveryRule;
}

/** The job on the app's notify thread that runs one user-mode callback. */
const userCallback: Routine<UserCallback> = (engine, f) => {
  if (f.pc === 1) return ret(f.ret);
  const { reg, args, how } = f;
  // CM-6: once CM_Unregister_Notification returned, no callback of the registration runs — a
  // delivery still queued for the notify thread is dropped.
  if (reg.state !== 'active') return ret('ERROR_SUCCESS');
  checkContextAlive(engine, reg);
  f.pc = 1;
  return callFrame(invoke(reg.owner, reg.routine, { hNotify: reg.id, Context: reg.context, ...args }, { registration: reg, rule: how.rule, completeRule: how.veto }));
};
immutableLocals(userCallback, 'args', 'how');

/**
 * A user-mode callback runs on the app's notify thread, one at a time per app (docs/architecture.md §2.1); the
 * delivering thread waits until it returns, because its return value matters (CM-12). A frame to call.
 */
export function deliverUser(engine: Engine, reg: Registration, args: Record<string, unknown>, how: DeliveryRule): Frame {
  const thread = appNotifyThread(reg.owner);
  const job = engine.submit(thread, `${reg.routine}`, frame(userCallback, { reg, args, how }));
  return waitThen(
    { k: 'job', thread, job: job.id, rule: 'CM-12', what: `${reg.owner}!${reg.routine} (${reg.id}) to return` },
    job,
    jobResult,
  );
}

const jobResult = (_engine: Engine, job: Job) => job.result;

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

/** A callback that did not run returns nothing (module-level, so a run's state holds no closure: src/engine/explore/state.ts). */
const nothing = () => null;
