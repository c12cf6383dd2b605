#!/usr/bin/env node
// `npm run audit:money [-- --since 7d] [--settle-grace 120] [--json]`: the money audit
// (audit-money.command.ts says what it does), run from the TypeScript sources.
// Exit code: 0 no discrepancy, 1 discrepancies, 2 the audit could not run.
const { join } = require('node:path');
const { requireTypeScript } = require('../../run-typescript');

const { runMoneyAuditCommand } = requireTypeScript(join(__dirname, 'audit-money.command.ts'));
const output = { out: (text) => process.stdout.write(`${text}\n`), err: (text) => process.stderr.write(`${text}\n`) };
runMoneyAuditCommand(process.argv.slice(2), process.env, output)
  .then((exitCode) => (process.exitCode = exitCode))
  .catch((error) => {
    console.error(error);
    process.exitCode = 2;
  });
