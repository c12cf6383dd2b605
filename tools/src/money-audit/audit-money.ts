/**
 * The money audit (decision 33): the platform's calls, holds and ledger (Postgres, schemas calls
 * and billing) against the PaymentIntents Stripe (or the emulator) has, every discrepancy
 * reported. `npm run audit:money` runs it from the command line (audit-money.command.ts); the
 * fault-injection suite calls {@link auditMoney} after each scenario and requires none.
 */
import { Discrepancy } from './discrepancy';
import { findDiscrepancies } from './money-checks';
import { readPlatformRecords, recordedIntentIds } from './platform-records';
import { auditStripeClient } from './stripe-client';
import { callIdOf, listOurIntents, retrieveIntents } from './stripe-records';

export type { Discrepancy } from './discrepancy';
export { DISCREPANCY_KINDS } from './discrepancy';

/** Settlement is asynchronous (the ended event, then Stripe): calls that ended this recently are not judged yet. */
export const DEFAULT_SETTLE_GRACE_SECONDS = 120;

export interface MoneyAuditOptions {
  databaseUrl: string;
  stripeSecretKey: string;
  /** A Stripe-compatible server instead of Stripe, e.g. http://127.0.0.1:12111 for the emulator (billing's STRIPE_API_BASE). */
  stripeApiBase?: string;
  /** Audit the calls and PaymentIntents created from then on; everything without it. */
  since?: Date;
  /** Default {@link DEFAULT_SETTLE_GRACE_SECONDS}; tests that waited for settlement pass 0. */
  settleGraceSeconds?: number;
}

export interface MoneyAuditReport {
  calls_checked: number;
  payment_intents_checked: number;
  discrepancies: Discrepancy[];
}

/**
 * Reads Stripe first (our PaymentIntents of the period), then our records in one snapshot (also of
 * the calls those PaymentIntents name), then looks up by id the PaymentIntents our records name
 * that the listing did not reach. Read-only on both sides.
 */
export async function auditMoney(options: MoneyAuditOptions): Promise<MoneyAuditReport> {
  const stripe = auditStripeClient(options.stripeSecretKey, options.stripeApiBase);
  const listed = await listOurIntents(stripe, options.since);
  const callIds = [...new Set(listed.map((intent) => callIdOf(intent)!))];
  const records = await readPlatformRecords(options.databaseUrl, options.since, callIds);
  const listedIds = new Set(listed.map((intent) => intent.id));
  const lookedUp = await retrieveIntents(
    stripe,
    [...recordedIntentIds(records)].filter((id) => !listedIds.has(id)),
  );
  const intents = [...listed, ...lookedUp.found];
  const discrepancies = findDiscrepancies({
    records,
    intents,
    missingIntentIds: lookedUp.missing,
    now: records.readAt,
    settleGraceSeconds: options.settleGraceSeconds ?? DEFAULT_SETTLE_GRACE_SECONDS,
  });
  const callsChecked = new Set([...records.calls.map((call) => call.id), ...records.accounts.map((account) => account.call_id)]).size;
  return { calls_checked: callsChecked, payment_intents_checked: intents.length + lookedUp.missing.length, discrepancies };
}
