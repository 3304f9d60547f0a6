// What the graph shows at one trace position: a pure function of the scenario's universe, the
// snapshot (the state after entry `snapshot.seq`) and the trace. Node positions come from
// layout.ts; this decides states, highlights and edges.
import type { Snapshot, ThreadView } from '../../engine/snapshot.ts';
import type { TraceEntry, WaitEdge } from '../../engine/trace.ts';
import { firstSeqOfStep, traceIndex } from '../../trace/indexes.ts';
import { PARTITION_CLASSES, type Universe } from './universe.ts';
import { dict } from '../../engine/dict.ts';
import { parseThread, unreachable } from '../../engine/ids/threads.ts';
import { parseEntity } from '../../engine/ids/entities.ts';

export type EdgeStatus = 'active' | 'pinned' | 'inflight' | 'vetoing' | 'blocked';

export interface RegistrationEdge {
  id: string;
  kind: 'registration' | 'handle' | 'cycle' | 'tree';
  source: string;
  target: string;
  sourceHandle?: string;
  targetHandle?: string;
  status: EdgeStatus;
  /** The notification at the cursor travels along this edge. */
  current: boolean;
  /** Accessible description. */
  label: string;
  /** Short text drawn on the edge (cycles, current notification). */
  caption?: string;
}

export interface LayerVisual {
  driver: string;
  role: 'PDO' | 'FDO' | 'Filter DO';
  /** The PDO of a one-driver stack belongs to the system's bus driver. */
  system: boolean;
  /** An IRP is at this layer at the cursor. */
  active: boolean;
}

export interface InterfaceVisual {
  className: string;
  state: string;
}

/** A thread inside this node's code (or, blocked in system code, waiting at this node). */
export interface ThreadChip {
  thread: string;
  /** The innermost routine of this node it runs ('' for a thread waiting in system code). */
  routine: string;
  state: string;
  /** A blocked thread: what it waits for, in full. */
  waitsFor?: string;
  /** The routine is a notification callback (its frame names a registration). */
  callback: boolean;
}

export interface NodeVisual {
  /** The entity's state at the cursor ('not-present' before it exists). */
  state: string;
  /** Code of this node runs at the cursor. */
  running: boolean;
  /** The entry at the cursor changed this node. */
  changed: boolean;
  /** A thread of this node is blocked: what it waits for. */
  blocked?: string;
  deadlocked: boolean;
  layers?: LayerVisual[];
  interfaces?: InterfaceVisual[];
  openHandles?: number;
  /** The partition: how many processors and memory modules are present at the cursor. */
  present?: { processors: number; memory: number };
  /** Processors in the collapsed count node, by state. */
  counts?: Record<string, number>;
  /** One line of detail (memory size, group/number, current routine…). */
  detail?: string;
  /** Threads in this node's code at the cursor, for the whole duration of each call. */
  threads?: ThreadChip[];
}

export interface GraphState {
  nodes: Map<string, NodeVisual>;
  edges: RegistrationEdge[];
  /** The node to bring into view for the entry at the cursor. */
  focus: string | null;
}

export interface DeriveInput {
  universe: Universe;
  snapshot: Snapshot | null;
  trace: readonly TraceEntry[];
  /** Processors are shown as one count node. */
  collapsed: boolean;
  /** Component ids that are apps (everything else with code is a driver). */
  isApp(id: string): boolean;
}

const componentNode = (id: string, isApp: (id: string) => boolean) => (id === 'shell' || id === 'system' ? 'root' : isApp(id) ? `app:${id}` : `drv:${id}`);

/** The node that stands for a thread: whose code it runs, else the part of the system it belongs to. */
export function nodeOfThread(name: string, thread: ThreadView | undefined, isApp: (id: string) => boolean): string {
  const t = parseThread(name);
  switch (t.kind) {
    case 'driver':
      return `drv:${t.driver}`;
    case 'app':
    case 'appPool':
      return `app:${t.app}`;
    case 'system':
    case 'worker':
    case 'other':
      break;
    default:
      return unreachable(t);
  }
  const top = thread?.stack.at(-1);
  if (top && top.component !== 'shell' && top.component !== 'system') return componentNode(top.component, isApp);
  if (name === 'hotplug') return 'partition';
  return 'root'; // pnp, shell, system: the PnP manager
}

/**
 * Whether the PnP manager's node shows a thread chip at some step of this run: a system thread
 * (pnp, shell, a worker) blocks there (nodeOfThread). May say yes for a thread that blocks inside
 * a component's code instead; the fit then only keeps room it does not need.
 */
export function rootHasThreads(trace: readonly TraceEntry[]): boolean {
  return traceIndex(trace).blockedThreads.some((name) => {
    const kind = parseThread(name).kind;
    return kind === 'system' || kind === 'worker' || kind === 'other';
  });
}

/**
 * Registrations whose callback vetoed a query-remove (RM-2, RM-3: see isVeto) during the cursor's
 * timeline step, from the trace's index (no scan).
 */
function vetoesInStep(trace: readonly TraceEntry[], seq: number): Set<string> {
  const out = new Set<string>();
  if (seq < 0 || seq >= trace.length) return out;
  const ix = traceIndex(trace);
  const start = firstSeqOfStep(ix, ix.steps[seq]);
  for (const v of ix.vetoes) if (v.seq >= start && v.seq <= seq) out.add(v.registration);
  return out;
}

/** The deadlock cycle of the latest deadlock hazard at or before the cursor. */
function latestCycle(snapshot: Snapshot, trace: readonly TraceEntry[]): WaitEdge[] | null {
  for (let i = snapshot.hazards.length - 1; i >= 0; i--) {
    const e = trace[snapshot.hazards[i]];
    if (e?.type === 'hazard' && e.cycle && e.cycle.length > 0) return e.cycle;
  }
  return null;
}

/** Registration target(s): the partition, the interfaces of a class, a device, or the PnP manager. */
function registrationTargets(info: Record<string, unknown>, u: Universe): { target: string; handle?: string }[] {
  const kind = info.kind;
  if (kind === 'ke') return [{ target: 'partition' }];
  const className = typeof info.className === 'string' ? info.className : undefined;
  const device = typeof info.device === 'string' ? info.device : undefined;
  if (className) {
    if (PARTITION_CLASSES.has(className)) return [{ target: 'partition' }];
    const devices = u.classDevices.get(className) ?? [];
    if (devices.length > 0) return devices.map((d) => ({ target: `dev:${d}`, handle: `if:${className}` }));
    return [{ target: 'root' }];
  }
  if (device) {
    if (device.startsWith('processor') || u.memory.some((m) => m.id === device)) return [{ target: 'partition' }];
    if (u.devices.some((d) => d.id === device)) return [{ target: `dev:${device}` }];
  }
  return [{ target: 'root' }];
}

function shortCategory(info: Record<string, unknown>): string {
  if (info.kind === 'ke') return 'processor change (KeRegisterProcessorChangeCallback)';
  const c = String(info.category ?? '');
  const what = info.className ? ` ${info.className}` : info.device ? ` on ${info.device}` : '';
  if (c === 'EventCategoryDeviceInterfaceChange') return `interface change${what} (IoRegisterPlugPlayNotification)`;
  if (c === 'EventCategoryTargetDeviceChange') return `target device change${what} (IoRegisterPlugPlayNotification)`;
  if (c === 'CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE') return `interface${what} (CM_Register_Notification)`;
  if (c === 'CM_NOTIFY_FILTER_TYPE_DEVICEHANDLE') return `device handle${what} (CM_Register_Notification)`;
  return `${c || String(info.kind)}${what}`;
}

const STATUS_WORDS: Record<EdgeStatus, string> = {
  active: 'active',
  pinned: 'unregistered, pinned while its callback runs',
  inflight: 'callback in flight',
  vetoing: 'callback vetoed',
  blocked: 'callback blocked',
};

export function deriveGraph({ universe: u, snapshot, trace, collapsed, isApp }: DeriveInput): GraphState {
  const nodes = new Map<string, NodeVisual>();
  const edges: RegistrationEdge[] = [];
  const visual = (id: string, state: string): NodeVisual => {
    const v: NodeVisual = { state, running: false, changed: false, deadlocked: false };
    nodes.set(id, v);
    return v;
  };
  const snap = snapshot;
  const entry = snap && snap.seq >= 0 ? trace[snap.seq] : undefined;

  // ---- nodes: states
  const partition = visual('partition', 'active');
  const procState = (n: number) => snap?.processors[String(n)]?.state ?? 'not-present';
  const memState = (id: string) => snap?.memory[id]?.state ?? 'not-present';
  let processorsPresent = 0;
  for (let n = 0; n < u.processors; n++) if (procState(n) !== 'not-present') processorsPresent++;
  partition.present = { processors: processorsPresent, memory: u.memory.filter((m) => memState(m.id) !== 'not-present').length };
  if (collapsed) {
    const counts = dict<number>();
    for (let n = 0; n < u.processors; n++) {
      const st = procState(n);
      counts[st] = (counts[st] ?? 0) + 1;
    }
    const v = visual('cpus', counts.starting ? 'starting' : 'active');
    v.counts = counts;
  } else {
    for (let n = 0; n < u.processors; n++) visual(`cpu:${n}`, procState(n));
  }
  for (const m of u.memory) visual(`mem:${m.id}`, memState(m.id));
  visual('root', 'active');

  // interface states by (device, class)
  const ifState = new Map<string, string>();
  if (snap) {
    for (const itf of Object.values(snap.interfaces)) {
      const dev = itf.info.device;
      const cls = itf.info.className;
      if (typeof dev === 'string' && typeof cls === 'string') ifState.set(`${dev}|${cls}`, itf.state);
    }
  }
  const openHandles = new Map<string, number>();
  if (snap) {
    for (const h of Object.values(snap.handles)) {
      if (h.state !== 'open') continue;
      const dev = String(h.info.device ?? '');
      openHandles.set(dev, (openHandles.get(dev) ?? 0) + 1);
    }
  }
  const irpAt = entry && (entry.type === 'irp' || entry.type === 'irpComplete') ? entry : null;
  const info = new Map(u.devices.map((d) => [d.id, d]));
  for (const d of u.devices) {
    const v = visual(`dev:${d.id}`, snap?.devices[d.id]?.state ?? 'not-present');
    const layers: LayerVisual[] = [];
    const active = (drv: string) => !!irpAt && irpAt.device === d.id && irpAt.driver === drv;
    if (d.stack.length <= 1) {
      const parentFdo = d.parent === 'root' ? null : info.get(d.parent)?.stack.at(-1);
      const bus = parentFdo ?? 'ROOT';
      if (d.stack[0]) layers.push({ driver: d.stack[0], role: 'FDO', system: false, active: active(d.stack[0]) });
      layers.push({ driver: bus, role: 'PDO', system: !parentFdo, active: false });
    } else {
      for (let i = d.stack.length - 1; i >= 0; i--) {
        const role = i === 0 ? 'PDO' : i === 1 ? 'FDO' : 'Filter DO';
        layers.push({ driver: d.stack[i], role, system: false, active: active(d.stack[i]) });
      }
    }
    v.layers = layers;
    v.interfaces = d.interfaces.map((c) => ({ className: c, state: ifState.get(`${d.id}|${c}`) ?? 'none' }));
    v.openHandles = openHandles.get(d.id) ?? 0;
  }
  for (const id of u.drivers) visual(`drv:${id}`, snap?.drivers[id]?.state ?? 'not-loaded');
  for (const id of u.apps) visual(`app:${id}`, snap?.apps[id]?.state ?? 'not-started');

  // processor and memory details
  if (!collapsed) {
    for (let n = 0; n < u.processors; n++) {
      const v = nodes.get(`cpu:${n}`)!;
      v.detail = `group ${Math.floor(n / 64)}/${n % 64}`;
    }
  }
  for (const m of u.memory) nodes.get(`mem:${m.id}`)!.detail = formatSize(m.sizeMiB);

  // ---- what the cursor's entry touches
  let focus: string | null = null;
  const cpuNode = (n: string) => (collapsed ? 'cpus' : `cpu:${n}`);
  const mark = (id: string | null, how: 'running' | 'changed') => {
    if (!id) return;
    const v = nodes.get(id);
    if (!v) return;
    v[how] = true;
    focus ??= id;
  };
  if (entry) {
    switch (entry.type) {
      case 'invoke':
      case 'complete':
      case 'call':
      case 'return':
        mark(componentNode(entry.component, isApp), 'running');
        if (entry.type === 'invoke' || entry.type === 'complete') {
          const v = nodes.get(componentNode(entry.component, isApp));
          if (v) v.detail = `${entry.routine}${entry.type === 'complete' ? ' returned' : ''}`;
        }
        if (entry.type === 'invoke' && entry.registration) {
          // What the notification is about: the processor being added, the interface's device.
          const { NtNumber } = entry.args;
          const link = entry.args.SymbolicLinkName ?? entry.args.SymbolicLink;
          const subject =
            typeof NtNumber === 'number'
              ? cpuNode(String(NtNumber))
              : typeof link === 'string' && snap?.interfaces[link]
                ? `dev:${String(snap.interfaces[link].info.device)}`
                : null;
          const v = subject ? nodes.get(subject) : undefined;
          if (v) v.changed = true;
        }
        break;
      case 'note':
        if (entry.component) mark(componentNode(entry.component, isApp), 'running');
        break;
      case 'irp':
      case 'irpComplete':
        mark(`dev:${entry.device}`, 'running');
        break;
      case 'queue':
        mark(`dev:${entry.device}`, 'changed');
        break;
      case 'state': {
        const parsed = parseEntity(entry.entity);
        if (!parsed) break;
        const { id } = parsed;
        switch (parsed.kind) {
          case 'processor':
            mark(cpuNode(id), 'changed');
            break;
          case 'memory':
            mark(`mem:${id}`, 'changed');
            break;
          case 'device':
            mark(`dev:${id}`, 'changed');
            break;
          case 'driver':
            mark(`drv:${id}`, 'changed');
            break;
          case 'app':
            mark(`app:${id}`, 'changed');
            break;
          case 'interface': {
            const dev = snap?.interfaces[id]?.info.device;
            if (typeof dev === 'string') mark(nodes.has(`dev:${dev}`) ? `dev:${dev}` : 'partition', 'changed');
            break;
          }
          case 'registration': {
            const owner = snap?.registrations[id]?.info.owner;
            if (typeof owner === 'string') mark(componentNode(owner, isApp), 'changed');
            break;
          }
          case 'handle':
          case 'workitem':
          case 'pool':
          case 'heap':
          case 'thread':
          case 'irql':
            break;
          default:
            unreachable(parsed.kind);
        }
        break;
      }
      case 'action': {
        const a = entry.action;
        if (a.do === 'hotAddProcessor' || a.do === 'hotAddMemory' || a.do === 'removeProcessor' || a.do === 'removeMemory') {
          mark(a.do === 'hotAddMemory' || a.do === 'removeMemory' ? `mem:${a.id}` : a.do === 'removeProcessor' ? cpuNode(String(a.NtNumber)) : 'partition', 'changed');
        } else if ('device' in a) mark(`dev:${a.device}`, 'changed');
        else if ('driver' in a) mark(`drv:${a.driver}`, 'changed');
        else if ('app' in a) mark(`app:${a.app}`, 'changed');
        else if (a.do === 'run') mark(componentNode(a.component, isApp), 'changed');
        break;
      }
      default:
        break;
    }
  }

  // ---- threads: running code, blocked waits
  const inflight = new Map<string, string>(); // registration → thread
  const inflightSeq = new Map<string, number>(); // registration → seq of its callback's invoke entry
  if (snap) {
    for (const t of Object.values(snap.threads)) {
      for (const f of t.stack) {
        if (!f.registration) continue;
        inflight.set(f.registration, t.name);
        inflightSeq.set(f.registration, f.seq);
      }
      // The thread's chip: on the node whose routine it runs (innermost), else where it waits.
      const frame = t.stack.findLast((f) => f.routine !== undefined);
      if (frame || t.state === 'blocked') {
        const id = frame ? componentNode(frame.component, isApp) : nodeOfThread(t.name, t, isApp);
        const v = nodes.get(id);
        if (v) {
          (v.threads ??= []).push({
            thread: t.name,
            routine: frame?.routine ?? '',
            // The thread of the cursor's entry is the one running now; others wait their turn.
            state: t.state === 'runnable' && entry?.thread === t.name ? 'running' : t.state,
            ...(t.state === 'blocked' ? { waitsFor: t.on ?? '…' } : {}),
            callback: !!frame?.registration,
          });
        }
      }
      if (t.state === 'blocked') {
        const v = nodes.get(nodeOfThread(t.name, t, isApp));
        if (v) v.blocked = v.blocked ? `${v.blocked}; ${t.name} waits for ${t.on ?? '…'}` : `${t.name} waits for ${t.on ?? '…'}`;
      }
    }
  }

  // ---- edges: the device tree
  for (const d of u.devices) {
    const src = d.parent === 'root' ? 'root' : `dev:${d.parent}`;
    const state = nodes.get(`dev:${d.id}`)!.state;
    edges.push({
      id: `tree:${d.id}`,
      kind: 'tree',
      source: src,
      ...(src === 'root' ? { sourceHandle: 'tree' } : {}),
      target: `dev:${d.id}`,
      status: 'active',
      current: false,
      label: `${d.parent === 'root' ? 'root bus' : d.parent} enumerates ${d.id} (${state})`,
    });
  }

  // ---- edges: registrations
  const vetoes = snap ? vetoesInStep(trace, snap.seq) : new Set<string>();
  const currentReg = entry?.type === 'invoke' ? entry.registration : undefined;
  if (snap) {
    for (const r of Object.values(snap.registrations)) {
      const owner = String(r.info.owner ?? '');
      const threadName = inflight.get(r.id);
      const live = r.state === 'active';
      if (!live && !threadName) continue; // gone for good
      const thread = threadName ? snap.threads[threadName] : undefined;
      const status: EdgeStatus = !live
        ? 'pinned'
        : vetoes.has(r.id)
          ? 'vetoing'
          : thread?.state === 'blocked'
            ? 'blocked'
            : threadName
              ? 'inflight'
              : 'active';
      const source = componentNode(owner, isApp);
      for (const { target, handle } of registrationTargets(r.info, u)) {
        const current = currentReg === r.id;
        edges.push({
          id: `reg:${r.id}:${target}${handle ? `:${handle}` : ''}`,
          kind: 'registration',
          source,
          target,
          ...(handle ? { targetHandle: handle } : {}),
          status,
          current,
          label: `Registration ${r.id}: ${owner}!${String(r.info.routine ?? '')} for ${shortCategory(r.info)} — ${STATUS_WORDS[status]}${current ? '; notification being delivered now' : ''}`,
          // The notification stays on its edge until the callback returns.
          ...(current && entry?.type === 'invoke'
            ? { caption: notificationCaption(entry.args) }
            : inflightCaption(trace, inflightSeq.get(r.id))),
        });
      }
    }
    // ---- edges: open handles and file objects
    for (const h of Object.values(snap.handles)) {
      if (h.state !== 'open') continue;
      const owner = String(h.info.owner ?? '');
      const dev = String(h.info.device ?? '');
      if (!nodes.has(`dev:${dev}`)) continue;
      const kind = h.info.kind === 'fileObject' ? 'file object' : 'handle';
      edges.push({
        id: `handle:${h.id}`,
        kind: 'handle',
        source: componentNode(owner, isApp),
        target: `dev:${dev}`,
        status: 'active',
        current: false,
        label: `Open ${kind} ${h.id}: ${owner} on ${dev}`,
      });
    }
    // ---- deadlock cycle
    const cycle = latestCycle(snap, trace);
    if (cycle) {
      cycle.forEach((w, i) => {
        const from = nodeOfThread(w.thread, snap.threads[w.thread], isApp);
        const to = nodeOfThread(w.waitsFor, snap.threads[w.waitsFor], isApp);
        for (const n of [from, to]) {
          const v = nodes.get(n);
          if (v) v.deadlocked = true;
        }
        if (from !== to) {
          edges.push({
            id: `cycle:${i}`,
            kind: 'cycle',
            source: from,
            target: to,
            status: 'blocked',
            current: false,
            label: `Deadlock: ${w.thread} waits for ${w.waitsFor} (${w.reason})`,
            caption: `${w.thread} waits`,
          });
        }
      });
    }
  }
  return { nodes, edges, focus };
}

function inflightCaption(trace: readonly TraceEntry[], seq: number | undefined): { caption?: string } {
  const e = seq === undefined ? undefined : trace[seq];
  return e?.type === 'invoke' ? { caption: notificationCaption(e.args) } : {};
}

/** What a notification is about, from the callback's arguments: "KeProcessorAddStartNotify · CPU 2". */
export function notificationCaption(args: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const k of ['State', 'Event', 'Action']) if (typeof args[k] === 'string') parts.push(String(args[k]));
  if (args.NtNumber !== undefined) parts.push(`CPU ${String(args.NtNumber)}`);
  return parts.join(' · ') || 'notification';
}

export function formatSize(mib: number): string {
  if (mib >= 1024 && mib % 1024 === 0) return `${mib / 1024} GiB`;
  return `${mib} MiB`;
}
