// The headless runner: run a scenario and print its trace.
//
//   npm run --silent simulate -- <scenario.json | -> [--pretty | --choices]
//
// stdout: the trace as JSON Lines (trace format v1, docs/trace-format.md): one entry per line,
//         `JSON.stringify(entry)`, nothing else; the last line is the `halt`. With --pretty, one
//         readable line per entry (formatEntry, the formatter the page uses) instead.
//         With --choices, the run's choice points instead, one JSON object per line (ChoicePoint:
//         `at`, `step`, `choice`, `runnable`, `chosen`, `next`), to write `schedule` overrides from.
// stderr: validation errors (`<json-path>: <message>`, one a line; `(root)` for the root),
//         load warnings (`warning: …`), internal errors.
// Exit status: 0 the scenario ran (whatever the halt reason: a bug check or a deadlock is a
//              result); 2 invalid scenario (load errors, or schedule overrides that do not fit the
//              run); 1 internal error, unreadable file or bad usage.
//
// The run hands its entries over as it goes (streamScenario): each batch is serialised (jsonLines:
// a few hundred entries per JSON.stringify, the same bytes) into ~1 MB chunks of text and let go,
// so the trace is never held as objects. The chunks are written once the run is known to be valid
// (a schedule that does not fit it prints errors, not a trace), with backpressure, and a closed
// stdout (`| head`) ends the output quietly. This module is the command's logic; src/cli/pnp-playground.ts is the entry point
// that wires it to the process.

import { loadText, type ValidationError } from '../scenario/load.ts';
import { SCENARIO_FORMAT } from '../scenario/types.ts';
import { DEFAULT_LIMITS, streamScenario, type RunLimits, type TraceEntry } from '../engine/index.ts';
import { formatEntry } from '../engine/format.ts';
import { cutLines, entryBoundaries, linesOneByOne, type Sequenced } from './jsonLines.ts';

const n = (x: number) => String(x);

export const USAGE = `usage: npm run --silent simulate -- [--pretty | --choices] [--max-<limit> N …] <scenario.json | ->

Runs a ${SCENARIO_FORMAT} scenario and prints its trace on stdout.
  <scenario.json>    the scenario file; "-" reads it from stdin
  --pretty           one readable line per trace entry instead of JSON Lines
  --choices          the run's choice points instead of its trace, one JSON object per line:
                     {"at","step","choice","runnable","chosen","next"}; a schedule override
                     {"step": S, "choice": C, "run": <one of runnable>} picks another thread there
  --max-ops N        ops executed plus routines invoked (default ${n(DEFAULT_LIMITS.maxOps)})
  --max-entries N    trace entries, the final DL-3 hazard and halt included (default ${n(DEFAULT_LIMITS.maxEntries)})
  --max-threads N    threads created (default ${n(DEFAULT_LIMITS.maxThreads)})
  --max-wakeups N    wake-ups of blocked threads (default ${n(DEFAULT_LIMITS.maxWakeups)})
  -h, --help         this text

A run that reaches a limit ends with a DL-3 hazard naming it and a "budget" halt (exit 0).

Exit status: 0 the scenario ran (whatever the halt reason); 2 invalid scenario (each error on
stderr as "<json-path>: <message>"); 1 internal error or unreadable file.`;

export const EXIT = { ran: 0, internal: 1, invalid: 2 } as const;

/** Bytes of output gathered before one write (~1 MB). */
export const CHUNK_BYTES = 1 << 20;
/**
 * Characters of text encoded to bytes at a time. Small on purpose: the line strings of a piece die
 * young, where a megabyte of them would survive garbage collections (copied each time) until its write.
 */
const PIECE_CHARS = 1 << 16;
const NEWLINE = 0x0a;

export interface Args {
  file: string;
  pretty: boolean;
  /** Print the choice points (docs/architecture.md §2.2) instead of the trace. */
  choices: boolean;
  limits: Partial<RunLimits>;
}

/** The command-line names of the run's limits (README "Limits of a run"). */
export const LIMIT_FLAGS: Readonly<Record<string, keyof RunLimits>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, keyof RunLimits>, {
    '--max-ops': 'maxOps', '--max-entries': 'maxEntries', '--max-threads': 'maxThreads', '--max-wakeups': 'maxWakeups',
  }),
);

/** Parsed arguments; `'help'` for --help; a string message for a usage error. */
export function parseArgs(argv: readonly string[]): Args | 'help' | { error: string } {
  let file: string | undefined;
  let pretty = false;
  let choices = false;
  let options = true;
  const limits: Partial<RunLimits> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith('--max-') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    if (options && a === '--') options = false;
    else if (options && (a === '-h' || a === '--help')) return 'help';
    else if (options && a === '--pretty') pretty = true;
    else if (options && a === '--choices') choices = true;
    else if (options && Object.hasOwn(LIMIT_FLAGS, flag)) {
      const value = inline ?? argv[++i];
      if (value === undefined || !/^[0-9]+$/.test(value) || !Number.isSafeInteger(Number(value))) {
        return { error: `${flag} needs a whole number (got ${value === undefined ? 'nothing' : JSON.stringify(value)})` };
      }
      limits[LIMIT_FLAGS[flag]] = Number(value);
    }
    else if (options && a.startsWith('-') && a !== '-') return { error: `unknown option ${a}` };
    else if (file === undefined) file = a;
    else return { error: `one scenario file at a time (got ${JSON.stringify(file)} and ${JSON.stringify(a)})` };
  }
  if (file === undefined) return { error: 'no scenario file given' };
  if (pretty && choices) return { error: '--pretty and --choices do not go together' };
  return { file, pretty, choices, limits };
}

/** Output lines encoded into chunks of about `chunkBytes` bytes (UTF-8), each a whole number of lines. */
export class LineChunks {
  readonly chunks: Buffer[] = [];
  private text = '';
  /** The chunk being filled (encoded straight into it), and how many of its bytes are used. */
  private buf: Buffer | null = null;
  private used = 0;
  private readonly pieceChars: number;
  /**
   * @param entriesAtOnce how many entries addJsonLines serialises in one JSON.stringify: enough to
   *   spread its cost, few enough that their text is small beside a chunk (256 for 1 MB chunks).
   */
  constructor(
    private readonly chunkBytes = CHUNK_BYTES,
    private readonly entriesAtOnce = Math.max(1, Math.min(256, chunkBytes >> 12)),
  ) {
    this.pieceChars = Math.min(PIECE_CHARS, chunkBytes);
  }

  add(line: string): void {
    this.text += `${line}\n`;
    if (this.text.length >= this.pieceChars) this.encode();
  }

  /** Whole lines at once: `text` is empty or ends with a newline. */
  addLines(text: string): void {
    this.text += text;
    if (this.text.length >= this.pieceChars) this.encode();
  }

  /**
   * Entries as JSON Lines, `JSON.stringify(entry)` a line, made by one JSON.stringify of them all
   * (jsonLines.ts): its text, brackets dropped, is encoded straight into the chunk and the commas
   * between entries become newlines. Where the text is not ASCII (a character is then not a byte)
   * it is cut into lines as text instead; where its boundaries are not the entries', it is made
   * one entry at a time. The bytes are the same every way.
   */
  addJsonLines(entries: readonly Sequenced[]): void {
    const n = entries.length;
    const most = this.entriesAtOnce;
    if (n > most) {
      for (let i = 0; i < n; i += most) this.addJsonLines(entries.slice(i, i + most));
      return;
    }
    if (n === 0) return;
    const json = JSON.stringify(entries);
    const commas = entryBoundaries(json, entries);
    if (commas === null) return this.addLines(linesOneByOne(entries));
    this.encode();
    const inner = json.slice(1, -1);
    const buf = this.reserve(inner, 1);
    const start = this.used;
    const bytes = buf.write(inner, start, 'utf8');
    if (bytes !== inner.length) return this.addLines(cutLines(json, commas)); // not ASCII: the bytes written are dropped
    for (let i = 0; i < commas.length; i++) buf[start + commas[i] - 1] = NEWLINE;
    buf[start + bytes] = NEWLINE;
    this.used = start + bytes + 1;
    if (this.used >= this.chunkBytes) this.cut();
  }

  /** Every chunk, the last one included. */
  end(): Buffer[] {
    this.encode();
    this.cut();
    return this.chunks;
  }

  private encode(): void {
    const text = this.text;
    if (text.length === 0) return;
    this.text = '';
    const buf = this.reserve(text, 0);
    this.used += buf.write(text, this.used, 'utf8');
    if (this.used >= this.chunkBytes) this.cut();
  }

  /** The chunk being filled, with room after its used bytes for `text` in UTF-8 and `extra` bytes more. */
  private reserve(text: string, extra: number): Buffer {
    // Room for a full chunk plus one piece at 3 UTF-8 bytes a character; exact only when that bound does not fit.
    this.buf ??= Buffer.allocUnsafe(this.chunkBytes + 3 * this.pieceChars);
    let need = 3 * text.length + extra;
    if (this.used + need > this.buf.length) need = Buffer.byteLength(text, 'utf8') + extra;
    if (this.used + need > this.buf.length) {
      const bigger = Buffer.allocUnsafe(this.used + need);
      this.buf.copy(bigger, 0, 0, this.used);
      this.buf = bigger;
    }
    return this.buf;
  }

  private cut(): void {
    if (this.buf === null || this.used === 0) return;
    this.chunks.push(this.buf.subarray(0, this.used));
    this.buf = null;
    this.used = 0;
  }
}

/** The trace as output chunks of about CHUNK_BYTES bytes, each a whole number of lines. */
export function traceChunks(trace: readonly TraceEntry[], pretty = false, chunkBytes = CHUNK_BYTES): Buffer[] {
  const out = new LineChunks(chunkBytes);
  addEntries(out, trace, pretty);
  return out.end();
}

/** Add the entries' output lines to `out`: JSON Lines, or --pretty lines. */
function addEntries(out: LineChunks, entries: readonly TraceEntry[], pretty: boolean): void {
  if (pretty) {
    for (let i = 0; i < entries.length; i++) out.add(formatEntry(entries[i]));
  } else out.addJsonLines(entries);
}

/** What the command prints for a scenario text: its stdout as chunks, or the errors that make it invalid. */
export type Simulated = { ok: true; chunks: Buffer[] } | { ok: false; errors: string[] };

/**
 * The command's work without the process: load the scenario text, run it, and render the trace
 * (JSON Lines, or --pretty lines) or the choice points (--choices) as output chunks. Warnings go
 * to `warn` as they arise (stderr lines).
 */
export function simulate(
  text: string,
  options: { pretty?: boolean; choices?: boolean; limits?: Partial<RunLimits> } = {},
  warn: (line: string) => void = () => {},
): Simulated {
  const loaded = loadText(text);
  if (!loaded.ok) return { ok: false, errors: loaded.errors.map(formatError) };
  for (const w of loaded.warnings) warn(`warning: ${formatError(w)}`);
  const out = new LineChunks();
  const pretty = options.pretty === true;
  // With --choices the trace is not printed: its entries are dropped as they come.
  const sink = options.choices ? () => {} : (entries: readonly TraceEntry[]) => addEntries(out, entries, pretty);
  const outcome = streamScenario(loaded.scenario, sink, options.limits);
  if (!outcome.ok) return { ok: false, errors: outcome.errors.map(formatError) };
  if (outcome.migratedSchedule) {
    warn(`warning: /schedule: overrides in the old form { "at": seq } address a trace position, which moves when the engine changes; the same choice points as { "step", "choice" }: ${JSON.stringify(outcome.migratedSchedule)}`);
  }
  if (options.choices) {
    const choices = new LineChunks();
    for (const c of outcome.choices) choices.add(JSON.stringify(c));
    return { ok: true, chunks: choices.end() };
  }
  return { ok: true, chunks: out.end() };
}

export const formatError = (e: ValidationError): string => `${e.path || '(root)'}: ${e.message}`;

/** What main() needs from the process (passed in so it can be driven without one). */
export interface Io {
  readFile(path: string): string;
  readStdin(): Promise<string>;
  /** Write a chunk of stdout; resolves when it may be followed by the next (backpressure). False: stdout is closed. */
  write(chunk: string | Uint8Array): Promise<boolean>;
  err(line: string): void;
}

/** The CLI. Returns the exit status. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv);
  if (args === 'help') {
    await io.write(`${USAGE}\n`);
    return EXIT.ran;
  }
  if ('error' in args) {
    io.err(`simulate: ${args.error}`);
    io.err(USAGE);
    return EXIT.internal;
  }
  const name = inputName(args.file);
  const text = await readScenarioText(args.file, io, 'simulate');
  if (text === null) return EXIT.internal;

  let result: Simulated;
  try {
    result = simulate(text, args, (line) => io.err(line));
  } catch (e) {
    io.err(`simulate: internal error while running ${name}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return EXIT.internal;
  }
  if (!result.ok) {
    for (const e of result.errors) io.err(e);
    return EXIT.invalid;
  }
  for (const chunk of result.chunks) {
    if (!(await io.write(chunk))) break; // stdout closed (| head): stop quietly
  }
  return EXIT.ran;
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** How a command names its input in messages: the path, or `<stdin>` for `-`. */
export const inputName = (file: string): string => (file === '-' ? '<stdin>' : file);

/**
 * The scenario text named on a command line (`-` reads stdin). When it cannot be read, reports
 * `<command>: cannot read <name>: <reason>` on stderr and returns null (the caller exits 1).
 */
export async function readScenarioText(
  file: string,
  io: { readStdin(): Promise<string>; readFile(path: string): string; err(line: string): void },
  command: string,
): Promise<string | null> {
  try {
    return file === '-' ? await io.readStdin() : io.readFile(file);
  } catch (e) {
    io.err(`${command}: cannot read ${inputName(file)}: ${errorText(e)}`);
    return null;
  }
}
