#!/usr/bin/env node
// Adds up the `--json` reports every jest run wrote (one per Nx project) into the one line CI reads.
// Exits non-zero when a test failed, a suite failed to run, or no test ran at all.
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const folder = process.argv[2] ?? 'reports/jest';
let passed = 0;
let failed = 0;
let brokenSuites = 0;
let files = [];
try {
  files = readdirSync(folder).filter((name) => name.endsWith('.json'));
} catch {
  // no reports: counted as no tests below
}
for (const file of files) {
  const report = JSON.parse(readFileSync(join(folder, file), 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  brokenSuites += report.numRuntimeErrorTestSuites;
}
if (brokenSuites > 0) console.log(`${brokenSuites} test file(s) could not run`);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 || brokenSuites > 0 || passed === 0 ? 1 : 0);
