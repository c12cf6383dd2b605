/** A host available every day all day in UTC, with no notice: any future minute can be booked. */
export const ALWAYS_OPEN_AVAILABILITY = {
  timezone: 'UTC',
  rate_per_minute: '2.50',
  window_size_minutes: 10,
  slot_minutes: 15,
  weekly: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => ({ day, start: '00:00', end: '24:00' })),
  min_notice_minutes: 0,
};
