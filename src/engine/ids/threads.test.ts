import { describe, expect, it } from 'vitest';
import { appMainThread, appNotifyThread, appPoolThread, deliversCallbacks, driverThread, parseThread, threadOwner, workerThread } from './threads.ts';

describe('thread names', () => {
  it('parse what they build', () => {
    expect(parseThread(driverThread('sampledrv'))).toEqual({ kind: 'driver', driver: 'sampledrv' });
    expect(parseThread(workerThread(3))).toEqual({ kind: 'worker', n: 3 });
    expect(parseThread(appMainThread('monitor'))).toEqual({ kind: 'app', app: 'monitor', role: 'main' });
    expect(parseThread(appNotifyThread('monitor'))).toEqual({ kind: 'app', app: 'monitor', role: 'notify' });
    expect(parseThread(appPoolThread('monitor', 2))).toEqual({ kind: 'appPool', app: 'monitor', n: 2 });
    expect(parseThread('pnp')).toEqual({ kind: 'system', name: 'pnp' });
  });
  it('keep unknown forms as other', () => {
    for (const name of ['sys:', 'worker:x', 'app:monitor', 'app:monitor:pool:x', 'drv:x', '__proto__']) expect(parseThread(name)).toEqual({ kind: 'other', name });
  });
  it('name the owner and the delivering threads', () => {
    expect(threadOwner(parseThread('app:monitor:pool:1'))).toBe('monitor');
    expect(threadOwner(parseThread('worker:1'))).toBeUndefined();
    expect(['pnp', 'hotplug', 'app:m:notify', 'app:m:main', 'sys:d', 'shell'].map(deliversCallbacks)).toEqual([true, true, true, false, false, false]);
  });
});
