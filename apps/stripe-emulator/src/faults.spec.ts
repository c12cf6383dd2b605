import Stripe from 'stripe';
import { TEST_SECRET_KEY, failure, holdParams, http, newCallId, sdk } from './spec-helpers';
import { StripeEmulator } from './stripe-emulator';

/** Injected faults, with Stripe's idempotency rules for what they leave behind (https://docs.stripe.com/api/idempotent_requests). */
describe('faults', () => {
  let emulator: StripeEmulator;
  let stripe: Stripe;

  const hold = (callId: string, options: Stripe.RequestOptions = {}) => stripe.paymentIntents.create(holdParams(callId), options);
  const form = (callId: string) =>
    new URLSearchParams({ amount: '2500', currency: 'usd', payment_method: 'pm_card_visa', capture_method: 'manual', confirm: 'true', 'metadata[call_id]': callId }).toString();

  beforeAll(async () => {
    emulator = await StripeEmulator.start();
    stripe = sdk(emulator.url);
  });

  afterEach(() => emulator.clearFaults());

  afterAll(() => emulator.close());

  it("'error_after' creates the PaymentIntent, answers a 500, and replays that 500 for the key: the hold exists though the client saw an error", async () => {
    const callId = newCallId();
    const key = `after-${callId}`;
    emulator.injectFault({ method: 'POST', path: '/v1/payment_intents', callId, kind: 'error_after' });

    expect(await failure(hold(callId, { idempotencyKey: key }))).toMatchObject({ statusCode: 500, rawType: 'api_error' });
    expect(emulator.paymentIntents({ callId }).map((intent) => intent.status)).toEqual(['requires_capture']);
    const replayed = await failure(hold(callId, { idempotencyKey: key }));
    expect(replayed).toMatchObject({ statusCode: 500 });
    expect(replayed.headers?.['idempotent-replayed']).toBe('true');
    expect(emulator.paymentIntents({ callId })).toHaveLength(1);
  });

  it("'error_after' on a capture captures, then answers 500", async () => {
    const callId = newCallId();
    const intent = await hold(callId);
    emulator.injectFault({ method: 'POST', path: '/v1/payment_intents/:id/capture', callId, kind: 'error_after' });
    expect(await failure(stripe.paymentIntents.capture(intent.id, { amount_to_capture: 1000 }))).toMatchObject({ statusCode: 500 });
    expect(await stripe.paymentIntents.retrieve(intent.id)).toMatchObject({ status: 'succeeded', amount_received: 1000 });
  });

  it("'disconnect' runs the request and keeps its result for the key, then cuts the connection: a retry with the key gets the result", async () => {
    const callId = newCallId();
    const key = `disconnect-${callId}`;
    emulator.injectFault({ method: 'POST', path: '/v1/payment_intents', callId, kind: 'disconnect' });
    const headers = { authorization: `Bearer ${TEST_SECRET_KEY}`, 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': key };

    await expect(fetch(`${emulator.url}/v1/payment_intents`, { method: 'POST', headers, body: form(callId) })).rejects.toThrow();
    const [created] = emulator.paymentIntents({ callId });
    expect(created.status).toBe('requires_capture');

    const retry = await http(emulator.url, 'POST', '/v1/payment_intents', form(callId), { 'idempotency-key': key });
    expect(retry).toMatchObject({ status: 200, body: { id: created.id } });
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(emulator.paymentIntents({ callId })).toHaveLength(1);
  });

  it("'disconnect' is invisible to the SDK, which retries a closed connection once with the same key and gets the saved result", async () => {
    const callId = newCallId();
    emulator.injectFault({ method: 'POST', path: '/v1/payment_intents', callId, kind: 'disconnect' });
    const intent = await hold(callId);
    expect(intent.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(emulator.paymentIntents({ callId }).map((kept) => kept.id)).toEqual([intent.id]);
  });

  it("'rate_limit' answers 429 rate_limit (https://docs.stripe.com/rate-limits) without doing anything or keeping the key; shouldRetry sets Stripe-Should-Retry", async () => {
    const callId = newCallId();
    const key = `limited-${callId}`;
    emulator.injectFault({ method: 'POST', path: '/v1/payment_intents', callId, kind: 'rate_limit', shouldRetry: false });
    emulator.injectFault({ method: 'POST', path: '/v1/payment_intents', callId, kind: 'rate_limit' });

    const limited = await http(emulator.url, 'POST', '/v1/payment_intents', form(callId), { 'idempotency-key': key });
    expect(limited.status).toBe(429);
    expect(limited.body.error).toMatchObject({ type: 'invalid_request_error', code: 'rate_limit' });
    expect(limited.headers.get('stripe-should-retry')).toBe('false');

    const error = await failure(hold(callId, { idempotencyKey: key }));
    expect(error).toBeInstanceOf(Stripe.errors.StripeRateLimitError);
    expect(error.headers?.['stripe-should-retry']).toBeUndefined();
    expect(emulator.paymentIntents({ callId })).toEqual([]);

    const created = await hold(callId, { idempotencyKey: key });
    expect(created.lastResponse.headers['idempotent-replayed']).toBeUndefined();
    expect(emulator.paymentIntents({ callId })).toHaveLength(1);
  });

  it('the SDK honours Stripe-Should-Retry: true on a 429 and retries until it succeeds', async () => {
    const callId = newCallId();
    emulator.injectFault({ method: 'POST', path: '/v1/payment_intents', callId, kind: 'rate_limit', shouldRetry: true, times: 2 });
    const retrying = sdk(emulator.url, { maxNetworkRetries: 2 });
    expect((await retrying.paymentIntents.create(holdParams(callId))).status).toBe('requires_capture');
    const attempts = emulator.requests().filter((request) => typeof request.params.metadata === 'object' && request.params.metadata.call_id === callId);
    expect(attempts.map((request) => request.status)).toEqual([429, 429, 200]);
  });

  it('a request answered from its idempotency key takes no fault', async () => {
    const callId = newCallId();
    const key = `replay-${callId}`;
    const first = await hold(callId, { idempotencyKey: key });
    emulator.injectFault({ method: 'POST', path: '/v1/payment_intents', callId, kind: 'error' });
    expect((await hold(callId, { idempotencyKey: key })).id).toBe(first.id);
    expect(await failure(hold(callId))).toMatchObject({ statusCode: 500 });
  });

  it('faults aim at a call on the new endpoints too: a Customer carrying metadata.call_id', async () => {
    const callId = newCallId();
    emulator.injectFault({ method: 'POST', path: '/v1/customers', callId, kind: 'error' });
    expect((await stripe.customers.create({ metadata: { call_id: 'someone-else' } })).object).toBe('customer');
    expect(await failure(stripe.customers.create({ metadata: { call_id: callId } }))).toMatchObject({ statusCode: 500 });
  });

  it('rejects malformed new fault fields', () => {
    expect(() => emulator.injectFault({ method: 'POST', path: '/v1/payment_intents', kind: 'error', shouldRetry: true })).toThrow(TypeError);
    expect(() => emulator.injectFault({ method: 'POST', path: '/v1/payment_intents', kind: 'nope' as 'error' })).toThrow(TypeError);
    expect(() => emulator.injectFault({ method: 'POST', path: '/v1/payment_intents/:id/confirm', kind: 'decline' })).not.toThrow();
  });
});
