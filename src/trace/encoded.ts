// The trace as it crosses from the engine worker to the page: JSON Lines (trace format v1, one
// `JSON.stringify(entry)` per line, exactly what "Export trace" writes) in one UTF-8 buffer, with
// the byte offset where each line starts. The buffers are transferred, not copied: a 100,000-entry
// trace reaches the page without the page rebuilding 100,000 objects (structured clone would, in
// one long task). The page decodes an entry when something reads it (src/trace/view.ts).
import type { TraceEntry } from '../engine/trace.ts';

export interface EncodedTrace {
  /** UTF-8 JSON Lines: entry i is bytes [offsets[i], offsets[i + 1]) (its `\n` excluded). */
  bytes: Uint8Array;
  /** length + 1 offsets; offsets[length] is the end of the last line's newline. */
  offsets: Uint32Array;
}

export const encodedLength = (t: EncodedTrace): number => t.offsets.length - 1;

/** Encode a trace (in the worker). */
export function encodeTrace(trace: readonly TraceEntry[]): EncodedTrace {
  const encoder = new TextEncoder();
  const offsets = new Uint32Array(trace.length + 1);
  let bytes = new Uint8Array(Math.max(1024, trace.length * 200));
  let at = 0;
  for (let i = 0; i < trace.length; i++) {
    offsets[i] = at;
    const line = `${JSON.stringify(trace[i])}\n`;
    // A UTF-16 code unit is at most 3 UTF-8 bytes: make room for the worst case, then encode in place.
    if (bytes.length - at < line.length * 3) {
      const grown = new Uint8Array(Math.max(bytes.length * 2, at + line.length * 3));
      grown.set(bytes.subarray(0, at));
      bytes = grown;
    }
    at += encoder.encodeInto(line, bytes.subarray(at)).written;
  }
  offsets[trace.length] = at;
  return { bytes: bytes.slice(0, at), offsets };
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
