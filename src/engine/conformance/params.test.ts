// Conformance: callback parameters a scenario can read — ProcNumber's Group and Number in a
// processor-change callback (KE-1; docs/architecture.md §1.1: 64 processors per group).
import { describe, expect, it } from 'vitest';
import { run } from '../testing.ts';
import { load as loadScenario } from '../../scenario/load.ts';
import { hotAdd, hotAddMemory, load, scenario, seed000Driver, seed001Driver } from './fixtures.ts';

describe('KE-1 $ProcNumber.Group and $ProcNumber.Number in a processor-change callback', () => {
  it('KE-1 the 65th processor is processor 0 of group 1; the callback reads both fields', () => {
    const record = [
      { op: 'set' as const, var: 'Group', value: '$ProcNumber.Group' },
      { op: 'set' as const, var: 'Number', value: '$ProcNumber.Number' },
      { op: 'if' as const, cond: { eq: ['$ProcNumber.Group', 1] as [string, number] }, then: [{ op: 'note' as const, text: 'a processor in a new group' }] },
      { op: 'if' as const, cond: { eq: ['Number', 1] as [string, number] }, then: [{ op: 'note' as const, text: 'its second processor' }] },
    ];
    const r = run(scenario({
      machine: { processors: 64, maxProcessors: 66 },
      drivers: { a: seed000Driver({ addExisting: false, start: record }) },
      timeline: [load('a'), hotAdd(), hotAdd()],
    }));
    const starts = r.of('invoke').filter((e) => e.args.State === 'KeProcessorAddStartNotify');
    expect(starts.map((e) => [e.args.NtNumber, e.args.ProcNumber])).toEqual([[64, { Group: 1, Number: 0 }], [65, { Group: 1, Number: 1 }]]);
    expect(r.labels('note')).toEqual(['note a processor in a new group', 'note a processor in a new group', 'note its second processor']);
  });

  it('KE-1 an unknown field is a validation error at its path', () => {
    const bad = loadScenario(scenario({
      drivers: { a: seed000Driver({ addExisting: false, start: [{ op: 'set', var: 'G', value: '$ProcNumber.Node' }] }) },
    }));
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.errors.map((e) => e.path)).toEqual(['/drivers/a/routines/SyncProcessorCallback/cases/KeProcessorAddStartNotify/0/value']);
    expect(bad.errors[0].message).toContain('unknown argument "$ProcNumber.Node"');
  });
});

describe('IO-10 the memory notification carries no size or range', () => {
  it('IO-10 a GUID_DEVICE_MEMORY arrival is a DEVICE_INTERFACE_CHANGE_NOTIFICATION: event, class and symbolic link only', () => {
    const r = run(scenario({
      drivers: { a: seed001Driver({ processor: false }) },
      timeline: [load('a'), hotAddMemory('mem1', 2048)],
    }));
    const arrivals = r.of('invoke').filter((e) => e.routine === 'AsyncMemoryCallback');
    expect(arrivals).toHaveLength(1);
    expect(Object.keys(arrivals[0].args).sort()).toEqual(['Context', 'Event', 'InterfaceClassGuid', 'SymbolicLinkName']);
    expect(arrivals[0].args).toMatchObject({ Event: 'GUID_DEVICE_INTERFACE_ARRIVAL', InterfaceClassGuid: 'GUID_DEVICE_MEMORY' });
    expect(String(arrivals[0].args.SymbolicLinkName)).toMatch(/ACPI#PNP0C80#mem1#/);
    // A callback cannot read the module's size: no such argument exists.
    const bad = loadScenario(scenario({ drivers: { a: seed001Driver({ processor: false, memoryOps: [{ op: 'set', var: 'Size', value: '$SizeMiB' }] }) } }));
    expect(bad.ok).toBe(false);
  });
});
