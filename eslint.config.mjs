// @ts-check
// Type-checked lint for everything TypeScript in the repo; `npm run lint` runs it with --max-warnings=0.
import eslint from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const typescriptFiles = ['{lib,spec,examples,bench}/**/*.{ts,mts,cts}', '*.ts'];

export default defineConfig(
  { ignores: ['dist/', 'docs/api/', 'reports/', 'coverage/', '.tmp/', 'bench/results/'] },

  {
    files: typescriptFiles,
    extends: [eslint.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      // Unions of event types and states grow; a switch that forgot one should not compile quietly.
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false },
      ],
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      // A resilience library passes its callers' errors through unchanged, whatever their type
      // (`AbortSignal.reason` is typed `any`).
      '@typescript-eslint/prefer-promise-reject-errors': [
        'error',
        { allowThrowingUnknown: true, allowThrowingAny: true },
      ],
      '@typescript-eslint/only-throw-error': ['error', { allowThrowingUnknown: true, allowThrowingAny: true }],
      '@typescript-eslint/no-deprecated': 'error',
      '@typescript-eslint/consistent-type-exports': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': 'error',
    },
  },

  {
    // The published library: no `any` may reach users, no default exports, time only through the clock.
    files: ['lib/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/explicit-module-boundary-types': 'error',
      '@typescript-eslint/use-unknown-in-catch-callback-variable': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'breakwater uses named exports only.' },
        {
          selector: 'TSEnumDeclaration',
          message: 'Use a union of string literals or an `as const` object.',
        },
      ],
    },
  },
  {
    files: ['lib/**/*.ts'],
    ignores: ['lib/clock/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'Date',
          property: 'now',
          message: 'Read time through the Clock (lib/clock), so fake and injected clocks work.',
        },
        {
          object: 'performance',
          property: 'now',
          message: 'Read time through the Clock (lib/clock), so fake and injected clocks work.',
        },
      ],
      'no-restricted-globals': [
        'error',
        ...['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate'].map((name) => ({
          name,
          message: 'Schedule through the Clock (lib/clock), so fake and injected clocks work.',
        })),
      ],
    },
  },

  {
    // Tests and runnable programs: decorated `async` stubs that only throw, console output,
    // deliberately bad input and jest's `any`-typed matchers are all legitimate here.
    files: ['{spec,examples,bench,demo}/**/*.{ts,mts,cts}', '*.ts'],
    rules: {
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-empty-function': 'off',
      'no-console': 'off',
    },
  },
  {
    files: ['spec/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // `expect(instance.method)` and spies pass methods around without calling them.
      '@typescript-eslint/unbound-method': 'off',
    },
  },

  {
    files: ['**/*.{js,mjs,cjs}'],
    extends: [eslint.configs.recommended],
    languageOptions: { globals: globals.node },
  },
);
