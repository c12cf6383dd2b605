import { billingApp } from '@vidivo/app-billing';
import { callsApp } from '@vidivo/app-calls';
import { gatewayApp } from '@vidivo/app-gateway';
import { identityApp } from '@vidivo/app-identity';
import { linksApp } from '@vidivo/app-links';
import { StripeEmulator } from '@vidivo/app-stripe-emulator';
import { ComposedPlatform, eventually, registerAccount, startComposedPlatform } from '@vidivo/testing';
import { signalingApp } from '@vidivo/app-signaling';
import { SignalClient } from '@vidivo/app-signaling/testing';

jest.setTimeout(40_000);

/** Calls are bounded (decision 28): both peers are warned a minute ahead, then the call ends, billed to the limit. */
describe('the call length cap: CALL_MAX_MINUTES over signaling and billing', () => {
  let platform: ComposedPlatform<StripeEmulator>;
  const clients: SignalClient[] = [];

  beforeAll(async () => {
    platform = await startComposedPlatform({
      name: 'call_length',
      apps: [gatewayApp, identityApp, linksApp, callsApp, billingApp, signalingApp],
      emulator: () => StripeEmulator.start(),
      env: {
        // One minute at most, so the warning is due at once; the deadline sweep runs every second.
        CALL_MAX_MINUTES: '1',
        CALL_NO_SHOW_SECONDS: '4',
      },
    });
  });

  afterAll(async () => {
    for (const client of clients) client.terminate();
    await platform?.close();
  });

  it('warns both peers with call_ending, then ends the call with reason max_duration, billed to the limit exactly', async () => {
    const hostToken = (await registerAccount(platform.api, 'host')).token;
    const link = await platform.api.post('/v1/calls/links', { rate_per_minute: '1.00', window_size_minutes: 5 }, { token: hostToken });
    const joined = await platform.api.post(`/v1/calls/join/${link.body.short_code}`, { payment_method_id: 'pm_card_visa' });
    expect(joined.status).toBe(201);
    const callId = joined.body.call.id;
    const hostJoined = await platform.api.post(`/v1/calls/${callId}/host-join`, undefined, { token: hostToken });
    const startedAt = Date.parse(hostJoined.body.call.started_at);
    const wsUrl = (token: string) => `${platform.baseUrl.replace(/^http/, 'ws')}/signal/ws?token=${encodeURIComponent(token)}`;
    const guest = await SignalClient.connect(wsUrl(joined.body.signaling_token));
    const host = await SignalClient.connect(wsUrl(hostJoined.body.signaling_token));
    clients.push(guest, host);

    const limit = new Date(startedAt + 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    for (const peer of [guest, host]) expect(await peer.next('call_ending')).toEqual({ type: 'call_ending', payload: { reason: 'max_duration', at: limit } });

    // The minute passes (and then some): the call ends at the limit, not when the sweep noticed.
    await platform.sql.query(`UPDATE calls.calls SET started_at = started_at - interval '90 seconds' WHERE id = $1`, [callId]);
    for (const peer of [guest, host]) expect((await peer.next('call_ended')).payload.call).toMatchObject({ id: callId, end_reason: 'max_duration' });
    const call = (await platform.api.get(`/v1/calls/${callId}`, { token: hostToken })).body;
    expect(call).toMatchObject({ status: 'completed', end_reason: 'max_duration', duration_seconds: 60, billed_minutes: 1, total_charged: '1.00' });
    expect(Date.parse(call.ended_at) - Date.parse(call.started_at)).toBe(60_000);
    const intents = await eventually(
      () => Promise.resolve(platform.emulator.paymentIntents({ callId })),
      (list) => list[0]?.status === 'succeeded',
    );
    expect(intents).toEqual([expect.objectContaining({ status: 'succeeded', amount_received: 100 })]);
    const warnings = await platform.sql.query(`SELECT count(*)::int AS n FROM calls.outbox WHERE subject = 'calls.call.ending' AND payload->'payload'->>'call_id' = $1`, [callId]);
    expect(warnings.rows[0].n).toBe(1);
  });
});
