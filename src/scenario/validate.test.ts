import { describe, expect, it } from 'vitest';
import { load, type LoadResult } from './load.ts';
import { cmGetInterfaceList, cmRegister, interfaceFilter, TOASTER } from './builder.ts';
import { escapeSegment, pointer } from './errors.ts';

// A valid scenario that exercises every part of the format; each invalid case below edits it.
const base = () => ({
  format: 'pnp-scenario/1',
  title: 'Everything',
  machine: {
    processors: 2,
    maxProcessors: 4,
    memory: [{ id: 'mem0', sizeMiB: 1024 }],
    devices: [
      { id: 'toaster0', stack: ['busdrv', 'toaster'], interfaces: ['GUID_DEVINTERFACE_TOASTER'] },
      { id: 'toaster1', parent: 'toaster0', stack: ['toaster'], interfaces: ['{781ef630-72b2-11d2-b852-00c04fad5171}'], present: false },
    ],
  },
  drivers: {
    busdrv: { routines: { DriverEntry: [] } },
    toaster: {
      globals: { Ctx: null, Count: 0 },
      routines: {
        DriverEntry: [
          {
            call: 'IoRegisterPlugPlayNotification', EventCategory: 'EventCategoryDeviceInterfaceChange',
            EventCategoryFlags: [], EventCategoryData: 'GUID_DEVINTERFACE_TOASTER', CallbackRoutine: 'OnIface',
            Context: null, NotificationEntry: 'Entry', result: 'Status',
          },
          { call: 'ExAllocatePool2', Flags: ['POOL_FLAG_NON_PAGED'], NumberOfBytes: 64, Tag: 'Ctx0', result: 'Ctx' },
          { call: 'KeRegisterProcessorChangeCallback', CallbackFunction: 'OnProc', CallbackContext: 'Ctx', Flags: 'KE_PROCESSOR_CHANGE_ADD_EXISTING', result: 'ProcHandle' },
        ],
        OnIface: {
          switch: 'Event',
          cases: {
            GUID_DEVICE_INTERFACE_ARRIVAL: [
              { call: 'IoGetDeviceObjectPointer', ObjectName: '$SymbolicLinkName', FileObject: 'Fo', DeviceObject: 'Dev', result: 'Status' },
            ],
          },
          default: [],
        },
        OnProc: {
          switch: 'State',
          cases: { KeProcessorAddStartNotify: [{ op: 'set', var: '*OperationStatus', value: 'STATUS_SUCCESS' }] },
        },
        Report: [
          {
            call: 'IoReportTargetDeviceChangeAsynchronous', PhysicalDeviceObject: 'toaster0',
            NotificationStructure: { Event: 'GUID_TOASTER_CUSTOM', FileObject: null, NameBufferOffset: -1, CustomData: [1, 2, 3], Pool: 'NonPaged' },
            Callback: 'ReportDone', Context: 'Ctx', result: 'Status',
          },
          { call: 'KeAcquireSpinLock', SpinLock: 'Lock' },
          { call: 'KeReleaseSpinLock', SpinLock: 'Lock' },
          { call: 'IoQueueWorkItem', WorkerRoutine: 'ReportDone', Context: 'Ctx', result: 'WorkItem' },
          { call: 'KeWaitForSingleObject', Object: 'WorkItem' },
        ],
        ReportDone: [{ op: 'note', text: 'done' }, { op: 'set', var: 'Count', value: 1 }],
        Unload: [
          { call: 'IoUnregisterPlugPlayNotificationEx', NotificationEntry: 'Entry' },
          { call: 'KeDeregisterProcessorChangeCallback', CallbackHandle: 'ProcHandle' },
          { call: 'ObDereferenceObject', Object: 'Fo' },
          { call: 'ExFreePool', P: 'Ctx' },
        ],
        IRP_MN_QUERY_REMOVE_DEVICE: [{ op: 'if', cond: { ntSuccess: 'Status' }, then: [{ op: 'return', value: 'STATUS_SUCCESS' }], else: [{ op: 'return' }] }],
      },
    },
  },
  apps: {
    monitor: {
      routines: {
        main: [
          cmRegister(interfaceFilter(TOASTER), 'OnInterface', 'hIface'),
          cmGetInterfaceList(TOASTER),
          {
            op: 'forEach', in: 'Links', as: 'Link',
            do: [
              {
                op: 'if', cond: { not: { contains: ['Seen', 'Link'] } },
                then: [
                  { call: 'CreateFile', lpFileName: 'Link', result: 'hDevice' },
                  { op: 'if', cond: { eq: ['hDevice', null] }, then: [{ op: 'return', value: 'ERROR_SUCCESS' }] },
                ],
              },
            ],
          },
        ],
        OnInterface: {
          switch: 'Action',
          cases: {
            CM_NOTIFY_ACTION_DEVICEINTERFACEARRIVAL: [{ op: 'set', var: 'Seen', value: '$SymbolicLink' }],
            CM_NOTIFY_ACTION_DEVICEQUERYREMOVE: [
              { call: 'SubmitThreadpoolWork', Callback: 'Cleanup', Context: '$hNotify', result: 'Work' },
              { op: 'return', value: 'ERROR_SUCCESS' },
            ],
          },
        },
        Cleanup: [
          { call: 'CM_Unregister_Notification', NotifyContext: 'hIface' },
          { call: 'CloseHandle', hObject: 'hDevice' },
          { call: 'HeapAlloc', dwBytes: 16, result: 'Mem' },
          { call: 'HeapFree', lpMem: 'Mem' },
        ],
      },
    },
  },
  timeline: [
    { do: 'start', app: 'monitor' },
    { do: 'hotAddProcessor', concurrent: true, note: 'while the app starts' },
    { do: 'hotAddMemory', id: 'mem1', sizeMiB: 512 },
    { do: 'removeMemory', id: 'mem1' },
    { do: 'removeProcessor', NtNumber: 1 },
    { do: 'plug', device: 'toaster1' },
    { do: 'run', component: 'toaster', routine: 'Report' },
    { do: 'eject', device: 'toaster0' },
    { do: 'surpriseRemove', device: 'toaster1' },
    { do: 'run', component: 'monitor', routine: 'Cleanup' },
    { do: 'exit', app: 'monitor' },
    { do: 'unload', driver: 'toaster' },
    { do: 'load', driver: 'toaster' },
  ],
  schedule: [{ at: 3, run: 'sys:toaster' }],
});

const DELETE = Symbol('delete');
type Edit = [pointer: string, value: unknown];

/** Applies JSON-Pointer edits (set, or delete with DELETE) to a fresh copy of the base scenario. */
function edited(edits: Edit[], start: unknown = base()): unknown {
  const root = start as Record<string, unknown>;
  for (const [ptr, value] of edits) {
    const segs = ptr.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    let node = root as Record<string, unknown>;
    for (const s of segs.slice(0, -1)) node = node[s] as Record<string, unknown>;
    const last = segs[segs.length - 1];
    if (value === DELETE) {
      if (Array.isArray(node)) node.splice(Number(last), 1);
      else delete node[last];
    } else {
      Object.defineProperty(node, last, { value, enumerable: true, writable: true, configurable: true });
    }
  }
  return root;
}

function errorsOf(r: LoadResult) {
  if (r.ok) throw new Error('expected the scenario to be refused');
  return r.errors;
}

const DE = '/drivers/toaster/routines/DriverEntry';
const REPORT = '/drivers/toaster/routines/Report';
const MAIN = '/apps/monitor/routines/main';

// [name, edits, expected path, message fragment]
const INVALID: [string, Edit[], string, string][] = [
  // envelope
  ['format missing', [['/format', DELETE]], '/format', 'missing "format"; expected "pnp-scenario/1"'],
  ['format wrong', [['/format', 'pnp-scenario/one']], '/format', 'expected "format": "pnp-scenario/1"; got "pnp-scenario/one"'],
  ['format not a string', [['/format', 1]], '/format', 'got the number 1'],
  ['title not a string', [['/title', 5]], '/title', 'expected a string; got the number 5'],
  ['drivers is an array', [['/drivers', []]], '/drivers', 'expected an object mapping driver ids to drivers; got an empty array'],
  ['timeline not an array', [['/timeline', {}]], '/timeline', 'expected an array; got an object'],
  ['bad driver id', [['/drivers/bad-id', { routines: {} }]], '/drivers/bad-id', 'expected a driver id matching'],
  ['driver id escaped in the pointer', [['/drivers/a~1b~0c', {}]], '/drivers/a~1b~0c', 'expected a driver id matching'],
  ['driver and app share an id', [['/apps/toaster', {}]], '/apps/toaster', '"toaster" is already a driver id'],
  ['driver is not an object', [['/drivers/busdrv', 'x']], '/drivers/busdrv', 'expected a driver: an object with "globals" and "routines"; got "x"'],
  // machine
  ['processors 0', [['/machine/processors', 0]], '/machine/processors', 'expected an integer ≥ 1; got the number 0'],
  ['processors not an integer', [['/machine/processors', 1.5]], '/machine/processors', 'expected an integer; got the number 1.5'],
  ['processors above maxProcessors', [['/machine/processors', 8]], '/machine/processors', '8 processors at boot is more than maxProcessors (4)'],
  ['processors above the default maxProcessors', [['/machine/processors', 65], ['/machine/maxProcessors', DELETE]], '/machine/processors', 'more than maxProcessors (64, the default)'],
  ['maxProcessors above 1024', [['/machine/maxProcessors', 2000]], '/machine/maxProcessors', 'expected an integer ≤ 1024; got the number 2000'],
  ['memory size 0', [['/machine/memory/0/sizeMiB', 0]], '/machine/memory/0/sizeMiB', 'expected a number > 0; got the number 0'],
  ['memory id missing', [['/machine/memory/0/id', DELETE]], '/machine/memory/0/id', 'missing; expected a string'],
  ['duplicate memory id', [['/machine/memory/1', { id: 'mem0', sizeMiB: 1 }]], '/machine/memory/1/id', 'duplicate memory module id "mem0" (already used at /machine/memory/0)'],
  ['duplicate device id', [['/machine/devices/1/id', 'toaster0']], '/machine/devices/1/id', 'duplicate device id "toaster0"'],
  ['device id equal to a memory id', [['/machine/devices/1/id', 'mem0'], ['/machine/devices/1/parent', 'root']], '/machine/devices/1/id', '"mem0" is already the id of a memory module (/machine/memory/0)'],
  ['device id "root"', [['/machine/devices/1/id', 'root'], ['/machine/devices/1/parent', DELETE]], '/machine/devices/1/id', '"root" is reserved'],
  ['device id with a space', [['/machine/devices/0/id', 'toaster 0']], '/machine/devices/0/id', 'expected a device id matching [A-Za-z_][A-Za-z0-9_]{0,63}; got "toaster 0"'],
  ['stack names an unknown driver', [['/machine/devices/0/stack/1', 'toastr']], '/machine/devices/0/stack/1', 'unknown driver "toastr" (drivers: busdrv, toaster); did you mean "toaster"?'],
  ['stack missing', [['/machine/devices/0/stack', DELETE]], '/machine/devices/0/stack', 'missing; expected an array'],
  ['stack empty', [['/machine/devices/0/stack', []]], '/machine/devices/0/stack', 'expected at least 1 item(s)'],
  ['driver twice in a stack', [['/machine/devices/0/stack', ['toaster', 'toaster']]], '/machine/devices/0/stack/1', 'appears twice in the stack'],
  ['unknown parent', [['/machine/devices/1/parent', 'nope']], '/machine/devices/1/parent', 'unknown parent device "nope"; expected "root" or a device id (devices: toaster0, toaster1)'],
  ['own parent', [['/machine/devices/0/parent', 'toaster0']], '/machine/devices/0/parent', 'cannot be its own parent'],
  ['parent cycle', [['/machine/devices/0/parent', 'toaster1']], '/machine/devices/0/parent', 'device parents form a cycle (toaster0 → toaster1 → toaster0)'],
  ['bad interface name', [['/machine/devices/0/interfaces/0', 'TOASTER']], '/machine/devices/0/interfaces/0', 'expected an interface class: a GUID_… name'],
  ['malformed GUID literal', [['/machine/devices/0/interfaces/0', '{781ef630-72b2}']], '/machine/devices/0/interfaces/0', 'expected an interface class'],
  ['present not a boolean', [['/machine/devices/0/present', 'yes']], '/machine/devices/0/present', 'expected a boolean (true or false); got "yes"'],
  // components
  ['globals is an array', [['/drivers/toaster/globals', []]], '/drivers/toaster/globals', 'expected an object mapping variable names to initial values'],
  ['global with an object value', [['/drivers/toaster/globals/Count', { n: 1 }]], '/drivers/toaster/globals/Count', 'expected an initial value'],
  ['global named like a constant', [['/drivers/toaster/globals/STATUS_X', 0]], '/drivers/toaster/globals/STATUS_X', '"STATUS_X" is a constant name, not a variable name'],
  ['routines is a string', [['/drivers/busdrv/routines', 'x']], '/drivers/busdrv/routines', 'expected an object mapping routine names to routine bodies'],
  ['bad routine name', [['/drivers/busdrv/routines/Driver Entry', []]], '/drivers/busdrv/routines/Driver Entry', 'expected a routine name matching'],
  ['routine body is a string', [['/drivers/busdrv/routines/DriverEntry', 'return']], '/drivers/busdrv/routines/DriverEntry', 'expected a routine body: a list of ops, or a switch'],
  ['switch on an unknown argument', [['/drivers/toaster/routines/OnProc/switch', 'Stat']], '/drivers/toaster/routines/OnProc/switch', 'expected one of "State", "Event", "Action"; got "Stat"; did you mean "State"?'],
  ['switch without cases', [['/drivers/toaster/routines/OnProc/cases', DELETE]], '/drivers/toaster/routines/OnProc/cases', 'missing "cases" of a switch'],
  ['switch case not a constant', [['/drivers/toaster/routines/OnIface/cases/arrival', []]], '/drivers/toaster/routines/OnIface/cases/arrival', 'a case must be a constant value of Event'],
  ['switch default not a list', [['/drivers/toaster/routines/OnIface/default', {}]], '/drivers/toaster/routines/OnIface/default', 'expected a list of ops (an array); got an object'],
  // ops
  ['op not an object', [[`${DE}/1`, 'return']], `${DE}/1`, 'expected an op: an object with "call" (an API name) or "op"'],
  ['op with neither call nor op', [[`${DE}/1`, { value: 1 }]], `${DE}/1`, 'got an object with neither'],
  ['op with both call and op', [[`${DE}/1/op`, 'note']], `${DE}/1`, 'either "call" (an API call) or "op" (a control op), not both'],
  ['unknown op', [[`${DE}/1`, { op: 'retrun' }]], `${DE}/1/op`, 'unknown op: expected one of "return", "set", "if", "forEach", "note"; got "retrun"; did you mean "return"?'],
  ['unknown API', [[`${DE}/2/call`, 'KeRegisterProcessorChangeCallbak']], `${DE}/2/call`, 'unknown API "KeRegisterProcessorChangeCallbak"; did you mean "KeRegisterProcessorChangeCallback"?'],
  ['unknown API far from any', [[`${DE}/2/call`, 'Sleep']], `${DE}/2/call`, 'unknown API "Sleep"; expected one of KeRegisterProcessorChangeCallback'],
  ['missing required parameter', [[`${DE}/0/CallbackRoutine`, DELETE]], `${DE}/0/CallbackRoutine`, 'missing required parameter "CallbackRoutine" of IoRegisterPlugPlayNotification: expected a routine name'],
  ['misspelt parameter', [[`${DE}/0/EventCategoryDat`, 'GUID_X']], `${DE}/0/EventCategoryDat`, 'unknown parameter "EventCategoryDat" of IoRegisterPlugPlayNotification; did you mean "EventCategoryData"?'],
  ['explicit DriverObject', [[`${DE}/0/DriverObject`, null]], `${DE}/0/DriverObject`, 'the DriverObject parameter is implicit'],
  ['result of a VOID API', [['/drivers/toaster/routines/Unload/1/result', 'R']], '/drivers/toaster/routines/Unload/1/result', 'KeDeregisterProcessorChangeCallback returns nothing (VOID)'],
  ['result names a constant', [[`${DE}/1/result`, 'STATUS_SUCCESS']], `${DE}/1/result`, 'is a constant name, not a variable name'],
  ['result is an argument', [[`${DE}/1/result`, '$Context']], `${DE}/1/result`, '"$Context" is a callback argument and cannot be written'],
  ['routine parameter names an unknown routine', [[`${DE}/0/CallbackRoutine`, 'OnIfce']], `${DE}/0/CallbackRoutine`, 'unknown routine "OnIfce" in driver "toaster"'],
  ['routine parameter names another component\'s routine', [[`${DE}/0/CallbackRoutine`, 'OnInterface']], `${DE}/0/CallbackRoutine`, 'must name a routine of the same driver'],
  ['routine parameter is an inherited name', [[`${DE}/0/CallbackRoutine`, 'constructor']], `${DE}/0/CallbackRoutine`, 'unknown routine "constructor"'],
  ['device parameter names an unknown device', [[`${REPORT}/0/PhysicalDeviceObject`, 'toaster9']], `${REPORT}/0/PhysicalDeviceObject`, 'unknown device "toaster9" (devices: toaster0, toaster1)'],
  ['value reads an undeclared variable', [[`${REPORT}/0/Context`, 'Ctxx']], `${REPORT}/0/Context`, 'variable "Ctxx" is never declared or written in driver "toaster"; did you mean "Ctx"?'],
  ['variable of another component', [['/drivers/busdrv/routines/DriverEntry', [{ op: 'return', value: 'Status' }]]], '/drivers/busdrv/routines/DriverEntry/0/value', 'variable "Status" is never declared or written in driver "busdrv"'],
  ['unknown $argument', [[`${REPORT}/0/Context`, '$Foo']], `${REPORT}/0/Context`, 'unknown argument "$Foo"; expected one of $CallbackContext'],
  ['value that is not a name', [[`${REPORT}/0/Context`, 'hello world']], `${REPORT}/0/Context`, '"hello world" is not a constant, a "$Argument" or a variable name'],
  ['value that is an object', [[`${REPORT}/0/Context`, { a: 1 }]], `${REPORT}/0/Context`, 'expected a value (a constant, a "$Argument", a variable name, a number, a boolean or null); got an object'],
  ['out parameter is a constant', [[`${DE}/0/NotificationEntry`, 'STATUS_SUCCESS']], `${DE}/0/NotificationEntry`, '"STATUS_SUCCESS" is a constant name'],
  ['out parameter is null', [[`${DE}/0/NotificationEntry`, null]], `${DE}/0/NotificationEntry`, 'expected a variable name that receives the output; got null'],
  ['lock variable not a name', [[`${REPORT}/1/SpinLock`, 3]], `${REPORT}/1/SpinLock`, 'expected a variable name that identifies the lock; got the number 3'],
  ['flags not constants', [[`${DE}/1/Flags`, ['nonpaged']]], `${DE}/1/Flags/0`, 'expected a constant (e.g. KE_PROCESSOR_CHANGE_ADD_EXISTING, POOL_FLAG_NON_PAGED) or an array of constants; got "nonpaged"'],
  ['flags a number', [[`${DE}/2/Flags`, 1]], `${DE}/2/Flags`, 'or an array of constants; got the number 1'],
  ['number parameter is a string', [[`${DE}/1/NumberOfBytes`, '64']], `${DE}/1/NumberOfBytes`, 'expected a number; got "64"'],
  ['pool tag too long', [[`${DE}/1/Tag`, 'Ctx01']], `${DE}/1/Tag`, 'a pool tag has at most 4 characters; got "Ctx01"'],
  ['pool tag not a string', [[`${DE}/1/Tag`, 42]], `${DE}/1/Tag`, 'expected a pool tag (a string of up to 4 characters)'],
  ['custom data byte out of range', [[`${REPORT}/0/NotificationStructure/CustomData/1`, 256]], `${REPORT}/0/NotificationStructure/CustomData/1`, 'expected a byte value (an integer 0..255); got the number 256'],
  ['custom data an object', [[`${REPORT}/0/NotificationStructure/CustomData`, {}]], `${REPORT}/0/NotificationStructure/CustomData`, 'expected custom data: a string or an array of byte values'],
  ['notification without Event', [[`${REPORT}/0/NotificationStructure/Event`, DELETE]], `${REPORT}/0/NotificationStructure/Event`, 'missing required field "Event" of TARGET_DEVICE_CUSTOM_NOTIFICATION'],
  ['notification Pool misspelt', [[`${REPORT}/0/NotificationStructure/Pool`, 'paged']], `${REPORT}/0/NotificationStructure/Pool`, 'expected one of "Paged", "NonPaged"; got "paged"'],
  ['notification unknown field', [[`${REPORT}/0/NotificationStructure/Evnt`, 'GUID_X']], `${REPORT}/0/NotificationStructure/Evnt`, 'unknown field "Evnt" of TARGET_DEVICE_CUSTOM_NOTIFICATION; did you mean "Event"?'],
  ['notification not an object', [[`${REPORT}/0/NotificationStructure`, 'GUID_X']], `${REPORT}/0/NotificationStructure`, 'expected a TARGET_DEVICE_CUSTOM_NOTIFICATION object'],
  ['filter without FilterType', [[`${MAIN}/0/pFilter/FilterType`, DELETE]], `${MAIN}/0/pFilter/FilterType`, 'missing required field "FilterType" of CM_NOTIFY_FILTER'],
  ['filter with an unknown FilterType', [[`${MAIN}/0/pFilter/FilterType`, 'CM_NOTIFY_FILTER_TYPE_DEVICE']], `${MAIN}/0/pFilter/FilterType`, 'expected one of "CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE", "CM_NOTIFY_FILTER_TYPE_DEVICEHANDLE", "CM_NOTIFY_FILTER_TYPE_DEVICEINSTANCE"'],
  ['filter field misspelt', [[`${MAIN}/0/pFilter/ClassGUID`, 'GUID_X']], `${MAIN}/0/pFilter/ClassGUID`, 'unknown field "ClassGUID" of CM_NOTIFY_FILTER; did you mean "ClassGuid"?'],
  ['filter cbSize a string', [[`${MAIN}/0/pFilter/cbSize`, '416']], `${MAIN}/0/pFilter/cbSize`, 'expected a number; got "416"'],
  ['filter ClassGuid reads an undeclared variable', [[`${MAIN}/0/pFilter/ClassGuid`, 'Guid']], `${MAIN}/0/pFilter/ClassGuid`, 'variable "Guid" is never declared or written in app "monitor"'],
  ['kernel custom event from an app (CU-9)', [[`${MAIN}/0`, { call: 'IoReportTargetDeviceChangeAsynchronous', PhysicalDeviceObject: 'toaster0', NotificationStructure: { Event: 'GUID_X' } }]], `${MAIN}/0/call`, 'IoReportTargetDeviceChangeAsynchronous is a kernel-mode routine; apps only receive custom events (CU-9)'],
  ['other kernel routine from an app', [[`${MAIN}/0`, { call: 'ExFreePool', P: null }]], `${MAIN}/0/call`, 'ExFreePool is a kernel-mode routine; apps can call only user-mode APIs'],
  ['user API from a driver', [[`${DE}/1`, { call: 'CloseHandle', hObject: null }]], `${DE}/1/call`, 'CloseHandle is a user-mode API; drivers can call only kernel-mode routines'],
  // control ops
  ['set through another pointer', [['/drivers/toaster/routines/OnProc/cases/KeProcessorAddStartNotify/0/var', '*Status']], '/drivers/toaster/routines/OnProc/cases/KeProcessorAddStartNotify/0/var', 'only "*OperationStatus"'],
  ['set without value', [['/drivers/toaster/routines/ReportDone/1/value', DELETE]], '/drivers/toaster/routines/ReportDone/1/value', 'missing "value" of a "set" op'],
  ['set of a constant', [['/drivers/toaster/routines/ReportDone/1/var', 'STATUS_SUCCESS']], '/drivers/toaster/routines/ReportDone/1/var', 'is a constant name, not a variable name'],
  ['note without text', [['/drivers/toaster/routines/ReportDone/0/text', DELETE]], '/drivers/toaster/routines/ReportDone/0/text', 'missing "text" of a "note" op: expected a string'],
  ['note text a number', [['/drivers/toaster/routines/ReportDone/0/text', 7]], '/drivers/toaster/routines/ReportDone/0/text', 'expected a string; got the number 7'],
  ['return of an undeclared variable', [['/drivers/toaster/routines/IRP_MN_QUERY_REMOVE_DEVICE/0/else/0/value', 'Result']], '/drivers/toaster/routines/IRP_MN_QUERY_REMOVE_DEVICE/0/else/0/value', 'variable "Result" is never declared'],
  ['if without then', [['/drivers/toaster/routines/IRP_MN_QUERY_REMOVE_DEVICE/0/then', DELETE]], '/drivers/toaster/routines/IRP_MN_QUERY_REMOVE_DEVICE/0/then', 'missing "then" of a "if" op'],
  ['unknown condition', [['/drivers/toaster/routines/IRP_MN_QUERY_REMOVE_DEVICE/0/cond', { isnull: 'Status' }]], '/drivers/toaster/routines/IRP_MN_QUERY_REMOVE_DEVICE/0/cond/isnull', 'unknown condition "isnull"; expected one of "isNull", "eq", "ntSuccess", "not", "contains"; did you mean "isNull"?'],
  ['two conditions in one', [['/drivers/toaster/routines/IRP_MN_QUERY_REMOVE_DEVICE/0/cond', { isNull: 'Status', ntSuccess: 'Status' }]], '/drivers/toaster/routines/IRP_MN_QUERY_REMOVE_DEVICE/0/cond', 'a condition has exactly one operator'],
  ['eq with three values', [[`${MAIN}/2/do/0/then/1/cond/eq`, ['a', 'b', 'c']]], `${MAIN}/2/do/0/then/1/cond/eq`, 'expected two values to compare ([a, b]); got an array of 3'],
  ['contains on a non-variable', [[`${MAIN}/2/do/0/cond/not/contains/0`, 'GUID_X']], `${MAIN}/2/do/0/cond/not/contains/0`, 'expected the name of a list variable; got "GUID_X"'],
  ['nested condition reads an undeclared variable', [[`${MAIN}/2/do/0/cond/not/contains/1`, 'Lnk']], `${MAIN}/2/do/0/cond/not/contains/1`, 'variable "Lnk" is never declared or written in app "monitor"'],
  ['forEach over an undeclared variable', [[`${MAIN}/2/in`, 'Lnks']], `${MAIN}/2/in`, 'variable "Lnks" is never declared or written in app "monitor"; did you mean "Links"?'],
  ['forEach as not an identifier', [[`${MAIN}/2/as`, 'the link']], `${MAIN}/2/as`, 'expected a variable name for the current element matching'],
  ['forEach without do', [[`${MAIN}/2/do`, DELETE]], `${MAIN}/2/do`, 'missing "do" of a "forEach" op'],
  // timeline
  ['timeline action not an object', [['/timeline/0', 'start']], '/timeline/0', 'expected a timeline action'],
  ['unknown verb', [['/timeline/0/do', 'lod']], '/timeline/0/do', 'expected one of "load", "unload", "start", "run", "exit", "hotAddProcessor", "hotAddMemory", "removeProcessor", "removeMemory", "plug", "eject", "surpriseRemove"; got "lod"; did you mean "load"?'],
  ['missing verb', [['/timeline/0/do', DELETE]], '/timeline/0/do', 'missing "do"; expected one of "load"'],
  ['load of an unknown driver', [['/timeline/12/driver', 'foo']], '/timeline/12/driver', 'unknown driver "foo" (drivers: busdrv, toaster)'],
  ['load without driver', [['/timeline/12/driver', DELETE]], '/timeline/12/driver', 'missing; expected a string'],
  ['start of an unknown app', [['/timeline/0/app', 'monitr']], '/timeline/0/app', 'unknown app "monitr" (apps: monitor); did you mean "monitor"?'],
  ['exit of a driver', [['/timeline/10/app', 'toaster']], '/timeline/10/app', 'unknown app "toaster"'],
  ['run on an unknown component', [['/timeline/6/component', 'nobody']], '/timeline/6/component', 'unknown component "nobody"; expected a driver or app id (drivers: busdrv, toaster; apps: monitor)'],
  ['run of an unknown routine', [['/timeline/6/routine', 'Reprt']], '/timeline/6/routine', 'unknown routine "Reprt" in driver "toaster"'],
  ['run of an inherited name', [['/timeline/6/routine', 'toString']], '/timeline/6/routine', 'unknown routine "toString" in driver "toaster"'],
  ['hotAddMemory with an existing id', [['/timeline/2/id', 'mem0']], '/timeline/2/id', 'memory module "mem0" already exists (/machine/memory/0)'],
  ['hotAddMemory twice with the same id', [['/timeline/4', { do: 'hotAddMemory', id: 'mem1', sizeMiB: 1 }]], '/timeline/4/id', 'memory module "mem1" already exists (/timeline/2)'],
  ['hotAddMemory with a device id', [['/timeline/2/id', 'toaster0']], '/timeline/2/id', '"toaster0" is already a device id'],
  ['hotAddMemory of size 0', [['/timeline/2/sizeMiB', 0]], '/timeline/2/sizeMiB', 'expected a number > 0; got the number 0'],
  ['removeMemory of an unknown module', [['/timeline/3/id', 'mem7']], '/timeline/3/id', 'unknown memory module "mem7"'],
  ['removeMemory before the hot add', [['/timeline/2', { do: 'removeMemory', id: 'mem1' }]], '/timeline/2/id', 'unknown memory module "mem1"'],
  ['removeProcessor with a negative number', [['/timeline/4/NtNumber', -1]], '/timeline/4/NtNumber', 'expected an integer ≥ 0; got the number -1'],
  ['removeProcessor without NtNumber', [['/timeline/4/NtNumber', DELETE]], '/timeline/4/NtNumber', 'missing; expected an integer'],
  ['plug of an unknown device', [['/timeline/5/device', 'toaster2']], '/timeline/5/device', 'unknown device "toaster2" (devices: toaster0, toaster1)'],
  ['eject of a driver id', [['/timeline/7/device', 'busdrv']], '/timeline/7/device', 'unknown device "busdrv"'],
  ['concurrent not a boolean', [['/timeline/1/concurrent', 'yes']], '/timeline/1/concurrent', 'expected a boolean (true or false); got "yes"'],
  ['note not a string', [['/timeline/1/note', 1]], '/timeline/1/note', 'expected a string; got the number 1'],
  // schedule
  ['schedule at negative', [['/schedule/0/at', -1]], '/schedule/0/at', 'expected an integer ≥ 0; got the number -1'],
  ['schedule at fractional', [['/schedule/0/at', 1.5]], '/schedule/0/at', 'expected an integer; got the number 1.5'],
  ['schedule without run', [['/schedule/0/run', DELETE]], '/schedule/0/run', 'missing; expected a string'],
  ['schedule entry not an object', [['/schedule/0', 3]], '/schedule/0', 'expected a schedule override'],
];

describe('validation: the base scenario', () => {
  it('loads without errors or warnings', () => {
    const r = load(base());
    expect(r.ok ? r.warnings : r.errors).toEqual([]);
    expect(r.ok).toBe(true);
  });
});

describe('validation: invalid scenarios', () => {
  it('has a large table of cases', () => {
    expect(INVALID.length).toBeGreaterThanOrEqual(30);
  });

  it.each(INVALID)('%s', (_name, edits, path, fragment) => {
    const errors = errorsOf(load(edited(edits)));
    const match = errors.find((e) => e.path === path && e.message.includes(fragment));
    expect(match, `errors were:\n${errors.map((e) => `${e.path}: ${e.message}`).join('\n')}`).toBeDefined();
  });
});

describe('validation: collects every error', () => {
  it('reports all problems at once, each with its own path', () => {
    const errors = errorsOf(
      load(
        edited([
          ['/title', 1],
          ['/machine/devices/0/stack/0', 'nobus'],
          [`${DE}/0/call`, 'IoRegisterPlugPlayNotificatio'],
          [`${REPORT}/0/Context`, 'Nope'],
          ['/timeline/0/do', 'begin'],
          ['/schedule/0/at', 'soon'],
        ]),
      ),
    );
    expect(errors.map((e) => e.path).sort()).toEqual(
      ['/title', '/machine/devices/0/stack/0', `${DE}/0/call`, `${REPORT}/0/Context`, '/timeline/0/do', '/schedule/0/at'].sort(),
    );
  });

  it('a variable is declared by a write anywhere in the component, even after the read', () => {
    const s = edited([
      ['/drivers/busdrv/routines/DriverEntry', [{ op: 'return', value: 'Later' }]],
      ['/drivers/busdrv/routines/Zzz', [{ op: 'set', var: 'Later', value: 1 }]],
    ]);
    expect(load(s).ok).toBe(true);
  });

  it('out-parameters, results, lock variables, set and forEach all declare variables', () => {
    const r = load(base());
    expect(r.ok).toBe(true); // Fo, Dev, Status, Lock, Seen, Link, Links… are read but never in globals
  });
});

describe('validation: what is accepted', () => {
  const ok = (edits: Edit[]) => {
    const r = load(edited(edits));
    if (!r.ok) throw new Error(r.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
    return r;
  };

  it('semantically wrong but well-typed filters run (CM-1 shows CR_INVALID_DATA)', () => {
    ok([
      [`${MAIN}/0/pFilter`, {
        FilterType: 'CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE', ClassGuid: 'GUID_DEVINTERFACE_TOASTER', cbSize: 0,
        Flags: ['CM_NOTIFY_FILTER_FLAG_ALL_INTERFACE_CLASSES', 'CM_NOTIFY_FILTER_FLAG_ALL_DEVICE_INSTANCES'], Reserved: 1,
      }],
    ]);
    ok([[`${MAIN}/0/pFilter`, { FilterType: 'CM_NOTIFY_FILTER_TYPE_DEVICEHANDLE', ClassGuid: 'GUID_DEVINTERFACE_TOASTER', hTarget: null }]]);
  });

  it('NULL pNotifyContext, pFilter and pCallback (CM-1)', () => {
    ok([[`${MAIN}/0/pNotifyContext`, null], ['/apps/monitor/globals', { hIface: null }]]);
    ok([[`${MAIN}/0/pFilter`, null]]);
    ok([[`${MAIN}/0/pCallback`, null]]);
  });

  it('CustomData as text; a NULL completion Callback', () => {
    ok([[`${REPORT}/0/NotificationStructure/CustomData`, 'hello'], [`${REPORT}/0/Callback`, null]]);
  });

  it('every documented $Argument, GUID literals and numbers as values', () => {
    ok([
      ['/drivers/toaster/routines/ReportDone', [
        { op: 'set', var: 'Count', value: '$NtNumber' },
        { op: 'set', var: 'Count', value: '$EventGuid' },
        { op: 'set', var: 'Count', value: '{781ef630-72b2-11d2-b852-00c04fad5171}' },
        { op: 'set', var: 'Count', value: -3.5 },
        { op: 'set', var: 'Count', value: true },
        { op: 'return', value: 'KE_PROCESSOR_CHANGE_ADD_EXISTING' },
      ]],
    ]);
  });

  it('a pool tag of 4 characters, and an empty Flags array', () => {
    ok([[`${DE}/1/Tag`, 'Tg01'], [`${DE}/1/Flags`, []]]);
  });

  it('unknown fields are ignored (the format is extensible) and left out of the result', () => {
    const r = ok([
      ['/x-editor', { folded: true }],
      ['/machine/fans', 3],
      ['/machine/devices/0/color', 'red'],
      ['/drivers/toaster/comment', 'hi'],
      ['/schedule/0/why', 'because'],
    ]);
    const s = r.scenario as unknown as Record<string, unknown>;
    expect(Object.hasOwn(s, 'x-editor')).toBe(false);
    expect(Object.hasOwn(s.machine as object, 'fans')).toBe(false);
    expect(Object.hasOwn(r.scenario.machine.devices[0], 'color')).toBe(false);
    expect(Object.hasOwn(r.scenario.drivers.toaster, 'comment')).toBe(false);
    expect(Object.hasOwn(r.scenario.schedule[0], 'why')).toBe(false);
  });

  it('keeps the optional timeline fields note and concurrent', () => {
    const r = ok([]);
    expect(r.scenario.timeline[1]).toEqual({ do: 'hotAddProcessor', concurrent: true, note: 'while the app starts' });
  });
});

describe('validation: warnings', () => {
  const warnings = (edits: Edit[]) => {
    const r = load(edited(edits));
    if (!r.ok) throw new Error(r.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
    return r.warnings;
  };

  it('a driver in no stack that the timeline never loads', () => {
    const w = warnings([['/drivers/lonely', { routines: { DriverEntry: [] } }]]);
    expect(w).toContainEqual({ path: '/drivers/lonely', message: expect.stringContaining('is in no device stack and no timeline "load" action loads it') });
  });

  it('an app the timeline never starts', () => {
    const w = warnings([['/timeline/0', { do: 'hotAddProcessor' }]]);
    expect(w).toContainEqual({ path: '/apps/monitor', message: expect.stringContaining('app "monitor" is never started') });
  });

  it('an unknown field of a control op or a timeline action (a likely typo)', () => {
    const w = warnings([
      ['/drivers/toaster/routines/IRP_MN_QUERY_REMOVE_DEVICE/0/els', []],
      ['/timeline/1/concurent', true],
    ]);
    expect(w).toContainEqual({ path: '/drivers/toaster/routines/IRP_MN_QUERY_REMOVE_DEVICE/0/els', message: expect.stringContaining('did you mean "else"?') });
    expect(w).toContainEqual({ path: '/timeline/1/concurent', message: expect.stringContaining('did you mean "concurrent"?') });
  });

  it('an IRP handler name the playground never sends', () => {
    const w = warnings([['/drivers/toaster/routines/IRP_MN_START_DEVICE', []]]);
    expect(w).toContainEqual({ path: '/drivers/toaster/routines/IRP_MN_START_DEVICE', message: expect.stringContaining('is not an IRP the playground sends') });
  });
});

describe('JSON Pointer paths', () => {
  it('escapes ~ and / (RFC 6901)', () => {
    expect(escapeSegment('a/b~c')).toBe('a~1b~0c');
    expect(pointer([])).toBe('');
    expect(pointer(['drivers', 'x/y', 'routines', 0])).toBe('/drivers/x~1y/routines/0');
  });
});

