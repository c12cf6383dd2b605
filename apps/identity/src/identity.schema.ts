/** The Postgres schema identity owns; also the name of its TypeORM connection. */
export const IDENTITY_SCHEMA = 'identity';

/** Identity's tables, schema-qualified, for the statements its repositories write as SQL; entities get the schema from the connection. */
export const IDENTITY_TABLES = {
  users: `${IDENTITY_SCHEMA}.users`,
  refreshTokens: `${IDENTITY_SCHEMA}.refresh_tokens`,
  refreshTokenFamilies: `${IDENTITY_SCHEMA}.refresh_token_families`,
} as const;
