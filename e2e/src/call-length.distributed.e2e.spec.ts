import { HttpClient, HttpEmulatorControl, connectDatabase, eventually, registerAccount, sleep } from '@vidivo/testing';
import { Client } from 'pg';
import { DistributedPlatform, startDistributed } from './platform-under-test';

/**
 * Calls are bounded (decision 28) in distributed mode too: with CALL_MAX_MINUTES=1 the deadline
 * sweep of the calls process ends a running call at the limit, and the billing process captures
 * exactly that minute, once, from the `calls.call.ended` JetStream event. Its own platform: the cap
 * would cut short the calls of the other suites. (integration/src/signaling/call-length.integration.spec.ts
 * runs the same in-process, with the peers' warnings over signaling.)
 */
describe('the call length cap in distributed mode (CALL_MAX_MINUTES=1, one process per app, NATS, the Stripe emulator as its own process)', () => {
  let platform: DistributedPlatform;
  let api: HttpClient;
  let emulator: HttpEmulatorControl;
  let sql: Client;

  beforeAll(async () => {
    // As integration/src/signaling/call-length.integration.spec.ts: one minute at most, and a short no-show
    // threshold, so the deadline sweep runs every second. No signaling peers here: the call is not to
    // end as abandoned when its clock is moved past the limit.
    platform = await startDistributed({ callMaxMinutes: 1, callNoShowSeconds: 4, callAbandonSeconds: 0 });
    api = new HttpClient(platform.baseUrl);
    emulator = new HttpEmulatorControl(platform.emulatorUrl);
    sql = await connectDatabase(platform.databaseUrl);
  });

  afterAll(async () => {
    await sql?.end();
    await platform?.stop();
  });

  const logs = () => platform.processes.map((p) => `--- ${p.name}\n${p.output()}`).join('\n');

  it('ends a call that runs past the limit with reason max_duration, billed to the limit exactly and captured once', async () => {
    const host = await registerAccount(api, 'host');
    const link = await api.post('/v1/calls/links', { rate_per_minute: '1.00', window_size_minutes: 5 }, { token: host.token });
    expect(link.status).toBe(201);
    const joined = await api.post(`/v1/calls/join/${link.body.short_code}`, { payment_method_id: 'pm_card_visa' });
    expect({ status: joined.status, text: joined.status === 201 ? '' : joined.text }).toEqual({ status: 201, text: '' });
    const callId: string = joined.body.call.id;
    const hostJoined = await api.post(`/v1/calls/${callId}/host-join`, undefined, { token: host.token });
    expect(hostJoined.status).toBe(201);

    // One minute at most: the warning is due at once, and goes out once.
    const warnings = () =>
      sql
        .query(`SELECT count(*)::int AS n FROM calls.outbox WHERE subject = 'calls.call.ending' AND payload->'payload'->>'call_id' = $1`, [callId])
        .then((result) => result.rows[0].n as number);
    expect(await eventually(warnings, (n) => n > 0)).toBe(1);

    // The minute passes (and then some): the call ends at the limit, not when the sweep noticed.
    await sql.query(`UPDATE calls.calls SET started_at = started_at - interval '90 seconds' WHERE id = $1`, [callId]);
    const call = await eventually(
      () => api.get(`/v1/calls/${callId}`, { token: host.token }).then((response) => response.body),
      (body) => body.status !== 'active',
    );
    expect(call).toMatchObject({ status: 'completed', end_reason: 'max_duration', duration_seconds: 60, billed_minutes: 1, total_charged: '1.00' });
    expect(Date.parse(call.ended_at) - Date.parse(call.started_at)).toBe(60_000);

    const intents = await eventually(
      () => emulator.paymentIntents({ callId }),
      (list) => list[0]?.status === 'succeeded',
    );
    expect({ intents, logs: intents[0]?.status === 'succeeded' ? '' : logs() }).toEqual({
      intents: [expect.objectContaining({ status: 'succeeded', amount: 500, amount_received: 100 })],
      logs: '',
    });
    // Captured once: no second capture follows the settlement, however the events are redelivered.
    await emulator.webhooksDelivered();
    await sleep(1_000);
    const captures = (await emulator.requests()).filter((request) => request.method === 'POST' && request.path === `/v1/payment_intents/${intents[0].id}/capture`);
    expect(captures.map((request) => [request.status, request.params.amount_to_capture])).toEqual([[200, '100']]);
    expect(await warnings()).toBe(1);
    const ledger = await sql.query(`SELECT outcome, amount_cents FROM billing.ledger WHERE call_id = $1 AND operation = 'capture'`, [callId]);
    expect(ledger.rows).toEqual([{ outcome: 'succeeded', amount_cents: 100 }]);
  });
});
