// The machine as a node graph (@xyflow/react): the hardware partition, the device tree with
// driver stacks and interfaces, drivers and apps; registrations, handles and deadlock cycles as
// edges. Positions come from the scenario (layout.ts) and never move while stepping; each step
// only changes node and edge data (derive.ts), and nodes whose look did not change keep their
// object so React Flow skips them.
import {
  Controls,
  MiniMap,
  Panel,
  ReactFlow,
  ReactFlowProvider,
  getViewportForBounds,
  useReactFlow,
  useStore,
  type NodeChange,
  type ReactFlowInstance,
} from '@xyflow/react';
import { useCallback, useDeferredValue, useEffect, useLayoutEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { sessionStore, useSession } from '../../store/session.ts';
import type { Snapshot } from '../../engine/snapshot.ts';
import type { TraceEntry } from '../../engine/trace.ts';
import type { NormalizedScenario } from '../../scenario/types.ts';
import { useTheme } from '../theme.ts';
import { addFromPalette } from '../palette/add.ts';
import { deriveGraph, rootHasThreads, type GraphState, type NodeVisual, type RegistrationEdge } from './derive.ts';
import { edgeTypes, type PnpEdge } from './edges.tsx';
import { paletteKindOf, parseNodeId, type PaletteKind } from './ids.ts';
import { COLLAPSE_AT, graphBounds, layoutGraph, type GraphLayout, type LayoutNode } from './layout.ts';
import { GraphActions, nodeTypes, type PnpNode } from './nodes.tsx';
import { ReuseCache, StableList } from './reuse.ts';
import { SharedEdges } from './shared.tsx';
import { GraphBackground } from './background.tsx';
import { fittedViewport } from './fit.ts';
import { graphTextStyle } from './text.ts';
import { universeOf, type Universe } from './universe.ts';
import { useView } from '../view.ts';

const ARIA = {
  'node.a11yDescription.default': 'Press Enter or Space to select a node; the Actions panel then offers what you can do with it.',
  'node.a11yDescription.keyboardDisabled': 'Press Enter or Space to select a node.',
  'edge.a11yDescription.default': 'A registration, open handle or wait between two nodes.',
};

function plural(n: number, one: string, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

/** Title, subtitle and accessible name of a node. */
function describe(n: LayoutNode, v: NodeVisual, u: Universe): { title: string; subtitle?: string; aria: string } {
  const threads = (v.threads ?? [])
    .map((t) => `${t.thread}${t.routine ? ` in ${t.routine}` : ''}${t.callback ? ' (callback)' : ''}, ${t.state}${t.waitsFor ? `, waiting for ${t.waitsFor}` : ''}`)
    .join('; ');
  const extra = `${v.running ? ', its code is running now' : ''}${v.blocked ? `, blocked: ${v.blocked}` : ''}${v.deadlocked ? ', in a deadlock' : ''}${
    v.changed ? ', changed at this step' : ''
  }${threads ? `; threads: ${threads}` : ''}`;
  switch (n.kind) {
    case 'partition': {
      // The machine's processors and memory modules (its slots: a hot-add fills one, shown as a
      // not-present node until then). The accessible name adds how many are present at the cursor.
      const sub = `${plural(u.processors, 'processor')} · ${plural(u.memory.length, 'memory module')}`;
      const p = v.present;
      const absent = p && (p.processors < u.processors || p.memory < u.memory.length);
      const now = absent ? ` (present now: ${plural(p.processors, 'processor')}, ${plural(p.memory, 'memory module')})` : '';
      return { title: 'Hardware partition', subtitle: sub, aria: `Hardware partition: ${sub}${now}` };
    }
    case 'cpus': {
      const title = `CPU 0–${u.processors - 1} · ${u.processors} processors`;
      const counts = Object.entries(v.counts ?? {})
        .map(([s, k]) => `${k} ${s}`)
        .join(', ');
      return { title, aria: `${title} (collapsed): ${counts}${extra}` };
    }
    case 'cpu': {
      const nt = n.id.slice(4);
      return { title: `CPU ${nt}`, subtitle: v.detail, aria: `CPU ${nt} · ${v.detail ?? ''}, ${v.state}${extra}` };
    }
    case 'memory': {
      const id = n.id.slice(4);
      return { title: `Memory ${id}`, subtitle: v.detail, aria: `Memory ${id} · ${v.detail ?? ''}, ${v.state}${extra}` };
    }
    case 'root':
      return { title: 'PnP manager', subtitle: 'root bus · ROOT', aria: `PnP manager, root bus${extra}` };
    case 'device': {
      const id = n.id.slice(4);
      const d = u.devices.find((x) => x.id === id);
      const stack = v.layers?.map((l) => `${l.role} ${l.driver}`).join(', ') ?? '';
      const ifs = v.interfaces?.map((i) => `${i.className} ${i.state === 'none' ? 'absent' : i.state}`).join(', ') ?? '';
      return {
        title: id,
        subtitle: d ? `${d.parent === 'root' ? 'ROOT' : d.parent.toUpperCase()}\\${id.toUpperCase()}\\0000` : undefined,
        aria: `Device ${id}, ${v.state}; driver stack ${stack}${ifs ? `; interfaces ${ifs}` : ''}${v.openHandles ? `; ${plural(v.openHandles, 'open handle')}` : ''}${extra}`,
      };
    }
    case 'driver': {
      const id = n.id.slice(4);
      return { title: id, aria: `Driver ${id}, ${v.state}${extra}` };
    }
    case 'app': {
      const id = n.id.slice(4);
      return { title: id, aria: `App ${id}, ${v.state}${extra}` };
    }
    case 'label':
      return { title: n.id === 'label:app' ? 'User-mode apps' : 'Kernel-mode drivers', aria: '' };
  }
}

/** Build flow nodes, reusing the previous object when nothing about a node changed. */
function useFlowNodes(layout: GraphLayout, state: GraphState, universe: Universe, selected: string | null, dropTarget: string | null): PnpNode[] {
  const [cache] = useState(() => new ReuseCache<PnpNode>());
  return useMemo(() => {
    const pass = cache.pass();
    const out: PnpNode[] = [];
    for (const n of layout.nodes) {
      const v = state.nodes.get(n.id) ?? { state: 'active', running: false, changed: false, deadlocked: false };
      const isSelected = selected === n.id;
      const isDrop = dropTarget === n.id;
      const canCollapse = n.kind === 'partition' && universe.processors > COLLAPSE_AT && !layout.collapsed;
      // The text depends on the universe too (the partition's processor count): it is part of the key.
      const { title, subtitle, aria } = describe(n, v, universe);
      const key = JSON.stringify([n.x, n.y, n.w, n.h, v, isSelected, isDrop, canCollapse, title, subtitle, aria]);
      out.push(
        pass.get(n.id, key, () => {
          const label = n.kind === 'label';
          return {
            id: n.id,
            type: n.kind,
            position: { x: n.x, y: n.y },
            width: n.w,
            height: n.h,
            // The size React Flow would measure (the style fixes it): with it, a node whose data
            // changed keeps its handle positions instead of being re-observed and measured again
            // (a forced layout and a second store update, every step).
            measured: { width: n.w, height: n.h },
            style: { width: n.w, height: n.h },
            data: { title, subtitle, visual: v, dropTarget: isDrop, canCollapse },
            selected: isSelected,
            draggable: false,
            connectable: false,
            deletable: false,
            selectable: !label,
            focusable: !label,
            ...(label ? { ariaRole: 'presentation' as const } : { ariaLabel: aria }),
            ...(n.parentId ? { parentId: n.parentId, extent: 'parent' as const } : {}),
            ...(n.kind === 'partition' ? { zIndex: -1 } : {}),
          };
        }),
      );
    }
    return pass.done(out);
  }, [cache, layout, state, universe, selected, dropTarget]);
}

/** Past this many edges, quiet registrations fade so the ones that matter now stand out. */
const CROWDED_EDGES = 30;

/**
 * The graph's edges: the device tree and deadlock cycles for React Flow to draw, and the
 * registrations and open handles for the shared layer (shared.tsx).
 */
function useFlowEdges(state: GraphState, nodeIds: Set<string>, selected: string | null): { flow: PnpEdge[]; shared: PnpEdge[] } {
  const [cache] = useState(() => new ReuseCache<PnpEdge>());
  const [sharedList] = useState(() => new StableList<PnpEdge>());
  return useMemo(() => {
    const pass = cache.pass();
    const flow: PnpEdge[] = [];
    const shared: PnpEdge[] = [];
    const crowded = state.edges.filter((e) => e.kind !== 'tree').length > CROWDED_EDGES;
    for (const m of state.edges) {
      if (!nodeIds.has(m.source) || !nodeIds.has(m.target)) continue;
      const quiet = crowded && !m.current && m.kind !== 'cycle' && m.status === 'active' && m.source !== selected && m.target !== selected;
      const edge = pass.get(m.id, JSON.stringify([m, quiet]), () => ({
        id: m.id,
        type: 'pnp',
        source: m.source,
        target: m.target,
        sourceHandle: m.sourceHandle ?? 'out',
        targetHandle: m.targetHandle ?? 'in',
        data: { model: m, quiet },
        ariaLabel: m.label,
        focusable: m.kind !== 'tree',
        selectable: false,
        deletable: false,
        zIndex: m.current || m.kind === 'cycle' ? 10 : m.kind === 'tree' ? 0 : 1,
      }));
      (m.kind === 'registration' || m.kind === 'handle' ? shared : flow).push(edge);
    }
    return { flow: pass.done(flow), shared: sharedList.keep(shared) };
  }, [cache, sharedList, state, nodeIds, selected]);
}

/**
 * A large machine opens on its top-left part at a readable zoom (components, the partition, the
 * root bus and the first device columns) instead of everything at a tiny zoom; the minimap and
 * Fit View show the rest.
 */
function overviewBounds(layout: GraphLayout): { x: number; y: number; width: number; height: number } | null {
  const top = layout.nodes.filter((n) => !n.parentId);
  const fullW = Math.max(...top.map((n) => n.x + n.w));
  const fullH = Math.max(...top.map((n) => n.y + n.h));
  const root = layout.byId.get('root');
  if (!root || (fullW <= 1600 && fullH <= 1100)) return null;
  const right = Math.min(fullW, root.x + 48 + 2 * (256 + 72));
  const bottom = Math.min(900, fullH);
  return { x: -10, y: -10, width: right + 20, height: bottom + 20 };
}

const MIN_ZOOM = 0.08;
const MAX_ZOOM = 2;

/**
 * Fit the view to the machine (fit.ts): after every run, never while stepping. A view already
 * there is left alone: setting it again would still update React Flow's store and re-render the
 * graph's layers (a run that adds a collapsed processor keeps the same view).
 */
function fitGraph(
  flow: Pick<ReactFlowInstance, 'getViewport' | 'setViewport'>,
  layout: GraphLayout,
  pane: { width: number; height: number; presenter: boolean; rootChips: boolean },
): void {
  const overview = pane.presenter ? null : overviewBounds(layout);
  const target = overview
    ? getViewportForBounds(overview, pane.width, pane.height, MIN_ZOOM, MAX_ZOOM, 0.04)
    : fittedViewport(graphBounds(layout, pane.rootChips), pane.width, pane.height, pane.presenter);
  const now = flow.getViewport();
  if (now.x === target.x && now.y === target.y && now.zoom === target.zoom) return;
  void flow.setViewport(target, { duration: 0 });
}

function Legend() {
  const row = (stroke: string, dash: string | undefined, text: string, width = 2) => (
    <li className="flex items-center gap-2">
      <svg aria-hidden="true" width="26" height="8" className="shrink-0">
        <line x1="1" y1="4" x2="25" y2="4" stroke={stroke} strokeWidth={width} strokeDasharray={dash} />
      </svg>
      {text}
    </li>
  );
  return (
    <details className="pnp-legend rounded-lg border border-slate-200 bg-white/95 text-[length:var(--g-ui)] shadow-sm dark:border-slate-700 dark:bg-slate-900/95">
      <summary className="cursor-pointer select-none px-2.5 py-1.5 font-semibold text-slate-700 dark:text-slate-200">Legend</summary>
      <ul className="space-y-1 px-2.5 pb-2 text-slate-700 dark:text-slate-300">
        {row('var(--edge-active)', undefined, 'registration, active')}
        {row('var(--edge-inflight)', undefined, 'callback in flight', 2.6)}
        {row('var(--edge-pinned)', '6 4', 'unregistered, pinned by a running callback', 2.6)}
        {row('var(--edge-veto)', undefined, 'callback vetoed', 2.6)}
        {row('var(--edge-blocked)', '3 3', 'callback blocked / deadlock', 2.6)}
        {row('var(--edge-handle)', '2 4', 'open handle or file object')}
        {row('var(--edge-tree)', undefined, 'device tree')}
        <li className="flex items-center gap-2">
          <span aria-hidden="true" className="ml-2 mr-2 inline-block size-2.5 rounded-full bg-[var(--edge-current)]" />
          notification being delivered
        </li>
      </ul>
    </details>
  );
}

/** Module-level, so the minimap's nodes (memoised on their props) do not re-render with every step. */
const miniNodeColor = (n: PnpNode) => (n.type === 'partition' ? 'var(--mini-partition)' : n.type === 'label' ? 'transparent' : 'var(--mini-node)');

/**
 * When React Flow mounts with the first run's graph already there (the run answered before the
 * page's first render), paints that graph in the first frame. React Flow copies its nodes into its
 * store, measures its pane and starts its zoom in passive effects, and the view is fitted in one
 * too; after the first render React runs those only after the next frame, which would paint an
 * empty graph, then a second frame with the nodes. A state update in a layout effect makes React
 * run them, and the renders they cause, before that frame instead. A run that answers later is
 * rendered by a synchronous update whose passive effects already run before the frame.
 */
function FirstGraphBeforePaint({ shown }: { shown: boolean }) {
  const [done, setDone] = useState(!shown);
  useLayoutEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- a synchronous update before the paint is the point
    if (!done) setDone(true);
  }, [done]);
  return null;
}

/** How long after the last step the graph's animations resume. */
const STEPPING_REST_MS = 400;

/** A run this long shows its graph in a render of its own (see useGraphInputs). */
const LONG_TRACE_ENTRIES = 20_000;

/** The key of every run shorter than LONG_TRACE_ENTRIES; a long run's key is its trace. */
const SHORT_RUNS = {};
/** What the graph last showed for a run key (shown again while a new long run waits for its render). */
const lastShown = new WeakMap<object, GraphInputs>();

interface GraphInputs {
  scenario: NormalizedScenario | null;
  trace: readonly TraceEntry[];
  snapshot: Snapshot | null;
  selected: string | null;
}

/**
 * What the graph shows. A new long run is drawn by a render of its own (React's deferred value of
 * its trace), after the render that shows its step controls: the two are each a task of their own
 * instead of one long task; until then the graph keeps what it showed. Steps within a run, and
 * short runs, are drawn at once and cost no second render (the deferred value does not change).
 */
function useGraphInputs(): GraphInputs {
  const scenario = useSession((s) => s.scenario);
  const trace = useSession((s) => s.trace);
  const snapshot = useSession((s) => s.snapshot);
  const selected = useSession((s) => s.selected);
  const now = useMemo(() => ({ scenario, trace, snapshot, selected }), [scenario, trace, snapshot, selected]);
  // Every short run has one key, so stepping and short runs never change the deferred value.
  const key = trace.length >= LONG_TRACE_ENTRIES ? trace : SHORT_RUNS;
  const settled = useDeferredValue<object>(key);
  const held = settled !== key ? lastShown.get(settled) : undefined;
  if (held) return held;
  lastShown.set(key, now);
  return now;
}

function GraphCanvas({ readOnly = false }: { readOnly?: boolean }) {
  const { scenario, trace, snapshot, selected } = useGraphInputs();
  const theme = useTheme();
  const flow = useReactFlow();
  const presenter = useView((v) => v.presenter) && !readOnly;
  const textStyle = useMemo(() => graphTextStyle(presenter), [presenter]);
  const [expanded, setExpanded] = useState(false);
  const [drag, setDrag] = useState<{ kind: PaletteKind; target: string | null } | null>(null);
  const wrapper = useRef<HTMLDivElement>(null);

  const universe = useMemo(() => (scenario ? universeOf(scenario) : null), [scenario]);
  const layout = useMemo(() => (universe ? layoutGraph(universe, expanded) : null), [universe, expanded]);
  const isApp = useCallback((id: string) => !!scenario && id in scenario.apps, [scenario]);
  const state = useMemo(
    () =>
      universe && layout
        ? deriveGraph({ universe, snapshot, trace, collapsed: layout.collapsed, isApp })
        : { nodes: new Map(), edges: [] as RegistrationEdge[], focus: null },
    [universe, layout, snapshot, trace, isApp],
  );
  const emptyLayout = useMemo<GraphLayout>(() => ({ nodes: [], byId: new Map(), collapsed: false }), []);
  const emptyUniverse = useMemo<Universe>(
    () => ({ processors: 0, bootProcessors: 0, memory: [], devices: [], drivers: [], apps: [], classDevices: new Map(), affinity: new Map() }),
    [],
  );
  const nodes = useFlowNodes(layout ?? emptyLayout, state, universe ?? emptyUniverse, selected, drag?.target ?? null);
  const nodeIds = useMemo(() => new Set(nodes.map((n) => n.id)), [nodes]);
  const { flow: edges, shared } = useFlowEdges(state, nodeIds, selected);

  // Fit the view after every run (a gesture, an Apply, Undo, another scenario), when the pane
  // changes size and when Presenter mode toggles; never while stepping, so the view stays steady
  // from step to step. Node sizes are given by the layout, so there is no need to wait for measuring.
  const width = useStore((s) => s.width);
  const height = useStore((s) => s.height);
  const rootChips = useMemo(() => rootHasThreads(trace), [trace]);
  useEffect(() => {
    if (!layout || layout.nodes.length === 0 || width <= 0 || height <= 0) return;
    fitGraph(flow, layout, { width, height, presenter, rootChips });
  }, [layout, flow, width, height, presenter, rootChips]);

  // While the step moves (a key held, the scrubber dragged), the flowing edges and the moving
  // notification dot stand still: an animation frame repaints the graph, and stepping needs every
  // frame for the steps themselves. They run again once the step rests. Set on the element, not in
  // React state, so a step costs no extra render.
  useEffect(() => {
    const el = wrapper.current;
    if (!el || snapshot === null) return;
    if (el.dataset.stepping === undefined) el.dataset.stepping = ''; // re-setting it would restyle the graph again
    const t = setTimeout(() => delete el.dataset.stepping, STEPPING_REST_MS);
    return () => clearTimeout(t);
  }, [snapshot]);

  // Expanding the processors frames the partition (collapsing them re-fits, as any layout change does).
  const framedExpansion = useRef(expanded);
  useEffect(() => {
    if (framedExpansion.current === expanded) return;
    framedExpansion.current = expanded;
    if (!expanded) return;
    const t = setTimeout(() => void flow.fitView({ nodes: [{ id: 'partition' }], padding: 0.06, maxZoom: 1, duration: 200 }), 40);
    return () => clearTimeout(t);
  }, [expanded, flow]);

  // Bring what a gesture added (the new selection) into view. The pane's size is React Flow's
  // (observed), not read from the element: reading it here would force a layout of the page while
  // the new run's render is still being committed.
  const lastSelected = useRef<string | null>(null);
  useEffect(() => {
    if (!selected || selected === lastSelected.current || !layout) {
      lastSelected.current = selected;
      return;
    }
    lastSelected.current = selected;
    const n = layout.byId.get(selected) ?? (parseNodeId(selected)?.kind === 'cpu' ? layout.byId.get('cpus') : undefined);
    if (!n || width <= 0 || height <= 0) return;
    const parent = n.parentId ? layout.byId.get(n.parentId) : undefined;
    const x = (parent?.x ?? 0) + n.x + n.w / 2;
    const y = (parent?.y ?? 0) + n.y + n.h / 2;
    const { x: vx, y: vy, zoom } = flow.getViewport();
    const sx = x * zoom + vx;
    const sy = y * zoom + vy;
    if (sx < 40 || sy < 40 || sx > width - 40 || sy > height - 40) {
      void flow.setCenter(x, y, { zoom: Math.max(zoom, 0.6), duration: 250 });
    }
  }, [selected, layout, flow, width, height]);

  const onNodesChange = useCallback((changes: NodeChange<PnpNode>[]) => {
    const { select, selected: current } = sessionStore.getState();
    let chosen: string | null | undefined;
    for (const c of changes) {
      if (c.type !== 'select') continue;
      if (c.selected) chosen = c.id;
      else if (c.id === current && chosen === undefined) chosen = null;
    }
    if (chosen !== undefined) select(chosen);
  }, []);

  // ---- palette drops (HTML5 drag and drop)
  const dropTargetAt = useCallback(
    (kind: PaletteKind, x: number, y: number): string | null => {
      if (kind !== 'device') return 'partition';
      for (const el of document.elementsFromPoint(x, y)) {
        const node = el.closest?.('.react-flow__node');
        const id = node?.getAttribute('data-id');
        if (id && (parseNodeId(id)?.kind === 'device' || id === 'root')) return id;
      }
      return 'root';
    },
    [],
  );
  const onDragOver = useCallback(
    (e: DragEvent) => {
      const kind = paletteKindOf([...e.dataTransfer.types]);
      if (!kind) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
      const target = dropTargetAt(kind, e.clientX, e.clientY);
      setDrag((d) => (d && d.kind === kind && d.target === target ? d : { kind, target }));
    },
    [dropTargetAt],
  );
  const onDragLeave = useCallback((e: DragEvent) => {
    if (!wrapper.current?.contains(e.relatedTarget as globalThis.Node | null)) setDrag(null);
  }, []);
  const onDrop = useCallback(
    (e: DragEvent) => {
      const kind = paletteKindOf([...e.dataTransfer.types]);
      setDrag(null);
      if (!kind) return;
      e.preventDefault();
      const target = dropTargetAt(kind, e.clientX, e.clientY);
      const parent = parseNodeId(target);
      void addFromPalette(kind, kind === 'device' && parent?.kind === 'device' ? parent.id : 'root');
    },
    [dropTargetAt],
  );

  const actions = useMemo(() => ({ toggleProcessors: () => setExpanded((x) => !x), processorsExpanded: expanded }), [expanded]);
  const big = nodes.length > 150;
  // The minimap would cover the machine in a short or narrow pane.
  const minimap = width > 560 && height > 640;

  return (
    <GraphActions.Provider value={actions}>
      <div
        ref={wrapper}
        className="pnp-graph relative h-full w-full"
        style={textStyle}
        onDragOver={readOnly ? undefined : onDragOver}
        onDragLeave={readOnly ? undefined : onDragLeave}
        onDrop={readOnly ? undefined : onDrop}
        data-testid="graph"
        data-snapshot-seq={snapshot?.seq}
      >
        <ReactFlow<PnpNode, PnpEdge>
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          onNodesChange={onNodesChange}
          colorMode={theme}
          nodesDraggable={false}
          nodesConnectable={false}
          edgesReconnectable={false}
          elementsSelectable
          deleteKeyCode={null}
          selectionKeyCode={null}
          multiSelectionKeyCode={null}
          minZoom={MIN_ZOOM}
          maxZoom={MAX_ZOOM}
          onlyRenderVisibleElements={big}
          proOptions={{ hideAttribution: true }}
          ariaLabelConfig={ARIA}
          aria-label="Machine graph"
        >
          <FirstGraphBeforePaint shown={nodes.length > 0} />
          <SharedEdges edges={shared} />
          <GraphBackground color="var(--graph-dots)" />
          <Controls showInteractive={false} position="bottom-left" aria-label="Zoom controls" />
          {minimap && (
            <MiniMap
              pannable
              zoomable
              position="bottom-right"
              ariaLabel="Overview of the machine graph"
              nodeColor={miniNodeColor}
              maskColor="var(--mini-mask)"
              style={{ width: 160, height: 104 }}
              className="pnp-minimap"
            />
          )}
          {/* In Presenter mode the machine fills the pane from its top (the partition at the top right): the legend goes below it. */}
          <Panel position={presenter ? 'bottom-right' : 'top-right'}>
            <Legend />
          </Panel>
          {drag && (
            <Panel position="top-center">
              <p className="rounded-full bg-sky-600 px-3 py-1 text-xs font-medium text-white shadow">
                {drag.kind === 'device'
                  ? `Drop on the PnP manager or a device: plugs in under ${drag.target === 'root' || !drag.target ? 'the root bus' : drag.target.slice(4)}`
                  : `Drop to hot-add the ${drag.kind === 'memory' ? 'memory module' : 'processor'} into the hardware partition`}
              </p>
            </Panel>
          )}
        </ReactFlow>
      </div>
    </GraphActions.Provider>
  );
}

/** The graph, with its own React Flow provider. `readOnly` (the embed): nothing can be dropped on it. */
export function Graph({ readOnly = false }: { readOnly?: boolean }) {
  return (
    <ReactFlowProvider>
      <GraphCanvas readOnly={readOnly} />
    </ReactFlowProvider>
  );
}
