#!/usr/bin/env node
// `pnp-playground <command> …` (npm run simulate / link / explore, npx pnp-playground): starts the
// prebuilt command-line tools with plain node, rebuilding them first if a source changed since the
// last build (scripts/cli-bundle.mjs), so what runs is never stale; runBundle starts it with V8's
// code cache of the command, so a run does not compile again what an earlier run compiled.
import { buildCli, isStale, runBundle } from '../scripts/cli-bundle.mjs';

if (isStale()) {
  try {
    await buildCli();
  } catch (e) {
    process.stderr.write(`pnp-playground: could not build the command-line tools: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
}
runBundle();
