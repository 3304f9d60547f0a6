// The engine's threads as plain data (docs/explore.md "Forking"): a thread is a stack of frames, each
// a routine, where it is in it (`pc`) and its locals. The scheduler steps the top frame (Engine.stepThread):
//
//   return OP             a step boundary (the scheduler may run another thread here); the frame
//                         resumes at its `pc` when its thread runs again
//   return block(wait)    block until the wait is satisfied (the engine evaluates the wait: it is data)
//   return call(r, {...}) push a frame of routine `r`; when it returns, the caller goes on at its `pc`
//                         within the same step, with the returned value in `f.ret`
//   return ret(value)     pop this frame, handing `value` to the caller
//
// A routine is a `switch (f.pc)` whose cases are its resume points; code between two of them runs
// without a step boundary. Because frames hold nothing but data (references to world objects,
// numbers, strings) and routines are module-level functions, a copy of the engine taken at a
// choice point resumes exactly where the original would (Engine.fork): threads are not generators.
import type { Wait } from './model.ts';
import type { Engine } from './engine.ts';
import { immutableLocals } from './fork.ts';

/** One routine's activation on a thread: the routine, its resume point, its locals (plain data). */
export interface Frame {
  fn: Routine<never>;
  pc: number;
  /** The value the last routine this frame called returned. */
  ret?: unknown;
}

/** What a routine does next (see the module comment). */
export type Step =
  | { t: 'op' }
  | { t: 'block'; wait: Wait }
  | { t: 'call'; frame: Frame }
  | { t: 'ret'; value: unknown };

/** A routine: runs its frame from `f.pc` to its next step. A module-level function, never a closure over state. */
export type Routine<F extends Frame> = (engine: Engine, f: F) => Step;

/** A frame's locals: what `call` and `frame` are given. */
export type Locals<F extends Frame> = Omit<F, 'fn' | 'pc' | 'ret'>;

// Every step is built by `step` with the same fields in the same order: one object shape, so the
// scheduler's reads of `t` (Engine.stepThread) stay monomorphic. Steps are never changed once made.
const step = (t: Step['t'], frame: Frame | null, value: unknown, wait: Wait | null): Step => ({ t, frame, value, wait }) as Step;

/** A step boundary: the scheduler may run another thread here (docs/architecture.md §2.2 choice points). */
export const OP: Step = step('op', null, undefined, null);

export const block = (wait: Wait): Step => step('block', null, undefined, wait);

/** A new frame of routine `fn` (not running yet): a job's body, or a callee. */
export function frame<F extends Frame>(fn: Routine<F>, locals: Locals<F>): F {
  const f = locals as F;
  f.fn = fn as Routine<never>;
  f.pc = 0;
  return f;
}

/** Run routine `fn` with these locals; the caller goes on at its `pc` with the result in `f.ret`. */
export const call = <F extends Frame>(fn: Routine<F>, locals: Locals<F>): Step => callFrame(frame(fn, locals));

// A routine returns the step it makes at once (`return call(…)`, `return ret(…)`), and the scheduler
// reads it before any other routine runs (Engine.stepThread): so one call step and one return step,
// refilled each time, serve every call and return, and no step is allocated per call or return.
// Never keep a step a routine did not return straight away.
const CALL = step('call', null, undefined, null) as { t: 'call'; frame: Frame };
const RET = step('ret', null, undefined, null) as { t: 'ret'; value: unknown };

/** Run this frame (from `frame`, `acquire`, `pauseThen`…) as a callee. */
export const callFrame = (f: Frame): Step => {
  CALL.frame = f;
  return CALL;
};

/** Return `value` to the caller. */
export const ret = (value: unknown = undefined): Step => {
  RET.value = value;
  return RET;
};

/** A return of `value` made once, for a routine that returns the same value often. */
export const constRet = (value: unknown): Step => step('ret', null, value, null);

/** Is this a frame (a routine to run) rather than a value? */
export const isFrame = (v: unknown): v is Frame => typeof v === 'object' && v !== null && typeof (v as Frame).fn === 'function';

interface WaitFrame extends Frame {
  wait: Wait;
}

/** Block the running thread until `wait` is satisfied (Engine.satisfied): `return call(waitFor, { wait })`. */
export const waitFor: Routine<WaitFrame> = (engine, f) => (engine.satisfied(f.wait) ? ret() : block(f.wait));
immutableLocals(waitFor, 'wait');

interface ThenFrame extends Frame {
  wait: Wait | null;
  data: unknown;
  then: (engine: Engine, data: never) => unknown;
}

/**
 * A step boundary (or, with `wait`, a wait), then `then(engine, data)`: its value is the routine's
 * result, or, when it is a frame, that frame runs and its result is. `then` is a module-level function.
 */
const boundaryThen: Routine<ThenFrame> = (engine, f) => {
  if (f.pc === 2) return ret(f.ret);
  if (f.pc === 0) {
    f.pc = 1;
    if (f.wait === null) return OP;
  }
  if (f.wait !== null && !engine.satisfied(f.wait)) return block(f.wait);
  f.pc = 2;
  const v = f.then(engine, f.data as never);
  return isFrame(v) ? callFrame(v) : ret(v);
};
immutableLocals(boundaryThen, 'wait');

/** A step boundary, then `then(engine, data)` (a frame to return from a routine or handler). */
export const pauseThen = <D>(data: D, then: (engine: Engine, data: D) => unknown): Frame =>
  frame(boundaryThen, { wait: null, data, then: then as ThenFrame['then'] });

/** Wait until `wait` is satisfied, then `then(engine, data)`. */
export const waitThen = <D>(wait: Wait, data: D, then: (engine: Engine, data: D) => unknown): Frame =>
  frame(boundaryThen, { wait, data, then: then as ThenFrame['then'] });
