/** The Postgres schema links owns; also the name of its TypeORM connection. */
export const LINKS_SCHEMA = 'links';
