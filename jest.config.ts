import type { Config } from 'jest';

// The same specs run twice: once compiled with TC39 standard decorators (TypeScript's default)
// and once with `experimentalDecorators`, because users pick either and get the same import.
const project = (displayName: 'standard' | 'legacy', tsconfig: string): Config => ({
  displayName,
  // Specs that exercise something once per run (packing, child processes) read this to run in one project.
  globals: { BREAKWATER_DECORATOR_MODE: displayName },
  testEnvironment: 'node',
  // lib is a root too, so that a file no spec imports still counts (as 0 %) in the coverage gate.
  roots: ['<rootDir>/spec', '<rootDir>/lib'],
  testMatch: ['**/*.spec.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig }] },
  setupFiles: ['<rootDir>/spec/support/setup.ts'],
});

const config: Config = {
  projects: [project('standard', '<rootDir>/tsconfig.json'), project('legacy', '<rootDir>/tsconfig.legacy.json')],
  collectCoverageFrom: ['<rootDir>/lib/**/*.ts'],
  coverageReporters: ['text-summary', 'json-summary'],
  coverageDirectory: '<rootDir>/reports/coverage',
  coverageThreshold: { global: { lines: 90, branches: 80, functions: 90, statements: 90 } },
};

export default config;
