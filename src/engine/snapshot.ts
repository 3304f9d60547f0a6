// The state of the world at any trace position, as plain data for the views.
// Step-back is seek, not undo (docs/architecture.md): the trace records every change, so the state after entry
// k is a fold of entries 0..k; a checkpoint every CHECKPOINT_EVERY entries keeps any seek short.
import { parseEntity, type EntityKind } from './ids/entities.ts';
import type { NormalizedScenario } from '../scenario/types.ts';
import type { HaltReason, TraceEntry } from './trace.ts';
import { dict, dictOf, own } from './dict.ts';

export interface FrameView {
  component: string;
  /** A routine the system invoked, or an API the routine called. */
  routine?: string;
  api?: string;
  registration?: string;
  seq: number;
}

export interface ThreadView {
  name: string;
  state: string;
  on?: string;
  irql: string;
  stack: FrameView[];
}

export interface EntityView {
  id: string;
  state: string;
  /** The creation facts from the trace (`info` of the first state entry). */
  info: Record<string, unknown>;
}

export interface Snapshot {
  /** The last entry applied (−1: before the first). */
  seq: number;
  step: number;
  processors: Record<string, EntityView>;
  memory: Record<string, EntityView>;
  devices: Record<string, EntityView>;
  interfaces: Record<string, EntityView>;
  drivers: Record<string, EntityView>;
  apps: Record<string, EntityView>;
  registrations: Record<string, EntityView>;
  handles: Record<string, EntityView>;
  allocations: Record<string, EntityView>;
  workItems: Record<string, EntityView>;
  threads: Record<string, ThreadView>;
  /** Seqs of the hazards so far. */
  hazards: number[];
  halted: HaltReason | null;
}

const KIND_TO_TABLE: Readonly<Partial<Record<EntityKind, keyof Snapshot>>> = dictOf({
  processor: 'processors', memory: 'memory', device: 'devices', interface: 'interfaces', driver: 'drivers',
  app: 'apps', registration: 'registrations', handle: 'handles', pool: 'allocations', heap: 'allocations',
  workitem: 'workItems',
});

/** The snapshot's tables, keyed by ids from the scenario: prototype-free (src/engine/dict.ts). */
const TABLES = ['processors', 'memory', 'devices', 'interfaces', 'drivers', 'apps', 'registrations', 'handles', 'allocations', 'workItems', 'threads'] as const;

export function initialSnapshot(scenario: NormalizedScenario): Snapshot {
  const snap: Snapshot = {
    seq: -1, step: 0, processors: dict(), memory: dict(), devices: dict(), interfaces: dict(), drivers: dict(), apps: dict(),
    registrations: dict(), handles: dict(), allocations: dict(), workItems: dict(), threads: dict(), hazards: [], halted: null,
  };
  for (const id of Object.keys(scenario.drivers)) snap.drivers[id] = { id, state: 'not-loaded', info: {} };
  for (const id of Object.keys(scenario.apps)) snap.apps[id] = { id, state: 'not-started', info: {} };
  return snap;
}

/**
 * A snapshot's tables as prototype-free records again, after a structured clone or a postMessage
 * (which give every object Object.prototype back). Mutates and returns `snap`. Each table loses its
 * prototype in place: a clone's keys are all own data properties (a `__proto__` id included), so
 * nothing needs copying (copying a 256-processor snapshot's tables took ~2.5 ms on the page).
 */
export function reviveSnapshot(snap: Snapshot): Snapshot {
  for (const t of TABLES) {
    const table = snap[t] as Record<string, unknown> | undefined;
    if (table && Object.getPrototypeOf(table) !== null) Object.setPrototypeOf(table, null);
  }
  return snap;
}

/** A deep copy (prototype-free tables, like the original). */
export const cloneSnapshot = (snap: Snapshot): Snapshot => reviveSnapshot(structuredClone(snap));

function thread(snap: Snapshot, name: string): ThreadView {
  return own(snap.threads, name) ?? (snap.threads[name] = { name, state: 'runnable', irql: 'PASSIVE_LEVEL', stack: [] });
}

/** Apply one entry (mutates `snap`). */
export function apply(snap: Snapshot, e: TraceEntry): void {
  snap.seq = e.seq;
  snap.step = e.step;
  switch (e.type) {
    case 'state': {
      const parsed = parseEntity(e.entity);
      if (!parsed) return;
      const { kind, id } = parsed;
      if (kind === 'thread') {
        const t = thread(snap, id);
        t.state = e.to;
        if (e.on) t.on = e.on;
        else delete t.on;
        if (e.to === 'done' || e.to === 'idle') t.stack = [];
        return;
      }
      if (kind === 'irql') {
        thread(snap, id).irql = e.to;
        return;
      }
      const table = own(KIND_TO_TABLE, kind);
      if (!table) return;
      const rows = snap[table] as Record<string, EntityView>;
      const key = kind === 'pool' || kind === 'heap' ? e.entity : id;
      const row = own(rows, key);
      if (row) {
        row.state = e.to;
        if (e.info) row.info = { ...row.info, ...e.info };
      } else rows[key] = { id: key, state: e.to, info: { ...(e.info ?? {}) } };
      return;
    }
    case 'invoke':
      thread(snap, e.thread).stack.push({
        component: e.component, routine: e.routine, seq: e.seq, ...(e.registration ? { registration: e.registration } : {}),
      });
      return;
    case 'call':
      thread(snap, e.thread).stack.push({ component: e.component, api: e.api, seq: e.seq });
      return;
    case 'complete':
    case 'return':
      thread(snap, e.thread).stack.pop();
      return;
    case 'hazard':
      snap.hazards.push(e.seq);
      return;
    case 'halt':
      snap.halted = e.reason;
      return;
    default:
      return;
  }
}

export const CHECKPOINT_EVERY = 1024;

export interface Seeker {
  readonly length: number;
  /** The state after entry `seq` (−1: before the first entry). */
  at(seq: number): Snapshot;
  /** Take checkpoints over up to `entries` more entries ahead of time; false once the whole trace is covered. */
  prepare(entries: number): boolean;
}

/**
 * Checkpoints + replay: any position in at most CHECKPOINT_EVERY applications. Checkpoints are
 * taken as far as a seek has needed (the first seek near the start of a long trace does not fold
 * the whole trace).
 */
export function createSeeker(scenario: NormalizedScenario, trace: readonly TraceEntry[]): Seeker {
  const checkpoints: Snapshot[] = [];
  const snap = initialSnapshot(scenario);
  checkpoints.push(cloneSnapshot(snap));
  let folded = 0; // entries applied to `snap`
  const foldTo = (end: number) => {
    for (; folded < end; folded++) {
      apply(snap, trace[folded]);
      if ((folded + 1) % CHECKPOINT_EVERY === 0) checkpoints.push(cloneSnapshot(snap));
    }
  };
  return {
    length: trace.length,
    at(seq: number): Snapshot {
      const target = Math.max(-1, Math.min(seq, trace.length - 1));
      const k = Math.floor((target + 1) / CHECKPOINT_EVERY);
      if (checkpoints.length <= k) foldTo(k * CHECKPOINT_EVERY);
      const s = cloneSnapshot(checkpoints[k]);
      for (let i = k * CHECKPOINT_EVERY; i <= target; i++) apply(s, trace[i]);
      return s;
    },
    prepare(entries: number): boolean {
      foldTo(Math.min(trace.length, folded + entries));
      return folded < trace.length;
    },
  };
}
