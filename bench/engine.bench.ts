// Engine benchmark on the stress scenario (bench/stress.ts): 40 drivers with a synchronous and an
// asynchronous processor registration each, then 400 processor hot-adds (~149,000 trace entries).
//
//   npm run bench                     # or: npx tsx bench/engine.bench.ts [--runs N] [--seeks N]
//
// (a) the headless runner's work, in process: the command's own simulate() — loadText, the run
//     (streamScenario), every entry serialised as a JSON line into ~1 MB chunks (no disk) — entries/s;
// (b) a bare loop that builds and serialises as many trace-shaped objects (the same shapes in the
//     same order: same fields, nested objects and rule stamps; as many bytes, checked) the plain way
//     (JSON.stringify per entry, the runner's LineChunks; the runner itself stringifies 256 entries
//     at a time and cuts the text at their boundaries, src/cli/jsonLines.ts) — and the ratio (a)/(b). Until 2026-12 the loop
//     built objects without the fields added to trace v1 since it was written (rule, callback, op):
//     20 % fewer bytes than the runner's, a baseline the runner could not be compared with fairly;
// (c) seek: createSeeker build time (every checkpoint: prepare(Infinity)), then createSeeker(...).at(k) for random k — p50/p95/max;
// (d) the runner's peak resident memory, as a child process
//     `node bin/pnp-playground.mjs simulate stress.json > /dev/null` (/usr/bin/time -v, else
//     VmHWM sampled from /proc/<pid>/status).
//
// Prints a table with targets and PASS/FAIL and writes bench/results/engine.json. A missed target
// is printed loudly but does not fail the process: this is a benchmark, not a test.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadText } from '../src/scenario/load.ts';
import { runScenario, streamScenario, type TraceEntry } from '../src/engine/index.ts';
import { createSeeker } from '../src/engine/snapshot.ts';
import { LineChunks, simulate } from '../src/cli/simulate.ts';
import { STRESS_DEFAULTS, stressScenarioText } from './stress.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// ---------------------------------------------------------------- options

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isInteger(v) && v > 0 ? v : fallback;
}
const RUNS = option('runs', 7);
const WARMUP = 2;
const SEEKS = option('seeks', 200);
const DRIVERS = option('drivers', STRESS_DEFAULTS.drivers);
const HOT_ADDS = option('hot-adds', STRESS_DEFAULTS.hotAdds);

const TARGET = {
  minEntries: 100_000,
  ratio: 4,
  seekMs: 50,
  rssMiB: 256,
};

// ---------------------------------------------------------------- helpers

const median = (xs: number[]) => quantile(xs, 0.5);
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1));
  return s[i];
}

/** A full garbage collection, so each timed run starts from a clean heap (as the runner process does). */
const gc: () => void = (() => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

/**
 * Median wall time (ms) of `runs` calls after `warmup` untimed ones, with a full GC before each and
 * the previous result dropped first (so it is not live while the next run allocates). The last
 * result is returned.
 */
function timeIt<T>(fn: () => T, runs = RUNS, warmup = WARMUP): { ms: number; all: number[]; last: T } {
  for (let i = 0; i < warmup; i++) fn();
  const all: number[] = [];
  let last: T | undefined;
  for (let i = 0; i < runs; i++) {
    last = undefined;
    gc();
    const t0 = performance.now();
    last = fn();
    all.push(performance.now() - t0);
  }
  return { ms: median(all), all, last: last as T };
}

/** A small deterministic PRNG (mulberry32), so every bench run seeks the same positions. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const MiB = 1024 * 1024;

// ---------------------------------------------------------------- (a) the runner's work

const scenarioText = stressScenarioText({ drivers: DRIVERS, hotAdds: HOT_ADDS });

/** What `simulate stress.json` does minus the write: the command's own simulate() (load, run, serialise into chunks). */
function runnerWork(): { bytes: number; chunks: Buffer[] } {
  const out = simulate(scenarioText);
  if (!out.ok) throw new Error(`stress scenario invalid: ${out.errors.join('; ')}`);
  return { bytes: out.chunks.reduce((n, c) => n + c.length, 0), chunks: out.chunks };
}

// ---------------------------------------------------------------- (b) the bare loop

/** Which literal the bare loop builds for an entry: the entry's type, and for the frequent types its field shape. */
type Shape = Exclude<TraceEntry['type'], 'invoke' | 'state'> | 'invokeKe' | 'invokeIo' | 'invoke' | 'stateThread' | 'stateProcessor' | 'stateInterface' | 'state';

function shapeOf(e: TraceEntry): Shape {
  if (e.type === 'invoke') return 'ProcNumber' in e.args ? 'invokeKe' : 'SymbolicLinkName' in e.args ? 'invokeIo' : 'invoke';
  if (e.type === 'state') {
    if (e.entity.startsWith('thread:')) return 'stateThread';
    if (e.info && 'Group' in e.info) return 'stateProcessor';
    if (e.info && 'className' in e.info) return 'stateInterface';
    return 'state';
  }
  return e.type;
}

/**
 * Freshly built objects with the fields of the trace's entries — one per entry, in order, of the
 * same shape (`shapes`: which fields, nested objects included, rule stamps too), with values of
 * the same kinds and lengths — serialised the plain way: JSON.stringify per line, into the runner's
 * LineChunks (the runner makes the same bytes with one JSON.stringify per 256 entries). What plain JavaScript needs to produce this output with no
 * engine behind it. The benchmark checks that it writes as many bytes as the runner (±5 %): a
 * baseline writing less would flatter nothing and blame the engine for bytes it does not write.
 */
function bareLoop(shapes: readonly Shape[]): { bytes: number; chunks: Buffer[] } {
  const out = new LineChunks();
  const n = shapes.length;
  for (let i = 0; i < n; i++) {
    const d = i % 40;
    const component = `drv${d < 10 ? '00' : '0'}${d}`;
    const cpu = i % 1024;
    const thread = i % 3 === 0 ? 'pnp' : 'hotplug';
    const step = i >> 8;
    const link = `\\\\?\\ACPI#ACPI0007#${cpu}#{97fadb10-4e33-40ae-359c-8bef029dbdd0}`;
    let e: object;
    switch (shapes[i]) {
      case 'invokeIo':
        e = {
          seq: i, step, thread, type: 'invoke', component, routine: 'AsyncProcessorCallback',
          args: { Event: 'GUID_DEVICE_INTERFACE_ARRIVAL', InterfaceClassGuid: 'GUID_DEVICE_PROCESSOR', SymbolicLinkName: link, Context: null },
          registration: `io:${d + 1}`, callback: 'io', irql: 'PASSIVE_LEVEL', rule: 'IO-10',
        };
        break;
      case 'invokeKe':
        e = {
          seq: i, step, thread, type: 'invoke', component, routine: 'SyncProcessorCallback',
          args: { CallbackContext: '&CallbackStatus', State: 'KeProcessorAddStartNotify', NtNumber: cpu, ProcNumber: { Group: cpu >> 6, Number: cpu & 63 }, Status: 'STATUS_SUCCESS' },
          registration: `ke:${d + 1}`, callback: 'ke', irql: 'PASSIVE_LEVEL', rule: 'KE-1',
        };
        break;
      case 'invoke':
        e = { seq: i, step, thread, type: 'invoke', component, routine: 'DriverEntry', args: { DriverObject: component, RegistryPath: `\\Registry\\Machine\\System\\CurrentControlSet\\Services\\${component}` }, irql: 'PASSIVE_LEVEL', rule: 'DRV-1' };
        break;
      case 'note':
        e = { seq: i, step, thread, type: 'note', text: `${component}: allocate per-processor data`, component, op: `/drivers/${component}/routines/SyncProcessorCallback/cases/KeProcessorAddStartNotify/0`, rule: 'KE-1' };
        break;
      case 'complete':
        e = { seq: i, step, thread, type: 'complete', component, routine: 'SyncProcessorCallback', result: i % 3 === 0 ? 'STATUS_SUCCESS' : null, rule: 'KE-1' };
        break;
      case 'stateThread':
        e = { seq: i, step, thread, type: 'state', entity: `thread:${thread}`, from: 'idle', to: 'runnable' };
        break;
      case 'stateProcessor':
        e = { seq: i, step, thread, type: 'state', entity: `processor:${cpu}`, from: 'not-present', to: 'starting', info: { Group: cpu >> 6, Number: cpu & 63 }, rule: 'KE-1' };
        break;
      case 'stateInterface':
        e = { seq: i, step, thread, type: 'state', entity: `interface:${link}`, from: 'none', to: 'enabled', info: { className: 'GUID_DEVICE_PROCESSOR', device: `processor${cpu}` }, rule: 'KE-9' };
        break;
      case 'state':
        e = { seq: i, step, thread, type: 'state', entity: `processor:${cpu}`, from: 'starting', to: 'active', rule: 'KE-1' };
        break;
      case 'action':
        e = { seq: i, step, thread, type: 'action', action: { do: 'hotAddProcessor' }, index: step, rule: 'KE-1' };
        break;
      case 'call':
        e = { seq: i, step, thread, type: 'call', component, api: 'KeRegisterProcessorChangeCallback', args: { CallbackFunction: 'SyncProcessorCallback', CallbackContext: '&CallbackStatus', Flags: ['KE_PROCESSOR_CHANGE_ADD_EXISTING'] }, op: `/drivers/${component}/routines/DriverEntry/0`, irql: 'PASSIVE_LEVEL', rule: 'KE-4' };
        break;
      case 'return':
        e = { seq: i, step, thread, type: 'return', component, api: 'KeRegisterProcessorChangeCallback', result: `ke:${d + 1}`, rule: 'KE-4' };
        break;
      case 'queue':
        e = { seq: i, step, thread, type: 'queue', event: 'DeviceArrival', device: `processor${cpu}`, interface: link, rule: 'KE-9' };
        break;
      case 'halt':
        e = { seq: i, step, thread: 'system', type: 'halt', reason: 'quiescent' };
        break;
      default:
        e = { seq: i, step, thread, type: shapes[i], message: `${component} entry ${i}` };
    }
    out.add(JSON.stringify(e));
  }
  const chunks = out.end();
  return { bytes: chunks.reduce((k, c) => k + c.length, 0), chunks };
}

// ---------------------------------------------------------------- (d) the runner's peak RSS

interface RssResult {
  kib: number | null;
  method: string;
  exitCode: number | null;
}

function runChild(cmd: string, args: string[], onSpawn?: (pid: number) => void): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (s: string) => (stderr += s));
    child.on('error', fail);
    if (child.pid !== undefined) onSpawn?.(child.pid);
    child.on('close', (code) => done({ code, stderr }));
  });
}

async function runnerPeakRss(scenarioFile: string): Promise<RssResult> {
  const runner = [join(ROOT, 'bin/pnp-playground.mjs'), 'simulate', scenarioFile];
  // One run first, not measured: the first run after a build also builds the bundle and saves V8's
  // code cache (src/cli), which is not what a run costs.
  await runChild(process.execPath, runner);
  if (existsSync('/usr/bin/time')) {
    const { code, stderr } = await runChild('/usr/bin/time', ['-v', process.execPath, ...runner]);
    const m = /Maximum resident set size \(kbytes\):\s*(\d+)/.exec(stderr);
    if (m) return { kib: Number(m[1]), method: '/usr/bin/time -v', exitCode: code };
  }
  // Fallback: sample the child's high-water mark until it exits (may miss a peak in its last ms).
  let peak: number | null = null;
  let timer: NodeJS.Timeout | undefined;
  const { code } = await runChild(process.execPath, runner, (pid) => {
    timer = setInterval(() => {
      try {
        const m = /VmHWM:\s*(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        if (m) peak = Math.max(peak ?? 0, Number(m[1]));
      } catch {
        // the child has exited
      }
    }, 5);
  });
  clearInterval(timer);
  return { kib: peak, method: 'VmHWM sampled every 5 ms', exitCode: code };
}

// ---------------------------------------------------------------- main

async function main() {
  const rssSamples: number[] = [];
  const sampleRss = () => rssSamples.push(process.memoryUsage().rss);
  console.log(`engine benchmark: stress scenario with ${DRIVERS} drivers and ${HOT_ADDS} processor hot-adds; ${RUNS} timed runs after ${WARMUP} warm-up`);
  console.log(`node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} ×${cpus().length}\n`);

  // (a) and (b), interleaved run by run (with a full GC before each) so that a change of machine
  // load in the middle of the benchmark affects both sides of the ratio alike.
  const outputBytes = runnerWork().bytes;
  const preloaded = loadText(scenarioText);
  if (!preloaded.ok) throw new Error('stress scenario invalid');
  const keep = () => {
    const kept = runScenario(preloaded.scenario);
    if (!kept.ok) throw new Error('stress scenario schedule errors');
    return kept.trace;
  };
  // What the timed runs need of the trace; the trace itself is not kept alive while they run (the
  // runner's process holds nothing else either, and a large live heap slows every collection).
  const { entries, halt, shapes } = (() => {
    const trace = keep();
    return { entries: trace.length, halt: trace[trace.length - 1], shapes: trace.map(shapeOf) };
  })();
  const bareBytes = bareLoop(shapes).bytes;
  if (Math.abs(bareBytes / outputBytes - 1) > 0.05) {
    throw new Error(`the bare loop writes ${bareBytes} bytes, the runner ${outputBytes}: update bareLoop to the trace's shapes (a baseline must write what the runner writes)`);
  }
  const timed = { runner: [] as number[], bare: [] as number[], load: [] as number[], run: [] as number[] };
  const once = (fn: () => unknown) => {
    gc();
    const t0 = performance.now();
    fn();
    return performance.now() - t0;
  };
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const r = {
      runner: once(runnerWork),
      bare: once(() => bareLoop(shapes)),
      load: once(() => loadText(scenarioText)),
      run: once(() => streamScenario(preloaded.scenario, () => {})),
    };
    if (i >= WARMUP) for (const k of Object.keys(r) as (keyof typeof r)[]) timed[k].push(r[k]);
    sampleRss();
  }
  const a = { ms: median(timed.runner), all: timed.runner };
  const b = { ms: median(timed.bare), all: timed.bare };
  const loadOnly = median(timed.load);
  const runOnly = median(timed.run);
  const ratio = a.ms / b.ms;

  // (c)
  const trace = keep();
  // Every checkpoint taken (a seeker takes them lazily; the worker takes the rest in idle slices).
  const build = timeIt(() => {
    const s = createSeeker(preloaded.scenario, trace);
    s.prepare(Infinity);
    return s;
  }, Math.min(RUNS, 5), 1);
  const seeker = build.last;
  sampleRss();
  const rand = rng(0x5eed);
  for (let i = 0; i < 20; i++) seeker.at(Math.floor(rand() * entries)); // warm-up
  const seekMs: number[] = [];
  for (let i = 0; i < SEEKS; i++) {
    const k = Math.floor(rand() * entries);
    const t0 = performance.now();
    seeker.at(k);
    seekMs.push(performance.now() - t0);
  }
  const lastSeek = (() => {
    const t0 = performance.now();
    seeker.at(entries - 1);
    return performance.now() - t0;
  })();
  sampleRss();

  // (d)
  const dir = mkdtempSync(join(tmpdir(), 'pnp-bench-'));
  const file = join(dir, 'stress.json');
  writeFileSync(file, scenarioText);
  let rss: RssResult;
  try {
    rss = await runnerPeakRss(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const rssMiB = rss.kib === null ? null : rss.kib / 1024;

  // ---------------------------------------------------------------- report
  const entriesPerSec = entries / (a.ms / 1000);
  const bareEntriesPerSec = entries / (b.ms / 1000);
  const p50 = quantile(seekMs, 0.5);
  const p95 = quantile(seekMs, 0.95);
  const max = Math.max(...seekMs, lastSeek);
  type Row = { metric: string; value: string; target: string; pass: boolean | null };
  const rows: Row[] = [
    { metric: 'trace size', value: `${fmt(entries)} entries, ${fmt(outputBytes / MiB, 1)} MiB JSONL, halt ${halt.type === 'halt' ? halt.reason : '?'}`, target: `≥ ${fmt(TARGET.minEntries)} entries`, pass: entries >= TARGET.minEntries },
    { metric: '(a) runner: load+run+serialise', value: `${fmt(a.ms, 1)} ms  = ${fmt(entriesPerSec)} entries/s`, target: '', pass: null },
    { metric: '    of which loadText', value: `${fmt(loadOnly, 1)} ms`, target: '', pass: null },
    { metric: '    of which the run (engine alone)', value: `${fmt(runOnly, 1)} ms  = ${fmt(entries / (runOnly / 1000))} entries/s`, target: '', pass: null },
    { metric: '    serialising (the rest)', value: `${fmt(Math.max(0, a.ms - loadOnly - runOnly), 1)} ms`, target: '', pass: null },
    { metric: '(b) bare loop, same shapes', value: `${fmt(b.ms, 1)} ms  = ${fmt(bareEntriesPerSec)} entries/s, ${fmt(bareBytes / MiB, 1)} MiB`, target: '', pass: null },
    { metric: '    ratio (a)/(b)', value: `${fmt(ratio, 2)}×`, target: `≤ ${TARGET.ratio}×`, pass: ratio <= TARGET.ratio },
    { metric: '(c) seeker build', value: `${fmt(build.ms, 1)} ms (${Math.ceil(entries / 1024)} checkpoints)`, target: '', pass: null },
    { metric: `    seek p50 (${SEEKS} random)`, value: `${fmt(p50, 2)} ms`, target: `< ${TARGET.seekMs} ms`, pass: p50 < TARGET.seekMs },
    { metric: '    seek p95', value: `${fmt(p95, 2)} ms`, target: `< ${TARGET.seekMs} ms`, pass: p95 < TARGET.seekMs },
    { metric: '    seek max (incl. last entry)', value: `${fmt(max, 2)} ms`, target: `< ${TARGET.seekMs} ms`, pass: max < TARGET.seekMs },
    {
      metric: '(d) runner peak RSS (child)',
      value: rssMiB === null ? `not measured (${rss.method})` : `${fmt(rssMiB, 1)} MiB (${rss.method}; exit ${rss.exitCode})`,
      target: `< ${TARGET.rssMiB} MiB`,
      pass: rssMiB === null ? null : rssMiB < TARGET.rssMiB && rss.exitCode === 0,
    },
    { metric: '    bench process RSS (sampled)', value: `${fmt(Math.max(...rssSamples) / MiB, 1)} MiB max`, target: '', pass: null },
  ];
  const w0 = Math.max(...rows.map((r) => r.metric.length));
  const w1 = Math.max(...rows.map((r) => r.value.length));
  const w2 = Math.max(...rows.map((r) => r.target.length), 'target'.length);
  const line = (m: string, v: string, t: string, p: string) => `${m.padEnd(w0)}  ${v.padEnd(w1)}  ${t.padEnd(w2)}  ${p}`;
  console.log(line('metric', 'value', 'target', 'result'));
  console.log(line('-'.repeat(w0), '-'.repeat(w1), '-'.repeat(w2), '------'));
  for (const r of rows) console.log(line(r.metric, r.value, r.target, r.pass === null ? '' : r.pass ? 'PASS' : 'FAIL  <<<<<<'));
  const failed = rows.filter((r) => r.pass === false);
  console.log('');
  if (failed.length > 0) {
    console.log('!'.repeat(72));
    console.log(`!!! ${failed.length} TARGET(S) MISSED: ${failed.map((r) => r.metric.trim()).join('; ')}`);
    console.log('!'.repeat(72));
  } else console.log('All targets met.');

  const results = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model ?? null,
    scenario: { drivers: DRIVERS, hotAdds: HOT_ADDS, scenarioBytes: Buffer.byteLength(scenarioText) },
    runs: RUNS,
    trace: { entries, jsonlBytes: outputBytes, halt: halt.type === 'halt' ? halt.reason : null },
    runner: { medianMs: a.ms, allMs: a.all, entriesPerSec, loadTextMs: loadOnly, runMs: runOnly },
    bare: { medianMs: b.ms, allMs: b.all, entriesPerSec: bareEntriesPerSec, bytes: bareBytes },
    ratio,
    seek: { buildMs: build.ms, seeks: SEEKS, p50Ms: p50, p95Ms: p95, maxMs: max, lastEntryMs: lastSeek },
    rss: { runnerPeakMiB: rssMiB, method: rss.method, runnerExitCode: rss.exitCode, benchProcessMaxMiB: Math.max(...rssSamples) / MiB },
    targets: TARGET,
    pass: Object.fromEntries(rows.filter((r) => r.pass !== null).map((r) => [r.metric.trim(), r.pass])),
  };
  const out = join(ROOT, 'bench/results/engine.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nwrote ${out}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
