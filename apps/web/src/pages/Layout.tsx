import { useEffect, type MouseEvent, type ReactNode } from 'react';
import { saveAuth } from '../api';
import { navigate } from '../router';

export function Layout({ title, children, wide }: { title: string; children: ReactNode; wide?: boolean }) {
  useEffect(() => {
    document.title = `${title} · Vidivo`;
  }, [title]);
  return (
    <>
      <header className="bar">
        <Link to="/" className="brand">
          Vidivo
        </Link>
      </header>
      <main className={wide ? 'page wide' : 'page'}>
        <h1>{title}</h1>
        {children}
      </main>
    </>
  );
}

export function Link({ to, children, className }: { to: string; children: ReactNode; className?: string }) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={onClick} className={className}>
      {children}
    </a>
  );
}

/** An error or notice, announced to screen readers. */
export function Alert({ kind = 'error', children }: { kind?: 'error' | 'info' | 'warning'; children: ReactNode }) {
  return (
    <p className={`alert ${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </p>
  );
}

/** Forgets the signed-in account and goes to the sign-in page. */
export function SignOutButton() {
  const signOut = () => {
    saveAuth(null);
    navigate('/login');
  };
  return (
    <button type="button" onClick={signOut}>
      Sign out
    </button>
  );
}
