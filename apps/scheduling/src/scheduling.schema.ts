/** The Postgres schema scheduling owns; also the name of its TypeORM connection. */
export const SCHEDULING_SCHEMA = 'scheduling';
