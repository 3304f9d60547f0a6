// Scenario links. The page URL's hash carries the scenario and the step being looked at:
//
//   #s1.<payload>[&step=<n>]
//
// `s1.` is the link codec version (independent of the scenario format version, which lives in the
// JSON's `format`). The payload is base64url (RFC 4648 §5, no padding) of the canonical scenario
// JSON, UTF-8, compressed with raw DEFLATE (fflate, level 9: synchronous, and the same bytes in
// the browser and in Node). Old links must keep opening forever: golden-links.test.ts decodes
// links stored as literal strings.
//
// Canonical form (why the same scenario gives the same link):
// - A scenario that load() accepts is encoded in its normalised form with the defaults the format
//   defines left out again (compact() below), so a Scenario, its NormalizedScenario and a copy with
//   the defaults spelled out all give the same link, and the link stays as short as possible.
//   compact() is checked on every call: if reloading the compact form does not give back the same
//   normalised scenario, the full normalised form is encoded instead.
// - Keys: the envelope is written in the conventional order (format, title, description, machine,
//   drivers, apps, timeline, schedule, then any other keys). Every other object keeps its key
//   order, and arrays keep theirs. Keys are deliberately NOT sorted: the order of drivers, apps,
//   routines, globals and switch cases is the author's and is what the recipient sees in the
//   editor (and an op reads best with `call`/`op` first); load() already rebuilds the records the
//   schema defines in one fixed order, so key order cannot vary between equal scenarios there.
// - JSON.stringify rules otherwise: no whitespace, undefined members skipped.
//
// Decoding never throws: every failure is a LinkError with a kind the UI can explain. What does
// not need load() lives in link.ts (re-exported here), so the page can read and write links without
// bundling the validator.

import { canonicalJson, encodePayload, ENVELOPE_ORDER, invalidLinkError, isPlainObject, isStep, LINK_PREFIX, readLink, type LinkError } from './link.ts';
import { load, type LoadResult } from './load.ts';
import type { NormalizedScenario, Scenario } from './types.ts';
import { dict, dictOf } from '../engine/dict.ts';

export * from './link.ts';

export type DecodeResult =
  | { ok: true; scenario: NormalizedScenario; step?: number; migratedFrom?: string }
  | { ok: false; error: LinkError };

// ---------------------------------------------------------------------------------------------
// Compact form: the normalised scenario without the defaults scenario-format.md defines

function isEmpty(v: unknown): boolean {
  return (Array.isArray(v) && v.length === 0) || (isPlainObject(v) && Object.keys(v).length === 0);
}

function without(rec: Record<string, unknown>, drop: (key: string, value: unknown) => boolean): Record<string, unknown> {
  const out = dict<unknown>();
  for (const [k, v] of Object.entries(rec)) if (!drop(k, v)) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}

const COMPONENT_DEFAULTS = (k: string, v: unknown) => (k === 'globals' || k === 'routines') && isEmpty(v);

function compactComponents(v: unknown): unknown {
  if (!isPlainObject(v)) return v;
  // Object.fromEntries defines properties, so an odd id cannot reach a prototype setter.
  return Object.fromEntries(Object.entries(v).map(([id, c]) => [id, isPlainObject(c) ? without(c, COMPONENT_DEFAULTS) : c]));
}

/** Leave out what load() fills in by default (docs/scenario-format.md §1–§2). */
function compact(n: NormalizedScenario): Record<string, unknown> {
  const env = dictOf<unknown>(n as unknown as Record<string, unknown>);
  if (isPlainObject(env.machine)) {
    const m = without(env.machine, (k, v) => (k === 'processors' && v === 1) || (k === 'maxProcessors' && v === 64) || ((k === 'memory' || k === 'devices') && isEmpty(v)));
    if (Array.isArray(m.devices)) {
      m.devices = m.devices.map((d) =>
        isPlainObject(d) ? without(d, (k, v) => (k === 'parent' && v === 'root') || (k === 'interfaces' && isEmpty(v)) || (k === 'present' && v === true)) : d,
      );
    }
    env.machine = m;
  }
  env.drivers = compactComponents(env.drivers);
  env.apps = compactComponents(env.apps);
  return without(env, (k, v) => ((k === 'title' || k === 'description') && v === '') || (k !== 'format' && ENVELOPE_ORDER.includes(k) && isEmpty(v)));
}

/** load() promises not to throw; a link must not break the page if it ever does. */
function safeLoad(input: unknown): LoadResult | undefined {
  try {
    return load(input);
  } catch {
    return undefined;
  }
}

/** The JSON text a link carries for `s` (exported for tests and the bench). */
export function canonicalScenarioJson(s: Scenario | NormalizedScenario): string {
  const loaded = safeLoad(s);
  // A scenario load() refuses (the editor mid-edit) is still encoded, as given.
  if (!loaded?.ok) return canonicalJson(s);
  const full = canonicalJson(loaded.scenario);
  const small = compact(loaded.scenario);
  const reloaded = safeLoad(small);
  return reloaded?.ok && canonicalJson(reloaded.scenario) === full ? canonicalJson(small) : full;
}

// ---------------------------------------------------------------------------------------------
// Encoding

/** The link payload for `s` (no `#s1.` prefix). Throws only on a value that is not JSON data (a cycle). */
export function encodeScenario(s: Scenario | NormalizedScenario): string {
  return encodePayload(canonicalScenarioJson(s));
}

/** `#s1.<payload>`, plus `&step=<n>` when `step` is a non-negative integer. */
export function scenarioToHash(s: Scenario | NormalizedScenario, step?: number): string {
  return `${LINK_PREFIX}${encodeScenario(s)}${isStep(step) ? `&step=${step}` : ''}`;
}

// ---------------------------------------------------------------------------------------------
// Decoding

/** Open a link: readLink (link.ts), then load(). Never throws. */
export function decodeHash(hash: string): DecodeResult {
  const read = readLink(hash);
  if (!read.ok) return read;
  const loaded = safeLoad(read.value);
  if (!loaded) return { ok: false, error: { kind: 'invalid', message: "The link's scenario could not be checked." } };
  if (!loaded.ok) return { ok: false, error: invalidLinkError(loaded.errors, loaded.newerVersion) };
  const result: DecodeResult = { ok: true, scenario: loaded.scenario };
  if (read.step !== undefined) result.step = read.step;
  if (loaded.migratedFrom !== undefined) result.migratedFrom = loaded.migratedFrom;
  return result;
}
