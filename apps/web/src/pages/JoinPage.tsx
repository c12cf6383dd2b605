import type { JoinCallResponse, LinkInfoDto } from '@vidivo/contracts';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, describeError } from '../api';
import { AUTHENTICATION_FAILED, redirectForAuthentication, useAuthenticationReturn } from '../call/card-authentication';
import { saveCredentials } from '../call/credentials';
import { formatAmount, formatCents, toCents } from '../money';
import { PaymentStep, type PaymentStepHandle } from '../payment/PaymentStep';
import { navigate } from '../router';
import { Alert, Layout } from './Layout';

/** What the guest typed, kept across the card authentication's round trip to the bank's page. */
const PENDING_KEY = (code: string) => `vidivo.join.${code}`;
interface PendingJoin {
  guest_name: string;
  guest_email: string;
}

/** `/c/:short_code`: the guest's join page. */
export function JoinPage({ code }: { code: string }) {
  // Back from the card's authentication: what the guest typed comes back, and the join goes on (below) or says it failed.
  const back = useAuthenticationReturn<PendingJoin>(PENDING_KEY(code));
  const [info, setInfo] = useState<LinkInfoDto | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [name, setName] = useState(back?.kept?.guest_name ?? '');
  const [email, setEmail] = useState(back?.kept?.guest_email ?? '');
  const paymentStep = useRef<PaymentStepHandle>(null);
  const [cardReady, setCardReady] = useState(false);
  const [error, setError] = useState<string | null>(back && !back.succeeded ? AUTHENTICATION_FAILED : null);
  const [busy, setBusy] = useState<string | null>(back?.succeeded ? 'Payment confirmed. Joining the call…' : null);
  const returned = useRef(false);

  useEffect(() => {
    api<LinkInfoDto>('GET', `/v1/calls/links/${code}/info`)
      .then(setInfo)
      .catch((e) => setLoadError(describeError(e, 'join')));
  }, [code]);

  const joined = (answer: JoinCallResponse) => {
    saveCredentials(answer.call.id, { role: 'guest', guestToken: answer.guest_token, access: answer });
    navigate(`/call/${answer.call.id}`);
  };

  const join = async (payment: { payment_method_id: string } | { payment_intent_id: string }, guest: PendingJoin) => {
    setError(null);
    try {
      const body = { ...payment, ...(guest.guest_name ? { guest_name: guest.guest_name } : {}), ...(guest.guest_email ? { guest_email: guest.guest_email } : {}) };
      joined(await api<JoinCallResponse>('POST', `/v1/calls/join/${code}`, { body, idempotent: true }));
    } catch (e) {
      if (redirectForAuthentication(e, PENDING_KEY(code), guest)) return setBusy('Taking you to your bank to confirm the payment…');
      setError(describeError(e, 'join'));
      setBusy(null);
    }
  };

  // Back from a confirmed authentication: join with the authenticated PaymentIntent.
  useEffect(() => {
    if (returned.current || !back?.succeeded) return;
    returned.current = true;
    void join({ payment_intent_id: back.paymentIntentId }, back.kept ?? { guest_name: '', guest_email: '' });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per page load: join is a new function every render
  }, [back]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const guest = { guest_name: name.trim(), guest_email: email.trim() };
    setError(null);
    setBusy('Checking your card…');
    let paymentMethod: string;
    try {
      paymentMethod = await paymentStep.current!.createPaymentMethod({ name: guest.guest_name || undefined, email: guest.guest_email || undefined });
    } catch (e) {
      setError(describeError(e, 'join'));
      setBusy(null);
      return;
    }
    setBusy('Placing a hold on your card…');
    await join({ payment_method_id: paymentMethod }, guest);
  };

  if (loadError) {
    return (
      <Layout title="Call link">
        <Alert>{loadError}</Alert>
      </Layout>
    );
  }
  if (!info) {
    return (
      <Layout title="Call link">
        <p aria-live="polite">Loading…</p>
      </Layout>
    );
  }
  const host = info.host.display_name;
  return (
    <Layout title={`Call ${host}`}>
      <section className="card summary" aria-label="About this call">
        <p className="big">{host}</p>
        <p>
          <strong>{formatAmount(info.rate_per_minute)}</strong> per minute, billed by the minute. A hold for {info.window_size_minutes} minutes (
          {formatCents(toCents(info.rate_per_minute) * info.window_size_minutes)}) is placed on your card; you pay only the minutes you use.
        </p>
        <p className={info.host_online ? 'status online' : 'status offline'}>
          {info.host_online ? `${host} is online now.` : `${host} is not online right now; they will be told when you join.`}
        </p>
      </section>
      {!info.is_active ? (
        <Alert>This call link is no longer active.</Alert>
      ) : (
        <form className="card" onSubmit={(event) => void submit(event)} aria-busy={busy !== null}>
          <label htmlFor="guest-name">Your name</label>
          <input id="guest-name" name="guest_name" autoComplete="name" maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
          <label htmlFor="guest-email">Email (for the receipt)</label>
          <input id="guest-email" name="guest_email" type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} />
          <PaymentStep ref={paymentStep} amountCents={toCents(info.rate_per_minute) * info.window_size_minutes} onReadyChange={setCardReady} />
          {error && <Alert>{error}</Alert>}
          {busy && !error && <p aria-live="polite">{busy}</p>}
          <button type="submit" className="primary" disabled={!cardReady || (busy !== null && !error)}>
            Join the call
          </button>
        </form>
      )}
    </Layout>
  );
}
