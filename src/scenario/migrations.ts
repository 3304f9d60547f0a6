// Scenario format migrations: a typed sequence of steps, one per format version, applied to a raw
// (parsed, not yet validated) scenario by load() (load.ts), before it validates it. Like tldraw's migrations, a
// failure is a value with a kind ("made by a newer version" is one), never an exception.
//
// Today the current format is pnp-scenario/1 and the chain is empty (v1 → v1 is the identity).
// Format v2 adds exactly one entry to MIGRATIONS:
//
//   { from: 'pnp-scenario/1', to: 'pnp-scenario/2', up: (v1) => ({ ...v1, renamedField: v1.oldField }) }
//
// and bumps SCENARIO_FORMAT in types.ts. `up` receives a plain JSON object whose `format` is `from`
// and returns the object for `to`; migrateWith sets `format` to `to` afterwards, so a step cannot
// forget it.

import { SCENARIO_FORMAT } from './types.ts';

/** A scenario format id: `pnp-scenario/<n>`. */
export type FormatId = `pnp-scenario/${number}`;

export type JsonObject = { [key: string]: unknown };

export interface Migration {
  from: FormatId;
  to: FormatId;
  up(scenario: JsonObject): JsonObject;
}

export type MigrationErrorKind =
  /** `format` is pnp-scenario/N with N above the current version. */
  | 'newer-version'
  /** `format` is an older version that no chain of steps leads from. */
  | 'unsupported-version'
  /** A step threw or returned something that is not an object. */
  | 'failed';

export interface MigrationError {
  kind: MigrationErrorKind;
  /** JSON pointer of the offending value (always `/format` or the root). */
  path: string;
  message: string;
}

export type MigrateResult =
  | {
      ok: true;
      value: unknown;
      /** The format the input declared (the current format when nothing was migrated or it had none). */
      from: string;
    }
  | { ok: false; error: MigrationError };

/** The steps from older formats to the current one, in order. Empty while v1 is the only format. */
export const MIGRATIONS: readonly Migration[] = [];

const FORMAT_RE = /^pnp-scenario\/(0|[1-9][0-9]{0,8})$/;

/** The version number of a format id, or undefined when `format` is not `pnp-scenario/<n>`. */
export function formatVersion(format: unknown): number | undefined {
  if (typeof format !== 'string') return undefined;
  const m = FORMAT_RE.exec(format);
  return m ? Number(m[1]) : undefined;
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Migrate `raw` to `current` through `chain`. Input that is not an object, or has no recognisable
 * `format`, is passed through unchanged: load() reports what is wrong with it, with its path.
 * Never throws.
 */
export function migrateWith(chain: readonly Migration[], raw: unknown, current: FormatId = SCENARIO_FORMAT): MigrateResult {
  const currentVersion = formatVersion(current);
  if (!isObject(raw) || currentVersion === undefined) return { ok: true, value: raw, from: current };
  const declared = raw.format;
  const version = formatVersion(declared);
  if (version === undefined || declared === current) return { ok: true, value: raw, from: current };
  const from = declared as FormatId;
  if (version > currentVersion) {
    return {
      ok: false,
      error: {
        kind: 'newer-version',
        path: '/format',
        message: `made by a newer version of the playground (format ${from}; this version reads up to ${current})`,
      },
    };
  }

  let value: JsonObject = raw;
  let format: string = from;
  // Each step moves strictly forward along the chain, so there are at most chain.length steps.
  for (let steps = 0; format !== current; steps++) {
    const step = steps < chain.length ? chain.find((m) => m.from === format) : undefined;
    if (!step) {
      return {
        ok: false,
        error: {
          kind: 'unsupported-version',
          path: '/format',
          message: `format ${from} is not supported: there is no migration from ${format} to ${current}`,
        },
      };
    }
    let next: unknown;
    try {
      next = step.up(value);
    } catch (e) {
      return { ok: false, error: { kind: 'failed', path: '', message: `migration from ${step.from} to ${step.to} failed: ${errorText(e)}` } };
    }
    if (!isObject(next)) {
      return { ok: false, error: { kind: 'failed', path: '', message: `migration from ${step.from} to ${step.to} did not produce an object` } };
    }
    // Object spread copies an own "__proto__" key as data, so this cannot change a prototype.
    value = { ...next, format: step.to };
    format = step.to;
  }
  return { ok: true, value, from };
}

/** Migrate a raw scenario to the current format through MIGRATIONS. Never throws. */
export function migrate(raw: unknown): MigrateResult {
  return migrateWith(MIGRATIONS, raw);
}
