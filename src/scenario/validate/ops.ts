// Ops, conditions and routine bodies, walked from the grammar (grammar.ts) and the engine's API
// table (src/engine/api.ts). Adding a control op or a condition needs no change here unless it
// brings a new field or operand kind.
import { APIS, isApiName, type ParamKind } from '../../engine/api.ts';
import { isConstant } from '../../engine/constants.ts';
import {
  CONDITIONS,
  CONDITION_NAMES,
  CONTROL_OPS,
  CONTROL_OP_NAMES,
  SWITCH_ON,
  type ControlOpName,
  type FieldSpec,
  type OperandKind,
  type SwitchOn,
} from '../grammar.ts';
import type { Cond, Op, RoutineBody, Value } from '../types.ts';
import { describe, didYouMean, expectedOneOf, listOf, type Path } from '../errors.ts';
import { KIND_HINT, type Ctx } from './context.ts';
import { has, isObj, keysOf, makeMap, own, type Obj } from './own.ts';
import { checkParam } from './params.ts';
import { checkValue, checkVarName, checkVarRead, isWritableName } from './variables.ts';

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
  const out = makeMap<unknown>();
  out.call = call;
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

/** How each operand kind is shown in the "expected a condition (…)" message. */
const OPERAND_SAMPLE: Record<OperandKind, string> = { value: 'v', cond: 'cond', pair: '[a, b]', listValue: '[list, v]' };

const CONDITION_FORMS = CONDITION_NAMES.map((k) => `{ ${JSON.stringify(k)}: ${OPERAND_SAMPLE[CONDITIONS[k]]} }`);
const CONDITION_HINT = `${CONDITION_FORMS.slice(0, -1).join(', ')} or ${CONDITION_FORMS[CONDITION_FORMS.length - 1]}`;

function checkCond(c: Ctx, path: Path, cond: unknown): Cond | undefined {
  const issues = c.w.issues;
  if (!isObj(cond)) {
    issues.error(path, `expected a condition (${CONDITION_HINT}); got ${describe(cond)}`);
    return undefined;
  }
  const keys = CONDITION_NAMES.filter((k) => has(cond, k));
  if (keys.length === 0) {
    const first = keysOf(cond)[0];
    issues.error(
      first === undefined ? path : [...path, first],
      first === undefined
        ? `expected a condition: an object with one of ${listOf(CONDITION_NAMES)}; got an empty object`
        : `unknown condition ${JSON.stringify(first)}; expected one of ${listOf(CONDITION_NAMES)}${didYouMean(first, CONDITION_NAMES)}`,
    );
    return undefined;
  }
  if (keys.length > 1) {
    issues.error(path, `a condition has exactly one operator; got ${listOf(keys)}`);
    return undefined;
  }
  const k = keys[0];
  const operand = checkOperand(c, [...path, k], CONDITIONS[k], cond[k]);
  return operand === undefined ? undefined : ({ [k]: operand.value } as Cond);
}

/** A condition's operand, by kind; undefined when it is invalid (errors reported). */
function checkOperand(c: Ctx, p: Path, kind: OperandKind, x: unknown): { value: unknown } | undefined {
  const issues = c.w.issues;
  switch (kind) {
    case 'value':
      return checkValue(c, p, x) ? { value: x as Value } : undefined;
    case 'cond': {
      const inner = checkCond(c, p, x);
      return inner ? { value: inner } : undefined;
    }
    case 'pair': {
      if (!Array.isArray(x) || x.length !== 2) {
        issues.error(p, `expected two values to compare ([a, b]); got ${describe(x)}${Array.isArray(x) ? ` of ${x.length}` : ''}`);
        return undefined;
      }
      const a = checkValue(c, [...p, 0], x[0]);
      const b = checkValue(c, [...p, 1], x[1]);
      return a && b ? { value: [x[0] as Value, x[1] as Value] } : undefined;
    }
    case 'listValue': {
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
      return ok && b ? { value: [list, x[1] as Value] } : undefined;
    }
  }
}

/** A control op, field by field in grammar order; the normalised op keeps that order. */
function checkControl(c: Ctx, path: Path, op: Obj, kind: ControlOpName): Op | undefined {
  const issues = c.w.issues;
  const fields: Record<string, FieldSpec> = CONTROL_OPS[kind];
  const known = ['op', ...keysOf(fields)];
  for (const k of keysOf(op)) {
    if (!known.includes(k)) {
      issues.warn([...path, k], `unknown field ${JSON.stringify(k)} of a "${kind}" op is ignored${didYouMean(k, known)}`);
    }
  }
  const out = makeMap<unknown>();
  out.op = kind;
  let ok = true;
  for (const k of keysOf(fields)) {
    const spec = fields[k];
    if (!has(op, k)) {
      if (spec.required) {
        issues.error([...path, k], `missing ${JSON.stringify(k)} of a "${kind}" op: expected ${spec.what}`);
        ok = false;
      }
      continue;
    }
    const field = checkField(c, [...path, k], spec, op[k]);
    if (field === undefined) ok = false;
    else out[k] = field.value;
  }
  return ok ? (out as Op) : undefined;
}

/** One field of a control op, by kind; undefined when it is invalid (errors reported). */
function checkField(c: Ctx, p: Path, spec: FieldSpec, x: unknown): { value: unknown } | undefined {
  const issues = c.w.issues;
  switch (spec.kind) {
    case 'value':
      return checkValue(c, p, x) ? { value: x } : undefined;
    case 'target':
      if (x === '*OperationStatus' || x === '*PnpDeviceState') return { value: x };
      if (typeof x === 'string' && x.startsWith('*')) {
        issues.error(p, `only "*OperationStatus" (the processor callback's out-parameter) and "*PnpDeviceState" (the PNP_DEVICE_STATE an IRP_MN_QUERY_PNP_DEVICE_STATE handler reports) can be written through a pointer; got ${describe(x)}`);
        return undefined;
      }
      return checkVarName(issues, p, x) ? { value: x } : undefined;
    case 'element':
      return checkVarName(issues, p, x, spec.what) ? { value: x } : undefined;
    case 'list':
      if (!isWritableName(x)) {
        issues.error(p, `expected ${spec.what}; got ${describe(x)}`);
        return undefined;
      }
      checkVarRead(c, p, x);
      return { value: x };
    case 'cond': {
      const cond = checkCond(c, p, x);
      return cond ? { value: cond } : undefined;
    }
    case 'ops': {
      const ops = checkOps(c, p, x);
      return ops ? { value: ops } : undefined;
    }
    case 'text':
      if (typeof x === 'string') return { value: x };
      issues.error(p, `expected ${spec.what}; got ${describe(x)}`);
      return undefined;
  }
}

export function checkOp(c: Ctx, path: Path, op: unknown): Op | undefined {
  const issues = c.w.issues;
  if (!isObj(op)) {
    issues.error(path, `expected an op: an object with "call" (an API name) or "op" (${listOf(CONTROL_OP_NAMES)}); got ${describe(op)}`);
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
    issues.error(path, `expected an op: an object with "call" (an API name) or "op" (${listOf(CONTROL_OP_NAMES)}); got an object with neither`);
    return undefined;
  }
  const kind = op.op;
  if (typeof kind !== 'string' || !has(CONTROL_OPS, kind)) {
    issues.error([...path, 'op'], `unknown op: ${expectedOneOf(CONTROL_OP_NAMES, kind)}`);
    return undefined;
  }
  return checkControl(c, path, op, kind as ControlOpName);
}

export function checkOps(c: Ctx, path: Path, list: unknown): Op[] | undefined {
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

export function checkBody(c: Ctx, path: Path, body: unknown): RoutineBody | undefined {
  const issues = c.w.issues;
  if (Array.isArray(body)) return checkOps(c, path, body);
  if (!isObj(body) || !has(body, 'switch')) {
    issues.error(
      path,
      `expected a routine body: a list of ops, or a switch ({ "switch": ${SWITCH_ON.map((s) => JSON.stringify(s)).join(' | ')}, "cases": { … }, "default": [ … ] }); got ${describe(body)}`,
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
  const out: RoutineBody = { switch: on as SwitchOn, cases };
  if (dflt) out.default = dflt;
  return out;
}