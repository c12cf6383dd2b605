import { AvailabilityValues } from '../availability/availability.repository';
import { NewBooking } from '../bookings/bookings.repository';
import { WEEKDAYS } from '../domain/availability';
import { Person } from './fake-identity.client';

const DAY_MS = 24 * 3600 * 1000;

/** An instant `days` from today's date at the UTC wall-clock time "HH:mm". */
export function dayAt(days: number, time: string): Date {
  return new Date(`${new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10)}T${time}:00Z`);
}

/** A host available 09:00–17:00 UTC every day at 2.50 a minute, in 10-minute windows, with no notice or buffer. */
export function officeHours(hostId: string, overrides: Partial<AvailabilityValues> = {}): AvailabilityValues {
  return {
    host_id: hostId,
    timezone: 'UTC',
    rate_cents: 250,
    window_size_minutes: 10,
    slot_minutes: 30,
    weekly: WEEKDAYS.map((day) => ({ day, start: '09:00', end: '17:00' })),
    date_overrides: [],
    min_notice_minutes: 0,
    buffer_minutes: 0,
    ...overrides,
  };
}

/** A booking of the host's time by the guest at 2.50 a minute, with no buffer. */
export function newBooking(host: Person, guest: Person, scheduledAt: Date, durationMinutes = 30): NewBooking {
  const endsAt = new Date(scheduledAt.getTime() + durationMinutes * 60_000);
  return {
    host_id: host.id,
    host_name: host.display_name,
    guest_id: guest.id,
    guest_name: guest.display_name,
    scheduled_at: scheduledAt,
    duration_minutes: durationMinutes,
    ends_at: endsAt,
    blocked_until: endsAt,
    note: null,
    rate_cents: 250,
    window_size_minutes: 10,
  };
}
