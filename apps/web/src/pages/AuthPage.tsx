import type { AuthResponse } from '@vidivo/contracts';
import { useState, type FormEvent } from 'react';
import { api, describeError, saveAuth } from '../api';
import { navigate } from '../router';
import { Alert, Layout, Link } from './Layout';

/** Where to go once signed in: `?next=` when it is a path of this site. */
function nextPath(): string | null {
  const next = new URLSearchParams(location.search).get('next');
  return next && /^\/[^/\\]/.test(next) ? next : null;
}

/**
 * `/login` and `/register`: hosts, and (`?as=guest`) people who book a host's time. `?next=`
 * brings them back where they were.
 */
export function AuthPage({ mode }: { mode: 'login' | 'register' }) {
  const [next] = useState(nextPath);
  const [asGuest] = useState(() => new URLSearchParams(location.search).get('as') === 'guest');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer =
        mode === 'login'
          ? await api<AuthResponse>('POST', '/v1/auth/login', { body: { email, password } })
          : await api<AuthResponse>('POST', '/v1/auth/register', {
              body: { email, password, username, display_name: displayName, role: asGuest ? 'user' : 'host' },
              idempotent: true,
            });
      saveAuth({ user: answer.user, access_token: answer.access_token, refresh_token: answer.refresh_token });
      navigate(next ?? '/');
    } catch (e) {
      setError(
        mode === 'register' && (e as { code?: string }).code === 'conflict' ? 'That email or username is already taken.' : describeError(e, mode === 'login' ? 'login' : 'general'),
      );
      setBusy(false);
    }
  };

  return (
    <Layout title={mode === 'login' ? 'Sign in' : asGuest ? 'Create an account' : 'Create a host account'}>
      <form className="card" onSubmit={(event) => void submit(event)} aria-busy={busy}>
        {mode === 'register' && (
          <>
            <label htmlFor="display-name">Your name{asGuest ? '' : ' (shown to guests)'}</label>
            <input id="display-name" required maxLength={100} autoComplete="name" value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
            <label htmlFor="username">Username (3–30 of a–z, 0–9, _)</label>
            <input id="username" required pattern="[a-z0-9_]{3,30}" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} />
          </>
        )}
        <label htmlFor="email">Email</label>
        <input id="email" type="email" required autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} />
        <label htmlFor="password">Password{mode === 'register' ? ' (at least 8 characters)' : ''}</label>
        <input
          id="password"
          type="password"
          required
          minLength={mode === 'register' ? 8 : undefined}
          autoComplete={mode === 'login' ? 'current-password' : 'new-password'}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        {error && <Alert>{error}</Alert>}
        <button type="submit" className="primary" disabled={busy}>
          {mode === 'login' ? 'Sign in' : 'Create account'}
        </button>
        <p>
          {mode === 'login' ? (
            <>
              No account yet? <Link to={next ? `/register?as=guest&next=${encodeURIComponent(next)}` : '/register'}>{next ? 'Create an account' : 'Create a host account'}</Link>
            </>
          ) : (
            <>
              Already registered? <Link to={`/login${next ? `?next=${encodeURIComponent(next)}` : ''}`}>Sign in</Link>
            </>
          )}
        </p>
      </form>
    </Layout>
  );
}
