import { ContactDto } from '@vidivo/contracts';
import { EventAttributes, createEvent } from 'ics';
import { BookingRow } from './booking.row';

const person = (contact: ContactDto | undefined, fallbackName: string) => ({
  name: contact?.display_name ?? fallbackName,
  ...(contact?.email ? { email: contact.email } : {}),
});

/**
 * The booking as an RFC 5545 VEVENT (decision 19), built by the `ics` package: UID from the
 * booking id, times in UTC, STATUS:CANCELLED once cancelled (with a higher SEQUENCE, so calendar
 * apps apply it over the invite they already have).
 */
export function calendarInvite(booking: BookingRow, host: ContactDto | undefined, guest: ContactDto | undefined, joinUrl: string): string {
  const description = [booking.note, `Join the call: ${joinUrl}`].filter(Boolean).join('\n\n');
  const event: EventAttributes = {
    uid: `${booking.id}@vidivo`,
    // Epoch milliseconds rather than [y, m, d, h, min]: the array form drops the seconds of a booking's start.
    start: booking.scheduled_at.getTime(),
    startInputType: 'utc',
    startOutputType: 'utc',
    end: booking.ends_at.getTime(),
    endInputType: 'utc',
    endOutputType: 'utc',
    title: `Video call with ${booking.host_name}`,
    description,
    url: joinUrl,
    status: booking.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED',
    sequence: booking.status === 'cancelled' ? 1 : 0,
    organizer: person(host, booking.host_name),
    attendees: [{ ...person(guest, booking.guest_name), rsvp: true, partstat: 'ACCEPTED', role: 'REQ-PARTICIPANT' }],
    productId: 'vidivo/scheduling',
  };
  const { error, value } = createEvent(event);
  if (error || !value) throw error ?? new Error('the calendar invite could not be built');
  return value;
}
