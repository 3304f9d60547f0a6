// Everything the scenario can ever have — every processor (boot + hot-adds), memory module,
// device, driver and app — computed from the scenario alone. The graph lays this out once per
// scenario, so nodes never jump while the user steps: an entity that does not exist yet at the
// cursor is drawn as a ghost in its final place.
import type { NormalizedScenario, Op, RoutineBody } from '../../scenario/types.ts';

export interface DeviceInfo {
  id: string;
  parent: string;
  stack: string[];
  interfaces: string[];
  present: boolean;
}

export interface Universe {
  /** Processors NtNumber 0…processors − 1 (boot + hot-adds, capped by maxProcessors). */
  processors: number;
  bootProcessors: number;
  memory: { id: string; sizeMiB: number }[];
  devices: DeviceInfo[];
  drivers: string[];
  apps: string[];
  /** Interface class → devices exposing it. */
  classDevices: Map<string, string[]>;
  /** Per component: the graph nodes it is likely to talk to (for ordering the component column). */
  affinity: Map<string, string[]>;
}

export const PARTITION_CLASSES = new Set(['GUID_DEVICE_PROCESSOR', 'GUID_DEVICE_MEMORY']);

export function universeOf(s: NormalizedScenario): Universe {
  let processors = s.machine.processors;
  const memory = s.machine.memory.map((m) => ({ id: m.id, sizeMiB: m.sizeMiB }));
  for (const a of s.timeline) {
    if (a.do === 'hotAddProcessor') processors++;
    else if (a.do === 'hotAddMemory' && !memory.some((m) => m.id === a.id)) memory.push({ id: a.id, sizeMiB: a.sizeMiB });
  }
  processors = Math.max(s.machine.processors, Math.min(processors, s.machine.maxProcessors));
  const devices: DeviceInfo[] = s.machine.devices.map((d) => ({
    id: d.id,
    parent: d.parent && d.parent !== 'root' && s.machine.devices.some((p) => p.id === d.parent) ? d.parent : 'root',
    stack: [...d.stack],
    interfaces: [...d.interfaces],
    present: d.present,
  }));
  const classDevices = new Map<string, string[]>();
  for (const d of devices) {
    for (const c of d.interfaces) {
      const list = classDevices.get(c) ?? [];
      list.push(d.id);
      classDevices.set(c, list);
    }
  }
  const affinity = new Map<string, string[]>();
  const deviceOfDriver = new Map<string, string[]>();
  for (const d of devices) for (const drv of d.stack) deviceOfDriver.set(drv, [...(deviceOfDriver.get(drv) ?? []), `dev:${d.id}`]);
  const componentAffinity = (id: string, body: Record<string, RoutineBody>) => {
    const out = new Set<string>(deviceOfDriver.get(id) ?? []);
    for (const str of strings(body)) {
      if (str === 'KeRegisterProcessorChangeCallback' || PARTITION_CLASSES.has(str)) out.add('partition');
      for (const dev of classDevices.get(str) ?? []) out.add(`dev:${dev}`);
      if (devices.some((d) => d.id === str)) out.add(`dev:${str}`);
    }
    return [...out];
  };
  for (const [id, c] of Object.entries(s.drivers)) affinity.set(`drv:${id}`, componentAffinity(id, c.routines));
  for (const [id, c] of Object.entries(s.apps)) affinity.set(`app:${id}`, componentAffinity(id, c.routines));
  return {
    processors,
    bootProcessors: s.machine.processors,
    memory,
    devices,
    drivers: Object.keys(s.drivers),
    apps: Object.keys(s.apps),
    classDevices,
    affinity,
  };
}

/** Every string in a component's routines (call names, arguments, filter fields). */
function strings(routines: Record<string, RoutineBody>): Set<string> {
  const out = new Set<string>();
  const value = (v: unknown) => {
    if (typeof v === 'string') out.add(v);
    else if (Array.isArray(v)) v.forEach(value);
    else if (v && typeof v === 'object') Object.values(v).forEach(value);
  };
  const ops = (list: readonly Op[]) => list.forEach(value);
  for (const body of Object.values(routines)) {
    if (Array.isArray(body)) ops(body);
    else {
      Object.values(body.cases).forEach(ops);
      if (body.default) ops(body.default);
    }
  }
  return out;
}
