// Builds the bare React Flow page (the UI benchmark's baseline) into bench/results/bare-flow:
//   npx vite build --config bench/bare-flow/vite.config.ts
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: './',
  plugins: [react()],
  logLevel: 'warn',
  build: { outDir: fileURLToPath(new URL('../results/bare-flow', import.meta.url)), emptyOutDir: true, target: 'es2022' },
});
