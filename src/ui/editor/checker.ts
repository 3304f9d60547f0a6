// Where the editor's text is checked: small texts at once on the main thread (a few milliseconds),
// large ones (a paste of megabytes) in a worker, so the page never has a long task for them.
import { check, type Checked } from './model.ts';

/** Texts at least this long are checked off the main thread. */
export const OFF_THREAD_CHARS = 64 * 1024;

let worker: Worker | null = null;
let nextId = 0;
const pending = new Map<number, { text: string; resolve: (c: Checked) => void }>();

function checkerWorker(): Worker | null {
  if (worker) return worker;
  if (typeof Worker === 'undefined') return null;
  try {
    worker = new Worker(new URL('./check.worker.ts', import.meta.url), { type: 'module', name: 'pnp-check' });
  } catch {
    return null;
  }
  worker.onmessage = (e: MessageEvent<{ id: number; checked: Checked }>) => {
    const p = pending.get(e.data.id);
    pending.delete(e.data.id);
    p?.resolve(e.data.checked);
  };
  worker.onerror = () => {
    // The checker is gone: answer what was asked on the main thread, and start a new one next time.
    worker?.terminate();
    worker = null;
    for (const [id, p] of pending) {
      pending.delete(id);
      p.resolve(check(p.text));
    }
  };
  return worker;
}

/** Check the editor's text: at once when it is small, in a worker when it is large. */
export function checkText(text: string): Promise<Checked> {
  const w = text.length >= OFF_THREAD_CHARS ? checkerWorker() : null;
  if (!w) return Promise.resolve(check(text));
  const id = ++nextId;
  return new Promise((resolve) => {
    pending.set(id, { text, resolve });
    w.postMessage({ id, text });
  });
}
