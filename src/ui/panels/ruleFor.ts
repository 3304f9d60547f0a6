// Which rule of the catalogue explains a trace entry (the Explanation panel's question).
//
// One forward pass over the trace classifies every entry, looking only backwards (an entry's rule
// never depends on what happens after it), and the result is cached per trace: stepping is a
// lookup. The mapping, by entry:
//   hazard                → its own rule
//   halt                  → the fatal hazard's rule (bugcheck / deadlock), DL-2 stalled, DL-3 budget
//   processor callbacks   → KE-4 inside KeRegisterProcessorChangeCallback (ADD_EXISTING replay),
//                           else KE-2 for a Failure or an error Status, else KE-1
//   interface callbacks   → IO-1 inside IoRegisterPlugPlayNotification (INCLUDE_EXISTING replay),
//                           IO-3 for a second arrival of one link to one registration,
//                           IO-10 for GUID_DEVICE_PROCESSOR / _MEMORY, else IO-2
//   removal (target events, CM handle actions, IRPs, device states)
//                         → the RM-x of the flow: RM-1 orderly, RM-5 surprise, and for the failure
//                           path (QUERYREMOVEFAILED, REMOVE_CANCELLED, CANCEL_REMOVE) the veto seen
//                           earlier in the flow: RM-2 app, RM-3 kernel callback, RM-4 driver/handle
//   custom events         → CU-1 (the completion callback too)
//   API calls             → the rule about that API (CM_Register_Notification: CM-4 handle / CM-2
//                           interface; CM_Unregister_Notification: CM-6; IoUnregister…: UN-1 / UN-2;
//                           …); returns and completions inherit their call's rule
//   DriverEntry / Unload  → DRV-1 / DRV-2
//   notes                 → a rule id the text names, else the rule of the routine they run in
//   other state changes   → the rule of the call they happen in, or the nearest rule of the entity
//   anything else         → null (the panel explains the entry generically)
import { KNOWN_GUIDS, ntSuccess } from '../../engine/constants.ts';
import { RULE_IDS, type RuleId } from '../../engine/rules/ids.ts';
import type { EntryOf, TraceEntry } from '../../engine/trace.ts';
import { enclosingInvoke, frameParents, perTrace, type Trace } from './traceIndex.ts';

const KNOWN_RULES = new Set<string>(RULE_IDS);
const RULE_MENTION = /\b(?:KE|IO|UN|RM|CM|CU|DRV|DL|IRQL)-\d{1,2}\b/g;

const PROCESSOR_GUID = KNOWN_GUIDS.GUID_DEVICE_PROCESSOR;
const MEMORY_GUID = KNOWN_GUIDS.GUID_DEVICE_MEMORY;
const isPartitionClass = (cls: unknown) =>
  cls === 'GUID_DEVICE_PROCESSOR' || cls === 'GUID_DEVICE_MEMORY' || cls === PROCESSOR_GUID || cls === MEMORY_GUID;
const isPartitionLink = (link: unknown) =>
  typeof link === 'string' && (link.toLowerCase().includes(PROCESSOR_GUID) || link.toLowerCase().includes(MEMORY_GUID));

/** The first catalogue rule id named in a text, if any ("…does not keep the driver loaded (KE-5)"). */
export function ruleMentioned(text: string): RuleId | null {
  for (const m of text.matchAll(RULE_MENTION)) if (KNOWN_RULES.has(m[0])) return m[0] as RuleId;
  return null;
}

type Flow = 'orderly' | 'surprise' | null;

const ruleTable = perTrace((trace: Trace): (RuleId | null)[] => {
  const parent = frameParents(trace);
  const rules: (RuleId | null)[] = new Array(trace.length).fill(null);
  /** The removal flow under way: per device, and the latest one for entries that name no device. */
  let flow: Flow = null;
  const flowOf = new Map<string, Flow>();
  /** The device of each device-bound registration (from its creation facts). */
  const regDevice = new Map<string, string>();
  const interfaceDevice = new Map<string, string>();
  let veto: RuleId | null = null;
  let lastFatal: RuleId | null = null;
  const removed = new Set<string>();
  /** `registration|link` pairs that already got an ARRIVAL (IO-3). */
  const arrivals = new Set<string>();

  const inherit = (i: number): RuleId | null => (parent[i] >= 0 ? rules[parent[i]] : null);
  const invokeAround = (i: number): EntryOf<'invoke'> | null => {
    const j = enclosingInvoke(trace, parent, i);
    return j >= 0 ? (trace[j] as EntryOf<'invoke'>) : null;
  };
  const failureRule = (): RuleId => veto ?? 'RM-4';
  const flowFor = (device: string | undefined) => (device !== undefined && flowOf.has(device) ? flowOf.get(device)! : flow);
  const removeRule = (device?: string): RuleId => (flowFor(device) === 'surprise' ? 'RM-5' : 'RM-1');
  const setFlow = (device: string, f: Flow) => {
    flow = f;
    flowOf.set(device, f);
  };

  const irpRule = (minor: string, device: string | undefined, status?: string): RuleId | null => {
    switch (minor) {
      case 'IRP_MN_QUERY_REMOVE_DEVICE':
        return status !== undefined && !ntSuccess(status) ? 'RM-4' : 'RM-1';
      case 'IRP_MN_CANCEL_REMOVE_DEVICE':
        return failureRule();
      case 'IRP_MN_REMOVE_DEVICE':
        return removeRule(device);
      case 'IRP_MN_SURPRISE_REMOVAL':
        return 'RM-5';
      default:
        return null;
    }
  };

  const invokeRule = (i: number, e: EntryOf<'invoke'>): RuleId | null => {
    const a = e.args;
    if (!e.registration) {
      if (e.routine === 'DriverEntry') return 'DRV-1';
      if (e.routine === 'Unload') return 'DRV-2';
      if (e.routine.startsWith('IRP_MN_')) return irpRule(e.routine, typeof a.DeviceObject === 'string' ? a.DeviceObject : undefined);
      // The completion Callback of IoReportTargetDeviceChangeAsynchronous runs on the pnp thread (CU-1).
      if (e.thread === 'pnp') return 'CU-1';
      return null;
    }
    if ('State' in a) {
      const p = parent[i] >= 0 ? trace[parent[i]] : null;
      if (p?.type === 'call' && p.api === 'KeRegisterProcessorChangeCallback') return 'KE-4';
      if (a.State === 'KeProcessorAddFailureNotify' || (a.Status !== undefined && a.Status !== 'STATUS_SUCCESS')) return 'KE-2';
      return 'KE-1';
    }
    if ('Action' in a) {
      switch (a.Action) {
        case 'CM_NOTIFY_ACTION_DEVICEINTERFACEARRIVAL':
        case 'CM_NOTIFY_ACTION_DEVICEINTERFACEREMOVAL':
          return isPartitionClass(a.ClassGuid) || isPartitionLink(a.SymbolicLink) ? 'IO-10' : 'IO-2';
        case 'CM_NOTIFY_ACTION_DEVICEQUERYREMOVE':
        case 'CM_NOTIFY_ACTION_DEVICEREMOVEPENDING':
          return 'RM-1';
        case 'CM_NOTIFY_ACTION_DEVICEQUERYREMOVEFAILED':
          return failureRule();
        case 'CM_NOTIFY_ACTION_DEVICEREMOVECOMPLETE':
          return removeRule(regDevice.get(e.registration));
        case 'CM_NOTIFY_ACTION_DEVICECUSTOMEVENT':
          return 'CU-1';
        default:
          return null;
      }
    }
    if ('Event' in a) {
      switch (a.Event) {
        case 'GUID_DEVICE_INTERFACE_ARRIVAL':
        case 'GUID_DEVICE_INTERFACE_REMOVAL': {
          const p = parent[i] >= 0 ? trace[parent[i]] : null;
          const replay = p?.type === 'call' && p.api === 'IoRegisterPlugPlayNotification';
          if (a.Event === 'GUID_DEVICE_INTERFACE_ARRIVAL') {
            const key = `${e.registration}|${String(a.SymbolicLinkName)}`;
            const duplicate = arrivals.has(key);
            arrivals.add(key);
            if (duplicate) return 'IO-3';
          }
          if (replay) return 'IO-1';
          return isPartitionClass(a.InterfaceClassGuid) || isPartitionLink(a.SymbolicLinkName) ? 'IO-10' : 'IO-2';
        }
        case 'GUID_TARGET_DEVICE_QUERY_REMOVE':
          return 'RM-1';
        case 'GUID_TARGET_DEVICE_REMOVE_CANCELLED':
          return veto ?? 'RM-3';
        case 'GUID_TARGET_DEVICE_REMOVE_COMPLETE':
          return removeRule(regDevice.get(e.registration));
        default:
          return 'CU-1';
      }
    }
    return null;
  };

  const callRule = (i: number, e: EntryOf<'call'>): RuleId | null => {
    const a = e.args;
    switch (e.api) {
      case 'KeRegisterProcessorChangeCallback':
        return ([] as unknown[]).concat(a.Flags ?? []).includes('KE_PROCESSOR_CHANGE_ADD_EXISTING') ? 'KE-4' : 'KE-1';
      case 'KeDeregisterProcessorChangeCallback': {
        const inv = invokeAround(i);
        return inv?.registration?.startsWith('ke:') ? 'KE-7' : 'KE-5';
      }
      case 'IoRegisterPlugPlayNotification': {
        if (a.EventCategory === 'EventCategoryTargetDeviceChange') return 'IO-8';
        const flags = ([] as unknown[]).concat(a.EventCategoryFlags ?? []);
        if (flags.includes('PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES')) return 'IO-1';
        return isPartitionClass(a.EventCategoryData) ? 'IO-10' : 'IO-2';
      }
      case 'IoUnregisterPlugPlayNotification':
        return 'UN-1';
      case 'IoUnregisterPlugPlayNotificationEx': {
        // From a callback of an INCLUDE_EXISTING replay, i.e. inside IoRegisterPlugPlayNotification (UN-3).
        const inv = invokeAround(i);
        const around = inv ? trace[parent[inv.seq]] : undefined;
        return around?.type === 'call' && around.api === 'IoRegisterPlugPlayNotification' ? 'UN-3' : 'UN-2';
      }
      case 'IoGetDeviceObjectPointer':
        return 'IO-8';
      case 'IoRegisterDeviceInterface':
      case 'IoSetDeviceInterfaceState':
        return 'IO-11';
      case 'ObDereferenceObject': {
        const inv = invokeAround(i);
        return inv?.args.Event === 'GUID_TARGET_DEVICE_QUERY_REMOVE' ? 'IO-9' : 'IO-8';
      }
      case 'IoReportTargetDeviceChangeAsynchronous':
        return 'CU-1';
      case 'IoReportTargetDeviceChange':
        return 'CU-8';
      case 'ExFreePool':
        return 'UN-5';
      case 'HeapFree':
        return 'CM-10';
      case 'KeWaitForSingleObject':
      case 'WaitForThreadpoolWorkCallbacks': {
        const inv = invokeAround(i);
        if (!inv?.registration) return null;
        return inv.registration.startsWith('cm:') ? 'CM-12' : 'IO-7';
      }
      case 'IoQueueWorkItem':
        return invokeAround(i)?.registration ? 'UN-4' : null;
      case 'KeAcquireSpinLock':
      case 'KeReleaseSpinLock':
      case 'KeRaiseIrql':
      case 'KeLowerIrql':
        return 'IRQL-1';
      case 'CM_Register_Notification': {
        const filter = (a.pFilter ?? {}) as Record<string, unknown>;
        if (filter.FilterType === 'CM_NOTIFY_FILTER_TYPE_DEVICEHANDLE') return 'CM-4';
        if (filter.FilterType === 'CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE') return 'CM-2';
        return null;
      }
      case 'CM_Unregister_Notification':
        return 'CM-6';
      case 'CM_Get_Device_Interface_List':
        return 'CM-3';
      case 'CM_Get_Device_Interface_List_Size':
        return 'CM-13';
      case 'CreateFile':
        return 'CM-4';
      case 'CloseHandle':
        return invokeAround(i)?.args.Action === 'CM_NOTIFY_ACTION_DEVICEQUERYREMOVE' ? 'CM-5' : 'CM-4';
      case 'SubmitThreadpoolWork':
      case 'QueueUserWorkItem':
        return 'CM-6';
      case 'CM_Query_And_Remove_SubTree':
        return 'RM-1';
      default:
        return null;
    }
  };

  const returnRule = (i: number, e: EntryOf<'return'>): RuleId | null => {
    const base = inherit(i);
    if (e.api === 'CM_Register_Notification' && e.result !== 'CR_SUCCESS') return 'CM-1';
    if ((e.api === 'CreateFile' || e.api === 'IoGetDeviceObjectPointer') && (e.result === null || (typeof e.result === 'string' && e.result.startsWith('STATUS_') && !ntSuccess(e.result)))) return 'RM-6';
    if (e.api === 'CM_Query_And_Remove_SubTree' && e.result === 'CR_REMOVE_VETOED') return veto ?? 'RM-4';
    return base;
  };

  const completeRule = (i: number, e: EntryOf<'complete'>): RuleId | null => {
    const opener = parent[i] >= 0 ? trace[parent[i]] : null;
    const base = inherit(i);
    if (opener?.type !== 'invoke') return base;
    if (opener.args.Action === 'CM_NOTIFY_ACTION_DEVICEQUERYREMOVE' && e.result !== 'ERROR_SUCCESS') return (veto = 'RM-2');
    if (opener.args.Event === 'GUID_TARGET_DEVICE_QUERY_REMOVE' && !ntSuccess(e.result)) return (veto = 'RM-3');
    return base;
  };

  const queueRule = (e: EntryOf<'queue'>): RuleId | null => {
    switch (e.event) {
      case 'GUID_DEVICE_INTERFACE_ARRIVAL':
        if (e.device.startsWith('processor') && isPartitionLink(e.interface) && e.step > 0) return 'KE-9';
        return isPartitionLink(e.interface) ? 'IO-10' : 'IO-2';
      case 'GUID_DEVICE_INTERFACE_REMOVAL':
        return 'IO-2';
      case 'QueryAndRemove':
        return 'RM-1';
      case 'SurpriseRemoval':
      case 'RemoveDevice':
        return 'RM-5';
      case 'DeviceArrival':
        // A hot-added processor's device starts after its Complete pass (KE-9); a memory module's (IO-10).
        if (isPartitionLink(e.interface)) return String(e.interface).toLowerCase().includes(PROCESSOR_GUID) ? 'KE-9' : 'IO-10';
        return removed.has(e.device) ? 'RM-8' : null;
      default:
        return e.event.startsWith('GUID_') ? 'CU-1' : null;
    }
  };

  const stateRule = (i: number, e: EntryOf<'state'>): RuleId | null => {
    const colon = e.entity.indexOf(':');
    const kind = e.entity.slice(0, colon);
    const id = e.entity.slice(colon + 1);
    switch (kind) {
      case 'thread':
        return null;
      case 'processor':
        if (e.to === 'starting') return 'KE-1';
        if (e.to === 'failed') return 'KE-2';
        if (e.to === 'active' && e.from === 'starting') return 'KE-1';
        return null;
      case 'memory':
        return e.step > 0 ? 'IO-10' : null;
      case 'device':
        switch (e.to) {
          case 'query-remove-pending':
            setFlow(id, 'orderly');
            veto = null;
            return 'RM-1';
          case 'remove-pending':
            return 'RM-1';
          case 'surprise-removed':
            setFlow(id, 'surprise');
            return 'RM-5';
          case 'removed': {
            removed.add(id);
            return removeRule(id);
          }
          case 'started':
            if (e.from === 'query-remove-pending') return failureRule();
            return removed.has(id) ? 'RM-8' : null;
          case 'start-failed':
            return 'DRV-1';
          default:
            return null;
        }
      case 'interface':
        if (typeof e.info?.device === 'string') interfaceDevice.set(id, e.info.device);
        if (e.step === 0) return null;
        if (e.to === 'disabled' && flow) return removeRule(interfaceDevice.get(id));
        // KE-9: a hot-added processor's interface is enabled only after the Complete callbacks.
        if (e.to === 'enabled' && e.thread === 'hotplug') return isPartitionLink(id) && id.toLowerCase().includes(PROCESSOR_GUID) ? 'KE-9' : 'IO-10';
        return inherit(i) ?? 'IO-2';
      case 'driver':
        if (e.to === 'loaded') return 'DRV-1';
        if (e.to === 'unload-blocked') return 'IO-6';
        if (e.to === 'unloaded' && e.from === 'loaded') return 'DRV-1';
        if (e.to === 'unloading' || e.to === 'unloaded') return 'DRV-2';
        return null;
      case 'registration':
        if (typeof e.info?.device === 'string') regDevice.set(id, e.info.device);
        return inherit(i);
      default:
        return inherit(i);
    }
  };

  const actionRule = (e: EntryOf<'action'>): RuleId | null => {
    switch (e.action.do) {
      case 'load':
        return 'DRV-1';
      case 'unload':
        return 'DRV-2';
      case 'hotAddProcessor':
        return 'KE-1';
      case 'hotAddMemory':
        return 'IO-10';
      case 'removeProcessor':
      case 'removeMemory':
        return 'KE-6';
      case 'eject':
        return 'RM-1';
      case 'surpriseRemove':
        return 'RM-5';
      case 'plug':
        return removed.has(e.action.device) ? 'RM-8' : 'IO-2';
      default:
        return null;
    }
  };

  for (let i = 0; i < trace.length; i++) {
    const e = trace[i];
    let r: RuleId | null;
    switch (e.type) {
      case 'hazard':
        r = e.rule;
        if (e.severity === 'bugcheck' || e.severity === 'deadlock') lastFatal = e.rule;
        if (e.rule === 'RM-4') veto = 'RM-4';
        break;
      case 'halt':
        r = e.reason === 'stalled' ? 'DL-2' : e.reason === 'budget' ? 'DL-3' : e.reason === 'quiescent' ? null : lastFatal;
        break;
      case 'action':
        r = actionRule(e);
        break;
      case 'note': {
        const mentioned = ruleMentioned(e.text);
        if (mentioned) r = mentioned;
        else if (!e.op && i > 0 && trace[i - 1].type === 'action') r = rules[i - 1];
        else r = inherit(i);
        break;
      }
      case 'call':
        r = callRule(i, e);
        break;
      case 'return':
        r = returnRule(i, e);
        break;
      case 'invoke':
        r = invokeRule(i, e);
        break;
      case 'complete':
        r = completeRule(i, e);
        break;
      case 'irp':
        r = irpRule(e.minor, e.device);
        break;
      case 'irpComplete':
        r = irpRule(e.minor, e.device, e.status);
        if (e.minor === 'IRP_MN_QUERY_REMOVE_DEVICE' && !ntSuccess(e.status)) veto = 'RM-4';
        break;
      case 'queue':
        r = queueRule(e);
        break;
      case 'state':
        r = stateRule(i, e);
        break;
      default:
        r = null;
    }
    rules[i] = r;
  }
  return rules;
});

/**
 * The rule that explains `entry` (normally `trace[cursor]`), or null when no rule applies and the
 * panel should explain the entry generically. Cached per trace: O(1) per step.
 */
export function ruleFor(entry: TraceEntry, trace: Trace, cursor: number): RuleId | null {
  const i = trace[cursor] === entry ? cursor : entry.seq;
  if (i < 0 || i >= trace.length) return null;
  return ruleTable(trace)[i];
}
