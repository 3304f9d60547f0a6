// Thread names, built and parsed here only (docs/trace-format.md "Threads"):
// `sys:<driver>`, `worker:<n>`, `app:<id>:main`, `app:<id>:notify`, `app:<id>:pool:<n>`, and the
// system threads `pnp`, `hotplug`, `shell`, `system`.

/** The threads the system itself runs (the PnP manager's worker, the hot-plug path, the shell, boot). */
export const SYSTEM_THREADS = ['shell', 'system', 'pnp', 'hotplug'] as const;
export type SystemThread = (typeof SYSTEM_THREADS)[number];

export type ThreadName =
  | { kind: 'system'; name: SystemThread }
  | { kind: 'driver'; driver: string }
  | { kind: 'worker'; n: number }
  | { kind: 'app'; app: string; role: 'main' | 'notify' }
  | { kind: 'appPool'; app: string; n: number }
  /** A name none of the forms above produce (kept as is). */
  | { kind: 'other'; name: string };

export const driverThread = (driver: string): string => `sys:${driver}`;
export const workerThread = (n: number): string => `worker:${n}`;
export const appMainThread = (app: string): string => `app:${app}:main`;
export const appNotifyThread = (app: string): string => `app:${app}:notify`;
export const appPoolThread = (app: string, n: number): string => `app:${app}:pool:${n}`;

const isSystem = (name: string): name is SystemThread => (SYSTEM_THREADS as readonly string[]).includes(name);

/** The parts of a thread name; component ids contain no `:` (the scenario grammar's identifiers). */
export function parseThread(name: string): ThreadName {
  if (isSystem(name)) return { kind: 'system', name };
  const parts = name.split(':');
  if (parts[0] === 'sys' && parts.length === 2 && parts[1] !== '') return { kind: 'driver', driver: parts[1] };
  if (parts[0] === 'worker' && parts.length === 2 && /^\d+$/.test(parts[1])) return { kind: 'worker', n: Number(parts[1]) };
  if (parts[0] === 'app' && parts[1] !== undefined && parts[1] !== '') {
    if (parts.length === 3 && (parts[2] === 'main' || parts[2] === 'notify')) return { kind: 'app', app: parts[1], role: parts[2] };
    if (parts.length === 4 && parts[2] === 'pool' && /^\d+$/.test(parts[3])) return { kind: 'appPool', app: parts[1], n: Number(parts[3]) };
  }
  return { kind: 'other', name };
}

/** The component whose code the thread is dedicated to, if any (a driver's or an app's own threads). */
export function threadOwner(t: ThreadName): string | undefined {
  switch (t.kind) {
    case 'driver':
      return t.driver;
    case 'app':
    case 'appPool':
      return t.app;
    case 'system':
    case 'worker':
    case 'other':
      return undefined;
    default:
      return unreachable(t);
  }
}

export function unreachable(x: never): never {
  throw new Error(`unexpected ${JSON.stringify(x)}`);
}

/** Threads that deliver notification callbacks: the PnP manager's, the hot-plug path, an app's notify thread. */
export function deliversCallbacks(name: string): boolean {
  const t = parseThread(name);
  switch (t.kind) {
    case 'system':
      return t.name === 'pnp' || t.name === 'hotplug';
    case 'app':
      return t.role === 'notify';
    case 'driver':
    case 'worker':
    case 'appPool':
    case 'other':
      return false;
    default:
      return unreachable(t);
  }
}
