import type { CallDto, HostJoinResponse, LinkDto } from '@vidivo/contracts';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { authed, describeError, loadAuth, refreshAuth, saveAuth } from '../api';
import { saveCredentials } from '../call/credentials';
import { formatAmount } from '../money';
import { navigate } from '../router';
import { Alert, Layout, Link } from './Layout';

/** A short ring with the Web Audio API (browsers allow it once the page has had a click). */
function ring(): void {
  try {
    const audio = new AudioContext();
    for (const [at, frequency] of [[0, 880], [0.25, 660]] as const) {
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.frequency.value = frequency;
      gain.gain.value = 0.1;
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(audio.currentTime + at);
      oscillator.stop(audio.currentTime + at + 0.2);
    }
    setTimeout(() => void audio.close(), 1000);
  } catch {
    /* no sound available */
  }
}

/** `/host`: the host's console: links (create, copy, deactivate) and incoming calls. */
export function HostPage() {
  const [auth] = useState(loadAuth);
  const [links, setLinks] = useState<LinkDto[]>([]);
  const [rate, setRate] = useState('2.50');
  const [windowMinutes, setWindowMinutes] = useState('10');
  const [label, setLabel] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [incoming, setIncoming] = useState<CallDto[]>([]);
  const [online, setOnline] = useState(false);
  const socketRef = useRef<WebSocket | null>(null);

  const loadLinks = () =>
    authed<LinkDto[]>('GET', '/v1/calls/links')
      .then(setLinks)
      .catch((e) => setError(describeError(e)));

  useEffect(() => {
    if (!auth) {
      navigate('/login', { replace: true });
      return;
    }
    void loadLinks();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // The /signal/notify channel: incoming calls ring here; while it is open guests see the host online.
  useEffect(() => {
    if (!auth || auth.user.role !== 'host') return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let attempts = 0;
    const open = (token: string) => {
      const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/signal/notify?token=${encodeURIComponent(token)}`;
      const socket = new WebSocket(url);
      socketRef.current = socket;
      socket.onopen = () => {
        attempts = 0;
        setOnline(true);
      };
      socket.onmessage = ({ data }) => {
        const message = JSON.parse(String(data));
        const call: CallDto | undefined = message.payload?.call;
        if (!call) return;
        if (message.type === 'incoming_call') {
          setIncoming((calls) => (calls.some((c) => c.id === call.id) ? calls : [...calls, call]));
          ring();
        } else if (message.type === 'call_cancelled') {
          setIncoming((calls) => calls.filter((c) => c.id !== call.id));
        }
      };
      socket.onclose = ({ code }) => {
        setOnline(false);
        if (stopped) return;
        attempts += 1;
        timer = setTimeout(async () => {
          try {
            // An expired access token closes with 4401: refresh it first.
            const fresh = code === 4401 ? await refreshAuth() : loadAuth();
            if (fresh && !stopped) open(fresh.access_token);
          } catch {
            setError('Your session has expired. Please sign in again.');
          }
        }, Math.min(1000 * attempts, 5000));
      };
    };
    open(auth.access_token);
    return () => {
      stopped = true;
      clearTimeout(timer);
      socketRef.current?.close(1000);
    };
  }, [auth]);

  // The title rings too while a call waits.
  useEffect(() => {
    if (!incoming.length) {
      document.title = 'Host console · Vidivo';
      return;
    }
    let flip = false;
    const timer = setInterval(() => {
      flip = !flip;
      document.title = flip ? `(${incoming.length}) Incoming call! · Vidivo` : 'Host console · Vidivo';
    }, 1000);
    const ringer = setInterval(ring, 3000);
    return () => {
      clearInterval(timer);
      clearInterval(ringer);
    };
  }, [incoming.length]);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const link = await authed<LinkDto>('POST', '/v1/calls/links', {
        body: { rate_per_minute: rate.trim(), window_size_minutes: Number(windowMinutes), ...(label.trim() ? { label: label.trim() } : {}) },
        idempotent: true,
      });
      setNotice(`Link created: ${link.url}`);
      await loadLinks();
    } catch (e) {
      setError(describeError(e));
    }
  };

  const copy = async (link: LinkDto) => {
    try {
      await navigator.clipboard.writeText(link.url);
      setNotice(`Copied ${link.url}`);
    } catch {
      setNotice(`Copy this link: ${link.url}`);
    }
  };

  const deactivate = async (link: LinkDto) => {
    try {
      await authed('DELETE', `/v1/calls/links/${link.id}`);
      await loadLinks();
    } catch (e) {
      setError(describeError(e));
    }
  };

  const accept = async (call: CallDto) => {
    setError(null);
    try {
      const answer = await authed<HostJoinResponse>('POST', `/v1/calls/${call.id}/host-join`, { idempotent: true });
      saveCredentials(call.id, { role: 'host', access: answer });
      navigate(`/call/${call.id}`);
    } catch (e) {
      setIncoming((calls) => calls.filter((c) => c.id !== call.id));
      setError(describeError(e));
    }
  };

  const decline = async (call: CallDto) => {
    setError(null);
    setIncoming((calls) => calls.filter((c) => c.id !== call.id));
    try {
      await authed('POST', `/v1/calls/${call.id}/end`, { body: { reason: 'host_declined' }, idempotent: true });
    } catch (e) {
      setError(describeError(e));
    }
  };

  if (!auth) return null;
  if (auth.user.role !== 'host') {
    return (
      <Layout title="Host console">
        <Alert>This account is not a host account. <Link to="/register">Create a host account</Link> to take calls.</Alert>
      </Layout>
    );
  }

  return (
    <Layout title="Host console" wide>
      <p className="row">
        <span className={online ? 'status online' : 'status offline'} id="host-online">
          {online ? 'You are online: guests see you as available.' : 'Offline: connecting…'}
        </span>
        <button
          type="button"
          onClick={() => {
            saveAuth(null);
            navigate('/login');
          }}
        >
          Sign out
        </button>
      </p>
      {error && <Alert>{error}</Alert>}
      {notice && <Alert kind="info">{notice}</Alert>}

      <section aria-labelledby="incoming-title" className="card">
        <h2 id="incoming-title">Incoming calls</h2>
        {incoming.length === 0 ? (
          <p>No one is calling right now. Keep this page open to hear calls ring.</p>
        ) : (
          <ul className="list" id="incoming-calls">
            {incoming.map((call) => (
              <li key={call.id}>
                <span>
                  <strong>{call.guest.display_name}</strong> is calling · {formatAmount(call.rate_per_minute)}/min
                </span>
                <button type="button" className="primary" onClick={() => void accept(call)}>
                  Accept
                </button>
                <button type="button" onClick={() => void decline(call)}>
                  Decline
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="links-title" className="card">
        <h2 id="links-title">Your call links</h2>
        <form onSubmit={create} className="inline-form">
          <div>
            <label htmlFor="rate">Rate per minute (USD)</label>
            <input id="rate" inputMode="decimal" required pattern="\d{1,3}(\.\d{1,2})?" value={rate} onChange={(e) => setRate(e.target.value)} />
          </div>
          <div>
            <label htmlFor="window">Billing window (minutes)</label>
            <input id="window" type="number" min={1} max={60} required value={windowMinutes} onChange={(e) => setWindowMinutes(e.target.value)} />
          </div>
          <div>
            <label htmlFor="label">Label (optional)</label>
            <input id="label" maxLength={120} value={label} onChange={(e) => setLabel(e.target.value)} />
          </div>
          <button type="submit" className="primary">
            Create link
          </button>
        </form>
        <ul className="list" id="links">
          {links.map((link) => (
            <li key={link.id} className={link.is_active ? '' : 'inactive'}>
              <span>
                <a href={link.url}>{link.url}</a> · {formatAmount(link.rate_per_minute)}/min · {link.window_size_minutes} min window
                {link.label ? ` · ${link.label}` : ''} · {link.is_active ? `used ${link.use_count}×` : 'inactive'}
              </span>
              <span className="buttons">
                <button type="button" onClick={() => void copy(link)} aria-label={`Copy ${link.url}`}>
                  Copy
                </button>
                {link.is_active && (
                  <button type="button" onClick={() => void deactivate(link)} aria-label={`Deactivate ${link.url}`}>
                    Deactivate
                  </button>
                )}
              </span>
            </li>
          ))}
        </ul>
      </section>
    </Layout>
  );
}
