import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { findJsonError, lineColumn, load, loadText, type LoadResult } from './load.ts';
import { APIS } from '../engine/api.ts';
import { LIMITS } from './types.ts';

// docs/scenario-format.md §8 (seed 000)
const SEED_000 = `{
  "format": "pnp-scenario/1",
  "title": "Synchronous processor notification",
  "machine": { "processors": 2, "maxProcessors": 4 },
  "drivers": {
    "sampledrv": {
      "globals": { "CallbackStatus": "STATUS_SUCCESS" },
      "routines": {
        "DriverEntry": [
          { "call": "KeRegisterProcessorChangeCallback", "CallbackFunction": "SyncProcessorCallback",
            "CallbackContext": "CallbackStatus", "Flags": ["KE_PROCESSOR_CHANGE_ADD_EXISTING"],
            "result": "CallbackRegistrationHandle" },
          { "op": "if", "cond": { "isNull": "CallbackRegistrationHandle" }, "then": [
            { "op": "if", "cond": { "not": { "eq": ["CallbackStatus", "STATUS_SUCCESS"] } },
              "then": [ { "op": "return", "value": "CallbackStatus" } ],
              "else": [ { "op": "return", "value": "STATUS_UNSUCCESSFUL" } ] } ] }
        ],
        "Unload": [ { "call": "KeDeregisterProcessorChangeCallback", "CallbackHandle": "CallbackRegistrationHandle" } ],
        "SyncProcessorCallback": { "switch": "State", "cases": {
          "KeProcessorAddStartNotify": [ { "op": "note", "text": "allocate per-processor data" } ],
          "KeProcessorAddCompleteNotify": [],
          "KeProcessorAddFailureNotify": [ { "op": "note", "text": "free per-processor data" } ] } }
      }
    }
  },
  "timeline": [ { "do": "load", "driver": "sampledrv" }, { "do": "hotAddProcessor" }, { "do": "unload", "driver": "sampledrv" } ]
}`;

// A user-mode scenario (seed 002 style) with a device, used as a second starting point for mutations.
const CM_APP = {
  format: 'pnp-scenario/1',
  machine: { devices: [{ id: 'toaster0', stack: ['toaster'], interfaces: ['GUID_DEVINTERFACE_TOASTER'] }] },
  drivers: {
    toaster: {
      routines: {
        IRP_MN_QUERY_REMOVE_DEVICE: [{ op: 'return', value: 'STATUS_SUCCESS' }],
        Raise: [{ call: 'IoReportTargetDeviceChange', PhysicalDeviceObject: 'toaster0', NotificationStructure: { Event: 'GUID_TOASTER_CUSTOM', CustomData: 'hi' } }],
      },
    },
  },
  apps: {
    monitor: {
      globals: { Seen: null },
      routines: {
        main: [
          { call: 'CM_Register_Notification', pFilter: { FilterType: 'CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE', ClassGuid: 'GUID_DEVINTERFACE_TOASTER' }, pContext: null, pCallback: 'OnInterface', pNotifyContext: 'hInterfaceNotify', result: 'cr' },
          { call: 'CM_Get_Device_Interface_List', InterfaceClassGuid: 'GUID_DEVINTERFACE_TOASTER', Buffer: 'Links', result: 'cr' },
          { op: 'forEach', in: 'Links', as: 'Link', do: [{ call: 'CreateFile', lpFileName: 'Link', result: 'hDevice' }] },
        ],
        OnInterface: {
          switch: 'Action',
          cases: { CM_NOTIFY_ACTION_DEVICEINTERFACEARRIVAL: [{ op: 'if', cond: { contains: ['Seen', '$SymbolicLink'] }, then: [{ op: 'return' }] }] },
          default: [{ call: 'QueueUserWorkItem', Function: 'Cleanup', Context: '$hNotify' }],
        },
        Cleanup: [{ call: 'CM_Unregister_Notification', NotifyContext: 'hInterfaceNotify' }],
      },
    },
  },
  timeline: [{ do: 'start', app: 'monitor' }, { do: 'eject', device: 'toaster0', concurrent: true }, { do: 'run', component: 'toaster', routine: 'Raise' }],
  schedule: [{ at: 12, run: 'pnp' }],
};

function ok(r: LoadResult) {
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return r;
}
function errorsOf(r: LoadResult) {
  if (r.ok) throw new Error('expected the scenario to be refused');
  return r.errors;
}

describe('load: seed 000 (docs/scenario-format.md §8)', () => {
  it('loads from text and from a parsed value, with no warnings', () => {
    const r = ok(loadText(SEED_000));
    expect(r.warnings).toEqual([]);
    expect(ok(load(JSON.parse(SEED_000))).scenario).toEqual(r.scenario);
    const s = r.scenario;
    expect(s.title).toBe('Synchronous processor notification');
    expect(s.description).toBe('');
    expect(s.machine).toEqual({ processors: 2, maxProcessors: 4, memory: [], devices: [] });
    expect(Object.keys(s.drivers)).toEqual(['sampledrv']);
    expect(s.apps).toEqual({});
    expect(s.drivers.sampledrv.globals).toEqual({ CallbackStatus: 'STATUS_SUCCESS' });
    expect(Object.keys(s.drivers.sampledrv.routines)).toEqual(['DriverEntry', 'Unload', 'SyncProcessorCallback']);
    expect(s.timeline).toEqual([{ do: 'load', driver: 'sampledrv' }, { do: 'hotAddProcessor' }, { do: 'unload', driver: 'sampledrv' }]);
    expect(s.schedule).toEqual([]);
  });

  it('the normalised scenario is JSON data that loads to itself', () => {
    const s = ok(loadText(SEED_000)).scenario;
    const again = ok(loadText(JSON.stringify(s))).scenario;
    expect(JSON.stringify(again)).toBe(JSON.stringify(s));
  });
});

describe('load: normalisation', () => {
  it('fills every default', () => {
    const s = ok(load({ format: 'pnp-scenario/1' })).scenario;
    expect(s).toEqual({
      format: 'pnp-scenario/1',
      title: 'Untitled scenario',
      description: '',
      machine: { processors: 1, maxProcessors: 64, memory: [], devices: [] },
      drivers: {},
      apps: {},
      timeline: [],
      schedule: [],
    });
  });

  it('fills device and component defaults', () => {
    const s = ok(
      load({
        format: 'pnp-scenario/1',
        machine: { devices: [{ id: 'd0', stack: ['drv'] }] },
        drivers: { drv: {} },
        apps: { app: { globals: {} } },
        timeline: [{ do: 'start', app: 'app' }],
      }),
    ).scenario;
    expect(s.machine.devices).toEqual([{ id: 'd0', parent: 'root', stack: ['drv'], interfaces: [], present: true }]);
    expect(s.drivers.drv).toEqual({ globals: {}, routines: {} });
    expect(s.apps.app).toEqual({ globals: {}, routines: {} });
  });

  it('builds a fresh object: editing the result does not touch the input', () => {
    const input = structuredClone(CM_APP);
    const s = ok(load(input)).scenario;
    s.machine.devices[0].stack.push('x');
    (s.apps.monitor.routines.main as unknown[]).length = 0;
    expect(input).toEqual(CM_APP);
  });

  it('maps of scenario-chosen names have no prototype', () => {
    const s = ok(load(CM_APP)).scenario;
    for (const map of [s.drivers, s.apps, s.apps.monitor.globals, s.apps.monitor.routines]) {
      expect(Object.getPrototypeOf(map)).toBe(null);
    }
    const body = s.apps.monitor.routines.OnInterface as { cases: object };
    expect(Object.getPrototypeOf(body.cases)).toBe(null);
  });
});

describe('load: the root value', () => {
  it.each([
    ['null', null, 'got null'],
    ['an array', [], 'got an empty array'],
    ['a string', 'pnp-scenario/1', 'got "pnp-scenario/1"'],
    ['a number', 5, 'got the number 5'],
    ['undefined', undefined, 'got nothing'],
  ])('refuses %s with a root error', (_name, input, fragment) => {
    const errors = errorsOf(load(input));
    expect(errors).toHaveLength(1);
    expect(errors[0].path).toBe('');
    expect(errors[0].message).toContain('expected a scenario: a JSON object with "format": "pnp-scenario/1"');
    expect(errors[0].message).toContain(fragment);
  });
});

describe('load: format versions', () => {
  it('refuses a newer format with newerVersion, and only that error', () => {
    const r = load({ format: 'pnp-scenario/2', machine: 'whatever', drivers: 3 });
    expect(r).toEqual({
      ok: false,
      newerVersion: true,
      errors: [{ path: '/format', message: 'this scenario was made by a newer version of the playground (pnp-scenario/2); this version reads pnp-scenario/1' }],
    });
    expect(loadText('{"format":"pnp-scenario/17"}')).toMatchObject({ ok: false, newerVersion: true, errors: [{ path: '/format', message: expect.stringContaining('(pnp-scenario/17)') }] });
  });

  it.each([['pnp-scenario/0'], ['pnp-scenario/01'], ['pnp-scenario'], ['PNP-SCENARIO/1'], [1]])('refuses format %j as invalid, not newer', (format) => {
    const r = load({ format });
    expect(r.ok).toBe(false);
    expect(r.ok ? undefined : r.newerVersion).toBeUndefined();
    expect(errorsOf(r)[0]).toMatchObject({ path: '/format', message: expect.stringContaining('expected "format": "pnp-scenario/1"') });
  });

  it('still validates the rest when the format is wrong', () => {
    const errors = errorsOf(load({ format: 'nope', title: 3 }));
    expect(errors.map((e) => e.path)).toEqual(['/format', '/title']);
  });
});

describe('load: hard limits (docs/scenario-format.md §6)', () => {
  const notes = (n: number) => Array.from({ length: n }, () => ({ op: 'note', text: 'x' }));

  it('1,024 processors + memory modules + devices', () => {
    const memory = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `m${i}`, sizeMiB: 1 }));
    ok(load({ format: 'pnp-scenario/1', machine: { processors: 1, memory: memory(1023) } }));
    const errors = errorsOf(load({ format: 'pnp-scenario/1', machine: { processors: 2, memory: memory(1023) } }));
    expect(errors).toEqual([{ path: '/machine', message: 'the machine has 1,025 processors + memory modules + devices (2 + 1,023 + 0); the limit is 1,024 in all' }]);
  });

  it('processors ≤ maxProcessors ≤ 1,024', () => {
    ok(load({ format: 'pnp-scenario/1', machine: { processors: 1024, maxProcessors: 1024 } }));
    expect(errorsOf(load({ format: 'pnp-scenario/1', machine: { maxProcessors: 1025 } }))[0].path).toBe('/machine/maxProcessors');
  });

  it('256 drivers + apps', () => {
    const comps = (n: number, prefix: string) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, {}]));
    const fine = ok(load({ format: 'pnp-scenario/1', drivers: comps(128, 'd'), apps: comps(128, 'a') }));
    expect(Object.keys(fine.scenario.drivers)).toHaveLength(128);
    const errors = errorsOf(load({ format: 'pnp-scenario/1', drivers: comps(200, 'd'), apps: comps(57, 'a') }));
    expect(errors).toEqual([{ path: '', message: 'the scenario has 257 drivers + apps; the limit is 256 in all' }]);
  });

  it('100,000 ops in all, nested ops included', () => {
    ok(load({ format: 'pnp-scenario/1', drivers: { d: { routines: { A: notes(60_000), B: notes(40_000) } } }, timeline: [{ do: 'load', driver: 'd' }] }));
    const nested = Array.from({ length: 50_001 }, () => ({ op: 'if', cond: { eq: [1, 1] }, then: [{ op: 'note', text: 'x' }] }));
    const errors = errorsOf(load({ format: 'pnp-scenario/1', drivers: { d: { routines: { A: nested } } } }));
    expect(errors).toEqual([{ path: '', message: 'the scenario has 100,002 ops in all (nested ops included); the limit is 100,000' }]);
    const inSwitch = { switch: 'State', cases: { KeProcessorAddStartNotify: notes(100_000) }, default: notes(1) };
    expect(errorsOf(load({ format: 'pnp-scenario/1', apps: { a: { routines: { cb: inSwitch } } } }))[0].message).toContain('100,001 ops');
  });

  it('JSON nesting depth 64, checked on the raw value', () => {
    const nest = (n: number): unknown => {
      let v: unknown = [];
      for (let i = 1; i < n; i++) v = [v];
      return v;
    };
    // the root object is level 1, so 63 nested arrays reach 64
    ok(load({ format: 'pnp-scenario/1', extra: nest(63) }));
    const errors = errorsOf(load({ format: 'pnp-scenario/1', extra: nest(64) }));
    expect(errors).toHaveLength(1);
    expect(errors[0].path).toBe('/extra' + '/0'.repeat(63));
    expect(errors[0].message).toBe('JSON nesting is deeper than 64 levels; the limit is 64');
    // deep hostile input is refused without recursion
    expect(errorsOf(load(nest(100_000)))[0].message).toContain('deeper than 64');
  });

  it('JSON nesting depth 64 in text, reported with its line and column, before any syntax error', () => {
    const deep = '{"format":"pnp-scenario/1","x":' + '['.repeat(64) + ']'.repeat(64) + '}';
    const errors = errorsOf(loadText(deep));
    expect(errors).toEqual([{ path: '', message: 'JSON nesting is deeper than 64 levels (at line 1, column 95); the limit is 64' }]);
    ok(loadText('{"format":"pnp-scenario/1","x":' + '['.repeat(63) + ']'.repeat(63) + ', "y": "[[[[{{{{"}'));
    expect(errorsOf(loadText('['.repeat(500_000)))[0].message).toContain('deeper than 64');
    expect(errorsOf(loadText(`{"format":"pnp-scenario/1","x":${'['.repeat(70)}1,,]`))).toEqual([{ path: '', message: 'JSON nesting is deeper than 64 levels (at line 1, column 95); the limit is 64' }]);
  });

  it('1 MiB of JSON text, checked before parsing (UTF-8 bytes)', () => {
    const head = '{"format":"pnp-scenario/1","description":"';
    const tail = '"}';
    const exact = head + 'x'.repeat(LIMITS.bytes - head.length - tail.length) + tail;
    expect(exact.length).toBe(LIMITS.bytes);
    ok(loadText(exact));
    const over = head + 'x'.repeat(LIMITS.bytes) + tail;
    expect(errorsOf(loadText(over))).toEqual([{ path: '', message: 'the scenario is more than 1 MiB of JSON text; the limit is 1 MiB (1,048,576 bytes)' }]);
    // 600,000 two-byte characters: fewer UTF-16 units than the limit, more bytes
    expect(errorsOf(loadText(head + 'é'.repeat(600_000) + tail))[0].message).toContain('more than 1 MiB');
    // invalid JSON over the limit: the size is reported, the text is never parsed
    expect(errorsOf(loadText('{'.repeat(LIMITS.bytes + 1)))[0].message).toContain('more than 1 MiB');
  });
});

describe('loadText: JSON syntax errors', () => {
  it.each([
    ['{\n  "format": "pnp-scenario/1",\n  "title": "x",\n}', 4, 1, 'expected a property name in double quotes; found "}"'],
    ['{\n  "a": [1, 2,]\n}', 2, 14, 'expected a value; found "]"'],
    ['{\n  "a": tru\n}', 2, 8, 'unexpected "tru"; expected a value (strings need double quotes)'],
    ['{ format: 1 }', 1, 3, 'expected a property name in double quotes; found "f"'],
    ['{"a": "b"\n "c": 1}', 2, 2, 'expected "," or "}" after a property value; found "\\""'],
    ['{"a": "unterminated', 1, 20, 'unterminated string'],
    ['{"a": "line\nbreak"}', 1, 12, 'a control character'],
    ['{"a": "\\q"}', 1, 8, 'invalid escape "\\\\q"'],
    ['{"a": 01}', 1, 8, 'invalid number; found "1"'],
    ['{"a": 1} x', 1, 10, 'unexpected text after the end of the JSON value'],
    ['', 1, 1, 'unexpected end of the text; expected a value'],
    ['{"a":', 1, 6, 'unexpected end of the text; expected a value'],
    ["{'a': 1}", 1, 2, 'expected a property name in double quotes'],
  ])('%j → line %i, column %i', (text, line, column, fragment) => {
    const errors = errorsOf(loadText(text));
    expect(errors).toHaveLength(1);
    expect(errors[0].path).toBe('');
    expect(errors[0].message).toContain(`JSON syntax error at line ${line}, column ${column}: `);
    expect(errors[0].message).toContain(fragment);
  });

  it('accepts a byte-order mark', () => {
    ok(loadText('\uFEFF{"format":"pnp-scenario/1"}'));
  });

  it('lineColumn counts from 1', () => {
    expect(lineColumn('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });

  it('the scanner accepts exactly what JSON.parse accepts', () => {
    const parses = (s: string) => {
      try {
        JSON.parse(s);
        return true;
      } catch {
        return false;
      }
    };
    fc.assert(fc.property(fc.json(), (s) => findJsonError(s) === undefined), { numRuns: 300 });
    const token = fc.constantFrom('{', '}', '[', ']', ',', ':', '"a"', '"', '\\', '1', '-', '0', '.', 'e', '+', 'true', 'nul', ' ', '\n', 'x', '\\u00e9', '\t', '\u0001');
    fc.assert(
      fc.property(fc.array(token, { maxLength: 20 }), (parts) => {
        const s = parts.join('');
        expect(findJsonError(s) === undefined).toBe(parses(s));
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.json(), fc.nat(), fc.nat(), (s, a, b) => {
        const cut = s.slice(0, a % (s.length + 1)) + s.slice(Math.min(s.length, (a % (s.length + 1)) + (b % 3)));
        expect(findJsonError(cut) === undefined).toBe(parses(cut));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('load: hostile input', () => {
  it('__proto__, constructor and prototype keys are plain data and pollute nothing', () => {
    const text = `{
      "format": "pnp-scenario/1",
      "__proto__": { "polluted": "root" },
      "machine": { "__proto__": { "polluted": "machine" }, "devices": [ { "id": "constructor", "stack": ["__proto__"], "__proto__": { "polluted": "device" } } ] },
      "drivers": {
        "__proto__": {
          "globals": { "__proto__": 1, "constructor": 2, "prototype": 3 },
          "routines": {
            "constructor": [ { "op": "set", "var": "__proto__", "value": "STATUS_SUCCESS" } ],
            "prototype": { "switch": "State", "cases": { "KeProcessorAddStartNotify": [] }, "__proto__": { "polluted": "switch" } }
          }
        }
      },
      "timeline": [ { "do": "run", "component": "__proto__", "routine": "constructor", "__proto__": { "polluted": "action" } } ]
    }`;
    const r = ok(loadText(text));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    const s = r.scenario;
    expect(Object.keys(s.drivers)).toEqual(['__proto__']);
    const drv = s.drivers['__proto__'];
    expect(Object.keys(drv.globals)).toEqual(['__proto__', 'constructor', 'prototype']);
    expect(drv.globals['__proto__']).toBe(1);
    expect(Object.keys(drv.routines)).toEqual(['constructor', 'prototype']);
    expect(Object.getPrototypeOf(s)).toBe(Object.prototype);
    expect((s as unknown as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(s.machine.devices[0], '__proto__')).toBe(false);
    expect(Object.hasOwn(s.timeline[0], '__proto__')).toBe(false);
    // and the result survives a round trip
    expect(JSON.stringify(ok(loadText(JSON.stringify(s))).scenario)).toBe(JSON.stringify(s));
  });

  it('inherited names are never mistaken for defined ones', () => {
    const errors = errorsOf(
      load({
        format: 'pnp-scenario/1',
        machine: { devices: [{ id: 'd', stack: ['toString'], parent: 'hasOwnProperty' }] },
        drivers: { drv: { routines: { DriverEntry: [{ call: 'IoQueueWorkItem', WorkerRoutine: 'constructor' }, { op: 'return', value: 'valueOf' }] } } },
        timeline: [{ do: 'load', driver: 'constructor' }, { do: 'start', app: '__proto__' }, { do: 'run', component: 'drv', routine: '__proto__' }],
      }),
    );
    expect(errors.map((e) => e.path)).toEqual(
      expect.arrayContaining([
        '/machine/devices/0/parent',
        '/machine/devices/0/stack/0',
        '/drivers/drv/routines/DriverEntry/0/WorkerRoutine',
        '/drivers/drv/routines/DriverEntry/1/value',
        '/timeline/0/driver',
        '/timeline/1/app',
        '/timeline/2/routine',
      ]),
    );
  });

  it('unknown API names that are Object.prototype members are unknown', () => {
    const errors = errorsOf(load({ format: 'pnp-scenario/1', drivers: { d: { routines: { A: [{ call: 'constructor' }, { call: '__proto__' }, { call: 'toString' }] } } } }));
    expect(errors.map((e) => e.path)).toEqual(['/drivers/d/routines/A/0/call', '/drivers/d/routines/A/1/call', '/drivers/d/routines/A/2/call']);
  });

  it('a cyclic or shared value does not hang', () => {
    const cyclic: Record<string, unknown> = { format: 'pnp-scenario/1' };
    cyclic.self = cyclic;
    expect(errorsOf(load(cyclic))[0].message).toContain('deeper than 64');
    const shared = { op: 'note', text: 'x' };
    let body: unknown[] = [shared];
    for (let i = 0; i < 40; i++) body = [body, body]; // 2^40 paths, 41 objects
    expect(load({ format: 'pnp-scenario/1', extra: body }).ok).toBe(true);
  });

  it('a value whose reads throw comes back as an error', () => {
    const trap = new Proxy({}, { ownKeys: () => { throw new Error('trap'); } });
    const getter = Object.defineProperty({ format: 'pnp-scenario/1' }, 'title', { enumerable: true, get: () => { throw new Error('boom'); } });
    for (const input of [trap, getter, { format: 'pnp-scenario/1', machine: trap }]) {
      const r = load(input);
      expect(r.ok).toBe(false);
      expect(errorsOf(r)[0].path).toBe('');
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Property tests: load never throws, and what it returns is well-formed.

function checkResult(r: LoadResult) {
  if (r.ok) {
    // a loaded scenario is JSON data that loads to itself
    const again = load(JSON.parse(JSON.stringify(r.scenario)));
    expect(again.ok).toBe(true);
    if (again.ok) expect(JSON.stringify(again.scenario)).toBe(JSON.stringify(r.scenario));
  } else {
    expect(r.errors.length).toBeGreaterThan(0);
    for (const e of r.errors) {
      expect(e.path === '' || e.path.startsWith('/')).toBe(true);
      expect(typeof e.message).toBe('string');
      expect(e.message.length).toBeGreaterThan(0);
    }
  }
}

const INTERESTING = fc.constantFrom(
  '__proto__', 'constructor', 'prototype', 'toString', '', '$', '$Context', '$Nope', '*OperationStatus', 'STATUS_SUCCESS',
  'GUID_DEVINTERFACE_TOASTER', '{781ef630-72b2-11d2-b852-00c04fad5171}', 'toaster0', 'toaster', 'monitor', 'mem0',
  'root', 'Links', 'hDevice', 'pnp-scenario/2', 'x'.repeat(70), 'a/b~c',
);
const anyValue = fc.oneof(fc.jsonValue({ maxDepth: 3 }), INTERESTING, fc.constant(null), fc.integer({ min: -2, max: 300 }));

type Mutation = { at: number; kind: 'replace' | 'delete' | 'addKey' | 'dup'; key: string; value: unknown };
const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom('replace', 'delete', 'addKey', 'dup'),
  key: fc.oneof(INTERESTING, fc.constantFrom(...Object.keys(APIS), 'call', 'op', 'result', 'value', 'cases', 'default', 'do', 'id', 'stack', 'parent')),
  value: anyValue,
});

/** Every container node of a JSON value, iteratively. */
function containers(root: unknown): (Record<string, unknown> | unknown[])[] {
  const out: (Record<string, unknown> | unknown[])[] = [];
  const stack = [root];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v !== 'object' || v === null) continue;
    out.push(v as Record<string, unknown>);
    for (const x of Object.values(v)) stack.push(x);
  }
  return out;
}

function mutate(start: unknown, mutations: Mutation[]): unknown {
  const root = structuredClone(start);
  for (const m of mutations) {
    const nodes = containers(root);
    const node = nodes[m.at % nodes.length];
    const arr = Array.isArray(node) ? node : undefined;
    const obj = node as Record<string, unknown>;
    const keys = Object.keys(node);
    const key = keys.length ? keys[m.at % keys.length] : m.key;
    // arrays only ever get elements (a JSON array has no named keys)
    const set = (k: string, v: unknown) => Object.defineProperty(node, k, { value: v, enumerable: true, writable: true, configurable: true });
    switch (m.kind) {
      case 'replace':
        if (arr && !arr.length) arr.push(m.value);
        else set(key, m.value);
        break;
      case 'delete':
        if (arr) arr.splice(m.at % Math.max(1, arr.length), 1);
        else delete obj[key];
        break;
      case 'addKey':
        if (arr) arr.push(m.value);
        else set(m.key, m.value);
        break;
      case 'dup':
        if (arr) arr.push(arr.length ? structuredClone(arr[m.at % arr.length]) : null);
        else set(m.key, Object.hasOwn(obj, key) ? structuredClone(obj[key]) : null);
        break;
    }
  }
  return root;
}

describe('load: properties', () => {
  it('never throws on arbitrary JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        checkResult(load(v));
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on scenario-shaped values', () => {
    const op = fc.oneof(
      fc.record({ call: fc.oneof(fc.constantFrom(...Object.keys(APIS)), INTERESTING), result: anyValue }, { requiredKeys: ['call'] }),
      fc.record({ op: fc.constantFrom('return', 'set', 'if', 'forEach', 'note', 'nope'), value: anyValue, var: anyValue, cond: anyValue, then: fc.array(anyValue, { maxLength: 2 }), in: anyValue, as: anyValue, text: anyValue }, { requiredKeys: ['op'] }),
      anyValue,
    );
    const component = fc.record({ globals: fc.oneof(fc.dictionary(fc.oneof(INTERESTING, fc.string()), anyValue), anyValue), routines: fc.dictionary(fc.oneof(INTERESTING, fc.constantFrom('DriverEntry', 'main', 'Cb')), fc.oneof(fc.array(op, { maxLength: 4 }), anyValue)) }, { requiredKeys: [] });
    const scenario = fc.record(
      {
        format: fc.oneof(fc.constant('pnp-scenario/1'), anyValue),
        machine: fc.oneof(fc.record({ processors: anyValue, maxProcessors: anyValue, memory: fc.array(fc.record({ id: anyValue, sizeMiB: anyValue }), { maxLength: 3 }), devices: fc.array(fc.record({ id: anyValue, parent: anyValue, stack: fc.oneof(fc.array(anyValue, { maxLength: 3 }), anyValue), interfaces: anyValue, present: anyValue }), { maxLength: 3 }) }, { requiredKeys: [] }), anyValue),
        drivers: fc.oneof(fc.dictionary(fc.oneof(INTERESTING, fc.string()), component, { maxKeys: 3 }), anyValue),
        apps: fc.oneof(fc.dictionary(fc.oneof(INTERESTING, fc.string()), component, { maxKeys: 3 }), anyValue),
        timeline: fc.oneof(fc.array(fc.record({ do: fc.oneof(fc.constantFrom('load', 'run', 'hotAddMemory', 'removeMemory', 'eject'), anyValue), driver: anyValue, component: anyValue, routine: anyValue, id: anyValue, sizeMiB: anyValue, device: anyValue }, { requiredKeys: ['do'] }), { maxLength: 4 }), anyValue),
        schedule: fc.oneof(fc.array(fc.record({ at: anyValue, run: anyValue }), { maxLength: 2 }), anyValue),
      },
      { requiredKeys: ['format'] },
    );
    fc.assert(
      fc.property(scenario, (v) => {
        checkResult(load(v));
      }),
      { numRuns: 400 },
    );
  }, 60_000);

  it('never throws on mutated valid scenarios', () => {
    const starts = [JSON.parse(SEED_000) as unknown, CM_APP];
    fc.assert(
      fc.property(fc.constantFrom(0, 1), fc.array(mutationArb, { minLength: 1, maxLength: 4 }), (which, ms) => {
        checkResult(load(mutate(starts[which], ms)));
      }),
      { numRuns: 2000 },
    );
  }, 60_000);

  it('never throws on arbitrary or damaged text', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        checkResult(loadText(s));
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.string({ maxLength: 3 }), (a, b, ins) => {
        const i = a % (SEED_000.length + 1);
        checkResult(loadText(SEED_000.slice(0, i) + ins + SEED_000.slice(i + (b % 4))));
      }),
      { numRuns: 500 },
    );
  });
});
