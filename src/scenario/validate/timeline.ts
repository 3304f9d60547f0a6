// The timeline (gestures, with references to drivers, apps, routines, devices and memory) and the
// schedule overrides.
import type { ActionStart, ScheduleOverride, TimelineAction } from '../types.ts';
import { parsePointer } from '../jsonpath.ts';
import { describe, didYouMean, expectedOneOf, listOf, pointer } from '../errors.ts';
import { unknownRef, type World } from './context.ts';
import { has, isObj, keysOf, makeMap, own, type Obj } from './own.ts';
import { isVerb, parseWith, ScheduleSchema, VERB_SCHEMAS, VERBS } from './structure.ts';

/** Is `pointer` the JSON pointer of an op in a routine of a driver or app (`/drivers/<id>/routines/<name>/…`)? */
function isOpPointer(components: Obj, pointer: string): boolean {
  const tokens = parsePointer(pointer);
  if (!tokens || tokens.length < 4 || (tokens[0] !== 'drivers' && tokens[0] !== 'apps') || tokens[2] !== 'routines') return false;
  let x: unknown = components;
  for (const t of tokens) {
    if (typeof x !== 'object' || x === null || !Object.hasOwn(x, t)) return false;
    x = (x as Obj)[t];
  }
  return isObj(x) && (has(x, 'call') || has(x, 'op'));
}

/** `during` of action `i`: an earlier step (0 = boot), and exactly one of `choice` and `op` (an op of the scenario). */
function checkDuring(w: World, path: (string | number)[], i: number, a: Obj, components: Obj): ActionStart | undefined {
  const d = a.during as ActionStart;
  const at = [...path, 'during'];
  if (a.concurrent === true) {
    w.issues.error([...path, 'concurrent'], 'an action has either "concurrent" (start right after the previous action) or "during" (start inside an earlier one), not both');
    return undefined;
  }
  if (d.step > i) {
    w.issues.error([...at, 'step'], `expected the step of an earlier action (0 = boot … ${i}); this action is step ${i + 1}`);
    return undefined;
  }
  if ((d.choice === undefined) === (d.op === undefined)) {
    w.issues.error(at, 'expected exactly one of "choice" (a choice point of that step, as in `schedule`) and "op" (the JSON pointer of an op a thread is about to run)');
    return undefined;
  }
  if (d.op !== undefined && !isOpPointer(components, d.op)) {
    w.issues.error([...at, 'op'], `expected the JSON pointer of an op in a routine (e.g. "/apps/monitor/routines/OnDevice/cases/CM_NOTIFY_ACTION_DEVICEQUERYREMOVE/0"); got ${describe(d.op)}`);
    return undefined;
  }
  return d.choice !== undefined ? { step: d.step, choice: d.choice } : { step: d.step, op: d.op };
}

/** `components`: the validated drivers and apps (`{ drivers, apps }`), to resolve `during.op`. */
export function checkTimeline(w: World, raw: unknown[], memoryIds: ReadonlyMap<string, string>, components: Obj = {}) {
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
    const during = has(a, 'during') ? checkDuring(w, path, i, a, components) : undefined;
    if (has(a, 'during') && !during) ok = false;
    if (!ok) return;
    const action = makeMap<unknown>();
    action.do = verb;
    for (const k of fields) if (k !== 'do' && has(a, k)) action[k] = k === 'during' ? during : a[k];
    out.push(action as TimelineAction);
  });
  return { timeline: out, loaded, started };
}

export function checkSchedule(w: World, raw: unknown[]): ScheduleOverride[] {
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
