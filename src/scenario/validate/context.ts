// State shared by the semantic checks: the ids seen so far and the component being checked.
import type { ParamKind } from '../../engine/api.ts';
import { describe, didYouMean, listOf, type Issues } from '../errors.ts';

export interface World {
  issues: Issues;
  driverIds: string[];
  appIds: string[];
  deviceIds: Set<string>;
  /** Routine names per component id. */
  routines: Map<string, Set<string>>;
}

export type ComponentKind = 'driver' | 'app';

export interface Ctx {
  w: World;
  kind: ComponentKind;
  id: string;
  declared: Set<string>;
  routineNames: Set<string>;
}

export const componentName = (c: Ctx) => `${c.kind} "${c.id}"`;

export function unknownRef(what: string, name: unknown, known: readonly string[], plural: string): string {
  const hint = typeof name === 'string' ? didYouMean(name, known) : '';
  const list = known.length === 0 ? `no ${plural} are defined` : `${plural}: ${listOf(known, false)}`;
  return typeof name === 'string'
    ? `unknown ${what} ${JSON.stringify(name)} (${list})${hint}`
    : `expected a ${what} id (${list}); got ${describe(name)}`;
}

export const KIND_HINT: Record<ParamKind, string> = {
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
  instanceId: 'a device instance id (e.g. "ROOT\\\\TOASTER0\\\\0000", "ACPI\\\\ACPI0007\\\\1") or a value',
};
