// The rule catalogue: the single place the UI, the trace and the tests take rule text from, and the
// only place a hazard's severity and bug check code come from (Engine.raise looks them up here).
// Every rule of the behavioural spec, with the provenance exactly as the spec marks it.
// A modelling choice is never presented as documented behaviour: where a rule mixes
// provenances, provenanceNote says which part is which.

import type { RuleId, Severity, Provenance } from './ids.ts';

export type SeedId = '000' | '001' | '002' | '003' | '004';

export interface SourceDoc {
  id: SeedId | 'other';
  /** English title of the Microsoft page (or, for engine-only rules, a plain statement that there is none). */
  title: string;
}

/** One way a rule can be broken, and what the engine records then. */
export interface RuleCase {
  severity: Exclude<Severity, 'info'>;
  /** Code and name, for a bug check. */
  bugcheck?: string;
  /** When this case applies, in a few plain words. */
  when: string;
}

export interface Rule {
  id: RuleId;
  /** Short, e.g. "Each callback is called twice per hot-add". */
  title: string;
  /** Spec section, e.g. "§3 Synchronous processor notification". */
  section: string;
  /**
   * The hazards the engine raises when the rule is broken, one per circumstance (e.g. KE-5: a
   * warning when the driver unloads, bug check 0xCE when the next hot-add calls the callback).
   * Empty for a rule that never raises a hazard (it describes what Windows does).
   */
  cases: Readonly<Record<string, RuleCase>>;
  /** As the spec marks it. */
  provenance: Provenance;
  /** When the rule mixes provenances (or the spec leaves it unmarked): which part is which. */
  provenanceNote?: string;
  /** One plain-text paragraph for a learner: what happens, why, and what correct code does. */
  explanation: string;
  /** The page the rule comes from. */
  source: SourceDoc;
  /** Seed documents relevant to the rule. */
  seeds: SeedId[];
}

export const PROVENANCE_LABEL: Record<Provenance, string> = {
  DOC: 'documented',
  OBS: 'observed',
  CHOICE: 'modelling choice',
  'DOC+OBS': 'documented + observed',
};

/** The five seed pages, by their English titles. */
export const SEED_DOCS: Record<SeedId, SourceDoc> = {
  '000': { id: '000', title: 'Registering for Synchronous Driver Notification' },
  '001': { id: '001', title: 'Registering for Asynchronous Driver Notification' },
  '002': { id: '002', title: 'Registering for device interface arrival and device removal' },
  '003': { id: '003', title: 'IoUnregisterPlugPlayNotificationEx function (wdm.h)' },
  '004': { id: '004', title: 'IoReportTargetDeviceChangeAsynchronous function (wdm.h)' },
};

/** Bug check codes the engine reports (docs/architecture.md §2.4, §2.5, and the KE, IO, UN, CU and DRV rules). */
export const BUGCHECKS = {
  DRIVER_UNLOADED: '0xCE DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS',
  PNP_FATAL_IRQL: '0xCA PNP_DETECTED_FATAL_ERROR (parameter 1 = 0xA)',
  PAGE_FAULT: '0x50 PAGE_FAULT_IN_NONPAGED_AREA',
  VERIFIER: '0xC4 DRIVER_VERIFIER_DETECTED_VIOLATION',
  IRQL_NOT_LESS: '0xD1 DRIVER_IRQL_NOT_LESS_OR_EQUAL',
  BAD_POOL_CALLER: '0xC2 BAD_POOL_CALLER',
} as const;

const other = (title: string): SourceDoc => ({ id: 'other', title });

const S000 = SEED_DOCS['000'];
const S001 = SEED_DOCS['001'];
const S002 = SEED_DOCS['002'];
const S003 = SEED_DOCS['003'];
const S004 = SEED_DOCS['004'];
const KE_REGISTER = other('KeRegisterProcessorChangeCallback function (wdm.h)');
const IO_REGISTER = other('IoRegisterPlugPlayNotification function (wdm.h)');
const CALLBACK_GUIDELINES = other('Guidelines for Writing PnP Notification Callback Routines');
const TARGET_QUERY_REMOVE = other('Handling a GUID_TARGET_DEVICE_QUERY_REMOVE Event');
const REMOVING = other('Removing a Device');
const SURPRISE = other('Handling an IRP_MN_SURPRISE_REMOVAL Request');
const CM_REGISTER = other('CM_Register_Notification function (cfgmgr32.h)');
const CM_UNREGISTER = other('CM_Unregister_Notification function (cfgmgr32.h)');
const CM_LIST = other('CM_Get_Device_Interface_List function (cfgmgr32.h)');
const IO_REPORT_SYNC = other('IoReportTargetDeviceChange function (wdm.h)');
const DRIVERENTRY_RETURN = other('DriverEntry Return Values');
const BUGCHECK_CE = other('Bug Check 0xCE: DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS');
const DRIVER_VERIFIER = other('Driver Verifier');
const ENGINE_ONLY = other('No Microsoft page: a rule of the playground engine (docs/architecture.md §2.3)');

const SEC = {
  ke: '§3 Synchronous processor notification',
  io: '§4 Asynchronous notification and IoRegisterPlugPlayNotification',
  un: '§4 Unregistering',
  rm: '§5 Device removal flows',
  cm: '§6 User-mode notification API',
  cu: '§7 Custom device events',
  drv: '§8 Driver lifecycle',
  irql: '§9 IRQL requirements',
  dl: '§2.3 Blocking, deadlock, stall',
} as const;

export const RULES = {
  // ---------------------------------------------------------------- §3 KE
  'KE-1': {
    id: 'KE-1',
    title: 'Each callback is called twice per hot-add',
    section: SEC.ke,
    cases: {},
    provenance: 'DOC',
    explanation:
      "When a processor is hot-added, the kernel calls every callback registered with KeRegisterProcessorChangeCallback in registration order, first with KeProcessorAddStartNotify while the new processor is not yet started. If *OperationStatus is still STATUS_SUCCESS after all of them, the processor starts and becomes available for thread scheduling, and every callback is called again with KeProcessorAddCompleteNotify. Otherwise the add fails: every callback gets KeProcessorAddFailureNotify with ChangeContext->Status holding the error, and no processor is added. So each registered callback runs exactly twice per hot-add, once to prepare and once to learn the outcome, and a correct driver allocates its per-processor data in Start, starts using the processor only in Complete, and frees what Start allocated in Failure.",
    source: KE_REGISTER,
    seeds: ['000'],
  },
  'KE-2': {
    id: 'KE-2',
    title: 'A Start callback can veto the hot-add',
    section: SEC.ke,
    cases: {},
    provenance: 'DOC+OBS',
    provenanceNote:
      'That only a KeProcessorAddStartNotify callback may write *OperationStatus, and only to report an error, is documented. That the callbacks after the vetoer still receive Start and find the error already there, and that the failure pass runs in registration order rather than reversed, are observed.',
    explanation:
      "A Start callback that cannot support the new processor, for example because allocating its per-processor data failed, vetoes the add by writing an error such as STATUS_INSUFFICIENT_RESOURCES to *OperationStatus. There is one status variable per hot-add, shared by all callbacks, so the callbacks registered after the vetoer still receive KeProcessorAddStartNotify and find the error already there. Then every callback, the vetoer included, receives KeProcessorAddFailureNotify, in registration order and not in reverse. A correct driver therefore treats Failure as 'undo whatever my own Start did' and never assumes that its Start ran only for adds that will succeed.",
    source: KE_REGISTER,
    seeds: ['000'],
  },
  'KE-3': {
    id: 'KE-3',
    title: 'Only a Start callback may write OperationStatus, and only an error',
    section: SEC.ke,
    cases: {
      write: { severity: 'error', when: 'a callback writes *OperationStatus outside a Start callback, over an error, or writes a success status; the write is ignored' },
    },
    provenance: 'DOC',
    explanation:
      "The OperationStatus pointer is not a general return channel: a driver may change the variable only in a KeProcessorAddStartNotify callback, and only to report an error. Writing it in a Complete or Failure callback, overwriting an error that another callback already wrote, or writing STATUS_SUCCESS over an error breaks that contract, because it would invent a failure after the fact or hide another driver's veto. The engine flags each such write as an error, ignores a write over an existing error, and lets the run continue. A correct callback writes *OperationStatus only when its own Start work fails, and otherwise leaves it alone.",
    source: KE_REGISTER,
    seeds: ['000'],
  },
  'KE-4': {
    id: 'KE-4',
    title: 'KE_PROCESSOR_CHANGE_ADD_EXISTING replays the active processors',
    section: SEC.ke,
    cases: {},
    provenance: 'DOC',
    provenanceNote:
      'The replay for existing processors is documented, including that after a failed Start the other processors that got Start receive KeProcessorAddFailureNotify, excluding the one that failed. That the registration is then removed and the call returns NULL is observed: the documentation says only that the return value reports whether the registration itself succeeded.',
    explanation:
      "With KE_PROCESSOR_CHANGE_ADD_EXISTING, KeRegisterProcessorChangeCallback calls the new callback before it returns, on the caller's thread (usually in DriverEntry): KeProcessorAddStartNotify for each active processor in NtNumber order, then, if all of them succeeded, KeProcessorAddCompleteNotify for each. If the Start for some processor fails, no further Starts are made, every processor that already got Start receives KeProcessorAddFailureNotify except the one that failed, the registration is removed, and the call returns NULL. The returned handle does not carry the callback's error, so the driver passes a status variable as CallbackContext, lets the callback store its error there, and returns that status from DriverEntry when the handle is NULL, exactly as the sample DriverEntry in 'Registering for Synchronous Driver Notification' does.",
    source: KE_REGISTER,
    seeds: ['000'],
  },
  'KE-5': {
    id: 'KE-5',
    title: 'Deregister the processor callback before unloading',
    section: SEC.ke,
    cases: {
      unload: { severity: 'warning', when: 'the driver unloads (or DriverEntry fails) with the registration still live' },
      call: { severity: 'bugcheck', bugcheck: BUGCHECKS.DRIVER_UNLOADED, when: 'the next hot-add calls the callback in the unloaded image' },
    },
    provenance: 'DOC',
    explanation:
      "A driver must call KeDeregisterProcessorChangeCallback, normally in its Unload routine, before it is unloaded. Unlike IoRegisterPlugPlayNotification, KeRegisterProcessorChangeCallback takes no reference on the DriverObject, so nothing stops the image from being unloaded while the registration is still live. The kernel then keeps a pointer to a callback whose code is gone, and at the next processor hot-add it calls into unloaded memory: the engine records bug check 0xCE DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS and halts. Every successful KeRegisterProcessorChangeCallback needs a matching KeDeregisterProcessorChangeCallback on every path out of the driver, including a DriverEntry that fails after registering (DRV-1).",
    source: S000,
    seeds: ['000'],
  },
  'KE-6': {
    id: 'KE-6',
    title: 'Processors are never hot-removed',
    section: SEC.ke,
    cases: {
      remove: { severity: 'warning', when: 'a processor or memory module is asked to go away; nothing changes' },
    },
    provenance: 'DOC',
    provenanceNote:
      'That Windows does not remove an active processor is documented. Refusing memory hot-remove in the same way is a modelling choice (Windows practically never completes it).',
    explanation:
      "Windows can add processors to a running hardware partition but never removes an active one, so the number of active processors and processor groups only grows. That is why KE_PROCESSOR_CHANGE_NOTIFY_STATE has only add states (KeProcessorAddStartNotify, KeProcessorAddCompleteNotify, KeProcessorAddFailureNotify) and a driver has no remove notification to handle. The playground refuses a request to remove a processor, records a warning naming this rule, and changes nothing; it refuses memory hot-remove the same way. A driver can build per-processor data as processors arrive and never has to tear it down for a departing processor while the system runs.",
    source: S000,
    seeds: ['000', '001'],
  },
  'KE-7': {
    id: 'KE-7',
    title: 'Deregistering from inside the processor callback deadlocks',
    section: SEC.ke,
    cases: {
      deadlock: { severity: 'deadlock', when: "KeDeregisterProcessorChangeCallback is called from the registration's own callback" },
    },
    provenance: 'OBS',
    explanation:
      "Windows is observed to make KeDeregisterProcessorChangeCallback wait while a callback of that registration is still running, so that once it returns the callback can no longer be running. Called from inside that same callback, it therefore waits for itself: the callback cannot finish until the deregistration returns, and the deregistration cannot return until the callback finishes. The engine records this one-thread wait cycle as a deadlock and halts. Deregister from Unload, or from another thread that is not inside the processor-change callback.",
    source: S000,
    seeds: ['000'],
  },
  'KE-8': {
    id: 'KE-8',
    title: 'Processor-change registration is PASSIVE_LEVEL only',
    section: SEC.ke,
    cases: {},
    provenance: 'DOC',
    explanation:
      "KeRegisterProcessorChangeCallback and KeDeregisterProcessorChangeCallback must be called at PASSIVE_LEVEL, and the kernel calls processor-change callbacks at PASSIVE_LEVEL. A routine limited to PASSIVE_LEVEL may block or touch pageable memory, which a thread at DISPATCH_LEVEL, for example one holding a spin lock, must never do. Calling either routine above PASSIVE_LEVEL is therefore an IRQL violation, which the engine reports as IRQL-1 (bug check 0xC4 DRIVER_VERIFIER_DETECTED_VIOLATION, as Driver Verifier reports it) and halts. Register in DriverEntry and deregister in Unload, both of which run at PASSIVE_LEVEL, and release any spin lock before calling either routine.",
    source: KE_REGISTER,
    seeds: ['000'],
  },
  'KE-9': {
    id: 'KE-9',
    title: 'Synchronous Complete comes before the asynchronous arrival',
    section: SEC.ke,
    cases: {},
    provenance: 'DOC',
    explanation:
      "A processor hot-add notifies drivers twice over, in a fixed order. First the synchronous KeRegisterProcessorChangeCallback callbacks run (Start, then Complete); only after KeProcessorAddCompleteNotify does the processor's device start and its GUID_DEVICE_PROCESSOR interface arrival get queued for the PnP manager, which later delivers GUID_DEVICE_INTERFACE_ARRIVAL to IoRegisterPlugPlayNotification callbacks (IO-2, IO-10). A failed add produces no arrival at all. So a driver that must prepare before the new processor runs anything uses the synchronous notification; the asynchronous one only tells it, some time afterwards, that the processor is already there.",
    source: S001,
    seeds: ['000', '001'],
  },
  'KE-10': {
    id: 'KE-10',
    title: 'A hot-add beyond the boot-time maximum is refused',
    section: SEC.ke,
    cases: {
      capacity: { severity: 'warning', when: 'a hot-add beyond maxProcessors is refused' },
    },
    provenance: 'OBS',
    explanation:
      "A machine has a maximum number of processors fixed at boot (maxProcessors in the scenario), and Windows is observed to refuse a hot-add once that many processors exist. The refusal happens before any notification, so no callback receives KeProcessorAddStartNotify and no interface arrival is queued. The playground records a warning naming this rule and leaves the machine unchanged. Nothing a driver does causes or prevents this; its callbacks simply never hear about the refused processor.",
    source: S000,
    seeds: ['000'],
  },

  // ---------------------------------------------------------------- §4 IO
  'IO-1': {
    id: 'IO-1',
    title: 'INCLUDE_EXISTING replays existing interfaces before the call returns',
    section: SEC.io,
    cases: {},
    provenance: 'DOC+OBS',
    provenanceNote:
      'The synchronous replay of the already enabled interfaces is documented. That *NotificationEntry is written only after the replay is observed. Returning STATUS_INVALID_PARAMETER when the flag is used with another category is a modelling choice.',
    explanation:
      "With PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES, IoRegisterPlugPlayNotification first inserts the new registration into the live list, then calls the callback with GUID_DEVICE_INTERFACE_ARRIVAL once for every interface of the class that is already enabled, synchronously on the caller's thread, before it returns. *NotificationEntry is written only after that replay, so inside those callbacks the driver's NotificationEntry variable is still unset. The flag is valid only with EventCategoryDeviceInterfaceChange; with another category the engine returns STATUS_INVALID_PARAMETER. A correct callback never relies on the saved NotificationEntry during the replay and keeps whatever it needs in its Context.",
    source: IO_REGISTER,
    seeds: ['001', '003'],
  },
  'IO-2': {
    id: 'IO-2',
    title: 'PnP events are queued and delivered one at a time',
    section: SEC.io,
    cases: {},
    provenance: 'DOC+OBS',
    provenanceNote:
      'Queued, asynchronous delivery is documented. Calling the registrants of one event one at a time in registration order, and in reverse order for GUID_TARGET_DEVICE_REMOVE_CANCELLED, is observed. Notifying kernel registrants before user-mode ones for interface arrival and removal is a modelling choice.',
    explanation:
      "Interface arrival and removal events and target-device events are not delivered by the code that caused them: they are queued, and the PnP manager's worker thread (pnp in the trace) takes them off the queue in order and processes each one to completion. For one event it calls the registrants one at a time in registration order, except GUID_TARGET_DEVICE_REMOVE_CANCELLED, which goes in reverse registration order. For interface arrival and removal the engine notifies kernel registrants before user-mode ones. Because delivery is asynchronous, a callback learns about a change some time after it happened and must check the current state, for example by opening the interface, rather than assume it.",
    source: S001,
    seeds: ['001'],
  },
  'IO-3': {
    id: 'IO-3',
    title: 'With INCLUDE_EXISTING one interface may arrive twice',
    section: SEC.io,
    cases: {},
    provenance: 'DOC',
    provenanceNote:
      'That the callback may be called twice for one existing interface, and never more, is documented. The mechanism the engine uses to produce the duplicate is observed.',
    explanation:
      "When a driver registers with PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES, its callback may receive GUID_DEVICE_INTERFACE_ARRIVAL twice for the same existing interface, but never more than twice. The duplicate appears when the interface was enabled just before the registration: the replay finds it already enabled, and its ARRIVAL event, still waiting in the queue, is delivered afterwards to the now-registered callback as well. The engine produces exactly this case and never a random duplicate. A correct callback handles arrivals idempotently, for example by looking up the SymbolicLinkName in its list and ignoring an interface it already knows.",
    source: IO_REGISTER,
    seeds: ['001', '003'],
  },
  'IO-4': {
    id: 'IO-4',
    title: 'A registration made during an event does not receive that event',
    section: SEC.io,
    cases: {},
    provenance: 'OBS',
    explanation:
      "A registration, kernel or user-mode, that is created while the PnP manager is delivering an event does not receive that event; it becomes active for later events. This is observed rather than documented, and real clients depend on it: the toastmon sample re-registers inside its GUID_TARGET_DEVICE_REMOVE_CANCELLED callback, and the user-mode recipe re-registers inside CM_NOTIFY_ACTION_DEVICEQUERYREMOVEFAILED. It means a callback can register a replacement for itself without being called back again for the event it is handling.",
    source: IO_REGISTER,
    seeds: ['001', '002'],
  },
  'IO-5': {
    id: 'IO-5',
    title: 'Only query events can be vetoed',
    section: SEC.io,
    cases: {},
    provenance: 'DOC',
    explanation:
      "The return value of an IoRegisterPlugPlayNotification callback matters only for GUID_TARGET_DEVICE_QUERY_REMOVE (and GUID_HWPROFILE_QUERY_CHANGE): a failure status there vetoes the proposed removal or profile change (RM-3). For every other event the PnP manager ignores the return value, so failing an arrival or a REMOVE_COMPLETE undoes nothing. Because a driver is notified of every event in the category it registered for, including kinds it does not handle, it should return STATUS_SUCCESS for everything it does not deliberately veto; otherwise it risks failing a query event by mistake.",
    source: CALLBACK_GUIDELINES,
    seeds: ['001'],
  },
  'IO-6': {
    id: 'IO-6',
    title: 'Each registration holds a reference on the DriverObject',
    section: SEC.io,
    cases: {
      leak: { severity: 'warning', when: 'Unload returns (or DriverEntry fails) with registrations left: the driver is unload-blocked' },
    },
    provenance: 'DOC',
    explanation:
      "IoRegisterPlugPlayNotification takes a counted reference on the DriverObject and keeps it until the registration is removed, so a driver image cannot be unloaded while any of its PnP notification registrations is live. If Unload returns with registrations left, the driver is unload-blocked: the image stays loaded and its callbacks keep being called. The engine records this as a warning, because it is a leak and leaves a driver that cannot be updated. A correct Unload calls IoUnregisterPlugPlayNotificationEx for every NotificationEntry it obtained (the sample in 'Registering for Asynchronous Driver Notification' still uses the older IoUnregisterPlugPlayNotification, see UN-1).",
    source: S003,
    seeds: ['001', '003'],
  },
  'IO-7': {
    id: 'IO-7',
    title: 'Notification callbacks must not block or change IRQL',
    section: SEC.io,
    cases: {
      irql: { severity: 'bugcheck', bugcheck: BUGCHECKS.PNP_FATAL_IRQL, when: 'a callback returns at another IRQL than it was called at' },
      blocks: { severity: 'error', when: 'a callback waits: every other PnP notification waits with it' },
      deadlock: { severity: 'deadlock', when: 'what the waiting callback waits for needs the PnP manager' },
    },
    provenance: 'DOC',
    explanation:
      "The PnP manager calls notification callbacks at PASSIVE_LEVEL and waits for each one to return, so a callback sits on the path of every other driver and application waiting for PnP events. A callback that returns at a different IRQL than it was called at, for example one that leaves a spin lock acquired, is bug check 0xCA PNP_DETECTED_FATAL_ERROR with parameter 0xA. A callback that blocks stalls all other PnP notification, which the engine flags as an error, and becomes a deadlock if what it waits for needs the PnP manager, such as the synchronous IoReportTargetDeviceChange (CU-8). Do quick bookkeeping in the callback and hand anything slow to a work item that the callback does not wait for.",
    source: CALLBACK_GUIDELINES,
    seeds: ['001', '003'],
  },
  'IO-8': {
    id: 'IO-8',
    title: 'Target-device registration uses a file object without referencing it',
    section: SEC.io,
    cases: {
      ownDevice: { severity: 'error', when: 'a driver registers for target-device notification on a device in its own stack' },
    },
    provenance: 'DOC',
    explanation:
      "To hear about the removal of a particular device, a driver opens it with IoGetDeviceObjectPointer and passes the resulting file object as EventCategoryData with EventCategoryTargetDeviceChange. The PnP manager takes no reference on that file object, and the registration survives closing it, which is exactly what lets the driver close it on GUID_TARGET_DEVICE_QUERY_REMOVE and still receive GUID_TARGET_DEVICE_REMOVE_CANCELLED. Each registrant receives its own file object in the notification structure. A driver must not register for target-device notification on a device it drives itself (the engine flags it as an error); the device's own drivers already receive the PnP removal IRPs.",
    source: IO_REGISTER,
    seeds: ['001', '004'],
  },
  'IO-9': {
    id: 'IO-9',
    title: 'Release the file object on QUERY_REMOVE',
    section: SEC.io,
    cases: {},
    provenance: 'DOC',
    explanation:
      "A kernel registrant that holds a file object on the device must release it with ObDereferenceObject while handling GUID_TARGET_DEVICE_QUERY_REMOVE: an open file object counts as an open handle, and the query-remove then fails with PNP_VetoOutstandingOpen (RM-4). Releasing it does not end the registration, and the driver should stay registered, because the removal may still be cancelled. On GUID_TARGET_DEVICE_REMOVE_CANCELLED it reopens the device and registers on the new file object, removing the old registration; on GUID_TARGET_DEVICE_REMOVE_COMPLETE it unregisters. This is the kernel-mode counterpart of the user-mode handle table in CM-5.",
    source: TARGET_QUERY_REMOVE,
    seeds: ['002', '003'],
  },
  'IO-10': {
    id: 'IO-10',
    title: 'Processor and memory arrivals come as interface arrivals',
    section: SEC.io,
    cases: {},
    provenance: 'DOC',
    explanation:
      "Each processor and memory module is a PnP device exposing one interface of class GUID_DEVICE_PROCESSOR or GUID_DEVICE_MEMORY, both defined in poclass.h. After a processor hot-add completes (KE-1) or a memory module is added, the arrival of that interface is queued, and drivers registered with IoRegisterPlugPlayNotification for that class receive GUID_DEVICE_INTERFACE_ARRIVAL. Memory has no synchronous notification, so this is the only way a driver learns about added memory. A driver registered only for GUID_DEVICE_PROCESSOR gets nothing for memory and vice versa, which is why the sample on this page registers twice, one callback per class.",
    source: S001,
    seeds: ['000', '001'],
  },
  'IO-11': {
    id: 'IO-11',
    title: 'Disabling an interface is a removal, enabling it an arrival',
    section: SEC.io,
    cases: {},
    provenance: 'DOC',
    provenanceNote:
      'IoSetDeviceInterfaceState, its return values and the notifications it causes are documented. Which driver of the stack may call it is not checked by the engine (a modelling choice), and an interface the scenario does not list is created disabled by IoRegisterDeviceInterface.',
    explanation:
      "A driver turns one of its device's interfaces off and on again with IoSetDeviceInterfaceState, without the device going anywhere: the device stays started and its handles stay open. Disabling an enabled interface queues GUID_DEVICE_INTERFACE_REMOVAL, enabling it queues GUID_DEVICE_INTERFACE_ARRIVAL; the PnP manager delivers them like any interface change, kernel registrants first and then user-mode DEVICEINTERFACEREMOVAL / DEVICEINTERFACEARRIVAL (IO-2). Enabling an interface that is already enabled returns the informational STATUS_OBJECT_NAME_EXISTS and notifies nobody; disabling one that is not enabled returns STATUS_OBJECT_NAME_NOT_FOUND. While it is disabled, opening its symbolic link fails. The symbolic link comes from IoRegisterDeviceInterface, which returns the existing link when the device already has an interface of that class. A client that watches interface arrivals must therefore expect a REMOVAL and a later ARRIVAL of the same symbolic link for a device that never left.",
    source: other('IoSetDeviceInterfaceState function (wdm.h)'),
    seeds: ['001', '002'],
  },

  // ---------------------------------------------------------------- §4 UN
  'UN-1': {
    id: 'UN-1',
    title: 'IoUnregisterPlugPlayNotification does not wait for running callbacks',
    section: SEC.un,
    cases: {
      window: { severity: 'warning', when: 'IoUnregisterPlugPlayNotification returns while a callback still runs on another thread' },
    },
    provenance: 'DOC',
    explanation:
      "The older IoUnregisterPlugPlayNotification, obsolete from Windows 7, marks the registration unregistered and returns at once, even while a callback of that registration is still running on another thread, and that callback carries on after the routine has returned. The documentation says exactly this: unlike the Ex routine, it cannot guarantee that no further callback occurs after it returns. A driver that frees its Context or unloads right after the call can therefore pull memory or code out from under a running callback, and the engine shows that window as a warning. Use IoUnregisterPlugPlayNotificationEx, which waits (UN-2).",
    source: S003,
    seeds: ['001', '003'],
  },
  'UN-2': {
    id: 'UN-2',
    title: 'IoUnregisterPlugPlayNotificationEx: no callback after it returns',
    section: SEC.un,
    cases: {},
    provenance: 'DOC+OBS',
    provenanceNote:
      'That no callback occurs after the routine returns, and that calling it from the registration\'s own callback is usually safe, are documented. How it achieves this (it waits only for callbacks running on other threads, because the per-registration lock is re-entrant) is observed.',
    explanation:
      "After IoUnregisterPlugPlayNotificationEx returns, the registration is gone and no further callback of it can occur. To give that guarantee it waits until no callback of that registration is running on another thread, and only then marks it unregistered. Called from inside the registration's own callback it does not wait for itself, so unregistering from your own callback is allowed and common, for example on GUID_TARGET_DEVICE_REMOVE_COMPLETE. The two documented exceptions are the INCLUDE_EXISTING replay (UN-3) and a callback that waits for another thread which unregisters it (UN-4).",
    source: S003,
    seeds: ['003'],
  },
  'UN-3': {
    id: 'UN-3',
    title: 'Do not cancel your own registration during the INCLUDE_EXISTING replay',
    section: SEC.un,
    cases: {
      deadlock: { severity: 'deadlock', when: 'the Ex routine cancels the registration during its own INCLUDE_EXISTING replay' },
    },
    provenance: 'DOC',
    explanation:
      "The documentation warns that a callback must not call IoUnregisterPlugPlayNotificationEx to cancel its own registration when that registration was made with PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES and the IoRegisterPlugPlayNotification call has not returned yet, that is, during the replay of existing interfaces. The trap is visible in the code: by IO-1, *NotificationEntry is written only after the replay, so the NotificationEntry variable the callback would pass is not even written yet. The documentation only says this is not safe; the engine shows it as a deadlock, with the unregister waiting for a registration call that is still running further down the same thread's stack. If a replay callback decides the registration is unwanted, it records that in its Context, and the driver calls IoUnregisterPlugPlayNotificationEx after IoRegisterPlugPlayNotification has returned.",
    source: S003,
    seeds: ['003'],
  },
  'UN-4': {
    id: 'UN-4',
    title: 'Do not wait for a work item that unregisters you',
    section: SEC.un,
    cases: {
      deadlock: { severity: 'deadlock', when: "a callback waits for a work item that unregisters the callback's registration with the Ex routine" },
    },
    provenance: 'DOC',
    explanation:
      "A callback that queues a work item which calls IoUnregisterPlugPlayNotificationEx on the callback's own registration, and then waits for that work item, deadlocks: the work item's IoUnregisterPlugPlayNotificationEx waits for the callback to return (UN-2), and the callback waits for the work item. The documentation gives exactly this as the example of a badly designed callback that deadlocks the operating system. Moving the unregister to a worker thread is fine by itself; the mistake is the wait. Either unregister directly in the callback, which is allowed (UN-2), or queue the work item and return without waiting for it.",
    source: S003,
    seeds: ['003'],
  },
  'UN-5': {
    id: 'UN-5',
    title: 'Unregister first, then free the context',
    section: SEC.un,
    cases: {
      useAfterFree: { severity: 'bugcheck', bugcheck: BUGCHECKS.PAGE_FAULT, when: 'a callback runs with, or reads, a context buffer that was already freed' },
      doubleFree: { severity: 'bugcheck', bugcheck: BUGCHECKS.BAD_POOL_CALLER, when: 'the same pool buffer is freed a second time' },
    },
    provenance: 'DOC',
    provenanceNote:
      'Unregister first, then free the context buffer, is documented. Reporting the resulting use-after-free as bug check 0x50 PAGE_FAULT_IN_NONPAGED_AREA is a modelling choice: it is the usual consequence, not the only possible one.',
    explanation:
      "The Context passed to IoRegisterPlugPlayNotification is handed to every callback of that registration for as long as the registration is live. If the driver frees that buffer while the registration is still live, the next callback receives a pointer to freed pool: a use-after-free, which the engine reports as bug check 0x50 PAGE_FAULT_IN_NONPAGED_AREA and halts. The buffer may be freed only once no callback can run any more, and that is exactly what a returned IoUnregisterPlugPlayNotificationEx guarantees (UN-2) and the older IoUnregisterPlugPlayNotification does not (UN-1). So the order is always: IoUnregisterPlugPlayNotificationEx, then free the context.",
    source: S003,
    seeds: ['003'],
  },
  'UN-6': {
    id: 'UN-6',
    title: 'Unload needs every registration removed',
    section: SEC.un,
    cases: {},
    provenance: 'DOC',
    explanation:
      "A driver cannot be unloaded until it has removed all of its PnP notification registrations, because each live registration holds a counted reference on the DriverObject that represents the loaded image (IO-6). If Unload returns with a registration left, the driver is unload-blocked: the image stays loaded and its callbacks keep running, and the engine records a warning. Keep every NotificationEntry you obtained and call IoUnregisterPlugPlayNotificationEx on each one in Unload, or earlier, when the device it watches goes away.",
    source: S003,
    seeds: ['001', '003'],
  },
  'UN-7': {
    id: 'UN-7',
    title: 'Unregistering an invalid entry',
    section: SEC.un,
    cases: {
      invalidEntry: { severity: 'error', when: 'an entry unregistered twice, or never returned by a successful registration' },
    },
    provenance: 'CHOICE',
    explanation:
      "IoUnregisterPlugPlayNotificationEx is documented to return STATUS_SUCCESS for a valid NotificationEntry, but the documentation does not say what happens with an invalid one. The engine's choice is to flag as an error any call with an entry that was already unregistered, or that never came from a successful IoRegisterPlugPlayNotification, and to return STATUS_INVALID_PARAMETER. What real Windows does with such an entry is not documented, so do not rely on that status. Clear your saved NotificationEntry after unregistering it, and unregister only entries whose registration returned STATUS_SUCCESS.",
    source: S003,
    seeds: ['003'],
  },

  // ---------------------------------------------------------------- §5 RM
  'RM-1': {
    id: 'RM-1',
    title: 'Orderly removal, step by step',
    section: SEC.rm,
    cases: {},
    provenance: 'DOC',
    provenanceNote:
      'The order is documented, except three parts: the position of CM_NOTIFY_ACTION_DEVICEREMOVEPENDING and the delivery of the interface REMOVAL events as separate, later PnP events are observed, and placing CM_NOTIFY_ACTION_DEVICEREMOVECOMPLETE after IRP_MN_REMOVE_DEVICE is a modelling choice.',
    explanation:
      "An eject or 'safely remove' (CM_Query_And_Remove_SubTree) runs on the PnP manager's thread in a fixed order: user-mode handle registrations get CM_NOTIFY_ACTION_DEVICEQUERYREMOVE, kernel target registrations get GUID_TARGET_DEVICE_QUERY_REMOVE, and the driver stacks get IRP_MN_QUERY_REMOVE_DEVICE, descendants first. Then the PnP manager checks that no handle or file object is still open on the device (RM-4). If all agree, user mode gets CM_NOTIFY_ACTION_DEVICEREMOVEPENDING, kernel registrants get GUID_TARGET_DEVICE_REMOVE_COMPLETE before the stack gets IRP_MN_REMOVE_DEVICE, and user mode then gets CM_NOTIFY_ACTION_DEVICEREMOVECOMPLETE. The interfaces disabled during the remove IRP produce their own GUID_DEVICE_INTERFACE_REMOVAL and CM_NOTIFY_ACTION_DEVICEINTERFACEREMOVAL events afterwards, and the initiator receives CR_SUCCESS. Everyone is asked before anything is torn down, which is why closing handles on the query (CM-5, IO-9) is what lets a removal succeed.",
    source: REMOVING,
    seeds: ['002'],
  },
  'RM-2': {
    id: 'RM-2',
    title: 'A user-mode callback can veto with ERROR_CANCELLED',
    section: SEC.rm,
    cases: {},
    provenance: 'DOC',
    provenanceNote:
      'The veto, and DEVICEQUERYREMOVEFAILED going to every handle registration including ones that never got DEVICEQUERYREMOVE, are documented. Stopping the DEVICEQUERYREMOVE delivery at the vetoing callback is a modelling choice.',
    explanation:
      "A handle callback that returns ERROR_CANCELLED to CM_NOTIFY_ACTION_DEVICEQUERYREMOVE vetoes the removal. The engine stops the DEVICEQUERYREMOVE delivery there, so no kernel registrant is asked and no IRP is sent, and every current handle registration on the device gets CM_NOTIFY_ACTION_DEVICEQUERYREMOVEFAILED, including ones that never received DEVICEQUERYREMOVE. The initiator receives CR_REMOVE_VETOED with veto type PNP_VetoWindowsApp. An application should veto only when losing the device would really lose the user's work, and must handle DEVICEQUERYREMOVEFAILED without a preceding DEVICEQUERYREMOVE.",
    source: CM_REGISTER,
    seeds: ['002'],
  },
  'RM-3': {
    id: 'RM-3',
    title: 'A kernel callback can veto QUERY_REMOVE',
    section: SEC.rm,
    cases: {},
    provenance: 'DOC',
    provenanceNote:
      'The veto and the GUID_TARGET_DEVICE_REMOVE_CANCELLED notifications are documented; their order (the vetoer and the registrants before it, in reverse) is observed.',
    explanation:
      "A kernel callback that returns a failure status such as STATUS_UNSUCCESSFUL to GUID_TARGET_DEVICE_QUERY_REMOVE vetoes the removal. Kernel registrants after it are not asked, the vetoer and the registrants before it get GUID_TARGET_DEVICE_REMOVE_CANCELLED in reverse order, no IRP is sent, and then user-mode handle registrations get CM_NOTIFY_ACTION_DEVICEQUERYREMOVEFAILED. The initiator receives CR_REMOVE_VETOED with PNP_VetoDriver. Because the vetoer gets REMOVE_CANCELLED too, every driver can undo its query preparation in one place, whoever vetoed.",
    source: TARGET_QUERY_REMOVE,
    seeds: ['002'],
  },
  'RM-4': {
    id: 'RM-4',
    title: 'A failing driver or an open handle vetoes the removal',
    section: SEC.rm,
    cases: {
      outstandingOpen: { severity: 'warning', when: 'a handle or file object is still open after IRP_MN_QUERY_REMOVE_DEVICE: the query-remove fails with PNP_VetoOutstandingOpen' },
    },
    provenance: 'DOC',
    provenanceNote:
      'The veto and the cancel sequence are documented; delivering GUID_TARGET_DEVICE_REMOVE_CANCELLED in reverse registration order is observed.',
    explanation:
      "After the notifications, a removal can still fail in two ways: a driver in the stack fails IRP_MN_QUERY_REMOVE_DEVICE, or a handle or file object is still open on the device once that IRP has completed. Either way the PnP manager sends IRP_MN_CANCEL_REMOVE_DEVICE to the stack from bottom to top, then GUID_TARGET_DEVICE_REMOVE_CANCELLED to kernel registrants in reverse registration order, then CM_NOTIFY_ACTION_DEVICEQUERYREMOVEFAILED to user-mode handle registrations. The initiator receives CR_REMOVE_VETOED with PNP_VetoDevice for a driver or PNP_VetoOutstandingOpen for an open handle, and the engine names who still holds the handle. The usual cause is an application or driver that forgot to close its handle on the query (CM-5, IO-9).",
    source: REMOVING,
    seeds: ['002'],
  },
  'RM-5': {
    id: 'RM-5',
    title: 'Surprise removal asks no one',
    section: SEC.rm,
    cases: {},
    provenance: 'DOC',
    provenanceNote:
      'The sequence is documented; the order of the user-mode and kernel-mode REMOVE_COMPLETE notifications is observed.',
    explanation:
      "When a device is unplugged without warning, nobody is asked: the stack first gets IRP_MN_SURPRISE_REMOVAL, top to bottom, which drivers must not fail and during which they disable their interfaces. Then user-mode handle registrations get CM_NOTIFY_ACTION_DEVICEREMOVECOMPLETE and kernel registrants get GUID_TARGET_DEVICE_REMOVE_COMPLETE, with no QUERYREMOVE or REMOVEPENDING before them, followed by the interface REMOVAL events. IRP_MN_REMOVE_DEVICE is sent only once every handle and file object on the device is closed, so while one stays open the device stays surprise-removed and its drivers cannot finish cleaning up. A REMOVE_COMPLETE handler must therefore close its handle and unregister even though it never saw a query.",
    source: SURPRISE,
    seeds: ['002'],
  },
  'RM-6': {
    id: 'RM-6',
    title: 'Opens fail while a removal is pending',
    section: SEC.rm,
    cases: {},
    provenance: 'DOC',
    provenanceNote:
      'That opens are refused is documented; the exact error codes for the remove-pending device (ERROR_ACCESS_DENIED, STATUS_DELETE_PENDING) are a modelling choice.',
    explanation:
      "Between a successful query-remove and the end of the removal, the device is remove-pending and new opens are refused: CreateFile and IoGetDeviceObjectPointer fail, in the engine with ERROR_ACCESS_DENIED and STATUS_DELETE_PENDING. Once an interface has been disabled, opening its symbolic link fails with ERROR_FILE_NOT_FOUND or STATUS_OBJECT_NAME_NOT_FOUND. A component that closed its handle on the query must not try to reopen straight away; it reopens on CM_NOTIFY_ACTION_DEVICEQUERYREMOVEFAILED or GUID_TARGET_DEVICE_REMOVE_CANCELLED, or on a new arrival.",
    source: REMOVING,
    seeds: ['002'],
  },
  'RM-7': {
    id: 'RM-7',
    title: 'A late registration gets QUERYREMOVEFAILED without QUERYREMOVE',
    section: SEC.rm,
    cases: {},
    provenance: 'DOC',
    explanation:
      "A handle registration made on a device after CM_NOTIFY_ACTION_DEVICEQUERYREMOVE has been sent, but before the query-remove failed, receives CM_NOTIFY_ACTION_DEVICEQUERYREMOVEFAILED without ever having received DEVICEQUERYREMOVE. The documentation warns about exactly this. It happens naturally when an application re-registers from a deferred routine while another removal attempt is under way. A callback must handle each action on its own and must not assume the actions arrive in pairs.",
    source: S002,
    seeds: ['002'],
  },
  'RM-8': {
    id: 'RM-8',
    title: 'A removed device can be plugged in again',
    section: SEC.rm,
    cases: {},
    provenance: 'CHOICE',
    provenanceNote:
      'The spec gives this rule no provenance, so it is shown as a modelling choice rather than claimed as documented.',
    explanation:
      "A device that has been removed can be plugged in again: it arrives as a new device, its interfaces are enabled, and GUID_DEVICE_INTERFACE_ARRIVAL and CM_NOTIFY_ACTION_DEVICEINTERFACEARRIVAL events are queued. Handle registrations from before the removal do not come back, because they belonged to handles on the old device. A component that wants to keep using the device keeps its interface registration and, on the new arrival, opens a new handle and registers on it as for any new interface (CM-4).",
    source: S002,
    seeds: ['002'],
  },
  'RM-9': {
    id: 'RM-9',
    title: 'An app asks for an eject with CM_Request_Device_Eject',
    section: SEC.rm,
    cases: {
      deadlock: { severity: 'deadlock', when: 'an app calls CM_Request_Device_Eject from one of its own notification callbacks' },
    },
    provenance: 'CHOICE',
    provenanceNote:
      "The project's source documents do not describe CM_Request_Device_Eject. Following its reference page, the engine runs the same query-and-remove as an eject (RM-1 to RM-4) and gives the caller the result with PNP_VETO_TYPE and veto name; that the call waits for the whole removal, that it deadlocks when made from the app's own notification callback, and that a NULL pszVetoName is narrated as the message the PnP manager shows are modelling choices.",
    explanation:
      "An application can start a removal itself by calling CM_Request_Device_Eject on a device instance: the PnP manager prepares the device and its children for safe removal exactly as for 'safely remove' (RM-1), asking user-mode handle registrations, kernel target registrations and the driver stacks in turn. The call returns when that is over: CR_SUCCESS when the device was removed, or CR_REMOVE_VETOED with the veto type and the veto name in pVetoType and pszVetoName, the same answers as CM_Query_And_Remove_SubTree (RM-2, RM-3, RM-4). When the device's bus driver is part of the scenario, it then gets IRP_MN_EJECT to eject the device from its slot. Because the query-remove notifies user mode and waits for each callback, an app must never request the eject from one of its own notification callbacks: the PnP manager waits for that callback while the callback waits for the eject.",
    source: other('CM_Request_Device_EjectW function (cfgmgr32.h)'),
    seeds: ['002'],
  },
  'RM-10': {
    id: 'RM-10',
    title: 'IoRequestDeviceEject starts an eject and returns at once',
    section: SEC.rm,
    cases: {},
    provenance: 'CHOICE',
    provenanceNote:
      "The project's source documents do not describe IoRequestDeviceEject. Its reference page documents the orderly sequence (query-remove, notifications, remove IRPs, IRP_MN_EJECT) and the dialog shown when the eject is vetoed; running it as a queued PnP event after the caller returns, and narrating the veto in a note, are modelling choices.",
    explanation:
      "A bus driver whose device has an eject button calls IoRequestDeviceEject when the user presses it. The routine only reports the request, at up to DISPATCH_LEVEL, and returns at once; the PnP manager then directs an orderly removal of the device and its children on its own thread, with the same query-remove notifications, vetoes and remove IRPs as any eject (RM-1 to RM-4), and finally sends IRP_MN_EJECT to the bus driver. If a component vetoes, the PnP manager tells the user in a dialog that the eject failed and the device stays started; the driver that asked is not told. A driver therefore never waits for the eject to happen and never assumes that it will.",
    source: other('IoRequestDeviceEject function (wdm.h)'),
    seeds: ['002'],
  },
  'RM-11': {
    id: 'RM-11',
    title: 'A device its driver reports failed is surprise-removed',
    section: SEC.rm,
    cases: {
      write: { severity: 'error', when: 'a routine writes *PnpDeviceState outside an IRP_MN_QUERY_PNP_DEVICE_STATE handler; the write is ignored' },
    },
    provenance: 'CHOICE',
    provenanceNote:
      "The project's source documents do not describe IoInvalidateDeviceState. Its reference page documents that the PnP manager answers with IRP_MN_QUERY_PNP_DEVICE_STATE, and 'Handling an IRP_MN_SURPRISE_REMOVAL Request' documents that a device reported PNP_DEVICE_FAILED gets the surprise-removal sequence; queuing that removal as its own PnP event, ignoring the other PNP_DEVICE_STATE flags, and leaving the device removed (not restarted) are modelling choices.",
    explanation:
      "A function driver that finds its device no longer working, for example because its requests keep timing out, calls IoInvalidateDeviceState. The routine returns at once, and the PnP manager sends IRP_MN_QUERY_PNP_DEVICE_STATE down the device's stack, top to bottom, where each driver may report flags in the PNP_DEVICE_STATE bitmask. If one reports PNP_DEVICE_FAILED, the PnP manager removes the device as if it had been unplugged: IRP_MN_SURPRISE_REMOVAL, then REMOVE_COMPLETE notifications with no query before them, then IRP_MN_REMOVE_DEVICE once every handle is closed (RM-5). If nobody reports a failure, nothing else happens. So a component watching the device must handle a removal it was never asked about even when no hardware was unplugged.",
    source: SURPRISE,
    seeds: ['002'],
  },

  // ---------------------------------------------------------------- §6 CM
  'CM-1': {
    id: 'CM-1',
    title: 'CM_Register_Notification validates its arguments',
    section: SEC.cm,
    cases: {
      invalidArgs: { severity: 'error', when: 'CM_Register_Notification refuses its arguments (CR_FAILURE or CR_INVALID_DATA)' },
    },
    provenance: 'OBS',
    provenanceNote:
      'Observed in conformance tests run on Windows. The results for the last four cases (CM_NOTIFY_FILTER_FLAG_ALL_INTERFACE_CLASSES with a non-zero ClassGuid, a flag with the wrong filter type, both flags together, a non-zero Reserved field) are modelling choices.',
    explanation:
      "CM_Register_Notification checks its arguments before registering anything. A NULL pNotifyContext returns CR_FAILURE; a NULL pFilter or pCallback, a cbSize that is not exactly the size of CM_NOTIFY_FILTER, CM_NOTIFY_FILTER_FLAG_ALL_INTERFACE_CLASSES together with a non-zero ClassGuid, a flag used with the wrong FilterType, both flags together, or a non-zero Reserved field return CR_INVALID_DATA. On failure the output handle stays NULL and no callback will ever run. Zero the whole CM_NOTIFY_FILTER, set cbSize to sizeof(CM_NOTIFY_FILTER), and always check the returned CONFIGRET.",
    source: CM_REGISTER,
    seeds: ['002'],
  },
  'CM-2': {
    id: 'CM-2',
    title: 'An interface registration does not report existing interfaces',
    section: SEC.cm,
    cases: {},
    provenance: 'DOC',
    explanation:
      "Unlike IoRegisterPlugPlayNotification with PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES, CM_Register_Notification with CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE has no replay: it reports only interfaces that arrive after the registration. Interfaces that already exist must be listed with CM_Get_Device_Interface_List (or SetupDiGetClassDevs), which by default returns only present interfaces; CM_GET_DEVICE_INTERFACE_LIST_ALL_DEVICES also includes the others. That is why the documented recipe has two steps, register and then list (CM-3).",
    source: S002,
    seeds: ['002'],
  },
  'CM-3': {
    id: 'CM-3',
    title: 'Register first, then list, and de-duplicate',
    section: SEC.cm,
    cases: {
      missedArrival: { severity: 'warning', when: 'an interface arrives between the list and a later registration: neither listed nor notified' },
    },
    provenance: 'DOC',
    explanation:
      "The order of the two steps matters. If the application registers first and lists second, an interface that arrives in between is both in the list and notified, so it shows up twice and the application must de-duplicate, for example by symbolic link. If it lists first and registers second, an interface that arrives in between is in neither, and the application never learns about it; the engine flags that missed arrival as a warning. Always call CM_Register_Notification before CM_Get_Device_Interface_List, and treat a second sighting of the same symbolic link as harmless.",
    source: S002,
    seeds: ['002'],
  },
  'CM-4': {
    id: 'CM-4',
    title: 'Open the interface, then register the handle',
    section: SEC.cm,
    cases: {},
    provenance: 'DOC',
    explanation:
      "To learn when a device it uses is about to go away, an application opens the interface's symbolic link with CreateFile and then calls CM_Register_Notification with CM_NOTIFY_FILTER_TYPE_DEVICEHANDLE on that handle. The registration does not depend on the handle staying open: the handle may be closed after registering, as it must be on CM_NOTIFY_ACTION_DEVICEQUERYREMOVE, and the registration keeps receiving events such as DEVICEQUERYREMOVEFAILED or DEVICEREMOVECOMPLETE. It ends only with CM_Unregister_Notification or when the process exits.",
    source: S002,
    seeds: ['002'],
  },
  'CM-5': {
    id: 'CM-5',
    title: 'What a handle callback must do for each action',
    section: SEC.cm,
    cases: {},
    provenance: 'DOC',
    explanation:
      "On CM_NOTIFY_ACTION_DEVICEQUERYREMOVE the callback closes the device handle, otherwise the open handle makes the query-remove fail (RM-4). On CM_NOTIFY_ACTION_DEVICEQUERYREMOVEFAILED the device is still there: the application unregisters the old handle's registration from a deferred routine, then opens a new handle and registers it, either in that deferred routine or in the callback. On CM_NOTIFY_ACTION_DEVICEREMOVEPENDING and CM_NOTIFY_ACTION_DEVICEREMOVECOMPLETE it unregisters from a deferred routine and closes the handle if it is still open. The unregister is always deferred because calling CM_Unregister_Notification in the callback itself deadlocks (CM-6). When the application is finished with the device, it also unregisters its interface registration.",
    source: S002,
    seeds: ['002'],
  },
  'CM-6': {
    id: 'CM-6',
    title: 'Never unregister a registration from its own callback',
    section: SEC.cm,
    cases: {
      deadlock: { severity: 'deadlock', when: "CM_Unregister_Notification is called from the registration's own callback" },
    },
    provenance: 'DOC',
    explanation:
      "CM_Unregister_Notification waits for every pending callback of that registration to finish, so that after it returns the context can safely be freed. Called from that registration's own callback, it waits for the very callback it is running in, which can only finish after CM_Unregister_Notification returns: a deadlock, and the PnP manager, which is waiting for the callback, is stuck with it. Unregistering a different registration from a callback is allowed, because that only waits for the other registration's callbacks. The documented fix is to defer: the callback calls SubmitThreadpoolWork (or QueueUserWorkItem) and returns at once, and the work item, running on a threadpool thread, calls CM_Unregister_Notification, which then only has to wait for a callback that has already returned or soon will.",
    source: CM_UNREGISTER,
    seeds: ['002'],
  },
  'CM-7': {
    id: 'CM-7',
    title: 'Notifications keep coming until the deferred unregister returns',
    section: SEC.cm,
    cases: {},
    provenance: 'DOC',
    explanation:
      "Deferring the unregister (CM-6) opens a window: between SubmitThreadpoolWork and the moment the work item's CM_Unregister_Notification returns, more notifications for that registration can arrive, and the callback runs again with the same context. So the context structure, including the PTP_WORK it holds, must stay valid until CM_Unregister_Notification has returned; only then may it be freed. The documented example also keeps a flag under a lock in the context so that the work is submitted only once. Freeing the context earlier is the use-after-free of CM-10.",
    source: CM_UNREGISTER,
    seeds: ['002'],
  },
  'CM-8': {
    id: 'CM-8',
    title: 'Callback return values',
    section: SEC.cm,
    cases: {
      returnValue: { severity: 'error', when: 'a callback returns a value the action does not allow' },
    },
    provenance: 'DOC',
    provenanceNote:
      'The allowed return values are documented. Counting any other value as a veto on DEVICEQUERYREMOVE, and ignoring it for other actions, is a modelling choice.',
    explanation:
      "A CM_Register_Notification callback returns a DWORD. For CM_NOTIFY_ACTION_DEVICEQUERYREMOVE it returns ERROR_SUCCESS to allow the removal or ERROR_CANCELLED to veto it (RM-2); for every other action it must return ERROR_SUCCESS. Any other value is flagged as an error, and the engine counts it as a veto on DEVICEQUERYREMOVE and ignores it for other actions. Return ERROR_SUCCESS by default and ERROR_CANCELLED only on purpose.",
    source: CM_REGISTER,
    seeds: ['002'],
  },
  'CM-9': {
    id: 'CM-9',
    title: 'The callback can run before CM_Register_Notification returns',
    section: SEC.cm,
    cases: {},
    provenance: 'DOC',
    explanation:
      "A registration's callback can be called before CM_Register_Notification has returned, so the variable that receives the HCMNOTIFICATION through pNotifyContext may still be unset when the callback first runs. Code that reads that variable in the callback, for example to hand it to a work item that calls CM_Unregister_Notification, can end up with a NULL or stale handle. The callback's own hNotify argument is always the correct handle. Use hNotify, or store it in the context from the callback, instead of relying on the variable written by the register call.",
    source: CM_REGISTER,
    seeds: ['002'],
  },
  'CM-10': {
    id: 'CM-10',
    title: 'Unregister, then free the context',
    section: SEC.cm,
    cases: {
      useAfterFree: { severity: 'error', when: 'a callback runs with, or reads, a context freed before the unregister returned' },
      doubleFree: { severity: 'error', when: 'the same heap buffer is freed a second time (heap corruption)' },
    },
    provenance: 'DOC',
    explanation:
      "CM_Unregister_Notification is the point after which no callback of that registration can run, so the pContext buffer passed to CM_Register_Notification may be freed only after it has returned. Freeing it earlier, for example in the callback that decided to unregister or right after SubmitThreadpoolWork, leaves the next callback (CM-7) working on freed heap memory. In a user-mode process this does not bug check Windows: the application itself reads garbage, corrupts its heap or crashes with an access violation, often far from the cause, and the engine reports it as an error naming this rule. The order is always CM_Unregister_Notification first, then free the context, the user-mode twin of UN-5.",
    source: CM_UNREGISTER,
    seeds: ['002'],
  },
  'CM-11': {
    id: 'CM-11',
    title: 'Unregistering an unknown or closed handle',
    section: SEC.cm,
    cases: {
      invalidHandle: { severity: 'error', when: 'CM_Unregister_Notification on an unknown or already closed handle' },
    },
    provenance: 'CHOICE',
    explanation:
      "What CM_Unregister_Notification does with a handle it never returned, or with one that was already unregistered, is not documented. The engine's choice is to return CR_INVALID_DATA and flag the call as an error. A double unregister usually means two code paths both think they own the registration, for example the callback's deferred work item and the application's shutdown code. Give one place ownership of each HCMNOTIFICATION and clear the saved handle once it has been unregistered.",
    source: CM_UNREGISTER,
    seeds: ['002'],
  },
  'CM-12': {
    id: 'CM-12',
    title: 'Callbacks must be quick',
    section: SEC.cm,
    cases: {
      blocks: { severity: 'error', when: 'a callback waits: the PnP manager waits for it' },
      deadlock: { severity: 'deadlock', when: 'what the waiting callback waits for needs the PnP manager or the same registration' },
    },
    provenance: 'DOC',
    explanation:
      "The PnP manager waits for each callback to return before it goes on, so a CM_Register_Notification callback that blocks holds up this event and every later PnP event for all other applications and drivers. The engine flags a waiting callback as an error, and records a deadlock when what it waits for needs the PnP manager or the same registration. The documentation asks callbacks to handle events as quickly as possible and to move anything that can block, such as I/O, to another thread. Do the bookkeeping in the callback and hand slow work to a threadpool work item that the callback does not wait for.",
    source: CM_REGISTER,
    seeds: ['002'],
  },
  'CM-13': {
    id: 'CM-13',
    title: 'The interface list can grow between size and list',
    section: SEC.cm,
    cases: {
      bufferSmall: { severity: 'warning', when: 'the list grew between CM_Get_Device_Interface_List_Size and CM_Get_Device_Interface_List' },
    },
    provenance: 'DOC',
    explanation:
      "Listing interfaces takes two calls: CM_Get_Device_Interface_List_Size returns the buffer length, then CM_Get_Device_Interface_List fills the buffer. If an interface arrives between the two calls the list has grown, and the second call returns CR_BUFFER_SMALL. The caller must loop: get the size again, reallocate, and retry until it gets CR_SUCCESS. In the playground this race appears only with a schedule that puts an arrival between the two calls, because the scenario's combined CM_Get_Device_Interface_List op is atomic.",
    source: CM_LIST,
    seeds: ['002'],
  },

  // ---------------------------------------------------------------- §7 CU
  'CU-1': {
    id: 'CU-1',
    title: 'IoReportTargetDeviceChangeAsynchronous returns at once',
    section: SEC.cu,
    cases: {},
    provenance: 'DOC',
    provenanceNote:
      'Queueing, returning without waiting, the user-mode-then-kernel order and the completion Callback are documented; the STATUS_PENDING return value is observed.',
    explanation:
      "A driver reports a custom event on its device with IoReportTargetDeviceChangeAsynchronous: the routine queues the event, returns STATUS_PENDING, and does not wait for anyone to be notified. Later the PnP manager's thread delivers it, first as CM_NOTIFY_ACTION_DEVICECUSTOMEVENT (with EventGuid, NameOffset and Data) to user-mode handle registrations, then as a TARGET_DEVICE_CUSTOM_NOTIFICATION to kernel target-device registrations, each carrying that registrant's own FileObject. Finally the optional completion Callback runs at PASSIVE_LEVEL with the caller's Context. A driver must not assume anyone has seen the event when the routine returns; if it needs to know, it uses the completion Callback.",
    source: S004,
    seeds: ['004'],
  },
  'CU-2': {
    id: 'CU-2',
    title: 'System event GUIDs cannot be reported',
    section: SEC.cu,
    cases: {
      refused: { severity: 'error', when: 'a system event GUID, a Size below the header or a NameBufferOffset past the data' },
    },
    provenance: 'DOC',
    provenanceNote:
      'Refusing the system GUIDs is documented; refusing a Size smaller than the header or a NameBufferOffset past the data is observed.',
    explanation:
      "IoReportTargetDeviceChangeAsynchronous is only for custom, driver-defined events. If NotificationStructure.Event is a system event such as GUID_TARGET_DEVICE_QUERY_REMOVE, GUID_TARGET_DEVICE_REMOVE_CANCELLED or GUID_TARGET_DEVICE_REMOVE_COMPLETE, it returns STATUS_INVALID_DEVICE_REQUEST and queues nothing; the same happens for a Size smaller than the structure header or a NameBufferOffset that points past the data. Removal events come only from the PnP manager itself, as part of the removal sequence (RM-1). Generate a GUID of your own for each custom event, with Uuidgen.exe or Guidgen.exe, and check the returned status.",
    source: S004,
    seeds: ['004'],
  },
  'CU-3': {
    id: 'CU-3',
    title: 'NotificationStructure.FileObject must be NULL',
    section: SEC.cu,
    cases: {
      fileObject: { severity: 'error', when: 'NotificationStructure.FileObject is not NULL' },
    },
    provenance: 'DOC',
    explanation:
      "The caller must set NotificationStructure.FileObject to NULL, because the PnP manager fills that field in itself, giving each kernel registrant the file object it registered with. A non-NULL value is flagged as an error; the PnP manager overwrites it regardless, so nobody ever sees the value the caller put there. Zero the whole TARGET_DEVICE_CUSTOM_NOTIFICATION before filling in Version, Size, Event, NameBufferOffset and the custom data.",
    source: S004,
    seeds: ['004'],
  },
  'CU-4': {
    id: 'CU-4',
    title: 'The notification structure is copied',
    section: SEC.cu,
    cases: {},
    provenance: 'DOC',
    explanation:
      "The PnP manager makes a shallow copy of the caller's TARGET_DEVICE_CUSTOM_NOTIFICATION, delivers from the copy, and frees the copy itself when it is no longer needed. So the caller may free or reuse its structure as soon as IoReportTargetDeviceChangeAsynchronous returns, even though delivery happens later, and the engine does not treat that as a hazard. The Context for the completion Callback is not copied: it is passed to the Callback as is, so it must stay valid until the Callback has run.",
    source: S004,
    seeds: ['004'],
  },
  'CU-5': {
    id: 'CU-5',
    title: 'IRQL and memory for IoReportTargetDeviceChangeAsynchronous',
    section: SEC.cu,
    cases: {
      pagedAtDispatch: { severity: 'bugcheck', bugcheck: BUGCHECKS.IRQL_NOT_LESS, when: 'a paged NotificationStructure at DISPATCH_LEVEL' },
      pagedContext: { severity: 'error', when: 'a paged Context for the completion Callback' },
    },
    provenance: 'DOC',
    explanation:
      "IoReportTargetDeviceChangeAsynchronous may be called at IRQL <= DISPATCH_LEVEL, which makes it usable where the synchronous IoReportTargetDeviceChange is not. At DISPATCH_LEVEL a page fault cannot be serviced, so the NotificationStructure must then be allocated from non-paged memory; a paged structure at that level is bug check 0xD1 DRIVER_IRQL_NOT_LESS_OR_EQUAL. The Context for the completion Callback must be non-paged at any IRQL, and the engine flags it if it is not. Allocate both with ExAllocatePool2 and POOL_FLAG_NON_PAGED.",
    source: S004,
    seeds: ['004'],
  },
  'CU-6': {
    id: 'CU-6',
    title: 'Reported during a removal IRP, delivered after it',
    section: SEC.cu,
    cases: {},
    provenance: 'DOC',
    explanation:
      "A driver may call IoReportTargetDeviceChangeAsynchronous while it handles IRP_MN_REMOVE_DEVICE or IRP_MN_SURPRISE_REMOVAL, or while the PnP manager is processing another event. The custom event is then queued behind the current event: its notifications and the completion Callback happen only after the driver has returned and the stack has unwound. So the driver cannot expect anyone to have seen the event before its IRP handler returns, and must keep the Context valid until the Callback runs, even though its device is being removed.",
    source: S004,
    seeds: ['004'],
  },
  'CU-7': {
    id: 'CU-7',
    title: 'The completion Callback must not block',
    section: SEC.cu,
    cases: {
      blocks: { severity: 'error', when: 'the completion Callback waits' },
    },
    provenance: 'DOC',
    explanation:
      "The PnP manager calls the completion Callback (a PDEVICE_CHANGE_COMPLETE_CALLBACK) at PASSIVE_LEVEL, after it has notified every registrant, and waits for it to return. Like a notification callback, it must not block and must not call synchronous routines that generate PnP events, such as IoReportTargetDeviceChange, because the PnP manager cannot move on until it returns (CU-8). Use it to release the Context or to signal the driver, and queue anything longer as a work item.",
    source: S004,
    seeds: ['004'],
  },
  'CU-8': {
    id: 'CU-8',
    title: 'The synchronous IoReportTargetDeviceChange deadlocks in a callback',
    section: SEC.cu,
    cases: {
      deadlock: { severity: 'deadlock', when: "IoReportTargetDeviceChange is called on the PnP manager's own thread" },
    },
    provenance: 'DOC',
    explanation:
      "IoReportTargetDeviceChange is the synchronous variant: it runs at PASSIVE_LEVEL and does not return until every registrant has been notified of the custom event. Those notifications are delivered by the PnP manager's thread, so if that same thread calls IoReportTargetDeviceChange, from a notification callback or a completion Callback, it waits for work that only it can do: a deadlock. 'Guidelines for Writing PnP Notification Callback Routines' forbids exactly this and names IoReportTargetDeviceChangeAsynchronous as the replacement. From any callback, use the asynchronous routine.",
    source: IO_REPORT_SYNC,
    seeds: ['004'],
  },
  'CU-9': {
    id: 'CU-9',
    title: 'Only drivers raise custom events',
    section: SEC.cu,
    cases: {},
    provenance: 'DOC',
    explanation:
      "Custom device events are raised only in kernel mode, by a driver calling IoReportTargetDeviceChangeAsynchronous or IoReportTargetDeviceChange for a device's PDO. User mode can only receive them, as CM_NOTIFY_ACTION_DEVICECUSTOMEVENT on a CM_NOTIFY_FILTER_TYPE_DEVICEHANDLE registration; there is no user-mode routine that raises one. An application that needs to tell a driver something sends it an I/O request instead, for example DeviceIoControl on a handle to the device.",
    source: S004,
    seeds: ['002', '004'],
  },

  // ---------------------------------------------------------------- §8 DRV
  'DRV-1': {
    id: 'DRV-1',
    title: 'A failing DriverEntry unloads the driver without calling Unload',
    section: SEC.drv,
    cases: {},
    provenance: 'DOC',
    provenanceNote:
      "The spec gives this rule no provenance of its own. That Unload is not called after a failing DriverEntry is stated on 'DriverEntry Return Values'; the consequences are those of IO-6 and KE-5, both documented.",
    explanation:
      "Loading a driver runs DriverEntry at PASSIVE_LEVEL on a system thread. If DriverEntry returns a failure status, the driver is unloaded at once and its Unload routine is not called, so anything DriverEntry registered before failing is never cleaned up by Unload. A leftover IoRegisterPlugPlayNotification registration is reported as a leak (IO-6); a leftover KeRegisterProcessorChangeCallback registration is a callback into unloaded code, bug check 0xCE at the next hot-add (KE-5). A DriverEntry that fails must undo its own registrations before it returns, in the cleanup branch that the sample in 'Registering for Synchronous Driver Notification' leaves for it.",
    source: DRIVERENTRY_RETURN,
    seeds: ['000', '001'],
  },
  'DRV-2': {
    id: 'DRV-2',
    title: 'Unload runs, then the image goes once nothing references it',
    section: SEC.drv,
    cases: {},
    provenance: 'DOC',
    provenanceNote:
      'The spec gives this rule no provenance of its own; it restates IO-6, which is documented.',
    explanation:
      "Unloading a driver runs its Unload routine, if it has one, and then releases the image once nothing references the DriverObject any more. Every live IoRegisterPlugPlayNotification registration is such a reference (IO-6), so the image stays loaded, unload-blocked, until the last one is removed. KeRegisterProcessorChangeCallback registrations are not references, which is why forgetting one is a crash rather than a leak (KE-5). Unload is where a driver removes everything it registered.",
    source: S003,
    seeds: ['000', '001', '003'],
  },
  'DRV-3': {
    id: 'DRV-3',
    title: 'No code may run in an unloaded driver',
    section: SEC.drv,
    cases: {
      call: { severity: 'bugcheck', bugcheck: BUGCHECKS.DRIVER_UNLOADED, when: 'the system calls into an unloaded image (a work item still queued for it)' },
      released: { severity: 'bugcheck', bugcheck: BUGCHECKS.DRIVER_UNLOADED, when: "a driver's code goes on running after its image was released (a callback still running after Unload returned through IoUnregisterPlugPlayNotification's window)" },
    },
    provenance: 'DOC',
    provenanceNote:
      'The spec gives this rule no provenance of its own. The callback case is KE-5, which is documented; treating a work item still queued for the unloaded driver the same way is the engine\'s model.',
    explanation:
      "Once a driver image is unloaded its code is gone, and anything that still calls into it is bug check 0xCE DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS; the name says what went wrong, the driver left pending operations behind. In the playground that means a processor-change callback that was never deregistered (KE-5), or a work item still queued for the driver. Before Unload returns, a driver must deregister every callback and make sure every work item it queued has finished.",
    source: BUGCHECK_CE,
    seeds: ['000'],
  },

  // ---------------------------------------------------------------- §9 IRQL
  'IRQL-1': {
    id: 'IRQL-1',
    title: 'A routine was called above its maximum IRQL',
    section: SEC.irql,
    cases: {
      verifier: { severity: 'bugcheck', bugcheck: BUGCHECKS.VERIFIER, when: 'a routine is called above its maximum IRQL' },
    },
    provenance: 'DOC',
    provenanceNote:
      'The IRQL limits are documented on each routine\'s reference page, except the limit for ObDereferenceObject (file object close), which is a modelling choice. The engine reports the violation as Driver Verifier does.',
    explanation:
      "Every kernel routine has a maximum IRQL at which it may be called: for example PASSIVE_LEVEL for IoRegisterPlugPlayNotification and KeRegisterProcessorChangeCallback, APC_LEVEL for a paged ExAllocatePool2, and DISPATCH_LEVEL for IoQueueWorkItem and IoReportTargetDeviceChangeAsynchronous. Raising the IRQL, for instance with KeAcquireSpinLock, forbids waiting and touching paged memory, so a routine with a lower limit can misbehave or crash when called above it, and often only sometimes. Driver Verifier catches such a call every time and stops the system with bug check 0xC4 DRIVER_VERIFIER_DETECTED_VIOLATION; the engine reports what Driver Verifier would and halts. Release spin locks, or lower the IRQL, before calling anything whose limit is below the current IRQL.",
    source: DRIVER_VERIFIER,
    seeds: ['003', '004'],
  },

  // ---------------------------------------------------------------- §2.3 DL
  'DL-1': {
    id: 'DL-1',
    title: 'Deadlock: a cycle of waits',
    section: SEC.dl,
    cases: {
      deadlock: { severity: 'deadlock', when: 'a wait-for cycle that no more specific rule explains' },
    },
    provenance: 'CHOICE',
    explanation:
      "The engine keeps a wait-for graph of the simulated threads: which thread waits for which callback, work item, thread or registration. When the graph contains a cycle, including a thread waiting for itself, none of those threads can ever run again, and the engine records a deadlock with the cycle and halts. It names the most specific rule that explains the cycle (UN-3, UN-4, CM-6, KE-7, CU-8 and so on) and uses this rule only when none of those fits. The detection and the wording are the playground's, but the hang is real: on Windows the same cycle leaves those threads stuck for good, and if the PnP manager's thread is one of them, no later PnP event is delivered.",
    source: ENGINE_ONLY,
    seeds: [],
  },
  'DL-2': {
    id: 'DL-2',
    title: 'Stall: a thread waits for something that never happens',
    section: SEC.dl,
    cases: {
      stall: { severity: 'error', when: 'no thread can run, a thread is blocked, and no cycle explains it' },
    },
    provenance: 'CHOICE',
    provenanceNote:
      'The spec gives this rule no provenance; stall detection is part of the simulation, not of Windows.',
    explanation:
      "A run is stalled when no thread can run, at least one thread is blocked, and the waits form no cycle: the blocked thread waits for something no thread will ever do, such as an event nobody sets or a work item nobody queued. The engine records the stall and halts, because nothing further can happen. On a real system the waiting thread would simply hang forever, which is often worse than a crash because nothing reports it. Look at what the blocked thread waits for and at the code that was supposed to signal it.",
    source: ENGINE_ONLY,
    seeds: [],
  },
  'DL-3': {
    id: 'DL-3',
    title: 'Budget: the run exceeded its operation limit',
    section: SEC.dl,
    cases: {
      ops: { severity: 'error', when: 'the run exceeds its budget of operations' },
      nesting: { severity: 'error', when: 'routines nest deeper than the engine allows on one thread (unbounded recursion)' },
      entries: { severity: 'error', when: 'the trace reaches its limit of entries' },
      threads: { severity: 'error', when: 'the run creates more threads than its limit (work items that keep queuing themselves)' },
      wakeups: { severity: 'error', when: 'blocked threads are made runnable more often than the limit allows' },
    },
    provenance: 'CHOICE',
    provenanceNote:
      'The spec gives this rule no provenance; the budget is part of the simulation, not of Windows.',
    explanation:
      "Every run has a fixed budget of simulated operations, a bound that guarantees that a scenario which never ends still stops, for example one whose callback keeps re-triggering itself. When the budget is exceeded the engine halts and says so. The budget counts operations, not time, so it never depends on how fast the computer is. Hitting it almost always means a loop, in the timeline or in a routine, that never reaches a quiescent state.",
    source: ENGINE_ONLY,
    seeds: [],
  },

} satisfies Record<RuleId, Rule>;

/** The names of the cases of rule `R` (`never` for a rule that raises no hazard). */
export type CaseOf<R extends RuleId> = keyof (typeof RULES)[R]['cases'] & string;

/** The rule with this id. */
export function rule(id: RuleId): Rule {
  const r: Rule | undefined = Object.hasOwn(RULES, id) ? RULES[id] : undefined;
  if (!r) throw new Error(`Unknown rule id: ${String(id)}`);
  return r;
}

/** One case of a rule: the severity and bug check the engine records when it raises it. */
export function ruleCase(id: RuleId, name: string): RuleCase {
  const cases = rule(id).cases;
  const c = Object.hasOwn(cases, name) ? cases[name] : undefined;
  if (!c) throw new Error(`Rule ${id} has no case "${name}"`);
  return c;
}

const RANK: Record<RuleCase['severity'], number> = { warning: 0, error: 1, deadlock: 2, bugcheck: 3 };

/** The most severe case of a rule (for a summary line), or null for a rule that raises no hazard. */
export function worstCase(id: RuleId): RuleCase | null {
  let worst: RuleCase | null = null;
  for (const c of Object.values(rule(id).cases)) if (!worst || RANK[c.severity] > RANK[worst.severity]) worst = c;
  return worst;
}
