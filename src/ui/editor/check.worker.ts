// The scenario editor's checker off the main thread: a large paste is validated here, so typing and
// scrolling never wait for it (src/ui/editor/checker.ts decides what goes here).
import { check } from './model.ts';

const scope = globalThis as unknown as { postMessage(m: unknown): void; addEventListener(t: 'message', l: (e: MessageEvent) => void): void };
scope.addEventListener('message', (e: MessageEvent<{ id: number; text: string }>) => {
  scope.postMessage({ id: e.data.id, checked: check(e.data.text) });
});
