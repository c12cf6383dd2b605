import type { BookingDto, JoinCallResponse, Page } from '@vidivo/contracts';
import { useEffect, useRef, useState } from 'react';
import { authed, describeError, downloadAuthed, loadAuth } from '../api';
import { AUTHENTICATION_FAILED, redirectForAuthentication, useAuthenticationReturn } from '../call/card-authentication';
import { saveCredentials } from '../call/credentials';
import { formatAmount, formatCents, toCents } from '../money';
import { PaymentStep, type PaymentStepHandle } from '../payment/PaymentStep';
import { navigate } from '../router';
import { formatInstant } from '../time';
import { Alert, Layout } from './Layout';
import './booking.css';

/** Participants may join from this long before the booked time (decision 18). */
const JOIN_EARLY_MS = 10 * 60_000;
const PAGE_SIZE = 100;

/** The booking among the caller's own (the API lists them; there is no single-booking read). */
async function findBooking(id: string): Promise<BookingDto | null> {
  for (let page = 1; ; page += 1) {
    const answer = await authed<Page<BookingDto>>('GET', `/v1/schedule/mine?page=${page}&per_page=${PAGE_SIZE}`);
    const found = answer.data.find((booking) => booking.id === id);
    if (found) return found;
    if (page * PAGE_SIZE >= answer.total) return null;
  }
}

/**
 * `/bookings/:id` (the link in the calendar invite): when and with whom, the `.ics`, cancelling,
 * and joining from 10 minutes before — the guest with a card for the first hold, the host as is.
 */
export function BookingPage({ bookingId }: { bookingId: string }) {
  const keptKey = `vidivo.booking.${bookingId}`;
  // Back from the card's authentication: the join goes on (below) or says it failed.
  const back = useAuthenticationReturn<Record<string, never>>(keptKey);
  const [auth] = useState(loadAuth);
  const [booking, setBooking] = useState<BookingDto | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(back && !back.succeeded ? AUTHENTICATION_FAILED : null);
  const [busy, setBusy] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [now, setNow] = useState(() => Date.now());
  const payment = useRef<PaymentStepHandle>(null);
  const [cardReady, setCardReady] = useState(false);
  const returned = useRef(false);

  const load = () =>
    findBooking(bookingId)
      .then((found) => (found ? setBooking(found) : setLoadError('This booking is not one of yours, or it does not exist.')))
      .catch((e) => setLoadError(describeError(e)));

  useEffect(() => {
    if (!auth) {
      navigate(`/login?next=${encodeURIComponent(`/bookings/${bookingId}`)}`, { replace: true });
      return;
    }
    void load();
    if (back?.succeeded && !returned.current) {
      returned.current = true;
      void join({ payment_intent_id: back.paymentIntentId });
    }
    const timer = setInterval(() => setNow(Date.now()), 5_000);
    return () => clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [bookingId]);

  const role = booking && auth ? (booking.host.id === auth.user.id ? 'host' : 'guest') : null;

  async function join(payment: { payment_method_id: string } | { payment_intent_id: string } | null) {
    setError(null);
    setBusy(payment ? 'Placing a hold on your card…' : 'Joining…');
    try {
      const answer = await authed<JoinCallResponse>('POST', `/v1/calls/${bookingId}/join`, { ...(payment ? { body: payment } : {}), idempotent: true });
      saveCredentials(bookingId, { role: answer.call.host.id === auth?.user.id ? 'host' : 'guest', access: answer });
      navigate(`/call/${bookingId}`);
    } catch (e) {
      if (redirectForAuthentication(e, keptKey, {})) return setBusy('Taking you to your bank to confirm the payment…');
      setError(describeError(e));
      setBusy(null);
    }
  }

  const joinNow = async () => {
    if (role === 'host') return join(null);
    try {
      const paymentMethod = await payment.current!.createPaymentMethod({ name: auth?.user.display_name, email: auth?.user.email ?? undefined });
      await join({ payment_method_id: paymentMethod });
    } catch (e) {
      setError(describeError(e));
    }
  };

  const download = () => downloadAuthed(`/v1/schedule/${bookingId}/calendar`, 'vidivo-call.ics').catch((e) => setError(describeError(e)));

  const cancel = async () => {
    setError(null);
    try {
      await authed('PUT', `/v1/schedule/${bookingId}/cancel`, { body: reason.trim() ? { reason: reason.trim() } : {} });
      await load();
    } catch (e) {
      setError(describeError(e));
    }
  };

  if (!auth) return null;
  if (loadError) {
    return (
      <Layout title="Booked call">
        <Alert>{loadError}</Alert>
      </Layout>
    );
  }
  if (!booking || !role) {
    return (
      <Layout title="Booked call">
        <p aria-live="polite">Loading…</p>
      </Layout>
    );
  }

  const other = role === 'guest' ? booking.host.display_name : booking.guest.display_name;
  const startsAt = Date.parse(booking.scheduled_at);
  const endsAt = startsAt + booking.duration_minutes * 60_000;
  const opensAt = startsAt - JOIN_EARLY_MS;
  const cancelled = booking.status === 'cancelled';
  const joinable = !cancelled && now >= opensAt && now < endsAt;
  return (
    <Layout title={`Call with ${other}`}>
      <section className="card summary" aria-label="The booking">
        <dl>
          <dt>When</dt>
          <dd id="booking-when">{formatInstant(booking.scheduled_at)}</dd>
          <dt>Length</dt>
          <dd>{booking.duration_minutes} minutes</dd>
          <dt>Rate</dt>
          <dd>{formatAmount(booking.rate_per_minute)} per minute, billed by the minute</dd>
          {booking.note && (
            <>
              <dt>Note</dt>
              <dd>{booking.note}</dd>
            </>
          )}
          <dt>Status</dt>
          <dd id="booking-status">{cancelled ? `Cancelled${booking.cancel_reason ? `: ${booking.cancel_reason}` : ''}` : 'Confirmed'}</dd>
        </dl>
        <button type="button" onClick={() => void download()}>
          Download invite (.ics)
        </button>
      </section>

      {!cancelled && (
        <section className="card" aria-labelledby="join-title">
          <h2 id="join-title">Join</h2>
          {now < opensAt && <p id="join-opens">You can join from {formatInstant(new Date(opensAt).toISOString())}, 10 minutes before the call.</p>}
          {now >= endsAt && <p>The booked time is over.</p>}
          {joinable && role === 'guest' && (
            <>
              <p>
                A hold for {booking.window_size_minutes} minutes ({formatCents(toCents(booking.rate_per_minute) * booking.window_size_minutes)}) is placed on your card when you
                join; you pay only the minutes you use.
              </p>
              <PaymentStep ref={payment} amountCents={toCents(booking.rate_per_minute) * booking.window_size_minutes} onReadyChange={setCardReady} />
            </>
          )}
          {error && <Alert>{error}</Alert>}
          {busy && !error && <p aria-live="polite">{busy}</p>}
          <button type="button" className="primary" disabled={!joinable || (role === 'guest' && !cardReady) || (busy !== null && !error)} onClick={() => void joinNow()}>
            Join the call
          </button>
        </section>
      )}

      {!cancelled && now < endsAt && (
        <section className="card" aria-labelledby="cancel-title">
          <h2 id="cancel-title">Cancel</h2>
          <label htmlFor="cancel-reason">Reason (optional, {other} sees it)</label>
          <input id="cancel-reason" maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
          <button type="button" className="danger" onClick={() => void cancel()}>
            Cancel booking
          </button>
        </section>
      )}
      {cancelled && error && <Alert>{error}</Alert>}
    </Layout>
  );
}
