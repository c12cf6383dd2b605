export * from './scheduling.app';
/** The one read of a slot query, checked against Postgres by the scheduling integration test. */
export { BookingsRepository } from './bookings/bookings.repository';
