// Trace format v1 (docs/trace-format.md). Fields may be added; none renamed.
import type { TimelineAction } from '../scenario/types.ts';
import type { RuleId, Severity } from './rules/ids.ts';
import type { ApiName, IrqlName } from './api.ts';
import type { EntityKind } from './ids/entities.ts';
import type { AppState, DeviceState, DriverState, ProcessorState, RegistrationKind, RegistrationState } from './model.ts';
import type { ThreadStatus } from './engine.ts';

export type HaltReason = 'quiescent' | 'bugcheck' | 'deadlock' | 'stalled' | 'budget';
/** Which limit of the run a `budget` halt reached (DL-3; README "Limits of a run"). */
export type RunLimit = 'ops' | 'entries' | 'threads' | 'wakeups' | 'nesting';

/** APIs the system itself calls on a user's behalf (the shell's safe removal, RM-1); not scenario ops. */
export type SystemApiName = 'CM_Query_And_Remove_SubTree';
/** The API a `call` / `return` entry names: one of the engine's API table, or a system call. */
export type TraceApiName = ApiName | SystemApiName;

export interface TraceBase {
  seq: number;
  /** Timeline step: 0 is boot, k is the k-th timeline action. */
  step: number;
  thread: string;
}

/** How an entry went against the rule it names: a hazard is the breaking case. */
export type Verdict = 'obeys' | 'breaks';

/**
 * Added to v1 (fields only): the rule the engine applied at this entry, stamped where it applied
 * it, and, where the rule was checked, whether the code obeyed or broke it.
 */
export interface RuleStamp {
  rule?: RuleId;
  verdict?: Verdict;
}

/** One edge of a wait-for cycle: `thread` waits for `waitsFor` because of `reason`. */
export interface WaitEdge {
  thread: string;
  waitsFor: string;
  reason: string;
}

/** The states each kind of entity goes through; `none` / `not-present` before it exists. */
export interface EntityStates {
  processor: 'not-present' | ProcessorState;
  memory: 'not-present' | 'active';
  device: 'none' | DeviceState;
  interface: 'none' | 'enabled' | 'disabled';
  registration: 'none' | RegistrationState;
  driver: DriverState;
  app: AppState;
  handle: 'none' | 'open' | 'closed';
  workitem: 'none' | 'queued' | 'done';
  pool: 'none' | 'allocated' | 'freed';
  heap: 'none' | 'allocated' | 'freed';
  thread: 'none' | ThreadStatus;
  irql: IrqlName;
}

/** A `state` entry: a union by entity kind, `from` and `to` typed by the kind (docs/trace-format.md). */
export type StateBody = {
  [K in EntityKind]: {
    type: 'state';
    entity: `${K}:${string}`;
    from: EntityStates[K];
    to: EntityStates[K];
    /** For a blocked thread: what it waits for. */
    on?: string;
    /** On creation: the facts a view needs (owner, routine, class, device…). */
    info?: Record<string, unknown>;
  };
}[EntityKind];

export type TraceBody =
  | { type: 'action'; action: TimelineAction; index: number }
  | {
      type: 'call';
      component: string;
      api: TraceApiName;
      args: Record<string, unknown>;
      irql?: string;
      /** JSON pointer of the op in the scenario (absent for system calls such as the shell's). */
      op?: string;
    }
  | { type: 'return'; component: string; api: TraceApiName; result: unknown; out?: Record<string, unknown> }
  | {
      type: 'invoke';
      component: string;
      routine: string;
      args: Record<string, unknown>;
      registration?: string;
      /** Added to v1: with `registration`, which kind of notification callback this is (KE, IoRegister…, CM_Register…). */
      callback?: RegistrationKind;
      irql?: string;
    }
  | { type: 'complete'; component: string; routine: string; result: unknown }
  | { type: 'irp'; minor: string; device: string; driver: string }
  | { type: 'irpComplete'; minor: string; device: string; driver: string; status: string }
  | { type: 'queue'; event: string; device: string; interface?: string }
  | StateBody
  | {
      type: 'hazard';
      rule: RuleId;
      severity: Severity;
      message: string;
      bugcheck?: string;
      cycle?: WaitEdge[];
      /** The catalogue case of the rule (severity and bug check come from it). */
      case?: string;
    }
  | { type: 'note'; text: string; component?: string; op?: string }
  /** `limit`: with reason `budget`, the limit of the run that was reached (DL-3). */
  | { type: 'halt'; reason: HaltReason; limit?: RunLimit };

/** A body as the engine emits it: the entry's own fields, plus the rule stamp where one applies. */
export type StampedBody = TraceBody & RuleStamp;
export type TraceEntry = TraceBase & StampedBody;
export type TraceType = TraceEntry['type'];
export type EntryOf<T extends TraceType> = Extract<TraceEntry, { type: T }>;
