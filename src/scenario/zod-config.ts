// zod v4 compiles object parsers with `new Function` ("JIT") unless told not to. The production
// page's Content-Security-Policy (vite.config.ts) forbids eval, and even zod's guarded probe for it
// (`Function("")` in a try/catch) is reported as a CSP violation. jitless makes zod skip both.
//
// This must run before any zod schema is built, and validate.ts builds its schemas at module level,
// so import this module FIRST: `import './zod-config.ts';` as the first import of validate.ts (which
// then covers the page, the worker, the CLI and the tests), or as the first import of every entry
// point (src/main.tsx, src/worker/engine.worker.ts). ES modules evaluate imports in order, so a
// first import runs before the rest of the module graph.
import { z } from 'zod';

z.config({ jitless: true });
