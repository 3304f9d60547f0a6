/// <reference types="vitest/config" />
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin, type Rollup } from 'vite';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';

type OutputBundle = Rollup.OutputBundle;

/**
 * The production page's Content-Security-Policy: everything from this origin, nothing else; no
 * eval (zod runs jitless, see src/scenario/zod-config.ts); the engine worker from this origin (blob:
 * allowed for workers a library may start); styles may be inline (React style attributes, xyflow,
 * CodeMirror's injected theme); downloads use blob: URLs. Dev is left alone: React refresh needs
 * an inline preamble script there.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** Injects the policy as the first element of <head> in the built index.html. */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'pnp-content-security-policy',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: () => [
        { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' },
      ],
    },
  };
}

/**
 * The entry's script is `async`: it runs as soon as it arrives, so the engine worker starts while
 * the stylesheet is still loading (a module script without it waits for the page's stylesheets,
 * ~40-60 ms on a first visit here), and `fetchpriority="high"` (Chromium fetches async scripts at
 * low priority, which made the worker start later, not earlier). Nothing is painted before the
 * stylesheet anyway (it blocks rendering), and src/mount.tsx waits for the document to be parsed
 * before rendering into it.
 */
function asyncEntry(): Plugin {
  return {
    name: 'pnp-async-entry',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: (html) => {
        const tag = '<script type="module" crossorigin src=';
        if (!html.includes(tag)) throw new Error('pnp-async-entry: no entry script in index.html');
        return html.replace(tag, '<script type="module" async fetchpriority="high" crossorigin src=');
      },
    },
  };
}

/**
 * `virtual:first-answer`: the engine worker's answer to the default first visit's run, computed with
 * the worker's own code (src/worker/firstAnswer.ts) whenever the build, the dev server or the tests
 * load it, and packed as text (src/worker/packed.ts). src/boot.ts imports it, so it is part of the
 * first visit's download. The engine's modules come in through this config, so a change to them
 * restarts the dev server (a config dependency): the answer is never stale.
 */
function firstAnswer(): Plugin {
  const id = 'virtual:first-answer';
  const resolved = `\0${id}`;
  return {
    name: 'pnp-first-answer',
    resolveId: (source) => (source === id ? resolved : null),
    async load(source) {
      if (source !== resolved) return null;
      const { firstAnswerText } = await import('./src/worker/firstAnswer.ts');
      return `export default ${JSON.stringify(firstAnswerText())};`;
    },
  };
}

/** What the chunking needs of a module: its static and dynamic imports (rolldown's module info). */
interface ModuleGraph {
  getModuleInfo(id: string): { importedIds: readonly string[]; dynamicallyImportedIds: readonly string[] } | null;
}

/**
 * The first visit's code in few requests. The page's entry (src/main.tsx) is small and imports the
 * rest dynamically, in order: the page's opening (src/boot.ts), then the views (src/mount.tsx, which
 * imports React DOM and the views' App in steps), so that the engine worker starts first and no one
 * evaluation is a long task. Each of those roots gets one chunk named after it (`boot`, `mount`)
 * holding what it loads on every visit and an earlier root did not: what it imports statically,
 * what it imports dynamically itself, and everything those import statically (less the entry's own
 * modules, which stay in the entry's chunk). React DOM keeps its chunk; what the page loads on demand
 * (panels, dialogs, the editor) keeps its own chunks. Without this, the modules the first visit
 * shares with on-demand code made a dozen small chunks, whose requests (HTTP/1.1: six at a time to
 * a host) queued ahead of the engine worker's script and delayed its start.
 *
 * `group` is the code-splitting group; `preload` adds modulepreload links for the first visit's
 * chunks (and what they import) to index.html, so the browser fetches them from its first bytes, as
 * if they were static. They carry no compile hint (`//# allFunctionsCalledOnLoad`, which makes
 * Chromium compile every function of a script on its thread pool while it streams in): on 2 cores
 * that eager compile of React DOM's and the views' chunks, half of whose bytes the first visit never
 * calls, competed with the first render for the second core and showed the graph later
 * (docs/benchmarks.md, "First load, ninth session").
 */
function firstVisitChunks(entry = 'src/main.tsx', roots = ['src/boot.ts', 'src/mount.tsx']) {
  const path = (file: string) => fileURLToPath(new URL(file, import.meta.url));
  /** Module id → the root whose chunk holds it. */
  let chunkOf: Map<string, string> | null = null;
  let graph: ModuleGraph | null = null;
  const collect = (ctx: ModuleGraph): Map<string, string> => {
    const seen = new Set<string>();
    const visit = (id: string) => {
      if (seen.has(id)) return;
      seen.add(id);
      ctx.getModuleInfo(id)?.importedIds.forEach(visit);
    };
    visit(path(entry));
    const owner = new Map<string, string>();
    const claim = (name: string) => seen.forEach((id) => owner.has(id) || owner.set(id, name));
    claim(''); // the entry's own modules
    for (const root of roots) {
      visit(path(root));
      ctx.getModuleInfo(path(root))?.dynamicallyImportedIds.forEach(visit);
      claim(root.replace(/^.*\//, '').replace(/\.tsx?$/, ''));
    }
    for (const [id, name] of owner) if (name === '') owner.delete(id);
    return owner;
  };
  const group = {
    name: (id: string, ctx: ModuleGraph) => {
      if (graph !== ctx || !chunkOf) [graph, chunkOf] = [ctx, collect(ctx)];
      return chunkOf.get(id) ?? null;
    },
    priority: 1,
    // Each chunk is closed under static imports already (less what an earlier chunk holds).
    includeDependenciesRecursively: false,
  };
  const preload: Plugin = {
    name: 'pnp-preload-first-visit',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: (html, ctx) => {
        const bundle = ctx.bundle;
        if (!bundle) return html;
        if (!chunkOf) throw new Error('pnp-preload-first-visit: the modules of the first visit were not collected');
        const files = [...firstVisitFiles(bundle)].filter((file) => !html.includes(`/${file}"`));
        return files.map((file) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `/${file}` }, injectTo: 'head' as const }));
      },
    },
  };
  /** The first visit's chunks: the entry's, the roots', and what they import statically. */
  const firstVisitFiles = (bundle: OutputBundle): Set<string> => {
    const files = new Set<string>();
    const add = (file: string) => {
      if (files.has(file)) return;
      files.add(file);
      const chunk = bundle[file];
      if (chunk?.type === 'chunk') chunk.imports.forEach(add);
    };
    for (const chunk of Object.values(bundle)) if (chunk.type === 'chunk' && (chunk.isEntry || chunk.moduleIds.some((id) => chunkOf?.has(id)))) add(chunk.fileName);
    return files;
  };
  return { group, preload };
}
const firstVisit = firstVisitChunks();

export default defineConfig({
  plugins: [react(), tailwindcss(), firstAnswer(), contentSecurityPolicy(), firstVisit.preload, asyncEntry()],
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    sourcemap: false,
    modulePreload: { polyfill: false },
    rolldownOptions: {
      output: { codeSplitting: { groups: [{ name: 'react-dom', test: /node_modules[\\/](react-dom|scheduler)[\\/]/, priority: 2 }, firstVisit.group] } },
    },
  },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'bench/**/*.test.ts'],
    environment: 'node',
  },
});
