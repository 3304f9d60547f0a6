// Trace entries as JSON Lines, a batch at a time: the runner's output (trace format v1: one
// `JSON.stringify(entry)` a line; LineChunks.addJsonLines in simulate.ts writes it).
//
// One JSON.stringify of the whole batch costs less than one per entry (one call, one string
// builder, no per-entry result strings to concatenate), and `JSON.stringify(batch)` is exactly `[`,
// the entries' own JSON.stringify texts joined with `,`, and `]` (an entry is a plain object
// without toJSON). The lines are that text cut at the entries' boundaries: every entry's first key
// is `seq` (docs/trace-format.md; checked for each), so each entry after the first begins right
// after a `,` followed by `{"seq":`. The same text can also occur inside an entry (an object whose
// first key is "seq", in a list a scenario supplied); then the batch has more occurrences than
// boundaries, and it is serialised one entry at a time instead. Either way the output is
// byte-for-byte `JSON.stringify(entry)` and a newline per entry (jsonLines.test.ts).

/** What the text of every entry after the first starts with in a JSON array of entries, its comma included. */
const BOUNDARY = ',{"seq":';

/** What a batch's entries are: plain data objects whose first own key is `seq`, a number (as every trace entry). */
export type Sequenced = { readonly seq: number };

/**
 * Where `json`, the JSON text of `entries` (JSON.stringify(entries)), is cut into lines: the index
 * of the comma before each entry after the first (entries.length - 1 of them, ascending). Null
 * when the text does not have exactly those boundaries (an entry whose first key is not a numeric
 * `seq`, or the boundary text inside an entry): then cut it entry by entry.
 */
export function entryBoundaries(json: string, entries: readonly Sequenced[]): number[] | null {
  const n = entries.length;
  if (n === 0) return null;
  for (let i = 0; i < n; i++) if (!startsWithSeq(entries[i])) return null;
  // Each entry after the first starts a boundary; so there are exactly n - 1 occurrences when none is inside an entry.
  const commas = new Array<number>(n - 1);
  let from = 1;
  for (let i = 0; i < n - 1; i++) {
    const at = json.indexOf(BOUNDARY, from);
    if (at < 0) return null;
    commas[i] = at;
    from = at + BOUNDARY.length;
  }
  return json.indexOf(BOUNDARY, from) < 0 ? commas : null;
}

/** Is the entry's JSON text `{"seq":` and more? Its first own enumerable key is `seq`, and a number (never left out). */
function startsWithSeq(e: object): boolean {
  // for…in gives the own enumerable keys first, in JSON.stringify's order.
  for (const k in e) return k === 'seq' && Object.hasOwn(e, 'seq') && typeof (e as Sequenced).seq === 'number';
  return false;
}

/** The JSON text of entries cut into lines at their boundaries (entryBoundaries), a newline after each. */
export function cutLines(json: string, commas: readonly number[]): string {
  const n = commas.length + 1;
  const lines = new Array<string>(n + 1);
  let from = 1;
  for (let i = 0; i < n - 1; i++) {
    lines[i] = json.slice(from, commas[i]);
    from = commas[i] + 1;
  }
  lines[n - 1] = json.slice(from, json.length - 1);
  lines[n] = '';
  return lines.join('\n');
}

/** `JSON.stringify(e) + '\n'` for each entry, one call each. */
export function linesOneByOne(entries: readonly unknown[]): string {
  let text = '';
  for (let i = 0; i < entries.length; i++) text += `${JSON.stringify(entries[i])}\n`;
  return text;
}
