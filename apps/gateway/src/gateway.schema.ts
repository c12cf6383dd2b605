/** The Postgres schema the gateway owns (idempotency keys); also the name of its TypeORM connection. */
export const GATEWAY_SCHEMA = 'gateway';
