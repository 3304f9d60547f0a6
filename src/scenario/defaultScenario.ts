// The built-in scenario a first visit opens (seed 000). Its own module: the page's opening
// (src/ui/url.ts) and the build, which computes the engine's first answer for it
// (src/worker/firstAnswer.ts), read the same object.
import seed000 from './demos/seed000-sync.json' with { type: 'json' };
import type { Scenario } from './types.ts';

/** The built-in scenario a first visit opens. */
export const DEFAULT_SCENARIO = seed000 as Scenario;
