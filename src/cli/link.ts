// Print the playground link of a scenario file.
//
//   npm run --silent link -- <scenario.json | -> [--step N]
//
// stdout: the app-relative link, `/#s1.<payload>[&step=N]` (prepend the site's address).
// stderr: validation errors (`path: message`, one a line), load() warnings, and a warning when the
// link is longer than MAX_LINK_CHARS (chat apps truncate long links).
// Exit status: 0 link printed; 1 usage or unreadable file; 2 not JSON, invalid, or from a newer version.
// src/cli/pnp-playground.ts is the entry point that wires this command to the process.

import { MAX_LINK_CHARS, scenarioToHash } from '../scenario/codec.ts';
import { loadText } from '../scenario/load.ts';

const USAGE = 'usage: npm run --silent link -- <scenario.json | -> [--step N]';

export interface Io {
  readFile(path: string): string;
  readStdin(): string;
  out(line: string): void;
  err(line: string): void;
}

function parseArgs(argv: string[]): { file: string; step?: number } | string {
  let file: string | undefined;
  let step: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--step' || a.startsWith('--step=')) {
      const v = a === '--step' ? argv[++i] : a.slice('--step='.length);
      if (v === undefined || !/^[0-9]{1,15}$/.test(v)) return `--step needs a non-negative integer; got ${v === undefined ? 'nothing' : JSON.stringify(v)}`;
      step = Number(v);
    } else if (a === '-h' || a === '--help') {
      return '';
    } else if (a.startsWith('-') && a !== '-') {
      return `unknown option ${a}`;
    } else if (file === undefined) {
      file = a;
    } else {
      return `one scenario file at a time (got ${JSON.stringify(file)} and ${JSON.stringify(a)})`;
    }
  }
  if (file === undefined) return 'no scenario file given';
  return { file, step };
}

/** The CLI, with its effects passed in (so it can be driven without a process). Returns the exit status. */
export function main(argv: string[], io: Io): number {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    if (args) io.err(`link: ${args}`);
    io.err(USAGE);
    return args ? 1 : 0;
  }
  const name = args.file === '-' ? '<stdin>' : args.file;
  let text: string;
  try {
    text = args.file === '-' ? io.readStdin() : io.readFile(args.file);
  } catch (e) {
    io.err(`link: cannot read ${name}: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
  const loaded = loadText(text);
  if (!loaded.ok) {
    io.err(`${name}: ${loaded.newerVersion ? 'made by a newer version of the playground; ' : ''}${loaded.errors.length} error${loaded.errors.length === 1 ? '' : 's'}:`);
    for (const e of loaded.errors) io.err(`${e.path || '(root)'}: ${e.message}`);
    return 2;
  }
  for (const w of loaded.warnings) io.err(`warning: ${w.path || '(root)'}: ${w.message}`);
  const link = `/${scenarioToHash(loaded.scenario, args.step)}`;
  if (link.length > MAX_LINK_CHARS) {
    io.err(`warning: the link is ${link.length.toLocaleString('en-US')} characters, more than ${MAX_LINK_CHARS.toLocaleString('en-US')} (before the site address); chat apps may cut it short`);
  }
  io.out(link);
  return 0;
}
