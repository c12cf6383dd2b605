#!/usr/bin/env node
// `node tools/src/http-floor/cpu-profile.cli.js <file.cpuprofile> [top]`: where a --cpu-prof profile's time went.
const { join } = require('node:path');
const { requireTypeScript } = require('../../run-typescript');

const { summarizeCpuProfile } = requireTypeScript(join(__dirname, 'cpu-profile.summary.ts'));
process.stdout.write(`${summarizeCpuProfile(process.argv[2], Number(process.argv[3] ?? 25))}\n`);
