// The built-in demo gallery (issue 5): at least one guided demo per seed document, and the
// documented mistakes. Each demo is a pure pnp-scenario/1 file next to this one; load() drops
// envelope fields it does not know, so the gallery's own metadata (seed, tags, where the page
// opens) lives here and not in the JSON. The files are imported statically so Vite bundles them.
//
// Where a demo opens (`start`) is described by what to look for in its trace, never by a
// hard-coded seq: the same demo keeps opening at the same moment when the engine adds entries.
import type { RuleId, Severity } from '../../engine/rules/ids.ts';
import type { TraceEntry } from '../../engine/trace.ts';

import seed000Sync from './seed000-sync.json' with { type: 'json' };
import seed000Veto from './seed000-veto.json' with { type: 'json' };
import seed000DriverEntryError from './seed000-driverentry-error.json' with { type: 'json' };
import seed000ProcessorGroups from './seed000-processor-groups.json' with { type: 'json' };
import mistakeKeNoDeregister from './mistake-ke-no-deregister.json' with { type: 'json' };
import seed001Async from './seed001-async.json' with { type: 'json' };
import seed001SyncThenAsync from './seed001-sync-then-async.json' with { type: 'json' };
import seed002Recipe from './seed002-recipe.json' with { type: 'json' };
import seed002QueryRemoveFailed from './seed002-query-remove-failed.json' with { type: 'json' };
import seed002Surprise from './seed002-surprise.json' with { type: 'json' };
import seed002Duplicate from './seed002-duplicate.json' with { type: 'json' };
import seed002MissedArrival from './seed002-missed-arrival.json' with { type: 'json' };
import seed002InterfaceOffOn from './seed002-interface-off-on.json' with { type: 'json' };
import seed002EjectVetoed from './seed002-eject-vetoed.json' with { type: 'json' };
import seed002SurpriseDuringVeto from './seed002-surprise-during-veto.json' with { type: 'json' };
import mistakeHandleNotClosed from './mistake-handle-not-closed.json' with { type: 'json' };
import mistakeCmUnregisterInCallback from './mistake-cm-unregister-in-callback.json' with { type: 'json' };
import mistakeContextFreedEarly from './mistake-context-freed-early.json' with { type: 'json' };
import seed003NonExWindow from './seed003-non-ex-window.json' with { type: 'json' };
import seed003ExGuarantee from './seed003-ex-guarantee.json' with { type: 'json' };
import mistakeUn3IncludeExisting from './mistake-un3-include-existing.json' with { type: 'json' };
import mistakeUn4WaitWorkItem from './mistake-un4-wait-work-item.json' with { type: 'json' };
import mistakeUnloadBlocked from './mistake-unload-blocked.json' with { type: 'json' };
import seed004CustomEvent from './seed004-custom-event.json' with { type: 'json' };
import seed004SystemGuid from './seed004-system-guid.json' with { type: 'json' };
import seed004PagedAtDispatch from './seed004-paged-at-dispatch.json' with { type: 'json' };
import seed004DuringSurpriseRemoval from './seed004-during-surprise-removal.json' with { type: 'json' };
import mistakeCu8SyncReportInCallback from './mistake-cu8-sync-report-in-callback.json' with { type: 'json' };
import type { Interleavings } from './interleavings.ts';

/** The seed document a demo teaches (spec: 000 sync processor … 004 custom events). */
export type SeedId = '000' | '001' | '002' | '003' | '004';

/** `guided`: part of the seed's walk-through. `mistake`: shows a documented mistake. */
export type DemoTag = 'guided' | 'mistake';

/**
 * Where the page opens: the first trace entry that matches.
 * - `action`: the `action` entry of timeline step `step` (1-based, as the trace's `step`).
 * - `hazard`: the first hazard, or the first of that rule and/or severity.
 * - `note`: the first narration (`note` op or timeline note) whose text starts with `text`.
 * - `seq`: a fixed trace position (avoid: it moves when the engine changes).
 */
export type DemoStart =
  | { at: 'action'; step: number }
  | { at: 'hazard'; rule?: RuleId; severity?: Severity }
  | { at: 'note'; text: string }
  | { at: 'seq'; seq: number };

export interface Demo {
  /** The file name without `.json`; stable, usable in URLs. */
  id: string;
  seed: SeedId;
  title: string;
  /** Plain text: what to watch. */
  description: string;
  tags: DemoTag[];
  /** The scenario JSON as written (pass it to load()). */
  scenario: unknown;
  start: DemoStart;
  /**
   * What the interleaving explorer finds on this demo (docs/explore.md): how many schedules it
   * tries and how many of them bug-check, and what to compare it with. Checked against the
   * explorer by interleavings.test.ts, so the gallery never states a count the explorer disagrees with.
   */
  interleavings?: Interleavings;
}


interface ScenarioText {
  title: string;
  description: string;
}

function demo(id: string, seed: SeedId, tags: DemoTag[], scenario: ScenarioText, start: DemoStart, interleavings?: Interleavings): Demo {
  return { id, seed, title: scenario.title, description: scenario.description, tags, scenario, start, ...(interleavings ? { interleavings } : {}) };
}

const G: DemoTag[] = ['guided'];
const M: DemoTag[] = ['mistake'];
const GM: DemoTag[] = ['guided', 'mistake'];

/** In gallery order: by seed, the guided walk-through first, then that seed's mistakes. */
export const DEMOS: readonly Demo[] = [
  // 000 — synchronous processor notification
  demo('seed000-sync', '000', G, seed000Sync, { at: 'action', step: 1 }),
  demo('seed000-veto', '000', G, seed000Veto, { at: 'action', step: 3 }),
  demo('seed000-driverentry-error', '000', G, seed000DriverEntryError, { at: 'note', text: 'Cannot set up processor 1' }),
  demo('seed000-processor-groups', '000', G, seed000ProcessorGroups, { at: 'action', step: 2 }),
  demo('mistake-ke-no-deregister', '000', M, mistakeKeNoDeregister, { at: 'note', text: 'Bug:' }),
  // 001 — asynchronous processor and memory notification
  demo('seed001-async', '001', G, seed001Async, { at: 'action', step: 3 }),
  demo('seed001-sync-then-async', '001', G, seed001SyncThenAsync, { at: 'action', step: 2 }),
  // 002 — user-mode interface arrival and device removal
  demo('seed002-recipe', '002', G, seed002Recipe, { at: 'action', step: 2 }),
  demo('seed002-query-remove-failed', '002', G, seed002QueryRemoveFailed, { at: 'action', step: 3 }),
  demo('seed002-surprise', '002', G, seed002Surprise, { at: 'action', step: 2 }),
  demo('seed002-duplicate', '002', G, seed002Duplicate, { at: 'note', text: 'Already listed' }),
  demo('seed002-interface-off-on', '002', G, seed002InterfaceOffOn, { at: 'action', step: 3 }),
  demo('seed002-eject-vetoed', '002', G, seed002EjectVetoed, { at: 'action', step: 3 }),
  demo('seed002-surprise-during-veto', '002', G, seed002SurpriseDuringVeto, { at: 'action', step: 2 }),
  demo('seed002-missed-arrival', '002', GM, seed002MissedArrival, { at: 'note', text: 'Bug:' }, {
    schedules: 38, counts: { rule: 'CM-3' }, hits: 13, says: 'miss the arrival (CM-3)', then: 'In the others toaster1 arrives outside the gap: whether the app misses it depends on the order the threads run (register first, then list).',
  }),
  demo('mistake-handle-not-closed', '002', M, mistakeHandleNotClosed, { at: 'note', text: 'Bug:' }),
  demo('mistake-cm-unregister-in-callback', '002', M, mistakeCmUnregisterInCallback, { at: 'note', text: 'Bug:' }),
  demo('mistake-context-freed-early', '002', M, mistakeContextFreedEarly, { at: 'note', text: 'Bug:' }),
  // 003 — IoUnregisterPlugPlayNotificationEx
  demo('seed003-non-ex-window', '003', GM, seed003NonExWindow, { at: 'note', text: 'A processor arrived' }, {
    schedules: 76, counts: 'bugcheck', hits: 17, says: 'bug-check', then: 'IoUnregisterPlugPlayNotificationEx removes the window: explore the next demo.',
  }),
  demo('seed003-ex-guarantee', '003', G, seed003ExGuarantee, { at: 'note', text: 'A processor arrived' }, {
    schedules: 46, counts: 'bugcheck', hits: 0, says: 'bug-check', then: 'The Ex routine waits out the callback in every order the threads can run.',
  }),
  demo('mistake-un3-include-existing', '003', M, mistakeUn3IncludeExisting, { at: 'note', text: 'Found a processor' }),
  demo('mistake-un4-wait-work-item', '003', M, mistakeUn4WaitWorkItem, { at: 'note', text: 'Unregister from a work item' }),
  demo('mistake-unload-blocked', '003', M, mistakeUnloadBlocked, { at: 'note', text: 'Bug:' }),
  // 004 — IoReportTargetDeviceChangeAsynchronous
  demo('seed004-custom-event', '004', G, seed004CustomEvent, { at: 'action', step: 3 }),
  demo('seed004-system-guid', '004', GM, seed004SystemGuid, { at: 'note', text: 'Bug:' }),
  demo('seed004-paged-at-dispatch', '004', GM, seed004PagedAtDispatch, { at: 'note', text: 'Now at DISPATCH_LEVEL' }),
  demo('seed004-during-surprise-removal', '004', G, seed004DuringSurpriseRemoval, { at: 'action', step: 2 }),
  demo('mistake-cu8-sync-report-in-callback', '004', M, mistakeCu8SyncReportInCallback, { at: 'note', text: 'Bug:' }),
];

/** The demo with this id, if any. */
export const demoById = (id: string): Demo | undefined => DEMOS.find((d) => d.id === id);

/** Does this trace entry match the start hint? */
function matches(start: DemoStart, e: TraceEntry): boolean {
  switch (start.at) {
    case 'action':
      return e.type === 'action' && e.index === start.step - 1;
    case 'hazard':
      return (
        e.type === 'hazard' &&
        (start.rule === undefined || e.rule === start.rule) &&
        (start.severity === undefined || e.severity === start.severity)
      );
    case 'note':
      return e.type === 'note' && e.text.startsWith(start.text);
    case 'seq':
      return e.seq === start.seq;
  }
}

/**
 * The seq the page opens at for this demo's trace: the first entry matching its start hint, or 0
 * (the beginning) when nothing matches. Pure: same demo and trace, same answer.
 */
export function startSeq(demo: Pick<Demo, 'start'>, trace: readonly TraceEntry[]): number {
  const hit = trace.find((e) => matches(demo.start, e));
  return hit ? hit.seq : 0;
}
