// The registration and open-handle edges, drawn in shared <svg> layers inside React Flow's edge
// layer instead of one React Flow edge each (an <svg> of its own, a wrapper subscribed to the flow's
// store, its edge component): a scrubber jump that first shows a busy machine creates ~80 of them
// at once. Each keeps what a React Flow edge offers keyboard and screen-reader users, and what
// tests query: the same `<g>` (the `react-flow__edge` classes, `data-id`, `data-testid`, a
// focusable group with its accessible name and description) around the same drawing (EdgeDrawing).
// React Flow still draws the device tree (under the nodes) and deadlock cycles.
import { Position, useStore, type InternalNode, type ReactFlowState } from '@xyflow/react';
import { memo, useCallback, useMemo } from 'react';
import { createPortal } from 'react-dom';
import { EdgeDrawing, type EdgeEnds, type PnpEdge } from './edges.tsx';

type HandleBound = NonNullable<InternalNode['internals']['handleBounds']>['source'];

/** A handle's attachment point in flow coordinates, as React Flow computes it for its edges. */
function handlePoint(node: InternalNode, h: NonNullable<HandleBound>[number]): { x: number; y: number } {
  const x = h.x + node.internals.positionAbsolute.x;
  const y = h.y + node.internals.positionAbsolute.y;
  switch (h.position) {
    case Position.Top:
      return { x: x + h.width / 2, y };
    case Position.Right:
      return { x: x + h.width, y: y + h.height / 2 };
    case Position.Bottom:
      return { x: x + h.width / 2, y: y + h.height };
    case Position.Left:
      return { x, y: y + h.height / 2 };
  }
}

/**
 * An edge's ends from its nodes' measured handles (React Flow's own rule, strict connection mode:
 * the source handle among the source node's source handles, the target among the target's target
 * handles, the first one when the edge names none); null until both nodes are measured.
 */
export function edgeEnds(lookup: ReactFlowState['nodeLookup'], e: PnpEdge): EdgeEnds | null {
  const source = lookup.get(e.source);
  const target = lookup.get(e.target);
  const out = source?.internals.handleBounds?.source;
  const into = target?.internals.handleBounds?.target;
  if (!source || !target || !out || !into) return null;
  const sh = e.sourceHandle ? out.find((h) => h.id === e.sourceHandle) : out[0];
  const th = e.targetHandle ? into.find((h) => h.id === e.targetHandle) : into[0];
  if (!sh || !th) return null;
  const s = handlePoint(source, sh);
  const t = handlePoint(target, th);
  return { sourceX: s.x, sourceY: s.y, targetX: t.x, targetY: t.y, sourcePosition: sh.position, targetPosition: th.position };
}

const sameEnds = (a: EdgeEnds | null, b: EdgeEnds | null) =>
  a === b ||
  (!!a &&
    !!b &&
    a.sourceX === b.sourceX &&
    a.sourceY === b.sourceY &&
    a.targetX === b.targetX &&
    a.targetY === b.targetY &&
    a.sourcePosition === b.sourcePosition &&
    a.targetPosition === b.targetPosition);
const sameAllEnds = (a: (EdgeEnds | null)[], b: (EdgeEnds | null)[]) => a.length === b.length && a.every((x, i) => sameEnds(x, b[i]));

/** The `<g>` React Flow draws around an edge (its EdgeWrapper), around the edge's drawing. */
function SharedEdgeImpl({ edge, ends, describedBy }: { edge: PnpEdge; ends: EdgeEnds; describedBy: string }) {
  const focusable = edge.focusable !== false;
  return (
    <g
      className="react-flow__edge react-flow__edge-pnp nopan inactive"
      tabIndex={focusable ? 0 : undefined}
      role={focusable ? 'group' : 'img'}
      aria-roledescription="edge"
      data-id={edge.id}
      data-testid={`rf__edge-${edge.id}`}
      aria-label={edge.ariaLabel}
      aria-describedby={focusable ? describedBy : undefined}
    >
      <EdgeDrawing id={edge.id} model={edge.data!.model} quiet={edge.data!.quiet} ends={ends} />
    </g>
  );
}

const SharedEdge = memo(SharedEdgeImpl, (a, b) => a.edge === b.edge && a.describedBy === b.describedBy && sameEnds(a.ends, b.ends));

/**
 * The edges, in array order, in an `<svg>` appended to React Flow's edge layer (after React Flow's
 * own edges and before the nodes in the page's reading and focus order), stacked as React Flow
 * stacks them (the edge's z-index): at 1, above the nodes and the device tree (0); the edge of the
 * notification being delivered in a second `<svg>` at 10, above the rest.
 */
export function SharedEdges({ edges }: { edges: readonly PnpEdge[] }) {
  const domNode = useStore((s) => s.domNode);
  const container = useMemo(() => domNode?.querySelector<HTMLElement>('.react-flow__edges') ?? null, [domNode]);
  const describedBy = `react-flow__edge-desc-${useStore((s) => s.rfId)}`;
  const ends = useStore(
    useCallback((s: ReactFlowState) => edges.map((e) => edgeEnds(s.nodeLookup, e)), [edges]),
    sameAllEnds,
  );
  if (!container || edges.length === 0) return null;
  const layer = (z: number) => (
    <svg className="pnp-shared-edges" style={{ zIndex: z }}>
      {edges.map((e, i) => {
        const at = ends[i];
        return at && (e.zIndex ?? 0) === z ? <SharedEdge key={e.id} edge={e} ends={at} describedBy={describedBy} /> : null;
      })}
    </svg>
  );
  return createPortal(
    <>
      {layer(1)}
      {edges.some((e) => e.zIndex === 10) && layer(10)}
    </>,
    container,
  );
}
