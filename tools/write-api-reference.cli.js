#!/usr/bin/env node
// Runs tools/write-api-reference.ts (what it does is written there) straight from the TypeScript
// sources: each .ts file is compiled on require by SWC with the repository's .swcrc, as jest
// compiles them (decorator metadata, path aliases), so nothing has to be built first.
//
//   node tools/write-api-reference.cli.js [--check]      (npm run docs:api [-- --check])
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { transformSync } = require('@swc/core');

const root = join(__dirname, '..');
const swcrc = JSON.parse(readFileSync(join(root, '.swcrc'), 'utf8'));
swcrc.jsc.baseUrl = root;

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), { ...swcrc, swcrc: false, sourceMaps: false, filename });
  module._compile(code, filename);
};
require('reflect-metadata');

require('./write-api-reference.ts')
  .main(process.argv.slice(2))
  .then((exitCode) => process.exit(exitCode))
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
