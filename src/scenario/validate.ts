// Validation of scenario format v1 (docs/scenario-format.md) and normalisation to
// NormalizedScenario. `load` (load.ts) is the only caller: it migrates and runs the raw checks first.
//
// Two layers, one module per concern under validate/:
//  - structural (structure.ts): zod schemas for the plain-data parts (machine, memory, devices,
//    timeline actions, schedule, envelope scalars), converted to JSON-Pointer errors with
//    "expected …; got …" text;
//  - semantic: checks walked from the op grammar (grammar.ts) and the engine's API table
//    (ops.ts, params.ts, variables.ts), and the cross references (components.ts, machine.ts,
//    timeline.ts: stacks, parents, devices, drivers, apps, routines, memory ids).
// raw.ts holds the checks that run before validation (depth and size, format, hard limits).
//
// Everything is read from own properties only, and every map of the normalised scenario is a
// null-prototype object, so hostile keys (`__proto__`, `constructor`) are plain data.
// Recursion is bounded: callers run `checkDepth` first (nesting ≤ LIMITS.depth).
import './zod-config.ts'; // first: before any zod schema is built (CSP forbids eval)

import { SCENARIO_FORMAT, type ComponentSpec, type NormalizedScenario } from './types.ts';
import { describe, Issues, type ValidationError } from './errors.ts';
import { checkComponent } from './validate/components.ts';
import type { World } from './validate/context.ts';
import { checkMachine } from './validate/machine.ts';
import { ID_HINT, isIdentifier, isObj, keysOf, makeMap, own, type Obj } from './validate/own.ts';
import { EnvelopeSchema, parseWith } from './validate/structure.ts';
import { checkSchedule, checkTimeline } from './validate/timeline.ts';

export { isObj } from './validate/own.ts';
export { checkDepth, checkFormat, checkLimits, MAX_JSON_VALUES, type FormatCheck } from './validate/raw.ts';

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
  const { timeline, loaded, started } = checkTimeline(w, Array.isArray(rawTimeline) ? rawTimeline : [], machine.memoryIds, { drivers, apps });
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
