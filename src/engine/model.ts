// The simulated world as plain data (docs/architecture.md §1). The engine mutates it in place while it runs;
// views never see it directly — they fold the trace (snapshot.ts), which records every change.
import type { Irql } from './api.ts';
import type { RuleId } from './rules/ids.ts';

export type ProcessorState = 'starting' | 'active' | 'failed';
export interface Processor {
  NtNumber: number;
  Group: number;
  Number: number;
  state: ProcessorState;
  symlink: string;
}

export interface MemoryModule {
  id: string;
  sizeMiB: number;
  state: 'active';
  symlink: string;
}

export type DeviceState =
  | 'not-present'
  | 'started'
  | 'start-failed'
  | 'query-remove-pending'
  | 'remove-pending'
  | 'surprise-removed'
  | 'removed';

export interface Device {
  id: string;
  parent: string;
  /** Driver ids, bottom (bus driver) to top. */
  stack: string[];
  /** Interface class names from the scenario. */
  classes: string[];
  state: DeviceState;
  /** Symbolic links of the interfaces created for the current arrival. */
  symlinks: string[];
  /** How many times the device arrived (symbolic links stay stable across re-plugs). */
  arrivals: number;
}

export interface DeviceInterface {
  symlink: string;
  className: string;
  device: string;
  enabled: boolean;
  /** Trace position when last enabled (CM-3's missed-arrival check). */
  enabledAt?: number;
}

export type DriverState = 'not-loaded' | 'loaded' | 'unloading' | 'unload-blocked' | 'unloaded';
export type AppState = 'not-started' | 'running' | 'exited';

export interface Component {
  id: string;
  kind: 'driver' | 'app';
  state: DriverState | AppState;
  vars: Record<string, unknown>;
  // `holds` and `unloadReturned` are present from the start (undefined until set, `holds` first, as
  // it is always set first): every component keeps one shape (index.ts createWorld, fork.ts).
  /**
   * Driver: references on the DriverObject held by code that is running — a callback that unregistered
   * itself with the Ex routine, a work item, a routine the timeline runs (DRV-2).
   */
  holds?: number;
  /** Driver: Unload returned (or DriverEntry failed) and the image goes once nothing holds it (DRV-2). */
  unloadReturned?: boolean;
}

export type RegistrationKind = 'ke' | 'io' | 'cm';
export type RegistrationState = 'active' | 'unregistered';

export interface Registration {
  id: string;
  kind: RegistrationKind;
  owner: string;
  routine: string;
  context: unknown;
  state: RegistrationState;
  /** io: EventCategory; cm: FilterType. */
  category?: string;
  /** io interface / cm interface: the class name; ALL for all classes. */
  className?: string;
  /** io target / cm handle: the device it watches. */
  device?: string;
  /** io target: the registrant's file object; cm handle: the handle it was registered on. */
  fileObject?: string;
  handle?: string;
  /** cm instance filter: the instance id, or ALL. */
  instanceId?: string;
  includeExisting?: boolean;
  /** Threads currently running a callback of this registration (a thread may nest). */
  inFlight: string[];
  /** The register call has not returned yet (IO-1 replay, CM-9). */
  registering: boolean;
  /** Variable named as NotificationEntry / pNotifyContext of the register call (UN-3). */
  entryVar?: string;
  /** Symbolic links this registration already got an ARRIVAL for (IO-3: a second one is the duplicate). */
  arrived?: Set<string>;
  /** io: unregistered with the Ex routine from its own callback, which still runs and holds the DriverObject (DRV-2). */
  pinned?: boolean;
}

export interface OpenHandle {
  id: string;
  owner: string;
  device: string;
  kind: 'handle' | 'fileObject';
  open: boolean;
  /** The device's arrival it was opened on: registrations on it do not carry over to a re-plug (RM-8). */
  arrival?: number;
}

export interface Allocation {
  id: string;
  owner: string;
  tag: string;
  paged: boolean;
  freed: boolean;
  kind: 'pool' | 'heap';
}

export interface WorkItem {
  id: string;
  owner: string;
  routine: string;
  thread: string;
  done: boolean;
}

/** What a blocked thread waits for. `rule` hints which rule explains a cycle through this wait. */
export type Wait =
  | { k: 'job'; thread: string; job: number; rule?: RuleId; what: string }
  | { k: 'work'; item: string; rule?: RuleId; what: string }
  | { k: 'callbacks'; registration: string; waiter: string; includeSelf: boolean; rule: RuleId; what: string }
  | { k: 'event'; event: number; rule?: RuleId; what: string }
  | { k: 'mutex'; mutex: string; waiter: string; rule?: RuleId; what: string };

export interface PnpEvent {
  id: number;
  kind:
    | 'DeviceArrival'
    | 'InterfaceArrival'
    | 'InterfaceRemoval'
    | 'QueryAndRemove'
    | 'SurpriseRemoval'
    | 'RemoveDevice'
    | 'DeviceStateChange'
    | 'CustomEvent';
  device: string;
  symlink?: string;
  className?: string;
  /** Custom events (CU-1). */
  custom?: CustomEvent;
  /** DeviceArrival of a hot-added processor or memory module: the interface its device enables. */
  unit?: { symlink: string; className: string };
  /** A query-and-remove that ejects (RM-9, RM-10): who asked, and so who learns the result. */
  eject?: 'app' | 'driver';
  /** Result for the initiator of a query-and-remove (CM_Query_And_Remove_SubTree). */
  result?: { status: string; vetoType?: string; vetoName?: string };
  done: boolean;
}

export interface CustomEvent {
  event: string;
  nameBufferOffset: number;
  data: unknown;
  reporter: string;
  callback?: string;
  context: unknown;
  synchronous: boolean;
}

export interface World {
  maxProcessors: number;
  processors: Processor[];
  memory: MemoryModule[];
  devices: Record<string, Device>;
  deviceOrder: string[];
  interfaces: Record<string, DeviceInterface>;
  interfaceOrder: string[];
  components: Record<string, Component>;
  registrations: Record<string, Registration>;
  /** Registration ids in registration order. */
  registrationOrder: string[];
  handles: Record<string, OpenHandle>;
  allocations: Record<string, Allocation>;
  workItems: Record<string, WorkItem>;
  events: PnpEvent[];
  counters: Record<string, number>;
  /** Spin locks held: lock name → thread. */
  locks: Record<string, { thread: string; previous: Irql }>;
  /** Kernel mutexes the engine itself takes (not scenario data): name → owner and recursion depth. */
  mutexes: Map<string, { thread: string; depth: number }>;
}

export function nextId(world: World, key: string): number {
  world.counters[key] = (world.counters[key] ?? 0) + 1;
  return world.counters[key];
}
