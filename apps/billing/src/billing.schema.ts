/** The Postgres schema billing owns; also the name of its TypeORM connection. */
export const BILLING_SCHEMA = 'billing';

/** Billing's tables, schema-qualified: the one place the repositories take their names from (migrations keep the names they were written with). */
export const BILLING_TABLES = {
  callAccounts: `${BILLING_SCHEMA}.call_accounts`,
  holds: `${BILLING_SCHEMA}.holds`,
  ledger: `${BILLING_SCHEMA}.ledger`,
  customers: `${BILLING_SCHEMA}.customers`,
  stripeEvents: `${BILLING_SCHEMA}.stripe_events`,
  disputes: `${BILLING_SCHEMA}.disputes`,
} as const;
