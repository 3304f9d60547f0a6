// Property tests (fast-check) for the device side: random device gestures on 1–3 devices, random
// apps following or breaking seed 002's recipe, random toastmon-shaped monitors, random handle
// closes and process exits, some gestures concurrent. Whatever happens, the engine never throws,
// ends with exactly one halt, is deterministic, and keeps the invariants of the RM and CM rules.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { run, runRaw, type Run } from './testing.ts';
import { closeHandle, device, holderApp, handleApp, actions, A, recipeApp, ret, scenario, toastmon, type Component } from './conformance/fixtures-devices.ts';
import type { TraceEntry } from './trace.ts';

const cls = (i: number) => `GUID_DEVINTERFACE_T${i}`;

type AppSpec =
  | { kind: 'recipe'; dev: number; closeOnQueryRemove: boolean; unregisterInCallback: boolean; freeContextEarly: boolean; listFirst: boolean; dedupe: boolean }
  | { kind: 'holder'; dev: number }
  | { kind: 'simple'; dev: number; closeOnQueryRemove: boolean; veto: boolean };
type MonitorSpec = { dev: number; closeOnQueryRemove: boolean; veto: boolean };
type Gesture = { do: 'plug' | 'eject' | 'surpriseRemove'; dev: number; concurrent: boolean } | { do: 'release' | 'exit'; app: number; concurrent: boolean };

const dev = fc.nat({ max: 2 });
const arbApp: fc.Arbitrary<AppSpec> = fc.oneof(
  { weight: 3, arbitrary: fc.record({
    kind: fc.constant('recipe' as const), dev,
    closeOnQueryRemove: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    unregisterInCallback: fc.oneof({ weight: 6, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    freeContextEarly: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    listFirst: fc.boolean(), dedupe: fc.boolean(),
  }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('holder' as const), dev }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('simple' as const), dev, closeOnQueryRemove: fc.boolean(), veto: fc.boolean() }) },
);
const arbMonitor: fc.Arbitrary<MonitorSpec> = fc.record({
  dev,
  closeOnQueryRemove: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  veto: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
});
const concurrent = fc.oneof({ weight: 3, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) });
const arbGesture: fc.Arbitrary<Gesture> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ do: fc.constantFrom('plug' as const, 'eject' as const, 'surpriseRemove' as const), dev, concurrent }) },
  { weight: 1, arbitrary: fc.record({ do: fc.constantFrom('release' as const, 'exit' as const), app: fc.nat({ max: 3 }), concurrent }) },
);
const arbWorld = fc.record({
  present: fc.array(fc.boolean(), { minLength: 1, maxLength: 3 }),
  apps: fc.array(arbApp, { maxLength: 4 }),
  monitors: fc.array(arbMonitor, { maxLength: 2 }),
  gestures: fc.array(arbGesture, { minLength: 1, maxLength: 8 }),
  /** Scheduling overrides (docs/architecture.md §2.2): skip that many later choice points, then run the pick-th runnable thread. */
  picks: fc.array(fc.record({ skip: fc.nat({ max: 30 }), pick: fc.nat({ max: 5 }) }), { maxLength: 4 }),
});
type World = typeof arbWorld extends fc.Arbitrary<infer T> ? T : never;

function build(w: World) {
  const n = w.present.length;
  const apps: Record<string, Component> = {};
  const appIds: string[] = [];
  w.apps.forEach((a, i) => {
    const id = `app${i}`;
    const c = cls(a.dev % n);
    appIds.push(id);
    if (a.kind === 'recipe') {
      apps[id] = recipeApp({
        cls: c, closeOnQueryRemove: a.closeOnQueryRemove, unregisterInCallback: a.unregisterInCallback,
        freeContextEarly: a.freeContextEarly, order: a.listFirst ? 'list-then-register' : 'register-then-list', dedupe: a.dedupe,
      });
    } else if (a.kind === 'holder') {
      apps[id] = holderApp(c);
    } else {
      apps[id] = handleApp(actions({ [A.QUERYREMOVE]: [...(a.closeOnQueryRemove ? [closeHandle()] : []), ...(a.veto ? [ret('ERROR_CANCELLED')] : [])] }), {
        cls: c, extra: { Release: [closeHandle()] },
      });
    }
  });
  const drivers: Record<string, Component> = {};
  w.monitors.forEach((m, i) => {
    drivers[`kmon${i}`] = toastmon({ cls: cls(m.dev % n), closeOnQueryRemove: m.closeOnQueryRemove, ...(m.veto ? { queryRemoveStatus: 'STATUS_UNSUCCESSFUL' } : {}) });
  });
  const timeline: unknown[] = [
    ...Object.keys(drivers).map((d) => ({ do: 'load', driver: d })),
    ...appIds.map((a) => ({ do: 'start', app: a })),
  ];
  for (const g of w.gestures) {
    const c = g.concurrent && timeline.length > 0 ? { concurrent: true } : {};
    if ('app' in g) {
      if (appIds.length === 0) continue;
      const id = appIds[g.app % appIds.length];
      const a = w.apps[g.app % appIds.length];
      if (g.do === 'exit') timeline.push({ do: 'exit', app: id, ...c });
      else timeline.push({ do: 'run', component: id, routine: a.kind === 'recipe' ? 'Cleanup' : 'Release', ...c });
    } else {
      timeline.push({ do: g.do, device: `toaster${g.dev % n}`, ...c });
    }
  }
  return withPicks(scenario({
    devices: w.present.map((p, i) => device(`toaster${i}`, { interfaces: [cls(i)], present: p })),
    drivers, apps, timeline,
  }), w.picks);
}

/** Turn random picks into valid `schedule` overrides, earliest first, each read from the run so far. */
function withPicks<S extends { schedule?: { at: number; run: string }[] }>(s: S, picks: World['picks']): S {
  let cur = s;
  let last = -1;
  for (const p of picks) {
    const out = runRaw(cur);
    if (!out.ok) throw new Error(out.errors.map((e) => e.message).join('; '));
    const later = out.choices.filter((c) => c.at > last);
    if (later.length === 0) break;
    const c = later[p.skip % later.length];
    cur = { ...cur, schedule: [...(cur.schedule ?? []), { at: c.at, run: c.runnable[p.pick % c.runnable.length] }] };
    last = c.at;
  }
  return cur;
}

// ---------------------------------------------------------------- invariants

/** Pair every `return` with its `call` (per thread, innermost first). */
function callOf(trace: TraceEntry[]): Map<number, Extract<TraceEntry, { type: 'call' }>> {
  const stacks = new Map<string, Extract<TraceEntry, { type: 'call' }>[]>();
  const out = new Map<number, Extract<TraceEntry, { type: 'call' }>>();
  for (const e of trace) {
    if (e.type === 'call') {
      const s = stacks.get(e.thread) ?? [];
      s.push(e);
      stacks.set(e.thread, s);
    } else if (e.type === 'return') {
      const s = stacks.get(e.thread) ?? [];
      while (s.length > 0) {
        const c = s.pop()!;
        if (c.api === e.api) {
          out.set(e.seq, c);
          break;
        }
      }
    }
  }
  return out;
}

/** CM-6/CM-10 (and UN-2): no callback of a registration after its unregister returned. */
function noCallbackAfterUnregister(r: Run): string[] {
  const calls = callOf(r.trace);
  const doneAt = new Map<string, number>();
  for (const e of r.of('return')) {
    if ((e.api === 'CM_Unregister_Notification' && e.result === 'CR_SUCCESS') || (e.api === 'IoUnregisterPlugPlayNotificationEx' && e.result === 'STATUS_SUCCESS')) {
      const c = calls.get(e.seq);
      const id = String(c?.args.NotifyContext ?? c?.args.NotificationEntry);
      if (!doneAt.has(id)) doneAt.set(id, e.seq);
    }
  }
  return r.of('invoke')
    .filter((e) => e.registration && doneAt.has(e.registration) && e.seq > doneAt.get(e.registration)!)
    .map((e) => `#${e.seq} ${r.label(e)} after the unregister of ${e.registration} returned at #${doneAt.get(e.registration!)}`);
}

/** RM-1/RM-5: IRP_MN_REMOVE_DEVICE is never sent while a handle or file object is open on the device. */
function noRemoveWhileOpen(r: Run): string[] {
  const open = new Map<string, string>(); // handle → device
  const out: string[] = [];
  for (const e of r.trace) {
    if (e.type === 'state' && e.entity.startsWith('handle:')) {
      const id = e.entity.slice('handle:'.length);
      if (e.to === 'open') open.set(id, String(e.info?.device));
      else open.delete(id);
    } else if (e.type === 'irp' && e.minor === 'IRP_MN_REMOVE_DEVICE') {
      const held = [...open].filter(([, d]) => d === e.device).map(([h]) => h);
      if (held.length > 0) out.push(`#${e.seq} REMOVE_DEVICE to ${e.device} while ${held.join(', ')} open`);
    }
  }
  return out;
}

/** RM-1…RM-4: each QUERYREMOVE is followed by exactly one of QUERYREMOVEFAILED, REMOVEPENDING, or the registration's end. */
function queryRemoveResolved(r: Run): string[] {
  const out: string[] = [];
  const halted = r.halt !== 'quiescent';
  const byReg = new Map<string, { seq: number; action: string }[]>();
  for (const e of r.of('invoke')) {
    if (!e.registration || typeof e.args.Action !== 'string') continue;
    const l = byReg.get(e.registration) ?? [];
    l.push({ seq: e.seq, action: e.args.Action });
    byReg.set(e.registration, l);
  }
  const ended = new Map<string, number>();
  for (const e of r.of('state')) if (e.entity.startsWith('registration:') && e.to === 'unregistered') ended.set(e.entity.slice('registration:'.length), e.seq);
  for (const [reg, list] of byReg) {
    list.forEach((x, i) => {
      if (x.action !== A.QUERYREMOVE) return;
      const next = list.findIndex((y, j) => j > i && y.action === A.QUERYREMOVE);
      const window = list.slice(i + 1, next < 0 ? undefined : next);
      const answers = window.filter((y) => y.action === A.QUERYREMOVEFAILED || y.action === A.REMOVEPENDING);
      const end = ended.get(reg);
      const endedAfter = (end !== undefined && end > x.seq) || halted;
      if (answers.length > 1 || (answers.length === 0 && !endedAfter)) {
        out.push(`${reg}: QUERYREMOVE at #${x.seq} followed by ${answers.length === 0 ? 'nothing' : answers.map((a) => a.action).join(', ')}`);
      }
    });
  }
  return out;
}

/** Every eject is answered when the run ends quiescent. */
function ejectsAnswered(r: Run): string[] {
  if (r.halt !== 'quiescent') return [];
  const asked = r.of('call').filter((e) => e.api === 'CM_Query_And_Remove_SubTree').length;
  const answered = r.returned('CM_Query_And_Remove_SubTree').length;
  return asked === answered ? [] : [`${asked} ejects, ${answered} answers`];
}

describe('property: device gestures, recipe apps and monitors', () => {
  it('never throws, one halt, deterministic, and keeps the removal and unregister invariants', () => {
    const t0 = Date.now();
    fc.assert(
      fc.property(arbWorld, (w) => {
        const s = build(w);
        const r = run(s);
        expect(r.of('halt').length).toBe(1);
        expect(r.trace.at(-1)!.type).toBe('halt');
        expect(['quiescent', 'deadlock', 'bugcheck', 'stalled']).toContain(r.halt);
        expect(JSON.stringify(run(s).trace)).toBe(JSON.stringify(r.trace));
        expect(noCallbackAfterUnregister(r)).toEqual([]);
        expect(noRemoveWhileOpen(r)).toEqual([]);
        expect(queryRemoveResolved(r)).toEqual([]);
        expect(ejectsAnswered(r)).toEqual([]);
      }),
      { numRuns: 500, seed: 20261121 },
    );
    expect(Date.now() - t0).toBeLessThan(60_000);
  }, 90_000);
});
