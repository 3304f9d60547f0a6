// The benchmarks' static file server: a build at /, and the bare React Flow page at /bare/ when it is
// given. Every request is read from disk and not cached, so each visit loads what a first visit does;
// a path that is not a file gets the build's index.html (the app's own routing).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json' };

export function staticServer(dist: string, bare: string | null = null): Server {
  return createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const [base, rel] = bare && path.startsWith('/bare/') ? [bare, path.slice('/bare'.length)] : [dist, path];
    let file = normalize(join(base, rel));
    if (!file.startsWith(base)) return void res.writeHead(403).end();
    if (!existsSync(file) || statSync(file).isDirectory()) file = join(base, 'index.html');
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(readFileSync(file));
  });
}
