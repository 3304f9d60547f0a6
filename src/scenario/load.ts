// The one way in for every scenario (docs/architecture.md): links, file import, the editor's Apply,
// the demo gallery, local restore, the engine worker and both command-line tools call `load` (or
// `loadText` for JSON text). It runs, in order:
//   raw checks (nesting depth, size) → a newer format is refused → migration to SCENARIO_FORMAT
//   (migrations.ts) → format and hard limits → validation and normalisation (validate.ts).
// `load` and `loadText` never throw: every problem comes back as an error with a JSON Pointer.

import { LIMITS, SCENARIO_FORMAT, type NormalizedScenario } from './types.ts';
import { describe, type ValidationError } from './errors.ts';
import { migrate } from './migrations.ts';
import { checkDepth, checkFormat, checkLimits, isObj, validateScenario } from './validate.ts';

export type { ValidationError } from './errors.ts';

export type LoadResult =
  | {
      ok: true;
      scenario: NormalizedScenario;
      warnings: ValidationError[];
      /** The older format the input was migrated from (absent when it was already current). */
      migratedFrom?: string;
    }
  | { ok: false; errors: ValidationError[]; newerVersion?: boolean };

const fail = (errors: ValidationError[]): LoadResult => ({ ok: false, errors });

/** Validates an already-parsed JSON value completely and returns the normalised scenario or every error. */
export function load(input: unknown): LoadResult {
  return loadGuarded(input, false);
}

/** `load`; `depthChecked`: checkDepth already passed on `input` (loadText checks it first). */
function loadGuarded(input: unknown, depthChecked: boolean): LoadResult {
  try {
    return loadValue(input, depthChecked);
  } catch (e) {
    // A safety net: validation is written not to throw, but a hostile value (a Proxy, a getter)
    // must still come back as an error.
    return fail([{ path: '', message: `the scenario could not be validated: ${errorText(e)}` }]);
  }
}

function loadValue(input: unknown, depthChecked: boolean): LoadResult {
  const deep = depthChecked ? undefined : checkDepth(input);
  if (deep) return fail([deep]);
  if (!isObj(input)) {
    return fail([{ path: '', message: `expected a scenario: a JSON object with "format": "${SCENARIO_FORMAT}"; got ${describe(input)}` }]);
  }
  const declared = checkFormat(input);
  if (declared.kind === 'newer') return { ok: false, errors: [declared.error], newerVersion: true };

  // An older format goes through the migration chain. A version no chain leads from is left as it
  // is: checkFormat reports it at /format, and the rest is still validated.
  const migrated = migrate(input);
  if (!migrated.ok && migrated.error.kind === 'failed') return fail([{ path: migrated.error.path, message: migrated.error.message }]);
  let root = input;
  let migratedFrom: string | undefined;
  if (migrated.ok && migrated.from !== SCENARIO_FORMAT && isObj(migrated.value)) {
    const deeper = checkDepth(migrated.value);
    if (deeper) return fail([deeper]);
    root = migrated.value;
    migratedFrom = migrated.from;
  }

  const format = checkFormat(root);
  const limits = checkLimits(root);
  if (limits.length > 0) return fail(format.kind === 'bad' ? [format.error, ...limits] : limits);
  const outcome = validateScenario(root);
  const errors = format.kind === 'bad' ? [format.error, ...outcome.errors] : outcome.errors;
  if (errors.length > 0 || !outcome.scenario) return fail(errors);
  return { ok: true, scenario: outcome.scenario, warnings: outcome.warnings, ...(migratedFrom === undefined ? {} : { migratedFrom }) };
}

/** Parses JSON text (at most 1 MiB, nesting at most 64) and loads it. */
export function loadText(text: string): LoadResult {
  try {
    if (typeof text !== 'string') return fail([{ path: '', message: `expected JSON text; got ${describe(text)}` }]);
    // A UTF-16 unit is at most 3 UTF-8 bytes: a text that short is within the limit without counting.
    if (text.length * 3 > LIMITS.bytes && utf8Length(text, LIMITS.bytes) > LIMITS.bytes) {
      return fail([
        {
          path: '',
          message: `the scenario is more than 1 MiB of JSON text; the limit is 1 MiB (${LIMITS.bytes.toLocaleString('en-US')} bytes)`,
        },
      ]);
    }
    const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // a byte-order mark is not an error
    // Nesting deeper than the limit is reported from the text (with its line and column) before
    // any other error. The text is scanned for it only when parsing failed (a parser may give up on
    // deep nesting) or the parsed value fails the raw checks: a valid scenario is not scanned twice.
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch (e) {
      return fail([textDepthError(body) ?? syntaxError(body, e)]);
    }
    const deep = checkDepth(value);
    if (deep) return fail([textDepthError(body) ?? deep]);
    return loadGuarded(value, true);
  } catch (e) {
    return fail([{ path: '', message: `the scenario could not be read: ${errorText(e)}` }]);
  }
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** UTF-8 length of `s`, stopping early once it exceeds `cap`. */
function utf8Length(s: string, cap: number): number {
  if (s.length > cap) return s.length; // at least one byte per UTF-16 unit
  let n = 0;
  for (let i = 0; i < s.length && n <= cap; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** 1-based line and column of a UTF-16 offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/** Nesting deeper than LIMITS.depth, found on the text before parsing (so JSON.parse never sees it). */
function textDepthError(text: string): ValidationError | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > LIMITS.depth) {
        const { line, column } = lineColumn(text, i);
        return { path: '', message: `JSON nesting is deeper than ${LIMITS.depth} levels (at line ${line}, column ${column}); the limit is ${LIMITS.depth}` };
      }
    } else if (c === 125 || c === 93) depth--;
  }
  return undefined;
}

function syntaxError(text: string, e: unknown): ValidationError {
  const found = findJsonError(text);
  if (found) {
    const { line, column } = lineColumn(text, found.offset);
    return { path: '', message: `JSON syntax error at line ${line}, column ${column}: ${found.message}` };
  }
  // Our scanner and JSON.parse disagree (should not happen): report what the parser said.
  const msg = errorText(e);
  const pos = /position (\d+)/.exec(msg);
  if (pos) {
    const { line, column } = lineColumn(text, Number(pos[1]));
    return { path: '', message: `JSON syntax error at line ${line}, column ${column}: ${msg}` };
  }
  return { path: '', message: `JSON syntax error: ${msg}` };
}

/**
 * A small iterative JSON (RFC 8259) scanner that finds the first syntax error, for messages that
 * are the same in every browser. Returns undefined when the text is valid JSON.
 */
export function findJsonError(text: string): { offset: number; message: string } | undefined {
  const n = text.length;
  let i = 0;
  const stack: number[] = []; // 123 '{' or 91 '['
  let state: 'value' | 'key' | 'after' = 'value';
  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };
  const err = (message: string) => ({ offset: i, message });
  const found = () => (i >= n ? 'the text ends' : `found ${JSON.stringify(text[i])}`);
  const str = (): { offset: number; message: string } | undefined => {
    i++; // opening quote
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return undefined;
      }
      if (c < 0x20) return err('a control character (such as a line break) inside a string; write it as an escape (\\n)');
      if (c === 92) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return err('expected four hex digits after \\u');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else return err(`invalid escape ${JSON.stringify('\\' + (e ?? ''))} in a string`);
      } else i++;
    }
    return err('unterminated string (missing closing ")');
  };
  const num = (): { offset: number; message: string } | undefined => {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === '-' || m[0] === '') return err(`invalid number; ${found()}`);
    i += m[0].length;
    const c = text[i];
    if (c !== undefined && /[0-9.eE+-]/.test(c)) return err(`invalid number; ${found()}`);
    return undefined;
  };
  for (;;) {
    ws();
    if (state === 'value') {
      if (i >= n) return err('unexpected end of the text; expected a value');
      const c = text.charCodeAt(i);
      if (c === 123 || c === 91) {
        stack.push(c);
        i++;
        ws();
        const close = c === 123 ? 125 : 93;
        if (text.charCodeAt(i) === close) {
          stack.pop();
          i++;
          state = 'after';
        } else state = c === 123 ? 'key' : 'value';
        continue;
      }
      if (c === 34) {
        const e = str();
        if (e) return e;
      } else if (c === 45 || (c >= 48 && c <= 57)) {
        const e = num();
        if (e) return e;
      } else {
        const lit = ['true', 'false', 'null'].find((w) => text.startsWith(w, i));
        if (!lit) {
          const word = /^[A-Za-z_$][\w$]*/.exec(text.slice(i, i + 40));
          return err(
            word
              ? `unexpected ${JSON.stringify(word[0])}; expected a value (strings need double quotes)`
              : `expected a value; ${found()}`,
          );
        }
        i += lit.length;
      }
      state = 'after';
    } else if (state === 'key') {
      if (text.charCodeAt(i) !== 34) return err(`expected a property name in double quotes; ${found()}`);
      const e = str();
      if (e) return e;
      ws();
      if (text.charCodeAt(i) !== 58) return err(`expected ":" after the property name; ${found()}`);
      i++;
      state = 'value';
    } else {
      const top = stack[stack.length - 1];
      if (top === undefined) return i < n ? err(`unexpected text after the end of the JSON value; ${found()}`) : undefined;
      const c = text.charCodeAt(i);
      if (c === 44) {
        i++;
        state = top === 123 ? 'key' : 'value';
      } else if ((c === 125 && top === 123) || (c === 93 && top === 91)) {
        stack.pop();
        i++;
      } else {
        return err(top === 123 ? `expected "," or "}" after a property value; ${found()}` : `expected "," or "]" after an array element; ${found()}`);
      }
    }
  }
}
