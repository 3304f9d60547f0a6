// What the interleaved A/B tools (bench/visible-ab.ts, bench/link-ab.ts) share: their command line
// (builds, --rounds N, flags), each build served on its own loopback address, the e2e tests'
// Chromium, and the rounds themselves (every page once a round, in an order that rotates and
// reverses from round to round, after one warm-up visit each).
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import config from '../playwright.config.ts';
import { staticServer } from './static.ts';

export interface AbOptions {
  dists: string[];
  rounds: number;
  has(flag: string): boolean;
}

/** `DIST_A [DIST_B …] [--rounds N] [flags]`; prints the usage and exits 2 when it is not that. */
export function abOptions(usage: string, defaultRounds: number): AbOptions {
  const args = process.argv.slice(2);
  const roundsAt = args.indexOf('--rounds');
  const rounds = roundsAt >= 0 ? Number(args[roundsAt + 1]) : defaultRounds;
  const dists = args.filter((a, i) => !a.startsWith('--') && (roundsAt < 0 || i !== roundsAt + 1)).map((d) => resolve(d));
  if (dists.length === 0 || !Number.isInteger(rounds) || rounds < 1) {
    console.error(`usage: ${usage}`);
    process.exit(2);
  }
  return { dists, rounds, has: (flag) => args.includes(flag) };
}

export interface Served {
  /** Build A, B, C… with the address it is served at. */
  builds: { name: string; dist: string; url: string }[];
  /** The bare React Flow page's address (beside build A), when it was given. */
  bareUrl: string | null;
  close(): void;
}

/** Each build on its own loopback address at SPEED_PORT (own origin, absolute asset paths kept). */
export function serveBuilds(dists: string[], bare: string | null = null): Served {
  const port = Number(process.env.SPEED_PORT) || 4186;
  const host = (i: number) => `127.0.0.${i + 2}`;
  const servers = dists.map((dist, i) => staticServer(dist, bare).listen(port, host(i)));
  return {
    builds: dists.map((dist, i) => ({ name: String.fromCharCode(65 + i), dist, url: `http://${host(i)}:${port}/` })),
    bareUrl: bare ? `http://${host(0)}:${port}/bare/` : null,
    close: () => servers.forEach((s) => s.close()),
  };
}

/** The e2e tests' Chromium (playwright.config.ts), headless. */
export function launchOptions(): Parameters<typeof chromium.launch>[0] {
  const launch = (config.projects?.[0]?.use as { launchOptions?: Parameters<typeof chromium.launch>[0] } | undefined)?.launchOptions ?? {};
  return { ...launch, headless: true };
}

/**
 * One warm-up visit of each page, then `rounds` rounds visiting every page once, the order rotating
 * and reversing from round to round; `take` gets each visit of a round. Returns the load average
 * after each round.
 */
export async function interleave<P, V>(browser: Browser, pages: P[], rounds: number, visit: (browser: Browser, page: P) => Promise<V>, take: (page: P, v: V) => void): Promise<number[]> {
  const loads: number[] = [];
  for (const p of pages) await visit(browser, p); // to warm the server and the browser
  for (let r = 0; r < rounds; r++) {
    const k = r % pages.length;
    const order = [...pages.slice(k), ...pages.slice(0, k)];
    if (r % 2) order.reverse();
    for (const p of order) take(p, await visit(browser, p));
    loads.push(loadavg()[0]);
  }
  return loads;
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
