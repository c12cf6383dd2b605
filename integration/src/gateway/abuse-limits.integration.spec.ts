import { billingApp } from '@vidivo/app-billing';
import { callsApp } from '@vidivo/app-calls';
import { RateCountersSweeper, gatewayApp } from '@vidivo/app-gateway';
import { identityApp } from '@vidivo/app-identity';
import { linksApp } from '@vidivo/app-links';
import { schedulingApp } from '@vidivo/app-scheduling';
import { StripeEmulator } from '@vidivo/app-stripe-emulator';
import { ALWAYS_OPEN_AVAILABILITY, Account, ComposedPlatform, HttpClient, HttpResponse, registerAccount, startComposedPlatform } from '@vidivo/testing';

jest.setTimeout(60_000);

const LIMIT = 5;
const DECLINED = { payment_method_id: 'pm_card_chargeDeclined' };
const GOOD_CARD = { payment_method_id: 'pm_card_visa' };

/** Each call a client address of its own (TRUST_PROXY believes X-Forwarded-For). */
let lastAddress = 0;
const newAddress = () => `198.51.100.${++lastAddress}`;

const statusesOf = (responses: HttpResponse[]) => responses.map((response) => response.status);

function expectRateLimited(response: HttpResponse, maxSeconds: number) {
  expect(response.status).toBe(429);
  expect(response.body).toEqual({ error: { code: 'rate_limited', message: expect.any(String) } });
  const retryAfter = Number(response.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(maxSeconds);
}

describe('abuse limits shared by every gateway replica (decision 35)', () => {
  describe('the rate limit of the public routes', () => {
    let platform: ComposedPlatform<undefined>;
    let replicas: HttpClient[];

    beforeAll(async () => {
      platform = await startComposedPlatform({ name: 'abuse_rate_limit', apps: [gatewayApp, identityApp], env: { RATE_LIMIT_PER_MINUTE: '4', TRUST_PROXY: 'true' } });
      replicas = [platform.api, new HttpClient((await platform.startAnother()).baseUrl)];
    });

    afterAll(async () => {
      await platform?.close();
    });

    const guestFrom = (replica: HttpClient, address: string) => replica.post('/v1/auth/guest', {}, { headers: { 'x-forwarded-for': address } });

    it('counts a client alternating between two replicas once: 429 after the limit in total', async () => {
      const address = newAddress();
      const responses: HttpResponse[] = [];
      for (let i = 0; i < 6; i++) responses.push(await guestFrom(replicas[i % 2], address));
      expect(statusesOf(responses)).toEqual([201, 201, 201, 201, 429, 429]);
      expectRateLimited(responses[4], 60);
      // Another address has its own allowance, on either replica.
      expect((await guestFrom(replicas[1], newAddress())).status).toBe(201);
    });

    it('lets exactly the limit through when 40 requests race across both replicas', async () => {
      const address = newAddress();
      const responses = await Promise.all(Array.from({ length: 40 }, (_, i) => guestFrom(replicas[i % 2], address)));
      expect(statusesOf(responses).filter((status) => status === 201)).toHaveLength(4);
      expect(statusesOf(responses).filter((status) => status === 429)).toHaveLength(36);
    });

    it('starts a new window once the last one ended', async () => {
      const address = newAddress();
      for (let i = 0; i < 5; i++) await guestFrom(replicas[i % 2], address);
      expect((await guestFrom(replicas[0], address)).status).toBe(429);
      await platform.sql.query(`UPDATE gateway.rate_counters SET expires_at = now() - interval '1 second' WHERE key LIKE 'rate-limit:%'`);
      expect((await guestFrom(replicas[1], address)).status).toBe(201);
    });

    it('sweeps ended counters and keeps live ones', async () => {
      await guestFrom(replicas[0], newAddress());
      await platform.sql.query(`UPDATE gateway.rate_counters SET expires_at = now() - interval '1 second' WHERE key LIKE 'rate-limit:%'`);
      await guestFrom(replicas[0], newAddress());

      expect(await platform.app.app.get(RateCountersSweeper).sweep()).toBeGreaterThanOrEqual(1);
      const { rows } = await platform.sql.query<{ live: boolean }>(`SELECT expires_at > now() AS live FROM gateway.rate_counters WHERE key LIKE 'rate-limit:%'`);
      expect(rows).toEqual([{ live: true }]);
    });
  });

  describe('declined payments per address, per guest and per link', () => {
    let platform: ComposedPlatform<StripeEmulator>;
    let host: Account;
    let hostToken: string;

    beforeAll(async () => {
      platform = await startComposedPlatform({
        name: 'abuse_declined_payments',
        apps: [gatewayApp, identityApp, linksApp, callsApp, billingApp, schedulingApp],
        emulator: () => StripeEmulator.start(),
        env: {
          DECLINED_PAYMENTS_PER_HOUR: String(LIMIT),
          RATE_LIMIT_PER_MINUTE: '0',
          TRUST_PROXY: 'true',
          // Nobody connects to signaling here: the rule for abandoned calls stays off.
          CALL_ABANDON_SECONDS: '0',
        },
      });
      host = await registerAccount(platform.api, 'host');
      hostToken = host.token;
    });

    afterAll(async () => {
      await platform?.close();
    });

    const newLink = async () => {
      const response = await platform.api.post('/v1/calls/links', { rate_per_minute: '1.00', window_size_minutes: 5 }, { token: hostToken });
      expect(response.status).toBe(201);
      return response.body.short_code as string;
    };
    const join = (api: HttpClient, shortCode: string, card: object, from: { address: string; token?: string }) =>
      api.post(`/v1/calls/join/${shortCode}`, card, { token: from.token, headers: { 'x-forwarded-for': from.address } });
    /** Stripe requests that try a card: what card testing costs the platform. */
    const cardAttempts = () =>
      platform.emulator.requests().filter((request) => request.method === 'POST' && /^\/v1\/payment_intents(\/[^/]+\/confirm)?$/.test(request.path)).length;

    it('lets a guest whose first card is declined pay with another one', async () => {
      const shortCode = await newLink();
      const address = newAddress();
      const declined = await join(platform.api, shortCode, DECLINED, { address });
      expect(declined.status).toBe(402);
      expect(declined.body.error.code).toBe('stripe_error');
      expect((await join(platform.api, shortCode, GOOD_CARD, { address })).status).toBe(201);
    });

    it(`answers 429 to an address after ${LIMIT} declined joins, without asking Stripe, even with a good card`, async () => {
      const address = newAddress();
      for (let i = 0; i < LIMIT; i++) expect((await join(platform.api, await newLink(), DECLINED, { address })).status).toBe(402);

      const shortCode = await newLink();
      const attemptsBefore = cardAttempts();
      expectRateLimited(await join(platform.api, shortCode, GOOD_CARD, { address }), 3600);
      expect(cardAttempts()).toBe(attemptsBefore);
      // The link and other addresses are not affected.
      expect((await join(platform.api, shortCode, GOOD_CARD, { address: newAddress() })).status).toBe(201);
    });

    it(`answers 429 to a guest after ${LIMIT} declined joins, whatever the address`, async () => {
      const guest = await registerAccount(platform.api, 'user');
      for (let i = 0; i < LIMIT; i++) expect((await join(platform.api, await newLink(), DECLINED, { address: newAddress(), token: guest.token })).status).toBe(402);

      const shortCode = await newLink();
      const address = newAddress();
      expectRateLimited(await join(platform.api, shortCode, GOOD_CARD, { address, token: guest.token }), 3600);
      // The same address and link, anonymously: another guest.
      expect((await join(platform.api, shortCode, GOOD_CARD, { address })).status).toBe(201);
    });

    it(`answers 429 on a link after ${LIMIT} declined joins on it, whoever comes`, async () => {
      const shortCode = await newLink();
      for (let i = 0; i < LIMIT; i++) expect((await join(platform.api, shortCode, DECLINED, { address: newAddress() })).status).toBe(402);

      const address = newAddress();
      expectRateLimited(await join(platform.api, shortCode, GOOD_CARD, { address }), 3600);
      // The same guest and address on another link.
      expect((await join(platform.api, await newLink(), GOOD_CARD, { address })).status).toBe(201);
    });

    it('does not count joins that succeed', async () => {
      const address = newAddress();
      for (let i = 0; i < LIMIT + 2; i++) expect((await join(platform.api, await newLink(), GOOD_CARD, { address })).status).toBe(201);
      expect((await join(platform.api, await newLink(), DECLINED, { address })).status).toBe(402);
    });

    it('counts a declined join once however often its idempotency key replays it', async () => {
      const shortCode = await newLink();
      const address = newAddress();
      const keyed = { 'x-forwarded-for': address, 'x-idempotency-key': `declined-${address}` };
      const answers = [];
      for (let i = 0; i <= LIMIT; i++) answers.push(await platform.api.post(`/v1/calls/join/${shortCode}`, DECLINED, { headers: keyed }));
      expect(statusesOf(answers)).toEqual(Array(LIMIT + 1).fill(402));
      expect(answers[LIMIT].headers.get('idempotent-replayed')).toBe('true');
      expect((await join(platform.api, shortCode, GOOD_CARD, { address })).status).toBe(201);
    });

    it(`answers 429 to the guest of a booked call after ${LIMIT} declined joins`, async () => {
      expect((await platform.api.put('/v1/schedule/availability', ALWAYS_OPEN_AVAILABILITY, { token: hostToken })).status).toBe(200);
      const guest = await registerAccount(platform.api, 'user');
      // The next whole minute at least a minute away: bookable now, and its call already open (decision 18).
      const scheduledAt = new Date(Math.ceil((Date.now() + 60_000) / 60_000) * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const booking = await platform.api.post('/v1/schedule/book', { host_username: host.username, scheduled_at: scheduledAt, duration_minutes: 30 }, { token: guest.token });
      expect(booking.status).toBe(201);
      const joinBooked = (card: object) => platform.api.post(`/v1/calls/${booking.body.id}/join`, card, { token: guest.token, headers: { 'x-forwarded-for': newAddress() } });

      for (let i = 0; i < LIMIT; i++) expect((await joinBooked(DECLINED)).status).toBe(402);
      expectRateLimited(await joinBooked(GOOD_CARD), 3600);
    });

    it('lets guests behind one address pay at the same time: only declines count, not attempts in flight', async () => {
      const [shortCode, address] = [await newLink(), newAddress()];
      const responses = await Promise.all(Array.from({ length: LIMIT + 3 }, () => join(platform.api, shortCode, GOOD_CARD, { address })));
      expect(statusesOf(responses)).toEqual(Array(LIMIT + 3).fill(201));
    });

    it('refuses the next attempt once a burst of parallel declines has been answered', async () => {
      const shortCode = await newLink();
      const attemptsBefore = cardAttempts();
      const responses = await Promise.all(Array.from({ length: 10 }, () => join(platform.api, shortCode, DECLINED, { address: newAddress() })));
      // Attempts under way when the limit was reached still went to Stripe (decision 35): at most as many as ran at once.
      const declined = statusesOf(responses).filter((status) => status === 402).length;
      expect(declined).toBeGreaterThanOrEqual(LIMIT);
      expect(
        statusesOf(responses)
          .filter((status) => status !== 402)
          .every((status) => status === 429),
      ).toBe(true);
      expect(cardAttempts() - attemptsBefore).toBe(declined);
      expectRateLimited(await join(platform.api, shortCode, GOOD_CARD, { address: newAddress() }), 3600);
    });
  });
});
