/** The Postgres schema calls owns; also the name of its TypeORM connection. */
export const CALLS_SCHEMA = 'calls';
