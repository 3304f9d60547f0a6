// The stress scenario for the engine benchmark (bench/engine.bench.ts).
//
// `drivers` kernel drivers, each registering from DriverEntry
//   - synchronously: KeRegisterProcessorChangeCallback with KE_PROCESSOR_CHANGE_ADD_EXISTING, and
//   - asynchronously: IoRegisterPlugPlayNotification(EventCategoryDeviceInterfaceChange,
//     GUID_DEVICE_PROCESSOR),
// with callbacks of a couple of ops each; then `hotAdds` processor hot-adds. Every hot-add calls
// each driver's processor callback twice (Start, Complete) on the hotplug thread and then delivers
// the GUID_DEVICE_PROCESSOR arrival to each driver on the pnp thread.
//
//   npx tsx bench/stress.ts [drivers] [hotAdds] > stress.json    # writes the scenario JSON

import { pathToFileURL } from 'node:url';
import { hotAdd, ifThen, ioRegister, ioUnregisterEx, keDeregister, keRegister, load, note, ret, scenario, set, sw } from '../src/scenario/builder.ts';
import type { DriverSpec, Scenario } from '../src/scenario/types.ts';

export interface StressOptions {
  /** Number of drivers (default 40). */
  drivers?: number;
  /** Number of processor hot-adds (default 400). */
  hotAdds?: number;
  /** Processors active at boot (default 4). */
  processors?: number;
}

export const STRESS_DEFAULTS = { drivers: 40, hotAdds: 400, processors: 4 } as const;

function driver(id: string): DriverSpec {
  return {
    globals: { CallbackStatus: 'STATUS_SUCCESS', Status: 'STATUS_SUCCESS', LastLink: null, Count: 0 },
    routines: {
      DriverEntry: [
        keRegister('SyncProcessorCallback', 'CallbackStatus', true),
        ifThen({ isNull: 'CallbackRegistrationHandle' }, [ret('STATUS_UNSUCCESSFUL')]),
        ioRegister('GUID_DEVICE_PROCESSOR', 'AsyncProcessorCallback', 'ProcessorNotificationEntry'),
      ],
      Unload: [ioUnregisterEx('ProcessorNotificationEntry', null), keDeregister()],
      SyncProcessorCallback: sw('State', {
        KeProcessorAddStartNotify: [note(`${id}: allocate per-processor data`), set('Count', '$NtNumber')],
        KeProcessorAddCompleteNotify: [ifThen({ eq: ['$State', 'KeProcessorAddCompleteNotify'] }, [note(`${id}: processor active`)])],
        KeProcessorAddFailureNotify: [note(`${id}: free per-processor data`)],
      }),
      AsyncProcessorCallback: sw(
        'Event',
        { GUID_DEVICE_INTERFACE_ARRIVAL: [set('LastLink', '$SymbolicLinkName'), note(`${id}: processor interface arrived`)] },
        [],
      ),
    },
  };
}

/** Builds the stress scenario (a plain, valid pnp-scenario/1 object). */
export function stressScenario(options: StressOptions = {}): Scenario {
  const drivers = options.drivers ?? STRESS_DEFAULTS.drivers;
  const hotAdds = options.hotAdds ?? STRESS_DEFAULTS.hotAdds;
  const processors = options.processors ?? STRESS_DEFAULTS.processors;
  const s: Scenario & Required<Pick<Scenario, 'drivers' | 'timeline'>> = {
    ...scenario(),
    title: `Stress: ${drivers} drivers, ${hotAdds} processor hot-adds`,
    description:
      'Benchmark scenario: every driver registers a synchronous processor-change callback (with ADD_EXISTING) and an asynchronous GUID_DEVICE_PROCESSOR interface notification, then processors are hot-added one after another.',
    machine: { processors, maxProcessors: Math.min(1024, processors + hotAdds) },
    drivers: {},
    timeline: [],
  };
  for (let i = 0; i < drivers; i++) {
    const id = `drv${String(i).padStart(3, '0')}`;
    s.drivers[id] = driver(id);
    s.timeline.push(load(id));
  }
  for (let i = 0; i < hotAdds; i++) s.timeline.push(hotAdd());
  return s;
}

/** The stress scenario as JSON text (what the runner reads). */
export function stressScenarioText(options: StressOptions = {}): string {
  return `${JSON.stringify(stressScenario(options), null, 1)}\n`;
}

const isEntry = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isEntry) {
  const [d, h] = process.argv.slice(2).map(Number);
  process.stdout.write(stressScenarioText({ drivers: Number.isFinite(d) ? d : undefined, hotAdds: Number.isFinite(h) ? h : undefined }));
}
