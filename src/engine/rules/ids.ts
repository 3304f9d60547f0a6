// Every rule id (docs/rules.md), as a closed union.

const range = <P extends string>(prefix: P, n: number) =>
  Array.from({ length: n }, (_, i) => `${prefix}-${i + 1}` as const);

export const RULE_IDS: readonly RuleId[] = [
  ...range('KE', 10),
  ...range('IO', 11),
  ...range('UN', 7),
  ...range('RM', 8),
  ...range('CM', 13),
  ...range('CU', 9),
  ...range('DRV', 3),
  'IRQL-1',
  ...range('DL', 3),
] as RuleId[];

export type RuleId =
  | `KE-${1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10}`
  | `IO-${1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11}`
  | `UN-${1 | 2 | 3 | 4 | 5 | 6 | 7}`
  | `RM-${1 | 2 | 3 | 4 | 5 | 6 | 7 | 8}`
  | `CM-${1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13}`
  | `CU-${1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9}`
  | `DRV-${1 | 2 | 3}`
  | 'IRQL-1'
  | `DL-${1 | 2 | 3}`;

export type Severity = 'bugcheck' | 'deadlock' | 'error' | 'warning' | 'info';
export type Provenance = 'DOC' | 'OBS' | 'CHOICE' | 'DOC+OBS';
