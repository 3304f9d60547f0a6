// The op grammar of scenario format v1, declared once. The TypeScript types of ops and conditions
// (types.ts) are derived from these tables, and validation (validate/ops.ts) walks them: adding a
// control op or a condition is one row here (plus its meaning in src/engine/interp.ts).
//
// API calls (`{ "call": …, <parameters> }`) are declared in the engine's API table
// (src/engine/api.ts: names, parameter kinds, mode, IRQL); `ApiCallOp.call` is its `ApiName`.
// See docs/scenario-format.md for the format itself.

/**
 * What a field of a control op holds (and what validation checks):
 * - value:   a Value read at run time (constant, `$Arg`, variable, number, boolean or null)
 * - target:  the variable `set` writes, `*OperationStatus` (the processor callback's out-parameter) or
 *            `*PnpDeviceState` (the flags an IRP_MN_QUERY_PNP_DEVICE_STATE handler reports, RM-11)
 * - element: a variable name that receives the current element of a `forEach`
 * - list:    the name of a list variable that is read
 * - cond:    a condition
 * - ops:     a list of ops (nested)
 * - text:    a string
 */
export type FieldKind = 'value' | 'target' | 'element' | 'list' | 'cond' | 'ops' | 'text';

export interface FieldSpec {
  kind: FieldKind;
  required: boolean;
  /** What the field must be, for "missing …: expected <what>" messages. */
  what: string;
}

const req = <K extends FieldKind>(kind: K, what: string) => ({ kind, required: true, what }) as const;
const opt = <K extends FieldKind>(kind: K, what: string) => ({ kind, required: false, what }) as const;

const A_VALUE = 'a value (a constant, a "$Argument", a variable name, a number, a boolean or null)';

/**
 * Control ops: `{ "op": <name>, <fields> }`. Fields are listed in the order a normalised op writes
 * them (links encode that order: do not reorder).
 */
export const CONTROL_OPS = {
  return: { value: opt('value', A_VALUE) },
  set: { var: req('target', 'a variable name (or "*OperationStatus", "*PnpDeviceState")'), value: req('value', A_VALUE) },
  if: { cond: req('cond', 'a condition'), then: req('ops', 'a list of ops'), else: opt('ops', 'a list of ops') },
  forEach: {
    in: req('list', 'the name of a list variable'),
    as: req('element', 'a variable name for the current element'),
    do: req('ops', 'a list of ops'),
  },
  note: { text: req('text', 'a string') },
} as const satisfies Record<string, Record<string, FieldSpec>>;

export type ControlOpName = keyof typeof CONTROL_OPS;
export const CONTROL_OP_NAMES = Object.keys(CONTROL_OPS) as ControlOpName[];

/**
 * What a condition's operand is:
 * - value: one Value;  cond: a nested condition;  pair: two Values `[a, b]`;
 * - listValue: `[listVariable, value]`.
 */
export type OperandKind = 'value' | 'cond' | 'pair' | 'listValue';

/** Conditions: an object with exactly one of these keys. */
export const CONDITIONS = {
  isNull: 'value',
  eq: 'pair',
  ntSuccess: 'value',
  not: 'cond',
  contains: 'listValue',
} as const satisfies Record<string, OperandKind>;

export type ConditionName = keyof typeof CONDITIONS;
export const CONDITION_NAMES = Object.keys(CONDITIONS) as ConditionName[];

/** What a routine body can `switch` on: the callback argument that selects the case. */
export const SWITCH_ON = ['State', 'Event', 'Action'] as const;
export type SwitchOn = (typeof SWITCH_ON)[number];

/** Field names that hold nested op lists (for counting and scanning ops without validating them). */
export const NESTED_OP_FIELDS: readonly string[] = [
  ...new Set(CONTROL_OP_NAMES.flatMap((n) => Object.entries(CONTROL_OPS[n] as Record<string, FieldSpec>).filter(([, f]) => f.kind === 'ops').map(([k]) => k))),
];
