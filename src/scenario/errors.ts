// Validation messages: JSON Pointer paths (RFC 6901), descriptions of offending values and
// "did you mean" suggestions. Shared by validate.ts and load.ts.

/** One problem found while loading a scenario. `path` is a JSON Pointer ("" is the root). */
export interface ValidationError {
  path: string;
  message: string;
}

export type PathSegment = string | number;
export type Path = readonly PathSegment[];

/** RFC 6901: `~` → `~0`, `/` → `~1`. */
export const escapeSegment = (s: PathSegment): string => String(s).replace(/~/g, '~0').replace(/\//g, '~1');

export const pointer = (path: Path): string => path.map((s) => '/' + escapeSegment(s)).join('');

/** Collects errors and warnings; each is pushed with its JSON path. */
export class Issues {
  readonly errors: ValidationError[] = [];
  readonly warnings: ValidationError[] = [];

  error(path: Path, message: string): void {
    this.errors.push({ path: pointer(path), message });
  }

  warn(path: Path, message: string): void {
    this.warnings.push({ path: pointer(path), message });
  }
}

const MAX_SHOWN = 60;

/** A short description of a JSON value for "…; got X" messages. */
export function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'string') {
    const s = v.length > MAX_SHOWN ? v.slice(0, MAX_SHOWN) + '…' : v;
    return JSON.stringify(s);
  }
  if (typeof v === 'number') return Number.isFinite(v) ? `the number ${v}` : `the number ${String(v)}`;
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.length === 0 ? 'an empty array' : 'an array';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}

/** `"a", "b", "c"` (quoted) or `a, b, c` (bare), shortened when long. */
export function listOf(items: readonly string[], quoted = true, max = 12): string {
  const shown = items.slice(0, max).map((s) => (quoted ? JSON.stringify(s) : s));
  if (items.length > max) shown.push(`… (${items.length - max} more)`);
  return shown.join(', ');
}

/** `expected one of "a", "b"; got "c"` with a suggestion when one is close. */
export function expectedOneOf(items: readonly string[], got: unknown): string {
  const hint = typeof got === 'string' ? didYouMean(got, items) : '';
  return `expected one of ${listOf(items, true, 30)}; got ${describe(got)}${hint}`;
}

/** Levenshtein distance, capped for speed (strings here are short identifiers). */
export function editDistance(a: string, b: string): number {
  if (a.length > 100 || b.length > 100) return Math.abs(a.length - b.length) + 100;
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      const cost = a[i - 1] === b[j - 1] ? 0 : a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0.5 : 1;
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + cost);
      diag = tmp;
    }
  }
  return prev[b.length];
}

/** The closest candidate, if close enough to be a plausible typo. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  const allowed = Math.max(1, Math.min(3, Math.floor(word.length / 3)));
  return best !== undefined && bestD <= allowed ? best : undefined;
}

/** `; did you mean "X"?` or "". */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const c = closest(word, candidates);
  return c === undefined ? '' : `; did you mean ${JSON.stringify(c)}?`;
}
