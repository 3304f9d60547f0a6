// "Code beside graph": the Code panel (the running routine, its running line highlighted and
// marked aria-current) in a pane to the right of the graph, below it on narrow screens. The pane is
// resized by dragging its separator, or with ← / → on the focused separator (the keyboard path).
import { Suspense, useCallback, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { CodePanel } from './lazy.tsx';
import type { PanelProps } from './types.ts';

/** The pane's share of the row, in percent. */
export const CODE_PANE = { min: 20, max: 70, initial: 38, step: 4 } as const;

const clamp = (x: number) => Math.round(Math.min(CODE_PANE.max, Math.max(CODE_PANE.min, x)));

export function CodeBeside({ props }: { props: PanelProps }) {
  const [share, setShare] = useState<number>(CODE_PANE.initial);
  const pane = useRef<HTMLElement>(null);

  const onPointerDown = useCallback((e: PointerEvent<HTMLDivElement>) => {
    const row = pane.current?.parentElement;
    if (!row || e.button !== 0) return;
    e.preventDefault();
    const target = e.currentTarget;
    target.setPointerCapture(e.pointerId);
    const box = row.getBoundingClientRect();
    const move = (ev: globalThis.PointerEvent) => setShare(clamp(((box.right - ev.clientX) / box.width) * 100));
    const up = () => {
      target.removeEventListener('pointermove', move);
      target.removeEventListener('pointerup', up);
      target.removeEventListener('pointercancel', up);
    };
    target.addEventListener('pointermove', move);
    target.addEventListener('pointerup', up);
    target.addEventListener('pointercancel', up);
  }, []);

  const onKeyDown = useCallback((e: KeyboardEvent<HTMLDivElement>) => {
    const delta = { ArrowLeft: CODE_PANE.step, ArrowRight: -CODE_PANE.step, Home: CODE_PANE.max, End: -CODE_PANE.max }[e.key];
    if (delta === undefined) return;
    e.preventDefault(); // not a step: the page's ← / → shortcuts leave a handled key alone
    setShare((s) => clamp(s + delta));
  }, []);

  return (
    <aside
      ref={pane}
      aria-label="Code beside the graph"
      data-testid="code-beside"
      style={{ ['--code-pane' as string]: `${share}%` }}
      className="pnp-code-beside relative flex h-[45%] min-h-0 shrink-0 flex-col border-t border-slate-200 dark:border-slate-800 lg:h-auto lg:w-[var(--code-pane)] lg:border-l lg:border-t-0"
    >
      <div
        role="separator"
        aria-orientation="vertical"
        aria-label="Resize the code pane"
        aria-valuemin={CODE_PANE.min}
        aria-valuemax={CODE_PANE.max}
        aria-valuenow={share}
        aria-valuetext={`Code pane ${share}% of the width`}
        tabIndex={0}
        onPointerDown={onPointerDown}
        onKeyDown={onKeyDown}
        className="absolute inset-y-0 -left-1.5 z-20 hidden w-3 cursor-col-resize touch-none hover:bg-sky-500/20 focus-visible:bg-sky-500/20 lg:block"
      />
      <Suspense fallback={<p className="p-3 text-sm">Loading…</p>}>
        <CodePanel {...props} />
      </Suspense>
    </aside>
  );
}
