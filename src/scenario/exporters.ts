// Export formats, as pure functions (the download itself is the UI's business):
// - a scenario as pretty JSON text (what the editor shows and "Export scenario" saves),
// - a trace as JSON Lines (trace format v1, exactly what `npm run simulate` prints),
// - file names for both.

import type { TraceEntry } from '../engine/trace.ts';
import { encodedText } from '../trace/encoded.ts';
import { encodedTraceOf } from '../trace/view.ts';
import { canonicalScenarioJson } from './codec.ts';
import type { NormalizedScenario, Scenario } from './types.ts';

export interface PrettyOptions {
  /** Objects and arrays whose one-line form fits in this many columns (with their indent) stay on one line. */
  width?: number;
  indent?: number;
}

/**
 * JSON text that reads like the examples in scenario-format.md: containers that fit on a line stay
 * on one line (`{ "op": "note", "text": "…" }`, `["KE_PROCESSOR_CHANGE_ADD_EXISTING"]`), longer
 * ones break one member per line. Parses back to exactly the value (JSON.stringify's rules for
 * undefined, functions and non-finite numbers).
 */
export function prettyJson(value: unknown, options: PrettyOptions = {}): string {
  const width = options.width ?? 120;
  const unit = ' '.repeat(options.indent ?? 2);

  /** One-line form, or undefined for a value JSON skips. */
  const flat = (v: unknown): string | undefined => {
    if (v === null) return 'null';
    if (typeof v === 'object') {
      if (Array.isArray(v)) return v.length === 0 ? '[]' : `[${v.map((x) => flat(x) ?? 'null').join(', ')}]`;
      const parts = entries(v as Record<string, unknown>).map(([k, x]) => `${JSON.stringify(k)}: ${x}`);
      return parts.length === 0 ? '{}' : `{ ${parts.join(', ')} }`;
    }
    return JSON.stringify(v);
  };
  const entries = (o: Record<string, unknown>): [string, string][] => {
    const out: [string, string][] = [];
    for (const k of Object.keys(o)) {
      const s = flat(o[k]);
      if (s !== undefined) out.push([k, s]);
    }
    return out;
  };

  const write = (v: unknown, indent: string, prefixLength: number): string | undefined => {
    const one = flat(v);
    if (one === undefined || v === null || typeof v !== 'object') return one;
    if (indent.length + prefixLength + one.length <= width) return one;
    const inner = indent + unit;
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      return `[\n${v.map((x) => inner + (write(x, inner, 0) ?? 'null')).join(',\n')}\n${indent}]`;
    }
    const o = v as Record<string, unknown>;
    const lines: string[] = [];
    for (const k of Object.keys(o)) {
      const key = `${JSON.stringify(k)}: `;
      const s = write(o[k], inner, key.length);
      if (s !== undefined) lines.push(inner + key + s);
    }
    return lines.length === 0 ? '{}' : `{\n${lines.join(',\n')}\n${indent}}`;
  };

  return write(value, '', 0) ?? 'null';
}

/**
 * A scenario as the text people read and edit: its canonical form (what a link carries: the
 * format's defaults left out, the envelope in the conventional order), pretty-printed.
 */
export function scenarioToJson(s: Scenario | NormalizedScenario): string {
  return `${prettyJson(JSON.parse(canonicalScenarioJson(s)))}\n`;
}

/** A trace as JSON Lines: one `JSON.stringify(entry)` per line, each ending in a newline (as the CLI prints it). */
export function traceToJsonl(trace: readonly TraceEntry[]): string {
  // The page's trace is a view of this very text (src/trace/encoded.ts): hand it over undecoded.
  const encoded = encodedTraceOf(trace);
  if (encoded) return encodedText(encoded);
  let out = '';
  for (const e of trace) out += `${JSON.stringify(e)}\n`;
  return out;
}

export type ExportKind = 'scenario' | 'trace' | 'svg' | 'mermaid';

const EXTENSIONS: Record<ExportKind, string> = {
  scenario: '.json',
  trace: '.trace.jsonl',
  svg: '.sequence.svg',
  mermaid: '.sequence.mmd',
};

export const EXPORT_MIME: Record<ExportKind, string> = {
  scenario: 'application/json',
  trace: 'application/jsonl',
  svg: 'image/svg+xml',
  mermaid: 'text/plain',
};

/** `"Unregister in a CM callback!"` → `unregister-in-a-cm-callback.trace.jsonl`; a title with no letters gives `scenario…`. */
export function exportFileName(title: string, kind: ExportKind): string {
  const base = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return `${base || 'scenario'}${EXTENSIONS[kind]}`;
}
