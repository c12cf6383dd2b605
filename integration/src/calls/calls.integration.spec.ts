import { billingApp } from '@vidivo/app-billing';
import { gatewayApp } from '@vidivo/app-gateway';
import { identityApp } from '@vidivo/app-identity';
import { linksApp } from '@vidivo/app-links';
import { StripeEmulator } from '@vidivo/app-stripe-emulator';
import { MetricsServer } from '@vidivo/platform';
import { ComposedPlatform, HttpClient, eventually, registerAccount, startComposedPlatform, webhookUrl } from '@vidivo/testing';
import { CallDeadlinesSweeper, callsApp } from '@vidivo/app-calls';

jest.setTimeout(30_000);

describe('calls and billing: the lifecycle over HTTP (real Postgres, Stripe emulator)', () => {
  let platform: ComposedPlatform<StripeEmulator>;
  let hostToken: string;
  let hostId: string;
  let hostName: string;
  const webhook = { url: '', secret: '' };

  const createLink = async (fields: Record<string, unknown> = {}) => {
    const response = await platform.api.post('/v1/calls/links', { rate_per_minute: '2.50', window_size_minutes: 10, ...fields }, { token: hostToken });
    expect(response.status).toBe(201);
    return response.body as { id: string; short_code: string };
  };
  const join = (shortCode: string, body: Record<string, unknown> = { payment_method_id: 'pm_card_visa' }, options: { token?: string; key?: string } = {}) =>
    platform.api.post(`/v1/calls/join/${shortCode}`, body, { token: options.token, headers: options.key ? { 'x-idempotency-key': options.key } : {} });
  const heldFor = (callId: string) => platform.emulator.paymentIntents({ callId });
  /** Moves a running call's start back, as if its participants had talked that long. */
  const talkedFor = (callId: string, seconds: number) =>
    platform.sql.query(`UPDATE calls.calls SET started_at = now() - $2 * interval '1 second' WHERE id = $1`, [callId, seconds]);
  /** Waits for billing to finish with a call, so its ledger is complete. */
  const settled = (callId: string) =>
    eventually(
      () => platform.sql.query(`SELECT status FROM billing.call_accounts WHERE call_id = $1`, [callId]).then((result) => result.rows[0]?.status),
      (status) => status === 'settled' || status === 'failed',
    );
  const useCount = async (linkId: string) => (await platform.sql.query('SELECT use_count FROM links.call_links WHERE id = $1', [linkId])).rows[0].use_count;

  beforeAll(async () => {
    platform = await startComposedPlatform({
      name: 'calls_lifecycle',
      apps: [gatewayApp, identityApp, linksApp, callsApp, billingApp],
      emulator: () => StripeEmulator.start(),
      env: {
        STRIPE_TIMEOUT_MS: '1000',
        CALL_NO_SHOW_SECONDS: '4',
        // No signaling here: nobody connects, so the rule for abandoned calls stays off.
        CALL_ABANDON_SECONDS: '0',
      },
    });
    Object.assign(webhook, { url: webhookUrl(platform.baseUrl), secret: platform.webhookSecret });
    const host = await registerAccount(platform.api, 'host');
    hostToken = host.token;
    hostId = host.id;
    hostName = host.displayName;
  });

  afterAll(async () => {
    await platform?.close();
  });

  afterEach(() => platform.emulator.clearFaults());

  it('runs join (anonymous) → host-join → end, captures exactly total_charged and leaves no hold open', async () => {
    const link = await createLink();
    const joined = await join(link.short_code, { payment_method_id: 'pm_card_visa', guest_name: 'Grace' });
    expect(joined.status).toBe(201);
    expect(joined.body.call).toMatchObject({ status: 'waiting', short_code: link.short_code, rate_per_minute: '2.50', window_size_minutes: 10, currency: 'usd' });
    expect(joined.body.call.host).toEqual({ id: hostId, display_name: hostName });
    expect(joined.body.call.guest.display_name).toBe('Grace');
    expect(joined.body.signaling_token).toMatch(/^st_/);
    expect(joined.body.signaling_url).toMatch(/^ws:\/\/.+\/signal\/ws$/);
    expect(joined.body.turn_credentials.username).toMatch(new RegExp(`^\\d+:${joined.body.call.guest.id}$`));
    expect(typeof joined.body.guest_token).toBe('string');
    const callId = joined.body.call.id;
    expect(heldFor(callId)).toEqual([expect.objectContaining({ amount: 2500, status: 'requires_capture', capture_method: 'manual' })]);

    const guestView = await platform.api.get(`/v1/calls/${callId}`, { token: joined.body.guest_token });
    expect(guestView.status).toBe(200);

    const hostJoined = await platform.api.post(`/v1/calls/${callId}/host-join`, undefined, { token: hostToken });
    expect(hostJoined.status).toBe(201);
    expect(hostJoined.body.call.status).toBe('active');
    expect(hostJoined.body.signaling_token).toMatch(/^st_/);
    // 7 min 30 s of talk is 8 billed minutes, 20.00 at 2.50 (decision 10).
    await talkedFor(callId, 450);

    const ended = await platform.api.post(`/v1/calls/${callId}/end`, {}, { token: joined.body.guest_token });
    expect(ended.status).toBe(200);
    expect(ended.body.call).toMatchObject({ status: 'completed', billed_minutes: 8, total_charged: '20.00', end_reason: 'user_ended' });
    expect(ended.body.call.duration_seconds).toBeGreaterThanOrEqual(450);

    const intents = await eventually(
      () => Promise.resolve(heldFor(callId)),
      (list) => list.every((intent) => intent.status !== 'requires_capture'),
    );
    expect(intents.reduce((sum, intent) => sum + intent.amount_received, 0)).toBe(2000);
    expect(intents.filter((intent) => intent.status === 'requires_capture')).toEqual([]);
    expect(await settled(callId)).toBe('settled');
    const ledger = await platform.sql.query(`SELECT operation, outcome, amount_cents FROM billing.ledger WHERE call_id = $1 ORDER BY created_at`, [callId]);
    expect(ledger.rows).toEqual([
      { operation: 'authorize', outcome: 'succeeded', amount_cents: 2500 },
      { operation: 'capture', outcome: 'succeeded', amount_cents: 2000 },
    ]);
  });

  it('refuses a declined card with 402, fails the call and gives the link use back', async () => {
    const link = await createLink({ max_uses: 1 });
    const declined = await join(link.short_code, { payment_method_id: 'pm_card_chargeDeclined' });
    expect(declined.status).toBe(402);
    expect(declined.body.error.code).toBe('stripe_error');
    expect(await useCount(link.id)).toBe(0);
    const failed = await platform.sql.query(`SELECT status, end_reason FROM calls.calls WHERE link_id = $1`, [link.id]);
    expect(failed.rows).toEqual([{ status: 'failed', end_reason: 'billing_error' }]);

    const retried = await join(link.short_code, { payment_method_id: 'pm_card_visa' });
    expect(retried.status).toBe(201);
  });

  it('lets exactly one of 50 parallel joins win a link with one use, with exactly one hold', async () => {
    const link = await createLink({ max_uses: 1 });
    const results = await Promise.all(Array.from({ length: 50 }, () => join(link.short_code)));
    const statuses = results.map((result) => result.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(49);
    const winner = results.find((result) => result.status === 201)!.body.call.id;
    expect(heldFor(winner).filter((intent) => intent.status === 'requires_capture')).toHaveLength(1);
    const calls = await platform.sql.query(`SELECT count(*)::int AS n FROM calls.calls WHERE link_id = $1`, [link.id]);
    expect(calls.rows[0].n).toBe(1);
  });

  it('makes 20 parallel retries with one idempotency key one call with one hold', async () => {
    const link = await createLink();
    const guest = await registerAccount(platform.api, 'user');
    const results = await Promise.all(Array.from({ length: 20 }, () => join(link.short_code, undefined, { token: guest.token, key: 'join-once' })));
    const created = results.filter((result) => result.status === 201);
    expect(results.every((result) => result.status === 201 || result.status === 409)).toBe(true);
    expect(new Set(created.map((result) => result.body.call.id)).size).toBe(1);
    const calls = await platform.sql.query(`SELECT id FROM calls.calls WHERE guest_id = $1`, [guest.id]);
    expect(calls.rows).toHaveLength(1);
    expect(heldFor(calls.rows[0].id)).toHaveLength(1);

    const replay = await join(link.short_code, undefined, { token: guest.token, key: 'join-once' });
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.call.id).toBe(calls.rows[0].id);
  });

  it('settles once when host and guest end at the same moment', async () => {
    const link = await createLink();
    const joined = await join(link.short_code);
    const callId = joined.body.call.id;
    await platform.api.post(`/v1/calls/${callId}/host-join`, undefined, { token: hostToken });
    await talkedFor(callId, 30);
    const [byHost, byGuest] = await Promise.all([
      platform.api.post(`/v1/calls/${callId}/end`, {}, { token: hostToken }),
      platform.api.post(`/v1/calls/${callId}/end`, {}, { token: joined.body.guest_token }),
    ]);
    expect([byHost.status, byGuest.status].sort()).toEqual([200, 409]);
    const intents = await eventually(
      () => Promise.resolve(heldFor(callId)),
      (list) => list.every((intent) => intent.status === 'succeeded'),
    );
    expect(intents).toEqual([expect.objectContaining({ status: 'succeeded', amount_received: 250 })]);
    expect(await settled(callId)).toBe('settled');
    const captures = await platform.sql.query(`SELECT count(*)::int AS n FROM billing.ledger WHERE call_id = $1 AND operation = 'capture'`, [callId]);
    expect(captures.rows[0].n).toBe(1);
  });

  it('retries a capture that failed and never captures twice', async () => {
    const link = await createLink({ rate_per_minute: '1.00', window_size_minutes: 5 });
    const joined = await join(link.short_code);
    const callId = joined.body.call.id;
    await platform.api.post(`/v1/calls/${callId}/host-join`, undefined, { token: hostToken });
    await talkedFor(callId, 30);
    // Two 500s, each replayed by Stripe for its key: billing looks the hold up and tries again with a new key each time.
    platform.emulator.injectFault({ method: 'POST', path: '/v1/payment_intents/:id/capture', kind: 'error', times: 2 });
    await platform.api.post(`/v1/calls/${callId}/end`, {}, { token: hostToken });
    const intents = await eventually(
      () => Promise.resolve(heldFor(callId)),
      (list) => list.every((intent) => intent.status === 'succeeded'),
    );
    expect(intents).toEqual([expect.objectContaining({ amount_received: 100 })]);
    expect(await settled(callId)).toBe('settled');
    const ledger = await platform.sql.query(`SELECT outcome, idempotency_key FROM billing.ledger WHERE call_id = $1 AND operation = 'capture' ORDER BY created_at`, [callId]);
    expect(ledger.rows.map((row) => row.outcome)).toEqual(['unknown', 'unknown', 'succeeded']);
    expect(new Set(ledger.rows.map((row) => row.idempotency_key)).size).toBe(3);
    const call = await platform.api.get(`/v1/calls/${callId}`, { token: hostToken });
    expect(call.body.status).toBe('completed');
  });

  it('ends the call failed, capturing the minutes used, when the next window cannot be held', async () => {
    // A one-minute window is due for its top-up at once (60 s lead).
    const link = await createLink({ rate_per_minute: '1.00', window_size_minutes: 1 });
    const joined = await join(link.short_code);
    const callId = joined.body.call.id;
    platform.emulator.injectFault({ method: 'POST', path: '/v1/payment_intents', kind: 'decline', callId, times: 1 });
    await platform.api.post(`/v1/calls/${callId}/host-join`, undefined, { token: hostToken });
    await talkedFor(callId, 30);
    const call = await eventually(
      () => platform.api.get(`/v1/calls/${callId}`, { token: hostToken }).then((response) => response.body),
      (body) => body.status === 'failed',
    );
    expect(call).toMatchObject({ status: 'failed', end_reason: 'billing_error', billed_minutes: 1, total_charged: '1.00' });
    const intents = await eventually(
      () => Promise.resolve(heldFor(callId)),
      (list) => list.every((intent) => intent.status !== 'requires_capture'),
    );
    // The declined top-up stays at Stripe as an intent without money, as Stripe keeps it.
    expect(intents.map((intent) => [intent.status, intent.amount_received]).sort()).toEqual([
      ['requires_payment_method', 0],
      ['succeeded', 100],
    ]);
  });

  it('fails the call when its capture is refused for good', async () => {
    const link = await createLink({ rate_per_minute: '1.00', window_size_minutes: 5 });
    const joined = await join(link.short_code);
    const callId = joined.body.call.id;
    await platform.api.post(`/v1/calls/${callId}/host-join`, undefined, { token: hostToken });
    await talkedFor(callId, 30);
    // The authorization is gone at Stripe (expired or cancelled outside the product): no capture can succeed.
    // Its webhook is lost here, so settlement is what finds out.
    platform.emulator.setWebhook(undefined);
    const [intent] = heldFor(callId);
    const cancelled = await fetch(`${platform.emulator.url}/v1/payment_intents/${intent.id}/cancel`, { method: 'POST', headers: { authorization: 'Bearer sk_test_calls' } });
    expect(cancelled.status).toBe(200);

    const ended = await platform.api.post(`/v1/calls/${callId}/end`, {}, { token: hostToken });
    expect(ended.body.call.status).toBe('completed');
    expect(await settled(callId)).toBe('failed');
    const call = await eventually(
      () => platform.api.get(`/v1/calls/${callId}`, { token: hostToken }).then((response) => response.body),
      (body) => body.status === 'failed',
    );
    expect(call).toMatchObject({ status: 'failed', total_charged: '1.00' });
    const ledger = await platform.sql.query(`SELECT operation, outcome, error_code FROM billing.ledger WHERE call_id = $1 AND operation = 'capture'`, [callId]);
    expect(ledger.rows).toEqual([{ operation: 'capture', outcome: 'rejected', error_code: 'payment_intent_unexpected_state' }]);
    platform.emulator.setWebhook(webhook);
  });

  it('answers a retryable 503 when Stripe does not answer at join, and cancels the hold that is placed after all', async () => {
    const link = await createLink({ max_uses: 1 });
    // Longer than every try of the join (three requests with a one-second timeout, and the waits for a key still in use).
    platform.emulator.injectFault({ method: 'POST', path: '/v1/payment_intents', kind: 'stall', stallMs: 8_000, times: 1 });
    const joined = await join(link.short_code);
    expect(joined.status).toBe(503);
    expect(joined.body.error.code).toBe('service_unavailable');
    expect(await useCount(link.id)).toBe(0);
    const [call] = (await platform.sql.query(`SELECT id, status FROM calls.calls WHERE link_id = $1`, [link.id])).rows;
    // Failed by the join, unless the no-show sweep (4 s here) got there first while Stripe was slow.
    expect(['failed', 'missed']).toContain(call.status);
    // The stalled request goes through at Stripe in the end; its webhook shows a hold nobody uses, which is released.
    const intents = await eventually(
      () => Promise.resolve(heldFor(call.id)),
      (list) => list.length > 0 && list.every((intent) => intent.status === 'canceled'),
      25_000,
    );
    expect(intents.map((intent) => intent.status)).toEqual(['canceled']);
  });

  it('lets the host decline a call that waits for them: completed, nothing charged, the hold released (decision 30)', async () => {
    const link = await createLink();
    const joined = await join(link.short_code);
    const callId = joined.body.call.id;
    const byGuest = await platform.api.post(`/v1/calls/${callId}/end`, { reason: 'host_declined' }, { token: joined.body.guest_token });
    expect([byGuest.status, byGuest.body.error.code]).toEqual([403, 'forbidden']);

    const declined = await platform.api.post(`/v1/calls/${callId}/end`, { reason: 'host_declined' }, { token: hostToken });
    expect(declined.status).toBe(200);
    expect(declined.body.call).toMatchObject({ status: 'completed', end_reason: 'host_declined', duration_seconds: 0, billed_minutes: 0, total_charged: '0.00' });
    const intents = await eventually(
      () => Promise.resolve(heldFor(callId)),
      (list) => list[0]?.status === 'canceled',
    );
    expect(intents.map((intent) => [intent.status, intent.amount_received])).toEqual([['canceled', 0]]);

    // Once a call has started it can only be ended.
    const other = await join(link.short_code);
    await platform.api.post(`/v1/calls/${other.body.call.id}/host-join`, undefined, { token: hostToken });
    const tooLate = await platform.api.post(`/v1/calls/${other.body.call.id}/end`, { reason: 'host_declined' }, { token: hostToken });
    expect([tooLate.status, tooLate.body.error.message]).toEqual([409, 'The call has started: end it instead of declining it']);
    expect((await platform.api.get(`/v1/calls/${other.body.call.id}`, { token: hostToken })).body.status).toBe('active');
  });

  it('replays an end with the same idempotency key and refuses a second end without one', async () => {
    const link = await createLink();
    const joined = await join(link.short_code);
    const callId = joined.body.call.id;
    const end = (key?: string) =>
      platform.api.post(`/v1/calls/${callId}/end`, { reason: 'user_ended' }, { token: joined.body.guest_token, headers: key ? { 'x-idempotency-key': key } : {} });
    const first = await end('end-1');
    const replay = await end('end-1');
    expect(first.status).toBe(200);
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(first.body);
    const again = await end();
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('conflict');
    const events = await platform.sql.query(`SELECT count(*)::int AS n FROM calls.outbox WHERE subject = 'calls.call.ended' AND payload->'payload'->'call'->>'id' = $1`, [callId]);
    expect(events.rows[0].n).toBe(1);
  });

  it('gives participants a fresh signaling token while the call runs, and nobody else', async () => {
    const link = await createLink();
    const joined = await join(link.short_code);
    const callId = joined.body.call.id;
    const fresh = await platform.api.post(`/v1/calls/${callId}/signaling-token`, undefined, { token: joined.body.guest_token });
    expect(fresh.status).toBe(201);
    expect(fresh.body.signaling_token).toMatch(/^st_/);
    expect(fresh.body.turn_credentials.urls).toEqual(['turn:localhost:3478']);
    const stranger = await registerAccount(platform.api, 'user');
    expect((await platform.api.post(`/v1/calls/${callId}/signaling-token`, undefined, { token: stranger.token })).status).toBe(403);
    await platform.api.post(`/v1/calls/${callId}/end`, {}, { token: joined.body.guest_token });
    expect((await platform.api.post(`/v1/calls/${callId}/signaling-token`, undefined, { token: joined.body.guest_token })).status).toBe(409);
  });

  it('refuses bad join input with 400 and unknown links with 404, changing nothing', async () => {
    const link = await createLink({ max_uses: 3 });
    for (const body of [
      {},
      { payment_method_id: 'card_123' },
      { payment_method_id: 42 },
      { payment_method_id: 'pm_card_visa', guest_email: 'nope' },
      { payment_method_id: 'pm_card_visa', extra: 1 },
    ]) {
      const response = await join(link.short_code, body);
      expect([JSON.stringify(body), response.status, response.body.error?.code]).toEqual([JSON.stringify(body), 400, 'validation_error']);
    }
    expect(await useCount(link.id)).toBe(0);
    expect((await join('zzzzzz')).status).toBe(404);
    expect((await join('NOT-A-CODE')).status).toBe(404);
    await platform.api.delete(`/v1/calls/links/${link.id}`, { token: hostToken });
    expect((await join(link.short_code)).status).toBe(404);
  });

  it('does not let a host call their own link', async () => {
    const link = await createLink({ max_uses: 1 });
    const response = await join(link.short_code, undefined, { token: hostToken });
    expect(response.status).toBe(403);
    expect(await useCount(link.id)).toBe(0);
  });

  it('marks a call missed when the host does not come, and cancels its hold', async () => {
    const link = await createLink();
    const joined = await join(link.short_code);
    const callId = joined.body.call.id;
    const call = await eventually(
      () => platform.api.get(`/v1/calls/${callId}`, { token: hostToken }).then((response) => response.body),
      (body) => body.status === 'missed',
    );
    expect(call).toMatchObject({ status: 'missed', end_reason: 'timeout', total_charged: '0.00' });
    const intents = await eventually(
      () => Promise.resolve(heldFor(callId)),
      (list) => list[0]?.status === 'canceled',
    );
    expect(intents.map((intent) => intent.status)).toEqual(['canceled']);
  });

  it('marks each overdue call missed once when several sweepers run at the same moment (replicas)', async () => {
    const link = await createLink();
    const callIds = await Promise.all([join(link.short_code), join(link.short_code), join(link.short_code)]).then((joins) => joins.map((j) => j.body.call.id));
    await platform.sql.query(`UPDATE calls.calls SET expected_at = now() - interval '1 hour' WHERE id = ANY($1)`, [callIds]);
    const sweeper = platform.app.app.get(CallDeadlinesSweeper);
    const swept = await Promise.all(Array.from({ length: 6 }, () => sweeper.sweepNoShows(4)));
    expect(swept.reduce((sum, n) => sum + n, 0)).toBe(3);
    const events = await platform.sql.query(
      `SELECT payload->'payload'->'call'->>'id' AS id, count(*)::int AS n FROM calls.outbox
        WHERE subject = 'calls.call.ended' AND payload->'payload'->'call'->>'id' = ANY($1) GROUP BY 1`,
      [callIds],
    );
    expect(events.rows.map((row) => row.n)).toEqual([1, 1, 1]);
  });

  it('keeps strangers and other hosts out: 403 on read, end and host-join; 404 for unknown ids', async () => {
    const link = await createLink();
    const joined = await join(link.short_code);
    const callId = joined.body.call.id;
    const stranger = await registerAccount(platform.api, 'user');
    const otherHost = await registerAccount(platform.api, 'host');
    for (const token of [stranger.token, otherHost.token]) {
      expect((await platform.api.get(`/v1/calls/${callId}`, { token })).status).toBe(403);
      expect((await platform.api.post(`/v1/calls/${callId}/end`, {}, { token })).status).toBe(403);
      expect((await platform.api.post(`/v1/calls/${callId}/host-join`, undefined, { token })).status).toBe(403);
    }
    expect((await platform.api.post(`/v1/calls/${callId}/host-join`, undefined, { token: joined.body.guest_token })).status).toBe(403);
    expect((await platform.api.get('/v1/calls/01JN2X6M0P5H9SRBTXY8ZDKEFG', { token: hostToken })).status).toBe(404);
    expect((await platform.api.get('/v1/calls/not-an-id', { token: hostToken })).status).toBe(404);
  });

  it('lists history for both roles, newest first, with paging and a status filter', async () => {
    const guest = await registerAccount(platform.api, 'user');
    const link = await createLink();
    const first = await join(link.short_code, undefined, { token: guest.token });
    const second = await join(link.short_code, undefined, { token: guest.token });
    await platform.api.post(`/v1/calls/${second.body.call.id}/end`, {}, { token: guest.token });

    const mine = await platform.api.get('/v1/calls/history?per_page=1', { token: guest.token });
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ page: 1, per_page: 1, total: 2 });
    expect(mine.body.data.map((call: { id: string }) => call.id)).toEqual([second.body.call.id]);
    const page2 = await platform.api.get('/v1/calls/history?per_page=1&page=2', { token: guest.token });
    expect(page2.body.data.map((call: { id: string }) => call.id)).toEqual([first.body.call.id]);
    const completed = await platform.api.get('/v1/calls/history?status=completed', { token: guest.token });
    expect(completed.body.data.map((call: { id: string }) => call.id)).toEqual([second.body.call.id]);
    const hosts = await platform.api.get('/v1/calls/history?per_page=100', { token: hostToken });
    expect(hosts.body.data.map((call: { id: string }) => call.id)).toEqual(expect.arrayContaining([first.body.call.id, second.body.call.id]));

    for (const query of ['per_page=0', 'per_page=101', 'page=0', 'page=abc', 'status=done', 'sort=asc']) {
      const bad = await platform.api.get(`/v1/calls/history?${query}`, { token: guest.token });
      expect([query, bad.status, bad.body.error?.code]).toEqual([query, 400, 'validation_error']);
    }
  });

  it('shows calls by state (counted at the scrape) and what billing held and captured on /metrics', async () => {
    // /metrics has a port of its own (decision 36); runApp opens it on METRICS_PORT, the test on any free one.
    const metrics = new HttpClient(`http://127.0.0.1:${await platform.app.app.get(MetricsServer).listen(0, '127.0.0.1')}`);
    const sample = (text: string, series: string) => {
      const line = text.split('\n').find((entry) => entry.startsWith(`${series} `));
      return line === undefined ? undefined : Number(line.slice(series.length + 1));
    };
    const compare = async () => {
      const text = (await metrics.get('/metrics')).text;
      const { rows: states } = await platform.sql.query(`SELECT status, count(*)::int AS count FROM calls.calls GROUP BY status`);
      const [ledger] = (
        await platform.sql.query(`SELECT count(*) FILTER (WHERE operation = 'authorize' AND outcome = 'succeeded')::int AS placed,
                                count(*) FILTER (WHERE operation = 'authorize' AND outcome = 'declined')::int AS declined,
                                coalesce(sum(amount_cents) FILTER (WHERE operation = 'capture' AND outcome = 'succeeded'), 0)::int AS captured
                           FROM billing.ledger`)
      ).rows;
      const scraped = {
        states: Object.fromEntries(['waiting', 'ringing', 'active', 'completed', 'missed', 'failed'].map((state) => [state, sample(text, `calls_by_state{state="${state}"}`)])),
        placed: sample(text, 'billing_holds_placed_total'),
        declined: sample(text, 'billing_holds_failed_total{reason="declined"}'),
        captured: sample(text, 'billing_captured_cents_total'),
      };
      const expected = {
        states: Object.fromEntries(
          ['waiting', 'ringing', 'active', 'completed', 'missed', 'failed'].map((state) => [state, states.find((row) => row.status === state)?.count ?? 0]),
        ),
        placed: ledger.placed,
        declined: ledger.declined,
        captured: ledger.captured,
      };
      return { scraped, expected };
    };
    // Sweepers and settlements may still be moving while this reads: wait for a quiet moment.
    const { scraped, expected } = await eventually(compare, ({ scraped, expected }) => JSON.stringify(scraped) === JSON.stringify(expected));
    expect(scraped).toEqual(expected);
    expect(expected.placed).toBeGreaterThan(0);
    expect(expected.declined).toBeGreaterThan(0);
    expect(expected.captured).toBeGreaterThan(0);
    expect(expected.states.completed).toBeGreaterThan(0);
  });
});
