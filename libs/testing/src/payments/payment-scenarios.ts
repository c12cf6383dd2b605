import { Client } from 'pg';
import Stripe from 'stripe';
import { Account, registerAccount } from '../actors';
import { eventually } from '../eventually';
import { HttpClient } from '../http-client';
import { newWebhookSecret } from '../stripe-webhooks';
import { EmulatorControl, StripeFormParams } from './emulator-control';

/**
 * The platform a run of the payment scenarios works against, whatever runs it (in-process apps, one
 * process per app). It runs with CALL_ABANDON_SECONDS=0: the scenarios move call clocks in SQL and
 * connect no signaling peers, so their calls would otherwise end as abandoned.
 */
export interface PaymentScenarioContext {
  /** The gateway. */
  api: HttpClient;
  /** A connection to the platform's database (every app's schema), to look at rows and move a call's clock. */
  sql: Client;
  /** Billing's STRIPE_WEBHOOK_SECRET, which the emulator signs its webhooks with. */
  webhookSecret: string;
  /** The Stripe emulator billing talks to, which sends its webhooks to the gateway. */
  emulator: EmulatorControl;
  /** The platform's PUBLIC_WEB_URL: card authentication sends the guest back to `<it>/c/<short_code>`. */
  publicWebUrl: string;
  /** The Stripe API version billing pins on every request (its STRIPE_API_VERSION). */
  stripeApiVersion: string;
  /** The emulator's OpenAPI check of a request (`checkRequest` of `@vidivo/app-stripe-emulator`): the violations, none when it fits. */
  checkRequest(request: { method: string; path: string; params: StripeFormParams }): string[];
  /** The same for an answer (`checkResponse`). */
  checkResponse(response: { method: string; path: string; status: number; body: unknown }): string[];
}

/** Any test key will do for the emulator; the scenarios' own SDK calls stand for Stripe acting by itself (a cancellation, a foreign payment). */
const SCENARIO_SECRET_KEY = 'sk_test_payment_scenarios';

/**
 * The money path against a Stripe that behaves as Stripe documents it (decisions 24–27): Customers
 * and off-session windows, card authentication, lost answers, webhooks. The same scenarios run on
 * the in-process composition (integration/src/payments/payments.integration.spec.ts) and on the distributed
 * platform (e2e/src/payments.distributed.e2e.spec.ts); `context` is read once the caller's
 * `beforeAll` has started the platform. The scenarios share the platform: each makes its own links
 * and calls, and none relies on a clean emulator.
 */
export function describePaymentScenarios(context: () => PaymentScenarioContext): void {
  describe('payments: holds, authentication, reconciliation and webhooks', () => {
    let api: HttpClient;
    let sql: Client;
    let emulator: EmulatorControl;
    let stripe: Stripe;
    let webhookSecret: string;
    let stripeApiVersion: string;
    let host: Account;

    beforeAll(async () => {
      ({ api, sql, emulator, webhookSecret, stripeApiVersion } = context());
      const { hostname, port, protocol } = new URL(emulator.url);
      stripe = new Stripe(SCENARIO_SECRET_KEY, { host: hostname, port, protocol: protocol === 'https:' ? 'https' : 'http', maxNetworkRetries: 0 });
      host = await registerAccount(api, 'host');
    });

    afterEach(async () => {
      await emulator.clearFaults();
    });

    const createLink = async (fields: Record<string, unknown> = {}) => {
      const response = await api.post('/v1/calls/links', { rate_per_minute: '1.00', window_size_minutes: 1, ...fields }, { token: host.token });
      expect(response.status).toBe(201);
      return response.body as { id: string; short_code: string };
    };
    const join = (shortCode: string, body: Record<string, unknown>, token?: string) => api.post(`/v1/calls/join/${shortCode}`, body, { token });
    const hostJoin = (callId: string) => api.post(`/v1/calls/${callId}/host-join`, undefined, { token: host.token });
    const callOf = (callId: string) => api.get(`/v1/calls/${callId}`, { token: host.token }).then((response) => response.body);
    const intentsOf = async (callId: string) => emulator.paymentIntents({ callId });
    const useCount = async (linkId: string) => (await sql.query('SELECT use_count FROM links.call_links WHERE id = $1', [linkId])).rows[0].use_count;
    const callRows = async (linkId: string) => (await sql.query('SELECT id, status FROM calls.calls WHERE link_id = $1', [linkId])).rows;
    /** Moves a running call's clock back by `seconds`, in calls and in billing, as if that much more time had passed. */
    const timePasses = async (callId: string, seconds: number) => {
      await sql.query(`UPDATE calls.calls SET started_at = started_at - $2 * interval '1 second' WHERE id = $1`, [callId, seconds]);
      await sql.query(
        `UPDATE billing.call_accounts SET started_at = started_at - $2 * interval '1 second', next_hold_at = next_hold_at - $2 * interval '1 second' WHERE call_id = $1`,
        [callId, seconds],
      );
    };
    const heldWindows = (callId: string) =>
      sql
        .query(`SELECT window_number FROM billing.holds WHERE call_id = $1 AND status = 'authorized' ORDER BY window_number`, [callId])
        .then((result) => result.rows.map((row) => row.window_number));
    const settled = (callId: string) =>
      eventually(
        () => sql.query(`SELECT status FROM billing.call_accounts WHERE call_id = $1`, [callId]).then((result) => result.rows[0]?.status),
        (status) => status === 'settled' || status === 'failed',
      );
    const createRequests = async (callId: string) =>
      (await emulator.requests()).filter(
        (request) => request.method === 'POST' && request.path === '/v1/payment_intents' && (request.params.metadata as Record<string, string> | undefined)?.call_id === callId,
      );
    /** Joins with a card that needs authentication: the 402 and its PaymentIntent. */
    const joinNeedingAuthentication = async (shortCode: string, card = 'pm_card_threeDSecure2Required') => {
      const response = await join(shortCode, { payment_method_id: card, guest_name: 'Ada', guest_email: 'ada@example.com' });
      expect(response.status).toBe(402);
      expect(response.body.error.code).toBe('payment_action_required');
      return response.body.error.details as {
        payment_intent_id: string;
        client_secret: string;
        next_action: { type: string; redirect_to_url: { url: string; return_url: string } };
      };
    };
    /** A webhook request as Stripe sends it, signed with `secret`. */
    const deliver = (event: Record<string, unknown>, secret = webhookSecret) => {
      const payload = JSON.stringify(event);
      const signature = stripe.webhooks.generateTestHeaderString({ payload, secret });
      return api.post('/v1/webhooks/stripe', undefined, { rawBody: payload, headers: { 'stripe-signature': signature, 'content-type': 'application/json' } });
    };
    const intentEvent = (id: string, type: string, intent: Stripe.PaymentIntent) => ({
      id,
      object: 'event',
      api_version: stripeApiVersion,
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
      data: { object: intent },
    });

    it('holds four windows on one Customer and one saved card, every later window off-session, and captures exactly the minutes used', async () => {
      const link = await createLink();
      const joined = await join(link.short_code, { payment_method_id: 'pm_card_visa', guest_name: 'Grace', guest_email: 'grace@example.com' });
      expect(joined.status).toBe(201);
      const callId = joined.body.call.id;
      expect((await hostJoin(callId)).status).toBe(201);
      // One-minute windows with a 60 s lead: each next window is due as soon as the one before starts.
      await eventually(
        () => heldWindows(callId),
        (windows) => windows.length === 2,
      );
      await timePasses(callId, 60);
      await eventually(
        () => heldWindows(callId),
        (windows) => windows.length === 3,
      );
      await timePasses(callId, 60);
      expect(
        await eventually(
          () => heldWindows(callId),
          (windows) => windows.length === 4,
        ),
      ).toEqual([1, 2, 3, 4]);

      const intents = await intentsOf(callId);
      expect(intents).toHaveLength(4);
      const [first, ...later] = intents;
      expect(first.customer).toMatch(/^cus_/);
      expect(first.payment_method).toMatch(/^pm_/);
      expect(first.payment_method).not.toBe('pm_card_visa'); // Stripe makes a PaymentMethod of its own from the test token
      for (const intent of intents) {
        expect(intent).toMatchObject({ status: 'requires_capture', customer: first.customer, payment_method: first.payment_method, receipt_email: 'grace@example.com' });
        expect(intent.description).toBe(`Call with ${host.displayName} at $1.00/min`);
      }
      expect(later.map((intent) => intent.metadata.window)).toEqual(['2', '3', '4']);
      // The saved card is on the Customer, as setup_future_usage asks on success.
      expect((await stripe.paymentMethods.retrieve(first.payment_method as string)).customer).toBe(first.customer);

      const [firstCreate, ...laterCreates] = await createRequests(callId);
      expect(firstCreate.params).toMatchObject({ customer: first.customer, setup_future_usage: 'off_session', confirm: 'true', capture_method: 'manual' });
      expect(firstCreate.params.off_session).toBeUndefined();
      expect(laterCreates).toHaveLength(3);
      for (const request of laterCreates) {
        expect(request.params).toMatchObject({ customer: first.customer, payment_method: first.payment_method, off_session: 'true', confirm: 'true', capture_method: 'manual' });
        expect(request.params.setup_future_usage).toBeUndefined();
      }

      const ended = await api.post(`/v1/calls/${callId}/end`, {}, { token: joined.body.guest_token });
      expect(ended.body.call).toMatchObject({ status: 'completed', billed_minutes: 3, total_charged: '3.00' });
      expect(await settled(callId)).toBe('settled');
      const after = await intentsOf(callId);
      expect(after.map((intent) => [intent.status, intent.amount_received])).toEqual([
        ['succeeded', 100],
        ['succeeded', 100],
        ['succeeded', 100],
        ['canceled', 0],
      ]);
    });

    it('sends Stripe only what its OpenAPI description allows, with the pinned API version, and reads answers of the documented shape', async () => {
      const checks = context();
      await emulator.clearRequests();
      const link = await createLink();
      const joined = await join(link.short_code, { payment_method_id: 'pm_card_visa', guest_email: 'contract@example.com' });
      const callId = joined.body.call.id;
      await hostJoin(callId);
      await eventually(
        () => heldWindows(callId),
        (windows) => windows.length === 2,
      );
      await timePasses(callId, 30);
      await api.post(`/v1/calls/${callId}/end`, {}, { token: joined.body.guest_token });
      expect(await settled(callId)).toBe('settled');
      await emulator.webhooksDelivered();

      const requests = await emulator.requests();
      // join → top-up → end: the Customer, two holds, one capture, one cancel (and the reads that webhooks lead to).
      const changes = requests.filter((request) => request.method === 'POST');
      expect(changes.map((request) => `${request.method} ${request.path.replace(/\/(cus|pi)_\w+/, '/:id')}`)).toEqual([
        'POST /v1/customers',
        'POST /v1/payment_intents',
        'POST /v1/payment_intents',
        'POST /v1/payment_intents/:id/capture',
        'POST /v1/payment_intents/:id/cancel',
      ]);
      for (const request of requests) {
        expect({ path: request.path, violations: checks.checkRequest(request) }).toEqual({ path: request.path, violations: [] });
        expect({ path: request.path, violations: checks.checkResponse({ ...request, body: request.response }) }).toEqual({ path: request.path, violations: [] });
        expect(request.stripeVersion).toBe(stripeApiVersion);
        if (request.method === 'POST') expect(request.idempotencyKey).toMatch(/^vidivo-/);
      }
    });

    describe('card authentication at join (decision 25)', () => {
      it('answers 402 payment_action_required, leaves no call and no link use, then joins with the authenticated PaymentIntent', async () => {
        const link = await createLink({ max_uses: 1 });
        // Authentication when the card is set up; later off-session windows go through without it.
        const action = await joinNeedingAuthentication(link.short_code, 'pm_card_authenticationRequiredOnSetup');
        expect(action.payment_intent_id).toMatch(/^pi_/);
        expect(action.client_secret).toMatch(new RegExp(`^${action.payment_intent_id}_secret_`));
        expect(action.next_action.type).toBe('redirect_to_url');
        expect(action.next_action.redirect_to_url.url).toContain(emulator.url);
        expect(action.next_action.redirect_to_url.return_url).toBe(`${context().publicWebUrl}/c/${link.short_code}`);
        expect(await useCount(link.id)).toBe(0);
        expect(await callRows(link.id)).toEqual([]);

        // Not authenticated yet: refused, nothing changes.
        const early = await join(link.short_code, { payment_intent_id: action.payment_intent_id });
        expect(early.status).toBe(409);
        expect(await useCount(link.id)).toBe(0);

        await emulator.authenticate(action.payment_intent_id, 'succeed');
        const joined = await join(link.short_code, { payment_intent_id: action.payment_intent_id, guest_name: 'Ada' });
        expect(joined.status).toBe(201);
        const callId = joined.body.call.id;
        expect(await intentsOf(callId)).toEqual([expect.objectContaining({ id: action.payment_intent_id, status: 'requires_capture' })]);
        expect(await useCount(link.id)).toBe(1);
        expect(await callRows(link.id)).toEqual([{ id: callId, status: 'waiting' }]);

        // The same PaymentIntent cannot back a second call.
        const again = await join(link.short_code, { payment_intent_id: action.payment_intent_id });
        expect(again.status).toBe(409);
        expect(await useCount(link.id)).toBe(1);

        // The authenticated card was saved: the next window goes off-session on it.
        await hostJoin(callId);
        expect(
          await eventually(
            () => heldWindows(callId),
            (windows) => windows.length === 2,
          ),
        ).toEqual([1, 2]);
      });

      it('refuses a failed authentication with 402 stripe_error and leaves no call', async () => {
        const link = await createLink({ max_uses: 1 });
        const action = await joinNeedingAuthentication(link.short_code);
        await emulator.authenticate(action.payment_intent_id, 'fail');
        const joined = await join(link.short_code, { payment_intent_id: action.payment_intent_id });
        expect(joined.status).toBe(402);
        expect(joined.body.error.code).toBe('stripe_error');
        expect(await useCount(link.id)).toBe(0);
        expect(await callRows(link.id)).toEqual([]);
        // The guest may still come with another card.
        expect((await join(link.short_code, { payment_method_id: 'pm_card_visa' })).status).toBe(201);
      });

      it('refuses a PaymentIntent made for another link, and one that is not ours', async () => {
        const [mine, other] = [await createLink(), await createLink()];
        const action = await joinNeedingAuthentication(mine.short_code);
        await emulator.authenticate(action.payment_intent_id, 'succeed');
        const elsewhere = await join(other.short_code, { payment_intent_id: action.payment_intent_id });
        expect(elsewhere.status).toBe(409);
        expect(await useCount(other.id)).toBe(0);
        const foreign = await stripe.paymentIntents.create({ amount: 500, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, capture_method: 'manual' });
        expect((await join(mine.short_code, { payment_intent_id: foreign.id })).status).toBe(409);
        expect((await join(mine.short_code, { payment_method_id: 'pm_card_visa', payment_intent_id: action.payment_intent_id })).status).toBe(400);
        // Still good for its own link.
        expect((await join(mine.short_code, { payment_intent_id: action.payment_intent_id })).status).toBe(201);
      });

      it('gives back an authenticated hold nobody joined with after 15 minutes', async () => {
        const link = await createLink();
        const action = await joinNeedingAuthentication(link.short_code);
        await emulator.authenticate(action.payment_intent_id, 'succeed');
        await sql.query(`UPDATE billing.call_accounts SET created_at = now() - interval '16 minutes' WHERE status = 'authenticating'`);
        const [intent] = await eventually(
          async () => (await emulator.paymentIntents()).filter((candidate) => candidate.id === action.payment_intent_id),
          ([candidate]) => candidate?.status === 'canceled',
        );
        expect(intent.status).toBe('canceled');
        expect((await join(link.short_code, { payment_intent_id: action.payment_intent_id })).status).toBe(409);
      });

      it('ends the call failed, capturing the minutes used, when a later window needs authentication', async () => {
        const link = await createLink();
        // Authentication on every payment, even after setup: the off-session window cannot have it.
        const action = await joinNeedingAuthentication(link.short_code, 'pm_card_authenticationRequired');
        await emulator.authenticate(action.payment_intent_id, 'succeed');
        const joined = await join(link.short_code, { payment_intent_id: action.payment_intent_id });
        expect(joined.status).toBe(201);
        const callId = joined.body.call.id;
        await hostJoin(callId);
        await timePasses(callId, 30);
        const call = await eventually(
          () => callOf(callId),
          (body) => body.status === 'failed',
        );
        expect(call).toMatchObject({ status: 'failed', end_reason: 'billing_error', billed_minutes: 1, total_charged: '1.00' });
        expect(await settled(callId)).toBe('settled');
        const intents = await intentsOf(callId);
        expect(intents.find((intent) => intent.id === action.payment_intent_id)).toMatchObject({ status: 'succeeded', amount_received: 100 });
        expect(intents.filter((intent) => intent.status === 'requires_capture' || intent.status === 'requires_action')).toEqual([]);
      });
    });

    describe('lost answers are looked up, not guessed (decision 27)', () => {
      it('recovers a capture answered with a 500 (which Stripe replays for its key): exactly one capture, no hold left open', async () => {
        const link = await createLink({ window_size_minutes: 5 });
        const joined = await join(link.short_code, { payment_method_id: 'pm_card_visa' });
        const callId = joined.body.call.id;
        await hostJoin(callId);
        await timePasses(callId, 30);
        await emulator.injectFault({ method: 'POST', path: '/v1/payment_intents/:id/capture', kind: 'error', callId });
        await api.post(`/v1/calls/${callId}/end`, {}, { token: joined.body.guest_token });
        expect(await settled(callId)).toBe('settled');
        const [intent] = await intentsOf(callId);
        expect(intent).toMatchObject({ status: 'succeeded', amount_received: 100 });
        const captures = (await emulator.requests()).filter((request) => request.path === `/v1/payment_intents/${intent.id}/capture`);
        expect(captures.map((request) => request.status)).toEqual([500, 200]);
        expect(new Set(captures.map((request) => request.idempotencyKey)).size).toBe(2);
      });

      it('finds a hold whose PaymentIntent was made before the 500: no second hold', async () => {
        const link = await createLink();
        const joined = await join(link.short_code, { payment_method_id: 'pm_card_visa' });
        const callId = joined.body.call.id;
        // The next window's PaymentIntent is created, but the answer is a 500.
        await emulator.injectFault({ method: 'POST', path: '/v1/payment_intents', kind: 'error_after', callId });
        await hostJoin(callId);
        expect(
          await eventually(
            () => heldWindows(callId),
            (windows) => windows.length === 2,
          ),
        ).toEqual([1, 2]);
        expect((await intentsOf(callId)).map((intent) => intent.status)).toEqual(['requires_capture', 'requires_capture']);
        await timePasses(callId, 30);
        await api.post(`/v1/calls/${callId}/end`, {}, { token: joined.body.guest_token });
        expect(await settled(callId)).toBe('settled');
        expect((await intentsOf(callId)).map((intent) => intent.status)).toEqual(['succeeded', 'canceled']);
      });

      it('places the first hold after a connection lost once the request was done: the same key gets the answer', async () => {
        const link = await createLink();
        await emulator.injectFault({ method: 'POST', path: '/v1/payment_intents', kind: 'disconnect' });
        const joined = await join(link.short_code, { payment_method_id: 'pm_card_visa' });
        expect(joined.status).toBe(201);
        expect(await intentsOf(joined.body.call.id)).toEqual([expect.objectContaining({ status: 'requires_capture' })]);
      });

      it('retries a 429 with backoff, and gives up when Stripe says not to retry', async () => {
        const link = await createLink();
        await emulator.injectFault({ method: 'POST', path: '/v1/payment_intents', kind: 'rate_limit', times: 2 });
        const joined = await join(link.short_code, { payment_method_id: 'pm_card_visa' });
        expect(joined.status).toBe(201);

        await emulator.injectFault({ method: 'POST', path: '/v1/payment_intents', kind: 'rate_limit', shouldRetry: false, times: Infinity });
        const refused = await join(link.short_code, { payment_method_id: 'pm_card_visa' });
        // Nothing was refused, Stripe did not say: a retryable 503, not a declined card (decision 35 counts declines).
        expect(refused.status).toBe(503);
        expect(refused.body.error).toMatchObject({ code: 'service_unavailable', message: expect.stringMatching(/not reachable/) });
        expect(refused.headers.get('retry-after')).toBe('2');
      });

      it('tries a temporary decline (processing_error) again with a new key before it counts', async () => {
        const link = await createLink({ max_uses: 1 });
        const joined = await join(link.short_code, { payment_method_id: 'pm_card_chargeDeclinedProcessingError' });
        expect(joined.status).toBe(402);
        const [call] = await callRows(link.id);
        const tries = await sql.query(`SELECT idempotency_key, outcome FROM billing.ledger WHERE call_id = $1 AND operation = 'authorize' ORDER BY created_at`, [call.id]);
        expect(tries.rows.map((row) => row.outcome)).toEqual(['declined', 'declined', 'declined']);
        expect(new Set(tries.rows.map((row) => row.idempotency_key)).size).toBe(3);
        // A final decline (insufficient funds) is not tried again.
        const other = await createLink();
        await join(other.short_code, { payment_method_id: 'pm_card_chargeDeclinedInsufficientFunds' });
        const [declined] = await callRows(other.id);
        const once = await sql.query(`SELECT count(*)::int AS n FROM billing.ledger WHERE call_id = $1 AND operation = 'authorize'`, [declined.id]);
        expect(once.rows[0].n).toBe(1);
      });
    });

    describe('webhooks (decision 26)', () => {
      it('refuses a missing or bad signature with 400 and changes nothing', async () => {
        const link = await createLink({ window_size_minutes: 5 });
        const joined = await join(link.short_code, { payment_method_id: 'pm_card_visa' });
        const callId = joined.body.call.id;
        await hostJoin(callId);
        const [intent] = await intentsOf(callId);
        const event = intentEvent('evt_bad_signature', 'payment_intent.canceled', { ...intent, status: 'canceled' });
        const forged = await deliver(event, newWebhookSecret());
        expect(forged.status).toBe(400);
        expect(forged.body.error.code).toBe('validation_error');
        const unsigned = await api.post('/v1/webhooks/stripe', event);
        expect(unsigned.status).toBe(400);
        const tampered = await api.post('/v1/webhooks/stripe', undefined, {
          rawBody: JSON.stringify({ ...event, id: 'evt_other' }),
          headers: { 'stripe-signature': stripe.webhooks.generateTestHeaderString({ payload: JSON.stringify(event), secret: webhookSecret }) },
        });
        expect(tampered.status).toBe(400);
        expect((await sql.query(`SELECT count(*)::int AS n FROM billing.stripe_events WHERE id IN ('evt_bad_signature', 'evt_other')`)).rows[0].n).toBe(0);
        expect((await callOf(callId)).status).toBe('active');
      });

      it('handles an event once, however often and in whatever order it comes', async () => {
        const link = await createLink({ window_size_minutes: 5 });
        const joined = await join(link.short_code, { payment_method_id: 'pm_card_visa' });
        const callId = joined.body.call.id;
        await hostJoin(callId);
        const [intent] = await intentsOf(callId);
        const cancelled = await stripe.paymentIntents.cancel(intent.id);
        // The emulator's own deliveries, plus the same cancellation twice more and a stale event after it.
        const canceledEvent = intentEvent('evt_canceled_once', 'payment_intent.canceled', cancelled);
        const stale = intentEvent('evt_stale', 'payment_intent.amount_capturable_updated', intent);
        const deliveries = await Promise.all([deliver(canceledEvent), deliver(canceledEvent), deliver(stale)]);
        expect(deliveries.map((response) => response.status)).toEqual([200, 200, 200]);
        await emulator.webhooksDelivered();
        const call = await eventually(
          () => callOf(callId),
          (body) => body.status === 'failed',
        );
        expect(call).toMatchObject({ status: 'failed', end_reason: 'billing_error' });
        const failures = await sql.query(`SELECT count(*)::int AS n FROM billing.outbox WHERE subject = 'billing.payment.failed' AND payload->'payload'->>'call_id' = $1`, [
          callId,
        ]);
        expect(failures.rows[0].n).toBe(1);
        expect((await sql.query(`SELECT count(*)::int AS n FROM billing.stripe_events WHERE id = 'evt_canceled_once'`)).rows[0].n).toBe(1);
        expect((await sql.query(`SELECT status FROM billing.holds WHERE payment_intent_id = $1`, [intent.id])).rows).toEqual([{ status: 'expired' }]);
      });

      it('ends an active call whose hold expires at Stripe (the emulator clock passes seven days)', async () => {
        const link = await createLink({ window_size_minutes: 5 });
        const joined = await join(link.short_code, { payment_method_id: 'pm_card_visa' });
        const callId = joined.body.call.id;
        await hostJoin(callId);
        await timePasses(callId, 30); // a minute is due, and nothing will be left to take it from
        const [intent] = await intentsOf(callId);
        const charge = (await stripe.paymentIntents.retrieve(intent.id, { expand: ['latest_charge'] })).latest_charge as Stripe.Charge;
        expect(new Date(charge.payment_method_details!.card!.capture_before! * 1000).getTime()).toBeGreaterThan(Date.now() + 6 * 24 * 3600_000);
        await emulator.advanceClock(8 * 24 * 3600);
        await emulator.webhooksDelivered();
        const call = await eventually(
          () => callOf(callId),
          (body) => body.status === 'failed',
        );
        expect(call).toMatchObject({ status: 'failed', end_reason: 'billing_error' });
        expect(await settled(callId)).toBe('failed'); // nothing left to capture the minute from
      });

      it('records a dispute once and announces it', async () => {
        const link = await createLink({ window_size_minutes: 5 });
        const joined = await join(link.short_code, { payment_method_id: 'pm_card_visa' });
        const callId = joined.body.call.id;
        await hostJoin(callId);
        await timePasses(callId, 30);
        await api.post(`/v1/calls/${callId}/end`, {}, { token: joined.body.guest_token });
        expect(await settled(callId)).toBe('settled');
        const [intent] = await intentsOf(callId);
        await emulator.dispute(intent.id);
        await emulator.webhooksDelivered();
        const disputes = await eventually(
          () => sql.query(`SELECT call_id, payment_intent_id, amount_cents FROM billing.disputes WHERE call_id = $1`, [callId]).then((result) => result.rows),
          (rows) => rows.length > 0,
        );
        expect(disputes).toEqual([{ call_id: callId, payment_intent_id: intent.id, amount_cents: 100 }]);
        const announced = await sql.query(`SELECT count(*)::int AS n FROM billing.outbox WHERE subject = 'billing.dispute.created' AND payload->'payload'->>'call_id' = $1`, [
          callId,
        ]);
        expect(announced.rows[0].n).toBe(1);
      });
    });
  });
}
