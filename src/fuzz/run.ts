// The fuzz suite's long mode: `npm run fuzz -- --runs 10000 [--seed N] [--sweep]`.
// Runs N mutated demos (and with --sweep every Object.prototype name in every string position of
// every demo), prints a summary — internal errors, runs over 5 s, the slowest run, the most entries —
// and exits 1 if any scenario broke a check (each one is printed with its text).
import fc from 'fast-check';
import { checkScenario, protoSweep, scenarioArb } from './fuzz.ts';

const SLOW_MS = 5_000;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const runs = Number(arg('--runs') ?? 1000);
const seed = Number(arg('--seed') ?? Date.now() % 1_000_000);
const sweep = process.argv.includes('--sweep');

const stats = { runs: 0, ran: 0, invalid: 0, internal: 0, failed: 0, slow: 0, maxMs: 0, maxMsDemo: '', maxEntries: 0, maxEntriesDemo: '' };
const failures: { demo: string; text: string; problems: string[] }[] = [];

function check(demo: string, text: string) {
  const r = checkScenario(text);
  stats.runs++;
  if (r.exit === 0) stats.ran++;
  else if (r.exit === 2) stats.invalid++;
  else stats.internal++;
  if (r.ms > SLOW_MS) stats.slow++;
  if (r.ms > stats.maxMs) Object.assign(stats, { maxMs: r.ms, maxMsDemo: demo });
  if (r.entries > stats.maxEntries) Object.assign(stats, { maxEntries: r.entries, maxEntriesDemo: demo });
  if (r.problems.length > 0 || r.ms > SLOW_MS) {
    stats.failed++;
    if (failures.length < 20) failures.push({ demo, text, problems: r.problems.length ? r.problems : [`took ${Math.round(r.ms)} ms`] });
  }
  if (stats.runs % 1000 === 0) process.stderr.write(`… ${stats.runs} scenarios\n`);
}

const t0 = performance.now();
for (const s of fc.sample(scenarioArb, { numRuns: runs, seed })) check(s.demo, s.text);
if (sweep) for (const s of protoSweep()) check(s.demo, s.text);
const seconds = (performance.now() - t0) / 1000;

for (const f of failures) console.log(`FAILED (${f.demo}): ${f.problems.join('; ')}\n  ${f.text}\n`);
console.log(`fuzz: ${stats.runs} scenarios (seed ${seed}${sweep ? ', with the Object.prototype sweep' : ''}) in ${seconds.toFixed(0)} s`);
console.log(`  ran ${stats.ran}, invalid ${stats.invalid} (exit 2), internal errors ${stats.internal}, other failed checks ${stats.failed - stats.internal}`);
console.log(`  runs over ${SLOW_MS / 1000} s: ${stats.slow}; slowest run ${Math.round(stats.maxMs)} ms (${stats.maxMsDemo}); most entries ${stats.maxEntries} (${stats.maxEntriesDemo})`);
process.exitCode = stats.failed > 0 ? 1 : 0;
