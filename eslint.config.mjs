// @ts-check
import eslint from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      '.data/**',
      'test-artifacts/**',
      'scratch/**',
      'jest.config.js',
      'eslint.config.mjs',
      'console/dist/**',
      'console/src/api/schema.ts',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.jest },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'off',
      // Configuration is read only in src/config (see shared STYLE.md).
      'no-process-env': 'error',
      'no-console': 'error',
      'no-restricted-properties': [
        'error',
        ...['it', 'describe', 'test'].map((object) => ({
          object,
          property: 'only',
          message: 'Focused tests must not be committed',
        })),
      ],
    },
  },
  {
    files: ['src/config/**/*.ts'],
    rules: { 'no-process-env': 'off' },
  },
  {
    files: ['test/**/*.ts', 'src/**/*.spec.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    // Benchmarks are scripts that print their results and take their knobs from the environment.
    files: ['bench/**/*.ts'],
    rules: { 'no-console': 'off', 'no-process-env': 'off' },
  },
  {
    files: ['migrations/**/*.ts'],
    rules: { '@typescript-eslint/no-unused-vars': 'off' },
  },
  {
    // The public pages' browser script: plain JavaScript, not part of the TypeScript project.
    files: ['src/pages/assets/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      globals: { ...globals.browser },
      sourceType: 'script',
      parserOptions: { projectService: false },
    },
  },
  {
    // The staff console runs in the browser (its own tsconfig, found by the project service).
    files: ['console/**/*.{ts,tsx,mts}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Build scripts: Node ESM, outside the TypeScript projects; they read their arguments, not configuration.
    files: ['console/scripts/**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: { ...globals.node }, sourceType: 'module', parserOptions: { projectService: false } },
    rules: { ...tseslint.configs.disableTypeChecked.rules, 'no-process-env': 'off' },
  },
);
