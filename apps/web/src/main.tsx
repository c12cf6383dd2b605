import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AuthPage } from './pages/AuthPage';
import { BookPage } from './pages/BookPage';
import { BookingPage } from './pages/BookingPage';
import { CallPage } from './pages/CallPage';
import { HomePage } from './pages/HomePage';
import { HostPage } from './pages/HostPage';
import { JoinPage } from './pages/JoinPage';
import { Layout } from './pages/Layout';
import { usePath } from './router';
import './styles.css';

function App() {
  const path = usePath();
  const join = /^\/c\/([a-z0-9]+)\/?$/.exec(path);
  if (join) return <JoinPage key={join[1]} code={join[1]} />;
  const call = /^\/call\/([0-9A-Za-z]+)\/?$/.exec(path);
  if (call) return <CallPage key={call[1]} callId={call[1]} />;
  const book = /^\/book\/([A-Za-z0-9_]+)\/?$/.exec(path);
  if (book) return <BookPage key={book[1]} username={book[1]} />;
  const booking = /^\/bookings\/([0-9A-Za-z]+)\/?$/.exec(path);
  if (booking) return <BookingPage key={booking[1]} bookingId={booking[1]} />;
  if (/^\/login\/?$/.test(path)) return <AuthPage mode="login" />;
  if (/^\/register\/?$/.test(path)) return <AuthPage mode="register" />;
  if (/^\/host\/?$/.test(path)) return <HostPage />;
  if (path === '/') return <HomePage />;
  return (
    <Layout title="Page not found">
      <p>
        There is nothing here. A host's call link looks like <code>/c/abc123</code>.
      </p>
      <p>
        <a href="/login">Sign in</a> or <a href="/register">create a host account</a>.
      </p>
    </Layout>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
