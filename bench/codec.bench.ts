// Link codec benchmark: encode/decode time and link length, for a large scenario (200 drivers with
// devices, callbacks and notes), the built-in demos and the golden fixtures, and a decompression bomb.
//
//   npx tsx bench/codec.bench.ts
//
// Encoding a valid scenario runs load() twice (normalise, then check the compact form), so the
// load() time is printed too, to show what the codec itself costs.

import { readFileSync, readdirSync } from 'node:fs';
import { Deflate, deflateSync } from 'fflate';
import { MAX_LINK_CHARS, base64urlEncode, canonicalScenarioJson, decodeHash, scenarioToHash } from '../src/scenario/codec.ts';
import { ioRegister, ioUnregisterEx, keDeregister, scenario, TOASTER } from '../src/scenario/builder.ts';
import { load } from '../src/scenario/load.ts';
import type { Op, Scenario } from '../src/scenario/types.ts';

function bigScenario(drivers: number): Scenario {
  const s: Required<Pick<Scenario, 'drivers' | 'timeline'>> & Scenario = {
    ...scenario(),
    title: `${drivers} drivers watching toaster interfaces`,
    description: 'Benchmark scenario: every driver registers for interface arrivals and processor changes.',
    machine: { processors: 4, maxProcessors: 16, devices: [] },
    drivers: {},
    timeline: [],
  };
  for (let i = 0; i < drivers; i++) {
    const id = `drv${i}`;
    const entry: Op[] = [
      { op: 'note', text: `DriverEntry of ${id}: register for toaster interface arrivals.` },
      ioRegister(TOASTER, 'OnInterface', 'InterfaceEntry', { includeExisting: true }),
      { op: 'if', cond: { not: { ntSuccess: 'Status' } }, then: [{ op: 'return', value: 'Status' }] },
      { call: 'KeRegisterProcessorChangeCallback', CallbackFunction: 'OnProcessor', Flags: ['KE_PROCESSOR_CHANGE_ADD_EXISTING'], result: 'ProcessorHandle' },
    ];
    s.drivers[id] = {
      globals: { Status: 'STATUS_SUCCESS', Count: i },
      routines: {
        DriverEntry: entry,
        Unload: [ioUnregisterEx('InterfaceEntry', null), keDeregister('ProcessorHandle')],
        OnInterface: [{ op: 'note', text: `${id} sees $SymbolicLinkName arrive` }],
        OnProcessor: {
          switch: 'State',
          cases: {
            KeProcessorAddStartNotify: [{ op: 'note', text: `${id}: allocate per-processor data` }],
            KeProcessorAddCompleteNotify: [],
            KeProcessorAddFailureNotify: [{ op: 'note', text: `${id}: free per-processor data` }],
          },
        },
      },
    };
    s.machine!.devices!.push({ id: `toaster${i}`, stack: [id], interfaces: ['GUID_DEVINTERFACE_TOASTER'], present: i % 2 === 0 });
    if (i % 2 === 1) s.timeline.push({ do: 'plug', device: `toaster${i}` });
  }
  s.timeline.push({ do: 'hotAddProcessor' });
  return s;
}

function time(fn: () => void, minMs = 400): number {
  for (let i = 0; i < 3; i++) fn(); // warm up
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    fn();
    n++;
    elapsed = performance.now() - start;
  } while (elapsed < minMs || n < 5);
  return elapsed / n;
}

const ms = (x: number) => `${x.toFixed(x < 1 ? 3 : 2)} ms`;

function report(name: string, s: Scenario) {
  const loaded = load(s);
  if (!loaded.ok) {
    console.log(`${name}: does not load: ${loaded.errors.slice(0, 3).map((e) => `${e.path}: ${e.message}`).join('; ')}`);
    return;
  }
  const hash = scenarioToHash(s);
  const decoded = decodeHash(hash);
  if (!decoded.ok) throw new Error(`${name}: own link does not open: ${decoded.error.message}`);
  const json = canonicalScenarioJson(s);
  const row = {
    scenario: name,
    'JSON bytes': new TextEncoder().encode(json).length,
    'link chars': hash.length,
    'under 2000': hash.length <= MAX_LINK_CHARS ? 'yes' : 'NO',
    'load()': ms(time(() => load(s))),
    encode: ms(time(() => scenarioToHash(s))),
    decode: ms(time(() => decodeHash(hash))),
  };
  return row;
}

const rows = [];
const big = bigScenario(200);
rows.push(report('200 drivers + 200 devices', big));
rows.push(report('50 drivers + 50 devices', bigScenario(50)));

const demoDir = new URL('../src/scenario/demos/', import.meta.url);
const fixtureDir = new URL('../src/scenario/fixtures/golden/', import.meta.url);
for (const [label, dir] of [
  ['demo', demoDir],
  ['fixture', fixtureDir],
] as const) {
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    // no such directory yet
  }
  for (const f of files.sort()) rows.push(report(`${label} ${f}`, JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as Scenario));
}
console.table(rows.filter(Boolean));

// Decompression bomb: 50 MiB of zeros compressed; the decoder must refuse it after ~1 MiB.
const parts: Uint8Array[] = [];
const d = new Deflate({ level: 9 }, (c) => parts.push(c));
const zeros = new Uint8Array(1024 * 1024);
for (let i = 0; i < 50; i++) d.push(zeros, i === 49);
const bomb = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
let at = 0;
for (const p of parts) {
  bomb.set(p, at);
  at += p.length;
}
const bombHash = `#s1.${base64urlEncode(bomb)}`;
const refused = decodeHash(bombHash);
console.log(
  `bomb: 50 MiB of zeros → ${bombHash.length.toLocaleString('en-US')} link chars; decode → ${refused.ok ? 'OPENED (bug)' : refused.error.kind} in ${ms(time(() => decodeHash(bombHash), 200))}`,
);

// Worst case that is still accepted: ~1 MiB of JSON text.
const padded = JSON.stringify({ ...scenario(), title: 'x', description: 'lorem ipsum '.repeat(80_000) });
const paddedHash = `#s1.${base64urlEncode(deflateSync(new TextEncoder().encode(padded), { level: 9 }))}`;
console.log(`~1 MiB description: ${padded.length.toLocaleString('en-US')} bytes → ${paddedHash.length.toLocaleString('en-US')} link chars; decode ${ms(time(() => decodeHash(paddedHash), 200))}`);
