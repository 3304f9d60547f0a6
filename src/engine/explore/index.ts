// The interleaving explorer (docs/explore.md).
export { explore, exploreTask, splitTasks, mergeResults, ROOT_TASK, EXPLORE_FORMAT } from './explore.ts';
export type { ExploreOptions, ExploreResult, OutcomeReport, Divergence, Sharing, StopReason, Task, TaskResult } from './explore.ts';
export type { Outcome } from './outcome.ts';
export { ExploredStates } from './explored.ts';
export type { StateBatch, StatesLink, TableStats } from './explored.ts';
export { plan, dispatch, exploreOnWorkers, exploreStealing, helperSharing, joinPools, PROBE_RUNS, TASKS_PER_WORKER } from './parallel.ts';
export type { Helpers, HelperMessage, Spent, StealOptions, StealStats, Plan, TaskJob, TaskOptions, TaskPool, Workers } from './parallel.ts';
