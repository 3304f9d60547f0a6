// JSON Pointer (RFC 6901) → text range, by scanning the JSON text itself. The editor uses it to
// put each validation error (which names a JSON pointer, docs/scenario-format.md §6) under the text it is
// about. Pure and tolerant: a pointer that does not resolve fully gives its deepest existing
// ancestor (`exact: false`), text that stops being valid JSON part-way still resolves what comes
// before the damage, and nothing here throws.

/** Where a value sits in the text: [from, to) offsets in UTF-16 units, as CodeMirror counts. */
export interface PointerRange {
  /** The value's first character. */
  from: number;
  /** Just past the value's last character. */
  to: number;
  /** The property name (with its quotes) when the value is an object member. */
  key?: { from: number; to: number };
  /** Did the whole pointer resolve? false: this is the deepest ancestor that exists. */
  exact: boolean;
  /** What the value is. */
  kind: 'object' | 'array' | 'scalar';
}

/** `"/a/b~1c"` → `["a", "b/c"]`; `""` → `[]`. undefined for text that is not a pointer. */
export function parsePointer(pointer: string): string[] | undefined {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return undefined;
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

const WS = new Set([32, 9, 10, 13]);

class Scanner {
  i = 0;
  constructor(readonly text: string) {}

  ws(): void {
    while (this.i < this.text.length && WS.has(this.text.charCodeAt(this.i))) this.i++;
  }

  /** Skips a string starting at the quote; returns its decoded content, or undefined if it never ends. */
  string(): string | undefined {
    const t = this.text;
    let out = '';
    this.i++; // opening quote
    while (this.i < t.length) {
      const c = t.charCodeAt(this.i);
      if (c === 34) {
        this.i++;
        return out;
      }
      if (c === 92) {
        const e = t[this.i + 1];
        if (e === 'u') {
          const hex = t.slice(this.i + 2, this.i + 6);
          out += /^[0-9a-fA-F]{4}$/.test(hex) ? String.fromCharCode(parseInt(hex, 16)) : '';
          this.i += 6;
        } else {
          out += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e === 'b' ? '\b' : e === 'f' ? '\f' : (e ?? '');
          this.i += 2;
        }
      } else {
        out += t[this.i];
        this.i++;
      }
    }
    return undefined;
  }

  /** Skips one value of any kind; returns false when the text ends or breaks inside it. */
  skipValue(): boolean {
    const t = this.text;
    this.ws();
    if (this.i >= t.length) return false;
    const c = t.charCodeAt(this.i);
    if (c === 34) return this.string() !== undefined;
    if (c === 123 || c === 91) {
      // Brackets nest; strings inside may hold brackets, so step over them whole.
      let depth = 0;
      while (this.i < t.length) {
        const d = t.charCodeAt(this.i);
        if (d === 34) {
          if (this.string() === undefined) return false;
          continue;
        }
        if (d === 123 || d === 91) depth++;
        else if (d === 125 || d === 93) {
          depth--;
          if (depth === 0) {
            this.i++;
            return true;
          }
        }
        this.i++;
      }
      return false;
    }
    // A scalar: runs until a delimiter.
    const start = this.i;
    while (this.i < t.length) {
      const d = t.charCodeAt(this.i);
      if (d === 44 || d === 125 || d === 93 || d === 58 || WS.has(d)) break;
      this.i++;
    }
    return this.i > start;
  }
}

/**
 * The text range of the value at `pointer` in `text`, or of its deepest existing ancestor. Keys
 * that appear twice resolve to the last one, as JSON.parse does. undefined when the text holds no
 * JSON value at all or the pointer is malformed.
 */
export function pointerRange(text: string, pointer: string): PointerRange | undefined {
  const path = parsePointer(pointer);
  if (!path) return undefined;
  const s = new Scanner(text);
  // Skip a byte-order mark, which loadText also tolerates.
  if (text.charCodeAt(0) === 0xfeff) s.i = 1;
  s.ws();
  if (s.i >= text.length) return undefined;

  let current: PointerRange | undefined;
  let key: PointerRange['key'];
  for (let depth = 0; ; depth++) {
    s.ws();
    const from = s.i;
    if (from >= text.length) return current && { ...current, exact: false }; // the text ends where the value should be
    const c = text.charCodeAt(from);
    const kind: PointerRange['kind'] = c === 123 ? 'object' : c === 91 ? 'array' : 'scalar';
    const end = new Scanner(text);
    end.i = from;
    const complete = end.skipValue();
    current = { from, to: complete ? end.i : text.length, exact: depth === path.length, kind, ...(key ? { key } : {}) };
    if (depth === path.length || kind === 'scalar') return depth === path.length ? current : { ...current, exact: false };
    const want = path[depth];
    const found = kind === 'object' ? findMember(text, from, want) : findElement(text, from, want);
    if (!found) return { ...current, exact: false };
    s.i = found.valueAt;
    key = found.key;
  }
}

/** The start of the value of member `name` of the object at `at` (the last one if repeated). */
function findMember(text: string, at: number, name: string): { valueAt: number; key: { from: number; to: number } } | undefined {
  const s = new Scanner(text);
  s.i = at + 1;
  let hit: { valueAt: number; key: { from: number; to: number } } | undefined;
  for (;;) {
    s.ws();
    if (s.i >= text.length || text.charCodeAt(s.i) !== 34) return hit; // '}' or broken text
    const keyFrom = s.i;
    const k = s.string();
    if (k === undefined) return hit;
    const keyTo = s.i;
    s.ws();
    if (text.charCodeAt(s.i) !== 58) return hit;
    s.i++;
    s.ws();
    if (k === name) hit = { valueAt: s.i, key: { from: keyFrom, to: keyTo } };
    if (!s.skipValue()) return hit;
    s.ws();
    if (text.charCodeAt(s.i) !== 44) return hit;
    s.i++;
  }
}

/** The start of element `index` of the array at `at`. */
function findElement(text: string, at: number, index: string): { valueAt: number; key: undefined } | undefined {
  if (!/^(0|[1-9][0-9]*)$/.test(index)) return undefined;
  const n = Number(index);
  const s = new Scanner(text);
  s.i = at + 1;
  for (let k = 0; ; k++) {
    s.ws();
    if (s.i >= text.length || text.charCodeAt(s.i) === 93) return undefined;
    if (k === n) return { valueAt: s.i, key: undefined };
    if (!s.skipValue()) return undefined;
    s.ws();
    if (text.charCodeAt(s.i) !== 44) return undefined;
    s.i++;
  }
}

/**
 * The range to underline for an error at `pointer`: a scalar value itself; for an object or
 * array, its property name (or its first line), so a problem with a whole routine does not paint
 * the whole routine; for a pointer that does not resolve (a missing parameter), the property name
 * of the deepest part that exists. Falls back to the first character of the text.
 */
export function diagnosticRange(text: string, pointer: string): { from: number; to: number; exact: boolean } {
  const r = pointerRange(text, pointer);
  if (!r) return { from: 0, to: Math.min(1, text.length), exact: false };
  if (r.exact && r.kind === 'scalar') return { from: r.from, to: Math.max(r.to, r.from + 1), exact: true };
  if (r.key) return { from: r.key.from, to: r.key.to, exact: r.exact };
  const lineEnd = text.indexOf('\n', r.from);
  const to = Math.min(r.to, lineEnd < 0 ? text.length : lineEnd);
  return { from: r.from, to: Math.max(to, r.from + 1), exact: r.exact };
}

/** The offset of a 1-based line and column (as loadText's syntax errors give them), clamped to the text. */
export function offsetOf(text: string, line: number, column: number): number {
  let at = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', at);
    if (nl < 0) return text.length;
    at = nl + 1;
  }
  const lineEnd = text.indexOf('\n', at);
  return Math.min(at + Math.max(0, column - 1), lineEnd < 0 ? text.length : lineEnd);
}

/** `JSON syntax error at line 3, column 7: …` → the offset it names, else undefined. */
export function syntaxErrorOffset(text: string, message: string): number | undefined {
  const m = /at line (\d+), column (\d+)/.exec(message);
  return m ? offsetOf(text, Number(m[1]), Number(m[2])) : undefined;
}
