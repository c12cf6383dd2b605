import type { BookingDto, Page } from '@vidivo/contracts';
import { useEffect, useState } from 'react';
import { authed, describeError } from '../../api';
import { Alert, Link } from '../Layout';
import { formatInstant } from '../../time';

const endOf = (booking: BookingDto) => Date.parse(booking.scheduled_at) + booking.duration_minutes * 60_000;

/** The host's upcoming booked calls (decision 17), soonest first, in the host's time zone. */
export function BookingsSection({ hostId, zone }: { hostId: string; zone: string }) {
  /** The bookings, with when they were read: what counts as upcoming is decided against that time. */
  const [loaded, setLoaded] = useState<{ bookings: BookingDto[]; at: number } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    authed<Page<BookingDto>>('GET', '/v1/schedule/mine?page=1&per_page=50')
      .then((page) => current && setLoaded({ bookings: page.data, at: Date.now() }))
      .catch((e) => current && setError(describeError(e)));
    return () => {
      current = false;
    };
  }, []);

  // `mine` also lists calls this account booked as a guest; the console shows the ones it hosts.
  const upcoming = (loaded?.bookings.filter((b) => b.host.id === hostId && endOf(b) > loaded.at) ?? []).sort((a, b) => Date.parse(a.scheduled_at) - Date.parse(b.scheduled_at));
  const confirmed = upcoming.filter((b) => b.status === 'confirmed');
  const cancelled = upcoming.filter((b) => b.status === 'cancelled');

  return (
    <section aria-labelledby="bookings-title" className="card schedule">
      <h2 id="bookings-title">Bookings</h2>
      {error && <Alert>{error}</Alert>}
      {!loaded ? (
        !error && <p>Loading your bookings…</p>
      ) : (
        <>
          <p className="hint">Times in {zone.replace(/_/g, ' ')}.</p>
          {confirmed.length === 0 ? (
            <p id="bookings-empty">No upcoming bookings. Guests book the hours you make available above.</p>
          ) : (
            <ul className="list" id="bookings">
              {confirmed.map((booking) => (
                <li key={booking.id}>
                  <span>
                    <strong>{booking.guest.display_name}</strong> · <time dateTime={booking.scheduled_at}>{formatInstant(booking.scheduled_at, zone)}</time> ·{' '}
                    {booking.duration_minutes} min
                    {booking.note ? <span className="booking-note"> · “{booking.note}”</span> : null}
                  </span>
                  <Link to={`/bookings/${booking.id}`}>Open</Link>
                </li>
              ))}
            </ul>
          )}
          {cancelled.length > 0 && (
            <div className="hint" id="bookings-cancelled">
              <p>Cancelled:</p>
              <ul>
                {cancelled.map((booking) => (
                  <li key={booking.id}>
                    {booking.guest.display_name} · <time dateTime={booking.scheduled_at}>{formatInstant(booking.scheduled_at, zone)}</time> · {booking.duration_minutes} min
                    {booking.cancel_reason ? ` · ${booking.cancel_reason}` : ''}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </>
      )}
    </section>
  );
}
