// The trace as it crosses from the engine worker to the page: JSON Lines (trace format v1, one
// `JSON.stringify(entry)` per line, exactly what "Export trace" writes) in one UTF-8 buffer, with
// the byte offset where each line starts. The buffers are transferred, not copied: a 100,000-entry
// trace reaches the page without the page rebuilding 100,000 objects (structured clone would, in
// one long task) or copying its text. The page decodes an entry when something reads it
// (src/trace/view.ts).
import type { TraceEntry } from '../engine/trace.ts';

export interface EncodedTrace {
  /** UTF-8 JSON Lines: entry i is bytes [offsets[i], offsets[i + 1]) (its `\n` excluded). */
  bytes: Uint8Array;
  /** length + 1 offsets; offsets[length] is the end of the last line's newline. */
  offsets: Uint32Array;
}

export const encodedLength = (t: EncodedTrace): number => t.offsets.length - 1;

/**
 * Encode a trace, or its first `end` entries (in the worker): the lines appended to one string, then
 * that string encoded in one call (about half the time of encoding line by line). Offsets are
 * counted in characters, which are the bytes while the text is ASCII; text outside ASCII (titles,
 * notes) is counted again.
 */
export function encodeTrace(trace: readonly TraceEntry[], end = trace.length): EncodedTrace {
  const length = Math.max(0, Math.min(end, trace.length));
  const offsets = new Uint32Array(length + 1);
  let text = '';
  for (let i = 0; i < length; i++) {
    offsets[i] = text.length;
    text += JSON.stringify(trace[i]);
    text += '\n';
  }
  offsets[length] = text.length;
  const encoder = new TextEncoder();
  const ascii = new Uint8Array(text.length);
  // Every character read into as many bytes: all ASCII (any other character takes two or more).
  if (encoder.encodeInto(text, ascii).read === text.length) return { bytes: ascii, offsets };
  const bytes = encoder.encode(text);
  byteOffsets(text, offsets);
  return { bytes, offsets };
}

/** Turn character offsets (ascending) into UTF-8 byte offsets of the same text, in place. */
function byteOffsets(text: string, offsets: Uint32Array): void {
  let char = 0;
  let byte = 0;
  for (let k = 0; k < offsets.length; k++) {
    const to = offsets[k];
    for (; char < to; char++) {
      const c = text.charCodeAt(char);
      // JSON.stringify writes no lone surrogate: a high one starts a 4-byte pair (2 + 2 here).
      byte += c < 0x80 ? 1 : c < 0x800 || (c >= 0xd800 && c <= 0xdfff) ? 2 : 3;
    }
    offsets[k] = byte;
  }
}

const decoder = new TextDecoder();

/** Entry `i` of an encoded trace (0 ≤ i < length). */
export function decodeEntry(t: EncodedTrace, i: number): TraceEntry {
  return JSON.parse(decoder.decode(t.bytes.subarray(t.offsets[i], t.offsets[i + 1] - 1))) as TraceEntry;
}

/** The whole trace as JSON Lines text (the trace export), without decoding an entry. */
export const encodedText = (t: EncodedTrace): string => decoder.decode(t.bytes);

/** The buffers to transfer with a message carrying `t`. */
export const encodedTransfer = (t: EncodedTrace): ArrayBuffer[] => [t.bytes.buffer as ArrayBuffer, t.offsets.buffer as ArrayBuffer];
