// Conformance: processors and memory modules are PnP devices to user mode too (docs/architecture.md
// §1.1; KE-9, IO-10), a device's interfaces listed by instance id (CM-2, pDeviceID), and what the
// KE-5 warning says when a driver goes away with a processor-change registration left (KE-5, IO-6).
import { describe, expect, it } from 'vitest';
import { run } from '../testing.ts';
import type { ComponentSpec, Op } from '../../scenario/types.ts';
import { hotAdd, hotAddMemory, keRegister, load, scenario, seed000Driver, seed001Driver, sync, unload } from './fixtures.ts';

const instances = (flags: unknown): Op => ({
  call: 'CM_Register_Notification',
  pFilter: { FilterType: 'CM_NOTIFY_FILTER_TYPE_DEVICEINSTANCE', ...(typeof flags === 'string' && flags.includes('\\') ? { InstanceId: flags } : { Flags: flags }) },
  pContext: null, pCallback: 'OnInstance', pNotifyContext: 'hNotify', result: 'cr',
});
const monitor = (filter: unknown) => ({ routines: { main: [instances(filter)], OnInstance: [] } });
const start = (app: string) => ({ do: 'start' as const, app });

describe('KE-9 IO-10 processors and memory modules are devices to user mode', () => {
  it('KE-9 IO-10 ALL_DEVICE_INSTANCES sees a hot-added processor (after its Complete pass, before its interface arrival) and a memory module start', () => {
    const r = run(scenario({
      machine: { processors: 1, maxProcessors: 4 },
      drivers: { both: seed000Driver({ addExisting: false, extraEntry: [], extraRoutines: {} }), asyncdrv: seed001Driver() },
      apps: { monitor: monitor(['CM_NOTIFY_FILTER_FLAG_ALL_DEVICE_INSTANCES']) },
      timeline: [load('both'), load('asyncdrv'), start('monitor'), hotAdd(), hotAddMemory('mem1', 2048)],
    }));
    const seen = r.of('invoke').filter((e) => e.registration).map((e) => (e.args.InstanceId ? `${e.component}:${String(e.args.Action).replace('CM_NOTIFY_ACTION_', '')}(${String(e.args.InstanceId)})` : r.label(e)));
    expect(seen).toEqual([
      sync('both', 'Start', 1), sync('both', 'Complete', 1),
      'monitor:DEVICEINSTANCEENUMERATED(ACPI\\ACPI0007\\1)', 'monitor:DEVICEINSTANCESTARTED(ACPI\\ACPI0007\\1)',
      'asyncdrv!AsyncProcessorCallback:ARRIVAL(processor1)',
      'monitor:DEVICEINSTANCEENUMERATED(ACPI\\PNP0C80\\mem1)', 'monitor:DEVICEINSTANCESTARTED(ACPI\\PNP0C80\\mem1)',
      'asyncdrv!AsyncMemoryCallback:ARRIVAL(mem1)',
    ]);
    expect(r.of('invoke').filter((e) => e.args.InstanceId).map((e) => e.thread)).toEqual(Array(4).fill('app:monitor:notify'));
    expect(r.labels('queue')).toEqual(['queue DeviceArrival(processor1)', 'queue ARRIVAL(processor1)', 'queue DeviceArrival(mem1)', 'queue ARRIVAL(mem1)']);
    expect(r.hazards()).toEqual([]);
  });

  it('KE-9 a filter naming one processor\'s instance id sees that processor only; a vetoed add starts no device', () => {
    const r = run(scenario({
      machine: { processors: 1, maxProcessors: 4 },
      drivers: {
        v: seed000Driver({
          addExisting: false,
          // Veto the first attempt to add processor 2 only.
          start: [{ op: 'if', cond: { eq: ['$NtNumber', 2] }, then: [{ op: 'if', cond: { not: { eq: ['Vetoed', true] } }, then: [
            { op: 'set', var: 'Vetoed', value: true }, { op: 'set', var: '*OperationStatus', value: 'STATUS_INSUFFICIENT_RESOURCES' },
          ] }] }],
        }),
      },
      apps: { monitor: monitor('ACPI\\ACPI0007\\2') },
      timeline: [load('v'), start('monitor'), hotAdd(), hotAdd(), hotAdd()],
    }));
    // processor 1 added, the add of processor 2 vetoed, then processor 2 again (NtNumber 2) added.
    const seen = r.of('invoke').filter((e) => e.args.InstanceId).map((e) => `${String(e.args.Action).replace('CM_NOTIFY_ACTION_', '')}(${String(e.args.InstanceId)})`);
    expect(r.states('processor:2')).toEqual(['not-present>starting', 'starting>failed', 'not-present>starting', 'starting>active']);
    expect(seen).toEqual(['DEVICEINSTANCEENUMERATED(ACPI\\ACPI0007\\2)', 'DEVICEINSTANCESTARTED(ACPI\\ACPI0007\\2)']);
    expect(r.labels('queue')).toEqual([
      'queue DeviceArrival(processor1)', 'queue ARRIVAL(processor1)',
      // the vetoed add queues nothing (KE-9)
      'queue DeviceArrival(processor2)', 'queue ARRIVAL(processor2)',
    ]);
  });
});

describe('CM-2 CM_Get_Device_Interface_List and _Size honour pDeviceID', () => {
  const lister = (pDeviceID: unknown, cls = 'GUID_DEVICE_PROCESSOR'): ComponentSpec => ({
    routines: {
      main: [
        { call: 'CM_Get_Device_Interface_List_Size' as const, InterfaceClassGuid: cls, pDeviceID, ulFlags: 'CM_GET_DEVICE_INTERFACE_LIST_PRESENT', pulLen: 'Len', result: 'cr' },
        { call: 'CM_Get_Device_Interface_List' as const, InterfaceClassGuid: cls, pDeviceID, ulFlags: 'CM_GET_DEVICE_INTERFACE_LIST_PRESENT', Buffer: 'Links', result: 'cr' },
      ],
    },
  });
  const listed = (pDeviceID: unknown, cls?: string) => {
    const r = run(scenario({ machine: { processors: 3, memory: [{ id: 'mem0', sizeMiB: 1024 }] }, apps: { a: lister(pDeviceID, cls) }, timeline: [start('a')] }));
    return r.of('return').map((e) => [e.api.replace('CM_Get_Device_Interface_', ''), e.result, e.out?.pulLen ?? (e.out?.Buffer as string[]).map((l) => l.split('#')[2])]);
  };

  it('CM-2 a device instance id lists only that device\'s interfaces of the class', () => {
    expect(listed('ACPI\\ACPI0007\\1')).toEqual([['List_Size', 'CR_SUCCESS', 1], ['List', 'CR_SUCCESS', ['1']]]);
    // Instance ids compare case-insensitively.
    expect(listed('acpi\\acpi0007\\2')).toEqual([['List_Size', 'CR_SUCCESS', 1], ['List', 'CR_SUCCESS', ['2']]]);
    // The device exists but has no interface of that class.
    expect(listed('ACPI\\PNP0C80\\mem0')).toEqual([['List_Size', 'CR_SUCCESS', 0], ['List', 'CR_SUCCESS', []]]);
    expect(listed('ACPI\\PNP0C80\\mem0', 'GUID_DEVICE_MEMORY')).toEqual([['List_Size', 'CR_SUCCESS', 1], ['List', 'CR_SUCCESS', ['mem0']]]);
  });

  it('CM-2 NULL or an empty pDeviceID lists the whole class; an unknown instance id is CR_NO_SUCH_DEVNODE', () => {
    expect(listed(null)).toEqual([['List_Size', 'CR_SUCCESS', 3], ['List', 'CR_SUCCESS', ['0', '1', '2']]]);
    expect(listed('ROOT\\NOPE\\0000')).toEqual([['List_Size', 'CR_NO_SUCH_DEVNODE', 0], ['List', 'CR_NO_SUCH_DEVNODE', []]]);
  });
});

describe('KE-5 the warning says what happens to a processor-change registration left behind', () => {
  it('KE-5 IO-6 DriverEntry fails leaving both kinds: the io registration keeps the image, and the message says the next hot-add still runs the callback', () => {
    const r = run(scenario({
      machine: { processors: 1, maxProcessors: 4 },
      drivers: {
        drv: seed000Driver({
          addExisting: false,
          extraEntry: [
            { call: 'IoRegisterPlugPlayNotification', EventCategory: 'EventCategoryDeviceInterfaceChange', EventCategoryFlags: [], EventCategoryData: 'GUID_DEVICE_MEMORY', CallbackRoutine: 'OnMemory', Context: null, NotificationEntry: 'E', result: 'S' },
            { op: 'return', value: 'STATUS_UNSUCCESSFUL' },
          ],
          extraRoutines: { OnMemory: [] },
        }),
      },
      timeline: [load('drv'), hotAdd()],
    }));
    const [ke5, io6] = r.of('hazard');
    expect([ke5.rule, io6.rule]).toEqual(['KE-5', 'IO-6']);
    expect(ke5.message).toBe('DriverEntry failed with STATUS_UNSUCCESSFUL, but ke:1 is still registered with KeRegisterProcessorChangeCallback: for now io:1 keeps the image loaded (IO-6), so the next processor hot-add still runs drv\'s callback; once the image is released, the next hot-add calls into unloaded code (bug check 0xCE).');
    expect(r.states('driver:drv')).toEqual(['not-loaded>loaded', 'loaded>unload-blocked']);
    // And so it does: the callback runs, no bug check.
    expect(r.callbacks()).toEqual([sync('drv', 'Start', 1), sync('drv', 'Complete', 1)]);
    expect(r.halt).toBe('quiescent');
  });

  it('KE-5 Unload leaving only the processor-change registration: the image goes, and the message says the next hot-add calls into unloaded code', () => {
    const r = run(scenario({
      machine: { processors: 1, maxProcessors: 4 },
      drivers: { drv: { routines: { DriverEntry: [keRegister('Cb', null, false)], Unload: [], Cb: [] } } },
      timeline: [load('drv'), unload('drv'), hotAdd()],
    }));
    expect(r.of('hazard')[0].message).toBe('drv\'s Unload returned, but ke:1 is still registered with KeRegisterProcessorChangeCallback: nothing keeps drv\'s image (KeRegisterProcessorChangeCallback takes no reference on the DriverObject), so the next processor hot-add calls into unloaded code (bug check 0xCE).');
    expect(r.hazards()).toEqual([{ rule: 'KE-5', severity: 'warning' }, { rule: 'KE-5', severity: 'bugcheck', bugcheck: '0xCE' }]);
  });
});
