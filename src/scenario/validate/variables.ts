// Variables: names that are written (declared by a write anywhere in the component) and values
// that are read at run time.
import { ARG_NAMES, APIS, isApiName, type ParamKind } from '../../engine/api.ts';
import { isConstant } from '../../engine/constants.ts';
import { CONTROL_OPS, type FieldSpec } from '../grammar.ts';
import { ID_PATTERN, type Value } from '../types.ts';
import { closest, describe, didYouMean, listOf, type Issues, type Path } from '../errors.ts';
import { componentName, KIND_HINT, type Ctx } from './context.ts';
import { has, ID_HINT, isIdentifier, isObj, keysOf, own, type Obj } from './own.ts';

export const ARG_SET: ReadonlySet<string> = new Set(ARG_NAMES);
export const ARG_LIST = ARG_NAMES.map((a) => '$' + a);

/** Is `name` usable as a variable that is written? Reports why not. */
export function checkVarName(issues: Issues, path: Path, name: unknown, what = 'a variable name'): name is string {
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

export const isWritableName = (s: unknown): s is string => isIdentifier(s) && !isConstant(s);

/** Every variable the component writes somewhere (declaration scan, done before reads are checked). */
export function collectWrites(routines: Obj, out: Set<string>): void {
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
        // A control op: its `target` and `element` fields write variables, its `ops` fields nest.
        const name = own(op, 'op');
        if (typeof name !== 'string' || !has(CONTROL_OPS, name)) continue;
        const fields: Record<string, FieldSpec> = CONTROL_OPS[name as keyof typeof CONTROL_OPS];
        for (const k of keysOf(fields)) {
          const kind = fields[k].kind;
          if (kind === 'ops') stack.push(own(op, k));
          else if (kind === 'target' || kind === 'element') {
            const v = own(op, k);
            if (isWritableName(v)) out.add(v);
          }
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
export function checkVarRead(c: Ctx, path: Path, name: string): void {
  if (c.declared.has(name)) return;
  c.w.issues.error(
    path,
    `variable ${JSON.stringify(name)} is never declared or written in ${componentName(c)}${didYouMean(name, c.declared)}`,
  );
}

/** A Value read at run time: constant, `$Arg`, declared variable, number, boolean or null. */
export function checkValue(c: Ctx, path: Path, v: unknown): v is Value {
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
