/** The Postgres schema links owns; also the name of its TypeORM connection. */
export const LINKS_SCHEMA = 'links';

/** Links' tables, schema-qualified, for the statements its repositories write as SQL; entities get the schema from the connection. */
export const LINKS_TABLES = {
  callLinks: `${LINKS_SCHEMA}.call_links`,
  linkClaims: `${LINKS_SCHEMA}.link_claims`,
} as const;
