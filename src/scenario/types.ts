// Scenario format v1 (../shared/spec/scenario-format.md). This is a public contract:
// fields may be added, nothing may be renamed or change meaning without a new format version.

export const SCENARIO_FORMAT = 'pnp-scenario/1';

/** A JSON scalar as written in a scenario: a constant, `$Arg`, a variable name, a number, a boolean or NULL. */
export type Value = string | number | boolean | null;

export type Cond =
  | { isNull: Value }
  | { eq: [Value, Value] }
  | { ntSuccess: Value }
  | { not: Cond }
  | { contains: [string, Value] };

export type ControlOp =
  | { op: 'return'; value?: Value }
  | { op: 'set'; var: string; value: Value }
  | { op: 'if'; cond: Cond; then: Op[]; else?: Op[] }
  | { op: 'forEach'; in: string; as: string; do: Op[] }
  | { op: 'note'; text: string };

/** An API call: `call` is the documented function name, other keys are its documented parameter names. */
export interface ApiCallOp {
  call: string;
  result?: string;
  [param: string]: unknown;
}

export type Op = ControlOp | ApiCallOp;

export interface SwitchBody {
  switch: 'State' | 'Event' | 'Action';
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
) & { concurrent?: boolean; note?: string };

export type TimelineVerb = TimelineAction['do'];

/**
 * A scheduling override at a choice point (spec §2.2). The choice point is addressed either by
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
  opBudget: 1_000_000,
} as const;

export const ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
