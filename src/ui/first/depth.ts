// Nesting depth of each trace entry on its own thread: a call or invoke opens a level, its return
// or complete closes it. Shown as indentation, so callbacks delivered inside an API call (KE-4's
// ADD_EXISTING replay inside KeRegisterProcessorChangeCallback) read as nested under it.
import type { TraceEntry } from '../../engine/trace.ts';

export function nestingDepths(trace: readonly TraceEntry[]): number[] {
  const open = new Map<string, number>();
  return trace.map((e) => {
    const d = open.get(e.thread) ?? 0;
    switch (e.type) {
      case 'call':
      case 'invoke':
        open.set(e.thread, d + 1);
        return d;
      case 'return':
      case 'complete': {
        const closed = Math.max(0, d - 1);
        open.set(e.thread, closed);
        return closed;
      }
      default:
        return d;
    }
  });
}
