import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist', 'dist-cli', 'bench/results', 'node_modules', 'test-results', 'playwright-report'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{js,mjs}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The engine is framework-free: no React, DOM-only or worker imports (design.md).
    files: ['src/engine/**/*.ts'],
    rules: {
      // API handlers share one generator signature; many never block.
      'require-yield': 'off',
      'no-restricted-imports': ['error', { patterns: ['react', 'react-*', '@xyflow/*', 'zustand', '../ui/*', '../worker/*', '../store/*'] }],
    },
  },
);
