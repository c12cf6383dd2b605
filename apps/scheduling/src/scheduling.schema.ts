/** The Postgres schema scheduling owns; also the name of its TypeORM connection. */
export const SCHEDULING_SCHEMA = 'scheduling';

/** Scheduling's tables, schema-qualified: the one place the repositories take their names from (migrations keep the names they were written with). */
export const SCHEDULING_TABLES = {
  availability: `${SCHEDULING_SCHEMA}.availability`,
  bookings: `${SCHEDULING_SCHEMA}.bookings`,
} as const;

/** The select list of a row type: the compiler makes sure every field is named, and nothing else. */
export function columnsOf<Row>(columns: Record<keyof Row & string, true>): string {
  return Object.keys(columns).join(', ');
}
