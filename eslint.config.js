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
    // Maps keyed by scenario data (ids, variable names) are Maps or prototype-free objects
    // (`dict()` in src/engine/model.ts): a name like `toString` or `__proto__` is just a key.
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts', '**/*.test.tsx'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "VariableDeclarator[id.typeAnnotation.typeAnnotation.typeName.name='Record'][id.typeAnnotation.typeAnnotation.typeArguments.params.0.type='TSStringKeyword'] > ObjectExpression",
          message: 'A Record built from an object literal inherits Object.prototype: use a Map, or dict() / Object.create(null) for keys from scenario data.',
        },
        {
          selector: "PropertyDefinition[typeAnnotation.typeAnnotation.typeName.name='Record'][typeAnnotation.typeAnnotation.typeArguments.params.0.type='TSStringKeyword'] > ObjectExpression",
          message: 'A Record built from an object literal inherits Object.prototype: use a Map, or dict() / Object.create(null) for keys from scenario data.',
        },
        {
          selector: "TSAsExpression[typeAnnotation.typeName.name='Record'] > ObjectExpression[properties.length=0]",
          message: 'An empty object literal used as a map inherits Object.prototype: use a Map, or dict() / Object.create(null).',
        },
      ],
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
