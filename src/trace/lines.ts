// Trace entries as JSON Lines text (trace format v1: one `JSON.stringify(entry)` per line), for
// the command-line runner's output and the engine worker's encoded trace (src/trace/encoded.ts).
//
// The same bytes as one JSON.stringify per entry, in less time: the entries are serialised a slice
// at a time, as one array (one call instead of one per entry), and the array's text is cut into
// lines where one entry ends and the next begins. Every trace entry's first key is `seq` (the
// engine writes `seq`, `step`, `thread` first; checked per entry), so between two entries of the
// array's text stands `},{"seq":`. Nowhere else can that text stand but between two objects of a
// nested array whose first key is `seq` too: inside a JSON string its `"` would be escaped. So a
// slice whose text holds exactly (entries − 1) of them is cut there; more (such a nested array)
// or an entry that does not start with `seq` falls back to one JSON.stringify per entry for that slice.
import type { TraceEntry } from '../engine/trace.ts';

/** What JSON.stringify writes between two trace entries of an array. */
const BETWEEN = '},{"seq":';
/** The same boundary with a line break instead of the comma. */
const NEWLINE = '}\n{"seq":';
/** Entries serialised together (at most): bounds the length of one intermediate string. */
export const SLICE = 512;

/**
 * The JSON Lines text of `entries`: each entry's `JSON.stringify`, each followed by a line break,
 * handed to `take` a slice of entries at a time (so no single string holds a long trace). Entries
 * are expected to start with `seq` (every trace entry does); any that do not are still serialised
 * exactly, only more slowly. `slice`: entries per piece of text.
 */
export function eachJsonLines(entries: readonly TraceEntry[], take: (text: string) => void, slice = SLICE): void {
  const n = entries.length;
  if (n <= slice) {
    if (n > 0) take(sliceLines(entries));
    return;
  }
  for (let i = 0; i < n; i += slice) take(sliceLines(entries.slice(i, i + slice)));
}

/** The JSON Lines text of `entries` as one string (see eachJsonLines). */
export function jsonLines(entries: readonly TraceEntry[]): string {
  let out = '';
  eachJsonLines(entries, (text) => {
    out += text;
  });
  return out;
}

function sliceLines(slice: readonly TraceEntry[]): string {
  for (let i = 0; i < slice.length; i++) if (!startsWithSeq(slice[i])) return oneByOne(slice);
  let text: string;
  try {
    text = JSON.stringify(slice);
  } catch {
    return oneByOne(slice); // e.g. longer than the longest string the engine allows: per entry, or its error
  }
  // Every entry's text starts with `{"seq":`, so each of the (length − 1) boundaries is one
  // separator: exactly that many means none stands inside an entry.
  const parts = text.slice(1, -1).split(BETWEEN);
  if (parts.length !== slice.length) return oneByOne(slice);
  return `${parts.join(NEWLINE)}\n`;
}

/** Does JSON.stringify(e) start with `{"seq":`? (Its first own key is a numeric `seq`, and it has no toJSON.) */
function startsWithSeq(e: TraceEntry): boolean {
  if (typeof e.seq !== 'number' || (e as { toJSON?: unknown }).toJSON !== undefined || !Object.hasOwn(e, 'seq')) return false;
  for (const k in e) return k === 'seq';
  return false;
}

function oneByOne(slice: readonly TraceEntry[]): string {
  let out = '';
  for (let i = 0; i < slice.length; i++) out += `${JSON.stringify(slice[i])}\n`;
  return out;
}
