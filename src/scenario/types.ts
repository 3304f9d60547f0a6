// Scenario format v1 (docs/scenario-format.md). This is a public contract:
// fields may be added, nothing may be renamed or change meaning without a new format version.

import type { ApiName } from '../engine/api.ts';
import { RUN_LIMITS } from '../engine/limits.ts';
import type { CONDITIONS, CONTROL_OPS, ConditionName, ControlOpName, FieldKind, OperandKind, SwitchOn } from './grammar.ts';

export type { ApiName } from '../engine/api.ts';

export const SCENARIO_FORMAT = 'pnp-scenario/1';

/** A JSON scalar as written in a scenario: a constant, `$Arg`, a variable name, a number, a boolean or NULL. */
export type Value = string | number | boolean | null;

/** A condition: an object with exactly one operator of the grammar (grammar.ts CONDITIONS). */
export type Cond = { [N in ConditionName]: { [P in N]: OperandValue<(typeof CONDITIONS)[N]> } }[ConditionName];

type OperandValue<K extends OperandKind> = K extends 'value'
  ? Value
  : K extends 'cond'
    ? Cond
    : K extends 'pair'
      ? [Value, Value]
      : K extends 'listValue'
        ? [string, Value]
        : never;

type FieldValue<K extends FieldKind> = K extends 'value' ? Value : K extends 'cond' ? Cond : K extends 'ops' ? Op[] : string;
type KindOf<F> = F extends { kind: infer K extends FieldKind } ? K : never;
type Flat<T> = { [K in keyof T]: T[K] };
type ControlOpOf<N extends ControlOpName, S = (typeof CONTROL_OPS)[N]> = Flat<
  { op: N } & { -readonly [K in keyof S as S[K] extends { required: true } ? K : never]: FieldValue<KindOf<S[K]>> } & {
    -readonly [K in keyof S as S[K] extends { required: true } ? never : K]?: FieldValue<KindOf<S[K]>>;
  }
>;

/** A control op: `{ "op": <name>, <fields> }`, one member per row of grammar.ts CONTROL_OPS. */
export type ControlOp = { [N in ControlOpName]: ControlOpOf<N> }[ControlOpName];

/** An API call: `call` is the documented function name, other keys are its documented parameter names. */
export interface ApiCallOp {
  call: ApiName;
  result?: string;
  [param: string]: unknown;
}

export type Op = ControlOp | ApiCallOp;

export interface SwitchBody {
  switch: SwitchOn;
  cases: Record<string, Op[]>;
  default?: Op[];
}

export type RoutineBody = Op[] | SwitchBody;

export interface ComponentSpec {
  globals?: Record<string, Value>;
  routines?: Record<string, RoutineBody>;
}

export type DriverSpec = ComponentSpec;
export type AppSpec = ComponentSpec;

export interface MemorySpec {
  id: string;
  sizeMiB: number;
}

export interface DeviceSpec {
  id: string;
  parent?: string;
  /** Driver ids, bottom (bus driver, owns the PDO) to top. */
  stack: string[];
  interfaces?: string[];
  present?: boolean;
}

export interface MachineSpec {
  processors?: number;
  maxProcessors?: number;
  memory?: MemorySpec[];
  devices?: DeviceSpec[];
}

export type TimelineAction = (
  | { do: 'load'; driver: string }
  | { do: 'unload'; driver: string }
  | { do: 'start'; app: string }
  | { do: 'run'; component: string; routine: string }
  | { do: 'exit'; app: string }
  | { do: 'hotAddProcessor' }
  | { do: 'hotAddMemory'; id: string; sizeMiB: number }
  | { do: 'removeProcessor'; NtNumber: number }
  | { do: 'removeMemory'; id: string }
  | { do: 'plug'; device: string }
  | { do: 'eject'; device: string }
  | { do: 'surpriseRemove'; device: string }
) & { concurrent?: boolean; note?: string; during?: ActionStart };

/**
 * Where an action starts inside an earlier one (docs/scenario-format.md §4 `during`): at choice point
 * `choice` of timeline step `step` (the address a `schedule` override uses), or when a thread is about
 * to run the scenario op at JSON pointer `op` during step `step`. Exactly one of `choice` and `op`.
 */
export interface ActionStart {
  step: number;
  choice?: number;
  op?: string;
}

export type TimelineVerb = TimelineAction['do'];

/**
 * A scheduling override at a choice point (docs/architecture.md §2.2). The choice point is addressed either by
 * `step` + `choice` — the timeline step it belongs to (0 = boot, k = the k-th action, as a trace
 * entry's `step`) and its ordinal among that step's choice points (1 = the first) — which survives
 * engine changes that add trace entries; or, in the old form, by `at`, the `seq` of the next trace
 * entry there. An `at` override is migrated to `step` + `choice` at its first run (`migrateSchedule`).
 */
export interface ScheduleOverride {
  /** Old form: the `seq` of the next trace entry at the choice point. */
  at?: number;
  /** The timeline step of the choice point (0 = boot). */
  step?: number;
  /** The ordinal of the choice point within its step, from 1. */
  choice?: number;
  /** The thread to run there. */
  run: string;
}

export interface Scenario {
  format: typeof SCENARIO_FORMAT;
  title?: string;
  description?: string;
  machine?: MachineSpec;
  drivers?: Record<string, DriverSpec>;
  apps?: Record<string, AppSpec>;
  timeline?: TimelineAction[];
  schedule?: ScheduleOverride[];
}

/** A scenario after `load`: every optional part filled with its default. */
export interface NormalizedScenario {
  format: typeof SCENARIO_FORMAT;
  title: string;
  description: string;
  machine: {
    processors: number;
    maxProcessors: number;
    memory: MemorySpec[];
    devices: Required<DeviceSpec>[];
  };
  drivers: Record<string, Required<ComponentSpec>>;
  apps: Record<string, Required<ComponentSpec>>;
  timeline: TimelineAction[];
  schedule: ScheduleOverride[];
}

export const LIMITS = {
  units: 1024, // processors + memory modules + devices
  components: 256, // drivers + apps
  ops: 100_000,
  depth: 64,
  bytes: 1024 * 1024,
  opBudget: RUN_LIMITS.opBudget,
} as const;

export const ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
