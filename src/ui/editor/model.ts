// The scenario editor's logic, kept out of React so it can be tested: validating the text into
// diagnostics placed at their JSON paths, small text edits for the form fields, and reading a
// scenario file. Pure.
import { diagnosticRange, pointerRange, syntaxErrorOffset } from '../../scenario/jsonpath.ts';
import { prettyJson } from '../../scenario/exporters.ts';
import { loadText, type LoadResult, type ValidationError } from '../../scenario/load.ts';
import { LIMITS } from '../../scenario/types.ts';
import { dict } from '../../engine/dict.ts';

export interface Problem {
  severity: 'error' | 'warning';
  /** JSON pointer ('' for the whole text). */
  path: string;
  message: string;
  /** Where it is in the text. */
  from: number;
  to: number;
}

export interface Checked {
  /** The text that was checked. */
  text: string;
  result: LoadResult;
  problems: Problem[];
}

function place(text: string, e: ValidationError, severity: Problem['severity']): Problem {
  if (e.path === '') {
    const at = syntaxErrorOffset(text, e.message);
    if (at !== undefined) return { severity, path: '', message: e.message, from: at, to: Math.min(text.length, at + 1) };
  }
  const r = diagnosticRange(text, e.path);
  return { severity, path: e.path, message: e.message, from: r.from, to: r.to };
}

/** Validate the editor's text (loadText) and place every error and warning in it. */
export function check(text: string): Checked {
  const result = loadText(text);
  const problems = result.ok
    ? result.warnings.map((w) => place(text, w, 'warning'))
    : result.errors.map((e) => place(text, e, 'error'));
  return { text, result, problems };
}

/** The text parsed as JSON when it is an object (so the forms can work on it), else undefined. */
export function parseObject(text: string): Record<string, unknown> | undefined {
  if (text.length > 2 * LIMITS.bytes) return undefined; // never a scenario: not worth a long parse on the page
  try {
    const v: unknown = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const ENVELOPE = ['format', 'title', 'description', 'machine', 'drivers', 'apps', 'timeline', 'schedule'];

/**
 * The text with the envelope's `key` set to `value` (a string; '' removes it). When the member is
 * already there its value is replaced in place, so the rest of the text keeps the author's layout;
 * otherwise the whole scenario is written out again with the member in its conventional place.
 */
export function setEnvelopeString(text: string, key: 'title' | 'description', value: string): string {
  const raw = parseObject(text);
  if (!raw) return text;
  const at = pointerRange(text, `/${key}`);
  if (value !== '' && at?.exact && at.kind === 'scalar') return text.slice(0, at.from) + JSON.stringify(value) + text.slice(at.to);
  const next = dict<unknown>();
  const keys = Object.keys(raw);
  const order = [...ENVELOPE.filter((k) => k === key || keys.includes(k)), ...keys.filter((k) => !ENVELOPE.includes(k))];
  for (const k of order) {
    const v = k === key ? value : raw[k];
    if (k === key && value === '') continue;
    Object.defineProperty(next, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return `${prettyJson(next)}\n`;
}

/** A scenario object written as the editor shows it. */
export const toText = (scenario: unknown): string => `${prettyJson(scenario)}\n`;

export type FileReadResult = { ok: true; text: string; result: Extract<LoadResult, { ok: true }> } | { ok: false; title: string; errors: ValidationError[] };

/** Read an imported file's text: valid → pretty text for the editor; invalid → why, with paths. */
export function readScenarioFile(name: string, fileText: string): FileReadResult {
  const result = loadText(fileText);
  if (!result.ok) {
    return {
      ok: false,
      title: result.newerVersion ? `${name} was made by a newer version of the playground; reload the page to get it, then import again.` : `${name} is not a valid scenario:`,
      errors: result.errors,
    };
  }
  const raw = parseObject(fileText);
  return { ok: true, text: raw ? toText(raw) : fileText, result };
}

/**
 * An imported file's bytes as text. Invalid UTF-8 is an error with the byte offset of the first bad
 * sequence (TextDecoder fatal), never text with U+FFFD silently in it. A byte-order mark is fine.
 */
export function decodeFile(name: string, bytes: Uint8Array): { ok: true; text: string } | { ok: false; title: string; errors: ValidationError[] } {
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    const offset = invalidUtf8Offset(bytes);
    return { ok: false, title: `${name} is not UTF-8 text: invalid byte sequence at byte offset ${offset} (0x${(bytes[offset] ?? 0).toString(16).padStart(2, '0').toUpperCase()}). Save it as UTF-8 and import it again.`, errors: [] };
  }
}

/** The offset of the first byte that does not start a well-formed UTF-8 sequence (RFC 3629), or the length. */
export function invalidUtf8Offset(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    let n = 0;
    let min = 0;
    if (c < 0x80) {
      i++;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) [n, min] = [1, 0x80];
    else if (c >= 0xe0 && c <= 0xef) [n, min] = [2, 0x800];
    else if (c >= 0xf0 && c <= 0xf4) [n, min] = [3, 0x10000];
    else return i;
    let cp = c & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const x = b[i + k];
      if (x === undefined || (x & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (x & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return b.length;
}

/** A file too big to read at all (the 1 MiB scenario limit, with room for whitespace and a BOM). */
export const MAX_IMPORT_BYTES = LIMITS.bytes;

export function fileTooLarge(name: string, size: number): FileReadResult | undefined {
  if (size <= MAX_IMPORT_BYTES) return undefined;
  return {
    ok: false,
    title: `${name} is ${(size / 1024 / 1024).toFixed(1)} MiB; a scenario is at most 1 MiB of JSON.`,
    errors: [],
  };
}

/** "3 drivers, 1 app, 7 timeline actions" — what the valid text holds. */
export function summary(result: Extract<LoadResult, { ok: true }>): string {
  const s = result.scenario;
  const n = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
  return [
    n(Object.keys(s.drivers).length, 'driver'),
    n(Object.keys(s.apps).length, 'app'),
    n(s.machine.devices.length, 'device'),
    n(s.timeline.length, 'timeline action'),
  ].join(', ');
}

/** The smallest change that turns `from` into `to` (common prefix and suffix kept), so the cursor and scroll survive a form edit. */
export function minimalChange(from: string, to: string): { from: number; to: number; insert: string } | undefined {
  if (from === to) return undefined;
  let start = 0;
  const max = Math.min(from.length, to.length);
  while (start < max && from.charCodeAt(start) === to.charCodeAt(start)) start++;
  let endA = from.length;
  let endB = to.length;
  while (endA > start && endB > start && from.charCodeAt(endA - 1) === to.charCodeAt(endB - 1)) {
    endA--;
    endB--;
  }
  return { from: start, to: endA, insert: to.slice(start, endB) };
}
