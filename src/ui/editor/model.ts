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
