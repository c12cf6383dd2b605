import { useEffect, useState } from 'react';
import { loadAuth } from '../api';
import { navigate } from '../router';
import { AvailabilitySection } from './host/AvailabilitySection';
import { BookingsSection } from './host/BookingsSection';
import { HistorySection } from './host/HistorySection';
import { IncomingCallsSection } from './host/IncomingCallsSection';
import { useIncomingCalls } from './host/incoming-calls';
import { LinksSection } from './host/LinksSection';
import { visitorTimeZone } from '../time';
import { Alert, Layout, Link, SignOutButton } from './Layout';

/** `/host`: the host's console: incoming calls, links, availability, bookings and history. */
export function HostPage() {
  const [auth] = useState(loadAuth);
  const { incoming, online, error, dismiss } = useIncomingCalls(auth);
  /** The zone times are shown in: the saved availability's, until then the account's or the browser's. */
  const [zone, setZone] = useState(() => auth?.user.timezone ?? visitorTimeZone());

  useEffect(() => {
    if (!auth) navigate('/login', { replace: true });
  }, [auth]);

  if (!auth) return null;
  if (auth.user.role !== 'host') {
    return (
      <Layout title="Host console">
        <Alert>
          This account is not a host account. <Link to="/register">Create a host account</Link> to take calls.
        </Alert>
      </Layout>
    );
  }

  return (
    <Layout title="Host console" wide>
      <p className="row">
        <span className={online ? 'status online' : 'status offline'} id="host-online">
          {online ? 'You are online: guests see you as available.' : 'Offline: connecting…'}
        </span>
        <SignOutButton />
      </p>
      {error && <Alert>{error}</Alert>}
      <IncomingCallsSection incoming={incoming} dismiss={dismiss} />
      <LinksSection />
      <AvailabilitySection username={auth.user.username} userZone={auth.user.timezone} onZone={setZone} />
      <BookingsSection hostId={auth.user.id} zone={zone} />
      <HistorySection hostId={auth.user.id} zone={zone} />
    </Layout>
  );
}
