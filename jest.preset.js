// Shared by every project's jest.config.js: SWC compiles TypeScript (with decorator metadata and
// the tsconfig path aliases, from .swcrc); type checking is the separate `typecheck` target.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const swcrc = JSON.parse(readFileSync(join(__dirname, '.swcrc'), 'utf8'));
swcrc.jsc.baseUrl = __dirname;

module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swcrc, swcrc: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/**/*.spec.ts'],
  setupFiles: ['reflect-metadata'],
  clearMocks: true,
};
