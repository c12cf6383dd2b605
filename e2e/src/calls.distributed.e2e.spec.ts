import { HttpClient, Account, connectDatabase, reach, registerAccount, sleep } from '@vidivo/testing';
import { Client } from 'pg';
import { DistributedPlatform, startDistributed } from './platform-under-test';

interface EmulatedIntent {
  id: string;
  status: string;
  amount: number;
  amount_received: number;
}

const toCents = (amount: string) => Math.round(Number(amount) * 100);

/**
 * A paid call end to end over the real NATS: calls and billing as their own processes, billing
 * on a Stripe emulator process, money settled from the `calls.call.ended` JetStream event.
 */
describe('calls and billing in distributed mode (NATS, JetStream, Stripe emulator)', () => {
  let platform: DistributedPlatform;
  let api: HttpClient;
  let db: Client;
  let host: Account;

  beforeAll(async () => {
    platform = await startDistributed({ callNoShowSeconds: 300 });
    api = new HttpClient(platform.baseUrl);
    db = await connectDatabase(platform.databaseUrl);
    host = await registerAccount(api, 'host');
  });

  afterAll(async () => {
    await db?.end();
    await platform?.stop();
  });

  const intentsOf = async (callId: string): Promise<EmulatedIntent[]> => {
    const response = await fetch(`${platform.emulatorUrl}/_emulator/payment_intents?call_id=${encodeURIComponent(callId)}`);
    expect(response.status).toBe(200);
    return (await response.json()) as EmulatedIntent[];
  };

  /** Polls the emulator until no hold of the call is left uncaptured and something was captured. */
  const settledIntents = (callId: string, timeoutMs = 30_000): Promise<EmulatedIntent[]> =>
    reach(
      () => intentsOf(callId),
      (intents) => intents.length > 0 && intents.every((i) => i.status !== 'requires_capture') && intents.some((i) => i.status === 'succeeded'),
      (intents) => `call ${callId} was not settled within ${timeoutMs} ms: ${JSON.stringify(intents)}\n${logs()}`,
      timeoutMs,
      250,
    );

  const logs = () => platform.processes.map((p) => `--- ${p.name}\n${p.output()}`).join('\n');

  /** A guest joins anonymously, the host picks up, and the call is backdated by 90 s (2 billed minutes). */
  const activeCall = async (): Promise<{ callId: string; guestToken: string }> => {
    const link = await api.post('/v1/calls/links', { rate_per_minute: '2.50', window_size_minutes: 10 }, { token: host.token });
    expect(link.status).toBe(201);
    const join = await api.post(`/v1/calls/join/${link.body.short_code}`, { payment_method_id: 'pm_card_visa' });
    expect({ status: join.status, text: join.status === 201 ? '' : join.text }).toEqual({ status: 201, text: '' });
    expect(join.body.guest_token).toEqual(expect.any(String));
    const callId: string = join.body.call.id;
    const hostJoin = await api.post(`/v1/calls/${callId}/host-join`, undefined, { token: host.token });
    expect(hostJoin.status).toBe(201);
    expect(hostJoin.body.call.status).toBe('active');
    const updated = await db.query(`UPDATE calls.calls SET started_at = now() - interval '90 seconds' WHERE id = $1`, [callId]);
    expect(updated.rowCount).toBe(1);
    return { callId, guestToken: join.body.guest_token };
  };

  const end = async (callId: string) => {
    const response = await api.post(`/v1/calls/${callId}/end`, {}, { token: host.token });
    expect({ status: response.status, text: response.status === 200 ? '' : response.text }).toEqual({ status: 200, text: '' });
    expect(response.body.call.status).toBe('completed');
    expect(response.body.call.total_charged).toBe('5.00');
    return response.body.call as { total_charged: string };
  };

  it('captures what the call cost once the call has ended', async () => {
    const { callId } = await activeCall();
    expect((await intentsOf(callId)).map((i) => i.status)).toEqual(['requires_capture']);

    const call = await end(callId);

    const intents = await settledIntents(callId);
    const captured = intents.reduce((sum, intent) => sum + intent.amount_received, 0);
    expect(captured).toBe(toCents(call.total_charged));
    expect(intents.filter((i) => i.status === 'requires_capture')).toEqual([]);
  });

  it('settles a call that ended while billing was down exactly once, after billing comes back', async () => {
    const { callId } = await activeCall();

    await platform.stopApp('billing', 'SIGKILL');
    try {
      const call = await end(callId); // calls answers without billing

      // Nothing moves while billing is down: the hold stays as it was.
      for (let i = 0; i < 4; i++) {
        await sleep(500);
        expect((await intentsOf(callId)).map((intent) => intent.status)).toEqual(['requires_capture']);
      }

      await platform.startApp('billing');
      const intents = await settledIntents(callId);
      expect(intents).toHaveLength(1);
      expect(intents[0]).toMatchObject({ status: 'succeeded', amount_received: toCents(call.total_charged) });

      // And it stays captured once: no second capture or new intent shows up later.
      await sleep(2_000);
      expect(await intentsOf(callId)).toEqual(intents);
    } finally {
      await platform.startApp('billing').catch(() => undefined);
    }
  });
});
