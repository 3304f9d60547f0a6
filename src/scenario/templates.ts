// Starting points for the editor's "Add driver" / "Add app": each template is a function
// (component id, what the scenario already has) → the component's spec, the timeline actions that
// exercise it, and the devices and function drivers it needs. The code follows the seed documents
// and the public samples they point to (seed 000's DriverEntry / Unload / SyncProcessorCallback,
// seed 001's two IoRegisterPlugPlayNotification calls, toastmon, seed 002's six-step recipe), so a
// learner starts from correct code and breaks it on purpose (behaviours.ts).
//
// Pure data in, plain scenario JSON out. Every template loads cleanly into an empty scenario and
// into one that already holds it (templates.test.ts).

import { SEED_DOCS, type SeedId } from '../engine/rules/catalog.ts';
import {
  allocNonPaged, call, closeHandle, cmGetInterfaceList, cmRegister, createFile, forEach, freePool, getDeviceObjectPointer, handleFilter, ifThen,
  interfaceFilter, ioRegister, ioRegisterTarget, ioUnregister, ioUnregisterEx, keDeregister, keRegister, note, ret, set, sw, TOASTER,
} from './builder.ts';
import { SCENARIO_FORMAT, type ComponentSpec, type DeviceSpec, type Op, type RoutineBody, type Scenario, type TimelineAction } from './types.ts';
import { dict } from '../engine/dict.ts';

export type TemplateId = 'seed000-sync-driver' | 'seed001-async-driver' | 'interface-watcher' | 'toastmon-monitor' | 'seed002-monitor-app';

export interface TemplateInfo {
  id: TemplateId;
  kind: 'driver' | 'app';
  /** Shown on the button. */
  label: string;
  /** One sentence: what the component does and what the timeline shows. */
  description: string;
  /** The seed document the code comes from, if any. */
  seed?: SeedId;
  /** The component id to start from (made unique with a number). */
  baseId: string;
}

export const TEMPLATES: readonly TemplateInfo[] = [
  {
    id: 'seed000-sync-driver',
    kind: 'driver',
    label: 'Synchronous processor driver',
    description: 'KeRegisterProcessorChangeCallback with KE_PROCESSOR_CHANGE_ADD_EXISTING; Start / Complete / Failure cases; deregisters in Unload. Timeline: load, hot-add a processor, unload.',
    seed: '000',
    baseId: 'syncdrv',
  },
  {
    id: 'seed001-async-driver',
    kind: 'driver',
    label: 'Asynchronous processor + memory driver',
    description: 'IoRegisterPlugPlayNotification for GUID_DEVICE_PROCESSOR and GUID_DEVICE_MEMORY; unregisters both in Unload. Timeline: load, hot-add a processor and a memory module, unload.',
    seed: '001',
    baseId: 'asyncdrv',
  },
  {
    id: 'interface-watcher',
    kind: 'driver',
    label: 'Interface watcher (kernel)',
    description: 'IoRegisterPlugPlayNotification on the toaster interface class with a pool-allocated context; unregisters, then frees, in Unload. Timeline: load, plug a toaster, eject it, unload.',
    baseId: 'watcher',
  },
  {
    id: 'toastmon-monitor',
    kind: 'driver',
    label: 'Toastmon-style device monitor (kernel)',
    description: 'Interface registration with INCLUDE_EXISTING; on arrival IoGetDeviceObjectPointer and a target-device registration; closes on QUERY_REMOVE, reopens on REMOVE_CANCELLED, unregisters on REMOVE_COMPLETE. Timeline: load, eject the toaster, plug it back.',
    seed: '003',
    baseId: 'toastmon',
  },
  {
    id: 'seed002-monitor-app',
    kind: 'app',
    label: 'User-mode device monitor app',
    description: 'Seed 002’s recipe: register for the interface class, then list; open and register the handle; close on QUERYREMOVE; unregister from a SubmitThreadpoolWork routine. Timeline: start, eject, plug back, clean up.',
    seed: '002',
    baseId: 'monitor',
  },
];

export const templateInfo = (id: TemplateId): TemplateInfo => TEMPLATES.find((t) => t.id === id)!;

/** The seed document's English title, for the UI. */
export const templateSource = (t: TemplateInfo): string | undefined => (t.seed ? `${t.seed} · ${SEED_DOCS[t.seed].title}` : undefined);

/** What a template needs to know about the scenario it is added to. */
export interface TemplateContext {
  /** Ids of drivers and apps already there (one namespace for a fresh id). */
  components: ReadonlySet<string>;
  /** Ids of the drivers among them. */
  drivers: ReadonlySet<string>;
  /** Devices already there. */
  devices: readonly DeviceSpec[];
  /** Memory module ids already used (at boot or by a hotAddMemory action). */
  memory: ReadonlySet<string>;
}

export const EMPTY_CONTEXT: TemplateContext = { components: new Set(), drivers: new Set(), devices: [], memory: new Set() };

export interface TemplateResult {
  kind: 'driver' | 'app';
  id: string;
  spec: ComponentSpec;
  /** Appended to the scenario's timeline. */
  timeline: TimelineAction[];
  /** Devices to add (ids not in the context). */
  devices: DeviceSpec[];
  /** Function drivers of those devices, to add when missing. */
  drivers: Record<string, ComponentSpec>;
}

// ---------------------------------------------------------------------------------------------
// Small op builders

const TOASTER_CLASS = TOASTER;

/** `base`, or `base2`, `base3`… — the first not in `taken`. */
export function freshId(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}${n}`)) return `${base}${n}`;
}

/** A present device exposing the toaster interface (reused if the scenario has one), with its function driver. */
function presentToaster(ctx: TemplateContext, components: Set<string>): { id: string; devices: DeviceSpec[]; drivers: Record<string, ComponentSpec> } {
  const existing = ctx.devices.find((d) => d.present !== false && (d.interfaces ?? []).includes(TOASTER_CLASS));
  if (existing) return { id: existing.id, devices: [], drivers: {} };
  return newToaster(ctx, components, true);
}

/** A new toaster device (`toaster0`, `toaster1`…) and, when the scenario has no `toaster` driver, its function driver. */
function newToaster(ctx: TemplateContext, components: Set<string>, present: boolean): { id: string; devices: DeviceSpec[]; drivers: Record<string, ComponentSpec> } {
  const taken = new Set(ctx.devices.map((d) => d.id));
  let n = 0;
  while (taken.has(`toaster${n}`)) n++;
  const id = `toaster${n}`;
  // Reuse the stack of an existing toaster device, so every toaster has one function driver.
  const sibling = ctx.devices.find((d) => (d.interfaces ?? []).includes(TOASTER_CLASS) && d.stack.length > 0);
  const drivers = dict<ComponentSpec>();
  let stack: string[];
  if (sibling) stack = [...sibling.stack];
  else {
    // A driver called `toaster` is taken to be the toaster function driver; otherwise add one.
    const driver = ctx.drivers.has('toaster') ? 'toaster' : freshId('toaster', components);
    if (!ctx.drivers.has(driver) && !Object.hasOwn(drivers, driver)) {
      drivers[driver] = { routines: { DriverEntry: [note('The toaster function driver: its default IRP handlers succeed, and on removal it disables its interface.')] } };
      components.add(driver);
    }
    stack = [driver];
  }
  return { id, devices: [{ id, parent: 'root', stack, interfaces: [TOASTER_CLASS], present }], drivers };
}

// ---------------------------------------------------------------------------------------------
// The templates

/** A template's result: the component, the timeline that shows it, and the toaster it needs (if any). */
function result(
  kind: TemplateResult['kind'], id: string, globals: ComponentSpec['globals'], routines: Record<string, RoutineBody>,
  timeline: TimelineAction[], toaster?: { devices: DeviceSpec[]; drivers: Record<string, ComponentSpec> },
): TemplateResult {
  return { kind, id, spec: { globals, routines }, timeline, devices: toaster?.devices ?? [], drivers: toaster?.drivers ?? {} };
}

function seed000(id: string): TemplateResult {
  return result(
    'driver',
    id,
    { CallbackStatus: 'STATUS_SUCCESS' },
    {
      DriverEntry: [
        note('Register for synchronous processor notifications. With KE_PROCESSOR_CHANGE_ADD_EXISTING the callback runs for every active processor before this call returns.'),
        keRegister('SyncProcessorCallback', 'CallbackStatus', true),
        ifThen({ isNull: 'CallbackRegistrationHandle' }, [
          ifThen({ not: { eq: ['CallbackStatus', 'STATUS_SUCCESS'] } }, [ret('CallbackStatus')], [ret('STATUS_UNSUCCESSFUL')]),
        ]),
      ],
      Unload: [keDeregister()],
      SyncProcessorCallback: sw('State', {
        KeProcessorAddStartNotify: [note('Start: the processor is not running yet. Allocate per-processor data; an error here would veto the add.')],
        KeProcessorAddCompleteNotify: [note('Complete: the processor is active. Start using its per-processor data.')],
        KeProcessorAddFailureNotify: [note('Failure: the add was vetoed. Free the per-processor data allocated in Start.')],
      }),
    },
    [{ do: 'load', driver: id }, { do: 'hotAddProcessor' }, { do: 'unload', driver: id }],
  );
}

function seed001(id: string, ctx: TemplateContext): TemplateResult {
  const memId = freshId('mem', ctx.memory);
  return result(
    'driver',
    id,
    {},
    {
      DriverEntry: [
        ioRegister('GUID_DEVICE_PROCESSOR', 'AsyncProcessorCallback', 'ProcessorNotificationEntry'),
        ioRegister('GUID_DEVICE_MEMORY', 'AsyncMemoryCallback', 'MemoryNotificationEntry'),
      ],
      Unload: [
        note('Seed 001 unregisters with IoUnregisterPlugPlayNotification; since Windows 7 the Ex routine is preferred (seed 003).'),
        ioUnregister('ProcessorNotificationEntry', null),
        ioUnregister('MemoryNotificationEntry', null),
      ],
      AsyncProcessorCallback: sw('Event', { GUID_DEVICE_INTERFACE_ARRIVAL: [note('A processor was added; its synchronous Start and Complete have already run.')] }, []),
      AsyncMemoryCallback: sw('Event', { GUID_DEVICE_INTERFACE_ARRIVAL: [note('A memory module was added.')] }, []),
    },
    [{ do: 'load', driver: id }, { do: 'hotAddProcessor' }, { do: 'hotAddMemory', id: memId, sizeMiB: 1024 }, { do: 'unload', driver: id }],
  );
}

function watcher(id: string, ctx: TemplateContext): TemplateResult {
  const components = new Set([...ctx.components, id]);
  const toaster = newToaster(ctx, components, false);
  return result(
    'driver',
    id,
    {},
    {
      DriverEntry: [
        allocNonPaged('WatcherContext', 'Wtch'),
        ioRegister(TOASTER_CLASS, 'InterfaceCallback', 'InterfaceEntry', { context: 'WatcherContext' }),
        ifThen({ not: { ntSuccess: 'Status' } }, [freePool('WatcherContext'), ret('Status')]),
      ],
      Unload: [
        note('Unregister first, then free the context (UN-5): the Ex routine returns only when no callback is running.'),
        ioUnregisterEx('InterfaceEntry', null),
        freePool('WatcherContext'),
      ],
      InterfaceCallback: sw(
        'Event',
        {
          GUID_DEVICE_INTERFACE_ARRIVAL: [note('A toaster interface was enabled.'), ret('STATUS_SUCCESS')],
          GUID_DEVICE_INTERFACE_REMOVAL: [note('A toaster interface was disabled.'), ret('STATUS_SUCCESS')],
        },
        [],
      ),
    },
    [
    { do: 'load', driver: id },
    { do: 'plug', device: toaster.id },
    { do: 'eject', device: toaster.id },
    { do: 'unload', driver: id },
  ], toaster,
  );
}

function toastmon(id: string, ctx: TemplateContext): TemplateResult {
  const components = new Set([...ctx.components, id]);
  const toaster = presentToaster(ctx, components);
  const open = (link: string): Op[] => [
    getDeviceObjectPointer(link, 'FileObject'),
    ifThen({ ntSuccess: 'Status' }, [set('DeviceLink', link), ioRegisterTarget('FileObject', 'TargetCallback', 'TargetEntry')]),
  ];
  return result(
    'driver',
    id,
    { FileObject: null },
    {
      DriverEntry: [
        note('With INCLUDE_EXISTING the callback runs for toasters that are already there, before this call returns (IO-1).'),
        ioRegister(TOASTER_CLASS, 'InterfaceCallback', 'InterfaceEntry', { includeExisting: true }),
        ret('Status'),
      ],
      Unload: [ioUnregisterEx('InterfaceEntry', null)],
      InterfaceCallback: sw('Event', { GUID_DEVICE_INTERFACE_ARRIVAL: [ifThen({ isNull: 'FileObject' }, open('$SymbolicLinkName'))] }, []),
      TargetCallback: sw(
        'Event',
        {
          GUID_TARGET_DEVICE_QUERY_REMOVE: [
            note('Release the file object, or the open handle fails the query-remove (IO-9, RM-4).'),
            call('ObDereferenceObject', { Object: 'FileObject' }),
            set('FileObject', null),
          ],
          GUID_TARGET_DEVICE_REMOVE_CANCELLED: [
            note('The device stays: reopen it and register again (IO-9).'),
            call('IoUnregisterPlugPlayNotificationEx', { NotificationEntry: 'TargetEntry' }),
            ...open('DeviceLink'),
          ],
          GUID_TARGET_DEVICE_REMOVE_COMPLETE: [
            note('The device is gone: unregister (IO-9).'),
            call('IoUnregisterPlugPlayNotificationEx', { NotificationEntry: 'TargetEntry' }),
            ifThen({ not: { isNull: 'FileObject' } }, [call('ObDereferenceObject', { Object: 'FileObject' }), set('FileObject', null)]),
          ],
        },
        [],
      ),
    },
    [
    { do: 'load', driver: id },
    { do: 'eject', device: toaster.id },
    { do: 'plug', device: toaster.id },
  ], toaster,
  );
}

function seed002(id: string, ctx: TemplateContext): TemplateResult {
  const components = new Set([...ctx.components, id]);
  const toaster = presentToaster(ctx, components);
  const registerHandle = cmRegister(handleFilter('hDevice'), 'OnDevice', 'hDeviceNotify', { context: 'DevCtx' });
  // Steps 3 and 4: open the interface, then register the handle (with its own heap context).
  const open = (link: string): Op[] => [
    createFile(link),
    set('DeviceLink', link),
    call('HeapAlloc', { result: 'DevCtx' }),
    registerHandle,
  ];
  const closeIfOpen = ifThen({ not: { isNull: 'hDevice' } }, [closeHandle(), set('hDevice', null)]);
  // CM-6: never unregister a handle from its own callback; defer it (the registration and its
  // context travel to the work routine; the context is freed only after the unregister, CM-10).
  const defer = ifThen({ not: { eq: ['Unregistering', '$hNotify'] } }, [
    set('Unregistering', '$hNotify'),
    set('OldCtx', '$Context'),
    call('SubmitThreadpoolWork', { Callback: 'UnregisterWork', Context: '$hNotify', result: 'Work' }),
  ]);
  return result(
    'app',
    id,
    { hDevice: null },
    {
      main: [
        note('Step 1: register for interface arrivals first…'),
        call('HeapAlloc', { result: 'InterfaceCtx' }),
        cmRegister(interfaceFilter(TOASTER_CLASS), 'OnInterface', 'hInterfaceNotify', { context: 'InterfaceCtx' }),
        note('Step 2: …then list the interfaces that already exist (CM-2, CM-3).'),
        cmGetInterfaceList(TOASTER_CLASS),
        forEach('Links', 'Link', [ifThen({ isNull: 'hDevice' }, open('Link'))]),
      ],
      OnInterface: sw('Action', {
        CM_NOTIFY_ACTION_DEVICEINTERFACEARRIVAL: [
          ifThen(
            { contains: ['Links', '$SymbolicLink'] },
            [note('Already listed: a duplicate arrival, ignored (CM-3).')],
            [ifThen({ isNull: 'hDevice' }, open('$SymbolicLink'))],
          ),
        ],
        CM_NOTIFY_ACTION_DEVICEINTERFACEREMOVAL: [set('Links', null)],
      }),
      OnDevice: sw('Action', {
        CM_NOTIFY_ACTION_DEVICEQUERYREMOVE: [note('Close the handle, or it fails the query-remove (CM-5, RM-4).'), closeIfOpen],
        CM_NOTIFY_ACTION_DEVICEQUERYREMOVEFAILED: [note('The device stays: unregister the old handle (deferred) and open a new one.'), defer, closeIfOpen, ...open('DeviceLink')],
        CM_NOTIFY_ACTION_DEVICEREMOVEPENDING: [defer, closeIfOpen],
        CM_NOTIFY_ACTION_DEVICEREMOVECOMPLETE: [defer, closeIfOpen],
      }),
      UnregisterWork: [
        note('A deferred routine may unregister the handle registration (CM-6); then its context can be freed (CM-10).'),
        call('CM_Unregister_Notification', { NotifyContext: '$Context' }),
        call('HeapFree', { lpMem: 'OldCtx' }),
        set('Unregistering', null),
      ],
      Cleanup: [
        note('Step 6: done with the device: unregister the interface registration.'),
        ifThen({ not: { isNull: 'hDevice' } }, [
          call('CM_Unregister_Notification', { NotifyContext: 'hDeviceNotify' }),
          call('CloseHandle', { hObject: 'hDevice' }),
          call('HeapFree', { lpMem: 'DevCtx' }),
        ]),
        call('CM_Unregister_Notification', { NotifyContext: 'hInterfaceNotify' }),
        call('HeapFree', { lpMem: 'InterfaceCtx' }),
      ],
    },
    [
    { do: 'start', app: id },
    { do: 'eject', device: toaster.id },
    { do: 'plug', device: toaster.id },
    { do: 'run', component: id, routine: 'Cleanup' },
  ], toaster,
  );
}

const BUILDERS: Record<TemplateId, (id: string, ctx: TemplateContext) => TemplateResult> = {
  'seed000-sync-driver': seed000,
  'seed001-async-driver': seed001,
  'interface-watcher': watcher,
  'toastmon-monitor': toastmon,
  'seed002-monitor-app': seed002,
};

/** The template's component under `id`, fitted to what `ctx` already has. */
export function makeTemplate(template: TemplateId, id: string, ctx: TemplateContext = EMPTY_CONTEXT): TemplateResult {
  return BUILDERS[template](id, ctx);
}

// ---------------------------------------------------------------------------------------------
// Adding a template to a scenario (as raw JSON: the editor's text, parsed)

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What a template needs to know, read defensively from a scenario that may not be valid yet. */
export function contextOf(scenario: unknown): TemplateContext {
  const s = isObj(scenario) ? scenario : {};
  const drivers = new Set(Object.keys(isObj(s.drivers) ? s.drivers : {}));
  const components = new Set<string>([...drivers, ...Object.keys(isObj(s.apps) ? s.apps : {})]);
  const machine = isObj(s.machine) ? s.machine : {};
  const devices = (Array.isArray(machine.devices) ? machine.devices : []).filter(
    (d): d is DeviceSpec => isObj(d) && typeof d.id === 'string' && Array.isArray(d.stack),
  );
  const memory = new Set<string>();
  for (const m of Array.isArray(machine.memory) ? machine.memory : []) if (isObj(m) && typeof m.id === 'string') memory.add(m.id);
  for (const a of Array.isArray(s.timeline) ? s.timeline : []) if (isObj(a) && a.do === 'hotAddMemory' && typeof a.id === 'string') memory.add(a.id);
  return { components, drivers, devices, memory };
}

/** Defines `key` as an own data property (a key such as "__proto__" cannot reach a setter). */
function put(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * `scenario` with the template added under a fresh id (`baseId`, `baseId2`…): the component, its
 * supporting devices and drivers, and its timeline actions at the end. Returns a new object; the
 * input is not changed. The new component's id is returned too.
 */
export function addTemplate(scenario: unknown, template: TemplateId): { scenario: Scenario; id: string } {
  const s: Record<string, unknown> = isObj(scenario) ? structuredClone(scenario) : { format: SCENARIO_FORMAT };
  const ctx = contextOf(s);
  const info = templateInfo(template);
  const id = freshId(info.baseId, ctx.components);
  const t = makeTemplate(template, id, ctx);

  const drivers: Record<string, unknown> = isObj(s.drivers) ? s.drivers : {};
  const apps: Record<string, unknown> = isObj(s.apps) ? s.apps : {};
  for (const [d, spec] of Object.entries(t.drivers)) if (!Object.hasOwn(drivers, d)) put(drivers, d, spec);
  put(t.kind === 'driver' ? drivers : apps, id, t.spec);
  if (Object.keys(drivers).length > 0) s.drivers = drivers;
  if (Object.keys(apps).length > 0) s.apps = apps;

  if (t.devices.length > 0) {
    const machine: Record<string, unknown> = isObj(s.machine) ? s.machine : {};
    machine.devices = [...(Array.isArray(machine.devices) ? machine.devices : []), ...t.devices];
    s.machine = machine;
  }
  s.timeline = [...(Array.isArray(s.timeline) ? s.timeline : []), ...t.timeline];
  return { scenario: s as unknown as Scenario, id };
}
