/** @type {import('jest').Config} */
const swc = JSON.parse(require('node:fs').readFileSync(__dirname + '/.swcrc', 'utf8'));

module.exports = {
  testEnvironment: 'node',
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  transform: { '^.+\\.(t|j)s$': ['@swc/jest', { ...swc, swcrc: false }] },
  // ES-module-only dependencies (NestJS 12 itself, cookie under Fastify's light-my-request, those of
  // @fastify/static for /docs and of otplib for two-factor sign-in) are compiled for Jest's CommonJS
  // runtime, also where npm nests them one level down; Node itself loads them with require(esm).
  transformIgnorePatterns: [
    '/node_modules/(?!(?:[^/]+/node_modules/)?(@nestjs|cookie|content-disposition|@otplib|@scure/base|@noble/hashes)/)',
  ],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60_000,
  // Two cores: one worker each; every test file has its own database, so files run in parallel.
  maxWorkers: 2,
  forceExit: false,
};
