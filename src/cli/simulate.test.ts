// The headless runner, driven as a real process (`node bin/pnp-playground.mjs simulate …`, what
// `npm run simulate` runs), plus unit tests of its pieces.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, isStale } from '../../scripts/cli-bundle.mjs';
import { formatEntry } from '../engine/format.ts';
import type { TraceEntry } from '../engine/index.ts';
import { stressScenarioText } from '../../bench/stress.ts';
import { runCli, type CliResult } from './testing.ts';
import { EXIT, main, parseArgs, traceChunks, type Io } from './simulate.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = join(ROOT, 'bin/pnp-playground.mjs');
const SEED000 = join(ROOT, 'src/scenario/demos/seed000-sync.json');
const TIMEOUT = 60_000;

const tmp = mkdtempSync(join(tmpdir(), 'simulate-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
// Build once here rather than in each of the concurrent processes below (each would rebuild if stale).
beforeAll(async () => {
  if (isStale()) await buildCli();
}, TIMEOUT);

const simulate = (args: string[], stdin?: string) => runCli(['simulate', ...args], stdin ?? '');

const lines = (text: string) => text.split('\n').slice(0, -1);

const invalidScenario = {
  format: 'pnp-scenario/1',
  drivers: {
    sampledrv: {
      routines: {
        DriverEntry: [{ call: 'KeRegisterProcessorChangeCallback', CallbackFunction: 'NoSuchRoutine', Flags: [] }],
      },
    },
  },
  timeline: [{ do: 'load', driver: 'sampledrv' }],
};

describe.concurrent('simulate (process)', () => {
  it('runs seed 000: exit 0, JSON Lines only, consecutive seqs, ends with one halt', { timeout: TIMEOUT }, async () => {
    const r = await simulate([SEED000]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(EXIT.ran);
    expect(r.stdout.endsWith('\n')).toBe(true);
    const entries = lines(r.stdout).map((l) => JSON.parse(l) as TraceEntry);
    expect(entries.length).toBeGreaterThan(10);
    entries.forEach((e, i) => expect(e.seq).toBe(i));
    expect(entries.at(-1)).toMatchObject({ type: 'halt', reason: 'quiescent' });
    expect(entries.filter((e) => e.type === 'halt')).toHaveLength(1);
    // Each line is exactly JSON.stringify of its entry.
    for (const l of lines(r.stdout)) expect(JSON.stringify(JSON.parse(l))).toBe(l);
    // The seed-000 story: Start(0), Start(1), Complete(0), Complete(1) inside the register call.
    const states = entries.filter((e) => e.type === 'invoke' && e.routine === 'SyncProcessorCallback').map((e) => (e.type === 'invoke' ? `${e.args.State}(${e.args.NtNumber})` : ''));
    expect(states.slice(0, 4)).toEqual([
      'KeProcessorAddStartNotify(0)', 'KeProcessorAddStartNotify(1)', 'KeProcessorAddCompleteNotify(0)', 'KeProcessorAddCompleteNotify(1)',
    ]);
  });

  it('reads the scenario from stdin with "-" and prints the same trace', { timeout: TIMEOUT }, async () => {
    const [fromFile, fromStdin] = await Promise.all([simulate([SEED000]), simulate(['-'], readFileSync(SEED000, 'utf8'))]);
    expect(fromStdin.code).toBe(EXIT.ran);
    expect(fromStdin.stderr).toBe('');
    expect(fromStdin.stdout).toBe(fromFile.stdout);
  });

  it('--pretty prints formatEntry lines', { timeout: TIMEOUT }, async () => {
    const [json, pretty] = await Promise.all([simulate([SEED000]), simulate(['--pretty', SEED000])]);
    expect(pretty.code).toBe(EXIT.ran);
    expect(pretty.stderr).toBe('');
    const expected = lines(json.stdout).map((l) => formatEntry(JSON.parse(l) as TraceEntry));
    expect(lines(pretty.stdout)).toEqual(expected);
    expect(lines(pretty.stdout).at(-1)).toMatch(/halt: quiescent$/);
  });

  it('an invalid scenario: exit 2, each error as "<json-path>: <message>" on stderr, nothing on stdout', { timeout: TIMEOUT }, async () => {
    const r = await simulate(['-'], JSON.stringify(invalidScenario));
    expect(r.code).toBe(EXIT.invalid);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^\/drivers\/sampledrv\/routines\/DriverEntry\/0\/CallbackFunction: .+$/m);
  });

  it('JSON syntax errors and a newer format are invalid scenarios too (exit 2)', { timeout: TIMEOUT }, async () => {
    const [syntax, newer] = await Promise.all([
      simulate(['-'], '{ "format": "pnp-scenario/1", }'),
      simulate(['-'], JSON.stringify({ format: 'pnp-scenario/99' })),
    ]);
    expect(syntax.code).toBe(EXIT.invalid);
    expect(syntax.stderr).toMatch(/^\(root\): JSON syntax error at line 1, column \d+/);
    expect(newer.code).toBe(EXIT.invalid);
    expect(newer.stderr).toMatch(/^\/format: .*newer version/m);
  });

  it('a schedule override that does not fit the run: exit 2 with its path', { timeout: TIMEOUT }, async () => {
    const scenario = { ...JSON.parse(readFileSync(SEED000, 'utf8')), schedule: [{ at: 1_000_000, run: 'pnp' }] };
    const r = await simulate(['-'], JSON.stringify(scenario));
    expect(r.code).toBe(EXIT.invalid);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^\/schedule\/0\/at: /m);
  });

  it('an unreadable file: exit 1, naming the file', { timeout: TIMEOUT }, async () => {
    const missing = join(tmp, 'no-such-scenario.json');
    const r = await simulate([missing]);
    expect(r.code).toBe(EXIT.internal);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`cannot read ${missing}`);
    const dir = await simulate([tmp]); // a directory
    expect(dir.code).toBe(EXIT.internal);
    expect(dir.stderr).toContain(`cannot read ${tmp}`);
  });

  it('--help prints usage (exit 0); a bad option is a usage error (exit 1)', { timeout: TIMEOUT }, async () => {
    const [help, bad, none] = await Promise.all([simulate(['--help']), simulate(['--frobnicate', SEED000]), simulate([])]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: /);
    expect(bad.code).toBe(EXIT.internal);
    expect(bad.stderr).toContain('unknown option --frobnicate');
    expect(bad.stdout).toBe('');
    expect(none.code).toBe(EXIT.internal);
    expect(none.stderr).toContain('no scenario file given');
  });

  it('a reader that goes away (| head) ends the run quietly', { timeout: TIMEOUT }, async () => {
    const file = join(tmp, 'stress-small.json');
    writeFileSync(file, stressScenarioText({ drivers: 10, hotAdds: 60 })); // a few MB of JSON Lines
    const r = await new Promise<CliResult & { got: string }>((done, fail) => {
      const child = spawn(process.execPath, [CLI, 'simulate', file], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let got = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (s: string) => {
        got += s;
        if (got.includes('\n')) child.stdout.destroy(); // like `head -1`
      });
      child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
      child.on('error', fail);
      child.on('close', (code) => done({ code, stdout: '', stderr, got }));
    });
    expect(JSON.parse(r.got.split('\n')[0])).toMatchObject({ seq: 0 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('explore and link end quietly too when the reader is gone before they write (| true)', { timeout: TIMEOUT }, async () => {
    const gone = (command: string) =>
      new Promise<CliResult>((done, fail) => {
        const child = spawn(process.execPath, [CLI, command, SEED000], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
        child.stdout.destroy(); // the reader exits before the command has written anything
        let stderr = '';
        child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
        child.on('error', fail);
        child.on('close', (code) => done({ code, stdout: '', stderr }));
      });
    for (const r of await Promise.all([gone('explore'), gone('link')])) {
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
  });
});

describe('simulate (in process)', () => {
  const fakeIo = (files: Record<string, string>, writeOk = true) => {
    const out: string[] = [];
    const err: string[] = [];
    const io: Io = {
      readFile: (p) => {
        if (!(p in files)) throw new Error(`ENOENT: ${p}`);
        return files[p];
      },
      readStdin: async () => files['<stdin>'] ?? '',
      write: async (c) => {
        out.push(typeof c === 'string' ? c : Buffer.from(c).toString('utf8'));
        return writeOk;
      },
      err: (l) => err.push(l),
    };
    return { io, out, err };
  };

  it('--choices prints the choice points, one JSON object per line, and an override built from one picks that thread', async () => {
    const demo = readFileSync(join(ROOT, 'src/scenario/demos/seed003-ex-guarantee.json'), 'utf8');
    const racing = JSON.stringify({ ...JSON.parse(demo), schedule: [] });
    const { io, out, err } = fakeIo({ 's.json': racing });
    expect(await main(['--choices', 's.json'], io)).toBe(EXIT.ran);
    expect(err).toEqual([]);
    const points = lines(out.join('')).map((l) => JSON.parse(l) as { at: number; step: number; choice: number; runnable: string[]; chosen: string; next: { thread: string; does: string }[] });
    expect(points.length).toBeGreaterThan(1);
    for (const p of points) {
      expect(Object.keys(p)).toEqual(['at', 'step', 'choice', 'runnable', 'chosen', 'next']);
      expect(p.next.map((x) => x.thread)).toEqual(p.runnable);
    }
    const p = points.find((x) => x.step === 3 && x.runnable.includes('pnp') && x.next.some((n) => n.thread === 'sys:sampledrv' && n.does === 'op'))!;
    expect(p.next.find((x) => x.thread === 'sys:sampledrv')).toMatchObject({ does: 'op', routine: 'sampledrv!Unload', op: '/drivers/sampledrv/routines/Unload/0', what: 'call IoUnregisterPlugPlayNotificationEx' });
    const other = p.runnable.find((t) => t !== p.chosen)!;
    const picked = fakeIo({ 's.json': JSON.stringify({ ...JSON.parse(racing), schedule: [{ step: p.step, choice: p.choice, run: other }] }) });
    expect(await main(['s.json'], picked.io)).toBe(EXIT.ran);
    expect((JSON.parse(lines(picked.out.join(''))[p.at]) as TraceEntry).thread).toBe(other);
  });

  it('an old-form schedule runs as before and the warning gives its stable form', async () => {
    const demo = JSON.parse(readFileSync(join(ROOT, 'src/scenario/demos/seed003-ex-guarantee.json'), 'utf8'));
    const stable = fakeIo({ 's.json': JSON.stringify(demo) });
    await main(['--choices', 's.json'], stable.io);
    const ats = demo.schedule.map((o: { step: number; choice: number }) =>
      (lines(stable.out.join('')).map((l) => JSON.parse(l)).find((c: { step: number; choice: number }) => c.step === o.step && c.choice === o.choice) as { at: number }).at);
    const old = fakeIo({ 's.json': JSON.stringify({ ...demo, schedule: demo.schedule.map((o: { run: string }, i: number) => ({ at: ats[i], run: o.run })) }) });
    expect(await main(['s.json'], old.io)).toBe(EXIT.ran);
    expect(old.err).toEqual([`warning: /schedule: overrides in the old form { "at": seq } address a trace position, which moves when the engine changes; the same choice points as { "step", "choice" }: ${JSON.stringify(demo.schedule)}`]);
    const again = fakeIo({ 's.json': JSON.stringify(demo) });
    await main(['s.json'], again.io);
    expect(old.out.join('')).toBe(again.out.join(''));
  });

  it('parses arguments', () => {
    expect(parseArgs(['a.json'])).toEqual({ file: 'a.json', pretty: false, choices: false, limits: {} });
    expect(parseArgs(['--pretty', '-'])).toEqual({ file: '-', pretty: true, choices: false, limits: {} });
    expect(parseArgs(['--', '--pretty'])).toEqual({ file: '--pretty', pretty: false, choices: false, limits: {} });
    expect(parseArgs(['--max-ops', '10', '--max-entries=200', '--max-threads', '3', '--max-wakeups', '0', 'a.json'])).toEqual({
      file: 'a.json', pretty: false, choices: false, limits: { maxOps: 10, maxEntries: 200, maxThreads: 3, maxWakeups: 0 },
    });
    expect(parseArgs(['--max-entries', 'many', 'a.json'])).toHaveProperty('error');
    expect(parseArgs(['a.json', '--max-threads'])).toHaveProperty('error');
    expect(parseArgs(['-h'])).toBe('help');
    expect(parseArgs(['a', 'b'])).toHaveProperty('error');
    expect(parseArgs(['-x'])).toHaveProperty('error');
    expect(parseArgs(['--choices', 'a.json'])).toEqual({ file: 'a.json', pretty: false, choices: true, limits: {} });
    expect(parseArgs(['--choices', '--pretty', 'a.json'])).toHaveProperty('error');
  });

  it('chunks hold whole lines, about CHUNK_BYTES each, and join to the full output', () => {
    const trace = Array.from({ length: 1000 }, (_, i) => ({ seq: i, step: 0, thread: 'system', type: 'note', text: 'x'.repeat(i % 50) }) as TraceEntry);
    const chunks = traceChunks(trace, false, 4096).map((c) => c.toString('utf8'));
    expect(chunks.length).toBeGreaterThan(5);
    for (const c of chunks) expect(c.endsWith('\n')).toBe(true);
    for (const c of chunks.slice(0, -1)) expect(c.length).toBeGreaterThanOrEqual(4096);
    expect(chunks.join('')).toBe(trace.map((e) => `${JSON.stringify(e)}\n`).join(''));
    expect([...traceChunks([], false)]).toEqual([]);
  });

  it('stops writing once stdout is closed', async () => {
    const { io, out } = fakeIo({ 'big.json': stressScenarioText({ drivers: 20, hotAdds: 100 }) }, false);
    expect(await main(['big.json'], io)).toBe(EXIT.ran);
    expect(out).toHaveLength(1);
  });

  it('writes big traces in ~1 MB chunks', async () => {
    const { io, out, err } = fakeIo({ 'big.json': stressScenarioText({ drivers: 20, hotAdds: 100 }) });
    expect(await main(['big.json'], io)).toBe(EXIT.ran);
    expect(err).toEqual([]);
    expect(out.length).toBeGreaterThan(1);
    for (const c of out.slice(0, -1)) expect(c.length).toBeGreaterThanOrEqual(1 << 20);
    const all = lines(out.join(''));
    expect(JSON.parse(all.at(-1)!)).toMatchObject({ type: 'halt', seq: all.length - 1 });
  });

  it('--max-entries caps the trace with a DL-3 halt naming the limit (exit 0)', async () => {
    const { io, out, err } = fakeIo({ 'big.json': stressScenarioText({ drivers: 20, hotAdds: 100 }) });
    expect(await main(['--max-entries', '1000', 'big.json'], io)).toBe(EXIT.ran);
    expect(err).toEqual([]);
    const all = lines(out.join(''));
    expect(all).toHaveLength(1000);
    expect(JSON.parse(all.at(-2)!)).toMatchObject({ type: 'hazard', rule: 'DL-3', message: expect.stringContaining('1,000 trace entries') });
    expect(JSON.parse(all.at(-1)!)).toMatchObject({ type: 'halt', reason: 'budget', limit: 'entries', seq: 999 });
  });
});
