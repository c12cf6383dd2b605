import { ConfigError, Environment, defineSettings, parseSettings, setting } from '@vidivo/platform';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DEFAULT_SETTLE_GRACE_SECONDS, auditMoney } from './audit-money';
import { formatMoneyAuditReport } from './audit-money.report';
import { DISCREPANCY_KINDS } from './discrepancy';

/** The audit's settings, under the names billing reads (apps/billing/src/billing.settings.ts) and the platform's DATABASE_URL. */
export const moneyAuditSettings = defineSettings('money-audit', {
  DATABASE_URL: setting.required(setting.url(['postgres:', 'postgresql:'])),
  // The audit only reads: a restricted key (rk_) allowed to read PaymentIntents is enough, and safer.
  STRIPE_SECRET_KEY: setting.required(z.string().regex(/^(sk|rk)_/, 'must start with sk_ or rk_')),
  STRIPE_API_BASE: setting.optional(setting.url(['http:', 'https:'])),
});

export const EXIT = { clean: 0, discrepancies: 1, error: 2 } as const;

const DEFAULT_SINCE = '7d';
const USAGE = `npm run audit:money -- [--since <when>] [--settle-grace <seconds>] [--json]

Compares the platform's calls, holds and ledger with the PaymentIntents Stripe has.
  --since <when>          an ISO 8601 instant, a span back from now (90m, 36h, 7d) or "all"; default ${DEFAULT_SINCE}
  --settle-grace <s>      calls that ended less than this long ago are not judged yet; default ${DEFAULT_SETTLE_GRACE_SECONDS}
  --json                  the report as JSON
Environment: DATABASE_URL, STRIPE_SECRET_KEY (sk_ or a read-only rk_), STRIPE_API_BASE (a Stripe-compatible server, e.g. the emulator).
Exit code: 0 no discrepancy, 1 discrepancies, 2 the audit could not run.
Discrepancies:
${Object.entries(DISCREPANCY_KINDS)
  .map(([kind, meaning]) => `  ${kind}: ${meaning}`)
  .join('\n')}`;

export interface CommandOutput {
  out(text: string): void;
  err(text: string): void;
}

/** `npm run audit:money`: runs the audit and answers the exit code ({@link EXIT}). */
export async function runMoneyAuditCommand(argv: string[], env: Environment, output: CommandOutput): Promise<number> {
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        since: { type: 'string', default: DEFAULT_SINCE },
        'settle-grace': { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    });
    if (values.help) {
      output.out(USAGE);
      return EXIT.clean;
    }
    const settings = parseSettings(moneyAuditSettings, env);
    const since = parseSince(values.since, new Date());
    const settleGraceSeconds = parseGrace(values['settle-grace']);
    const report = await auditMoney({
      databaseUrl: settings.DATABASE_URL,
      stripeSecretKey: settings.STRIPE_SECRET_KEY,
      stripeApiBase: settings.STRIPE_API_BASE,
      since,
      settleGraceSeconds,
    });
    const scope = { since: since?.toISOString() ?? null, settle_grace_seconds: settleGraceSeconds };
    output.out(values.json ? JSON.stringify({ ...scope, ...report }, null, 2) : formatMoneyAuditReport(report, { since, settleGraceSeconds }));
    return report.discrepancies.length === 0 ? EXIT.clean : EXIT.discrepancies;
  } catch (error) {
    const usage = error instanceof ConfigError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    output.err(`money audit failed: ${(error as Error).message}${usage ? `\n\n${USAGE}` : ''}`);
    return EXIT.error;
  }
}

/** An instant, a span back from `now` (`90m`, `36h`, `7d`), or `all` (undefined: no bound). */
export function parseSince(text: string, now: Date): Date | undefined {
  if (text === 'all') return undefined;
  const span = /^(\d+)([mhd])$/.exec(text);
  if (span) return new Date(now.getTime() - Number(span[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[span[2] as 'm' | 'h' | 'd']);
  const instant = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(instant.getTime())) throw new ConfigError(`--since ${text} is not an ISO 8601 instant, a span such as 36h or 7d, or "all"`);
  return instant;
}

function parseGrace(text: string | undefined): number {
  if (text === undefined) return DEFAULT_SETTLE_GRACE_SECONDS;
  if (!/^\d+$/.test(text)) throw new ConfigError(`--settle-grace ${text} is not a whole number of seconds`);
  return Number(text);
}
