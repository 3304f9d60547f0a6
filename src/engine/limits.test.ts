// Reliability of one run (DL-3 and scenario data as keys): every run ends, says which limit ended
// it, and a name from Object.prototype is just a name.
import { describe, expect, it } from 'vitest';
import { loadText } from '../scenario/load.ts';
import { DEFAULT_LIMITS, runScenario, type RunOptions, type TraceEntry } from './index.ts';

function run(scenario: unknown, options: RunOptions = {}): TraceEntry[] {
  const loaded = loadText(JSON.stringify(scenario));
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  const r = runScenario(loaded.scenario, options);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.trace;
}

const driver = (routines: Record<string, unknown>, globals: Record<string, unknown> = {}) => ({
  format: 'pnp-scenario/1',
  drivers: { d: { globals, routines } },
  timeline: [{ do: 'load', driver: 'd' }],
});
const app = (routines: Record<string, unknown>, globals: Record<string, unknown> = {}) => ({
  format: 'pnp-scenario/1',
  apps: { a: { globals, routines } },
  timeline: [{ do: 'start', app: 'a' }],
});

/** A work item that queues itself again: a new thread each time, forever. */
const resubmittingWorkItem = driver({
  DriverEntry: [{ call: 'IoQueueWorkItem', WorkerRoutine: 'W' }],
  W: [{ call: 'IoQueueWorkItem', WorkerRoutine: 'W' }],
});
/** Each work item queues the next and waits for it: every thread stays blocked. */
const waitingChain = driver({
  DriverEntry: [{ call: 'IoQueueWorkItem', WorkerRoutine: 'W' }],
  W: [{ call: 'IoQueueWorkItem', WorkerRoutine: 'W', result: 'x' }, { call: 'KeWaitForSingleObject', Object: 'x' }],
});
const resubmittingThreadpoolWork = app({
  main: [{ call: 'SubmitThreadpoolWork', Callback: 'W' }],
  W: [{ call: 'SubmitThreadpoolWork', Callback: 'W' }],
});
/** Two INCLUDE_EXISTING replays nested over many processors, with an empty callback at the bottom. */
const includeExisting = (routine: string) => ({
  call: 'IoRegisterPlugPlayNotification', EventCategory: 'EventCategoryDeviceInterfaceChange',
  EventCategoryFlags: ['PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES'], EventCategoryData: 'GUID_DEVICE_PROCESSOR',
  CallbackRoutine: routine, NotificationEntry: 'e',
});
const emptyCallbacks = (processors: number) => ({
  ...driver({ DriverEntry: [includeExisting('A')], A: [includeExisting('B')], B: [] }),
  machine: { processors, maxProcessors: processors },
});

function expectLimit(trace: TraceEntry[], limit: string, words: string) {
  const halts = trace.filter((e) => e.type === 'halt');
  expect(halts).toHaveLength(1);
  expect(trace.at(-1)).toMatchObject({ type: 'halt', reason: 'budget', limit });
  const hazard = trace.at(-2);
  expect(hazard).toMatchObject({ type: 'hazard', rule: 'DL-3', severity: 'error' });
  expect((hazard as { message: string }).message).toContain(words);
}

describe('DL-3 the limits of a run bound everything it can do', () => {
  it('threads created: a self-resubmitting work item stops at maxThreads', () => {
    const trace = run(resubmittingWorkItem, { maxThreads: 200 });
    expectLimit(trace, 'threads', 'limit of 200 threads created');
    expect(trace.filter((e) => e.type === 'state' && e.entity.startsWith('thread:worker:') && e.from === 'idle')).toHaveLength(199);
  });

  it('threads created: self-resubmitting threadpool work stops the same way', () => {
    expectLimit(run(resubmittingThreadpoolWork, { maxThreads: 100 }), 'threads', 'limit of 100 threads created');
  });

  it('trace entries: empty callbacks cost budget, and a long replay stops at maxEntries with the halt last', () => {
    const trace = run(emptyCallbacks(64), { maxEntries: 5_000 });
    expect(trace).toHaveLength(5_000);
    expectLimit(trace, 'entries', 'limit of 5,000 trace entries');
    trace.forEach((e, i) => expect(e.seq).toBe(i));
  });

  it('ops: an invoked routine costs one op even when it is empty', () => {
    const trace = run(emptyCallbacks(64), { maxOps: 300 });
    expectLimit(trace, 'ops', 'budget of 300 ops');
  });

  it('wake-ups: bounded too', () => {
    const trace = run(waitingChain, { maxWakeups: 0, maxThreads: 50 });
    // Nothing here wakes before the thread limit ends the run; a scenario whose waits end does.
    expectLimit(trace, 'threads', 'threads created');
    const waking = driver({
      DriverEntry: [{ call: 'IoQueueWorkItem', WorkerRoutine: 'W', result: 'x' }, { call: 'KeWaitForSingleObject', Object: 'x' }],
      W: [],
    });
    expect(run(waking).at(-1)).toMatchObject({ type: 'halt', reason: 'quiescent' });
    expectLimit(run(waking, { maxWakeups: 0 }), 'wakeups', 'limit of 0 wake-ups');
  });

  it('a waiting chain as long as the thread limit: every thread blocked, the run still ends', () => {
    const trace = run(waitingChain, { maxThreads: 2_000 });
    expectLimit(trace, 'threads', 'limit of 2,000 threads created');
  });

  it('the defaults keep every run under 1,000,000 entries', () => {
    expect(DEFAULT_LIMITS.maxEntries).toBeLessThan(1_000_000);
    expect(DEFAULT_LIMITS.maxOps).toBe(1_000_000);
  });

  it('normal runs are untouched: a limit never reached adds nothing', () => {
    const trace = run(driver({ DriverEntry: [{ call: 'IoQueueWorkItem', WorkerRoutine: 'W' }], W: [] }));
    expect(trace.at(-1)).toEqual({ seq: trace.length - 1, step: 1, thread: 'system', type: 'halt', reason: 'quiescent' });
  });
});

describe('names from Object.prototype are just names in a run', () => {
  const NAMES = Object.getOwnPropertyNames(Object.prototype);

  it.each(NAMES)('a variable holding %s passed as a handle, a buffer or a work item', (name) => {
    const k = run(driver({
      DriverEntry: [
        { call: 'KeWaitForSingleObject', Object: 'x' },
        { call: 'ExFreePool', P: 'x' },
        { call: 'IoUnregisterPlugPlayNotification', NotificationEntry: 'x' },
        { call: 'KeDeregisterProcessorChangeCallback', CallbackHandle: 'x' },
        { call: 'ObDereferenceObject', Object: 'x' },
        { call: 'IoGetDeviceObjectPointer', ObjectName: 'x', FileObject: 'f', DeviceObject: 'o' },
      ],
    }, { x: name }));
    expect(k.at(-1)).toMatchObject({ type: 'halt' });
    const u = run(app({
      main: [
        { call: 'WaitForThreadpoolWorkCallbacks', pwk: 'x' },
        { call: 'HeapFree', lpMem: 'x' },
        { call: 'CloseHandle', hObject: 'x' },
        { call: 'CM_Unregister_Notification', NotifyContext: 'x' },
        { call: 'CreateFile', lpFileName: 'x' },
      ],
    }, { x: name }));
    expect(u.at(-1)).toMatchObject({ type: 'halt' });
    // Nothing leaked onto the shared prototype.
    expect(Object.prototype).not.toHaveProperty('freed');
    expect(Object.prototype).not.toHaveProperty('done');
  });

  it.each(NAMES.filter((n) => /^[A-Za-z_]\w*$/.test(n)))('%s as a driver, routine, variable and device id', (name) => {
    const s = {
      format: 'pnp-scenario/1',
      machine: { devices: [{ id: name, stack: [name], interfaces: ['GUID_DEVINTERFACE_TOASTER'] }] },
      drivers: { [name]: { globals: { [name]: 'STATUS_SUCCESS' }, routines: { DriverEntry: [{ op: 'set', var: name, value: name }], [name]: [] } } },
      timeline: [{ do: 'load', driver: name }, { do: 'run', component: name, routine: name }, { do: 'plug', device: name }],
    };
    const first = run(s);
    expect(first.at(-1)).toMatchObject({ type: 'halt' });
    expect(run(s)).toEqual(first);
  });
});
