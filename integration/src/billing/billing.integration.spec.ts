import { billingApp } from '@vidivo/app-billing';
import { StripeEmulator } from '@vidivo/app-stripe-emulator';
import { CallSnapshot, DomainEvent, EVENT_VERSION, ErrorCode, EventSubject, HoldDto, PlaceFirstHoldMessage, toIsoSeconds } from '@vidivo/contracts';
import { AppError, EventTransport } from '@vidivo/platform';
import { ComposedPlatform, eventually, reach, sleep, startComposedPlatform } from '@vidivo/testing';
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { ulid } from 'ulid';

jest.setTimeout(40_000);

const PUBLIC_WEB_URL = 'http://localhost:3000';
const SECRET_KEY = 'sk_test_billing';

/**
 * Billing alone (no gateway, no calls), on real Postgres and the Stripe emulator, driven as the
 * other apps drive it: its bus messages (`billing.holds.place-first`, `billing.holds.owner`,
 * `billing.webhooks.stripe`, which a relay here feeds with the emulator's signed webhooks as the
 * gateway does) and the calls events it consumes (`calls.call.started`, `calls.call.ended`),
 * published on the platform's event transport. What billing announces is heard on the same
 * transport. Faults come from the emulator's fault injection (decision 27).
 */
describe('billing on its own (real Postgres, Stripe emulator): holds, top-ups, settlement, Stripe faults', () => {
  let platform: ComposedPlatform<StripeEmulator>;
  let events: EventTransport;
  let relay: Server;
  const heard: DomainEvent[] = [];

  beforeAll(async () => {
    platform = await startComposedPlatform({
      name: 'billing',
      apps: [billingApp],
      emulator: () => StripeEmulator.start({ webhookRetryBaseMs: 100 }),
      env: { STRIPE_SECRET_KEY: SECRET_KEY, STRIPE_TIMEOUT_MS: '1000', PUBLIC_WEB_URL },
    });
    events = platform.app.app.get(EventTransport);
    for (const subject of ['billing.payment.failed', 'billing.settlement.completed', 'billing.settlement.failed'] as const) {
      await events.listen(subject, (event) => void heard.push(event));
    }
    relay = await startWebhookRelay(platform);
    platform.emulator.setWebhook({ url: `http://127.0.0.1:${(relay.address() as AddressInfo).port}/`, secret: platform.webhookSecret });
  });

  afterAll(async () => {
    // Stops the emulator's webhooks before the relay that takes them goes.
    await platform?.close();
    await new Promise((resolve) => relay?.close(resolve));
  });

  afterEach(() => platform.emulator.clearFaults());

  /** What calls sends for a link's call (decisions 11, 24): one window at `rate_per_minute`. */
  const holdRequest = (fields: Partial<PlaceFirstHoldMessage> = {}): PlaceFirstHoldMessage => ({
    call_id: ulid(),
    payment_method_id: 'pm_card_visa',
    rate_per_minute: '1.00',
    window_size_minutes: 1,
    guest: { id: ulid(), display_name: 'Grace', email: 'grace@example.com' },
    host_name: 'Ada',
    purpose: `link:${ulid()}`,
    return_url: `${PUBLIC_WEB_URL}/c/abc123`,
    ...fields,
  });
  const placeFirstHold = (request: PlaceFirstHoldMessage) => platform.bus.request('billing.holds.place-first', request);
  /** The AppError a bus request answered with. */
  const refusal = async (answer: Promise<unknown>): Promise<AppError> => {
    const error = await answer.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    if (!(error instanceof AppError)) throw new Error(`expected an error answer, got ${JSON.stringify(error)}`);
    return error;
  };

  /** A call as calls' events carry it. */
  const snapshot = (request: PlaceFirstHoldMessage, fields: Partial<CallSnapshot>): CallSnapshot => ({
    id: request.call_id,
    status: 'active',
    short_code: 'abc123',
    booking_id: null,
    host: { id: ulid(), display_name: request.host_name },
    guest: { id: request.guest.id, display_name: request.guest.display_name },
    rate_per_minute: request.rate_per_minute,
    window_size_minutes: request.window_size_minutes,
    currency: 'usd',
    created_at: toIsoSeconds(new Date()),
    started_at: null,
    ended_at: null,
    end_reason: null,
    duration_seconds: 0,
    billed_minutes: 0,
    total_charged: '0.00',
    link_id: request.purpose.replace('link:', ''),
    ...fields,
  });
  /** Calls publishes an event about the call; billing's consumer has handled it when this resolves (the in-process transport). */
  const publish = (subject: Extract<EventSubject, 'calls.call.started' | 'calls.call.ended'>, call: CallSnapshot) =>
    events.publish({ id: ulid(), subject, version: EVENT_VERSION, occurred_at: toIsoSeconds(new Date()), payload: { call } });
  const hostJoined = (request: PlaceFirstHoldMessage) => publish('calls.call.started', snapshot(request, { started_at: toIsoSeconds(new Date()) }));
  const ended = (request: PlaceFirstHoldMessage, totalCharged: string, status: CallSnapshot['status'] = 'completed') =>
    publish('calls.call.ended', snapshot(request, { status, ended_at: toIsoSeconds(new Date()), total_charged: totalCharged }));

  /** Moves a running call's clock back by `seconds`, as if that much more time had passed. */
  const timePasses = (callId: string, seconds: number) =>
    platform.sql.query(
      `UPDATE billing.call_accounts SET started_at = started_at - $2 * interval '1 second', next_hold_at = next_hold_at - $2 * interval '1 second' WHERE call_id = $1`,
      [callId, seconds],
    );
  const heldWindows = (callId: string) =>
    platform.sql
      .query<{ window_number: number }>(`SELECT window_number FROM billing.holds WHERE call_id = $1 AND status = 'authorized' ORDER BY window_number`, [callId])
      .then((result) => result.rows.map((row) => row.window_number));
  const reachHeldWindows = (callId: string, count: number) =>
    reach(
      () => heldWindows(callId),
      (windows) => windows.length === count,
      (windows) => `call ${callId} held windows ${windows.join(', ') || 'none'}, not ${count}`,
    );
  const intentsOf = (callId: string) => platform.emulator.paymentIntents({ callId });
  const accountStatus = (callId: string) =>
    platform.sql.query<{ status: string }>(`SELECT status FROM billing.call_accounts WHERE call_id = $1`, [callId]).then((result) => result.rows[0]?.status);
  const ledger = (callId: string, operation: string) =>
    platform.sql
      .query<{ outcome: string; idempotency_key: string }>(`SELECT outcome, idempotency_key FROM billing.ledger WHERE call_id = $1 AND operation = $2 ORDER BY created_at, id`, [
        callId,
        operation,
      ])
      .then((result) => result.rows);
  /** The Stripe requests that created PaymentIntents for a call, oldest first. */
  const holdCreations = (callId: string) =>
    platform.emulator
      .requests()
      .filter(
        (request) => request.method === 'POST' && request.path === '/v1/payment_intents' && (request.params.metadata as Record<string, string> | undefined)?.call_id === callId,
      );
  const announced = (subject: EventSubject, callId: string) =>
    reach(
      async () => heard.filter((event) => event.subject === subject && (event.payload as { call_id: string }).call_id === callId),
      (found) => found.length > 0,
      () => `billing did not announce ${subject} for call ${callId}`,
    );

  describe('the first hold (billing.holds.place-first, decisions 11, 24, 25)', () => {
    it("holds one window on the guest's Customer, on session, saving the card", async () => {
      const request = holdRequest({ rate_per_minute: '2.50', window_size_minutes: 5 });
      const hold = await placeFirstHold(request);
      expect(hold).toEqual<HoldDto>({ hold_id: expect.any(String), call_id: request.call_id, window: 1, amount: '12.50', status: 'authorized' });

      const [intent] = intentsOf(request.call_id);
      expect(intent).toMatchObject({ status: 'requires_capture', amount: 1250, capture_method: 'manual', receipt_email: 'grace@example.com', metadata: { window: '1' } });
      expect(intent.customer).toMatch(/^cus_/);
      const [creation] = holdCreations(request.call_id);
      expect(creation.params).toMatchObject({ setup_future_usage: 'off_session', confirm: 'true', customer: intent.customer });
      expect(creation.idempotencyKey).toBe(`vidivo-hold-${request.call_id}-1-1`);
      expect(await accountStatus(request.call_id)).toBe('holding');
      expect(await ledger(request.call_id, 'authorize')).toEqual([{ outcome: 'succeeded', idempotency_key: `vidivo-hold-${request.call_id}-1-1` }]);
    });

    it('counts only requires_capture as held: a card needing authentication answers payment_action_required, then the authenticated PaymentIntent is the hold', async () => {
      const request = holdRequest({ payment_method_id: 'pm_card_authenticationRequiredOnSetup' });
      const action = await refusal(placeFirstHold(request));
      expect(action.code).toBe(ErrorCode.PaymentActionRequired);
      const intentId = action.paymentAction!.payment_intent_id;
      expect(intentsOf(request.call_id)).toEqual([expect.objectContaining({ id: intentId, status: 'requires_action' })]);
      expect(await accountStatus(request.call_id)).toBe('authenticating');
      expect(await platform.bus.request('billing.holds.owner', { payment_intent_id: intentId })).toEqual({ call_id: request.call_id, purpose: request.purpose });

      const comeBack: PlaceFirstHoldMessage = { ...request, payment_method_id: undefined, payment_intent_id: intentId };
      expect((await refusal(placeFirstHold(comeBack))).code).toBe(ErrorCode.Conflict); // not authenticated yet
      platform.emulator.authenticate(intentId, 'succeed');
      expect(await placeFirstHold(comeBack)).toMatchObject({ call_id: request.call_id, window: 1, status: 'authorized' });
      expect(await accountStatus(request.call_id)).toBe('holding');
      expect((await refusal(placeFirstHold(comeBack))).code).toBe(ErrorCode.Conflict); // already backs the call
    });

    it('answers stripe_error for a declined card and holds nothing', async () => {
      const request = holdRequest({ payment_method_id: 'pm_card_chargeDeclinedInsufficientFunds' });
      const declined = await refusal(placeFirstHold(request));
      expect(declined.code).toBe(ErrorCode.StripeError);
      expect(intentsOf(request.call_id).map((intent) => intent.status)).toEqual(['requires_payment_method']);
      expect(await ledger(request.call_id, 'authorize')).toEqual([{ outcome: 'declined', idempotency_key: `vidivo-hold-${request.call_id}-1-1` }]);
    });

    it('retries a 429 with backoff on the same key, and gives up when Stripe says not to retry', async () => {
      const request = holdRequest();
      platform.emulator.injectFault({ method: 'POST', path: '/v1/payment_intents', kind: 'rate_limit', times: 2 });
      expect((await placeFirstHold(request)).status).toBe('authorized');
      const creations = holdCreations(request.call_id);
      expect(creations.map((creation) => creation.status)).toEqual([429, 429, 200]);
      expect(new Set(creations.map((creation) => creation.idempotencyKey))).toEqual(new Set([`vidivo-hold-${request.call_id}-1-1`]));

      platform.emulator.injectFault({ method: 'POST', path: '/v1/payment_intents', kind: 'rate_limit', shouldRetry: false, times: Infinity });
      const refused = await refusal(placeFirstHold(holdRequest()));
      expect(refused.code).toBe(ErrorCode.ServiceUnavailable);
      expect(refused.message).toMatch(/not reachable/);
    });
  });

  describe('top-ups while the call runs (calls.call.started)', () => {
    it('places each next window off-session on the saved card ahead of the clock, once per window', async () => {
      const request = holdRequest({ rate_per_minute: '2.50' });
      await placeFirstHold(request);
      // One-minute windows with the 60 s lead: each next window is due as soon as the one before starts.
      await hostJoined(request);
      await reachHeldWindows(request.call_id, 2);
      await timePasses(request.call_id, 60);
      expect(await reachHeldWindows(request.call_id, 3)).toEqual([1, 2, 3]);
      await sleep(2_500); // a few more sweeps: window 4 is not due yet
      expect(await heldWindows(request.call_id)).toEqual([1, 2, 3]);

      const intents = intentsOf(request.call_id);
      expect(intents.map((intent) => [intent.metadata.window, intent.status, intent.amount])).toEqual([
        ['1', 'requires_capture', 250],
        ['2', 'requires_capture', 250],
        ['3', 'requires_capture', 250],
      ]);
      const [first, ...later] = holdCreations(request.call_id);
      expect(first.params.setup_future_usage).toBe('off_session');
      expect(later.map((creation) => [creation.idempotencyKey, creation.params.off_session, creation.params.payment_method])).toEqual([
        [`vidivo-hold-${request.call_id}-2-1`, 'true', intents[0].payment_method],
        [`vidivo-hold-${request.call_id}-3-1`, 'true', intents[0].payment_method],
      ]);

      // Ended after 1 min 30 s: two minutes billed, from the oldest holds; the third is released.
      await ended(request, '5.00');
      expect(intentsOf(request.call_id).map((intent) => [intent.status, intent.amount_received])).toEqual([
        ['succeeded', 250],
        ['succeeded', 250],
        ['canceled', 0],
      ]);
      const [completed] = await announced('billing.settlement.completed', request.call_id);
      expect(completed.payload).toEqual({ call_id: request.call_id, captured: '5.00', cancelled_holds: 1 });
      expect(await accountStatus(request.call_id)).toBe('settled');
    });

    it('finds a top-up hold Stripe made before answering 500, instead of placing a second one', async () => {
      const request = holdRequest();
      await placeFirstHold(request);
      platform.emulator.injectFault({ method: 'POST', path: '/v1/payment_intents', kind: 'error_after', callId: request.call_id });
      await hostJoined(request);
      expect(await reachHeldWindows(request.call_id, 2)).toEqual([1, 2]);
      expect(intentsOf(request.call_id).map((intent) => intent.status)).toEqual(['requires_capture', 'requires_capture']);
      expect(holdCreations(request.call_id).map((creation) => creation.status)).toEqual([200, 500]);
      expect((await ledger(request.call_id, 'lookup')).length).toBeGreaterThan(0);
    });

    it('ends the call when the next window is declined (billing.payment.failed), then captures the minutes used', async () => {
      const request = holdRequest();
      await placeFirstHold(request);
      platform.emulator.injectFault({ method: 'POST', path: '/v1/payment_intents', kind: 'decline', callId: request.call_id });
      await hostJoined(request);
      const [failed] = await announced('billing.payment.failed', request.call_id);
      expect((failed.payload as { reason: string }).reason).toMatch(/^the hold for window 2 failed/);
      expect(await accountStatus(request.call_id)).toBe('ending');

      await ended(request, '1.00', 'failed');
      expect(intentsOf(request.call_id).map((intent) => [intent.status, intent.amount_received])).toEqual([
        ['succeeded', 100],
        ['requires_payment_method', 0],
      ]);
      expect((await announced('billing.settlement.completed', request.call_id))[0].payload).toMatchObject({ captured: '1.00' });
    });
  });

  describe('settlement (calls.call.ended, decisions 11 and 27)', () => {
    it('captures exactly total_charged from a larger hold, partially', async () => {
      const request = holdRequest({ window_size_minutes: 5 });
      await placeFirstHold(request);
      await hostJoined(request);
      await ended(request, '3.00');
      expect(intentsOf(request.call_id)).toEqual([expect.objectContaining({ status: 'succeeded', amount: 500, amount_received: 300 })]);
      expect((await announced('billing.settlement.completed', request.call_id))[0].payload).toEqual({ call_id: request.call_id, captured: '3.00', cancelled_holds: 0 });
    });

    it('cancels the unused hold of a call that never started, capturing nothing', async () => {
      const request = holdRequest({ window_size_minutes: 5 });
      await placeFirstHold(request);
      await ended(request, '0.00', 'missed');
      expect(intentsOf(request.call_id).map((intent) => [intent.status, intent.amount_received])).toEqual([['canceled', 0]]);
      expect((await announced('billing.settlement.completed', request.call_id))[0].payload).toEqual({ call_id: request.call_id, captured: '0.00', cancelled_holds: 1 });
      expect(await ledger(request.call_id, 'cancel')).toEqual([{ outcome: 'succeeded', idempotency_key: expect.stringMatching(/^vidivo-cancel-\w+-1$/) }]);
    });

    it('recovers a capture answered with a 500: looked up, captured once with a new key', async () => {
      const request = holdRequest({ window_size_minutes: 5 });
      await placeFirstHold(request);
      await hostJoined(request);
      platform.emulator.injectFault({ method: 'POST', path: '/v1/payment_intents/:id/capture', kind: 'error', callId: request.call_id });
      await ended(request, '1.00');
      const [intent] = intentsOf(request.call_id);
      expect(intent).toMatchObject({ status: 'succeeded', amount_received: 100 });
      const captures = platform.emulator.requests().filter((sent) => sent.path === `/v1/payment_intents/${intent.id}/capture`);
      expect(captures.map((sent) => sent.status)).toEqual([500, 200]);
      expect(captures.map((sent) => sent.idempotencyKey)).toEqual([expect.stringMatching(/-1$/), expect.stringMatching(/-2$/)]);
      expect((await ledger(request.call_id, 'capture')).map((row) => row.outcome)).toEqual(['unknown', 'succeeded']);
      expect((await announced('billing.settlement.completed', request.call_id))[0].payload).toMatchObject({ captured: '1.00' });
    });

    it('settles once however often the call is ended (redelivered events)', async () => {
      const request = holdRequest({ window_size_minutes: 5 });
      await placeFirstHold(request);
      await hostJoined(request);
      await Promise.allSettled([ended(request, '2.00'), ended(request, '2.00')]);
      await ended(request, '2.00');
      await eventually(
        () => accountStatus(request.call_id),
        (status) => status === 'settled',
      );
      const [intent] = intentsOf(request.call_id);
      expect(intent).toMatchObject({ status: 'succeeded', amount_received: 200 });
      expect(platform.emulator.requests().filter((sent) => sent.path === `/v1/payment_intents/${intent.id}/capture` && sent.status === 200)).toHaveLength(1);
      expect(heard.filter((event) => event.subject === 'billing.settlement.completed' && (event.payload as { call_id: string }).call_id === request.call_id)).toHaveLength(1);
    });
  });

  describe("Stripe's webhooks (billing.webhooks.stripe, decision 26)", () => {
    it('ends a live call whose hold is cancelled at Stripe', async () => {
      const request = holdRequest({ window_size_minutes: 5 });
      await placeFirstHold(request);
      await hostJoined(request);
      const [intent] = intentsOf(request.call_id);
      const cancelled = await fetch(`${platform.emulator.url}/v1/payment_intents/${intent.id}/cancel`, { method: 'POST', headers: { authorization: `Bearer ${SECRET_KEY}` } });
      expect(cancelled.status).toBe(200);
      const [failed] = await announced('billing.payment.failed', request.call_id);
      expect((failed.payload as { reason: string }).reason).toContain(`the hold ${intent.id} was cancelled at Stripe`);
      const holds = await platform.sql.query(`SELECT status FROM billing.holds WHERE call_id = $1`, [request.call_id]);
      expect(holds.rows).toEqual([{ status: 'expired' }]);
    });
  });
});

/**
 * What the gateway does with Stripe's webhooks, without the gateway: takes the raw body and its
 * signature and hands them to billing as `billing.webhooks.stripe`; a refusal is a 400, anything
 * else going wrong a 500, which Stripe delivers again.
 */
async function startWebhookRelay(platform: ComposedPlatform<StripeEmulator>): Promise<Server> {
  const forward = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    try {
      const receipt = await platform.bus.request('billing.webhooks.stripe', {
        payload: Buffer.concat(chunks).toString('utf8'),
        signature: String(request.headers['stripe-signature'] ?? ''),
      });
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(receipt));
    } catch (error) {
      response.writeHead(error instanceof AppError && error.code === ErrorCode.ValidationError ? 400 : 500).end();
    }
  };
  const server = createServer((request, response) => void forward(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
