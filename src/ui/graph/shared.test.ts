import { Position, type InternalNode } from '@xyflow/react';
import { ConnectionMode, getEdgePosition } from '@xyflow/system';
import { describe, expect, it } from 'vitest';
import type { PnpEdge } from './edges.tsx';
import { edgeEnds } from './shared.tsx';

type Bound = { id: string; position: Position; x: number; y: number; width: number; height: number };

/** A measured node as React Flow keeps it: its absolute position and its handles' boxes. */
function node(id: string, x: number, y: number, source: Bound[], target: Bound[]): [string, InternalNode] {
  return [id, { id, position: { x, y }, data: {}, measured: { width: 200, height: 40 }, internals: { positionAbsolute: { x, y }, z: 0, userNode: {}, handleBounds: { source, target } } } as unknown as InternalNode];
}
const bound = (id: string, position: Position, x: number, y: number): Bound => ({ id, position, x, y, width: 6, height: 8 });
const edge = (source: string, target: string, sourceHandle: string, targetHandle: string): PnpEdge => ({ id: `${source}-${target}`, source, target, sourceHandle, targetHandle });

describe('edgeEnds: where a shared-layer edge is drawn (React Flow\'s rule for its own edges)', () => {
  const lookup = new Map([
    node('drv:a', 10, 20, [bound('out', Position.Right, 197, 16)], [bound('in', Position.Left, -3, 16)]),
    node('dev:d', 400, 100, [bound('tree', Position.Bottom, 21, 37)], [bound('in', Position.Left, -3, 16), bound('if:X', Position.Left, -10, 30)]),
    node('root', 300, 0, [bound('out', Position.Right, 197, 16), bound('tree', Position.Top, 21, -3)], []),
  ]);

  it('joins the right side of the source handle to the left side of the target handle, in flow coordinates', () => {
    expect(edgeEnds(lookup, edge('drv:a', 'dev:d', 'out', 'in'))).toEqual({
      sourceX: 10 + 197 + 6,
      sourceY: 20 + 16 + 4,
      targetX: 400 - 3,
      targetY: 100 + 16 + 4,
      sourcePosition: Position.Right,
      targetPosition: Position.Left,
    });
  });

  it('picks the named handle (an interface), and the middle of a top or bottom handle', () => {
    expect(edgeEnds(lookup, edge('drv:a', 'dev:d', 'out', 'if:X'))).toMatchObject({ targetX: 390, targetY: 134 });
    expect(edgeEnds(lookup, edge('root', 'dev:d', 'tree', 'in'))).toMatchObject({ sourceX: 300 + 21 + 3, sourceY: -3, sourcePosition: Position.Top });
    expect(edgeEnds(lookup, edge('dev:d', 'drv:a', 'tree', 'in'))).toMatchObject({ sourceX: 424, sourceY: 100 + 37 + 8, sourcePosition: Position.Bottom });
  });

  it('gives what React Flow gives its own edges', () => {
    for (const e of [edge('drv:a', 'dev:d', 'out', 'in'), edge('drv:a', 'dev:d', 'out', 'if:X'), edge('root', 'dev:d', 'tree', 'in'), edge('dev:d', 'drv:a', 'tree', 'in')]) {
      const flow = getEdgePosition({ id: e.id, sourceNode: lookup.get(e.source)!, targetNode: lookup.get(e.target)!, sourceHandle: e.sourceHandle ?? null, targetHandle: e.targetHandle ?? null, connectionMode: ConnectionMode.Strict });
      expect(edgeEnds(lookup, e)).toEqual(flow);
    }
  });

  it('is null while a node or a handle is missing (not measured yet)', () => {
    expect(edgeEnds(lookup, edge('drv:a', 'nowhere', 'out', 'in'))).toBeNull();
    expect(edgeEnds(lookup, edge('drv:a', 'dev:d', 'out', 'if:Y'))).toBeNull();
    expect(edgeEnds(lookup, edge('drv:a', 'root', 'out', 'in'))).toBeNull();
  });
});
