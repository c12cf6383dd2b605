import type { CallDto, HostJoinResponse } from '@vidivo/contracts';
import { useState } from 'react';
import { authed, describeError } from '../../api';
import { saveCredentials } from '../../call/credentials';
import { formatAmount } from '../../money';
import { navigate } from '../../router';
import { Alert } from '../Layout';

/** Calls ringing now: accept (on to the call page) or decline (ends it with `host_declined`, decision 30). */
export function IncomingCallsSection({ incoming, dismiss }: { incoming: CallDto[]; dismiss: (callId: string) => void }) {
  const [error, setError] = useState<string | null>(null);

  const accept = async (call: CallDto) => {
    setError(null);
    try {
      const answer = await authed<HostJoinResponse>('POST', `/v1/calls/${call.id}/host-join`, { idempotent: true });
      saveCredentials(call.id, { role: 'host', access: answer });
      navigate(`/call/${call.id}`);
    } catch (e) {
      dismiss(call.id);
      setError(describeError(e));
    }
  };

  const decline = async (call: CallDto) => {
    setError(null);
    dismiss(call.id);
    try {
      await authed('POST', `/v1/calls/${call.id}/end`, { body: { reason: 'host_declined' }, idempotent: true });
    } catch (e) {
      setError(describeError(e));
    }
  };

  return (
    <section aria-labelledby="incoming-title" className="card">
      <h2 id="incoming-title">Incoming calls</h2>
      {error && <Alert>{error}</Alert>}
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
  );
}
