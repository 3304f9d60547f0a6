// Test helper: run the prebuilt command-line tool (bin/pnp-playground.mjs) as a child process and
// collect what it wrote. Used by the CLI tests, which check exit codes and exact output.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../../scripts/cli-bundle.mjs';

export const BIN = join(ROOT, 'bin/pnp-playground.mjs');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `node bin/pnp-playground.mjs …args`, with `stdin` written and closed when given, and `env` added to the environment. */
export function runCli(args: string[], stdin?: string, env?: Record<string, string>): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, ...(env ? { env: { ...process.env, ...env } } : {}), stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
    if (stdin !== undefined) child.stdin?.end(stdin);
  });
}
