#!/usr/bin/env node
// Runs tools/write-api-reference.ts (what it does is written there) straight from the TypeScript
// sources (run-typescript.js), so nothing has to be built first.
//
//   node tools/write-api-reference.cli.js [--check]      (npm run docs:api [-- --check])
const { join } = require('node:path');
const { requireTypeScript } = require('./run-typescript');

requireTypeScript(join(__dirname, 'write-api-reference.ts'))
  .main(process.argv.slice(2))
  .then((exitCode) => process.exit(exitCode))
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
