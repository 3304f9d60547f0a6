// Builds the command-line tools (src/cli/pnp-playground.ts) into one plain-JavaScript file,
// dist-cli/pnp-playground.cjs, so `npm run simulate`, `npm run link` and `npx pnp-playground …`
// start with plain `node` instead of compiling TypeScript at every start, and starts it (runBundle).
//
// scripts/build-cli.mjs builds it (npm runs that as `prepare` after `npm install` and `npm ci`).
//
// The build also writes dist-cli/manifest.json: every file that went into the bundle with its size
// and modification time. bin/pnp-playground.mjs compares them before each start (isStale) and
// rebuilds first when a source changed, so the runner is never stale. Zod is bundled, not loaded
// from node_modules, so only the modules the CLI uses are parsed (one locale, not 40).
//
// runBundle starts the bundle with V8's code cache (dist-cli/code-cache/): the bytecode of every
// function a command compiled, saved when it first ran, so later runs skip compiling it (what
// Node 22's module.enableCompileCache does; Node 20 has only vm.Script's cachedData, hence a
// CommonJS bundle). A cache belongs to one build of the bundle (its size and time are in the name;
// a build removes the old ones) and V8 rejects one made by another V8 or with other flags.
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { isMainThread } from 'node:worker_threads';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const OUT_DIR = join(ROOT, 'dist-cli');
export const BUNDLE = join(OUT_DIR, 'pnp-playground.cjs');
export const MANIFEST = join(OUT_DIR, 'manifest.json');
export const CODE_CACHE_DIR = join(OUT_DIR, 'code-cache');
/** Commands with a code cache of their own (each compiles other functions); anything else shares one. */
const CACHED_COMMANDS = new Set(['simulate', 'link', 'explore']);
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
      rollupOptions: { output: { format: 'cjs', entryFileNames: 'pnp-playground.cjs', codeSplitting: false } },
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
  rmSync(CODE_CACHE_DIR, { recursive: true, force: true }); // the old build's caches
  rmSync(join(OUT_DIR, 'pnp-playground.mjs'), { force: true }); // the bundle's name before it was CommonJS
}

/** The code cache of `command` for this build of the bundle. */
export function codeCachePath(command, bundlePath = BUNDLE, cacheDir = CODE_CACHE_DIR) {
  const s = statSync(bundlePath);
  const name = CACHED_COMMANDS.has(command) ? command : 'other';
  return join(cacheDir, `${name}-${s.size}-${Math.trunc(s.mtimeMs)}.bin`);
}

/**
 * Run the bundle as the command line `argv` (read from process.argv by the bundle itself), with
 * its code cache when there is one. When there is none, or V8 rejected it, the run saves one as
 * the process exits (unless it only printed help: a cache holds what the run compiled; a worker
 * thread started this way only reads the cache). A cache
 * that cannot be read or written is no error: the bundle then runs without one.
 */
export function runBundle(argv = process.argv.slice(2), bundlePath = BUNDLE, cacheDir = CODE_CACHE_DIR) {
  const code = readFileSync(bundlePath, 'utf8');
  const cachePath = codeCachePath(argv[0], bundlePath, cacheDir);
  let cachedData;
  try {
    cachedData = readFileSync(cachePath);
  } catch {
    cachedData = undefined;
  }
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${code}\n})`; // as Node wraps a CommonJS module
  const script = new Script(wrapped, { filename: bundlePath, cachedData });
  // The bundle's worker threads (explore) start through here too, with the same cache (src/cli/pnp-playground.ts).
  globalThis[Symbol.for('pnp-playground.runBundle')] = { launcher: import.meta.url, bundlePath, cacheDir };
  if (isMainThread && (cachedData === undefined || script.cachedDataRejected) && !argv.some((a) => a === '-h' || a === '--help')) {
    process.once('exit', () => {
      try {
        mkdirSync(cacheDir, { recursive: true });
        const tmp = `${cachePath}.${process.pid}.tmp`;
        writeFileSync(tmp, script.createCachedData());
        renameSync(tmp, cachePath);
      } catch {
        // no cache this time (a read-only install, a full disk)
      }
    });
  }
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(bundlePath), module, bundlePath, dirname(bundlePath));
}

