// Writes docs/rules.md from the rule catalogue and the conformance tests' names
// (src/engine/rules/doc.ts).
//
//   npm run docs:rules            # rewrite docs/rules.md
//   npm run docs:rules -- --check # exit 1 when docs/rules.md is stale (what doc.test.ts checks)
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderRulesDoc, type SourceFile } from '../src/engine/rules/doc.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The conformance test files, as the renderer reads them. */
export function conformanceFiles(repo = root): SourceFile[] {
  const dir = join(repo, 'src/engine/conformance');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.test.ts'))
    .sort()
    .map((f) => ({ path: relative(repo, join(dir, f)).split('\\').join('/'), text: readFileSync(join(dir, f), 'utf8') }));
}

const target = join(root, 'docs/rules.md');
const text = renderRulesDoc(conformanceFiles());
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // missing: stale
  }
  if (current !== text) {
    process.stderr.write('docs/rules.md is stale: run `npm run docs:rules`\n');
    process.exit(1);
  }
} else {
  writeFileSync(target, text);
  process.stdout.write(`wrote docs/rules.md (${text.split('\n').length} lines)\n`);
}
