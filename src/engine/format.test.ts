import { describe, expect, it } from 'vitest';
import { formatAction, formatBody, formatEntry, formatValue } from './format.ts';
import type { TraceBody, TraceEntry } from './trace.ts';

const at = (body: TraceBody, thread = 'hotplug', seq = 7, step = 1): TraceEntry => ({ seq, step, thread, ...body });

describe('formatEntry', () => {
  it('prefixes every line with seq, step and thread', () => {
    expect(formatEntry(at({ type: 'halt', reason: 'quiescent' }, 'pnp', 42, 3))).toBe('#42 s3 [pnp] ■ halt: quiescent');
  });

  it('action: the timeline gesture', () => {
    expect(formatBody(at({ type: 'action', action: { do: 'load', driver: 'sampledrv' }, index: 0 }, 'user'))).toBe(
      '▶ load sampledrv',
    );
    expect(formatBody(at({ type: 'action', action: { do: 'hotAddProcessor', concurrent: true }, index: 1 }))).toBe(
      '▶ hotAddProcessor (concurrent)',
    );
  });

  it('call: the API with its documented parameter names; flags as C writes them', () => {
    const e = at(
      {
        type: 'call',
        component: 'sampledrv',
        api: 'KeRegisterProcessorChangeCallback',
        args: {
          CallbackFunction: 'SyncProcessorCallback',
          CallbackContext: 'STATUS_SUCCESS',
          Flags: ['KE_PROCESSOR_CHANGE_ADD_EXISTING'],
        },
      },
      'sys:sampledrv',
    );
    expect(formatEntry(e)).toBe(
      '#7 s1 [sys:sampledrv] → KeRegisterProcessorChangeCallback(CallbackFunction=SyncProcessorCallback, ' +
        'CallbackContext=STATUS_SUCCESS, Flags=KE_PROCESSOR_CHANGE_ADD_EXISTING)',
    );
  });

  it('call: names the component when the thread does not, and shows a raised IRQL', () => {
    const e = at({
      type: 'call',
      component: 'sampledrv',
      api: 'ExAllocatePool2',
      args: { Flags: ['POOL_FLAG_NON_PAGED', 'POOL_FLAG_UNINITIALIZED'], NumberOfBytes: 64, Tag: 'Ctx0' },
      irql: 'DISPATCH_LEVEL',
    });
    expect(formatBody(e)).toBe(
      'sampledrv → ExAllocatePool2(Flags=POOL_FLAG_NON_PAGED | POOL_FLAG_UNINITIALIZED, NumberOfBytes=64, Tag=Ctx0) @DISPATCH_LEVEL',
    );
    expect(formatBody(at({ type: 'call', component: 'm', api: 'HeapFree', args: { Flags: [] }, irql: 'PASSIVE_LEVEL' }))).toBe(
      'm → HeapFree(Flags=0)',
    );
  });

  it('return: result and out-parameters', () => {
    expect(
      formatBody(
        at({ type: 'return', component: 'sampledrv', api: 'KeRegisterProcessorChangeCallback', result: 'ke:1' }, 'sys:sampledrv'),
      ),
    ).toBe('← KeRegisterProcessorChangeCallback = ke:1');
    expect(
      formatBody(
        at(
          {
            type: 'return',
            component: 'monitor',
            api: 'CM_Register_Notification',
            result: 'CR_SUCCESS',
            out: { pNotifyContext: 'handle:app:monitor:1' },
          },
          'app:monitor:main',
        ),
      ),
    ).toBe('← CM_Register_Notification = CR_SUCCESS (pNotifyContext=handle:app:monitor:1)');
    expect(
      formatBody(at({ type: 'return', component: 'sampledrv', api: 'KeRegisterProcessorChangeCallback', result: null }, 'sys:sampledrv')),
    ).toBe('← KeRegisterProcessorChangeCallback = NULL');
    expect(
      formatBody(at({ type: 'return', component: 'sampledrv', api: 'KeDeregisterProcessorChangeCallback', result: null }, 'sys:sampledrv')),
    ).toBe('← KeDeregisterProcessorChangeCallback');
  });

  it('invoke: component!routine(args) ← registration, ProcNumber as Group/Number', () => {
    const e = at({
      type: 'invoke',
      component: 'sampledrv',
      routine: 'SyncProcessorCallback',
      registration: 'ke:1',
      args: {
        State: 'KeProcessorAddStartNotify',
        NtNumber: 2,
        ProcNumber: { Group: 0, Number: 2 },
        Status: 'STATUS_SUCCESS',
      },
    });
    expect(formatEntry(e)).toBe(
      '#7 s1 [hotplug] sampledrv!SyncProcessorCallback(State=KeProcessorAddStartNotify, NtNumber=2, ProcNumber=0/2, ' +
        'Status=STATUS_SUCCESS) ← ke:1',
    );
    expect(formatBody(at({ type: 'invoke', component: 'sampledrv', routine: 'DriverEntry', args: {} }, 'sys:sampledrv'))).toBe(
      'sampledrv!DriverEntry()',
    );
  });

  it('complete: the routine returned (with its result when it has one)', () => {
    expect(formatBody(at({ type: 'complete', component: 'sampledrv', routine: 'DriverEntry', result: 'STATUS_SUCCESS' }))).toBe(
      'sampledrv!DriverEntry returned STATUS_SUCCESS',
    );
    expect(formatBody(at({ type: 'complete', component: 'sampledrv', routine: 'SyncProcessorCallback', result: null }))).toBe(
      'sampledrv!SyncProcessorCallback returned',
    );
  });

  it('irp and irpComplete', () => {
    expect(formatBody(at({ type: 'irp', minor: 'IRP_MN_QUERY_REMOVE_DEVICE', device: 'toaster0', driver: 'toaster' }, 'pnp'))).toBe(
      'IRP_MN_QUERY_REMOVE_DEVICE → toaster0 (toaster)',
    );
    expect(
      formatBody(
        at(
          { type: 'irpComplete', minor: 'IRP_MN_QUERY_REMOVE_DEVICE', device: 'toaster0', driver: 'toaster', status: 'STATUS_SUCCESS' },
          'pnp',
        ),
      ),
    ).toBe('IRP_MN_QUERY_REMOVE_DEVICE ← toaster0 (toaster) = STATUS_SUCCESS');
  });

  it('queue: the PnP event', () => {
    expect(formatBody(at({ type: 'queue', event: 'GUID_DEVICE_INTERFACE_ARRIVAL', device: 'processor2' }))).toBe(
      'queued GUID_DEVICE_INTERFACE_ARRIVAL for processor2',
    );
    expect(
      formatBody(at({ type: 'queue', event: 'GUID_DEVICE_INTERFACE_ARRIVAL', device: 'processor2', interface: 'GUID_DEVICE_PROCESSOR' })),
    ).toBe('queued GUID_DEVICE_INTERFACE_ARRIVAL for processor2, interface GUID_DEVICE_PROCESSOR');
  });

  it('state: entity from → to', () => {
    expect(formatBody(at({ type: 'state', entity: 'processor:2', from: 'starting', to: 'active' }))).toBe('processor:2 starting → active');
    expect(formatBody(at({ type: 'state', entity: 'thread:sys:sampledrv', from: 'runnable', to: 'blocked', on: 'hotplug' }))).toBe(
      'thread:sys:sampledrv runnable → blocked (waits for hotplug)',
    );
  });

  it('hazard: rule, severity, bug check code and wait-for cycle', () => {
    expect(
      formatBody(
        at({
          type: 'hazard',
          rule: 'UN-3',
          severity: 'deadlock',
          message: 'IoUnregisterPlugPlayNotificationEx called from its own callback',
          cycle: [{ thread: 'pnp', waitsFor: 'pnp', reason: 'in-flight callback of io:1' }],
        }),
      ),
    ).toBe(
      '⚠ UN-3 deadlock: IoUnregisterPlugPlayNotificationEx called from its own callback — cycle: pnp waits for pnp (in-flight callback of io:1)',
    );
    expect(
      formatBody(at({ type: 'hazard', rule: 'KE-5', severity: 'bugcheck', bugcheck: '0xCE', message: 'callback into unloaded driver' })),
    ).toBe('⚠ KE-5 bugcheck [bug check 0xCE]: callback into unloaded driver');
  });

  it('note: narration, with the component when known', () => {
    expect(formatBody(at({ type: 'note', text: 'allocate per-processor data', component: 'sampledrv' }))).toBe(
      '✎ sampledrv: allocate per-processor data',
    );
    expect(formatBody(at({ type: 'note', text: 'hello' }))).toBe('✎ hello');
  });

  it('halt: the reason', () => {
    expect(formatBody(at({ type: 'halt', reason: 'deadlock' }))).toBe('■ halt: deadlock');
  });

  it('never throws on an entry type it does not know', () => {
    expect(formatBody({ seq: 1, step: 0, thread: 'pnp', type: 'future' } as unknown as TraceEntry)).toBe('(future)');
  });
});

describe('formatValue / formatAction', () => {
  it('prints NULL, quotes text with spaces, nests objects', () => {
    expect(formatValue(null)).toBe('NULL');
    expect(formatValue('hello world')).toBe('"hello world"');
    expect(formatValue('')).toBe('""');
    expect(formatValue([1, 2])).toBe('[1, 2]');
    expect(formatValue({ FilterType: 'CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE', ClassGuid: 'GUID_DEVINTERFACE_TOASTER' })).toBe(
      '{FilterType=CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE, ClassGuid=GUID_DEVINTERFACE_TOASTER}',
    );
  });

  it('says every timeline verb', () => {
    expect(formatAction({ do: 'run', component: 'monitor', routine: 'Cleanup' })).toBe('run monitor!Cleanup');
    expect(formatAction({ do: 'hotAddMemory', id: 'mem1', sizeMiB: 2048 })).toBe('hotAddMemory mem1 (2048 MiB)');
    expect(formatAction({ do: 'removeProcessor', NtNumber: 1 })).toBe('removeProcessor NtNumber=1');
    expect(formatAction({ do: 'removeMemory', id: 'mem0' })).toBe('removeMemory mem0');
    expect(formatAction({ do: 'eject', device: 'toaster0' })).toBe('eject toaster0');
    expect(formatAction({ do: 'start', app: 'monitor' })).toBe('start monitor');
  });
});
