// Validation of scenario format v1 (scenario-format §6) and normalisation to NormalizedScenario.
//
// Two layers:
//  - structural: zod schemas for the plain-data parts (machine, memory, devices, timeline actions,
//    schedule, envelope scalars), converted to JSON-Pointer errors with "expected …; got …" text;
//  - semantic: hand-written checks driven by the APIS table (ops, parameters, variables) and the
//    cross references (stacks, parents, devices, drivers, apps, routines, memory ids).
//
// Everything is read from own properties only, and every map of the normalised scenario is a
// null-prototype object, so hostile keys (`__proto__`, `constructor`) are plain data.
// Recursion is bounded: callers run `checkDepth` first (nesting ≤ LIMITS.depth).
import './zod-config.ts'; // first: before any zod schema is built (CSP forbids eval)

import { z } from 'zod';
import {
  APIS,
  ARG_NAMES,
  FILTER_FIELDS,
  IRP_MINORS,
  NOTIFICATION_FIELDS,
  isApiName,
  type ApiName,
  type ParamKind,
} from '../engine/api.ts';
import { isConstant, isGuidLiteral } from '../engine/constants.ts';
import {
  ID_PATTERN,
  LIMITS,
  SCENARIO_FORMAT,
  type ComponentSpec,
  type Cond,
  type DeviceSpec,
  type MemorySpec,
  type NormalizedScenario,
  type Op,
  type RoutineBody,
  type ScheduleOverride,
  type TimelineAction,
  type Value,
} from './types.ts';
import {
  Issues,
  closest,
  describe,
  didYouMean,
  expectedOneOf,
  listOf,
  pointer,
  type Path,
  type ValidationError,
} from './errors.ts';

// ---------------------------------------------------------------------------------------------
// Own-property helpers

type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const has = (o: Obj, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** An own property, or undefined (never an inherited one such as `constructor`). */
const own = (o: Obj, k: string): unknown => (has(o, k) ? o[k] : undefined);

/** Own enumerable string keys. */
const keysOf = (o: Obj): string[] => Object.keys(o);

/** A null-prototype shallow copy of the own enumerable properties, safe to hand to zod. */
function ownCopy(o: Obj): Obj {
  const c = Object.create(null) as Obj;
  for (const k of keysOf(o)) c[k] = o[k];
  return c;
}

/** A plain copy of an array's elements (no species or iterator lookups on hostile arrays). */
function copyArray(a: readonly unknown[]): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < a.length; i++) out.push(a[i]);
  return out;
}

/** A null-prototype map, for ids chosen by the scenario. */
const makeMap = <T>(): Record<string, T> => Object.create(null) as Record<string, T>;

const isIdentifier = (s: unknown): s is string => typeof s === 'string' && ID_PATTERN.test(s);

const ID_HINT = '[A-Za-z_][A-Za-z0-9_]{0,63}';

// ---------------------------------------------------------------------------------------------
// Raw-value checks that run before anything else (iterative: never recurse on hostile input)

/** Counts container nesting: `{}` and `[]` are depth 1, `{"a":[]}` is depth 2. */
export const MAX_JSON_VALUES = 1024 * 1024;

/**
 * Checks nesting depth (LIMITS.depth) and size (MAX_JSON_VALUES values, which no 1 MiB JSON text
 * exceeds) of a raw value, iteratively. Returns the first problem found, or undefined.
 */
export function checkDepth(root: unknown): ValidationError | undefined {
  interface Frame {
    value: unknown;
    depth: number;
    key: string | number;
    parent: Frame | undefined;
  }
  const pathOf = (f: Frame): string => {
    const segs: (string | number)[] = [];
    for (let p: Frame | undefined = f; p && p.parent; p = p.parent) segs.push(p.key);
    return pointer(segs.reverse());
  };
  // Shared references are not possible in parsed JSON; for hand-built values, visit an object
  // again only when reached deeper than before (bounded by the depth limit).
  const seen = new WeakMap<object, number>();
  const stack: Frame[] = [{ value: root, depth: 0, key: '', parent: undefined }];
  let count = 0;
  while (stack.length > 0) {
    const f = stack.pop()!;
    if (++count > MAX_JSON_VALUES) {
      return { path: '', message: `the scenario has more than ${MAX_JSON_VALUES.toLocaleString('en-US')} JSON values; it cannot be this large (1 MiB of JSON at most)` };
    }
    const v = f.value;
    if (typeof v !== 'object' || v === null) continue;
    const depth = f.depth + 1;
    if (depth > LIMITS.depth) {
      return { path: pathOf(f), message: `JSON nesting is deeper than ${LIMITS.depth} levels; the limit is ${LIMITS.depth}` };
    }
    const before = seen.get(v);
    if (before !== undefined && before >= depth) continue;
    seen.set(v, depth);
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], depth, key: i, parent: f });
    } else {
      const o = v as Obj;
      const ks = keysOf(o);
      for (let i = ks.length - 1; i >= 0; i--) stack.push({ value: o[ks[i]], depth, key: ks[i], parent: f });
    }
  }
  return undefined;
}

export type FormatCheck = { kind: 'ok' } | { kind: 'newer'; error: ValidationError } | { kind: 'bad'; error: ValidationError };

/** `format` is required: "pnp-scenario/1"; a higher version is refused with a "newer version" message. */
export function checkFormat(root: Obj): FormatCheck {
  const f = own(root, 'format');
  if (f === SCENARIO_FORMAT) return { kind: 'ok' };
  if (typeof f === 'string') {
    const m = /^pnp-scenario\/([1-9][0-9]{0,8})$/.exec(f);
    if (m && Number(m[1]) > 1) {
      return {
        kind: 'newer',
        error: {
          path: '/format',
          message: `this scenario was made by a newer version of the playground (${f}); this version reads ${SCENARIO_FORMAT}`,
        },
      };
    }
  }
  if (f === undefined) {
    return { kind: 'bad', error: { path: '/format', message: `missing "format"; expected "${SCENARIO_FORMAT}"` } };
  }
  return { kind: 'bad', error: { path: '/format', message: `expected "format": "${SCENARIO_FORMAT}"; got ${describe(f)}` } };
}

/** Counts ops in a routine body (nested ops included), iteratively and tolerant of any shape. */
function countOps(body: unknown): number {
  let n = 0;
  const stack: unknown[] = [body];
  while (stack.length > 0) {
    const b = stack.pop();
    if (Array.isArray(b)) {
      for (const op of b) {
        n++;
        if (isObj(op)) for (const k of ['then', 'else', 'do']) if (has(op, k)) stack.push(op[k]);
      }
    } else if (isObj(b)) {
      // a switch body
      const cases = own(b, 'cases');
      if (isObj(cases)) for (const k of keysOf(cases)) stack.push(cases[k]);
      if (has(b, 'default')) stack.push(b.default);
    }
  }
  return n;
}

/** Hard limits (scenario-format §6). Any error here means the scenario is refused as a whole. */
export function checkLimits(root: Obj): ValidationError[] {
  const errors: ValidationError[] = [];
  const fmt = (n: number) => n.toLocaleString('en-US');
  const machine = own(root, 'machine');
  if (isObj(machine)) {
    const p = own(machine, 'processors');
    const mem = own(machine, 'memory');
    const dev = own(machine, 'devices');
    const processors = typeof p === 'number' && Number.isFinite(p) && p > 0 ? p : 1;
    const memory = Array.isArray(mem) ? mem.length : 0;
    const devices = Array.isArray(dev) ? dev.length : 0;
    const units = processors + memory + devices;
    if (units > LIMITS.units) {
      errors.push({
        path: '/machine',
        message: `the machine has ${fmt(units)} processors + memory modules + devices (${fmt(processors)} + ${fmt(memory)} + ${fmt(devices)}); the limit is ${fmt(LIMITS.units)} in all`,
      });
    }
  }
  let components = 0;
  let ops = 0;
  for (const k of ['drivers', 'apps']) {
    const map = own(root, k);
    if (!isObj(map)) continue;
    for (const id of keysOf(map)) {
      components++;
      const c = map[id];
      const routines = isObj(c) ? own(c, 'routines') : undefined;
      if (isObj(routines)) for (const r of keysOf(routines)) ops += countOps(routines[r]);
    }
  }
  if (components > LIMITS.components) {
    errors.push({ path: '', message: `the scenario has ${fmt(components)} drivers + apps; the limit is ${fmt(LIMITS.components)} in all` });
  }
  if (ops > LIMITS.ops) {
    errors.push({ path: '', message: `the scenario has ${fmt(ops)} ops in all (nested ops included); the limit is ${fmt(LIMITS.ops)}` });
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------
// zod: structural schemas and issue conversion

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'a boolean (true or false)',
  array: 'an array',
  object: 'an object',
  null: 'null',
};

function zodMessage(iss: z.core.$ZodIssue): string {
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

function parseWith(issues: Issues, path: Path, schema: z.ZodType, value: unknown): boolean {
  const r = schema.safeParse(isObj(value) ? ownCopy(value) : value, { reportInput: true });
  if (r.success) return true;
  for (const iss of r.error.issues) {
    issues.error([...path, ...iss.path.map((p) => (typeof p === 'symbol' ? String(p) : p))], zodMessage(iss));
  }
  return false;
}

const idSchema = (what: string) =>
  z.string().regex(ID_PATTERN, { error: (iss) => `expected ${what} matching ${ID_HINT}; got ${describe(iss.input)}` });

/** An integer in [min, max], with "expected an integer ≥ min" messages (zod reports int bounds as numbers). */
const intSchema = (min: number, max?: number) => {
  let s = z
    .int({ error: (iss) => (iss.input === undefined ? 'missing; expected an integer' : `expected an integer; got ${describe(iss.input)}`) })
    .min(min, { error: (iss) => `expected an integer ≥ ${min}; got ${describe(iss.input)}` });
  if (max !== undefined) s = s.max(max, { error: (iss) => `expected an integer ≤ ${max}; got ${describe(iss.input)}` });
  return s;
};

const isInterfaceName = (s: string) => /^GUID_[A-Za-z0-9_]+$/.test(s) || isGuidLiteral(s);

const objectSchema = (what: string) =>
  z.custom<Obj>((v) => isObj(v), { error: (iss) => `expected ${what}; got ${describe(iss.input)}` });

const EnvelopeSchema = z.object({
  title: z.string().optional(),
  description: z.string().optional(),
  machine: objectSchema('an object (processors, maxProcessors, memory, devices)').optional(),
  drivers: objectSchema('an object mapping driver ids to drivers').optional(),
  apps: objectSchema('an object mapping app ids to apps').optional(),
  timeline: z.array(z.unknown()).optional(),
  schedule: z.array(z.unknown()).optional(),
});

const MachineSchema = z.object({
  processors: intSchema(1, LIMITS.units).optional(),
  maxProcessors: intSchema(1, LIMITS.units).optional(),
  memory: z.array(z.unknown()).optional(),
  devices: z.array(z.unknown()).optional(),
});

const MemorySchema = z.object({ id: idSchema('a memory module id'), sizeMiB: z.number().positive() });

const DeviceSchema = z.object({
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

const ACTION_BASE = { do: z.string(), concurrent: z.boolean().optional(), note: z.string().optional() };

const VERB_SCHEMAS = {
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
type Verb = keyof typeof VERB_SCHEMAS;
const VERBS = Object.keys(VERB_SCHEMAS) as Verb[];
const isVerb = (s: unknown): s is Verb => typeof s === 'string' && has(VERB_SCHEMAS, s);

const ScheduleSchema = z.object({ at: intSchema(0).optional(), step: intSchema(0).optional(), choice: intSchema(1).optional(), run: z.string().min(1) });

// ---------------------------------------------------------------------------------------------
// Semantic pass: shared state

interface World {
  issues: Issues;
  driverIds: string[];
  appIds: string[];
  deviceIds: Set<string>;
  /** Routine names per component id. */
  routines: Map<string, Set<string>>;
}

type ComponentKind = 'driver' | 'app';

interface Ctx {
  w: World;
  kind: ComponentKind;
  id: string;
  declared: Set<string>;
  routineNames: Set<string>;
}

const componentName = (c: Ctx) => `${c.kind} "${c.id}"`;

function unknownRef(what: string, name: unknown, known: readonly string[], plural: string): string {
  const hint = typeof name === 'string' ? didYouMean(name, known) : '';
  const list = known.length === 0 ? `no ${plural} are defined` : `${plural}: ${listOf(known, false)}`;
  return typeof name === 'string'
    ? `unknown ${what} ${JSON.stringify(name)} (${list})${hint}`
    : `expected a ${what} id (${list}); got ${describe(name)}`;
}

const CONTROL_OPS = ['return', 'set', 'if', 'forEach', 'note'] as const;
const COND_KEYS = ['isNull', 'eq', 'ntSuccess', 'not', 'contains'] as const;
const SWITCH_ON = ['State', 'Event', 'Action'] as const;
const FILTER_TYPES = [
  'CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE',
  'CM_NOTIFY_FILTER_TYPE_DEVICEHANDLE',
  'CM_NOTIFY_FILTER_TYPE_DEVICEINSTANCE',
] as const;
const POOLS = ['Paged', 'NonPaged'] as const;
const CONTROL_FIELDS: Record<string, readonly string[]> = {
  return: ['op', 'value'],
  set: ['op', 'var', 'value'],
  if: ['op', 'cond', 'then', 'else'],
  forEach: ['op', 'in', 'as', 'do'],
  note: ['op', 'text'],
};
/** NULL is accepted for these even though they are required: CM-1 shows the CR_INVALID_DATA case. */
const NULLABLE_PARAMS = new Set(['CM_Register_Notification.pFilter', 'CM_Register_Notification.pCallback']);

const ARG_SET: ReadonlySet<string> = new Set(ARG_NAMES);
const ARG_LIST = ARG_NAMES.map((a) => '$' + a);

const KIND_HINT: Record<ParamKind, string> = {
  value: 'a value (a constant, a "$Argument", a variable name, a number, a boolean or null)',
  out: 'a variable name that receives the output',
  outOrNull: 'a variable name that receives the output, or null',
  lockVar: 'a variable name that identifies the lock',
  routine: 'a routine name of the same component',
  device: 'a device id from machine.devices',
  flags: 'a constant or an array of constants',
  number: 'a number',
  literal: 'a string',
  filter: 'a CM_NOTIFY_FILTER object ({ "FilterType": …, … })',
  notification: 'a TARGET_DEVICE_CUSTOM_NOTIFICATION object ({ "Event": …, … })',
};

// ---------------------------------------------------------------------------------------------
// Variables

/** Is `name` usable as a variable that is written? Reports why not. */
function checkVarName(issues: Issues, path: Path, name: unknown, what = 'a variable name'): name is string {
  if (typeof name !== 'string') {
    issues.error(path, `expected ${what}; got ${describe(name)}`);
    return false;
  }
  if (name.startsWith('$')) {
    issues.error(path, `${JSON.stringify(name)} is a callback argument and cannot be written; expected ${what}`);
    return false;
  }
  if (!ID_PATTERN.test(name)) {
    issues.error(path, `expected ${what} matching ${ID_HINT}; got ${describe(name)}`);
    return false;
  }
  if (isConstant(name)) {
    issues.error(path, `${JSON.stringify(name)} is a constant name, not a variable name; expected ${what}`);
    return false;
  }
  return true;
}

const isWritableName = (s: unknown): s is string => isIdentifier(s) && !isConstant(s);

/** Every variable the component writes somewhere (declaration scan, done before reads are checked). */
function collectWrites(routines: Obj, out: Set<string>): void {
  const stack: unknown[] = keysOf(routines).map((k) => routines[k]);
  while (stack.length > 0) {
    const b = stack.pop();
    if (Array.isArray(b)) {
      for (const op of b) {
        if (!isObj(op)) continue;
        const call = own(op, 'call');
        if (typeof call === 'string') {
          const result = own(op, 'result');
          if (isWritableName(result)) out.add(result);
          // For a misspelt API, its likely meaning declares the variables (no cascade of errors).
          const api = isApiName(call) ? call : closest(call, Object.keys(APIS));
          if (api !== undefined && isApiName(api)) {
            const params: Record<string, { kind: ParamKind }> = APIS[api].params;
            for (const p of keysOf(params)) {
              const kind = params[p].kind;
              const v = own(op, p);
              if ((kind === 'out' || kind === 'outOrNull' || kind === 'lockVar') && isWritableName(v)) out.add(v);
            }
          }
          continue;
        }
        switch (own(op, 'op')) {
          case 'set': {
            const v = own(op, 'var');
            if (isWritableName(v)) out.add(v);
            break;
          }
          case 'forEach': {
            const v = own(op, 'as');
            if (isWritableName(v)) out.add(v);
            stack.push(own(op, 'do'));
            break;
          }
          case 'if':
            stack.push(own(op, 'then'), own(op, 'else'));
            break;
        }
      }
    } else if (isObj(b)) {
      const cases = own(b, 'cases');
      if (isObj(cases)) for (const k of keysOf(cases)) stack.push(cases[k]);
      stack.push(own(b, 'default'));
    }
  }
}

/** A variable read: it must be declared or written somewhere in the component. */
function checkVarRead(c: Ctx, path: Path, name: string): void {
  if (c.declared.has(name)) return;
  c.w.issues.error(
    path,
    `variable ${JSON.stringify(name)} is never declared or written in ${componentName(c)}${didYouMean(name, c.declared)}`,
  );
}

/** A Value read at run time: constant, `$Arg`, declared variable, number, boolean or null. */
function checkValue(c: Ctx, path: Path, v: unknown): v is Value {
  const issues = c.w.issues;
  if (v === null || typeof v === 'boolean') return true;
  if (typeof v === 'number') {
    if (Number.isFinite(v)) return true;
    issues.error(path, `expected a finite number; got ${describe(v)}`);
    return false;
  }
  if (typeof v === 'string') {
    if (v.startsWith('$')) {
      const name = v.slice(1);
      if (ARG_SET.has(name)) return true;
      issues.error(path, `unknown argument ${JSON.stringify(v)}; expected one of ${listOf(ARG_LIST, false, 30)}${didYouMean(v, ARG_LIST)}`);
      return false;
    }
    if (isConstant(v)) return true;
    if (ID_PATTERN.test(v)) {
      checkVarRead(c, path, v);
      return true;
    }
    issues.error(path, `${describe(v)} is not a constant, a "$Argument" or a variable name`);
    return false;
  }
  issues.error(path, `expected ${KIND_HINT.value}; got ${describe(v)}`);
  return false;
}

// ---------------------------------------------------------------------------------------------
// Parameters

function checkFlags(c: Ctx, path: Path, v: unknown): string | string[] | undefined {
  const bad = (p: Path, x: unknown) =>
    c.w.issues.error(p, `expected a constant (e.g. KE_PROCESSOR_CHANGE_ADD_EXISTING, POOL_FLAG_NON_PAGED) or an array of constants; got ${describe(x)}`);
  if (typeof v === 'string') {
    if (isConstant(v)) return v;
    bad(path, v);
    return undefined;
  }
  if (Array.isArray(v)) {
    let ok = true;
    v.forEach((f, i) => {
      if (typeof f !== 'string' || !isConstant(f)) {
        bad([...path, i], f);
        ok = false;
      }
    });
    return ok ? (copyArray(v) as string[]) : undefined;
  }
  bad(path, v);
  return undefined;
}

function checkNumber(c: Ctx, path: Path, v: unknown): v is number {
  if (typeof v === 'number' && Number.isFinite(v)) return true;
  c.w.issues.error(path, `expected a number; got ${describe(v)}`);
  return false;
}

function checkCustomData(c: Ctx, path: Path, v: unknown): string | number[] | undefined {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) {
    let ok = true;
    v.forEach((b, i) => {
      if (typeof b !== 'number' || !Number.isInteger(b) || b < 0 || b > 255) {
        c.w.issues.error([...path, i], `expected a byte value (an integer 0..255); got ${describe(b)}`);
        ok = false;
      }
    });
    return ok ? (copyArray(v) as number[]) : undefined;
  }
  c.w.issues.error(path, `expected custom data: a string or an array of byte values (integers 0..255); got ${describe(v)}`);
  return undefined;
}

/** A CM_NOTIFY_FILTER or TARGET_DEVICE_CUSTOM_NOTIFICATION object, field by field. */
function checkStruct(
  c: Ctx,
  path: Path,
  v: unknown,
  fields: Record<string, string>,
  required: string,
  structName: string,
): Obj | undefined {
  const issues = c.w.issues;
  if (!isObj(v)) {
    issues.error(path, `expected ${structName === 'CM_NOTIFY_FILTER' ? KIND_HINT.filter : KIND_HINT.notification}; got ${describe(v)}`);
    return undefined;
  }
  const out: Obj = {};
  const names = keysOf(fields);
  let ok = true;
  for (const k of keysOf(v)) {
    if (!has(fields, k)) {
      issues.error([...path, k], `unknown field ${JSON.stringify(k)} of ${structName}${didYouMean(k, names)} (fields: ${listOf(names, false)})`);
      ok = false;
    }
  }
  if (!has(v, required)) {
    issues.error([...path, required], `missing required field ${JSON.stringify(required)} of ${structName}`);
    ok = false;
  }
  for (const k of names) {
    if (!has(v, k)) continue;
    const x = v[k];
    const p = [...path, k];
    if (k === 'FilterType') {
      if (typeof x === 'string' && (FILTER_TYPES as readonly string[]).includes(x)) out[k] = x;
      else {
        issues.error(p, expectedOneOf(FILTER_TYPES, x));
        ok = false;
      }
    } else if (k === 'Pool') {
      if (typeof x === 'string' && (POOLS as readonly string[]).includes(x)) out[k] = x;
      else {
        issues.error(p, expectedOneOf(POOLS, x));
        ok = false;
      }
    } else if (k === 'CustomData') {
      const d = checkCustomData(c, p, x);
      if (d === undefined) ok = false;
      else out[k] = d;
    } else {
      switch (fields[k]) {
        case 'value':
          if (checkValue(c, p, x)) out[k] = x;
          else ok = false;
          break;
        case 'flags': {
          const f = checkFlags(c, p, x);
          if (f === undefined) ok = false;
          else out[k] = f;
          break;
        }
        case 'number':
          if (checkNumber(c, p, x)) out[k] = x;
          else ok = false;
          break;
        default:
          if (typeof x === 'string') out[k] = x;
          else {
            issues.error(p, `expected a string; got ${describe(x)}`);
            ok = false;
          }
      }
    }
  }
  return ok ? out : undefined;
}

/** Returns [ok, normalised value]. */
function checkParam(c: Ctx, path: Path, api: ApiName, param: string, kind: ParamKind, required: boolean, v: unknown): [boolean, unknown] {
  const issues = c.w.issues;
  switch (kind) {
    case 'value':
      return [checkValue(c, path, v), v];
    case 'out':
      return [checkVarName(issues, path, v, KIND_HINT.out), v];
    case 'outOrNull':
      return [v === null || checkVarName(issues, path, v, KIND_HINT.outOrNull), v];
    case 'lockVar':
      return [checkVarName(issues, path, v, KIND_HINT.lockVar), v];
    case 'routine': {
      if (v === null && (!required || NULLABLE_PARAMS.has(`${api}.${param}`))) return [true, v];
      if (typeof v === 'string' && c.routineNames.has(v)) return [true, v];
      const known = [...c.routineNames];
      const msg =
        typeof v === 'string'
          ? `unknown routine ${JSON.stringify(v)} in ${componentName(c)}; ${param} must name a routine of the same ${c.kind} (routines: ${listOf(known, false) || 'none'})${didYouMean(v, known)}`
          : `expected ${KIND_HINT.routine}; got ${describe(v)}`;
      issues.error(path, msg);
      return [false, v];
    }
    case 'device': {
      if (typeof v === 'string' && c.w.deviceIds.has(v)) return [true, v];
      issues.error(path, unknownRef('device', v, [...c.w.deviceIds], 'devices'));
      return [false, v];
    }
    case 'flags': {
      const f = checkFlags(c, path, v);
      return [f !== undefined, f];
    }
    case 'number':
      return [checkNumber(c, path, v), v];
    case 'literal': {
      if (param === 'CustomData') {
        const d = checkCustomData(c, path, v);
        return [d !== undefined, d];
      }
      if (typeof v !== 'string') {
        issues.error(path, `expected ${param === 'Tag' ? 'a pool tag (a string of up to 4 characters)' : 'a string'}; got ${describe(v)}`);
        return [false, v];
      }
      if (param === 'Tag' && [...v].length > 4) {
        issues.error(path, `a pool tag has at most 4 characters; got ${describe(v)} (${[...v].length} characters)`);
        return [false, v];
      }
      return [true, v];
    }
    case 'filter': {
      if (v === null && NULLABLE_PARAMS.has(`${api}.${param}`)) return [true, v];
      const s = checkStruct(c, path, v, FILTER_FIELDS, 'FilterType', 'CM_NOTIFY_FILTER');
      return [s !== undefined, s];
    }
    case 'notification': {
      const s = checkStruct(c, path, v, NOTIFICATION_FIELDS, 'Event', 'TARGET_DEVICE_CUSTOM_NOTIFICATION');
      return [s !== undefined, s];
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Ops

function checkCall(c: Ctx, path: Path, op: Obj): Op | undefined {
  const issues = c.w.issues;
  const call = own(op, 'call');
  const apiNames = Object.keys(APIS);
  if (typeof call !== 'string' || !isApiName(call)) {
    const hint = typeof call === 'string' ? didYouMean(call, apiNames) : '';
    issues.error(
      [...path, 'call'],
      typeof call === 'string'
        ? hint
          ? `unknown API ${JSON.stringify(call)}${hint}`
          : `unknown API ${JSON.stringify(call)}; expected one of ${listOf(apiNames, false, 40)}`
        : `expected an API name; got ${describe(call)}`,
    );
    return undefined;
  }
  const spec = APIS[call];
  let ok = true;
  if (c.kind === 'app' && spec.mode === 'kernel') {
    const why = call.startsWith('IoReportTargetDeviceChange')
      ? 'apps only receive custom events (CU-9)'
      : 'apps can call only user-mode APIs';
    issues.error([...path, 'call'], `${call} is a kernel-mode routine; ${why}`);
    ok = false;
  } else if (c.kind === 'driver' && spec.mode === 'user') {
    issues.error([...path, 'call'], `${call} is a user-mode API; drivers can call only kernel-mode routines`);
    ok = false;
  }
  const params: Record<string, { kind: ParamKind; required?: boolean }> = spec.params;
  const paramNames = keysOf(params);
  const out: Record<string, unknown> = { call };
  for (const k of keysOf(op)) {
    if (k === 'call' || k === 'result' || has(params, k)) continue;
    const list = paramNames.length ? `parameters: ${listOf(paramNames, false)}` : 'it takes no parameters';
    const implicit =
      k === 'DriverObject' ? '; the DriverObject parameter is implicit (the calling driver)' : didYouMean(k, paramNames);
    issues.error([...path, k], `unknown parameter ${JSON.stringify(k)} of ${call}${implicit} (${list})`);
    ok = false;
  }
  for (const p of paramNames) {
    const { kind, required = false } = params[p];
    if (!has(op, p)) {
      if (required) {
        issues.error([...path, p], `missing required parameter ${JSON.stringify(p)} of ${call}: expected ${KIND_HINT[kind]}`);
        ok = false;
      }
      continue;
    }
    const [good, value] = checkParam(c, [...path, p], call, p, kind, required, op[p]);
    if (good) out[p] = value;
    else ok = false;
  }
  if (has(op, 'result')) {
    if (spec.returns === 'void') {
      issues.error([...path, 'result'], `${call} returns nothing (VOID); remove "result"`);
      ok = false;
    } else if (checkVarName(issues, [...path, 'result'], op.result, 'a variable name that receives the return value')) {
      out.result = op.result;
    } else ok = false;
  }
  return ok ? (out as Op) : undefined;
}

function checkCond(c: Ctx, path: Path, cond: unknown): Cond | undefined {
  const issues = c.w.issues;
  if (!isObj(cond)) {
    issues.error(path, `expected a condition ({ "isNull": v }, { "eq": [a, b] }, { "ntSuccess": v }, { "not": cond } or { "contains": [list, v] }); got ${describe(cond)}`);
    return undefined;
  }
  const keys = COND_KEYS.filter((k) => has(cond, k));
  if (keys.length === 0) {
    const first = keysOf(cond)[0];
    issues.error(
      first === undefined ? path : [...path, first],
      first === undefined
        ? `expected a condition: an object with one of ${listOf(COND_KEYS)}; got an empty object`
        : `unknown condition ${JSON.stringify(first)}; expected one of ${listOf(COND_KEYS)}${didYouMean(first, COND_KEYS)}`,
    );
    return undefined;
  }
  if (keys.length > 1) {
    issues.error(path, `a condition has exactly one operator; got ${listOf(keys)}`);
    return undefined;
  }
  const k = keys[0];
  const p = [...path, k];
  const x = cond[k];
  switch (k) {
    case 'isNull':
      return checkValue(c, p, x) ? { isNull: x as Value } : undefined;
    case 'ntSuccess':
      return checkValue(c, p, x) ? { ntSuccess: x as Value } : undefined;
    case 'not': {
      const inner = checkCond(c, p, x);
      return inner ? { not: inner } : undefined;
    }
    case 'eq': {
      if (!Array.isArray(x) || x.length !== 2) {
        issues.error(p, `expected two values to compare ([a, b]); got ${describe(x)}${Array.isArray(x) ? ` of ${x.length}` : ''}`);
        return undefined;
      }
      const a = checkValue(c, [...p, 0], x[0]);
      const b = checkValue(c, [...p, 1], x[1]);
      return a && b ? { eq: [x[0] as Value, x[1] as Value] } : undefined;
    }
    case 'contains': {
      if (!Array.isArray(x) || x.length !== 2) {
        issues.error(p, `expected [listVariable, value]; got ${describe(x)}${Array.isArray(x) ? ` of ${x.length}` : ''}`);
        return undefined;
      }
      const list = x[0];
      let ok = true;
      if (!isWritableName(list)) {
        issues.error([...p, 0], `expected the name of a list variable; got ${describe(list)}`);
        ok = false;
      } else checkVarRead(c, [...p, 0], list);
      const b = checkValue(c, [...p, 1], x[1]);
      return ok && b ? { contains: [list as string, x[1] as Value] } : undefined;
    }
  }
}

function checkControl(c: Ctx, path: Path, op: Obj, kind: string): Op | undefined {
  const issues = c.w.issues;
  const known = CONTROL_FIELDS[kind];
  for (const k of keysOf(op)) {
    if (!known.includes(k)) {
      issues.warn([...path, k], `unknown field ${JSON.stringify(k)} of a "${kind}" op is ignored${didYouMean(k, known)}`);
    }
  }
  const need = (k: string, what: string): boolean => {
    if (has(op, k)) return true;
    issues.error([...path, k], `missing ${JSON.stringify(k)} of a "${kind}" op: expected ${what}`);
    return false;
  };
  switch (kind) {
    case 'return': {
      if (!has(op, 'value')) return { op: 'return' };
      return checkValue(c, [...path, 'value'], op.value) ? { op: 'return', value: op.value as Value } : undefined;
    }
    case 'set': {
      let ok = need('var', 'a variable name (or "*OperationStatus")');
      const v = own(op, 'var');
      if (ok && v !== '*OperationStatus') {
        if (typeof v === 'string' && v.startsWith('*')) {
          issues.error([...path, 'var'], `only "*OperationStatus" (the processor callback's out-parameter) can be written through a pointer; got ${describe(v)}`);
          ok = false;
        } else ok = checkVarName(issues, [...path, 'var'], v);
      }
      if (need('value', KIND_HINT.value)) ok = checkValue(c, [...path, 'value'], op.value) && ok;
      else ok = false;
      return ok ? { op: 'set', var: v as string, value: op.value as Value } : undefined;
    }
    case 'if': {
      let ok = true;
      const cond = need('cond', 'a condition') ? checkCond(c, [...path, 'cond'], op.cond) : undefined;
      if (!cond) ok = false;
      const then = need('then', 'a list of ops') ? checkOps(c, [...path, 'then'], op.then) : undefined;
      if (!then) ok = false;
      let els: Op[] | undefined;
      if (has(op, 'else')) {
        els = checkOps(c, [...path, 'else'], op.else);
        if (!els) ok = false;
      }
      if (!ok) return undefined;
      return els ? { op: 'if', cond: cond!, then: then!, else: els } : { op: 'if', cond: cond!, then: then! };
    }
    case 'forEach': {
      let ok = true;
      const list = own(op, 'in');
      if (need('in', 'the name of a list variable')) {
        if (!isWritableName(list)) {
          issues.error([...path, 'in'], `expected the name of a list variable; got ${describe(list)}`);
          ok = false;
        } else checkVarRead(c, [...path, 'in'], list);
      } else ok = false;
      const as = own(op, 'as');
      if (need('as', 'a variable name for the current element')) {
        ok = checkVarName(issues, [...path, 'as'], as, 'a variable name for the current element') && ok;
      } else ok = false;
      const body = need('do', 'a list of ops') ? checkOps(c, [...path, 'do'], op.do) : undefined;
      if (!body) ok = false;
      return ok ? { op: 'forEach', in: list as string, as: as as string, do: body! } : undefined;
    }
    case 'note': {
      if (!need('text', 'a string')) return undefined;
      if (typeof op.text !== 'string') {
        issues.error([...path, 'text'], `expected a string; got ${describe(op.text)}`);
        return undefined;
      }
      return { op: 'note', text: op.text };
    }
  }
  return undefined;
}

function checkOp(c: Ctx, path: Path, op: unknown): Op | undefined {
  const issues = c.w.issues;
  if (!isObj(op)) {
    issues.error(path, `expected an op: an object with "call" (an API name) or "op" (${listOf(CONTROL_OPS)}); got ${describe(op)}`);
    return undefined;
  }
  const hasCall = has(op, 'call');
  const hasOp = has(op, 'op');
  if (hasCall && hasOp) {
    issues.error(path, 'an op has either "call" (an API call) or "op" (a control op), not both');
    return undefined;
  }
  if (hasCall) return checkCall(c, path, op);
  if (!hasOp) {
    issues.error(path, `expected an op: an object with "call" (an API name) or "op" (${listOf(CONTROL_OPS)}); got an object with neither`);
    return undefined;
  }
  const kind = op.op;
  if (typeof kind !== 'string' || !has(CONTROL_FIELDS, kind)) {
    issues.error([...path, 'op'], `unknown op: ${expectedOneOf(CONTROL_OPS, kind)}`);
    return undefined;
  }
  return checkControl(c, path, op, kind);
}

function checkOps(c: Ctx, path: Path, list: unknown): Op[] | undefined {
  if (!Array.isArray(list)) {
    c.w.issues.error(path, `expected a list of ops (an array); got ${describe(list)}`);
    return undefined;
  }
  const out: Op[] = [];
  let ok = true;
  list.forEach((op, i) => {
    const n = checkOp(c, [...path, i], op);
    if (n) out.push(n);
    else ok = false;
  });
  return ok ? out : undefined;
}

function checkBody(c: Ctx, path: Path, body: unknown): RoutineBody | undefined {
  const issues = c.w.issues;
  if (Array.isArray(body)) return checkOps(c, path, body);
  if (!isObj(body) || !has(body, 'switch')) {
    issues.error(
      path,
      `expected a routine body: a list of ops, or a switch ({ "switch": "State" | "Event" | "Action", "cases": { … }, "default": [ … ] }); got ${describe(body)}`,
    );
    return undefined;
  }
  let ok = true;
  const on = body.switch;
  if (typeof on !== 'string' || !(SWITCH_ON as readonly string[]).includes(on)) {
    issues.error([...path, 'switch'], expectedOneOf(SWITCH_ON, on));
    ok = false;
  }
  const cases = makeMap<Op[]>();
  const rawCases = own(body, 'cases');
  if (!has(body, 'cases')) {
    issues.error([...path, 'cases'], 'missing "cases" of a switch: expected an object mapping constant values to op lists');
    ok = false;
  } else if (!isObj(rawCases)) {
    issues.error([...path, 'cases'], `expected an object mapping constant values to op lists; got ${describe(rawCases)}`);
    ok = false;
  } else {
    for (const k of keysOf(rawCases)) {
      if (!isConstant(k)) {
        issues.error([...path, 'cases', k], `a case must be a constant value of ${on as string} (e.g. KeProcessorAddStartNotify, GUID_DEVICE_INTERFACE_ARRIVAL, CM_NOTIFY_ACTION_DEVICEINTERFACEARRIVAL); got ${describe(k)}`);
        ok = false;
      }
      const ops = checkOps(c, [...path, 'cases', k], rawCases[k]);
      if (ops) cases[k] = ops;
      else ok = false;
    }
  }
  let dflt: Op[] | undefined;
  if (has(body, 'default')) {
    dflt = checkOps(c, [...path, 'default'], body.default);
    if (!dflt) ok = false;
  }
  if (!ok) return undefined;
  const out: RoutineBody = { switch: on as 'State' | 'Event' | 'Action', cases };
  if (dflt) out.default = dflt;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Components

function checkComponent(w: World, kind: ComponentKind, id: string, raw: unknown, path: Path): Required<ComponentSpec> {
  const issues = w.issues;
  const globals = makeMap<Value>();
  const routines = makeMap<RoutineBody>();
  const result = { globals, routines };
  if (!isObj(raw)) {
    issues.error(path, `expected ${kind === 'driver' ? 'a driver' : 'an app'}: an object with "globals" and "routines"; got ${describe(raw)}`);
    return result;
  }
  const declared = new Set<string>();
  const rawGlobals = own(raw, 'globals');
  if (rawGlobals !== undefined) {
    if (!isObj(rawGlobals)) {
      issues.error([...path, 'globals'], `expected an object mapping variable names to initial values; got ${describe(rawGlobals)}`);
    } else {
      for (const name of keysOf(rawGlobals)) {
        const p = [...path, 'globals', name];
        const okName = checkVarName(issues, p, name);
        const v = rawGlobals[name];
        let okValue = true;
        if (!(v === null || typeof v === 'boolean' || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))) {
          issues.error(p, `expected an initial value (a constant, a string, a number, a boolean or null); got ${describe(v)}`);
          okValue = false;
        } else if (typeof v === 'string' && v.startsWith('$')) {
          issues.error(p, `an initial value cannot be a callback argument; got ${describe(v)}`);
          okValue = false;
        }
        if (okName) declared.add(name);
        if (okName && okValue) globals[name] = v as Value;
      }
    }
  }
  const rawRoutines = own(raw, 'routines');
  const routineNames = new Set<string>();
  w.routines.set(id, routineNames);
  if (rawRoutines === undefined) return result;
  if (!isObj(rawRoutines)) {
    issues.error([...path, 'routines'], `expected an object mapping routine names to routine bodies; got ${describe(rawRoutines)}`);
    return result;
  }
  for (const name of keysOf(rawRoutines)) {
    if (isIdentifier(name)) routineNames.add(name);
    else issues.error([...path, 'routines', name], `expected a routine name matching ${ID_HINT}; got ${describe(name)}`);
    if (kind === 'driver' && name.startsWith('IRP_MN_') && !(IRP_MINORS as readonly string[]).includes(name)) {
      issues.warn([...path, 'routines', name], `${name} is not an IRP the playground sends; IRP handlers are ${listOf(IRP_MINORS, false)}`);
    }
  }
  collectWrites(rawRoutines, declared);
  const c: Ctx = { w, kind, id, declared, routineNames };
  for (const name of keysOf(rawRoutines)) {
    const body = checkBody(c, [...path, 'routines', name], rawRoutines[name]);
    if (body && routineNames.has(name)) routines[name] = body;
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Machine

interface MachineOut {
  processors: number;
  maxProcessors: number;
  memory: MemorySpec[];
  devices: Required<DeviceSpec>[];
  memoryIds: Map<string, string>; // id → JSON pointer of its definition
}

function checkMachine(w: World, raw: unknown, driverIds: ReadonlySet<string>): MachineOut {
  const issues = w.issues;
  const out: MachineOut = { processors: 1, maxProcessors: 64, memory: [], devices: [], memoryIds: new Map() };
  if (!isObj(raw)) return out; // absent (defaults) or already reported by the envelope
  const path = ['machine'];
  const scalarsOk = parseWith(issues, path, MachineSchema, raw);
  const p = own(raw, 'processors');
  const mp = own(raw, 'maxProcessors');
  if (scalarsOk) {
    if (typeof p === 'number') out.processors = p;
    if (typeof mp === 'number') out.maxProcessors = mp;
    if (out.processors > out.maxProcessors) {
      issues.error(
        [...path, 'processors'],
        `${out.processors} processors at boot is more than maxProcessors (${out.maxProcessors}${mp === undefined ? ', the default' : ''})`,
      );
    }
  }
  const mem = own(raw, 'memory');
  if (Array.isArray(mem)) {
    mem.forEach((m, i) => {
      const mpath = [...path, 'memory', i];
      if (!parseWith(issues, mpath, MemorySchema, m)) return;
      const mo = m as Obj;
      const id = mo.id as string;
      const prev = out.memoryIds.get(id);
      if (prev !== undefined) {
        issues.error([...mpath, 'id'], `duplicate memory module id ${JSON.stringify(id)} (already used at ${prev})`);
        return;
      }
      out.memoryIds.set(id, pointer(mpath));
      out.memory.push({ id, sizeMiB: mo.sizeMiB as number });
    });
  }
  const dev = own(raw, 'devices');
  const devicePaths = new Map<string, string>();
  const valid: { index: number; d: Obj }[] = [];
  if (Array.isArray(dev)) {
    dev.forEach((d, i) => {
      const dpath = [...path, 'devices', i];
      if (!parseWith(issues, dpath, DeviceSchema, d)) {
        // still register a well-formed id so references to it do not cascade into more errors
        if (isObj(d) && isIdentifier(own(d, 'id')) && !devicePaths.has(d.id as string)) {
          devicePaths.set(d.id as string, pointer(dpath));
          w.deviceIds.add(d.id as string);
        }
        return;
      }
      const dd = d as Obj;
      const id = dd.id as string;
      if (id === 'root') {
        issues.error([...dpath, 'id'], '"root" is reserved: it names the root of the device tree (the default parent)');
        return;
      }
      const prev = devicePaths.get(id);
      if (prev !== undefined) {
        issues.error([...dpath, 'id'], `duplicate device id ${JSON.stringify(id)} (already used at ${prev})`);
        return;
      }
      const memPrev = out.memoryIds.get(id);
      if (memPrev !== undefined) {
        issues.error([...dpath, 'id'], `${JSON.stringify(id)} is already the id of a memory module (${memPrev}); device and memory ids must be distinct`);
      }
      devicePaths.set(id, pointer(dpath));
      w.deviceIds.add(id);
      valid.push({ index: i, d: dd });
    });
  }
  const drivers = [...driverIds];
  const parentOf = new Map<string, string>();
  for (const { index, d } of valid) {
    const dpath = [...path, 'devices', index];
    const id = d.id as string;
    const parent = has(d, 'parent') ? (d.parent as string) : 'root';
    let ok = true;
    if (parent === id) {
      issues.error([...dpath, 'parent'], `device ${JSON.stringify(id)} cannot be its own parent`);
      ok = false;
    } else if (parent !== 'root' && !w.deviceIds.has(parent)) {
      issues.error(
        [...dpath, 'parent'],
        `unknown parent device ${JSON.stringify(parent)}; expected "root" or a device id (devices: ${listOf([...w.deviceIds], false)})${didYouMean(parent, w.deviceIds)}`,
      );
      ok = false;
    } else if (parent !== 'root') parentOf.set(id, parent);
    const stack = d.stack as string[];
    const seen = new Set<string>();
    stack.forEach((drv, j) => {
      if (!driverIds.has(drv)) {
        issues.error([...dpath, 'stack', j], unknownRef('driver', drv, drivers, 'drivers'));
        ok = false;
      } else if (seen.has(drv)) {
        issues.error([...dpath, 'stack', j], `driver ${JSON.stringify(drv)} appears twice in the stack of device ${JSON.stringify(id)}`);
        ok = false;
      }
      seen.add(drv);
    });
    const interfaces = has(d, 'interfaces') ? (copyArray(d.interfaces as unknown[]) as string[]) : [];
    if (ok) {
      out.devices.push({ id, parent, stack: copyArray(stack) as string[], interfaces, present: has(d, 'present') ? (d.present as boolean) : true });
    }
  }
  // Parent cycles: follow each chain; a chain that comes back to a device is a cycle, reported
  // once, at the cycle member that comes first in machine.devices.
  const indexOf = new Map(valid.map(({ index, d }) => [d.id as string, index]));
  const done = new Set<string>();
  for (const { d } of valid) {
    const id = d.id as string;
    if (done.has(id)) continue;
    const chain: string[] = [id];
    const onChain = new Set(chain);
    let cur = parentOf.get(id);
    while (cur !== undefined && !onChain.has(cur) && !done.has(cur)) {
      chain.push(cur);
      onChain.add(cur);
      cur = parentOf.get(cur);
    }
    chain.forEach((x) => done.add(x));
    if (cur === undefined || !onChain.has(cur)) continue;
    const cycle = chain.slice(chain.indexOf(cur));
    let first = cycle[0];
    for (const x of cycle) if (indexOf.get(x)! < indexOf.get(first)!) first = x;
    const k = cycle.indexOf(first);
    const ordered = [...cycle.slice(k), ...cycle.slice(0, k), first];
    issues.error(
      [...path, 'devices', indexOf.get(first)!, 'parent'],
      `device parents form a cycle (${ordered.join(' → ')}); every device must descend from "root"`,
    );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Timeline and schedule

function checkTimeline(w: World, raw: unknown[], memoryIds: ReadonlyMap<string, string>) {
  const issues = w.issues;
  const out: TimelineAction[] = [];
  const loaded = new Set<string>();
  const started = new Set<string>();
  const memory = new Map(memoryIds);
  raw.forEach((a, i) => {
    const path = ['timeline', i];
    if (!isObj(a)) {
      issues.error(path, `expected a timeline action ({ "do": ${listOf(VERBS)}, … }); got ${describe(a)}`);
      return;
    }
    const verb = own(a, 'do');
    if (!isVerb(verb)) {
      issues.error([...path, 'do'], has(a, 'do') ? expectedOneOf(VERBS, verb) : `missing "do"; expected one of ${listOf(VERBS)}`);
      return;
    }
    const schema = VERB_SCHEMAS[verb];
    const fields = keysOf(schema.shape);
    for (const k of keysOf(a)) {
      if (!fields.includes(k)) issues.warn([...path, k], `unknown field ${JSON.stringify(k)} of a "${verb}" action is ignored${didYouMean(k, fields)}`);
    }
    if (!parseWith(issues, path, schema, a)) return;
    let ok = true;
    const ref = (field: string, known: readonly string[], what: string, plural: string) => {
      const v = a[field] as string;
      if (!known.includes(v)) {
        issues.error([...path, field], unknownRef(what, v, known, plural));
        ok = false;
      }
      return v;
    };
    switch (verb) {
      case 'load':
        loaded.add(ref('driver', w.driverIds, 'driver', 'drivers'));
        break;
      case 'unload':
        ref('driver', w.driverIds, 'driver', 'drivers');
        break;
      case 'start':
        started.add(ref('app', w.appIds, 'app', 'apps'));
        break;
      case 'exit':
        ref('app', w.appIds, 'app', 'apps');
        break;
      case 'run': {
        const comp = a.component as string;
        const routine = a.routine as string;
        const names = w.routines.get(comp);
        if (!w.driverIds.includes(comp) && !w.appIds.includes(comp)) {
          const all = [...w.driverIds, ...w.appIds];
          issues.error(
            [...path, 'component'],
            `unknown component ${JSON.stringify(comp)}; expected a driver or app id (drivers: ${listOf(w.driverIds, false) || 'none'}; apps: ${listOf(w.appIds, false) || 'none'})${didYouMean(comp, all)}`,
          );
          ok = false;
        } else if (names && !names.has(routine)) {
          const kind = w.driverIds.includes(comp) ? 'driver' : 'app';
          issues.error(
            [...path, 'routine'],
            `unknown routine ${JSON.stringify(routine)} in ${kind} ${JSON.stringify(comp)} (routines: ${listOf([...names], false) || 'none'})${didYouMean(routine, names)}`,
          );
          ok = false;
        }
        break;
      }
      case 'hotAddMemory': {
        const id = a.id as string;
        const prev = memory.get(id);
        if (prev !== undefined) {
          issues.error([...path, 'id'], `memory module ${JSON.stringify(id)} already exists (${prev}); a hot-added module needs a new id`);
          ok = false;
        } else if (w.deviceIds.has(id)) {
          issues.error([...path, 'id'], `${JSON.stringify(id)} is already a device id; memory and device ids must be distinct`);
          ok = false;
        }
        if (prev === undefined) memory.set(id, pointer(path));
        break;
      }
      case 'removeMemory': {
        const id = a.id as string;
        if (!memory.has(id)) {
          issues.error([...path, 'id'], unknownRef('memory module', id, [...memory.keys()], 'memory modules present or hot-added before this action'));
          ok = false;
        }
        break;
      }
      case 'plug':
      case 'eject':
      case 'surpriseRemove':
        ref('device', [...w.deviceIds], 'device', 'devices');
        break;
      case 'hotAddProcessor':
      case 'removeProcessor':
        break;
    }
    if (!ok) return;
    const action: Record<string, unknown> = { do: verb };
    for (const k of fields) if (k !== 'do' && has(a, k)) action[k] = a[k];
    out.push(action as TimelineAction);
  });
  return { timeline: out, loaded, started };
}

function checkSchedule(w: World, raw: unknown[]): ScheduleOverride[] {
  const out: ScheduleOverride[] = [];
  raw.forEach((s, i) => {
    if (!isObj(s)) {
      w.issues.error(['schedule', i], `expected a schedule override ({ "step": k, "choice": n, "run": thread }); got ${describe(s)}`);
      return;
    }
    if (!parseWith(w.issues, ['schedule', i], ScheduleSchema, s)) return;
    const stable = has(s, 'step') || has(s, 'choice');
    if (stable && !(has(s, 'step') && has(s, 'choice'))) {
      w.issues.error(['schedule', i, has(s, 'step') ? 'choice' : 'step'], 'expected both "step" and "choice": a choice point is addressed by its timeline step and its ordinal within that step');
      return;
    }
    if (stable && has(s, 'at')) {
      w.issues.error(['schedule', i, 'at'], 'expected either "at" (the old form) or "step" + "choice", not both');
      return;
    }
    if (!stable && !has(s, 'at')) {
      w.issues.error(['schedule', i], 'expected "step" + "choice" (or the old "at") to say which choice point the override is for');
      return;
    }
    out.push(stable ? { step: s.step as number, choice: s.choice as number, run: s.run as string } : { at: s.at as number, run: s.run as string });
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Entry point

export interface ValidationOutcome {
  errors: ValidationError[];
  warnings: ValidationError[];
  /** Present when there are no errors. */
  scenario?: NormalizedScenario;
}

/**
 * Validates a scenario object (whose depth, format and limits the caller checked: see load.ts)
 * and builds the normalised scenario from own properties only.
 */
export function validateScenario(root: Obj): ValidationOutcome {
  const issues = new Issues();
  parseWith(issues, [], EnvelopeSchema, root);
  const w: World = { issues, driverIds: [], appIds: [], deviceIds: new Set(), routines: new Map() };

  // Component ids first: the machine's stacks and the timeline refer to them.
  const rawDrivers = own(root, 'drivers');
  const rawApps = own(root, 'apps');
  const driverMap = isObj(rawDrivers) ? rawDrivers : undefined;
  const appMap = isObj(rawApps) ? rawApps : undefined;
  for (const id of driverMap ? keysOf(driverMap) : []) {
    if (isIdentifier(id)) w.driverIds.push(id);
    else issues.error(['drivers', id], `expected a driver id matching ${ID_HINT}; got ${describe(id)}`);
  }
  for (const id of appMap ? keysOf(appMap) : []) {
    if (!isIdentifier(id)) issues.error(['apps', id], `expected an app id matching ${ID_HINT}; got ${describe(id)}`);
    else if (w.driverIds.includes(id)) {
      issues.error(['apps', id], `${JSON.stringify(id)} is already a driver id; drivers and apps share one namespace (trace entries name components by id)`);
    } else w.appIds.push(id);
  }

  const machine = checkMachine(w, own(root, 'machine'), new Set(w.driverIds));

  const drivers = makeMap<Required<ComponentSpec>>();
  const apps = makeMap<Required<ComponentSpec>>();
  for (const id of w.driverIds) drivers[id] = checkComponent(w, 'driver', id, driverMap![id], ['drivers', id]);
  for (const id of w.appIds) apps[id] = checkComponent(w, 'app', id, appMap![id], ['apps', id]);

  const rawTimeline = own(root, 'timeline');
  const { timeline, loaded, started } = checkTimeline(w, Array.isArray(rawTimeline) ? rawTimeline : [], machine.memoryIds);
  const rawSchedule = own(root, 'schedule');
  const schedule = checkSchedule(w, Array.isArray(rawSchedule) ? rawSchedule : []);

  // Warnings: code that can never run.
  const inStack = new Set(machine.devices.flatMap((d) => d.stack));
  for (const id of w.driverIds) {
    if (!inStack.has(id) && !loaded.has(id)) {
      issues.warn(['drivers', id], `driver "${id}" is in no device stack and no timeline "load" action loads it: its routines never run`);
    }
  }
  for (const id of w.appIds) {
    if (!started.has(id)) issues.warn(['apps', id], `app "${id}" is never started by the timeline ({ "do": "start", "app": "${id}" }): its routines never run`);
  }

  if (issues.errors.length > 0) return { errors: issues.errors, warnings: issues.warnings };
  const title = own(root, 'title');
  const description = own(root, 'description');
  const scenario: NormalizedScenario = {
    format: SCENARIO_FORMAT,
    title: typeof title === 'string' ? title : 'Untitled scenario',
    description: typeof description === 'string' ? description : '',
    machine: {
      processors: machine.processors,
      maxProcessors: machine.maxProcessors,
      memory: machine.memory,
      devices: machine.devices,
    },
    drivers,
    apps,
    timeline,
    schedule,
  };
  return { errors: [], warnings: issues.warnings, scenario };
}
