// Words and abbreviations the page shows, in a learner's words (the Glossary dialog, and the
// tooltips of the abbreviations on the graph).
export interface Term {
  term: string;
  /** What it stands for, when it is an abbreviation. */
  expansion?: string;
  meaning: string;
}

export const GLOSSARY: readonly Term[] = [
  { term: 'PDO', expansion: 'Physical device object', meaning: 'The device object the bus driver creates when it finds (enumerates) a device: the bottom of the device stack.' },
  { term: 'FDO', expansion: 'Functional device object', meaning: 'The device object of the function driver, the driver that runs the device; it sits above the PDO.' },
  { term: 'Filter DO', expansion: 'Filter device object', meaning: 'A device object of a filter driver, layered above or below the FDO to watch or change requests.' },
  { term: 'NtNumber', meaning: 'The number Windows gives a processor, counted from 0 across all processor groups (what KeProcessorAddStartNotify reports).' },
  { term: 'g0/1', expansion: 'group / number', meaning: 'A processor’s group and its number inside the group (PROCESSOR_NUMBER): g0/1 is group 0, processor 1. A group holds up to 64 processors.' },
  { term: 'Step k', meaning: 'The k-th entry of the trace, counted from 1. The stepper, the Trace panel (#k) and the Explanation use the same number.' },
  { term: 's0, s2', expansion: 'timeline step', meaning: 'Which gesture of the timeline an entry belongs to: s0 is boot, s2 the second timeline action.' },
  { term: 'ke:1, io:1, cm:2', expansion: 'registration ids', meaning: 'Registrations, numbered in order: ke from KeRegisterProcessorChangeCallback, io from IoRegisterPlugPlayNotification, cm from CM_Register_Notification.' },
  { term: 'app:monitor:1, pool:1', expansion: 'handle and buffer ids', meaning: 'A handle the app monitor opened (its first), and a pool buffer a driver allocated (ExAllocatePool2).' },
  { term: 'pnp, hotplug, sys:<driver>, app:<app>:notify', expansion: 'threads', meaning: 'Simulated threads: the PnP manager’s worker, the hot-plug path, a driver’s own system thread, an app’s notification thread.' },
  { term: 'IRQL', expansion: 'Interrupt request level', meaning: 'The priority a processor runs at. PASSIVE_LEVEL allows waiting and paged memory; at DISPATCH_LEVEL neither is allowed.' },
  { term: 'IRP', expansion: 'I/O request packet', meaning: 'A request sent down a device stack; PnP sends IRP_MN_… minor codes (start, query remove, remove, surprise removal).' },
  { term: 'ROOT\\DEVICE\\0000', expansion: 'device instance id', meaning: 'The name of a device instance: its enumerator (the bus), the device, and an instance number.' },
  { term: 'callback', meaning: 'A routine a driver or app registered, that the system calls to deliver a notification.' },
];

/** The tooltip for an abbreviation the graph shows ("FDO: Functional device object — …"). */
export function explain(term: string): string | undefined {
  const t = GLOSSARY.find((g) => g.term === term);
  return t ? `${t.term}${t.expansion ? `: ${t.expansion}` : ''} — ${t.meaning}` : undefined;
}
