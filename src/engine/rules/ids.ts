// Every rule id (docs/rules.md), as a closed union, and the one place rule ids are parsed.

const range = <P extends string>(prefix: P, n: number) =>
  Array.from({ length: n }, (_, i) => `${prefix}-${i + 1}` as const);

export const RULE_IDS: readonly RuleId[] = [
  ...range('KE', 10),
  ...range('IO', 11),
  ...range('UN', 7),
  ...range('RM', 11),
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
  | `RM-${1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11}`
  | `CM-${1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13}`
  | `CU-${1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9}`
  | `DRV-${1 | 2 | 3}`
  | 'IRQL-1'
  | `DL-${1 | 2 | 3}`;

export type Severity = 'bugcheck' | 'deadlock' | 'error' | 'warning' | 'info';
export type Provenance = 'DOC' | 'OBS' | 'CHOICE' | 'DOC+OBS';

const KNOWN = new Set<string>(RULE_IDS);
const MENTION = /\b(?:KE|IO|UN|RM|CM|CU|DRV|DL|IRQL)-\d{1,2}\b/g;

export const isRuleId = (text: string): text is RuleId => KNOWN.has(text);

/** The first rule id a text names, if any ("…does not keep the driver loaded (KE-5)"). */
export function ruleMentioned(text: string): RuleId | null {
  // exec on the one shared regex (matchAll would copy it for every note the engine writes).
  MENTION.lastIndex = 0;
  for (let m = MENTION.exec(text); m !== null; m = MENTION.exec(text)) if (isRuleId(m[0])) return m[0];
  return null;
}
