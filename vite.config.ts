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
 * The page's entry (src/main.tsx) is small and imports the views (src/mount.tsx) dynamically, so
 * that the engine worker starts before they are evaluated. index.html still fetches that chunk and
 * the chunks it imports from its first bytes, as if it were static: modulepreload links for them
 * (they are part of the first visit's download).
 */
function preloadViews(entry = 'src/mount.tsx'): Plugin {
  return {
    name: 'pnp-preload-views',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: (html, ctx) => {
        const bundle = ctx.bundle;
        if (!bundle) return html;
        const chunks = Object.values(bundle).filter((c) => c.type === 'chunk');
        const views = chunks.find((c) => c.facadeModuleId?.replaceAll('\\', '/').endsWith(entry));
        if (!views) throw new Error(`preloadViews: no chunk for ${entry}`);
        const files = new Set<string>();
        const add = (file: string) => {
          if (files.has(file) || html.includes(`/${file}"`)) return;
          files.add(file);
          const chunk = bundle[file];
          if (chunk?.type === 'chunk') chunk.imports.forEach(add);
        };
        add(views.fileName);
        return [...files].map((file) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `/${file}` }, injectTo: 'head' as const }));
      },
    },
  };
}

export default defineConfig({
  plugins: [react(), tailwindcss(), contentSecurityPolicy(), preloadViews()],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: false },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'bench/**/*.test.ts'],
    environment: 'node',
  },
});
