// The graph's edges: registrations (styled by state), open handles, the device tree and deadlock
// cycles. The notification at the cursor runs along its registration edge as a moving dot, from
// what changed (partition, interface, device) to the callback's owner.
import { BaseEdge, EdgeLabelRenderer, getBezierPath, getSmoothStepPath, type Edge, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import type { RegistrationEdge } from './derive.ts';
import { COMPONENT_GAP } from './layout.ts';

/** A notification's caption stays within the gap between the component column and the machine. */
const CAPTION_MAX_W = COMPONENT_GAP - 24;

export type PnpEdge = Edge<{ model: RegistrationEdge; quiet?: boolean }>;

const STROKE: Record<RegistrationEdge['status'], string> = {
  active: 'var(--edge-active)',
  pinned: 'var(--edge-pinned)',
  inflight: 'var(--edge-inflight)',
  vetoing: 'var(--edge-veto)',
  blocked: 'var(--edge-blocked)',
};

/** Where an edge starts and ends, and on which side of each node (what React Flow hands an edge). */
export type EdgeEnds = Pick<EdgeProps, 'sourceX' | 'sourceY' | 'targetX' | 'targetY' | 'sourcePosition' | 'targetPosition'>;

/**
 * What an edge draws inside its `<g>`: the path, the notification's dot, the caption. React Flow's
 * edges (the device tree, deadlock cycles) and the shared layer of registrations (shared.tsx) both draw it.
 */
export function EdgeDrawing({ id, model: m, quiet, ends }: { id: string; model: RegistrationEdge; quiet?: boolean; ends: EdgeEnds }) {
  const params = {
    sourceX: ends.sourceX,
    sourceY: ends.sourceY,
    targetX: ends.targetX,
    targetY: ends.targetY,
    sourcePosition: ends.sourcePosition,
    targetPosition: ends.targetPosition,
  };
  const [path, labelX, labelY] = m.kind === 'tree' ? getSmoothStepPath({ ...params, borderRadius: 10 }) : getBezierPath(params);

  let stroke = STROKE[m.status];
  let width = 1.6;
  let dash: string | undefined;
  let className = '';
  switch (m.kind) {
    case 'tree':
      stroke = 'var(--edge-tree)';
      width = 1.4;
      break;
    case 'handle':
      stroke = 'var(--edge-handle)';
      dash = '2 4';
      width = 1.6;
      break;
    case 'cycle':
      stroke = 'var(--edge-blocked)';
      width = 3;
      dash = '8 5';
      className = 'pnp-edge-flow';
      break;
    case 'registration':
      if (m.status === 'pinned') dash = '6 4';
      if (m.status === 'blocked') dash = '3 3';
      if (m.status !== 'active') width = 2.4;
      if (m.status === 'inflight') className = 'pnp-edge-flow';
      break;
  }
  if (m.current) width = 3.2;

  return (
    <>
      <BaseEdge
        id={id}
        path={path}
        className={className}
        style={{ stroke, strokeWidth: width, strokeDasharray: dash, opacity: quiet ? 0.12 : 1 }}
        // No invisible wide path to hover or click: the edges take no pointer events (not
        // selectable, no click handler), so it would only add an element and a path to parse per edge.
        interactionWidth={0}
      />
      {m.current && (
        <circle r="5.5" className="pnp-notification-dot" fill="var(--edge-current)" stroke="white" strokeWidth="1.5">
          {/* From the changed entity (the edge's target end) to the callback's owner. */}
          <animateMotion dur="1.1s" repeatCount="indefinite" keyPoints="1;0" keyTimes="0;1" calcMode="linear" path={path} />
        </circle>
      )}
      {m.caption && (
        <EdgeLabelRenderer>
          <div
            data-graph-label="edge"
            className={`nodrag nopan pointer-events-none absolute px-2 py-0.5 text-[length:var(--g-xs)] font-semibold shadow ${
              m.kind === 'cycle'
                ? 'whitespace-nowrap rounded-full bg-red-600 text-white'
                : // It stays in the column between the components and the machine: a long name wraps.
                  'w-max rounded-lg bg-violet-700 text-white [overflow-wrap:anywhere]'
            }`}
            style={{
              maxWidth: m.kind === 'cycle' ? undefined : CAPTION_MAX_W,
              // A cycle's caption sits mid-edge; a notification's just after the callback owner,
              // where the eye already is (the node that runs the code).
              transform:
                m.kind === 'cycle'
                  ? `translate(-50%, -100%) translate(${labelX}px, ${labelY - 9}px)`
                  : `translate(0, -100%) translate(${ends.sourceX + 12}px, ${ends.sourceY - 8}px)`,
            }}
          >
            {m.caption}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
}

function PnpEdgeImpl(props: EdgeProps<PnpEdge>) {
  const m = props.data?.model;
  return m ? <EdgeDrawing id={props.id} model={m} quiet={props.data?.quiet} ends={props} /> : null;
}

export const edgeTypes = { pnp: memo(PnpEdgeImpl) };
