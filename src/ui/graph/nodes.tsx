// The graph's node components. Each draws what derive.ts decided (state, running code, blocked
// threads, deadlocks); the accessible name of every node is set on the flow node (Graph.tsx).
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { createContext, memo, useContext, type ReactNode } from 'react';
import { explain } from '../shell/glossary.ts';
import type { InterfaceVisual, LayerVisual, NodeVisual, ThreadChip } from './derive.ts';
import { ROOT_CHIPS_OFFSET, THREAD_CHIPS } from './layout.ts';

export interface PnpNodeData extends Record<string, unknown> {
  title: string;
  subtitle?: string;
  visual: NodeVisual;
  /** The drop target of a palette drag in progress. */
  dropTarget?: boolean;
}

export type PnpNode = Node<PnpNodeData>;

/** Callbacks for buttons inside nodes (kept out of node data so unchanged nodes stay memoised). */
export const GraphActions = createContext<{ toggleProcessors(): void; processorsExpanded: boolean }>({
  toggleProcessors() {},
  processorsExpanded: false,
});

type Tone = 'good' | 'busy' | 'bad' | 'ghost' | 'plain';

const GHOST_STATES = new Set(['not-present', 'not-loaded', 'not-started', 'removed', 'unloaded', 'exited', 'none', 'disabled', 'failed-add']);

export function toneOf(state: string): Tone {
  if (GHOST_STATES.has(state)) return 'ghost';
  if (/fail|surprise|blocked|deadlock|bugcheck/.test(state)) return 'bad';
  if (/starting|pending|unloading|stopping|query|exiting/.test(state)) return 'busy';
  if (/active|started|loaded|running|enabled|open/.test(state)) return 'good';
  return 'plain';
}

const DOT: Record<Tone, string> = {
  good: 'bg-emerald-500',
  busy: 'bg-amber-500',
  bad: 'bg-red-500',
  ghost: 'border border-slate-400 bg-transparent dark:border-slate-500',
  plain: 'bg-slate-400',
};

const STATE_TEXT: Record<Tone, string> = {
  good: 'text-emerald-700 dark:text-emerald-400',
  busy: 'text-amber-700 dark:text-amber-300',
  bad: 'text-red-700 dark:text-red-300',
  ghost: 'text-slate-600 dark:text-slate-400',
  plain: 'text-slate-600 dark:text-slate-300',
};

function StateDot({ state }: { state: string }) {
  return <span aria-hidden="true" className={`inline-block size-2 shrink-0 rounded-full ${DOT[toneOf(state)]}`} />;
}

function StateText({ state }: { state: string }) {
  return <span className={`truncate whitespace-nowrap font-mono text-[length:var(--g-sm)] ${STATE_TEXT[toneOf(state)]}`}>{state}</span>;
}

/** Frame of every card: tone border, highlights for running code, change, blocked and deadlock. */
function cardClass(v: NodeVisual, selected: boolean, dropTarget = false): string {
  const tone = toneOf(v.state);
  const base =
    tone === 'ghost'
      ? 'border-dashed border-slate-300 bg-slate-50/90 dark:border-slate-600 dark:bg-slate-900/70'
      : 'border-slate-300 bg-white shadow-sm dark:border-slate-700 dark:bg-slate-900';
  const ring = v.deadlocked
    ? 'ring-2 ring-red-600 dark:ring-red-500'
    : v.running
      ? 'ring-2 ring-sky-500 dark:ring-sky-400 shadow-sky-500/30 shadow-lg'
      : v.blocked
        ? 'ring-2 ring-amber-500'
        : v.changed
          ? 'ring-2 ring-violet-500 dark:ring-violet-400'
          : selected
            ? 'ring-2 ring-slate-900 dark:ring-slate-100'
            : dropTarget
              ? 'ring-2 ring-sky-400 ring-dashed'
              : '';
  const sel = selected && ring !== '' && !ring.includes('slate-900') ? 'outline outline-2 outline-offset-2 outline-slate-900 dark:outline-slate-100' : '';
  // No transition: a step restyles many cards at once, and an animated shadow repaints each of them
  // for several frames (the graph's highlight should follow the step at once anyway).
  return `relative h-full w-full rounded-lg border text-slate-900 dark:text-slate-100 ${base} ${ring} ${sel}`;
}

function Badges({ v }: { v: NodeVisual }) {
  return (
    <span data-graph-label="badge" className="pointer-events-none absolute -top-2.5 right-2 flex gap-1">
      {v.running && <Badge tone="sky">▶ running</Badge>}
      {v.blocked && <Badge tone="amber">blocked</Badge>}
      {v.deadlocked && <Badge tone="red">deadlock</Badge>}
    </span>
  );
}

function Badge({ tone, children }: { tone: 'sky' | 'amber' | 'red'; children: ReactNode }) {
  const cls = {
    sky: 'bg-sky-600 text-white',
    amber: 'bg-amber-400 text-amber-950',
    red: 'bg-red-600 text-white',
  }[tone];
  return <span className={`rounded-full px-1.5 py-px text-[length:var(--g-2xs)] font-semibold uppercase leading-4 tracking-wide shadow-sm ${cls}`}>{children}</span>;
}

// The handles only give edges their ends (React Flow measures their boxes): they draw nothing, and
// are not painted at all (`invisible`: their boxes stay where they are). Painted, even empty, they
// made Chromium give every card its own compositing layer (~90 layers on the 101k link instead of
// ~20), and each frame of a step layerised, tiled and rasterised them all.
const hidden = '!size-1.5 !min-w-0 !border-0 !bg-transparent invisible';

function Ports() {
  return (
    <>
      <Handle type="target" id="in" position={Position.Left} isConnectable={false} className={hidden} />
      <Handle type="source" id="out" position={Position.Right} isConnectable={false} className={hidden} />
    </>
  );
}

// ---------------------------------------------------------------------------------------------

function PartitionNodeImpl({ data, selected }: NodeProps<PnpNode>) {
  const { processorsExpanded, toggleProcessors } = useContext(GraphActions);
  const drop = data.dropTarget;
  return (
    <div
      className={`h-full w-full rounded-xl border-2 ${
        drop ? 'border-sky-500 bg-sky-50/70 dark:bg-sky-950/40' : 'border-slate-300 bg-slate-100/70 dark:border-slate-700 dark:bg-slate-900/40'
      } ${selected ? 'outline outline-2 outline-offset-2 outline-slate-900 dark:outline-slate-100' : ''} ${data.visual.running || data.visual.changed ? 'ring-2 ring-violet-500' : ''}`}
    >
      <Ports />
      {/* One line whatever the font's width (the layout leaves one line for it above the units):
          the title whole, the counts shortened with an ellipsis if they do not fit (whole in the tooltip). */}
      <div data-graph-label="partition" className="flex items-center justify-between gap-2 px-3.5 pt-2.5">
        <div className="flex min-w-0 items-baseline gap-2">
          <span className="shrink-0 whitespace-nowrap text-[length:var(--g-xl)] font-semibold tracking-tight">Hardware partition</span>
          <span className="truncate text-[length:var(--g-md)] text-slate-600 dark:text-slate-400" title={data.subtitle}>
            {data.subtitle}
          </span>
        </div>
        {data.canCollapse === true && (
          <button
            type="button"
            className="nodrag nopan shrink-0 whitespace-nowrap rounded border border-slate-300 bg-white px-1.5 py-0.5 text-[length:var(--g-sm)] font-medium text-slate-700 hover:bg-slate-50 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-200"
            onClick={(e) => {
              e.stopPropagation();
              toggleProcessors();
            }}
            aria-expanded={processorsExpanded}
          >
            Collapse processors
          </button>
        )}
      </div>
      {drop && <p className="px-3.5 text-[length:var(--g-md)] font-medium text-sky-700 dark:text-sky-300">Drop to hot-add</p>}
    </div>
  );
}

/** A unit of the hardware partition (processor or memory module): icon, title, a detail, its state. */
function UnitCard({ data, selected, icon, detail }: NodeProps<PnpNode> & { icon: ReactNode; detail?: string }) {
  const v = data.visual;
  return (
    <div className={cardClass(v, selected)}>
      <Ports />
      <Badges v={v} />
      <div className="flex h-full flex-col justify-center px-2.5">
        <div className="flex items-center gap-1.5">
          {icon}
          <span className="truncate text-[length:var(--g-base)] font-semibold">{data.title}</span>
          <span className="ml-auto shrink-0 whitespace-nowrap font-mono text-[length:var(--g-2xs)] text-slate-600 dark:text-slate-400" title={detail?.startsWith('g') ? explain('g0/1') : undefined}>
            {detail}
          </span>
        </div>
        <div className="mt-0.5 flex items-center gap-1.5 pl-[22px]">
          <StateDot state={v.state} />
          <StateText state={v.state} />
        </div>
      </div>
    </div>
  );
}

function ProcessorNodeImpl(props: NodeProps<PnpNode>) {
  return <UnitCard {...props} icon={<Chip />} detail={props.data.subtitle?.replace('group ', 'g')} />;
}

function Chip() {
  return (
    <svg aria-hidden="true" viewBox="0 0 16 16" className="size-4 shrink-0 text-slate-500 dark:text-slate-400">
      <rect x="3.5" y="3.5" width="9" height="9" rx="1.5" fill="none" stroke="currentColor" strokeWidth="1.3" />
      <path d="M6 1.5v2M10 1.5v2M6 12.5v2M10 12.5v2M1.5 6h2M1.5 10h2M12.5 6h2M12.5 10h2" stroke="currentColor" strokeWidth="1.3" strokeLinecap="round" />
    </svg>
  );
}

function ProcessorsNodeImpl({ data, selected }: NodeProps<PnpNode>) {
  const v = data.visual;
  const { toggleProcessors, processorsExpanded } = useContext(GraphActions);
  const counts = v.counts ?? {};
  const parts = Object.entries(counts)
    .filter(([s]) => s !== 'not-present')
    .map(([s, n]) => `${n} ${s}`);
  if (counts['not-present']) parts.push(`${counts['not-present']} to come`);
  return (
    <div className={cardClass(v, selected)}>
      <Ports />
      <Badges v={v} />
      <div className="flex h-full items-center justify-between gap-2 px-2.5">
        <div className="min-w-0">
          <div className="flex items-center gap-1.5">
            <Chip />
            <span className="truncate text-[length:var(--g-base)] font-semibold">{data.title}</span>
          </div>
          <div className="mt-0.5 truncate pl-[22px] font-mono text-[length:var(--g-sm)] text-slate-600 dark:text-slate-400">{parts.join(' · ')}</div>
        </div>
        <button
          type="button"
          className="nodrag nopan shrink-0 rounded-md border border-slate-300 bg-white px-2 py-1 text-[length:var(--g-md)] font-medium text-slate-700 hover:bg-slate-50 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-200 dark:hover:bg-slate-700"
          aria-expanded={processorsExpanded}
          onClick={(e) => {
            e.stopPropagation();
            toggleProcessors();
          }}
        >
          Show all
        </button>
      </div>
    </div>
  );
}

function MemoryNodeImpl(props: NodeProps<PnpNode>) {
  const icon = (
    <svg aria-hidden="true" viewBox="0 0 16 16" className="size-4 shrink-0 text-slate-500 dark:text-slate-400">
      <rect x="1.5" y="4.5" width="13" height="6" rx="1" fill="none" stroke="currentColor" strokeWidth="1.3" />
      <path d="M4 10.5v2M7 10.5v2M10 10.5v2M13 10.5v2M4 6.5v2M7 6.5v2M10 6.5v2" stroke="currentColor" strokeWidth="1.1" />
    </svg>
  );
  return <UnitCard {...props} icon={icon} detail={props.data.subtitle} />;
}

function RootNodeImpl({ data, selected }: NodeProps<PnpNode>) {
  const v = data.visual;
  return (
    <div className={`${cardClass(v, selected, data.dropTarget)} !border-slate-400 !bg-slate-800 !text-slate-50 dark:!border-slate-500 dark:!bg-slate-800`}>
      <Ports />
      <Handle type="source" id="tree" position={Position.Bottom} isConnectable={false} className={hidden} style={{ left: 24 }} />
      <Badges v={v} />
      <div className="flex h-full flex-col justify-center px-3">
        <span className="text-[length:var(--g-lg)] font-semibold">{data.title}</span>
        <span className="truncate text-[length:var(--g-sm)] text-slate-300">{data.subtitle}</span>
      </div>
      <ThreadChips threads={v.threads} at="top" />
      {data.dropTarget && <DropHint />}
    </div>
  );
}

function DropHint() {
  return <span className="absolute -bottom-5 left-0 text-[length:var(--g-md)] font-medium text-sky-700 dark:text-sky-300">Drop to plug in here</span>;
}

function Layer({ layer }: { layer: LayerVisual }) {
  const roleClass =
    layer.role === 'PDO'
      ? 'bg-slate-200 text-slate-800 dark:bg-slate-700 dark:text-slate-100'
      : layer.role === 'FDO'
        ? 'bg-sky-100 text-sky-900 dark:bg-sky-900/60 dark:text-sky-100'
        : 'bg-violet-100 text-violet-900 dark:bg-violet-900/60 dark:text-violet-100';
  return (
    <li
      className={`flex h-[21px] items-center justify-between rounded px-1.5 ${roleClass} ${layer.active ? 'ring-2 ring-sky-500 dark:ring-sky-400' : ''}`}
    >
      <span className="truncate font-mono text-[length:var(--g-sm)]">{layer.system ? `${layer.driver} (system bus)` : layer.driver}</span>
      <abbr title={explain(layer.role)} className="ml-2 shrink-0 text-[length:var(--g-2xs)] font-semibold uppercase tracking-wide no-underline">
        {layer.role}
      </abbr>
    </li>
  );
}

function InterfaceChip({ itf }: { itf: InterfaceVisual }) {
  return (
    <li className="relative flex h-[21px] items-center gap-1.5 rounded border border-slate-200 px-1.5 dark:border-slate-700">
      <Handle type="target" id={`if:${itf.className}`} position={Position.Left} isConnectable={false} className={`${hidden} !-left-2.5`} />
      <StateDot state={itf.state === 'none' ? 'not-present' : itf.state} />
      <span className="min-w-0 flex-1 truncate font-mono text-[length:var(--g-xs)]" title={itf.className}>
        {itf.className}
      </span>
      <StateText state={itf.state === 'none' ? 'absent' : itf.state} />
    </li>
  );
}

function DeviceNodeImpl({ data, selected }: NodeProps<PnpNode>) {
  const v = data.visual;
  return (
    <div className={cardClass(v, selected, data.dropTarget)} title={v.blocked}>
      <Ports />
      <Badges v={v} />
      <div className="h-[44px] border-b border-slate-200 px-2.5 pt-1.5 dark:border-slate-700">
        <div className="flex items-center gap-1.5">
          <span className="min-w-0 flex-1 truncate text-[length:var(--g-lg)] font-semibold">{data.title}</span>
          {(v.openHandles ?? 0) > 0 && (
            <span className="shrink-0 rounded bg-slate-100 px-1 font-mono text-[length:var(--g-2xs)] text-slate-700 dark:bg-slate-800 dark:text-slate-300">
              {v.openHandles} open {v.openHandles === 1 ? 'handle' : 'handles'}
            </span>
          )}
        </div>
        <div className="mt-0.5 flex items-center gap-1.5">
          <span className="min-w-0 flex-1 truncate font-mono text-[length:var(--g-2xs)] text-slate-600 dark:text-slate-400">{data.subtitle}</span>
          <StateDot state={v.state} />
          <StateText state={v.state} />
        </div>
      </div>
      <div className="px-2.5 pb-2">
        <div className="pt-1 text-[length:var(--g-2xs)] font-semibold uppercase tracking-wider text-slate-600 dark:text-slate-400">Driver stack</div>
        <ul className="mt-0.5 space-y-1" aria-label="Driver stack, top to bottom">
          {v.layers?.map((l) => <Layer key={`${l.role}:${l.driver}`} layer={l} />)}
        </ul>
        {(v.interfaces?.length ?? 0) > 0 && (
          <>
            <div className="pt-1.5 text-[length:var(--g-2xs)] font-semibold uppercase tracking-wider text-slate-600 dark:text-slate-400">Interfaces</div>
            <ul className="mt-0.5 space-y-1">
              {v.interfaces?.map((i) => <InterfaceChip key={i.className} itf={i} />)}
            </ul>
          </>
        )}
      </div>
      {data.dropTarget && <DropHint />}
    </div>
  );
}

function ComponentNodeImpl({ data, selected, type }: NodeProps<PnpNode>) {
  const v = data.visual;
  const isApp = type === 'app';
  return (
    <div className={cardClass(v, selected)} title={v.blocked}>
      <Ports />
      <Badges v={v} />
      <div className="flex h-full items-center gap-2.5 px-2.5">
        <span
          aria-hidden="true"
          className={`flex size-8 shrink-0 items-center justify-center rounded-md text-[length:var(--g-xs)] font-bold ${
            isApp ? 'bg-teal-100 text-teal-900 dark:bg-teal-900/60 dark:text-teal-100' : 'bg-indigo-100 text-indigo-900 dark:bg-indigo-900/60 dark:text-indigo-100'
          }`}
        >
          {isApp ? 'APP' : 'SYS'}
        </span>
        <div className="min-w-0 flex-1">
          <div className="truncate text-[length:var(--g-lg)] font-semibold">{data.title}</div>
          <div className="flex items-center gap-1.5">
            <StateDot state={v.state} />
            <StateText state={v.state} />
          </div>
          {v.blocked ? (
            <div className="truncate text-[length:var(--g-xs)] text-amber-800 dark:text-amber-300">{v.blocked}</div>
          ) : v.detail ? (
            <div className="truncate font-mono text-[length:var(--g-xs)] text-sky-800 dark:text-sky-300">{v.detail}</div>
          ) : null}
        </div>
      </div>
      <ThreadChips threads={v.threads} />
    </div>
  );
}

/**
 * The threads in a node's code, right of the node: the thread
 * and the routine for the whole duration of the call, and for a blocked thread what it waits for,
 * in full (wrapped, never clipped).
 */
export function ThreadChips({ threads, at = 'port' }: { threads?: ThreadChip[]; at?: 'port' | 'top' }) {
  if (!threads || threads.length === 0) return null;
  // A component's chips start under its edges' port (its notification caption sits above it), in
  // the gap before the machine; the PnP manager's at its top, right of the devices hanging under
  // it (the component column's chips would meet them on its left).
  const place = at === 'port' ? 'top-[calc(50%+6px)]' : 'top-0';
  const left = at === 'top' ? ROOT_CHIPS_OFFSET : THREAD_CHIPS.gap;
  return (
    <ul
      aria-hidden="true"
      data-testid="thread-chips"
      style={{ width: THREAD_CHIPS.w, left: `calc(100% + ${left}px)` }}
      className={`pnp-thread-chips pointer-events-none absolute z-10 flex flex-col gap-1 ${place}`}
    >
      {threads.map((t) => (
        <li
          key={`${t.thread}:${t.routine}`}
          data-thread={t.thread}
          data-graph-label="thread"
          className={`rounded-md border px-1.5 py-0.5 text-[length:var(--g-md)] leading-snug shadow-sm [overflow-wrap:anywhere] ${
            t.state === 'blocked'
              ? 'border-amber-500 bg-amber-50 text-amber-950 dark:border-amber-400 dark:bg-amber-950 dark:text-amber-100'
              : 'border-sky-500 bg-sky-50 text-sky-950 dark:border-sky-400 dark:bg-sky-950 dark:text-sky-100'
          }`}
        >
          <span className="font-mono font-semibold">{t.thread}</span>
          <span className="ml-1 opacity-80">{t.state === 'running' ? '▶ running' : t.state}</span>
          {t.routine && (
            <span className="block font-mono">
              {t.routine}
              {t.callback && <span className="font-sans font-semibold text-violet-800 dark:text-violet-300"> · callback</span>}
            </span>
          )}
          {t.state === 'blocked' && <span className="block">waits for {t.waitsFor}</span>}
        </li>
      ))}
    </ul>
  );
}

function LabelNodeImpl({ data }: NodeProps<PnpNode>) {
  return <div data-graph-label="heading" className="w-fit text-[length:var(--g-sm)] font-semibold uppercase tracking-wider text-slate-600 dark:text-slate-400">{data.title}</div>;
}

export const nodeTypes = {
  partition: memo(PartitionNodeImpl),
  cpu: memo(ProcessorNodeImpl),
  cpus: memo(ProcessorsNodeImpl),
  memory: memo(MemoryNodeImpl),
  root: memo(RootNodeImpl),
  device: memo(DeviceNodeImpl),
  driver: memo(ComponentNodeImpl),
  app: memo(ComponentNodeImpl),
  label: memo(LabelNodeImpl),
};
