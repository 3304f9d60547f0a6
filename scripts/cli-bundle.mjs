// Builds the command-line tools (src/cli/pnp-playground.ts) into one plain-JavaScript file,
// dist-cli/pnp-playground.mjs, so `npm run simulate`, `npm run link` and `npx pnp-playground …`
// start with plain `node` instead of compiling TypeScript at every start.
//
// scripts/build-cli.mjs builds it (npm runs that as `prepare` after `npm install` and `npm ci`).
//
// The build also writes dist-cli/manifest.json: every file that went into the bundle with its size
// and modification time. bin/pnp-playground.mjs compares them before each start (isStale) and
// rebuilds first when a source changed, so the runner is never stale. Zod is bundled, not loaded
// from node_modules, so only the modules the CLI uses are parsed (one locale, not 40).
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const OUT_DIR = join(ROOT, 'dist-cli');
export const BUNDLE = join(OUT_DIR, 'pnp-playground.mjs');
export const MANIFEST = join(OUT_DIR, 'manifest.json');
const ENTRY = join(ROOT, 'src/cli/pnp-playground.ts');
const MANIFEST_VERSION = 1;

const fileStamp = (path) => {
  const s = statSync(path);
  return [s.size, s.mtimeMs];
};

/**
 * Is the bundle missing or older than its sources? Cheap (one stat per input file, ~60 files), so
 * every start can afford it. Any doubt (no manifest, unreadable, a file gone) means stale.
 */
export function isStale(manifestPath = MANIFEST, bundlePath = BUNDLE) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    if (manifest.version !== MANIFEST_VERSION) return true;
    statSync(bundlePath);
  } catch {
    return true;
  }
  for (const [path, size, mtimeMs] of manifest.inputs) {
    try {
      const [s, m] = fileStamp(path);
      if (s !== size || m !== mtimeMs) return true;
    } catch {
      return true;
    }
  }
  return false;
}

/** The manifest of a build from these input files. */
export const manifestOf = (inputs) => ({ version: MANIFEST_VERSION, inputs: inputs.map((path) => [path, ...fileStamp(path)]) });

/** Build the bundle and its manifest. Files are written under temporary names then renamed, so a concurrent start never reads half a file. */
export async function buildCli() {
  const { build } = await import('vite');
  const result = await build({
    configFile: false,
    root: ROOT,
    publicDir: false,
    logLevel: 'error',
    ssr: { noExternal: true, target: 'node' },
    build: {
      ssr: ENTRY,
      write: false,
      target: 'node20',
      minify: false,
      rollupOptions: { output: { format: 'es', entryFileNames: 'pnp-playground.mjs', codeSplitting: false } },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]).flatMap((r) => r.output);
  const chunk = outputs.find((o) => o.type === 'chunk' && o.isEntry);
  if (!chunk) throw new Error('build-cli: the build produced no entry chunk');
  // Every module of the bundle, plus this script (a changed build is a changed output).
  const inputs = [...chunk.moduleIds.filter((id) => !id.startsWith('\0') && !id.includes('?')), fileURLToPath(import.meta.url)];
  const manifest = manifestOf(inputs);
  mkdirSync(OUT_DIR, { recursive: true });
  const tmp = `.${process.pid}.tmp`;
  writeFileSync(BUNDLE + tmp, chunk.code);
  renameSync(BUNDLE + tmp, BUNDLE);
  writeFileSync(MANIFEST + tmp, `${JSON.stringify(manifest)}\n`);
  renameSync(MANIFEST + tmp, MANIFEST);
}

