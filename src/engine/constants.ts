// Windows constant names the engine knows (docs/scenario-format.md §3.1) and the GUIDs behind them.
import { dictOf } from './dict.ts';

/** Interface classes and events with their documented GUIDs. */
export const KNOWN_GUIDS: Readonly<Record<string, string>> = dictOf({
  GUID_DEVICE_PROCESSOR: '{97fadb10-4e33-40ae-359c-8bef029dbdd0}',
  GUID_DEVICE_MEMORY: '{3fd0f03d-92e0-45fb-b75c-5ed8ffb01021}',
  GUID_DEVICE_INTERFACE_ARRIVAL: '{cb3a4004-46f0-11d0-b08f-00609713053f}',
  GUID_DEVICE_INTERFACE_REMOVAL: '{cb3a4005-46f0-11d0-b08f-00609713053f}',
  GUID_TARGET_DEVICE_QUERY_REMOVE: '{cb3a4006-46f0-11d0-b08f-00609713053f}',
  GUID_TARGET_DEVICE_REMOVE_CANCELLED: '{cb3a4007-46f0-11d0-b08f-00609713053f}',
  GUID_TARGET_DEVICE_REMOVE_COMPLETE: '{cb3a4008-46f0-11d0-b08f-00609713053f}',
  GUID_HWPROFILE_QUERY_CHANGE: '{cb3a4001-46f0-11d0-b08f-00609713053f}',
  GUID_DEVINTERFACE_TOASTER: '{781ef630-72b2-11d2-b852-00c04fad5171}',
});

/** The three system target-device events a custom report may not use (CU-2). */
export const SYSTEM_TARGET_EVENTS = [
  'GUID_TARGET_DEVICE_QUERY_REMOVE',
  'GUID_TARGET_DEVICE_REMOVE_CANCELLED',
  'GUID_TARGET_DEVICE_REMOVE_COMPLETE',
] as const;

const CONSTANT_PREFIX =
  /^(STATUS_|ERROR_|CR_|CM_|KE_|PNPNOTIFY_|POOL_FLAG_|EventCategory|IRP_MN_|PNP_Veto|PNP_DEVICE_|GUID_)|^Ke\w*Notify$|^(PASSIVE|APC|DISPATCH)_LEVEL$|^INVALID_HANDLE_VALUE$|^(TRUE|FALSE)$/;
const GUID_LITERAL = /^\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}$/;

export const isGuidLiteral = (s: string) => GUID_LITERAL.test(s);
export const isGuidName = (s: string) => s.startsWith('GUID_') || GUID_LITERAL.test(s);

/** Is this string a Windows constant (as opposed to a variable name)? */
export const isConstant = (s: string) => CONSTANT_PREFIX.test(s) || GUID_LITERAL.test(s);

/** FNV-1a: a stable 32-bit hash for generated ids. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The GUID text of a class name: known, literal, or derived stably from an unknown `GUID_…` name. */
export function guidOf(name: string): string {
  const known = KNOWN_GUIDS[name];
  if (known) return known;
  if (GUID_LITERAL.test(name)) return name.toLowerCase();
  const h = (n: number) => fnv1a(name + n).toString(16).padStart(8, '0');
  const a = h(1), b = h(2), c = h(3), d = h(4);
  return `{${a}-${b.slice(0, 4)}-${b.slice(4)}-${c.slice(0, 4)}-${c.slice(4)}${d}}`;
}

/** NT_SUCCESS for status names: success and informational statuses. */
export function ntSuccess(v: unknown): boolean {
  if (typeof v === 'number') return v >= 0;
  return v === 'STATUS_SUCCESS' || v === 'STATUS_PENDING' || v === 'ERROR_SUCCESS' || v === 'CR_SUCCESS';
}

/** GUID_DEVICE_PROCESSOR or GUID_DEVICE_MEMORY, by name or by value: the partition's own interfaces (IO-10). */
export const isPartitionClass = (cls: unknown): boolean =>
  cls === 'GUID_DEVICE_PROCESSOR' || cls === 'GUID_DEVICE_MEMORY' || cls === KNOWN_GUIDS.GUID_DEVICE_PROCESSOR || cls === KNOWN_GUIDS.GUID_DEVICE_MEMORY;

export const CM_NOTIFY_FILTER_SIZE = 416; // sizeof(CM_NOTIFY_FILTER) on 64-bit Windows
