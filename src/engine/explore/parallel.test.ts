// Exploring on several workers (docs/explore.md): the plan cuts the tree, the dispatcher hands the
// subtrees to whichever worker is free and merges by place in the tree, so the result is the same as
// one exploration in one thread — on every built-in demo, whatever order the workers finish in.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEMOS } from '../../scenario/demos/index.ts';
import { load } from '../../scenario/load.ts';
import type { NormalizedScenario, Op, Scenario } from '../../scenario/types.ts';
import {
  dispatch, explore, ExploredStates, exploreOnWorkers, exploreStealing, exploreTask, helperSharing, joinPools, mergeResults, plan, ROOT_TASK,
  type ExploreOptions, type ExploreResult, type HelperMessage, type Helpers, type StateBatch, type StatesLink, type Task, type TaskJob, type TaskPool, type TaskResult,
} from './index.ts';
import { asIntegers } from './explored.ts';

const normalized = (s: unknown): NormalizedScenario => {
  const l = load(s);
  if (!l.ok) throw new Error(l.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return l.scenario;
};

/**
 * `size` workers in this thread that finish in an order of their own: each subtree's result is held
 * back a number of turns of the event loop that depends on its order of arrival.
 */
function shuffledPool(scenario: NormalizedScenario, size: number): TaskPool & { jobs: number } {
  let n = 0;
  const pool = {
    size,
    jobs: 0,
    async run(job: Parameters<TaskPool['run']>[0]) {
      pool.jobs++;
      const r = exploreTask(scenario, job.task, job.options);
      for (let k = 0; k < (n++ * 7) % 5; k++) await new Promise((resolve) => setTimeout(resolve, 0));
      return r;
    },
  };
  return pool;
}

/** A result but the count of states (pruning visits fewer). */
const exceptStates = (r: ExploreResult) => ({ ...r, states: 0 });

const DEMO_SCENARIOS = DEMOS.map((d) => ({ id: d.id, scenario: normalized(d.scenario) }));

describe('explore on workers', { timeout: 60_000 }, () => {
  it.each(DEMO_SCENARIOS)('$id: 2 and 3 workers give exactly the result of one (outcomes, counts, schedules, order)', { timeout: 120_000 }, async ({ scenario }) => {
    const one = explore(scenario);
    for (const size of [2, 3]) {
      const pool = shuffledPool(scenario, size);
      // No probe: every demo goes through the cut, the workers and the merge.
      const r = await exploreOnWorkers({}, { size, plan: async (o) => plan(scenario, o, size, 0), pool });
      expect(r).toEqual(one);
      // A larger tree is cut: the workers explored it.
      if (one.runs >= 30) expect(pool.jobs).toBeGreaterThan(1);
    }
  });

  it('a small tree is done by the probe, without the workers', async () => {
    const s = DEMO_SCENARIOS.find((d) => d.id === 'seed003-non-ex-window')!.scenario;
    const planned = plan(s, {}, 2);
    expect(planned).toEqual({ result: explore(s) });
  });

  it('this thread and a pool joined: work goes to the first while it has room', async () => {
    const s = DEMO_SCENARIOS.find((d) => d.id === 'seed002-missed-arrival')!.scenario;
    const a = shuffledPool(s, 1);
    const b = shuffledPool(s, 2);
    const planned = plan(s, {}, 3, 0);
    if ('result' in planned) throw new Error('expected a cut');
    expect(await dispatch(planned, {}, joinPools(a, b))).toEqual(explore(s));
    expect(a.jobs).toBeGreaterThan(0);
    expect(b.jobs).toBeGreaterThan(0);
  });

  it('the bounds are shared: --max-runs stops the whole exploration near N, and says so', async () => {
    const s = DEMO_SCENARIOS.find((d) => d.id === 'seed002-query-remove-failed')!.scenario;
    const planned = plan(s, {}, 2, 0);
    if ('result' in planned) throw new Error('expected a cut');
    const r = await dispatch(planned, { maxRuns: 40 }, shuffledPool(s, 2));
    expect(r).toMatchObject({ complete: false, stoppedBy: ['max-runs'] });
    expect(r.runs).toBeGreaterThanOrEqual(20);
    expect(r.runs).toBeLessThanOrEqual(40 + planned.above.runs);
    let t = 0;
    const timed = await dispatch(planned, { timeLimitMs: 0, now: () => t++ }, shuffledPool(s, 2));
    expect(timed).toMatchObject({ complete: false, stoppedBy: ['time-limit'] });
  });
});

// ---------------------------------------------------------------- work stealing

/** A pseudo-random sequence of its own (the same for a seed): where the searches split. */
const randomFrom = (seed: number) => () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);

/**
 * A search split at random points between its schedules, the pieces split again and explored in a
 * random order: what work stealing does, in one thread. With `sharedBy` workers, their tables of
 * explored states linked (linksHere), each piece is explored by a random one of them (its table kept
 * across its pieces). Returns the merged result, how many tasks, and how many states a worker took
 * over from another instead of exploring them.
 */
function exploreSplitAtRandom(s: NormalizedScenario, options: ExploreOptions, seed: number, p = 0.1, sharedBy = 0): { result: ExploreResult; tasks: number; reused: number } {
  const random = randomFrom(seed);
  const tables = sharedBy > 0 ? linksHere(sharedBy, random).map((link, i) => new ExploredStates(s, link, i)) : [];
  const queue: Task[] = [ROOT_TASK];
  const parts: TaskResult[] = [];
  let tasks = 0;
  while (queue.length > 0) {
    const task = queue.splice(Math.floor(random() * queue.length), 1)[0];
    tasks++;
    const explored = tables.length > 0 ? tables[Math.floor(random() * tables.length)] : undefined;
    parts.push(exploreTask(s, task, { ...options, explored, sharing: { reserve: () => true, wanted: () => random() < p, give: (t) => queue.push(t) } }));
  }
  return { result: mergeResults(parts), tasks, reused: tables.reduce((n, t) => n + t.stats.reused, 0) };
}

/**
 * `size` helpers in this thread for `exploreStealing`: a helper explores the task it holds to its
 * end at a random moment — while the coordinating search asks whether anyone wants work (between
 * its schedules), or when it waits — and splits its own work when asked (and sometimes unasked).
 */
function helpersHere(s: NormalizedScenario, size: number, seed: number, share = false): Helpers & { tasks: number; splits: number; reused: () => number } {
  const random = randomFrom(seed);
  // Sharing the states explored completely: this thread is worker 0, helper i worker 1 + i, each helper one table for all its tasks.
  const links = share ? linksHere(size + 1, random) : null;
  const tables = links ? links.slice(1).map((link, i) => new ExploredStates(s, link, 1 + i)) : [];
  const jobs: (TaskJob | null)[] = Array.from({ length: size }, () => null);
  const asked = jobs.map(() => false);
  const out: HelperMessage[] = [];
  const runs = new Int32Array(1);
  const work = () => {
    const from = jobs.findIndex((j) => j !== null);
    if (from < 0) return;
    const { task, options } = jobs[from]!;
    jobs[from] = null;
    helpers.tasks++;
    const sharing = helperSharing(runs, options.maxRuns, () => asked[from] || random() < 0.02, (split) => {
      asked[from] = false;
      helpers.splits++;
      out.push({ from, split });
    });
    out.push({ from, result: exploreTask(s, task, { ...options, maxRuns: undefined, sharing, explored: tables[from] }), spent: { ms: 0, cpuMs: 0 } });
  };
  let started = false;
  const helpers = {
    size, runs, tasks: 0, splits: 0,
    ...(links ? { states: links[0] } : {}),
    reused: () => tables.reduce((n, t) => n + t.stats.reused, 0),
    start() {
      if (started) return;
      started = true;
      for (let from = 0; from < size; from++) out.push({ from, ready: true as const });
    },
    send(to: number, job: TaskJob) {
      asked[to] = false;
      jobs[to] = job;
    },
    ask(to: number) {
      asked[to] = true;
    },
    receive() {
      if (random() < 0.2) work();
      return out.splice(0);
    },
    async wait() {
      await Promise.resolve();
      work();
    },
  };
  return helpers;
}

/**
 * Links between `n` workers' tables in this thread: what one sends reaches every other one in the
 * order sent, but when is random (each receive takes a random number of the batches waiting), and
 * the clock that decides when a table sends runs at a random pace.
 */
function linksHere(n: number, random: () => number): StatesLink[] {
  const inboxes = Array.from({ length: n }, () => [] as StateBatch[]);
  let clock = 0;
  return inboxes.map((inbox, self) => ({
    send: (batch) => inboxes.forEach((other, i) => i !== self && other.push(batch)),
    receive: () => inbox.splice(0, Math.floor(random() * (inbox.length + 1))),
    now: () => (clock += random() * 3),
  }));
}

describe('sharing the states explored completely between workers', { timeout: 180_000 }, () => {
  it.each(DEMO_SCENARIOS)('$id: summaries arriving at random times, taken over by other workers: the result of one search', ({ scenario }) => {
    const one = explore(scenario);
    let reused = 0;
    for (const [seed, workers] of [[1, 2], [2, 3], [3, 2]]) {
      const shared = exploreSplitAtRandom(scenario, {}, seed, 0.1, workers);
      expect(shared.result).toEqual(one);
      reused += shared.reused;
    }
    // Under a preemption bound (the preemptions made so far are part of a state).
    const bounded = explore(scenario, { preemptions: 1 });
    expect(exploreSplitAtRandom(scenario, { preemptions: 1 }, 4, 0.1, 2).result).toEqual(bounded);
    // Where states are reached from two pieces, some are taken over (so this can fail).
    if (one.runs >= 1_000) expect(reused).toBeGreaterThan(0);
  });

  it('a batch carries its numbers as 32-bit integers when they all fit (what is taken over keeps the shapes made here), as doubles otherwise', () => {
    const s = DEMO_SCENARIOS.find((d) => d.id === 'seed002-recipe')!.scenario;
    const sent: StateBatch[] = [];
    const table = new ExploredStates(s, { send: (b) => sent.push(b), receive: () => [], now: () => 0 }, 0);
    exploreTask(s, ROOT_TASK, { explored: table });
    expect(sent.length).toBeGreaterThan(0);
    for (const b of sent) expect(b.data).toBeInstanceOf(Int32Array);
    const small = [0, 1, 2 ** 31 - 1, 7];
    expect(asIntegers(small)).toBeInstanceOf(Int32Array);
    expect([...asIntegers(small)]).toEqual(small);
    const large = [0, 2 ** 31, 5];
    expect(asIntegers(large)).toBeInstanceOf(Float64Array);
    expect([...asIntegers(large)]).toEqual(large);
  });

  it('split very often (hundreds of pieces): every schedule counted once, the states too', () => {
    const s = DEMO_SCENARIOS.find((d) => d.id === 'seed002-recipe')!.scenario;
    const one = explore(s);
    const { result, tasks, reused } = exploreSplitAtRandom(s, {}, 9, 0.5, 3);
    expect(tasks).toBeGreaterThan(200);
    expect(reused).toBeGreaterThan(0);
    expect(result).toEqual(one);
  });

  it.each(DEMO_SCENARIOS)('$id: exploreStealing with 1 to 3 helpers sharing their states gives the result of one worker', async ({ scenario }) => {
    const one = explore(scenario);
    for (const size of [1, 2, 3]) {
      const helpers = helpersHere(scenario, size, 10 + size, true);
      expect(await exploreStealing(scenario, {}, helpers)).toEqual(one);
    }
  });

  it('the bounds with shared states: --max-runs counts a state taken over as its schedules, every worker together', async () => {
    const s = DEMO_SCENARIOS.find((d) => d.id === 'seed002-recipe')!.scenario;
    const all = explore(s).runs;
    for (const maxRuns of [1, 40, 1_000]) {
      const r = await exploreStealing(s, { maxRuns }, helpersHere(s, 2, maxRuns, true));
      expect(r).toMatchObject({ complete: false, stoppedBy: ['max-runs'] });
      expect(r.runs).toBeLessThanOrEqual(maxRuns);
      expect(r.runs).toBeGreaterThan(0);
    }
    expect(await exploreStealing(s, { maxRuns: all }, helpersHere(s, 2, 5, true))).toEqual(explore(s));
    let t = 0;
    const timed = await exploreStealing(s, { timeLimitMs: 50, now: () => t++ }, helpersHere(s, 2, 6, true));
    expect(timed).toMatchObject({ complete: false, stoppedBy: ['time-limit'] });
  });

  it('a run stopped at a limit of the run: the result of one thread', () => {
    const one = explore(commutingNotes, { limits: HALTS_AMID_THE_NOTES });
    for (const seed of [1, 2, 3]) expect(exploreSplitAtRandom(commutingNotes, { limits: HALTS_AMID_THE_NOTES }, seed, 0.5, 2).result).toEqual(one);
  });
});

describe('work stealing: a search splits off its untried branches for another worker', { timeout: 120_000 }, () => {
  it.each(DEMO_SCENARIOS)('$id: split at random points, the pieces in a random order, gives the result of one search', ({ scenario }) => {
    const one = explore(scenario);
    for (const seed of [1, 2, 3]) {
      const { result, tasks } = exploreSplitAtRandom(scenario, {}, seed);
      expect(result).toEqual(one);
      if (one.runs >= 30) expect(tasks).toBeGreaterThan(1);
    }
    // Without pruning, and under a preemption bound.
    for (const options of [{ reduction: false, maxRuns: 3_000 }, { preemptions: 1 }]) {
      const serial = explore(scenario, options);
      if (!serial.complete && serial.stoppedBy.includes('max-runs')) continue;
      expect(exploreSplitAtRandom(scenario, options, 4).result).toEqual(serial);
    }
  });

  it.each(DEMO_SCENARIOS)('$id: exploreStealing with 1 to 3 helpers gives the result of one worker', async ({ scenario }) => {
    const one = explore(scenario);
    for (const size of [1, 2, 3]) {
      const helpers = helpersHere(scenario, size, size);
      expect(await exploreStealing(scenario, {}, helpers)).toEqual(one);
      if (one.runs >= 100) expect(helpers.tasks).toBeGreaterThan(1);
      if (one.runs >= 1_000) expect(helpers.splits).toBeGreaterThan(0); // the helpers split their work too
    }
  });

  it('every split leaves the tree as one search sees it: the states counted once, every schedule run once', () => {
    const s = DEMO_SCENARIOS.find((d) => d.id === 'seed002-recipe')!.scenario;
    const one = explore(s);
    const { result, tasks } = exploreSplitAtRandom(s, {}, 9, 0.5);
    expect(tasks).toBeGreaterThan(1_000);
    expect(result.runs).toBe(one.runs);
    expect(result.states).toBe(one.states);
    expect(result).toEqual(one);
  });

  it('the bounds are shared: --max-runs stops every worker at N runs together, and says so', async () => {
    const s = DEMO_SCENARIOS.find((d) => d.id === 'seed002-recipe')!.scenario;
    const all = explore(s).runs;
    for (const maxRuns of [1, 40, 1_000]) {
      const r = await exploreStealing(s, { maxRuns }, helpersHere(s, 2, maxRuns));
      expect(r).toMatchObject({ complete: false, stoppedBy: ['max-runs'] });
      expect(r.runs).toBeLessThanOrEqual(maxRuns);
      expect(r.runs).toBeGreaterThan(0);
    }
    // A cap the exploration does not reach: complete.
    expect(await exploreStealing(s, { maxRuns: all }, helpersHere(s, 2, 5))).toEqual(explore(s));
    let t = 0;
    const timed = await exploreStealing(s, { timeLimitMs: 50, now: () => t++ }, helpersHere(s, 2, 6));
    expect(timed).toMatchObject({ complete: false, stoppedBy: ['time-limit'] });
  });

  it('a run stopped at a limit of the run: the result of one thread, as exact as without pruning', async () => {
    const full = explore(commutingNotes, { limits: HALTS_AMID_THE_NOTES, reduction: false });
    const one = explore(commutingNotes, { limits: HALTS_AMID_THE_NOTES });
    expect(exceptStates(one)).toEqual(exceptStates(full));
    expect(await exploreStealing(commutingNotes, { limits: HALTS_AMID_THE_NOTES }, helpersHere(commutingNotes, 2, 3))).toEqual(one);
    expect(exploreSplitAtRandom(commutingNotes, { limits: HALTS_AMID_THE_NOTES }, 3, 0.5).result).toEqual(one);
    expect(exploreSplitAtRandom(commutingNotes, { limits: HALTS_AMID_THE_NOTES, reduction: false }, 3, 0.5).result).toEqual(full);
  });
});

// ---------------------------------------------------------------- a run stopped at a limit

/**
 * Two small drivers whose routines run concurrently, and a work item that may queue itself again,
 * forever: with a low limit on the threads a run creates (DL-3), some schedules end with a `budget`
 * halt. The counters the limits count are part of a state (state.ts), so pruning stays exact: the
 * result is that of no pruning, on one thread and on workers alike.
 */
const controlOp = fc.oneof(
  fc.constant<Op>({ op: 'note', text: 'n' }),
  fc.constantFrom('V', 'W').map<Op>((v) => ({ op: 'set', var: v, value: 'STATUS_UNSUCCESSFUL' })),
  fc.constantFrom('V', 'W').map<Op>((v) => ({ op: 'if', cond: { isNull: v }, then: [{ op: 'set', var: v, value: null }], else: [{ op: 'note', text: 'set' }] })),
);
const scenarioArb = fc.record({
  w1: fc.array(controlOp, { minLength: 1, maxLength: 3 }),
  w2: fc.array(controlOp, { minLength: 1, maxLength: 3 }),
  requeue: fc.boolean(),
}).map(({ w1, w2, requeue }): Scenario => {
  const queue: Op = { call: 'IoQueueWorkItem', WorkerRoutine: 'Again' } as Op;
  const driver = (work: Op[]) => ({ globals: { V: null, W: null }, routines: { DriverEntry: [], Again: [queue], Work: work } });
  return {
    format: 'pnp-scenario/1',
    drivers: { d0: driver(requeue ? [...w1, queue] : w1), d1: driver(w2) },
    timeline: [
      { do: 'load', driver: 'd0' }, { do: 'load', driver: 'd1' },
      { do: 'run', component: 'd0', routine: 'Work', concurrent: true }, { do: 'run', component: 'd1', routine: 'Work', concurrent: true },
    ],
  };
});

describe('a run stopped at a limit of the run (property)', () => {
  it('the outcomes and counts of no pruning, on one thread and on workers', async () => {
    const limits = { maxThreads: 5 };
    let budgets = 0;
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (raw) => {
        const s = normalized(raw);
        const por = explore(s, { limits, maxRuns: 400 });
        const full = explore(s, { limits, reduction: false, maxRuns: 400 });
        if (!por.complete || !full.complete) return;
        expect(exceptStates(por)).toEqual(exceptStates(full));
        expect(por.states).toBeLessThanOrEqual(full.states);
        if (full.outcomes.some((o) => o.halt === 'budget')) budgets++;
        const pool = shuffledPool(s, 2);
        const onWorkers = await exploreOnWorkers({ limits }, { size: 2, plan: async (o) => plan(s, o, 2, 0), pool });
        expect(onWorkers).toEqual(explore(s, { limits }));
      }),
      { numRuns: 25, seed: 5 },
    );
    expect(budgets).toBeGreaterThan(0);
  }, 120_000);
});

// ---------------------------------------------------------------- pruning runs that stop at a limit

/**
 * Two drivers each run three `note`s concurrently: the two orders of a pair of notes reach the same
 * state, so pruning explores it once. With a limit of 5 ops (DL-3), a run where both routines started
 * halts two notes later, before either ends. The ops counted so far are part of the state, so the
 * orders that reach the limit are counted exactly: the result is that of no pruning, field for field
 * but `states`. (Sleep sets, the reduction before pruning, counted fewer of these runs: they tried one
 * order of each pair, and had to explore again trying every order whenever a run met a limit.)
 */
const notes = { op: 'note', text: 'n' };
const commutingNotes = normalized({
  format: 'pnp-scenario/1',
  drivers: {
    d0: { routines: { DriverEntry: [], Work: [notes, notes, notes] } },
    d1: { routines: { DriverEntry: [], Work: [notes, notes, notes] } },
  },
  timeline: [
    { do: 'load', driver: 'd0' }, { do: 'load', driver: 'd1' },
    { do: 'run', component: 'd0', routine: 'Work', concurrent: true }, { do: 'run', component: 'd1', routine: 'Work', concurrent: true },
  ],
});
const HALTS_AMID_THE_NOTES = { maxOps: 5 };

describe('a run stopped at a limit of the run: pruning stays exact', () => {
  const full = explore(commutingNotes, { limits: HALTS_AMID_THE_NOTES, reduction: false });

  it('on one thread: the result of exploring without pruning, in fewer states', () => {
    expect(full.complete).toBe(true);
    expect(full.outcomes.some((o) => o.halt === 'budget')).toBe(true);
    const pruned = explore(commutingNotes, { limits: HALTS_AMID_THE_NOTES });
    expect(exceptStates(pruned)).toEqual(exceptStates(full));
    expect(pruned.states).toBeLessThan(full.states);
  });

  it('on workers: the result of one thread, field for field', async () => {
    const one = explore(commutingNotes, { limits: HALTS_AMID_THE_NOTES });
    for (const size of [2, 3]) {
      const pool = shuffledPool(commutingNotes, size);
      const r = await exploreOnWorkers({ limits: HALTS_AMID_THE_NOTES }, { size, plan: async (o) => plan(commutingNotes, o, size, 0), pool });
      expect(pool.jobs).toBeGreaterThan(1); // cut, and explored by the workers
      expect(r).toEqual(one);
    }
  });
});

/**
 * Random small scenarios: two or three routines of control ops (`note`, `set`, `if`) run concurrently
 * in two drivers, with a low limit on ops or entries. Wherever a run stops at the limit, the result —
 * on one thread and on workers — is exactly that of exploring without pruning (but `states`), and
 * pruning did prune in some of them (so this can fail).
 */
const localOp = fc.oneof(
  fc.constant<Op>({ op: 'note', text: 'n' }),
  fc.constantFrom('V', 'W').map<Op>((v) => ({ op: 'set', var: v, value: 'STATUS_UNSUCCESSFUL' })),
  fc.constantFrom('V', 'W').map<Op>((v) => ({ op: 'if', cond: { isNull: v }, then: [{ op: 'note', text: 'null' }, { op: 'note', text: 'still' }], else: [{ op: 'note', text: 'set' }] })),
);
const limitedArb = fc.record({
  routines: fc.array(fc.array(localOp, { minLength: 1, maxLength: 3 }), { minLength: 2, maxLength: 3 }),
  limit: fc.oneof(fc.integer({ min: 3, max: 14 }).map((maxOps) => ({ maxOps })), fc.integer({ min: 20, max: 40 }).map((maxEntries) => ({ maxEntries }))),
}).map(({ routines, limit }) => {
  const drivers: Record<string, { globals: Record<string, null>; routines: Record<string, Op[]> }> = {};
  routines.forEach((ops, i) => {
    const d = (drivers[`d${i % 2}`] ??= { globals: { V: null, W: null }, routines: { DriverEntry: [] } });
    d.routines[`Work${i}`] = ops;
  });
  const raw: Scenario = {
    format: 'pnp-scenario/1',
    drivers,
    timeline: [
      ...Object.keys(drivers).map((driver) => ({ do: 'load' as const, driver })),
      ...routines.map((_, i) => ({ do: 'run' as const, component: `d${i % 2}`, routine: `Work${i}`, concurrent: true })),
    ],
  };
  return { scenario: normalized(raw), limits: limit };
});

describe('a run stopped at a limit of the run (property): pruning stays exact', () => {
  it('on one thread and on workers, the result of exploring without pruning', async () => {
    let pruned = 0;
    await fc.assert(
      fc.asyncProperty(limitedArb, async ({ scenario: s, limits }) => {
        const full = explore(s, { limits, reduction: false, maxRuns: 2_000 });
        if (!full.complete || !full.outcomes.some((o) => o.halt === 'budget')) return;
        const one = explore(s, { limits });
        if (one.states < full.states) pruned++;
        expect(exceptStates(one)).toEqual(exceptStates(full));
        const onWorkers = await exploreOnWorkers({ limits }, { size: 2, plan: async (o) => plan(s, o, 2, 0), pool: shuffledPool(s, 2) });
        expect(onWorkers).toEqual(one);
        expect(exploreSplitAtRandom(s, { limits }, 11, 0.3, 2).result).toEqual(one);
      }),
      { numRuns: 40, seed: 7 },
    );
    expect(pruned).toBeGreaterThan(0);
  }, 120_000);
});
