// Scenario links without validation: the text of a link (`#s1.<payload>[&step=<n>]`: canonical
// JSON, raw DEFLATE, base64url) to and from JSON data. codec.ts adds what needs load() (the
// canonical form of a scenario, and decodeHash which validates); this module does not import the
// validator, so the page's main bundle stays free of it (the engine worker validates).
//
// Decoding never throws: every failure is a LinkError with a kind the UI can explain.

import { Inflate, deflateSync } from 'fflate';
import type { ValidationError } from './errors.ts';
import { isStep, LINK_PREFIX, LINK_VERSION, MAX_DECODED_BYTES, NEWER, type LinkError, type LinkErrorKind, type ReadResult } from './linkText.ts';
import { LIMITS } from './types.ts';

// The parts without fflate (its module builds its DEFLATE tables when evaluated), for the page.
export * from './linkText.ts';

// ---------------------------------------------------------------------------------------------
// Canonical JSON

export const ENVELOPE_ORDER = ['format', 'title', 'description', 'machine', 'drivers', 'apps', 'timeline', 'schedule'];

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** JSON text of `value` with the envelope keys in conventional order (see the header). */
export function canonicalJson(value: unknown): string {
  const seen = new Set<object>();
  const write = (v: unknown, keys?: string[]): string | undefined => {
    if (v === null) return 'null';
    switch (typeof v) {
      case 'string':
        return JSON.stringify(v);
      case 'number':
        return Number.isFinite(v) ? JSON.stringify(v) : 'null';
      case 'boolean':
        return v ? 'true' : 'false';
      case 'object':
        break;
      default:
        return undefined; // undefined, functions, symbols: skipped as JSON.stringify does
    }
    const obj = v as object;
    if (seen.has(obj)) throw new TypeError('scenario contains a cycle');
    seen.add(obj);
    let out: string;
    if (Array.isArray(obj)) {
      out = `[${obj.map((x) => write(x) ?? 'null').join(',')}]`;
    } else {
      const rec = obj as Record<string, unknown>;
      const parts: string[] = [];
      for (const k of keys ?? Object.keys(rec)) {
        const s = write(rec[k]);
        if (s !== undefined) parts.push(`${JSON.stringify(k)}:${s}`);
      }
      out = `{${parts.join(',')}}`;
    }
    seen.delete(obj);
    return out;
  };
  if (!isPlainObject(value)) return write(value) ?? 'null';
  const own = Object.keys(value);
  const order = [...ENVELOPE_ORDER.filter((k) => Object.hasOwn(value, k)), ...own.filter((k) => !ENVELOPE_ORDER.includes(k))];
  return write(value, order) ?? 'null';
}

// ---------------------------------------------------------------------------------------------
// base64url (RFC 4648 §5) without padding; no Buffer/atob so it is identical everywhere

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

export function base64urlEncode(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63] + ALPHABET[n & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63];
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63];
  }
  return out;
}

/** Index of the first character outside the base64url alphabet, or -1. */
function firstBadChar(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || DECODE[c] < 0) return i;
  }
  return -1;
}

/** Decode base64url already checked by firstBadChar; length % 4 must not be 1. Trailing bits are ignored. */
function base64urlDecodeChecked(s: string): Uint8Array {
  const out = new Uint8Array(Math.floor((s.length * 3) / 4));
  let o = 0;
  let i = 0;
  for (; i + 3 < s.length; i += 4) {
    const n = (DECODE[s.charCodeAt(i)] << 18) | (DECODE[s.charCodeAt(i + 1)] << 12) | (DECODE[s.charCodeAt(i + 2)] << 6) | DECODE[s.charCodeAt(i + 3)];
    out[o++] = n >> 16;
    out[o++] = (n >> 8) & 255;
    out[o++] = n & 255;
  }
  const rest = s.length - i;
  if (rest >= 2) {
    const n = (DECODE[s.charCodeAt(i)] << 18) | (DECODE[s.charCodeAt(i + 1)] << 12) | (rest === 3 ? DECODE[s.charCodeAt(i + 2)] << 6 : 0);
    out[o++] = n >> 16;
    if (rest === 3) out[o++] = (n >> 8) & 255;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Encoding

const encoder = new TextEncoder();

/** The link payload (no `#s1.` prefix) of a JSON text: deflate-raw level 9, base64url. */
export function encodePayload(json: string): string {
  return base64urlEncode(deflateSync(encoder.encode(json), { level: 9 }));
}

// ---------------------------------------------------------------------------------------------
// Decoding

/** Input bytes per Inflate.push: DEFLATE expands at most ~1032:1, so one push yields ≤ ~1 MiB. */
const INFLATE_CHUNK = 1024;

const TOO_LARGE = Symbol('too-large');

type InflateResult = { ok: true; bytes: Uint8Array } | { ok: false; kind: 'too-large' | 'truncated' | 'corrupt'; detail: string };

/**
 * Raw-inflate `data`, refusing output past `cap` bytes without ever holding much more than `cap`:
 * the input is pushed in small chunks and the ondata handler aborts as soon as the count passes.
 */
export function inflateCapped(data: Uint8Array, cap = MAX_DECODED_BYTES): InflateResult {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const inflater = new Inflate((chunk) => {
    total += chunk.length;
    if (total > cap) throw TOO_LARGE;
    if (chunk.length) chunks.push(chunk);
  });
  try {
    if (data.length === 0) inflater.push(data, true);
    for (let i = 0; i < data.length; i += INFLATE_CHUNK) inflater.push(data.subarray(i, i + INFLATE_CHUNK), i + INFLATE_CHUNK >= data.length);
  } catch (e) {
    if (e === TOO_LARGE) return { ok: false, kind: 'too-large', detail: '' };
    // fflate error code 0 is "unexpected EOF": the stream stopped before its final block ended.
    if ((e as { code?: unknown } | null)?.code === 0) return { ok: false, kind: 'truncated', detail: 'unexpected end of data' };
    return { ok: false, kind: 'corrupt', detail: e instanceof Error ? e.message : String(e) };
  }
  if (chunks.length === 1) return { ok: true, bytes: chunks[0] };
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  return { ok: true, bytes };
}

/** JSON pointer of a path (RFC 6901). */
function pointer(path: (string | number)[]): string {
  return path.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** Nesting past this is refused before load() sees it; load() enforces the exact LIMITS.depth. */
const STACK_GUARD_DEPTH = 2 * LIMITS.depth;

/**
 * Refuse what must not reach load(): "__proto__" keys (a pollution vector for any code that later
 * copies the scenario with plain assignment) and absurd nesting (so nothing downstream can overflow
 * the stack). Iterative, so a hostile payload cannot overflow the stack here either.
 */
function hostileShape(root: unknown): ValidationError | undefined {
  type Node = { v: unknown; key: string | number; parent: Node | undefined; depth: number };
  const path = (n: Node): string => {
    const keys: (string | number)[] = [];
    for (let at: Node | undefined = n; at?.parent; at = at.parent) keys.unshift(at.key);
    return pointer(keys);
  };
  const stack: Node[] = [{ v: root, key: '', parent: undefined, depth: 1 }];
  while (stack.length) {
    const node = stack.pop()!;
    const v = node.v;
    if (typeof v !== 'object' || v === null) continue;
    if (node.depth > STACK_GUARD_DEPTH) return { path: path(node), message: `nested deeper than ${LIMITS.depth} levels` };
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], key: i, parent: node, depth: node.depth + 1 });
    } else {
      for (const k of Object.keys(v)) {
        const child: Node = { v: (v as Record<string, unknown>)[k], key: k, parent: node, depth: node.depth + 1 };
        if (k === '__proto__') return { path: path(child), message: 'the key "__proto__" is not allowed' };
        stack.push(child);
      }
    }
  }
  return undefined;
}

function fail(kind: LinkErrorKind, message: string, errors?: ValidationError[]): { ok: false; error: LinkError } {
  return { ok: false, error: errors ? { kind, message, errors } : { kind, message } };
}

const LINK_RE = /^s([0-9]{1,9})\.([^&]*)((?:&.*)?)$/s;

function parseStep(params: string): number | undefined {
  let step: number | undefined;
  for (const p of params.split('&')) {
    const m = /^step=([0-9]{1,15})$/.exec(p);
    if (m && isStep(Number(m[1]))) step = Number(m[1]);
  }
  return step;
}

/**
 * Read a link from the page hash (`location.hash`; the leading `#` may be left out) up to, not
 * including, validation: decodeHash (codec.ts) then load()s the value; the page has the engine
 * worker validate it when it runs (invalidLinkError). Never throws. Unknown `&name=value`
 * parameters are ignored, so later versions can add some.
 */
export function readLink(hash: string): ReadResult {
  try {
    return readUnsafe(hash);
  } catch (e) {
    // Not expected (every stage catches its own failures), but a link must never break the page.
    return fail('corrupt', `The link could not be opened: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function readUnsafe(hash: string): ReadResult {
  if (typeof hash !== 'string') return fail('not-a-link', 'There is no scenario link here.');
  const body = hash.startsWith('#') ? hash.slice(1) : hash;
  const offset = hash.length - body.length; // for positions in messages, counted in `hash`
  const m = LINK_RE.exec(body);
  if (!m) return fail('not-a-link', `This address has no scenario link (a link's address ends in ${LINK_PREFIX}…).`);
  const version = Number(m[1]);
  if (version > LINK_VERSION) return fail('newer-version', NEWER);
  if (version !== LINK_VERSION) return fail('not-a-link', `This address has no scenario link (a link's address ends in ${LINK_PREFIX}…).`);
  const step = parseStep(m[3]);

  // Padding is not written, but tolerate it: some tools add it back.
  const payload = m[2].replace(/={1,2}$/, '');
  if (payload.length === 0) return fail('truncated', 'The link is incomplete: there is nothing after #s1. Copy the whole address again.');
  const bad = firstBadChar(payload);
  if (bad >= 0) {
    const at = offset + m[1].length + 2 + bad; // "s" + version + "."
    const ch = JSON.stringify(String.fromCodePoint(payload.codePointAt(bad)!));
    return fail('corrupt', `The link is damaged: unexpected character ${ch} at position ${at + 1}.`);
  }
  // 4k+1 characters cannot come out of the encoder: the end of the link is missing.
  if (payload.length % 4 === 1) return fail('truncated', 'The link is incomplete: its end is missing. Copy the whole address again.');

  const inflated = inflateCapped(base64urlDecodeChecked(payload));
  if (!inflated.ok) {
    if (inflated.kind === 'too-large') return fail('too-large', `The link was refused: the link expands to more than ${MAX_DECODED_BYTES / 1024 / 1024} MiB.`);
    if (inflated.kind === 'truncated') return fail('truncated', 'The link is incomplete: its data stops early. Copy the whole address again.');
    return fail('corrupt', `The link is damaged: its compressed data is invalid (${inflated.detail}).`);
  }

  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(inflated.bytes);
  } catch {
    return fail('corrupt', 'The link is damaged: its data is not valid UTF-8 text.');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return fail('corrupt', `The link is damaged: its data is not valid JSON (${e instanceof Error ? e.message : String(e)}).`);
  }

  const hostile = hostileShape(raw);
  if (hostile) return fail('invalid', `The link's scenario is not valid: ${hostile.path || '(root)'}: ${hostile.message}.`, [hostile]);

  const result: ReadResult = { ok: true, value: raw };
  if (step !== undefined) result.step = step;
  return result;
}

