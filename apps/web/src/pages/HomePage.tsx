import type { BookingDto, Page } from '@vidivo/contracts';
import { useEffect, useState } from 'react';
import { authed, describeError, loadAuth } from '../api';
import { navigate } from '../router';
import { formatInstant } from '../time';
import { Alert, Layout, Link, SignOutButton } from './Layout';

/** `/`: hosts go to their console; people who book see their bookings; visitors, where to start. */
export function HomePage() {
  const [auth] = useState(loadAuth);
  const [bookings, setBookings] = useState<BookingDto[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (auth?.user.role === 'host') navigate('/host', { replace: true });
    else if (auth)
      authed<Page<BookingDto>>('GET', '/v1/schedule/mine?page=1&per_page=50')
        .then((page) => setBookings(page.data))
        .catch((e) => setError(describeError(e)));
  }, [auth]);

  if (!auth) {
    return (
      <Layout title="Pay-per-minute video calls">
        <p>Hosts share a call link with a price per minute; guests join from it with a card and pay only the minutes they talk.</p>
        <p>
          <Link to="/register">Create a host account</Link> or <Link to="/login">sign in</Link>. Guests need no account: open the link a host gave you.
        </p>
      </Layout>
    );
  }
  if (auth.user.role === 'host') return null;
  return (
    <Layout title="Your bookings">
      {error && <Alert>{error}</Alert>}
      {bookings?.length === 0 && <p>No bookings yet. A host's booking page looks like /book/their_username.</p>}
      <ul className="list" id="my-bookings">
        {bookings?.map((booking) => (
          <li key={booking.id}>
            <span>
              {booking.host.display_name} · {formatInstant(booking.scheduled_at)} · {booking.status}
            </span>
            <Link to={`/bookings/${booking.id}`}>Open</Link>
          </li>
        ))}
      </ul>
      <SignOutButton />
    </Layout>
  );
}
