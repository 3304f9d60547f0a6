// Conformance: the documented races, found by the interleaving explorer (docs/explore.md). Each
// scenario has no `schedule`: the explorer itself finds the interleaving that shows the race, and
// the schedule it reports reproduces it.
import { describe, expect, it } from 'vitest';
import { load } from '../../scenario/load.ts';
import type { NormalizedScenario } from '../../scenario/types.ts';
import { explore, type ExploreOptions, type OutcomeReport } from '../explore/index.ts';
import { outcomeKey, outcomeOf } from '../explore/outcome.ts';
import { runScenario } from '../index.ts';
import {
  A, device, handleApp, ifThen, note, recipeApp, registerInterface, scenario, toastmon, TOASTER, unregisterCm, type Component,
} from './fixtures-devices.ts';

function explored(raw: unknown, options: ExploreOptions = {}) {
  const l = load(raw);
  if (!l.ok) throw new Error(l.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  expect(l.scenario.schedule).toEqual([]);
  const result = explore(l.scenario, { maxRuns: 5000, ...options });
  return { s: l.scenario, result };
}

/** The outcome is reproduced by its schedule; returns it for more checks. */
function reproduced(s: NormalizedScenario, o: OutcomeReport | undefined): OutcomeReport {
  expect(o).toBeDefined();
  const run = runScenario({ ...s, schedule: o!.schedule });
  if (!run.ok) throw new Error(run.errors.map((e) => e.message).join('; '));
  expect(outcomeKey(outcomeOf(s, run.trace))).toBe(outcomeKey(o!));
  return o!;
}

/** Index of the first observation of `component` that contains every one of `parts`. */
const seen = (o: OutcomeReport, component: string, ...parts: string[]) => o.observations[component].findIndex((x) => parts.every((p) => x.includes(p)));

const devices = [device('toaster0'), device('toaster1', { present: false })];
const appWith = (routines: Record<string, unknown>): Component => ({
  globals: { hNotify: null },
  routines: { OnInterface: [], OnDevice: [], ...routines } as Component['routines'],
});

describe('the explorer finds the documented races', { timeout: 60_000 }, () => {
  it('UN-1 window: IoUnregisterPlugPlayNotification returns while the callback runs; the freed context is then used (UN-5)', () => {
    const { s, result } = explored({
      format: 'pnp-scenario/1',
      machine: { processors: 1, maxProcessors: 4 },
      drivers: {
        drv: {
          routines: {
            DriverEntry: [
              { call: 'ExAllocatePool2', Flags: ['POOL_FLAG_NON_PAGED'], NumberOfBytes: 64, Tag: 'Ctx', result: 'Ctx' },
              { call: 'IoRegisterPlugPlayNotification', EventCategory: 'EventCategoryDeviceInterfaceChange', EventCategoryFlags: [], EventCategoryData: 'GUID_DEVICE_PROCESSOR', CallbackRoutine: 'OnProcessor', Context: 'Ctx', NotificationEntry: 'Entry', result: 'Status' },
            ],
            Stop: [{ call: 'IoUnregisterPlugPlayNotification', NotificationEntry: 'Entry', result: 'Status' }, { call: 'ExFreePool', P: 'Ctx' }],
            OnProcessor: [{ op: 'note', text: 'use the context' }, { op: 'set', var: 'Seen', value: '$Context' }],
          },
        },
      },
      timeline: [{ do: 'load', driver: 'drv' }, { do: 'hotAddProcessor' }, { do: 'run', component: 'drv', routine: 'Stop', concurrent: true }],
    });
    expect(result.complete).toBe(true);
    expect(result.outcomes[0].hazards).toEqual([]);
    const window = reproduced(s, result.outcomes.find((o) => o.hazards.includes('UN-1:warning') && o.halt === 'quiescent'));
    expect(window.hazards).toEqual(['UN-1:warning']);
    const bug = reproduced(s, result.outcomes.find((o) => o.hazards.includes('UN-5:bugcheck:0x50')));
    expect(bug).toMatchObject({ halt: 'bugcheck', hazards: ['UN-1:warning', 'UN-5:bugcheck:0x50'] });
    expect(bug.divergesAt).not.toBeNull();
  });

  it('CM-6: a callback that unregisters the handle in a reused variable deadlocks when it runs before the variable moves on', () => {
    // main registers twice into the same variable; the first registration's callback unregisters "hNotify".
    // Run after the second register, it unregisters the other registration (fine); run between the two,
    // it unregisters its own registration from its own callback: CM-6.
    const { s, result } = explored(scenario({
      devices,
      apps: {
        app: appWith({
          main: [registerInterface(TOASTER, 'OnInterface', 'hNotify'), registerInterface('GUID_DEVINTERFACE_MOUSE', 'OnOther', 'hNotify')],
          OnInterface: [unregisterCm('hNotify')],
          OnOther: [],
        }),
      },
      timeline: [{ do: 'start', app: 'app' }, { do: 'plug', device: 'toaster1', concurrent: true }],
    }));
    expect(result.complete).toBe(true);
    const deadlock = reproduced(s, result.outcomes.find((o) => o.halt === 'deadlock'));
    expect(deadlock.hazards).toEqual(['CM-6:deadlock']);
    expect(result.outcomes.some((o) => o.halt === 'quiescent')).toBe(true);
  });

  it('CM-7: REMOVECOMPLETE still arrives between SubmitThreadpoolWork and the deferred unregister', () => {
    // The whole tree is large (thousands of schedules); one preemption is enough to find the window.
    const { s, result } = explored(scenario({ devices, apps: { app: recipeApp() }, timeline: [{ do: 'start', app: 'app' }, { do: 'eject', device: 'toaster0' }] }), { preemptions: 1 });
    expect(result).toMatchObject({ complete: false, stoppedBy: ['preemptions'] });
    const late = (o: OutcomeReport) => {
      const complete = seen(o, 'app', 'OnDevice', A.REMOVECOMPLETE);
      const unregistered = seen(o, 'app', 'CM_Unregister_Notification ->');
      return complete >= 0 && unregistered >= 0 && complete < unregistered;
    };
    expect(late(result.outcomes[0])).toBe(false); // the default schedule: the work item unregisters first
    const o = reproduced(s, result.outcomes.find(late));
    expect(o.hazards).toEqual([]); // the context is still valid: the recipe keeps it until the unregister returned
  });

  it('CM-9: the callback runs before CM_Register_Notification returned', () => {
    const { s, result } = explored(scenario({
      devices,
      apps: { app: appWith({ main: [registerInterface(TOASTER, 'OnInterface', 'hNotify')], OnInterface: [ifThen({ isNull: 'hNotify' }, [note('hNotify is NULL')])] }) },
      timeline: [{ do: 'start', app: 'app' }, { do: 'plug', device: 'toaster1', concurrent: true }],
    }));
    expect(result.complete).toBe(true);
    const early = (o: OutcomeReport) => {
      const cb = seen(o, 'app', 'OnInterface', A.ARRIVAL);
      return cb >= 0 && cb < seen(o, 'app', 'CM_Register_Notification ->');
    };
    const o = reproduced(s, result.outcomes.find(early));
    expect(o.observations.app[seen(o, 'app', 'OnInterface')]).toContain('"hNotify":"cm:1"'); // hNotify, the argument, is right
  });

  it('CM-13: an arrival between CM_Get_Device_Interface_List_Size and CM_Get_Device_Interface_List', () => {
    const size = { call: 'CM_Get_Device_Interface_List_Size', InterfaceClassGuid: TOASTER, ulFlags: 'CM_GET_DEVICE_INTERFACE_LIST_PRESENT', pulLen: 'Len', result: 'cr' };
    const get = { call: 'CM_Get_Device_Interface_List', InterfaceClassGuid: TOASTER, ulFlags: 'CM_GET_DEVICE_INTERFACE_LIST_PRESENT', BufferLen: 'Len', Buffer: 'Links', result: 'cr' };
    const { s, result } = explored(scenario({
      devices,
      apps: { app: appWith({ main: [size, get, ifThen({ eq: ['cr', 'CR_BUFFER_SMALL'] }, [size, get])] }) },
      timeline: [{ do: 'start', app: 'app' }, { do: 'plug', device: 'toaster1', concurrent: true }],
    }));
    expect(result.complete).toBe(true);
    const o = reproduced(s, result.outcomes.find((x) => x.hazards.includes('CM-13:warning')));
    expect(seen(o, 'app', 'CM_Get_Device_Interface_List ->', 'CR_BUFFER_SMALL')).toBeGreaterThan(0);
  });

  it('RM-7: a handle registration made during a failing query-remove gets QUERYREMOVEFAILED without QUERYREMOVE', () => {
    const late: Component = { routines: { main: [], Register: handleApp([]).routines.main, OnDevice: [] } };
    const { s, result } = explored(scenario({
      devices: [device('toaster0')],
      drivers: { kmon: toastmon({ queryRemoveStatus: 'STATUS_UNSUCCESSFUL', closeOnQueryRemove: false }) },
      apps: { late },
      timeline: [{ do: 'load', driver: 'kmon' }, { do: 'start', app: 'late' }, { do: 'eject', device: 'toaster0' }, { do: 'run', component: 'late', routine: 'Register', concurrent: true }],
    }), { preemptions: 1 });
    const failedOnly = (o: OutcomeReport) => seen(o, 'late', 'OnDevice', A.QUERYREMOVEFAILED) >= 0 && seen(o, 'late', 'OnDevice', `"${A.QUERYREMOVE}"`) < 0;
    reproduced(s, result.outcomes.find(failedOnly));
  });

  it('IO-3: with INCLUDE_EXISTING one interface arrives twice (replay, then the queued arrival), never more', () => {
    const { s, result } = explored(scenario({
      devices: [device('toaster0'), device('toaster1', { present: false })],
      drivers: {
        mon: {
          routines: {
            DriverEntry: [{
              call: 'IoRegisterPlugPlayNotification', EventCategory: 'EventCategoryDeviceInterfaceChange',
              EventCategoryFlags: ['PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES'], EventCategoryData: TOASTER,
              CallbackRoutine: 'OnToaster', Context: null, NotificationEntry: 'Entry', result: 'Status',
            }],
            OnToaster: [],
          },
        },
      },
      timeline: [{ do: 'plug', device: 'toaster1' }, { do: 'load', driver: 'mon', concurrent: true }],
    }));
    expect(result.complete).toBe(true);
    const arrivals = (o: OutcomeReport) => o.observations.mon.filter((x) => x.includes('OnToaster') && x.includes('GUID_DEVICE_INTERFACE_ARRIVAL') && x.includes('#TOASTER1#')).length;
    expect(arrivals(result.outcomes[0])).toBe(1);
    reproduced(s, result.outcomes.find((o) => arrivals(o) === 2));
    expect(Math.max(...result.outcomes.map(arrivals))).toBe(2);
  });
});
