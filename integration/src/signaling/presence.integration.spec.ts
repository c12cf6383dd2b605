import { billingApp } from '@vidivo/app-billing';
import { callsApp } from '@vidivo/app-calls';
import { gatewayApp } from '@vidivo/app-gateway';
import { identityApp } from '@vidivo/app-identity';
import { linksApp } from '@vidivo/app-links';
import { StripeEmulator } from '@vidivo/app-stripe-emulator';
import { ComposedPlatform, eventually, registerAccount, sleep, startComposedPlatform } from '@vidivo/testing';
import { signalingApp } from '@vidivo/app-signaling';
import { SignalClient } from '@vidivo/app-signaling/testing';

jest.setTimeout(40_000);

const ABANDON_SECONDS = 3;

/** Presence: calls end when a participant is gone (decision 28), and hosts show as online (decision 29). */
describe('presence: abandoned calls and host_online (in-process platform, real WebSockets)', () => {
  let platform: ComposedPlatform<StripeEmulator>;
  let hostToken: string;
  let hostUsername: string;
  let shortCode: string;
  const clients: SignalClient[] = [];

  const wsUrl = (path: string, token: string) => `${platform.baseUrl.replace(/^http/, 'ws')}${path}?token=${encodeURIComponent(token)}`;
  const open = async (path: '/signal/ws' | '/signal/notify', token: string) => {
    const client = await SignalClient.connect(wsUrl(path, token));
    clients.push(client);
    return client;
  };
  /** A call with both participants in and connected, its clock moved back by `talkedSeconds`. */
  const activeCall = async (talkedSeconds: number, connect: Array<'guest' | 'host'> = ['guest', 'host']) => {
    const joined = await platform.api.post(`/v1/calls/join/${shortCode}`, { payment_method_id: 'pm_card_visa' });
    expect(joined.status).toBe(201);
    const callId: string = joined.body.call.id;
    const hostJoined = await platform.api.post(`/v1/calls/${callId}/host-join`, undefined, { token: hostToken });
    const peers = {
      guest: connect.includes('guest') ? await open('/signal/ws', joined.body.signaling_token) : undefined,
      host: connect.includes('host') ? await open('/signal/ws', hostJoined.body.signaling_token) : undefined,
    };
    if (peers.guest && peers.host) await Promise.all([peers.guest.next('peer_joined'), peers.host.next('peer_joined')]);
    // Once calls has heard of the connections, the clock may move back: nobody was away meanwhile.
    await eventually(
      () => platform.sql.query(`SELECT count(*)::int AS n FROM calls.call_connections WHERE call_id = $1 AND disconnected_at IS NULL`, [callId]).then((result) => result.rows[0].n),
      (open) => open === connect.length,
    );
    await platform.sql.query(`UPDATE calls.calls SET started_at = started_at - $2 * interval '1 second' WHERE id = $1`, [callId, talkedSeconds]);
    return { callId, guestToken: joined.body.guest_token as string, signalingToken: joined.body.signaling_token as string, peers };
  };
  const callOf = (callId: string) => platform.api.get(`/v1/calls/${callId}`, { token: hostToken }).then((response) => response.body);
  const ended = (callId: string) =>
    eventually(
      () => callOf(callId),
      (call) => call.status !== 'active',
      20_000,
    );

  beforeAll(async () => {
    platform = await startComposedPlatform({
      name: 'presence',
      apps: [gatewayApp, identityApp, linksApp, callsApp, billingApp, signalingApp],
      emulator: () => StripeEmulator.start(),
      env: {
        CALL_ABANDON_SECONDS: String(ABANDON_SECONDS),
        SIGNAL_RESUME_SECONDS: '1',
        // The deadline sweep runs every second.
        CALL_NO_SHOW_SECONDS: '4',
      },
    });
    const host = await registerAccount(platform.api, 'host');
    hostToken = host.token;
    hostUsername = host.username;
    const link = await platform.api.post('/v1/calls/links', { rate_per_minute: '1.00', window_size_minutes: 10 }, { token: hostToken });
    shortCode = link.body.short_code;
  });

  afterAll(async () => {
    for (const client of clients) client.terminate();
    await platform?.close();
  });

  it.each(['guest', 'host'] as const)('ends the call abandoned when the %s disappears, billed to the moment it went', async (leaver) => {
    const { callId, peers } = await activeCall(90);
    const goneAt = Date.now();
    peers[leaver]!.terminate();
    const other = leaver === 'guest' ? peers.host! : peers.guest!;
    expect(await other.next('peer_reconnecting')).toMatchObject({ payload: { role: leaver } });
    expect(await other.next('peer_left', 5_000)).toMatchObject({ payload: { role: leaver } });

    const call = await ended(callId);
    expect(call).toMatchObject({ status: 'completed', end_reason: 'abandoned', billed_minutes: 2, total_charged: '2.00' });
    // Ended when the connection went, not when the sweep noticed: nobody pays for time alone.
    expect(Math.abs(Date.parse(call.ended_at) - goneAt)).toBeLessThanOrEqual(1_500);
    expect(call.duration_seconds).toBeGreaterThanOrEqual(89);
    expect(call.duration_seconds).toBeLessThanOrEqual(92);
    expect((await other.next('call_ended')).payload.call).toMatchObject({ id: callId, end_reason: 'abandoned' });
    const [intent] = await eventually(
      () => Promise.resolve(platform.emulator.paymentIntents({ callId })),
      ([hold]) => hold?.status === 'succeeded',
    );
    expect(intent.amount_received).toBe(200);
  });

  it('ends a call whose guest never connected at host-join: nothing billed', async () => {
    const { callId } = await activeCall(0, ['host']);
    const call = await ended(callId);
    expect(call).toMatchObject({ status: 'completed', end_reason: 'abandoned', duration_seconds: 0, billed_minutes: 0, total_charged: '0.00' });
    expect(call.ended_at).toBe(call.started_at);
  });

  it('keeps a call whose guest drops and comes back within the grace', async () => {
    const { callId, peers, guestToken } = await activeCall(0);
    peers.guest!.terminate();
    await peers.host!.next('peer_reconnecting');
    const fresh = await platform.api.post(`/v1/calls/${callId}/signaling-token`, undefined, { token: guestToken });
    const back = await open('/signal/ws', fresh.body.signaling_token);
    await back.next('peer_joined');
    await peers.host!.next('peer_reconnected');
    // Well past CALL_ABANDON_SECONDS from the drop: the call goes on.
    await sleep((ABANDON_SECONDS + 2) * 1000);
    expect((await callOf(callId)).status).toBe('active');
    expect(peers.host!.ofType('peer_left')).toEqual([]);
    await platform.api.post(`/v1/calls/${callId}/end`, {}, { token: hostToken });
  });

  it('shows the host online in the link info while a notify connection is open', async () => {
    const info = () => platform.api.get(`/v1/calls/links/${shortCode}/info`).then((response) => response.body.host_online);
    expect(await info()).toBe(false);
    const notify = await open('/signal/notify', hostToken);
    expect(await eventually(info, (online) => online === true)).toBe(true);
    expect((await platform.api.get(`/v1/calls/links/active/${hostUsername}`)).body.host_online).toBe(true);
    notify.socket.close(1000);
    expect(await eventually(info, (online) => online === false)).toBe(false);
  });
});
