// The baseline of the UI benchmark (bench/ui.bench.ts): a bare React + React Flow page built from
// the playground's own dependencies, doing the least the playground does — show a graph of
// `?n=` nodes (default 71), restyle them on ArrowRight/ArrowLeft ("Step k"), add one on Enter.
// Not shipped: built by the benchmark into bench/results/bare-flow.
import { StrictMode, memo, useCallback, useEffect, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { ReactFlow, ReactFlowProvider, Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import '@xyflow/react/dist/base.css';

type Card = Node<{ label: string; on: boolean }, 'card'>;

const CardNode = memo(function CardNode({ data }: NodeProps<Card>) {
  return (
    <div style={{ padding: '6px 10px', borderRadius: 6, border: '1px solid #94a3b8', background: data.on ? '#fde68a' : '#fff', font: '12px system-ui' }}>
      <Handle type="target" position={Position.Top} />
      {data.label}
      <Handle type="source" position={Position.Bottom} />
    </div>
  );
});
const nodeTypes = { card: CardNode };

const initialCount = Number(new URLSearchParams(location.search).get('n')) || 71;

function App() {
  const [count, setCount] = useState(initialCount);
  const [step, setStep] = useState(0);
  const nodes = useMemo<Card[]>(
    () =>
      Array.from({ length: count }, (_, i) => ({
        id: `n${i}`,
        type: 'card',
        position: { x: (i % 16) * 110, y: Math.floor(i / 16) * 70 },
        data: { label: `node ${i}`, on: (i + step) % 7 === 0 },
      })),
    [count, step],
  );
  const edges = useMemo(() => nodes.slice(1).map((n, i) => ({ id: `e${i}`, source: 'n0', target: n.id })), [nodes]);
  const onKey = useCallback((e: KeyboardEvent) => {
    if (e.key === 'ArrowRight') setStep((s) => s + 1);
    else if (e.key === 'ArrowLeft') setStep((s) => Math.max(0, s - 1));
    else if (e.key === 'Enter') setCount((c) => c + 1);
  }, []);
  useEffect(() => {
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onKey]);
  return (
    <div style={{ height: '100vh', display: 'flex', flexDirection: 'column' }}>
      <p role="status" style={{ margin: 4, font: '14px system-ui' }}>
        Step {step + 1} · {count} nodes
      </p>
      <div style={{ flex: 1 }}>
        <ReactFlow nodes={nodes} edges={edges} nodeTypes={nodeTypes} fitView nodesDraggable={false} />
      </div>
    </div>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ReactFlowProvider>
      <App />
    </ReactFlowProvider>
  </StrictMode>,
);
