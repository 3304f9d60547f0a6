// The graph's dotted background: React Flow's `<Background variant="dots" gap={18} size={1}>`,
// drawn the same way (the same <svg>, pattern and classes, so the same pixels), but with the
// pattern's rectangle sized in pixels from the <svg>'s measured box instead of `100%`.
//
// Why: the background is an absolutely positioned <svg> sized `100%` inside the flow's wrapper.
// Chromium lays such an <svg> out again whenever the column around the graph is laid out (a
// scrubber jump moves the slider's thumb, a step re-fills the stepper's lines), and an <svg> whose
// children use relative lengths then lays them out again too: the `100%` rectangle, filled with the
// pattern, was repainted — and the whole graph pane re-rasterised under it, every frame of every
// step (docs/benchmarks.md, "The page"). A rectangle sized in pixels is not laid out again by that,
// so a step repaints only what it changed.
import { useStore, type ReactFlowState } from '@xyflow/react';
import { memo, useLayoutEffect, useRef, useState } from 'react';
import { shallow } from 'zustand/shallow';

const GAP = 18;
const SIZE = 1;

const select = (s: ReactFlowState) => ({ transform: s.transform, rfId: s.rfId });

export const GraphBackground = memo(function GraphBackground({ color }: { color: string }) {
  const { transform, rfId } = useStore(select, shallow);
  // The <svg>'s own box, fractions included (the pane's size in React Flow's store is rounded, and a
  // rectangle a fraction taller than the box would draw its last row of dots differently).
  const ref = useRef<SVGSVGElement>(null);
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);
  useLayoutEffect(() => {
    const svg = ref.current;
    if (!svg) return;
    const observer = new ResizeObserver(([entry]) => {
      const { width, height } = entry.contentRect;
      setSize((s) => (s && s.width === width && s.height === height ? s : { width, height }));
    });
    observer.observe(svg);
    return () => observer.disconnect();
  }, []);
  const [x, y, zoom] = transform;
  const gap = GAP * zoom || 1;
  const radius = (SIZE * zoom) / 2;
  const offset = gap / 2;
  const patternId = `pattern-${rfId}`;
  // Until the box is measured (its first frame), `100%` as React Flow draws it.
  const w = size && size.width > 0 ? size.width : '100%';
  const h = size && size.height > 0 ? size.height : '100%';
  return (
    <svg
      ref={ref}
      className="react-flow__background"
      style={{ position: 'absolute', width: '100%', height: '100%', top: 0, left: 0, ['--xy-background-pattern-color-props' as string]: color }}
      data-testid="rf__background"
    >
      <pattern id={patternId} x={x % gap} y={y % gap} width={gap} height={gap} patternUnits="userSpaceOnUse" patternTransform={`translate(-${offset},-${offset})`}>
        <circle cx={radius} cy={radius} r={radius} className="react-flow__background-pattern dots" />
      </pattern>
      <rect x="0" y="0" width={w} height={h} fill={`url(#${patternId})`} />
    </svg>
  );
});
