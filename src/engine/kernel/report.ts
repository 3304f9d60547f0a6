// Custom device events (CU rules, seed 004): IoReportTargetDeviceChange(Asynchronous).
import type { Engine } from '../engine.ts';
import { pauseThen, waitThen } from '../frame.ts';
import { IRQL_NAMES } from '../api.ts';
import { SYSTEM_TARGET_EVENTS } from '../constants.ts';
import type { CallCtx, CallResult, Handler } from '../interp.ts';
import type { CustomEvent } from '../model.ts';
import { queueEvent } from '../pnp/devices.ts';

const HEADER_SIZE = 40; // TARGET_DEVICE_CUSTOM_NOTIFICATION up to CustomDataBuffer on 64-bit Windows

function dataLength(data: unknown): number {
  if (Array.isArray(data)) return data.length;
  if (typeof data === 'string') return 2 * (data.length + 1); // UTF-16 text with its terminator
  return 0;
}

/** CU-2, CU-3: checks shared by both routines. Returns the custom event, or a refusal status. */
function prepare({ engine, act, op, args }: CallCtx): CustomEvent | string {
  const ns = (args.NotificationStructure ?? {}) as Record<string, unknown>;
  const raw = (op.NotificationStructure ?? {}) as Record<string, unknown>;
  const event = String(ns.Event);
  const data = raw.CustomData ?? null;
  const offset = typeof ns.NameBufferOffset === 'number' ? ns.NameBufferOffset : -1;
  const size = typeof ns.Size === 'number' ? ns.Size : HEADER_SIZE + dataLength(data);
  if ((SYSTEM_TARGET_EVENTS as readonly string[]).includes(event)) {
    engine.raise('CU-2', 'refused', `${op.call} refuses the system event ${event}: custom events need a driver-defined GUID.`);
    return 'STATUS_INVALID_DEVICE_REQUEST';
  }
  if (size < HEADER_SIZE || offset > dataLength(data)) {
    engine.raise('CU-2', 'refused', `${op.call} refuses the structure: ${size < HEADER_SIZE ? `Size ${size} is smaller than the header (${HEADER_SIZE})` : `NameBufferOffset ${offset} is past the ${dataLength(data)} bytes of data`}.`);
    return 'STATUS_INVALID_DEVICE_REQUEST';
  }
  if (ns.FileObject !== null && ns.FileObject !== undefined) {
    engine.raise('CU-3', 'fileObject', `${act.component.id} passed FileObject = ${String(ns.FileObject)}; it must be NULL. The PnP manager fills in each registrant's own file object regardless.`);
  }
  return {
    event, nameBufferOffset: offset, data, reporter: act.component.id,
    callback: typeof op.Callback === 'string' ? op.Callback : undefined, context: args.Context ?? null,
    synchronous: op.call === 'IoReportTargetDeviceChange',
  };
}

function deviceOk({ engine, op }: CallCtx): string | null {
  const d = engine.world.devices[String(op.PhysicalDeviceObject)];
  return d && d.state !== 'not-present' && d.state !== 'removed' ? d.id : null;
}

/** CU-1: queue the event and return STATUS_PENDING at once; CU-5: IRQL and pool rules; CU-6: queued behind the current event. */
export const IoReportTargetDeviceChangeAsynchronous: Handler = (x) => {
  const { engine, act, op } = x;
  x.govern('CU-1');
  const raw = (op.NotificationStructure ?? {}) as Record<string, unknown>;
  if (act.thread.irql >= 2 && raw.Pool === 'Paged') {
    engine.raise('CU-5', 'pagedAtDispatch', `${act.component.id} passed a NotificationStructure in paged pool at ${IRQL_NAMES[act.thread.irql]}; at DISPATCH_LEVEL it must be non-paged.`);
    return pauseThen(x, reportAsync);
  }
  return reportAsync(engine, x);
};

const reportAsync = (engine: Engine, x: CallCtx): CallResult => {
  const { args } = x;
  const ctx = typeof args.Context === 'string' ? engine.world.allocations[args.Context] : undefined;
  if (ctx?.paged) engine.raise('CU-5', 'pagedContext', `The Context ${ctx.id} is paged pool; the caller must allocate it from non-paged memory.`);
  const device = deviceOk(x);
  if (!device) return { result: 'STATUS_INVALID_DEVICE_REQUEST' };
  const custom = prepare(x);
  if (typeof custom === 'string') return { result: custom };
  queueEvent(engine, { kind: 'CustomEvent', device, custom });
  return { result: 'STATUS_PENDING' };
};

/** CU-8: waits until every registrant was notified; on the pnp thread it waits for itself. */
export const IoReportTargetDeviceChange: Handler = (x) => {
  const { engine } = x;
  x.govern('CU-8');
  const device = deviceOk(x);
  if (!device) return { result: 'STATUS_INVALID_DEVICE_REQUEST' };
  const custom = prepare(x);
  if (typeof custom === 'string') return { result: custom };
  const ev = queueEvent(engine, { kind: 'CustomEvent', device, custom });
  return waitThen({ k: 'event', event: ev.id, rule: 'CU-8', what: `the PnP manager to deliver ${custom.event}` }, null, statusSuccess);
};

/** The call succeeds (module-level, so a run's state holds no closure: src/engine/explore/state.ts). */
const statusSuccess = (): CallResult => ({ result: 'STATUS_SUCCESS' });
