/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';

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
 * The page's entry (src/main.tsx) is small and imports the rest dynamically: the page's opening
 * (src/boot.ts), then the views (src/mount.tsx, which imports React DOM and the views' App in steps),
 * so that the engine worker starts first. index.html still fetches those chunks and the chunks they
 * import from its first bytes, as if they were static: modulepreload links for the chunks of
 * `entries`, what they import dynamically themselves (not what those import lazily), and every chunk
 * these import statically (they are all part of the first visit's download).
 */
function preloadViews(entries = ['src/boot.ts', 'src/mount.tsx']): Plugin {
  return {
    name: 'pnp-preload-views',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: (html, ctx) => {
        const bundle = ctx.bundle;
        if (!bundle) return html;
        const chunks = Object.values(bundle).filter((c) => c.type === 'chunk');
        const files = new Set<string>();
        const add = (file: string) => {
          if (files.has(file) || html.includes(`/${file}"`)) return;
          files.add(file);
          const chunk = bundle[file];
          if (chunk?.type === 'chunk') chunk.imports.forEach(add);
        };
        for (const entry of entries) {
          const chunk = chunks.find((c) => c.facadeModuleId?.replaceAll('\\', '/').endsWith(entry));
          if (!chunk) throw new Error(`preloadViews: no chunk for ${entry}`);
          add(chunk.fileName);
          chunk.dynamicImports.forEach(add);
        }
        return [...files].map((file) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `/${file}` }, injectTo: 'head' as const }));
      },
    },
  };
}

export default defineConfig({
  plugins: [react(), tailwindcss(), contentSecurityPolicy(), preloadViews()],
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    sourcemap: false,
    modulePreload: { polyfill: false },
    rolldownOptions: { output: { codeSplitting: { groups: [{ name: 'react-dom', test: /node_modules[\\/](react-dom|scheduler)[\\/]/ }] } } },
  },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'bench/**/*.test.ts'],
    environment: 'node',
  },
});
