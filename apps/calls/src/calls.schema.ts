/** The Postgres schema calls owns; also the name of its TypeORM connection. */
export const CALLS_SCHEMA = 'calls';

/** Calls' tables, schema-qualified, for the statements its repositories write as SQL; the entity gets the schema from the connection (migrations keep the names they were written with). */
export const CALLS_TABLES = {
  calls: `${CALLS_SCHEMA}.calls`,
  callConnections: `${CALLS_SCHEMA}.call_connections`,
  pendingLinkClaims: `${CALLS_SCHEMA}.pending_link_claims`,
  joinAttempts: `${CALLS_SCHEMA}.join_attempts`,
} as const;
