// The machine: processors, memory modules and devices (ids, parents, stacks, interfaces).
import type { DeviceSpec, MemorySpec } from '../types.ts';
import { didYouMean, listOf, pointer } from '../errors.ts';
import { unknownRef, type World } from './context.ts';
import { copyArray, has, isIdentifier, isObj, own, type Obj } from './own.ts';
import { DeviceSchema, MachineSchema, MemorySchema, parseWith } from './structure.ts';

export interface MachineOut {
  processors: number;
  maxProcessors: number;
  memory: MemorySpec[];
  devices: Required<DeviceSpec>[];
  memoryIds: Map<string, string>; // id → JSON pointer of its definition
}

export function checkMachine(w: World, raw: unknown, driverIds: ReadonlySet<string>): MachineOut {
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
