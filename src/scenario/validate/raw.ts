// Checks on the raw value that run before validation (iterative: they never recurse on hostile
// input): nesting depth and size, the `format` field, and the hard limits (docs/scenario-format.md).
import { NESTED_OP_FIELDS } from '../grammar.ts';
import { formatVersion } from '../migrations.ts';
import { LIMITS, SCENARIO_FORMAT } from '../types.ts';
import { describe, pointer, type ValidationError } from '../errors.ts';
import { has, isObj, keysOf, own, type Obj } from './own.ts';

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

const CURRENT_VERSION = formatVersion(SCENARIO_FORMAT)!;

/** `format` is required: SCENARIO_FORMAT; a higher version is refused with a "newer version" message. */
export function checkFormat(root: Obj): FormatCheck {
  const f = own(root, 'format');
  if (f === SCENARIO_FORMAT) return { kind: 'ok' };
  if (typeof f === 'string') {
    const version = formatVersion(f);
    if (version !== undefined && version > CURRENT_VERSION) {
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
export function countOps(body: unknown): number {
  let n = 0;
  const stack: unknown[] = [body];
  while (stack.length > 0) {
    const b = stack.pop();
    if (Array.isArray(b)) {
      for (const op of b) {
        n++;
        if (isObj(op)) for (const k of NESTED_OP_FIELDS) if (has(op, k)) stack.push(op[k]);
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

/** Hard limits (docs/scenario-format.md §6). Any error here means the scenario is refused as a whole. */
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
