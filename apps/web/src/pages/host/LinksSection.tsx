import type { LinkDto } from '@vidivo/contracts';
import { useEffect, useState, type FormEvent } from 'react';
import { authed, describeError } from '../../api';
import { formatAmount } from '../../money';
import { Alert } from '../Layout';

/** The host's call links: create, copy, deactivate. */
export function LinksSection() {
  const [links, setLinks] = useState<LinkDto[]>([]);
  const [rate, setRate] = useState('2.50');
  const [windowMinutes, setWindowMinutes] = useState('10');
  const [label, setLabel] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const loadLinks = () =>
    authed<LinkDto[]>('GET', '/v1/calls/links')
      .then(setLinks)
      .catch((e) => setError(describeError(e)));

  useEffect(() => {
    void loadLinks();
  }, []);

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
    setError(null);
    try {
      await authed('DELETE', `/v1/calls/links/${link.id}`);
      await loadLinks();
    } catch (e) {
      setError(describeError(e));
    }
  };

  return (
    <section aria-labelledby="links-title" className="card">
      <h2 id="links-title">Your call links</h2>
      {error && <Alert>{error}</Alert>}
      {notice && <Alert kind="info">{notice}</Alert>}
      <form onSubmit={(event) => void create(event)} className="inline-form">
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
  );
}
