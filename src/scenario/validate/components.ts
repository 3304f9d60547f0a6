// A driver or an app: its globals (initial values) and routines.
import { IRP_MINORS } from '../../engine/api.ts';
import type { ComponentSpec, RoutineBody, Value } from '../types.ts';
import { describe, listOf, type Path } from '../errors.ts';
import type { ComponentKind, Ctx, World } from './context.ts';
import { checkBody } from './ops.ts';
import { ID_HINT, isIdentifier, isObj, keysOf, makeMap, own } from './own.ts';
import { checkVarName, collectWrites } from './variables.ts';

export function checkComponent(w: World, kind: ComponentKind, id: string, raw: unknown, path: Path): Required<ComponentSpec> {
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
