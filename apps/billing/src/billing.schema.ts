/** The Postgres schema billing owns; also the name of its TypeORM connection. */
export const BILLING_SCHEMA = 'billing';
