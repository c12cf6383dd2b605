import { HttpClient, Account, ISO_SECONDS, ULID, expectError, expectInvalidFields, registerAccount } from '@vidivo/testing';

/** Call sessions (docs/api/ "Calls", decisions 5, 8, 10, 14, 15), from the outside. */
export function describeCallsContract(api: () => HttpClient): void {
  let host: Account;
  let guest: Account;
  let stranger: Account;
  const newLink = async (fields: object = {}) => {
    const response = await api().post('/v1/calls/links', { rate_per_minute: '2.50', window_size_minutes: 10, ...fields }, { token: host.token });
    expect(response.status).toBe(201);
    return response.body as { id: string; short_code: string };
  };
  const join = (shortCode: string, body: object = { payment_method_id: 'pm_card_visa' }, token?: string, key?: string) =>
    api().post(`/v1/calls/join/${shortCode}`, body, { token, headers: key ? { 'x-idempotency-key': key } : {} });

  beforeAll(async () => {
    [host, guest, stranger] = await Promise.all([registerAccount(api(), 'host'), registerAccount(api(), 'user'), registerAccount(api(), 'user')]);
  });

  describe('POST /v1/calls/join/:short_code', () => {
    it('starts a waiting call for an anonymous guest, with a guest token, signaling access and TURN credentials', async () => {
      const link = await newLink();
      const response = await join(link.short_code, { payment_method_id: 'pm_card_visa', guest_name: 'Grace', guest_email: 'grace@example.com' });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        call: {
          id: expect.stringMatching(ULID),
          status: 'waiting',
          short_code: link.short_code,
          booking_id: null,
          host: { id: host.id, display_name: `Display ${host.username}` },
          guest: { id: expect.stringMatching(ULID), display_name: 'Grace' },
          rate_per_minute: '2.50',
          window_size_minutes: 10,
          currency: 'usd',
          created_at: expect.stringMatching(ISO_SECONDS),
          started_at: null,
          ended_at: null,
          end_reason: null,
          duration_seconds: 0,
          billed_minutes: 0,
          total_charged: '0.00',
        },
        signaling_token: expect.stringMatching(/^st_/),
        signaling_url: expect.stringMatching(/^wss?:\/\/.+\/signal\/ws$/),
        turn_credentials: { urls: expect.any(Array), username: expect.stringMatching(/^\d+:[0-9A-Z]{26}$/), credential: expect.any(String) },
        guest_token: expect.any(String),
      });
      const asGuest = await api().get(`/v1/calls/${response.body.call.id}`, { token: response.body.guest_token });
      expect(asGuest.status).toBe(200);
      expect(asGuest.body.id).toBe(response.body.call.id);
    });

    it('uses the signed-in user as the guest and adds no guest token', async () => {
      const response = await join((await newLink()).short_code, undefined, guest.token);
      expect(response.status).toBe(201);
      expect(response.body.call.guest.id).toBe(guest.id);
      expect(response.body.guest_token).toBeUndefined();
    });

    it('answers 402 stripe_error for a declined card', async () => {
      expectError(await join((await newLink()).short_code, { payment_method_id: 'pm_card_chargeDeclined' }), 402, 'stripe_error');
      expectError(await join((await newLink()).short_code, { payment_method_id: 'pm_card_chargeDeclinedInsufficientFunds' }), 402, 'stripe_error');
    });

    it('answers 404 for unknown or deactivated links and 409 for a used-up one', async () => {
      expectError(await join('zzzzzz'), 404, 'not_found');
      const gone = await newLink();
      await api().delete(`/v1/calls/links/${gone.id}`, { token: host.token });
      expectError(await join(gone.short_code), 404, 'not_found');
      const once = await newLink({ max_uses: 1 });
      expect((await join(once.short_code)).status).toBe(201);
      expectError(await join(once.short_code), 409, 'conflict');
    });

    it('refuses bad bodies with validation_error naming the fields', async () => {
      const link = await newLink();
      expectInvalidFields(await join(link.short_code, {}), ['payment_method_id']);
      expectInvalidFields(await join(link.short_code, { payment_method_id: 'tok_visa', guest_email: 'no' }), ['payment_method_id', 'guest_email']);
    });

    it('replays a join with the same idempotency key, and refuses the key for another body', async () => {
      const link = await newLink();
      const first = await join(link.short_code, undefined, guest.token, 'contract-join');
      const again = await join(link.short_code, undefined, guest.token, 'contract-join');
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.body).toEqual(first.body);
      expectError(await join(link.short_code, { payment_method_id: 'pm_card_mastercard' }, guest.token, 'contract-join'), 422, 'idempotency_key_reused');
    });
  });

  describe('host-join, end, read', () => {
    it('runs a call to completion: active at host-join, completed at end with nothing charged for no talk', async () => {
      const joined = await join((await newLink()).short_code, undefined, guest.token);
      const callId = joined.body.call.id;
      const hostJoin = await api().post(`/v1/calls/${callId}/host-join`, undefined, { token: host.token });
      expect(hostJoin.status).toBe(201);
      expect(hostJoin.body.call).toMatchObject({ id: callId, status: 'active', started_at: expect.stringMatching(ISO_SECONDS) });
      expect(hostJoin.body.signaling_token).toMatch(/^st_/);
      expect(hostJoin.body.turn_credentials.username).toMatch(new RegExp(`^\\d+:${host.id}$`));

      const ended = await api().post(`/v1/calls/${callId}/end`, { reason: 'host_ended' }, { token: host.token });
      expect(ended.status).toBe(200);
      expect(ended.body.call).toMatchObject({ id: callId, status: 'completed', end_reason: 'host_ended', currency: 'usd', ended_at: expect.stringMatching(ISO_SECONDS) });
      expect(ended.body.call.total_charged).toBe((ended.body.call.billed_minutes * 2.5).toFixed(2));
      expectError(await api().post(`/v1/calls/${callId}/end`, {}, { token: guest.token }), 409, 'conflict');
      expectError(await api().post(`/v1/calls/${callId}/host-join`, undefined, { token: host.token }), 409, 'conflict');
    });

    it('keeps strangers out with 403 and answers 404 for unknown calls', async () => {
      const callId = (await join((await newLink()).short_code, undefined, guest.token)).body.call.id;
      expectError(await api().get(`/v1/calls/${callId}`, { token: stranger.token }), 403, 'forbidden');
      expectError(await api().post(`/v1/calls/${callId}/end`, {}, { token: stranger.token }), 403, 'forbidden');
      expectError(await api().post(`/v1/calls/${callId}/host-join`, undefined, { token: guest.token }), 403, 'forbidden');
      expectError(await api().get('/v1/calls/01JN2X6M0P5H9SRBTXY8ZDKEFG', { token: guest.token }), 404, 'not_found');
      expectError(await api().get(`/v1/calls/${callId}`), 401, 'unauthorized');
      expectInvalidFields(await api().post(`/v1/calls/${callId}/end`, { reason: 'bored' }, { token: guest.token }), ['reason']);
    });

    it('lists history, newest first, paged, filtered by status, in the paged shape', async () => {
      const history = await api().get('/v1/calls/history?page=1&per_page=2', { token: guest.token });
      expect(history.status).toBe(200);
      expect(history.body).toEqual({ data: expect.any(Array), page: 1, per_page: 2, total: expect.any(Number) });
      expect(history.body.data.length).toBeLessThanOrEqual(2);
      const created = history.body.data.map((call: { created_at: string }) => call.created_at);
      expect([...created].sort().reverse()).toEqual(created);
      const completed = await api().get('/v1/calls/history?status=completed&per_page=100', { token: guest.token });
      expect(completed.body.data.every((call: { status: string }) => call.status === 'completed')).toBe(true);
      expect(completed.body.total).toBeGreaterThanOrEqual(1);
      expectInvalidFields(await api().get('/v1/calls/history?per_page=500', { token: guest.token }), ['per_page']);
    });
  });
}
