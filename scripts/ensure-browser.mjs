#!/usr/bin/env node
// Make sure a Chromium exists for the Playwright e2e tests (run by `npm run test:e2e`).
// Order, as in playwright.config.ts: $PLAYWRIGHT_CHROMIUM_PATH, /usr/bin/chromium, Playwright's own.
// As root on Debian/Ubuntu it installs the distribution's chromium; elsewhere it says what to do.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import process from 'node:process';

const SYSTEM_CHROMIUM = '/usr/bin/chromium';
const say = (msg) => process.stdout.write(`[ensure-browser] ${msg}\n`);

/** Where Playwright's own Chromium (`npx playwright install chromium`) would be. */
function playwrightChromium() {
  try {
    return createRequire(import.meta.url)('playwright-core').chromium.executablePath();
  } catch {
    return ''; // dependencies not installed yet, or no build for this platform
  }
}

function found() {
  const fromEnv = process.env.PLAYWRIGHT_CHROMIUM_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return `PLAYWRIGHT_CHROMIUM_PATH=${fromEnv}`;
    say(`PLAYWRIGHT_CHROMIUM_PATH is set to ${fromEnv}, but that file does not exist.`);
    return null; // the config would use this path: do not silently test with another browser
  }
  if (existsSync(SYSTEM_CHROMIUM)) return SYSTEM_CHROMIUM;
  const own = playwrightChromium();
  if (own && existsSync(own)) return `Playwright's Chromium (${own})`;
  return null;
}

const which = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

let browser = found();
if (browser) {
  say(`using ${browser}`);
  process.exit(0);
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const isDebian = existsSync('/etc/debian_version') && which('apt-get');
if (!process.env.PLAYWRIGHT_CHROMIUM_PATH && isRoot && isDebian) {
  say('no Chromium found; installing the Debian package: apt-get update && apt-get install -y chromium');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'chromium']]) {
    say(`$ apt-get ${args.join(' ')}`);
    const r = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (r.status !== 0) {
      say(`apt-get ${args[0]} failed (exit ${r.status}).`);
      break;
    }
  }
  browser = found();
  if (browser) {
    say(`using ${browser}`);
    process.exit(0);
  }
}

process.stderr.write(`
[ensure-browser] The e2e tests need Chromium, and none was found.
Do one of these, then run the tests again:

  1. Install the system Chromium and, if it is not at ${SYSTEM_CHROMIUM}, point Playwright at it:
       sudo apt-get install chromium
       export PLAYWRIGHT_CHROMIUM_PATH=/path/to/chromium

  2. Or download Playwright's own Chromium:
       npx playwright install chromium
`);
process.exit(1);
