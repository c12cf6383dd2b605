#!/usr/bin/env node
// `node tools/src/http-floor/http-floor.cli.js [--requests 20000] [--concurrency 8] [--rounds 3]
// [--before <a previous build's dist/>] [--profile <dir>] [--only live|info]`: server CPU per request on the two
// cheapest routes against bare Express (http-floor.ts says how). Build first: `npx nx run standalone:build`.
const { join } = require('node:path');
const { parseArgs } = require('node:util');
const { requireTypeScript } = require('../../run-typescript');

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '8' },
    warmup: { type: 'string', default: '2000' },
    rounds: { type: 'string', default: '3' },
    before: { type: 'string' },
    profile: { type: 'string' },
    only: { type: 'string' },
  },
});
const options = {
  requests: Number(values.requests),
  concurrency: Number(values.concurrency),
  warmup: Number(values.warmup),
  rounds: Number(values.rounds),
  beforeDist: values.before,
  profileDir: values.profile,
  only: values.only,
};
const { measureHttpFloor, formatHttpFloor } = requireTypeScript(join(__dirname, 'http-floor.ts'));
measureHttpFloor(options, (line) => process.stderr.write(`${line}\n`))
  .then(({ figures, idle }) => process.stdout.write(`${formatHttpFloor(figures, idle, options)}\n`))
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
