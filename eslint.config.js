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
    // The engine is framework-free: no React, DOM-only or worker imports (docs/architecture.md).
    files: ['src/engine/**/*.ts'],
    rules: {
      // API handlers share one generator signature; many never block.
      'require-yield': 'off',
      'no-restricted-imports': ['error', { patterns: ['react', 'react-*', '@xyflow/*', 'zustand', '../ui/*', '../worker/*', '../store/*'] }],
    },
  },
  {
    // One direction between the layers (docs/architecture.md): the scenario layer imports the
    // engine (its API table, constants, rule catalogue, trace types); the engine imports nothing
    // from src/scenario at run time. It may name the types of what it runs (`import type` from
    // src/scenario/types.ts): they are erased and create no module edge. Tests and the test
    // harness (testing.ts, the conformance corpus) load scenarios, so they may use the scenario layer.
    files: ['src/engine/**/*.ts'],
    ignores: ['src/engine/**/*.test.ts', 'src/engine/testing.ts', 'src/engine/conformance/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/scenario/*', '**/scenario/**'],
              allowTypeImports: true,
              message: 'The engine does not import the scenario layer (scenario → engine): use `import type`, or move the value into src/engine.',
            },
          ],
        },
      ],
    },
  },
);
