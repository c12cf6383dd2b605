/** The Postgres schema identity owns; also the name of its TypeORM connection. */
export const IDENTITY_SCHEMA = 'identity';
