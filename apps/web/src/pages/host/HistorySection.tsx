import type { CallDto, CallStatus, Page } from '@vidivo/contracts';
import { useEffect, useRef, useState } from 'react';
import { authed, describeError } from '../../api';
import { formatAmount, formatCents, toCents } from '../../money';
import { Alert } from '../Layout';
import { HISTORY_STATUSES } from './schedule-time';
import { formatInstant } from '../../time';

const PER_PAGE = 20;

interface Loaded {
  calls: CallDto[];
  page: number;
  total: number;
}

const statusName = (status: CallStatus) => HISTORY_STATUSES.find((s) => s.status === status)?.name ?? status;

/** Past calls, newest first, a page at a time, with what the host earned on them. */
export function HistorySection({ hostId, zone }: { hostId: string; zone: string }) {
  const [status, setStatus] = useState<CallStatus | ''>('');
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** Only the newest request may change the list (the filter can change while one is under way). */
  const request = useRef(0);

  /** Asks for a page of `filter` after the calls `before`; the list changes when the answer comes. */
  const load = (filter: CallStatus | '', page: number, before: CallDto[]): Promise<void> => {
    const mine = ++request.current;
    const query = new URLSearchParams({ page: String(page), per_page: String(PER_PAGE), ...(filter ? { status: filter } : {}) });
    return authed<Page<CallDto>>('GET', `/v1/calls/history?${query}`).then(
      (answer) => {
        if (mine !== request.current) return;
        setLoaded({ calls: [...before, ...answer.data.filter((call) => !before.some((b) => b.id === call.id))], page: answer.page, total: answer.total });
        setLoading(false);
      },
      (e: unknown) => {
        if (mine !== request.current) return;
        setError(describeError(e));
        setLoading(false);
      },
    );
  };

  // The first page of the filter chosen (the list was cleared when it changed).
  useEffect(() => {
    void load(status, 1, []);
  }, [status]);

  const filterBy = (next: CallStatus | '') => {
    setStatus(next);
    setLoaded(null);
    setError(null);
  };

  const loadMore = (page: number, before: CallDto[]) => {
    setLoading(true);
    setError(null);
    void load(status, page, before);
  };

  const calls = loaded?.calls ?? [];
  const more = loaded !== null && loaded.page * PER_PAGE < loaded.total;
  const earned = calls.filter((call) => call.host.id === hostId).reduce((sum, call) => sum + toCents(call.total_charged), 0);
  const pages = loaded?.page ?? 0;

  return (
    <section aria-labelledby="history-title" className="card schedule">
      <h2 id="history-title">History</h2>
      <div className="history-filter">
        <label htmlFor="history-status">Show</label>
        <select id="history-status" value={status} onChange={(e) => filterBy(e.target.value as CallStatus | '')}>
          <option value="">All calls</option>
          {HISTORY_STATUSES.map((s) => (
            <option key={s.status} value={s.status}>
              {s.name}
            </option>
          ))}
        </select>
      </div>
      {error && <Alert>{error}</Alert>}
      {loaded === null ? (
        !error && <p>Loading your calls…</p>
      ) : calls.length === 0 ? (
        <p id="history-empty">{status ? `No ${statusName(status).toLowerCase()} calls.` : 'No calls yet.'}</p>
      ) : (
        <>
          <ul className="list" id="history">
            {calls.map((call) => {
              const hosted = call.host.id === hostId;
              const when = call.started_at ?? call.created_at;
              return (
                <li key={call.id} data-status={call.status}>
                  <span>
                    <time dateTime={when}>{formatInstant(when, zone)}</time> · <strong>{hosted ? call.guest.display_name : `${call.host.display_name} (you called)`}</strong>
                  </span>
                  <span className="history-figures">
                    <span className="call-state">{statusName(call.status)}</span> · {call.billed_minutes} min billed · {formatAmount(call.total_charged)}
                  </span>
                </li>
              );
            })}
          </ul>
          <p id="history-total">
            <strong>
              {pages <= 1 ? 'Total earned on this page' : `Total earned on the ${pages} pages shown`}: {formatCents(earned)}
            </strong>
          </p>
        </>
      )}
      {more && (
        <button type="button" disabled={loading} onClick={() => loadMore(loaded.page + 1, calls)}>
          Load more
        </button>
      )}
    </section>
  );
}
