// Driver and app lifecycle (DRV rules, docs/architecture.md §1.3): DriverEntry, Unload, process start and exit.
import type { Engine } from './engine.ts';
import { OP, callFrame, ret, type Frame, type Routine } from './frame.ts';
import { ntSuccess } from './constants.ts';
import { hasRoutine, invoke } from './interp.ts';
import type { Component } from './model.ts';
import type { RuleId } from './rules/ids.ts';
import { dropImage, holdImage, liveIoRegistrations, registrationsOf, unregister } from './kernel/registrations.ts';
import { closeHandle } from './pnp/devices.ts';
import { entityId } from './ids/entities.ts';

function setState(engine: Engine, c: Component, to: Component['state'], rule?: RuleId) {
  if (c.state === to) return;
  engine.state(entityId(c.kind, c.id), c.state, to, undefined, rule ? { rule } : {});
  c.state = to;
}

interface DriverFrame extends Frame {
  driver: string;
}

/** DRV-1: DriverEntry on sys:<driver> at PASSIVE_LEVEL; a failure unloads at once without Unload. */
export const loadDriver: Routine<DriverFrame> = (engine, f) => {
  const { driver } = f;
  const c = engine.world.components[driver];
  let result: unknown = 'STATUS_SUCCESS';
  if (f.pc === 0) {
    if (c.state !== 'not-loaded' && c.state !== 'unloaded') {
      engine.emit({ type: 'note', text: `${driver} is already loaded (${c.state}).` });
      return ret();
    }
    setState(engine, c, 'loaded', 'DRV-1');
    f.pc = 1;
    if (hasRoutine(engine, driver, 'DriverEntry')) {
      return callFrame(invoke(driver, 'DriverEntry', {
        DriverObject: driver,
        RegistryPath: `\\Registry\\Machine\\System\\CurrentControlSet\\Services\\${driver}`,
      }, { rule: 'DRV-1' }));
    }
  } else result = f.ret;
  if (engine.halted || ntSuccess(result)) return ret();
  // An io registration left behind keeps the DriverObject: unload-blocked, never "unloaded" first (IO-6).
  releaseAfter(engine, driver, `DriverEntry failed with ${String(result)}`, 'DRV-1');
  return ret();
};

/**
 * DRV-1 / DRV-2: Unload returned or DriverEntry failed. Report what is left registered (KE-5, IO-6),
 * then release the image — unless a registration still references the DriverObject (unload-blocked,
 * IO-6) or a callback that unregistered itself with the Ex routine is still running (DRV-2: the
 * image goes when it returns).
 */
function releaseAfter(engine: Engine, driver: string, why: string, rule: 'DRV-1' | 'DRV-2') {
  const c = engine.world.components[driver];
  leftovers(engine, driver, why);
  if (c.state === 'unload-blocked') return;
  if (!c.holds) return setState(engine, c, 'unloaded', rule);
  setState(engine, c, 'unloading', 'DRV-2');
  c.unloadReturned = true;
  const running = runningCode(engine, driver);
  engine.emit({ type: 'note', text: `${driver}'s image stays loaded until ${running} returns: that code still holds the DriverObject (DRV-2).` });
}

/** Where a driver's code runs right now, for the DRV-2 note. */
function runningCode(engine: Engine, driver: string): string {
  const here: string[] = [];
  for (const t of engine.threads.values()) {
    const frame = t.frames.findLast((f) => f.component === driver);
    if (frame && t !== engine.thread) here.push(`${driver}!${frame.routine} on ${t.name}`);
  }
  return here.length > 0 ? here.join(', ') : `${driver}'s running code`;
}

/** KE-5 / IO-6: what a driver that is going away left registered, and what happens because of it. */
function leftovers(engine: Engine, driver: string, why: string) {
  const ke = registrationsOf(engine, (r) => r.kind === 'ke' && r.owner === driver);
  const io = liveIoRegistrations(engine, driver);
  if (ke.length > 0) {
    const ids = ke.map((r) => r.id).join(', ');
    const next = io.length > 0
      ? `for now ${io.map((r) => r.id).join(', ')} keep${io.length === 1 ? 's' : ''} the image loaded (IO-6), so the next processor hot-add still runs ${driver}'s callback; once the image is released, the next hot-add calls into unloaded code (bug check 0xCE)`
      : `nothing keeps ${driver}'s image (KeRegisterProcessorChangeCallback takes no reference on the DriverObject), so the next processor hot-add calls into unloaded code (bug check 0xCE)`;
    engine.raise('KE-5', 'unload', `${why}, but ${ids} is still registered with KeRegisterProcessorChangeCallback: ${next}.`);
  }
  if (io.length > 0) {
    engine.raise('IO-6', 'leak', `${why} with ${io.map((r) => r.id).join(', ')} still registered: each registration references the DriverObject, so ${driver} cannot be unloaded and its callbacks keep being called.`);
    setState(engine, engine.world.components[driver], 'unload-blocked', 'IO-6');
  }
}

/** DRV-2: Unload (if defined), then the image goes once no registration references the DriverObject. */
export const unloadDriver: Routine<DriverFrame> = (engine, f) => {
  const { driver } = f;
  const c = engine.world.components[driver];
  if (f.pc === 0) {
    if (c.state !== 'loaded') {
      engine.emit({ type: 'note', text: `${driver} is not loaded (${c.state}); nothing to unload.` });
      return ret();
    }
    setState(engine, c, 'unloading', 'DRV-2');
    f.pc = 1;
    if (hasRoutine(engine, driver, 'Unload')) return callFrame(invoke(driver, 'Unload', { DriverObject: driver }, { isVoid: true, rule: 'DRV-2' }));
  }
  if (!engine.halted) releaseAfter(engine, driver, `${driver}'s Unload returned`, 'DRV-2');
  return ret();
};

interface AppFrame extends Frame {
  app: string;
}

export const startApp: Routine<AppFrame> = (engine, f) => {
  const { app } = f;
  if (f.pc === 1) return ret();
  const c = engine.world.components[app];
  if (c.state === 'running') {
    engine.emit({ type: 'note', text: `${app} is already running.` });
    return ret();
  }
  setState(engine, c, 'running');
  f.pc = 1;
  if (hasRoutine(engine, app, 'main')) return callFrame(invoke(app, 'main', {}));
  return ret();
};

interface RoutineFrame extends Frame {
  component: string;
  routine: string;
}

export const runRoutine: Routine<RoutineFrame> = (engine, f) => {
  const { component, routine } = f;
  const c = engine.world.components[component];
  switch (f.pc) {
    case 0:
      if (c.kind === 'app' && c.state !== 'running') {
        engine.emit({ type: 'note', text: `${component} is not running; start it first.` });
        return ret();
      }
      if (c.kind === 'driver' && c.state !== 'loaded' && c.state !== 'unload-blocked') {
        engine.emit({ type: 'note', text: `${component} is not loaded; load it first.` });
        return ret();
      }
      f.pc = 1;
      return OP;
    case 1:
      // The system calls the routine like a dispatch routine and holds the DriverObject while it runs (DRV-2, CHOICE).
      if (c.kind === 'driver') holdImage(engine, component);
      f.pc = 2;
      return callFrame(invoke(component, routine, {}));
  }
  if (c.kind === 'driver') dropImage(engine, component);
  return ret();
};

/** Process exit closes the app's handles and ends its registrations (docs/architecture.md §1.3). */
export function exitApp(engine: Engine, app: string): void {
  const c = engine.world.components[app];
  if (c.state !== 'running') {
    engine.emit({ type: 'note', text: `${app} is not running.` });
    return;
  }
  engine.killAppThreads(app);
  for (const h of Object.values(engine.world.handles)) if (h.owner === app && h.open) closeHandle(engine, h.id);
  for (const r of registrationsOf(engine, (r) => r.kind === 'cm' && r.owner === app)) unregister(engine, r);
  setState(engine, c, 'exited');
}
