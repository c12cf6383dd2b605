import type { BookingDto, SlotDto, SlotsResponse } from '@vidivo/contracts';
import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { api, authed, describeError, loadAuth } from '../api';
import { formatAmount } from '../money';
import { navigate } from '../router';
import { addDays, formatDate, formatInstant, minutesBetween, todayIn, visitorTimeZone } from '../time';
import { Alert, Layout, Link } from './Layout';
import './booking.css';

const DAYS_SHOWN = 7;

/** `/book/:username`: a host's free times in the visitor's own time zone, and booking one. */
export function BookPage({ username }: { username: string }) {
  const zone = useMemo(() => visitorTimeZone(), []);
  const today = useMemo(() => todayIn(zone), [zone]);
  const [from, setFrom] = useState(today);
  /** The free times of a week, with the week they are of: a week still loading has none. */
  const [loaded, setLoaded] = useState<{ from: string; slots: SlotsResponse } | null>(null);
  const answer = loaded?.from === from ? loaded.slots : null;
  const [loadError, setLoadError] = useState<string | null>(null);
  const [chosen, setChosen] = useState<SlotDto | null>(null);
  const [duration, setDuration] = useState(0);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const auth = loadAuth();

  const choose = useCallback((slot: SlotDto) => {
    setChosen(slot);
    setDuration(minutesBetween(slot.start_time, slot.end_time));
    setError(null);
  }, []);

  useEffect(() => {
    const to = addDays(from, DAYS_SHOWN - 1);
    const query = new URLSearchParams({ start_date: from, end_date: to, timezone: zone });
    // Only the week shown takes its answer (another may have been asked for meanwhile).
    let current = true;
    api<SlotsResponse>('GET', `/v1/schedule/${encodeURIComponent(username)}?${query}`)
      .then((slots) => {
        if (!current) return;
        setLoaded({ from, slots });
        // Back from signing in with a time already chosen (?slot=<start>).
        const wanted = new URLSearchParams(location.search).get('slot');
        const slot = slots.slots.find((candidate) => candidate.start === wanted && candidate.available);
        if (slot) choose(slot);
      })
      .catch((e) => current && setLoadError(describeError(e).replace('That was not found.', 'There is no host with this booking page.')));
    return () => {
      current = false;
    };
  }, [username, from, zone, choose]);

  const book = async (event: FormEvent) => {
    event.preventDefault();
    if (!chosen) return;
    setBusy(true);
    setError(null);
    try {
      const booking = await authed<BookingDto>('POST', '/v1/schedule/book', {
        body: { host_username: username, scheduled_at: chosen.start, duration_minutes: duration, ...(note.trim() ? { note: note.trim() } : {}) },
        idempotent: true,
      });
      navigate(`/bookings/${booking.id}`);
    } catch (e) {
      setError(describeError(e));
      setBusy(false);
    }
  };

  if (loadError) {
    return (
      <Layout title="Book a call">
        <Alert>{loadError}</Alert>
      </Layout>
    );
  }
  const host = answer?.host;
  const days = groupByDate(answer?.slots ?? [], from);
  const here = `/book/${username}${chosen ? `?slot=${encodeURIComponent(chosen.start)}` : ''}`;
  return (
    <Layout title={host ? `Book a call with ${host.display_name}` : 'Book a call'} wide>
      {host && (
        <p>
          <strong>{formatAmount(host.rate_per_minute)}</strong> per minute, billed by the minute. You add a card when you join the call. Times are shown in your time zone,{' '}
          <strong id="visitor-zone">{zone}</strong>.
        </p>
      )}
      <nav className="row" aria-label="Weeks">
        <button type="button" onClick={() => setFrom(addDays(from, -DAYS_SHOWN))} disabled={from <= today}>
          Earlier
        </button>
        <span>
          {formatDate(from)} – {formatDate(addDays(from, DAYS_SHOWN - 1))}
        </span>
        <button type="button" onClick={() => setFrom(addDays(from, DAYS_SHOWN))}>
          Later
        </button>
      </nav>
      {!answer ? (
        <p aria-live="polite">Loading free times…</p>
      ) : (
        <div className="days" id="slots">
          {days.map(({ date, slots }) => (
            <section key={date} className="card day" aria-label={formatDate(date)}>
              <h2>{formatDate(date)}</h2>
              {slots.length === 0 ? (
                <p className="muted">No free times</p>
              ) : (
                <ul className="slots">
                  {slots.map((slot) => (
                    <li key={slot.start}>
                      <button type="button" aria-pressed={chosen?.start === slot.start} onClick={() => choose(slot)} data-start={slot.start}>
                        {slot.start_time}–{slot.end_time}
                      </button>
                    </li>
                  ))}
                </ul>
              )}
            </section>
          ))}
        </div>
      )}
      {chosen && (
        <form className="card" onSubmit={(event) => void book(event)} aria-labelledby="booking-title" aria-busy={busy}>
          <h2 id="booking-title">Your booking</h2>
          <p id="chosen-time">{formatInstant(chosen.start, zone)}</p>
          {!auth ? (
            <p>
              To book, <Link to={`/login?next=${encodeURIComponent(here)}`}>sign in</Link> or{' '}
              <Link to={`/register?as=guest&next=${encodeURIComponent(here)}`}>create an account</Link>.
            </p>
          ) : (
            <>
              <label htmlFor="duration">Length</label>
              <select id="duration" value={duration} onChange={(e) => setDuration(Number(e.target.value))}>
                {durations(minutesBetween(chosen.start_time, chosen.end_time)).map((minutes) => (
                  <option key={minutes} value={minutes}>
                    {minutes} minutes
                  </option>
                ))}
              </select>
              <label htmlFor="note">Note for {host?.display_name ?? 'the host'} (optional)</label>
              <textarea id="note" maxLength={1000} rows={3} value={note} onChange={(e) => setNote(e.target.value)} />
              {error && <Alert>{error}</Alert>}
              <button type="submit" className="primary" disabled={busy}>
                Book this time
              </button>
            </>
          )}
        </form>
      )}
    </Layout>
  );
}

/** Every day of the range, with its free slots (the API also lists taken ones). */
function groupByDate(slots: SlotDto[], from: string): { date: string; slots: SlotDto[] }[] {
  return Array.from({ length: DAYS_SHOWN }, (_, i) => {
    const date = addDays(from, i);
    return { date, slots: slots.filter((slot) => slot.date === date && slot.available) };
  });
}

/** Lengths a slot can be booked for: quarter hours from 15 minutes up to the whole slot. */
function durations(slotMinutes: number): number[] {
  const options = [];
  for (let minutes = 15; minutes < slotMinutes; minutes += 15) options.push(minutes);
  return [...options, slotMinutes].filter((minutes) => minutes >= 15 && minutes <= 240);
}
