// One readable line per trace entry (trace format v1, docs/trace-format.md), using the Windows
// names as they appear in the trace. Pure and framework-free: the UI, the CLI's --pretty mode and
// tests all read traces through this one formatter.
import type { TimelineAction } from '../scenario/types.ts';
import { APIS, isApiName } from './api.ts';
import type { TraceEntry } from './trace.ts';
import { parseThread, threadOwner } from './ids/threads.ts';

/** Parameters whose value is a set of flags: shown the way C writes them, `A | B`, or `0`. */
const FLAG_PARAMS = new Set(['Flags', 'EventCategoryFlags', 'ulFlags']);

/** Strings printed bare; anything else (spaces, commas, empty) is quoted so arguments stay readable. */
const BARE = /^[^\s,=()"]+$/;

/** A value as it would read in a debugger: NULL, names bare, ProcNumber as Group/Number. */
export function formatValue(value: unknown, key?: string): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return BARE.test(value) ? value : `"${value}"`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    if (key !== undefined && FLAG_PARAMS.has(key)) {
      return value.length === 0 ? '0' : value.map((v) => formatValue(v)).join(' | ');
    }
    return `[${value.map((v) => formatValue(v)).join(', ')}]`;
  }
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    // PROCESSOR_NUMBER: Group/Number, as the kernel debugger prints it.
    const keys = Object.keys(o);
    if (keys.length === 2 && typeof o.Group === 'number' && typeof o.Number === 'number') {
      return `${o.Group}/${o.Number}`;
    }
    return `{${formatArgs(o)}}`;
  }
  return String(value);
}

/** `Name=value, …` in the order the engine wrote them (the documented parameter order). */
export function formatArgs(args: Record<string, unknown> | undefined): string {
  if (!args) return '';
  return Object.entries(args)
    .map(([k, v]) => `${k}=${formatValue(v, k)}`)
    .join(', ');
}

/** A timeline action the way a person would say it: `load sampledrv`, `hotAddProcessor`. */
export function formatAction(a: TimelineAction): string {
  let text: string;
  switch (a.do) {
    case 'load':
    case 'unload':
      text = `${a.do} ${a.driver}`;
      break;
    case 'start':
    case 'exit':
      text = `${a.do} ${a.app}`;
      break;
    case 'run':
      text = `run ${a.component}!${a.routine}`;
      break;
    case 'hotAddProcessor':
      text = 'hotAddProcessor';
      break;
    case 'hotAddMemory':
      text = `hotAddMemory ${a.id} (${a.sizeMiB} MiB)`;
      break;
    case 'removeProcessor':
      text = `removeProcessor NtNumber=${a.NtNumber}`;
      break;
    case 'removeMemory':
      text = `removeMemory ${a.id}`;
      break;
    case 'plug':
    case 'eject':
    case 'surpriseRemove':
      text = `${a.do} ${a.device}`;
      break;
    default: {
      // A newer action this formatter does not know yet: still say something useful.
      const unknown = a as { do?: unknown };
      text = String(unknown.do);
    }
  }
  if (a.concurrent) text += ' (concurrent)';
  if (a.during) text += a.during.choice !== undefined ? ` (during step ${a.during.step}, at choice ${a.during.choice})` : ` (during step ${a.during.step}, before ${a.during.op})`;
  return text;
}

/** Only IRQLs above PASSIVE_LEVEL are worth a mention on every line. */
const irqlSuffix = (irql: string | undefined) => (irql && irql !== 'PASSIVE_LEVEL' ? ` @${irql}` : '');

/**
 * Who is acting, when the thread does not already say so: `sys:sampledrv` and `app:monitor:*`
 * imply their component; `hotplug`, `pnp` and work-item threads run other components' code.
 */
function actor(thread: string, component: string): string {
  if (threadOwner(parseThread(thread)) === component) return '';
  return `${component} `;
}

/** The entry itself, without the `#seq sStep [thread]` prefix. */
export function formatBody(e: TraceEntry): string {
  switch (e.type) {
    case 'action':
      return `▶ ${formatAction(e.action)}`;
    case 'call':
      return `${actor(e.thread, e.component)}→ ${e.api}(${formatArgs(e.args)})${irqlSuffix(e.irql)}`;
    case 'return': {
      const out = e.out && Object.keys(e.out).length > 0 ? ` (${formatArgs(e.out)})` : '';
      // A VOID API (KeDeregisterProcessorChangeCallback) returns nothing worth printing.
      const isVoid = e.result === undefined || (e.result === null && isApiName(e.api) && APIS[e.api].returns === 'void');
      const result = isVoid ? '' : ` = ${formatValue(e.result)}`;
      return `${actor(e.thread, e.component)}← ${e.api}${result}${out}`;
    }
    case 'invoke': {
      const reg = e.registration ? ` ← ${e.registration}` : '';
      return `${e.component}!${e.routine}(${formatArgs(e.args)})${irqlSuffix(e.irql)}${reg}`;
    }
    case 'complete': {
      // VOID routines complete with NULL/undefined: nothing to report beyond "returned".
      const result = e.result === undefined || e.result === null ? '' : ` ${formatValue(e.result)}`;
      return `${e.component}!${e.routine} returned${result}`;
    }
    case 'irp':
      return `${e.minor} → ${e.device} (${e.driver})`;
    case 'irpComplete':
      return `${e.minor} ← ${e.device} (${e.driver}) = ${e.status}`;
    case 'queue': {
      const iface = e.interface ? `, interface ${e.interface}` : '';
      return `queued ${e.event} for ${e.device}${iface}`;
    }
    case 'state': {
      const on = e.on ? ` (waits for ${e.on})` : '';
      return `${e.entity} ${e.from} → ${e.to}${on}`;
    }
    case 'hazard': {
      const code = e.bugcheck ? ` [bug check ${e.bugcheck}]` : '';
      const cycle =
        e.cycle && e.cycle.length > 0
          ? ` — cycle: ${e.cycle.map((w) => `${w.thread} waits for ${w.waitsFor} (${w.reason})`).join('; ')}`
          : '';
      return `⚠ ${e.rule} ${e.severity}${code}: ${e.message}${cycle}`;
    }
    case 'note':
      return `✎ ${e.component ? `${e.component}: ` : ''}${e.text}`;
    case 'halt':
      return `■ halt: ${e.reason}`;
    default: {
      // Trace v1 may gain entry types; show them rather than throw (never break the page).
      const unknown = e as { type?: unknown };
      return `(${String(unknown.type)})`;
    }
  }
}

/** `#7 s1 [hotplug]`: sequence number, timeline step (0 = boot) and thread. */
export function formatPrefix(e: TraceEntry): string {
  return `#${e.seq} s${e.step} [${e.thread}]`;
}

/** One readable line: `#7 s1 [hotplug] sampledrv!SyncProcessorCallback(State=…, NtNumber=2, …) ← ke:1`. */
export function formatEntry(e: TraceEntry): string {
  return `${formatPrefix(e)} ${formatBody(e)}`;
}

/** Short names for labels: `Start`, `ARRIVAL`, `QUERYREMOVE`, `QUERY_REMOVE_DEVICE`. */
export const shortName = (s: unknown) =>
  String(s)
    .replace(/^KeProcessorAdd(\w+)Notify$/, '$1')
    .replace(/^GUID_DEVICE_INTERFACE_/, '')
    .replace(/^GUID_TARGET_DEVICE_/, '')
    .replace(/^CM_NOTIFY_ACTION_DEVICE/, '')
    .replace(/^CM_NOTIFY_ACTION_/, '')
    .replace(/^IRP_MN_/, '');
