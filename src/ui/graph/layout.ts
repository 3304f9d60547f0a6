// Automatic, stable layout of the playground graph: positions come from the scenario's universe
// (everything it can ever have), never from the current step, so nothing moves while stepping.
//
//   components column        │ Hardware partition (processors, memory)
//   (apps, then drivers,     │
//    ordered by what they    │ PnP manager / root bus
//    talk to)                │  ├─ device ── child
//                            │  └─ device
//
// The device tree is laid out left to right (layoutSubtree), one subtree per root device, and the
// subtrees are packed into columns so dozens of devices stay readable. Past COLLAPSE_AT processors
// the partition shows one count node ("CPU 0–255 · 256 processors") unless expanded.
import type { Universe } from './universe.ts';

export const COLLAPSE_AT = 16;

/** Between the component column and the machine: room for notification captions and thread chips. */
export const COMPONENT_GAP = 210;

/**
 * What the graph covers, in graph coordinates: every top-level node, and with `rootChips` the
 * thread chips right of the PnP manager (outside every node, unlike the components' chips, which
 * use the gap).
 */
export function graphBounds(layout: GraphLayout, rootChips = false): { x: number; y: number; width: number; height: number } {
  const top = layout.nodes.filter((n) => !n.parentId);
  const root = rootChips ? layout.byId.get('root') : undefined;
  const x = Math.min(...top.map((n) => n.x));
  const y = Math.min(...top.map((n) => n.y));
  const right = Math.max(...top.map((n) => n.x + n.w), root ? root.x + root.w + ROOT_CHIPS_OFFSET + THREAD_CHIPS.w : -Infinity);
  const bottom = Math.max(...top.map((n) => n.y + n.h));
  return { x, y, width: right - x, height: bottom - y };
}

export const SIZE = {
  cpu: { w: 138, h: 50 },
  cpus: { w: 288, h: 58 },
  memory: { w: 176, h: 50 },
  root: { w: 236, h: 72 },
  component: { w: 212, h: 62 },
  label: { w: 212, h: 22 },
  device: { w: 256 },
  gap: 8,
  partitionPad: 14,
  partitionHeader: 40,
  deviceHeader: 44,
  deviceRow: 25,
  deviceSection: 20,
  devicePad: 10,
} as const;

/** Thread chips, right of their node (nodes.tsx): their width and their distance from the node. */
export const THREAD_CHIPS = { w: 196, gap: 10 } as const;

/** Devices hang under the root bus, indented by this much (a tree view's trunk). */
const DEVICE_INDENT = 48;

/**
 * The PnP manager's thread chips start this far right of it: past the first device column that
 * hangs under it, so tall chips never cover a device.
 */
export const ROOT_CHIPS_OFFSET = DEVICE_INDENT + SIZE.device.w + THREAD_CHIPS.gap - SIZE.root.w;

export type LayoutKind = 'partition' | 'cpu' | 'cpus' | 'memory' | 'root' | 'device' | 'driver' | 'app' | 'label';

export interface LayoutNode {
  id: string;
  kind: LayoutKind;
  x: number;
  y: number;
  w: number;
  h: number;
  /** Processors and memory sit inside the partition (positions relative to it). */
  parentId?: string;
}

export interface GraphLayout {
  nodes: LayoutNode[];
  byId: Map<string, LayoutNode>;
  collapsed: boolean;
}

/** Layers drawn for a device stack: a one-driver stack sits on the system's bus driver PDO. */
export function deviceLayerCount(stack: readonly string[]): number {
  return stack.length <= 1 ? 2 : stack.length;
}

export function deviceHeight(stack: readonly string[], interfaces: readonly string[]): number {
  const layers = deviceLayerCount(stack);
  const ifs = interfaces.length;
  return (
    SIZE.deviceHeader + SIZE.deviceSection + layers * SIZE.deviceRow + (ifs > 0 ? SIZE.deviceSection + ifs * SIZE.deviceRow : 0) + SIZE.devicePad
  );
}

const MAX_COLUMN_HEIGHT = 960;
const COLUMN_GAP = 72;
const SUBTREE_GAP = 20;
/** Between a device and its children's column, and between siblings. */
const RANK_GAP = 56;
const SIBLING_GAP = 16;

export function layoutGraph(u: Universe, expandProcessors = false): GraphLayout {
  const nodes: LayoutNode[] = [];
  const collapsed = u.processors > COLLAPSE_AT && !expandProcessors;

  // ---- the partition: processors, then memory, in a grid
  const { gap, partitionPad: pad, partitionHeader: header } = SIZE;
  const cpuCols = collapsed ? 1 : u.processors > COLLAPSE_AT ? 16 : Math.min(Math.max(u.processors, 2), 4);
  const cpuW = collapsed ? SIZE.cpus.w : SIZE.cpu.w;
  const cpuH = collapsed ? SIZE.cpus.h : SIZE.cpu.h;
  const cpuAreaW = cpuCols * cpuW + (cpuCols - 1) * gap;
  const innerW = Math.max(cpuAreaW, 2 * SIZE.memory.w + gap);
  const memCols = Math.max(1, Math.floor((innerW + gap) / (SIZE.memory.w + gap)));
  const cpuRows = collapsed ? 1 : Math.ceil(u.processors / cpuCols);
  const memRows = Math.ceil(u.memory.length / memCols);
  const partW = innerW + 2 * pad;
  const partH = header + cpuRows * (cpuH + gap) + (memRows > 0 ? memRows * (SIZE.memory.h + gap) : 0) + pad - gap;

  const colB = SIZE.component.w + COMPONENT_GAP;
  nodes.push({ id: 'partition', kind: 'partition', x: colB, y: 0, w: partW, h: partH });
  if (collapsed) {
    nodes.push({ id: 'cpus', kind: 'cpus', x: pad, y: header, w: SIZE.cpus.w, h: SIZE.cpus.h, parentId: 'partition' });
  } else {
    for (let n = 0; n < u.processors; n++) {
      const col = n % cpuCols;
      const row = Math.floor(n / cpuCols);
      nodes.push({
        id: `cpu:${n}`,
        kind: 'cpu',
        x: pad + col * (cpuW + gap),
        y: header + row * (cpuH + gap),
        w: cpuW,
        h: cpuH,
        parentId: 'partition',
      });
    }
  }
  const memTop = header + cpuRows * (cpuH + gap);
  u.memory.forEach((m, i) => {
    nodes.push({
      id: `mem:${m.id}`,
      kind: 'memory',
      x: pad + (i % memCols) * (SIZE.memory.w + gap),
      y: memTop + Math.floor(i / memCols) * (SIZE.memory.h + gap),
      w: SIZE.memory.w,
      h: SIZE.memory.h,
      parentId: 'partition',
    });
  });

  // ---- the device tree: root, then one layout per top-level subtree, packed in columns
  const treeTop = partH + 56;
  nodes.push({ id: 'root', kind: 'root', x: colB, y: treeTop, w: SIZE.root.w, h: SIZE.root.h });
  const children = new Map<string, string[]>();
  for (const d of u.devices) children.set(d.parent, [...(children.get(d.parent) ?? []), d.id]);
  const info = new Map(u.devices.map((d) => [d.id, d]));
  // Devices hang under the root bus, indented (a tree view's trunk), in columns.
  const devicesTop = treeTop + SIZE.root.h + 32;
  let colX = colB + DEVICE_INDENT;
  let y = devicesTop;
  let colW = 0;
  for (const top of children.get('root') ?? []) {
    const sub = layoutSubtree(top, children, info);
    if (y > devicesTop && y + sub.h > devicesTop + MAX_COLUMN_HEIGHT) {
      colX += colW + COLUMN_GAP;
      y = devicesTop;
      colW = 0;
    }
    for (const n of sub.nodes) nodes.push({ ...n, x: colX + n.x, y: y + n.y });
    y += sub.h + SUBTREE_GAP;
    colW = Math.max(colW, sub.w);
  }

  // ---- components: apps, then drivers, each ordered by the height of what they talk to
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const centreY = (id: string) => {
    const n = byId.get(id);
    if (!n) return Number.POSITIVE_INFINITY;
    const parent = n.parentId ? byId.get(n.parentId) : undefined;
    return (parent?.y ?? 0) + n.y + n.h / 2;
  };
  const order = (ids: string[]) =>
    ids
      .map((id, i) => {
        const targets = u.affinity.get(id) ?? [];
        const ys = targets.map(centreY).filter(Number.isFinite);
        return { id, i, y: ys.length ? ys.reduce((a, b) => a + b, 0) / ys.length : Number.POSITIVE_INFINITY };
      })
      .sort((a, b) => a.y - b.y || a.i - b.i)
      .map((e) => e.id);
  let cy = 0;
  const column = (ids: string[], kind: 'app' | 'driver') => {
    if (ids.length === 0) return;
    nodes.push({ id: `label:${kind}`, kind: 'label', x: 0, y: cy, w: SIZE.label.w, h: SIZE.label.h });
    cy += SIZE.label.h + 6;
    for (const id of order(ids)) {
      nodes.push({ id, kind, x: 0, y: cy, w: SIZE.component.w, h: SIZE.component.h });
      cy += SIZE.component.h + 14;
    }
    cy += 18;
  };
  column(u.apps.map((a) => `app:${a}`), 'app');
  column(u.drivers.map((d) => `drv:${d}`), 'driver');

  return { nodes, byId: new Map(nodes.map((n) => [n.id, n])), collapsed };
}

interface Subtree {
  nodes: LayoutNode[];
  w: number;
  h: number;
}

/**
 * One top-level device and its descendants, left to right: a device's children stack in a column
 * one rank to its right (RANK_GAP apart), SIBLING_GAP apart vertically, and a device sits at the
 * vertical centre of its children's column (its children are centred under it when it is the
 * taller). Every subtree owns a horizontal band, so nothing overlaps.
 */
function layoutSubtree(top: string, children: Map<string, string[]>, info: Map<string, { stack: string[]; interfaces: string[] }>): Subtree {
  const nodes: LayoutNode[] = [];
  const seen = new Set<string>();
  let width = 0;
  /** Lay out `id` with its band's top at `top`; returns the band's height. */
  const place = (id: string, depth: number, top: number): number => {
    seen.add(id);
    const d = info.get(id)!;
    const h = deviceHeight(d.stack, d.interfaces);
    const kids = (children.get(id) ?? []).filter((c) => !seen.has(c)); // a malformed cycle cannot hang the layout
    const placed = nodes.length;
    const node: LayoutNode = { id: `dev:${id}`, kind: 'device', x: depth * (SIZE.device.w + RANK_GAP), y: 0, w: SIZE.device.w, h };
    nodes.push(node);
    width = Math.max(width, node.x + node.w);
    let span = 0;
    for (const c of kids) span += (span > 0 ? SIBLING_GAP : 0) + place(c, depth + 1, top + span);
    const band = Math.max(h, span);
    node.y = Math.round(top + (band - h) / 2);
    if (span < band) {
      // The device is taller than its children's column: centre the column beside it.
      const shift = Math.round((band - span) / 2);
      for (let i = placed + 1; i < nodes.length; i++) nodes[i].y += shift;
    }
    return band;
  };
  const h = place(top, 0, 0);
  return { nodes, w: width, h };
}
