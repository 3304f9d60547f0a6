// The registry mirror this project is built against does not serve some platform-specific optional
// packages (e.g. @tailwindcss/oxide-win32-x64-msvc), so `npm install` leaves them out of
// package-lock.json and `npm ci` then refuses the lock as out of sync. This adds a lock entry for each
// missing optional platform package, with the os/cpu that make npm skip it on other platforms.
// Run after `npm install` changed the lock: `node scripts/lock-optional-platforms.mjs`.
import { readFileSync, writeFileSync } from 'node:fs';

const PLATFORMS = [
  [/android-arm64/, { os: ['android'], cpu: ['arm64'] }],
  [/darwin-arm64/, { os: ['darwin'], cpu: ['arm64'] }],
  [/darwin-x64/, { os: ['darwin'], cpu: ['x64'] }],
  [/freebsd-x64/, { os: ['freebsd'], cpu: ['x64'] }],
  [/linux-arm-gnueabihf/, { os: ['linux'], cpu: ['arm'] }],
  [/wasm32-wasi/, { cpu: ['wasm32'] }],
  [/win32-arm64/, { os: ['win32'], cpu: ['arm64'] }],
  [/win32-x64/, { os: ['win32'], cpu: ['x64'] }],
];

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const pkgs = lock.packages;
let added = 0;
for (const [path, entry] of Object.entries(pkgs)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    if (pkgs[key] || pkgs[`${path}/node_modules/${name}`]) continue;
    const platform = PLATFORMS.find(([re]) => re.test(name));
    if (!platform) continue;
    pkgs[key] = { version, ...(entry.dev ? { dev: true } : {}), optional: true, ...platform[1] };
    added++;
  }
}
const sorted = Object.fromEntries(Object.entries(pkgs).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)));
lock.packages = sorted;
writeFileSync('package-lock.json', `${JSON.stringify(lock, null, 2)}\n`);
console.log(`added ${added} optional platform entr${added === 1 ? 'y' : 'ies'}`);
