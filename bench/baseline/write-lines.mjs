// Baseline of the speed benchmark (bench/speed.bench.ts): a bare Node script that writes the same
// JSON Lines the runner prints, in ~1 MB chunks with backpressure like the runner, and nothing else.
//   node bench/baseline/write-lines.mjs trace.jsonl > /dev/null
import { readFileSync } from 'node:fs';

const text = readFileSync(process.argv[2], 'utf8');
const CHUNK = 1 << 20;
for (let at = 0; at < text.length; ) {
  let end = text.indexOf('\n', Math.min(text.length - 1, at + CHUNK));
  end = end < 0 ? text.length : end + 1;
  const chunk = text.slice(at, end);
  await new Promise((done) => process.stdout.write(chunk, done));
  at = end;
}
