import { describe, expect, it } from 'vitest';
import { load } from '../../scenario/load.ts';
import type { NormalizedScenario } from '../../scenario/types.ts';
import { run } from '../../engine/testing.ts';
import { lineOfPointer, routineCode, tokenize, type RoutineCode } from './pseudocode.ts';
import * as S from './testing/scenarios.ts';

function scenarioOf(json: unknown): NormalizedScenario {
  const l = load(json);
  if (!l.ok) throw new Error(l.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return l.scenario;
}

const text = (code: RoutineCode | null) => code!.lines.map((l) => '  '.repeat(l.indent) + l.text);

describe('routineCode: IRP_MN_QUERY_PNP_DEVICE_STATE (RM-11)', () => {
  it('writes *PnpDeviceState as the flags ORed into Irp->IoStatus.Information', () => {
    const s = scenarioOf({
      format: 'pnp-scenario/1',
      machine: { devices: [{ id: 'toaster0', stack: ['toaster'] }] },
      drivers: { toaster: { routines: { IRP_MN_QUERY_PNP_DEVICE_STATE: [{ op: 'set', var: '*PnpDeviceState', value: 'PNP_DEVICE_FAILED' }] } } },
    });
    expect(text(routineCode(s, 'toaster', 'IRP_MN_QUERY_PNP_DEVICE_STATE'))).toEqual([
      '// IRP_MJ_PNP / IRP_MN_QUERY_PNP_DEVICE_STATE handler',
      'NTSTATUS IRP_MN_QUERY_PNP_DEVICE_STATE(PDEVICE_OBJECT DeviceObject, PIRP Irp)',
      '{',
      '  Irp->IoStatus.Information |= PNP_DEVICE_FAILED;',
      '  return STATUS_SUCCESS;',
      '}',
    ]);
  });
});

describe('routineCode', () => {
  const seed = scenarioOf(S.SEED000);

  it('renders seed 000 DriverEntry as the C of the seed page, each op line with its pointer', () => {
    const code = routineCode(seed, 'sampledrv', 'DriverEntry')!;
    expect(code.base).toBe('/drivers/sampledrv/routines/DriverEntry');
    expect(text(code)).toEqual([
      'NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)',
      '{',
      '  // Register for synchronous processor notifications. With KE_PROCESSOR_CHANGE_ADD_EXISTING the callback runs for every active processor before this call returns.',
      '  CallbackRegistrationHandle = KeRegisterProcessorChangeCallback(SyncProcessorCallback, &CallbackStatus, KE_PROCESSOR_CHANGE_ADD_EXISTING);',
      '  if (CallbackRegistrationHandle == NULL) {',
      "    // Registration failed. The callback's error, if any, was carried in CallbackContext: return it from DriverEntry.",
      '    if (CallbackStatus != STATUS_SUCCESS) {',
      '      return CallbackStatus;',
      '    } else {',
      '      return STATUS_UNSUCCESSFUL;',
      '    }',
      '  }',
      '  // Registered: every processor that is active now has had its Start and Complete callbacks.',
      '  return STATUS_SUCCESS;',
      '}',
    ]);
    const ptr = (t: string) => code.lines.find((l) => l.text.startsWith(t))?.pointer;
    expect(ptr('NTSTATUS DriverEntry')).toBe(code.base);
    expect(ptr('CallbackRegistrationHandle =')).toBe('/drivers/sampledrv/routines/DriverEntry/1');
    expect(ptr('if (CallbackRegistrationHandle')).toBe('/drivers/sampledrv/routines/DriverEntry/2');
    expect(ptr('return CallbackStatus')).toBe('/drivers/sampledrv/routines/DriverEntry/2/then/1/then/0');
    expect(ptr('} else {')).toBeUndefined();
  });

  it('renders a processor callback as a switch on ChangeContext->State with its documented signature', () => {
    const code = routineCode(seed, 'sampledrv', 'SyncProcessorCallback')!;
    expect(code.lines[0].text).toBe(
      'VOID SyncProcessorCallback(PVOID CallbackContext, PKE_PROCESSOR_CHANGE_NOTIFY_CONTEXT ChangeContext, PNTSTATUS OperationStatus)',
    );
    expect(text(code).slice(2, 5)).toEqual(['  switch (ChangeContext->State) {', '  case KeProcessorAddStartNotify:', expect.stringMatching(/^ {4}\/\/ Start:/)]);
    expect(lineOfPointer(code, '/drivers/sampledrv/routines/SyncProcessorCallback/cases/KeProcessorAddCompleteNotify/0')).toBeGreaterThan(0);
    expect(text(code)).toContain('    break;');
    expect(text(code).at(-1)).toBe('}'); // VOID: no return added
  });

  it('renders Unload, user-mode callbacks, kernel PnP callbacks and filters the way C writes them', () => {
    expect(routineCode(seed, 'sampledrv', 'Unload')!.lines[0].text).toBe('VOID Unload(PDRIVER_OBJECT DriverObject)');

    const cm = scenarioOf(S.CM_REMOVAL);
    const onDevice = routineCode(cm, 'monitor', 'OnDevice')!;
    expect(onDevice.lines[0].text).toBe(
      'DWORD OnDevice(HCMNOTIFICATION hNotify, PVOID Context, CM_NOTIFY_ACTION Action, PCM_NOTIFY_EVENT_DATA EventData, DWORD EventDataSize)',
    );
    expect(text(onDevice)).toContain('  switch (Action) {');
    expect(text(onDevice)).toContain('    CloseHandle(hDevice);');
    expect(text(onDevice).at(-2)).toBe('  return ERROR_SUCCESS;');
    const main = text(routineCode(cm, 'monitor', 'main'));
    expect(main[0]).toBe('int main(void)');
    expect(main).toContain(
      '  cr = CM_Register_Notification(&(CM_NOTIFY_FILTER){ .cbSize = sizeof(CM_NOTIFY_FILTER), .FilterType = CM_NOTIFY_FILTER_TYPE_DEVICEHANDLE, .u.DeviceHandle.hTarget = hDevice }, NULL, OnDevice, &hDeviceNotify);'.replace('  cr', '    cr'),
    );
    expect(main).toContain("  for (PWSTR Link = Links; *Link != L'\\0'; Link += wcslen(Link) + 1) {");

    const km = scenarioOf(S.KM_VETO);
    const target = text(routineCode(km, 'mon', 'TargetCallback'));
    expect(target[0]).toBe('NTSTATUS TargetCallback(PVOID NotificationStructure, PVOID Context)');
    expect(target).toContain('  PTARGET_DEVICE_REMOVAL_NOTIFICATION Notification = NotificationStructure;');
    expect(target).toContain('  if (IsEqualGUID(&Notification->Event, &GUID_TARGET_DEVICE_QUERY_REMOVE)) {');
    const entry = text(routineCode(km, 'mon', 'DriverEntry'));
    expect(entry[2]).toBe(
      '  Status = IoRegisterPlugPlayNotification(EventCategoryDeviceInterfaceChange, PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES, GUID_DEVINTERFACE_TOASTER, DriverObject, InterfaceCallback, NULL, &InterfaceEntry);',
    );
    const arrival = text(routineCode(km, 'mon', 'InterfaceCallback'));
    expect(arrival).toContain('    Status = IoGetDeviceObjectPointer(Notification->SymbolicLinkName, FILE_READ_DATA, &FileObject, &TargetDevice);');

    const custom = text(routineCode(scenarioOf(S.CM_SURPRISE), 'toaster', 'ReportDone'));
    expect(custom[0]).toBe('VOID ReportDone(PVOID Context)');
  });

  it('is null for a routine the scenario does not have, and memoised per scenario', () => {
    expect(routineCode(seed, 'sampledrv', 'Nope')).toBeNull();
    expect(routineCode(seed, 'nobody', 'DriverEntry')).toBeNull();
    expect(routineCode(seed, 'sampledrv', 'Unload')).toBe(routineCode(seed, 'sampledrv', 'Unload'));
  });

  it('has a line for every op pointer the engine writes into the trace', () => {
    for (const [name, json] of Object.entries(S.ALL)) {
      const r = run(json);
      for (const e of r.trace) {
        if ((e.type !== 'call' && e.type !== 'note') || !e.op) continue;
        const m = /^\/(?:drivers|apps)\/([^/]+)\/routines\/([^/]+)\//.exec(e.op)!;
        const code = routineCode(r.scenario, m[1], m[2]);
        expect(code && lineOfPointer(code, e.op), `${name} #${e.seq} ${e.op}`).toBeGreaterThanOrEqual(0);
      }
    }
  });
});

describe('tokenize', () => {
  it('colours comments, strings, keywords, types, constants and calls, and keeps the text', () => {
    const line = 'if (Status == STATUS_SUCCESS) { x = Foo("a b", 3); } // done';
    const tokens = tokenize(line);
    expect(tokens.map((t) => t.text).join('')).toBe(line);
    const kindOf = (t: string) => tokens.find((x) => x.text === t)?.kind;
    expect(kindOf('if')).toBe('keyword');
    expect(kindOf('STATUS_SUCCESS')).toBe('constant');
    expect(kindOf('Foo')).toBe('function');
    expect(kindOf('"a b"')).toBe('string');
    expect(kindOf('// done')).toBe('comment');
    expect(tokenize('VOID X(PVOID Context)').find((t) => t.text === 'PVOID')?.kind).toBe('type');
  });
});
