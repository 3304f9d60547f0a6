// API parameters, checked by the kind the engine's API table gives them (src/engine/api.ts).
import type { ApiName, ParamKind } from '../../engine/api.ts';
import { isConstant } from '../../engine/constants.ts';
import { describe, didYouMean, expectedOneOf, listOf, type Path } from '../errors.ts';
import { componentName, KIND_HINT, unknownRef, type Ctx } from './context.ts';
import { copyArray, has, isObj, keysOf, type Obj } from './own.ts';
import { checkValue, checkVarName } from './variables.ts';
import { FILTER_FIELDS, NOTIFICATION_FIELDS } from '../../engine/api.ts';

export const FILTER_TYPES = [
  'CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE',
  'CM_NOTIFY_FILTER_TYPE_DEVICEHANDLE',
  'CM_NOTIFY_FILTER_TYPE_DEVICEINSTANCE',
] as const;
export const POOLS = ['Paged', 'NonPaged'] as const;
/** NULL is accepted for these even though they are required: CM-1 shows the CR_INVALID_DATA case. */
export const NULLABLE_PARAMS = new Set(['CM_Register_Notification.pFilter', 'CM_Register_Notification.pCallback']);

export function checkFlags(c: Ctx, path: Path, v: unknown): string | string[] | undefined {
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

export function checkNumber(c: Ctx, path: Path, v: unknown): v is number {
  if (typeof v === 'number' && Number.isFinite(v)) return true;
  c.w.issues.error(path, `expected a number; got ${describe(v)}`);
  return false;
}

export function checkCustomData(c: Ctx, path: Path, v: unknown): string | number[] | undefined {
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

/** A device instance id written out (it has a backslash, so it is no variable name), or a value. */
export function checkInstanceId(c: Ctx, path: Path, v: unknown): boolean {
  if (typeof v === 'string' && v.includes('\\')) return true;
  return checkValue(c, path, v);
}

/** A CM_NOTIFY_FILTER or TARGET_DEVICE_CUSTOM_NOTIFICATION object, field by field. */
export function checkStruct(
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
        case 'instanceId':
          if (checkInstanceId(c, p, x)) out[k] = x;
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
export function checkParam(c: Ctx, path: Path, api: ApiName, param: string, kind: ParamKind, required: boolean, v: unknown): [boolean, unknown] {
  const issues = c.w.issues;
  switch (kind) {
    case 'value':
      return [checkValue(c, path, v), v];
    case 'instanceId':
      return [checkInstanceId(c, path, v), v];
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
