import type { JoinCallResponse, LinkInfoDto, PaymentActionDetails } from '@vidivo/contracts';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError, api, describeError } from '../api';
import { saveCredentials } from '../call/credentials';
import { formatAmount, formatCents, toCents } from '../money';
import { navigate } from '../router';
import { Alert, Layout } from './Layout';

/** Stripe's test PaymentMethods, which the bundled emulator understands (decision 30). */
export const TEST_CARDS = [
  { id: 'pm_card_visa', label: 'Visa — succeeds' },
  { id: 'pm_card_mastercard', label: 'Mastercard — succeeds' },
  { id: 'pm_card_chargeDeclined', label: 'Card declined' },
  { id: 'pm_card_threeDSecure2Required', label: '3-D Secure — asks for authentication' },
  { id: 'pm_card_authenticationRequiredOnSetup', label: 'Authentication required on setup' },
] as const;

/** What the guest typed, kept across the card authentication's round trip to the bank's page. */
const PENDING_KEY = (code: string) => `vidivo.join.${code}`;
interface PendingJoin {
  guest_name: string;
  guest_email: string;
}

/** `/c/:short_code`: the guest's join page. */
export function JoinPage({ code }: { code: string }) {
  const [info, setInfo] = useState<LinkInfoDto | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [card, setCard] = useState<string>(TEST_CARDS[0].id);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const returned = useRef(false);

  useEffect(() => {
    api<LinkInfoDto>('GET', `/v1/calls/links/${code}/info`)
      .then(setInfo)
      .catch((e) => setLoadError(describeError(e, 'join')));
  }, [code]);

  const joined = (answer: JoinCallResponse) => {
    sessionStorage.removeItem(PENDING_KEY(code));
    saveCredentials(answer.call.id, { role: 'guest', guestToken: answer.guest_token, access: answer });
    navigate(`/call/${answer.call.id}`);
  };

  const join = async (payment: { payment_method_id: string } | { payment_intent_id: string }, guest: PendingJoin) => {
    setError(null);
    try {
      const body = { ...payment, ...(guest.guest_name ? { guest_name: guest.guest_name } : {}), ...(guest.guest_email ? { guest_email: guest.guest_email } : {}) };
      joined(await api<JoinCallResponse>('POST', `/v1/calls/join/${code}`, { body, idempotent: true }));
    } catch (e) {
      if (e instanceof ApiError && e.code === 'payment_action_required' && e.details && !Array.isArray(e.details)) {
        const redirect = (e.details as PaymentActionDetails).next_action as { redirect_to_url?: { url?: string } };
        if (redirect.redirect_to_url?.url) {
          sessionStorage.setItem(PENDING_KEY(code), JSON.stringify(guest));
          setBusy('Taking you to your bank to confirm the payment…');
          window.location.assign(redirect.redirect_to_url.url);
          return;
        }
      }
      setError(describeError(e, 'join'));
      setBusy(null);
      return;
    }
  };

  // Back from the card's authentication: ?payment_intent=pi_…&redirect_status=succeeded|failed.
  useEffect(() => {
    if (returned.current) return;
    returned.current = true;
    const params = new URLSearchParams(location.search);
    const intent = params.get('payment_intent');
    if (!intent) return;
    history.replaceState(null, '', location.pathname);
    let pending: PendingJoin = { guest_name: '', guest_email: '' };
    try {
      pending = JSON.parse(sessionStorage.getItem(PENDING_KEY(code)) ?? 'null') ?? pending;
    } catch {
      /* nothing kept */
    }
    setName(pending.guest_name);
    setEmail(pending.guest_email);
    if (params.get('redirect_status') !== 'succeeded') {
      setError('Your bank did not confirm the payment. Try again, or use another card.');
      return;
    }
    setBusy('Payment confirmed. Joining the call…');
    void join({ payment_intent_id: intent }, pending);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [code]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy('Placing a hold on your card…');
    await join({ payment_method_id: card }, { guest_name: name.trim(), guest_email: email.trim() });
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
        <form className="card" onSubmit={submit} aria-busy={busy !== null}>
          <label htmlFor="guest-name">Your name</label>
          <input id="guest-name" name="guest_name" autoComplete="name" maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
          <label htmlFor="guest-email">Email (for the receipt)</label>
          <input id="guest-email" name="guest_email" type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} />
          <fieldset>
            <legend>Card (Stripe test cards)</legend>
            {TEST_CARDS.map((option) => (
              <label key={option.id} className="choice">
                <input type="radio" name="card" value={option.id} checked={card === option.id} onChange={() => setCard(option.id)} />
                {option.label}
              </label>
            ))}
          </fieldset>
          {error && <Alert>{error}</Alert>}
          {busy && !error && <p aria-live="polite">{busy}</p>}
          <button type="submit" className="primary" disabled={busy !== null && !error}>
            Join the call
          </button>
        </form>
      )}
    </Layout>
  );
}
