import { sleep, until } from '@vidivo/testing';
import Stripe from 'stripe';
import { failure, holdParams, http as httpAt, newCallId, sdk } from './spec-helpers';
import { StripeEmulator } from './stripe-emulator';

describe('StripeEmulator', () => {
  let emulator: StripeEmulator;
  let stripe: Stripe;

  const hold = (callId: string, params: Partial<Stripe.PaymentIntentCreateParams> = {}, options: Stripe.RequestOptions = {}) =>
    stripe.paymentIntents.create(holdParams(callId, params), options);

  /** A request as another process (or curl) sends it. */
  const http = (method: string, path: string, body?: string, headers: Record<string, string> = {}) => httpAt(emulator.url, method, path, body, headers);

  beforeAll(async () => {
    emulator = await StripeEmulator.start();
    stripe = sdk(emulator.url);
  });

  afterEach(() => emulator.clearFaults());

  afterAll(() => emulator.close());

  it('listens on a random loopback port by default', () => {
    expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(new URL(emulator.url).port).not.toBe('0');
  });

  describe('holds and captures', () => {
    it('places a hold, captures part of it, releases the rest and retrieves the result', async () => {
      const callId = newCallId();
      const intent = await hold(callId);
      expect(intent).toMatchObject({
        object: 'payment_intent',
        amount: 2500,
        currency: 'usd',
        capture_method: 'manual',
        status: 'requires_capture',
        amount_capturable: 2500,
        amount_received: 0,
        metadata: { call_id: callId },
        livemode: false,
        canceled_at: null,
        last_payment_error: null,
      });
      expect(intent.id).toMatch(/^pi_\w{24}$/);
      expect(intent.client_secret).toMatch(new RegExp(`^${intent.id}_secret_\\w+$`));
      expect(intent.latest_charge).toMatch(/^ch_/);
      expect(intent.payment_method).toMatch(/^pm_\w{24}$/);
      expect(intent.lastResponse.requestId).toMatch(/^req_\w{14}$/);

      const captured = await stripe.paymentIntents.capture(intent.id, { amount_to_capture: 1500 });
      expect(captured).toMatchObject({ id: intent.id, status: 'succeeded', amount: 2500, amount_received: 1500, amount_capturable: 0 });

      const { lastResponse: _, ...capturedBody } = captured;
      const retrieved = await stripe.paymentIntents.retrieve(intent.id);
      expect({ ...retrieved, lastResponse: undefined }).toEqual(capturedBody);
      expect(emulator.paymentIntents({ callId })).toEqual([capturedBody]);
    });

    it('captures the whole hold when no amount is given', async () => {
      const intent = await hold(newCallId(), { amount: 1234 });
      const captured = await stripe.paymentIntents.capture(intent.id);
      expect(captured).toMatchObject({ status: 'succeeded', amount_received: 1234, amount_capturable: 0 });
    });

    it('charges at once when capture is automatic', async () => {
      const intent = await hold(newCallId(), { capture_method: 'automatic' });
      expect(intent).toMatchObject({ status: 'succeeded', amount_received: 2500, amount_capturable: 0 });
    });

    it('refuses to capture more than is capturable and leaves the hold as it was', async () => {
      const intent = await hold(newCallId(), { amount: 1000 });
      const error = await failure(stripe.paymentIntents.capture(intent.id, { amount_to_capture: 1001 }));
      expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect(error).toMatchObject({ statusCode: 400, code: 'amount_too_large', param: 'amount_to_capture' });
      expect(await stripe.paymentIntents.retrieve(intent.id)).toMatchObject({ status: 'requires_capture', amount_capturable: 1000 });
    });

    it('refuses a second capture', async () => {
      const intent = await hold(newCallId());
      await stripe.paymentIntents.capture(intent.id, { amount_to_capture: 500 });
      const error = await failure(stripe.paymentIntents.capture(intent.id, { amount_to_capture: 500 }));
      expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect(error).toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state', type: 'StripeInvalidRequestError' });
      expect(error.message).toContain('status of succeeded');
      expect(error.payment_intent).toMatchObject({ id: intent.id, status: 'succeeded', amount_received: 500 });
    });

    it('cancels a hold, and refuses to cancel or capture it again', async () => {
      const intent = await hold(newCallId());
      const canceled = await stripe.paymentIntents.cancel(intent.id, { cancellation_reason: 'abandoned' });
      expect(canceled).toMatchObject({ status: 'canceled', cancellation_reason: 'abandoned', amount_capturable: 0, amount_received: 0 });
      expect(canceled.canceled_at).toBeGreaterThanOrEqual(intent.created);

      for (const again of [stripe.paymentIntents.cancel(intent.id), stripe.paymentIntents.capture(intent.id)]) {
        expect(await failure(again)).toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' });
      }
    });

    it('refuses to cancel a captured PaymentIntent', async () => {
      const intent = await hold(newCallId());
      await stripe.paymentIntents.capture(intent.id);
      const error = await failure(stripe.paymentIntents.cancel(intent.id));
      expect(error).toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' });
      expect(error.message).toContain('status of succeeded');
    });

    it('answers 404 resource_missing for an unknown PaymentIntent', async () => {
      const error = await failure(stripe.paymentIntents.retrieve('pi_doesnotexist'));
      expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect(error).toMatchObject({ statusCode: 404, code: 'resource_missing', message: "No such payment_intent: 'pi_doesnotexist'" });
    });

    it('keeps metadata, and merges metadata given on capture (an empty value removes a key)', async () => {
      const callId = newCallId();
      const intent = await hold(callId, { metadata: { call_id: callId, window: '1', host_id: 'h1' } });
      expect(intent.metadata).toEqual({ call_id: callId, window: '1', host_id: 'h1' });
      await stripe.paymentIntents.capture(intent.id, { metadata: { window: '', captured_by: 'end' } });
      expect((await stripe.paymentIntents.retrieve(intent.id)).metadata).toEqual({ call_id: callId, host_id: 'h1', captured_by: 'end' });
    });
  });

  describe('test cards', () => {
    it.each([
      ['pm_card_visa', 'visa'],
      ['pm_card_mastercard', 'mastercard'],
      ['pm_card_amex', 'amex'],
    ])('%s approves', async (paymentMethod) => {
      expect(await hold(newCallId(), { payment_method: paymentMethod })).toMatchObject({ status: 'requires_capture', amount_capturable: 2500 });
    });

    it.each([
      ['pm_card_chargeDeclined', 'generic_decline', 'Your card was declined.'],
      ['pm_card_chargeDeclinedInsufficientFunds', 'insufficient_funds', 'Your card has insufficient funds.'],
    ])('%s declines with %s and keeps the failed PaymentIntent', async (paymentMethod, declineCode, message) => {
      const callId = newCallId();
      const error = await failure(hold(callId, { payment_method: paymentMethod }));
      expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
      expect(error).toMatchObject({ statusCode: 402, rawType: 'card_error', code: 'card_declined', decline_code: declineCode, message });
      expect(error.charge).toMatch(/^ch_/);
      expect(error.payment_method).toMatchObject({ object: 'payment_method', type: 'card' });
      expect(error.payment_intent).toMatchObject({
        status: 'requires_payment_method',
        amount_capturable: 0,
        payment_method: null,
        last_payment_error: { type: 'card_error', code: 'card_declined', decline_code: declineCode },
      });
      const [kept] = emulator.paymentIntents({ callId });
      expect(kept).toEqual(error.payment_intent);
    });

    it('answers 400 resource_missing for an unknown payment method and creates nothing', async () => {
      const callId = newCallId();
      const error = await failure(hold(callId, { payment_method: 'pm_card_nope' }));
      expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect(error).toMatchObject({ statusCode: 400, code: 'resource_missing', param: 'payment_method' });
      expect(emulator.paymentIntents({ callId })).toEqual([]);
    });
  });

  describe('validation and authentication', () => {
    it.each([
      ['currency=usd', 'parameter_missing', 'amount'],
      ['amount=abc&currency=usd', 'parameter_invalid_integer', 'amount'],
      ['amount=12.5&currency=usd', 'parameter_invalid_integer', 'amount'],
      ['amount=49&currency=usd', 'amount_too_small', 'amount'],
      ['amount=&currency=usd', 'parameter_invalid_empty', 'amount'],
      ['amount=100', 'parameter_missing', 'currency'],
      ['amount=100&currency=usd&colour=red', 'parameter_unknown', 'colour'],
    ])('rejects %s with %s', async (body, code, param) => {
      const response = await http('POST', '/v1/payment_intents', body);
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ error: expect.objectContaining({ type: 'invalid_request_error', code, param }) });
    });

    it('takes allowed_payment_method_types, which replaced payment_method_types at the pinned API version (stripe-node 23 CHANGELOG)', async () => {
      const intent = await hold(newCallId(), { allowed_payment_method_types: ['card'] });
      expect(intent).toMatchObject({ allowed_payment_method_types: ['card'], payment_method_types: ['card'], automatic_payment_methods: null });
      const response = await http('POST', '/v1/payment_intents', 'amount=100&currency=usd&payment_method_types[0]=card');
      expect(response.body.error).toMatchObject({ code: 'parameter_unknown', param: 'payment_method_types' });
    });

    it('refuses expansions it cannot honour (a list expands data.*), in both list notations', async () => {
      for (const query of ['expand[]=latest_charge', 'expand[0]=latest_charge']) {
        const response = await http('GET', `/v1/payment_intents?${query}`);
        expect(response.status).toBe(400);
        expect(response.body.error).toMatchObject({ param: 'expand', message: 'This property cannot be expanded (latest_charge).' });
      }
    });

    it('requires a test secret key, with Stripe error shape, request id and JSON', async () => {
      const missing = await http('GET', '/v1/payment_intents', undefined, { authorization: '' });
      expect(missing.status).toBe(401);
      expect(missing.body.error).toMatchObject({ type: 'invalid_request_error', message: expect.stringContaining('You did not provide an API key') });
      expect(missing.headers.get('request-id')).toMatch(/^req_/);
      expect(missing.headers.get('content-type')).toBe('application/json');

      const error = await failure(sdk(emulator.url, {}, 'sk_live_notatest').paymentIntents.list());
      expect(error).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
      expect(error.statusCode).toBe(401);
    });

    it('accepts Basic auth as curl -u sends it', async () => {
      const basic = `Basic ${Buffer.from('sk_test_emulator:').toString('base64')}`;
      expect((await http('GET', '/v1/payment_intents?limit=1', undefined, { authorization: basic })).status).toBe(200);
    });

    it('answers 404 for endpoints it does not emulate', async () => {
      const response = await http('POST', '/v1/charges', 'amount=100');
      expect(response.status).toBe(404);
      expect(response.body.error.message).toContain('Unrecognized request URL (POST: /v1/charges)');
    });
  });

  describe('Idempotency-Key', () => {
    it('replays the first answer for the same key and parameters and creates nothing new', async () => {
      const callId = newCallId();
      const first = await hold(callId, {}, { idempotencyKey: `hold-${callId}` });
      const second = await hold(callId, {}, { idempotencyKey: `hold-${callId}` });
      expect(second.id).toBe(first.id);
      expect({ ...second, lastResponse: undefined }).toEqual({ ...first, lastResponse: undefined });
      expect(second.lastResponse.headers['idempotent-replayed']).toBe('true');
      expect(second.lastResponse.headers['original-request']).toBe(first.lastResponse.requestId);
      expect(first.lastResponse.headers['idempotent-replayed']).toBeUndefined();

      const listed = await stripe.paymentIntents.list({ limit: 100 });
      expect(listed.data.filter((intent) => intent.metadata.call_id === callId).map((intent) => intent.id)).toEqual([first.id]);
      expect(emulator.paymentIntents({ callId })).toHaveLength(1);
    });

    it('replays a decline too: one failed PaymentIntent', async () => {
      const callId = newCallId();
      const key = `decline-${callId}`;
      const first = await failure(hold(callId, { payment_method: 'pm_card_chargeDeclined' }, { idempotencyKey: key }));
      const second = await failure(hold(callId, { payment_method: 'pm_card_chargeDeclined' }, { idempotencyKey: key }));
      expect(second).toBeInstanceOf(Stripe.errors.StripeCardError);
      expect(second.payment_intent?.id).toBe(first.payment_intent?.id);
      expect(second.headers?.['idempotent-replayed']).toBe('true');
      expect(emulator.paymentIntents({ callId })).toHaveLength(1);
    });

    it('refuses the same key with other parameters or on another endpoint', async () => {
      const callId = newCallId();
      const key = `reuse-${callId}`;
      const intent = await hold(callId, {}, { idempotencyKey: key });

      const otherParams = await failure(hold(callId, { amount: 9999 }, { idempotencyKey: key }));
      expect(otherParams).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
      expect(otherParams).toMatchObject({ statusCode: 400, rawType: 'idempotency_error' });
      expect(otherParams.message).toContain('same parameters');

      const otherEndpoint = await failure(stripe.paymentIntents.capture(intent.id, {}, { idempotencyKey: key }));
      expect(otherEndpoint).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
      expect(emulator.paymentIntents({ callId })).toHaveLength(1);
      expect((await stripe.paymentIntents.retrieve(intent.id)).status).toBe('requires_capture');
    });

    it('scopes keys to the secret key', async () => {
      const callId = newCallId();
      const key = `scoped-${callId}`;
      const mine = await hold(callId, {}, { idempotencyKey: key });
      const theirs = await sdk(emulator.url, {}, 'sk_test_someone_else').paymentIntents.create(
        { amount: 2500, currency: 'usd', payment_method: 'pm_card_visa', capture_method: 'manual', confirm: true, metadata: { call_id: callId } },
        { idempotencyKey: key },
      );
      expect(theirs.id).not.toBe(mine.id);
      expect(emulator.paymentIntents({ callId })).toHaveLength(2);
    });

    it('keeps nothing for a request rejected by validation, so the key can be used again', async () => {
      const key = `invalid-${newCallId()}`;
      const headers = { 'idempotency-key': key };
      expect((await http('POST', '/v1/payment_intents', 'amount=10&currency=usd', headers)).status).toBe(400);
      const retry = await http('POST', '/v1/payment_intents', 'amount=100&currency=usd', headers);
      expect(retry.status).toBe(200);
      expect(retry.body).toMatchObject({ amount: 100, status: 'requires_payment_method' });
    });
  });

  describe('faults', () => {
    it("'error' answers a 500 having done nothing, and a retry with the same key gets that 500 replayed (https://docs.stripe.com/api/idempotent_requests); a new key succeeds", async () => {
      const callId = newCallId();
      const key = `error-${callId}`;
      emulator.injectFault({ method: 'POST', path: '/v1/payment_intents', callId, kind: 'error' });

      const error = await failure(hold(callId, {}, { idempotencyKey: key }));
      expect(error).toBeInstanceOf(Stripe.errors.StripeAPIError);
      expect(error).toMatchObject({ statusCode: 500, rawType: 'api_error' });
      expect(emulator.paymentIntents({ callId })).toEqual([]);

      const replayed = await failure(hold(callId, {}, { idempotencyKey: key }));
      expect(replayed).toMatchObject({ statusCode: 500, rawType: 'api_error' });
      expect(replayed.headers?.['idempotent-replayed']).toBe('true');
      expect(emulator.paymentIntents({ callId })).toEqual([]);

      const retried = await hold(callId, {}, { idempotencyKey: `${key}-new` });
      expect(retried.status).toBe('requires_capture');
      expect(emulator.paymentIntents({ callId })).toHaveLength(1);
    });

    it("'error' on a capture leaves the hold untouched; faults aim at their call only", async () => {
      const callId = newCallId();
      const intent = await hold(callId);
      const bystander = await hold(newCallId());
      emulator.injectFault({ method: 'POST', path: '/v1/payment_intents/:id/capture', callId, kind: 'error' });

      expect((await stripe.paymentIntents.capture(bystander.id)).status).toBe('succeeded');
      expect(await failure(stripe.paymentIntents.capture(intent.id))).toMatchObject({ statusCode: 500 });
      expect((await stripe.paymentIntents.retrieve(intent.id)).status).toBe('requires_capture');
      expect((await stripe.paymentIntents.capture(intent.id)).status).toBe('succeeded');
    });

    it("'decline' declines approving cards as many times as asked", async () => {
      const callId = newCallId();
      emulator.injectFault({ method: 'POST', path: '/v1/payment_intents', callId, kind: 'decline', times: 2 });
      for (let attempt = 0; attempt < 2; attempt++) {
        const error = await failure(hold(callId));
        expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
        expect(error).toMatchObject({ code: 'card_declined', decline_code: 'generic_decline' });
      }
      expect((await hold(callId)).status).toBe('requires_capture');
      expect(emulator.paymentIntents({ callId }).map((intent) => intent.status)).toEqual(['requires_payment_method', 'requires_payment_method', 'requires_capture']);
    });

    it("'stall' without an end runs into the SDK timeout (StripeConnectionError) and does nothing", async () => {
      const callId = newCallId();
      emulator.injectFault({ method: 'POST', path: '/v1/payment_intents', callId, kind: 'stall' });
      const error = await failure(hold(callId, {}, { timeout: 150 }));
      expect(error).toBeInstanceOf(Stripe.errors.StripeConnectionError);
      expect(error.message).toContain('timeout');
      expect(emulator.paymentIntents({ callId })).toEqual([]);
    });

    it("'stall' with stallMs holds the key (409 idempotency_key_in_use), then runs once and replays", async () => {
      const callId = newCallId();
      const key = `stall-${callId}`;
      emulator.injectFault({ method: 'POST', path: '/v1/payment_intents', callId, kind: 'stall', stallMs: 400 });

      const timedOut = await failure(hold(callId, {}, { idempotencyKey: key, timeout: 100 }));
      expect(timedOut).toBeInstanceOf(Stripe.errors.StripeConnectionError);

      const inUse = await failure(hold(callId, {}, { idempotencyKey: key }));
      expect(inUse).toMatchObject({ statusCode: 409, code: 'idempotency_key_in_use' });

      await until(() => emulator.paymentIntents({ callId }).length === 1, 2_000);
      const replayed = await hold(callId, {}, { idempotencyKey: key });
      expect(replayed.lastResponse.headers['idempotent-replayed']).toBe('true');
      expect(emulator.paymentIntents({ callId }).map((intent) => intent.id)).toEqual([replayed.id]);
    });

    it('rejects malformed faults', () => {
      expect(() => emulator.injectFault({ method: 'POST', path: '/v1/payment_intents/:id/capture', kind: 'decline' })).toThrow(TypeError);
      expect(() => emulator.injectFault({ method: 'POST', path: 'payment_intents', kind: 'error' })).toThrow(TypeError);
      expect(() => emulator.injectFault({ method: 'POST', path: '/v1/payment_intents', kind: 'error', times: 0 })).toThrow(TypeError);
    });
  });

  describe('control over HTTP', () => {
    it('injects and clears faults and lists a call’s PaymentIntents', async () => {
      const callId = newCallId();
      const intent = await hold(callId);

      const added = await http('POST', '/_emulator/faults', JSON.stringify({ method: 'POST', path: '/v1/payment_intents/:id/capture', callId, kind: 'error' }), {
        'content-type': 'application/json',
      });
      expect(added.status).toBe(201);
      expect(added.body).toEqual({ method: 'POST', path: '/v1/payment_intents/:id/capture', callId, kind: 'error' });
      expect(await failure(stripe.paymentIntents.capture(intent.id))).toMatchObject({ statusCode: 500 });
      await stripe.paymentIntents.capture(intent.id, { amount_to_capture: 700 });

      const listed = await http('GET', `/_emulator/payment_intents?call_id=${callId}`);
      expect(listed.status).toBe(200);
      expect(listed.body).toEqual([expect.objectContaining({ id: intent.id, status: 'succeeded', amount_received: 700 })]);

      // times: Infinity travels as null in JSON
      const forever = JSON.stringify({ method: 'GET', path: '/v1/payment_intents/:id', callId, kind: 'error', times: Infinity });
      expect((await http('POST', '/_emulator/faults', forever)).status).toBe(201);
      for (let attempt = 0; attempt < 3; attempt++) {
        expect(await failure(stripe.paymentIntents.retrieve(intent.id))).toMatchObject({ statusCode: 500 });
      }
      const cleared = await http('DELETE', '/_emulator/faults');
      expect(cleared).toMatchObject({ status: 200, body: { cleared: 1 } });
      expect((await stripe.paymentIntents.retrieve(intent.id)).id).toBe(intent.id);
    });

    it('answers 400 for a malformed fault', async () => {
      const response = await http('POST', '/_emulator/faults', JSON.stringify({ method: 'PUT', path: '/v1/payment_intents', kind: 'error' }));
      expect(response.status).toBe(400);
      expect(response.body.error.message).toContain('fault.method');
      expect((await http('POST', '/_emulator/faults', '{not json')).status).toBe(400);
    });
  });
});

describe('StripeEmulator lists', () => {
  let emulator: StripeEmulator;
  let stripe: Stripe;
  const ids: string[] = [];

  beforeAll(async () => {
    emulator = await StripeEmulator.start();
    stripe = sdk(emulator.url);
    for (let index = 0; index < 5; index++) {
      const intent = await stripe.paymentIntents.create({
        amount: 100 + index,
        currency: 'usd',
        payment_method: 'pm_card_visa',
        capture_method: 'manual',
        confirm: true,
        metadata: { call_id: `list-${index}` },
      });
      ids.push(intent.id);
    }
  });

  afterAll(() => emulator.close());

  it('pages newest first with limit and starting_after', async () => {
    const newestFirst = [...ids].reverse();
    const first = await stripe.paymentIntents.list({ limit: 2 });
    expect(first).toMatchObject({ object: 'list', has_more: true, url: '/v1/payment_intents' });
    expect(first.data.map((intent) => intent.id)).toEqual(newestFirst.slice(0, 2));

    const second = await stripe.paymentIntents.list({ limit: 2, starting_after: first.data[1].id });
    expect(second.data.map((intent) => intent.id)).toEqual(newestFirst.slice(2, 4));
    expect(second.has_more).toBe(true);

    const last = await stripe.paymentIntents.list({ limit: 2, starting_after: second.data[1].id });
    expect(last.data.map((intent) => intent.id)).toEqual(newestFirst.slice(4));
    expect(last.has_more).toBe(false);

    const before = await stripe.paymentIntents.list({ limit: 2, ending_before: newestFirst[3] });
    expect(before.data.map((intent) => intent.id)).toEqual(newestFirst.slice(1, 3));
    expect(before.has_more).toBe(true);
  });

  it('walks every page with the SDK’s auto-pagination; default limit is 10', async () => {
    expect((await stripe.paymentIntents.list({ limit: 2 }).autoPagingToArray({ limit: 100 })).map((intent) => intent.id)).toEqual([...ids].reverse());
    expect((await stripe.paymentIntents.list()).data).toHaveLength(5);
  });

  it('rejects a limit outside 1–100 and an unknown cursor', async () => {
    for (const limit of [0, 101]) {
      expect(await failure(stripe.paymentIntents.list({ limit }))).toMatchObject({ statusCode: 400, param: 'limit' });
    }
    expect(await failure(stripe.paymentIntents.list({ starting_after: 'pi_unknown' }))).toMatchObject({
      statusCode: 400,
      code: 'resource_missing',
    });
  });

  it('snapshots oldest first, filtered by call, as copies', () => {
    const all = emulator.paymentIntents();
    expect(all.map((intent) => intent.id)).toEqual(ids);
    expect(emulator.paymentIntents({ callId: 'list-3' }).map((intent) => intent.id)).toEqual([ids[3]]);
    all[0].status = 'canceled';
    expect(emulator.paymentIntents()[0].status).toBe('requires_capture');
  });
});

describe('StripeEmulator.close', () => {
  it('drops stalled requests and stops listening', async () => {
    const emulator = await StripeEmulator.start();
    emulator.injectFault({ method: 'GET', path: '/v1/payment_intents', kind: 'stall' });
    const stalled = fetch(`${emulator.url}/v1/payment_intents`, { headers: { authorization: 'Bearer sk_test_emulator' } });
    await sleep(50);
    await emulator.close();
    await expect(stalled).rejects.toThrow();
    await expect(fetch(`${emulator.url}/v1/payment_intents`)).rejects.toThrow();
  });
});
