// The structural layer: zod schemas for the plain-data parts of a scenario (envelope scalars,
// machine, memory, devices, timeline actions, schedule), with zod issues turned into JSON-Pointer
// errors worded "expected …; got …".
import '../zod-config.ts'; // first: before any zod schema is built (CSP forbids eval)

import { z } from 'zod';
import { isGuidLiteral } from '../../engine/constants.ts';
import { ID_PATTERN, LIMITS } from '../types.ts';
import { describe, expectedOneOf, type Issues, type Path } from '../errors.ts';
import { has, ID_HINT, isObj, ownCopy, type Obj } from './own.ts';
import { dictOf } from '../../engine/dict.ts';

export const TYPE_NAMES: Readonly<Record<string, string>> = dictOf({
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'a boolean (true or false)',
  array: 'an array',
  object: 'an object',
  null: 'null',
});

export function zodMessage(iss: z.core.$ZodIssue): string {
  // Messages our schemas give themselves ("expected …", "missing …") are used as they are.
  if (/^(expected |missing)/.test(iss.message)) return iss.message;
  const got = (iss as { input?: unknown }).input;
  switch (iss.code) {
    case 'invalid_type': {
      const want = TYPE_NAMES[iss.expected] ?? iss.expected;
      return got === undefined ? `missing; expected ${want}` : `expected ${want}; got ${describe(got)}`;
    }
    case 'invalid_value':
      return iss.values.length === 1
        ? `expected ${JSON.stringify(iss.values[0])}; got ${describe(got)}`
        : expectedOneOf(iss.values.map(String), got);
    case 'too_small':
    case 'too_big': {
      const op = iss.code === 'too_small' ? (iss.inclusive ? '≥' : '>') : iss.inclusive ? '≤' : '<';
      const bound = iss.code === 'too_small' ? iss.minimum : iss.maximum;
      if (iss.origin === 'array') {
        return iss.code === 'too_small' ? `expected at least ${String(bound)} item(s); got ${describe(got)}` : `expected at most ${String(bound)} item(s)`;
      }
      if (iss.origin === 'string') {
        return iss.code === 'too_small' ? `expected at least ${String(bound)} character(s); got ${describe(got)}` : `expected at most ${String(bound)} character(s); got ${describe(got)}`;
      }
      const what = iss.origin === 'int' ? 'an integer' : 'a number';
      return `expected ${what} ${op} ${String(bound)}; got ${describe(got)}`;
    }
    default:
      return iss.message;
  }
}

export function parseWith(issues: Issues, path: Path, schema: z.ZodType, value: unknown): boolean {
  const r = schema.safeParse(isObj(value) ? ownCopy(value) : value, { reportInput: true });
  if (r.success) return true;
  for (const iss of r.error.issues) {
    issues.error([...path, ...iss.path.map((p) => (typeof p === 'symbol' ? String(p) : p))], zodMessage(iss));
  }
  return false;
}

export const idSchema = (what: string) =>
  z.string().regex(ID_PATTERN, { error: (iss) => `expected ${what} matching ${ID_HINT}; got ${describe(iss.input)}` });

/** An integer in [min, max], with "expected an integer ≥ min" messages (zod reports int bounds as numbers). */
export const intSchema = (min: number, max?: number) => {
  let s = z
    .int({ error: (iss) => (iss.input === undefined ? 'missing; expected an integer' : `expected an integer; got ${describe(iss.input)}`) })
    .min(min, { error: (iss) => `expected an integer ≥ ${min}; got ${describe(iss.input)}` });
  if (max !== undefined) s = s.max(max, { error: (iss) => `expected an integer ≤ ${max}; got ${describe(iss.input)}` });
  return s;
};

export const isInterfaceName = (s: string) => /^GUID_[A-Za-z0-9_]+$/.test(s) || isGuidLiteral(s);

export const objectSchema = (what: string) =>
  z.custom<Obj>((v) => isObj(v), { error: (iss) => `expected ${what}; got ${describe(iss.input)}` });

export const EnvelopeSchema = z.object({
  title: z.string().optional(),
  description: z.string().optional(),
  machine: objectSchema('an object (processors, maxProcessors, memory, devices)').optional(),
  drivers: objectSchema('an object mapping driver ids to drivers').optional(),
  apps: objectSchema('an object mapping app ids to apps').optional(),
  timeline: z.array(z.unknown()).optional(),
  schedule: z.array(z.unknown()).optional(),
});

export const MachineSchema = z.object({
  processors: intSchema(1, LIMITS.units).optional(),
  maxProcessors: intSchema(1, LIMITS.units).optional(),
  memory: z.array(z.unknown()).optional(),
  devices: z.array(z.unknown()).optional(),
});

export const MemorySchema = z.object({ id: idSchema('a memory module id'), sizeMiB: z.number().positive() });

export const DeviceSchema = z.object({
  id: idSchema('a device id'),
  parent: z.string().optional(),
  stack: z.array(idSchema('a driver id')).min(1),
  interfaces: z
    .array(
      z.string().refine(isInterfaceName, {
        error: (iss) =>
          `expected an interface class: a GUID_… name (e.g. GUID_DEVINTERFACE_TOASTER) or a {xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx} literal; got ${describe(iss.input)}`,
      }),
    )
    .optional(),
  present: z.boolean().optional(),
});

/** `during`: where an action starts inside an earlier one; which of `choice` / `op` and its bounds are checked in timeline.ts. */
const DuringSchema = z.object({ step: intSchema(0), choice: intSchema(1).optional(), op: z.string().optional() });
export const ACTION_BASE = { do: z.string(), concurrent: z.boolean().optional(), note: z.string().optional(), during: DuringSchema.optional() };

export const VERB_SCHEMAS = {
  load: z.object({ ...ACTION_BASE, driver: z.string() }),
  unload: z.object({ ...ACTION_BASE, driver: z.string() }),
  start: z.object({ ...ACTION_BASE, app: z.string() }),
  run: z.object({ ...ACTION_BASE, component: z.string(), routine: z.string() }),
  exit: z.object({ ...ACTION_BASE, app: z.string() }),
  hotAddProcessor: z.object({ ...ACTION_BASE }),
  hotAddMemory: z.object({ ...ACTION_BASE, id: idSchema('a memory module id'), sizeMiB: z.number().positive() }),
  removeProcessor: z.object({ ...ACTION_BASE, NtNumber: intSchema(0) }),
  removeMemory: z.object({ ...ACTION_BASE, id: z.string() }),
  plug: z.object({ ...ACTION_BASE, device: z.string() }),
  eject: z.object({ ...ACTION_BASE, device: z.string() }),
  surpriseRemove: z.object({ ...ACTION_BASE, device: z.string() }),
} as const;
export type Verb = keyof typeof VERB_SCHEMAS;
export const VERBS = Object.keys(VERB_SCHEMAS) as Verb[];
export const isVerb = (s: unknown): s is Verb => typeof s === 'string' && has(VERB_SCHEMAS, s);

/** `{ step, choice, run }` (a choice point by timeline step and ordinal), or the old `{ at, run }`; which one is checked in timeline.ts. */
export const ScheduleSchema = z.object({ at: intSchema(0).optional(), step: intSchema(0).optional(), choice: intSchema(1).optional(), run: z.string().min(1) });
