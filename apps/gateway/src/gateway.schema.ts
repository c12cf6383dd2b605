/** The Postgres schema the gateway owns (idempotency keys, rate counters); also the name of its TypeORM connection. */
export const GATEWAY_SCHEMA = 'gateway';

/** The gateway's tables, schema-qualified, for the SQL of its repositories. */
export const GATEWAY_TABLES = {
  idempotencyKeys: `${GATEWAY_SCHEMA}.idempotency_keys`,
  rateCounters: `${GATEWAY_SCHEMA}.rate_counters`,
} as const;
