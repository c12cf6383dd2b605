import Stripe from 'stripe';
import { decodeFormParams } from '../form-params.decoder';
import { StripeEmulator } from '../stripe-emulator';
import { FormParams, checkRequest, checkResponse, findOperation, stripeOpenApi } from './stripe-contract';

/** A form body or query as the SDK sends it, decoded the way the emulator decodes it. */
const form = (encoded: string): FormParams => decodeFormParams(new URLSearchParams(encoded));

const post = (path: string, encoded: string) => checkRequest({ method: 'POST', path, params: form(encoded) });
const get = (path: string, encoded = '') => checkRequest({ method: 'GET', path, params: form(encoded) });

/** Stripe's own example objects (openapi/fixtures3.json), vendored in the fixture's components.examples. */
function example(name: string): Record<string, unknown> {
  const examples = (stripeOpenApi().components as { examples?: Record<string, { value: Record<string, unknown> }> }).examples;
  return structuredClone(examples?.[name]?.value ?? {});
}

const answer = (method: string, path: string, body: unknown, status = 200) => checkResponse({ method, path, status, body });

const HOLD =
  'amount=2500&currency=usd&customer=cus_1&payment_method=pm_card_visa&capture_method=manual&confirm=true' +
  '&setup_future_usage=off_session&receipt_email=guest%40example.com&description=Call%20c1&return_url=https%3A%2F%2Fapp.example%2Freturn' +
  '&metadata[call_id]=c1&metadata[window]=1&expand[0]=latest_charge';

describe('the Stripe OpenAPI fixture', () => {
  it("describes the operations our billing uses, with Stripe's error envelope as their default answer", () => {
    const operations = Object.entries(stripeOpenApi().paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));
    expect(operations.sort()).toEqual([
      'GET /v1/charges/{charge}',
      'GET /v1/customers/{customer}',
      'GET /v1/events/{id}',
      'GET /v1/payment_intents',
      'GET /v1/payment_intents/search',
      'GET /v1/payment_intents/{intent}',
      'GET /v1/payment_methods/{payment_method}',
      'POST /v1/customers',
      'POST /v1/payment_intents',
      'POST /v1/payment_intents/{intent}/cancel',
      'POST /v1/payment_intents/{intent}/capture',
      'POST /v1/webhook_endpoints',
    ]);
    for (const methods of Object.values(stripeOpenApi().paths)) {
      for (const operation of Object.values(methods)) {
        expect(operation.responses.default.content?.['application/json'].schema).toEqual({ $ref: '#/components/schemas/error' });
      }
    }
  });

  it("accepts Stripe's own example objects", () => {
    expect(answer('GET', '/v1/payment_intents/pi_1', example('payment_intent'))).toEqual([]);
    expect(answer('GET', '/v1/charges/ch_1', example('charge'))).toEqual([]);
    expect(answer('GET', '/v1/customers/cus_1', example('customer'))).toEqual([]);
    expect(answer('GET', '/v1/payment_methods/pm_1', example('payment_method'))).toEqual([]);
    expect(answer('GET', '/v1/events/evt_1', example('event'))).toEqual([]);
  });

  it('knows capture_before on a card charge and that create no longer takes payment_method_types', () => {
    const card = stripeOpenApi().components.schemas.payment_method_details_card;
    expect(card.properties?.capture_before).toMatchObject({ type: 'integer', format: 'unix-time' });
    const create = stripeOpenApi().paths['/v1/payment_intents'].post.requestBody?.content['application/x-www-form-urlencoded'].schema;
    expect(create?.properties).toHaveProperty('allowed_payment_method_types');
    expect(create?.properties).not.toHaveProperty('payment_method_types');
  });
});

describe('checkRequest', () => {
  it('passes the requests billing makes', () => {
    expect(post('/v1/customers', 'email=guest%40example.com&name=Guest&metadata[user_id]=u1')).toEqual([]);
    expect(post('/v1/payment_intents', HOLD)).toEqual([]);
    expect(post('/v1/payment_intents', 'amount=2500&currency=usd&customer=cus_1&payment_method=pm_1&off_session=true&confirm=true&capture_method=manual')).toEqual([]);
    expect(post('/v1/payment_intents/pi_1/capture', 'amount_to_capture=1200')).toEqual([]);
    expect(post('/v1/payment_intents/pi_1/cancel', '')).toEqual([]);
    expect(get('/v1/payment_intents/pi_1', 'expand[0]=latest_charge')).toEqual([]);
    expect(get('/v1/payment_intents/search', `query=${encodeURIComponent("metadata['call_id']:'c1' AND metadata['window']:'1'")}&limit=20`)).toEqual([]);
    expect(get('/v1/payment_intents', 'customer=cus_1&limit=100')).toEqual([]);
    expect(post('/v1/webhook_endpoints', 'url=https%3A%2F%2Fapp.example%2Fhooks&enabled_events[0]=payment_intent.succeeded')).toEqual([]);
  });

  it('matches a concrete path to its template, literal segments first', () => {
    expect(findOperation('GET', '/v1/payment_intents/search')?.template).toBe('/v1/payment_intents/search');
    expect(findOperation('GET', '/v1/payment_intents/pi_123')?.template).toBe('/v1/payment_intents/{intent}');
    expect(findOperation('POST', '/v1/payment_intents/pi_123/capture')?.template).toBe('/v1/payment_intents/{intent}/capture');
    expect(get('/v1/refunds/re_1')).toEqual(["GET /v1/refunds/re_1: no such operation in Stripe's OpenAPI description"]);
  });

  it('reports unknown parameters, at the top and nested', () => {
    expect(post('/v1/payment_intents', `${HOLD}&payment_method_types[0]=card`)).toEqual(['POST /v1/payment_intents payment_method_types: unknown parameter']);
    expect(post('/v1/payment_intents', `${HOLD}&automatic_payment_methods[enabled]=true&automatic_payment_methods[redirects]=never`)).toEqual([
      'POST /v1/payment_intents automatic_payment_methods[redirects]: unknown parameter',
    ]);
    expect(get('/v1/payment_intents/pi_1', 'expand[0]=latest_charge&include=charges')).toEqual(['GET /v1/payment_intents/{intent} include: unknown parameter']);
  });

  it('reports form values that cannot be of the declared type', () => {
    expect(post('/v1/payment_intents', HOLD.replace('amount=2500', 'amount=25.00'))).toEqual(['POST /v1/payment_intents amount: "25.00" is not an integer']);
    expect(post('/v1/payment_intents', HOLD.replace('confirm=true', 'confirm=yes'))).toEqual(["POST /v1/payment_intents confirm: \"yes\" is not a boolean ('true' or 'false')"]);
    expect(post('/v1/payment_intents', HOLD.replace('capture_method=manual', 'capture_method=later'))).toEqual([
      'POST /v1/payment_intents capture_method: "later" is not one of "automatic" | "automatic_async" | "manual"',
    ]);
    expect(post('/v1/payment_intents', `${HOLD}&metadata=oops`)).toEqual(['POST /v1/payment_intents metadata: "oops" is not an object (send metadata[key]=…)']);
    expect(post('/v1/payment_intents', HOLD.replace('expand[0]=latest_charge', 'expand=latest_charge'))).toEqual([
      'POST /v1/payment_intents expand: "latest_charge" is not a list (send expand[0]=…)',
    ]);
    expect(post('/v1/payment_intents', HOLD.replace('description=Call%20c1', `description=${'x'.repeat(1001)}`))).toEqual([
      'POST /v1/payment_intents description: longer than 1000 characters',
    ]);
  });

  it('takes any anyOf alternative, and "" only where Stripe allows unsetting', () => {
    expect(post('/v1/payment_intents', HOLD.replace('setup_future_usage=off_session', 'off_session=recurring'))).toEqual([]);
    expect(post('/v1/payment_intents', HOLD.replace('setup_future_usage=off_session', 'off_session=sometimes'))).toEqual([
      'POST /v1/payment_intents off_session: "sometimes" is none of boolean, "one_off" | "recurring"',
    ]);
    expect(post('/v1/payment_intents/pi_1/capture', 'amount_to_capture=1200&metadata=')).toEqual([]);
    expect(post('/v1/payment_intents', `${HOLD}&metadata=`.replace(/&metadata\[\w+\]=\w+/g, ''))).toEqual([
      'POST /v1/payment_intents metadata: "" is not an object (send metadata[key]=…)',
    ]);
    expect(post('/v1/payment_intents/pi_1/capture', 'amount_to_capture=')).toEqual(['POST /v1/payment_intents/{intent}/capture amount_to_capture: "" is not an integer']);
  });

  it('reports missing required parameters', () => {
    expect(post('/v1/payment_intents', 'amount=2500&confirm=true')).toEqual(['POST /v1/payment_intents currency: required parameter missing']);
    expect(get('/v1/payment_intents/search', 'limit=20')).toEqual(['GET /v1/payment_intents/search query: required parameter missing']);
    expect(post('/v1/webhook_endpoints', 'url=https%3A%2F%2Fapp.example%2Fhooks')).toEqual(['POST /v1/webhook_endpoints enabled_events: required parameter missing']);
    expect(post('/v1/payment_intents', `${HOLD}&automatic_payment_methods[allow_redirects]=never`)).toEqual([
      'POST /v1/payment_intents automatic_payment_methods[enabled]: required parameter missing',
    ]);
  });
});

describe('checkResponse', () => {
  const intent = () => example('payment_intent');

  it('passes an expandable field as an id or as the expanded object', () => {
    expect(answer('GET', '/v1/payment_intents/pi_1', { ...intent(), latest_charge: 'ch_1' })).toEqual([]);
    expect(answer('GET', '/v1/payment_intents/pi_1', { ...intent(), latest_charge: example('charge') })).toEqual([]);
    expect(answer('GET', '/v1/payment_intents/pi_1', { ...intent(), customer: example('customer') })).toEqual([]);
    expect(answer('GET', '/v1/customers/cus_1', { id: 'cus_1', object: 'customer', deleted: true })).toEqual([]);
  });

  it('reports missing required fields, wrong types, enums and nulls', () => {
    const { status: _status, ...withoutStatus } = intent();
    expect(answer('POST', '/v1/payment_intents', withoutStatus)).toEqual(['POST /v1/payment_intents → 200 status: required field missing']);
    expect(answer('POST', '/v1/payment_intents', { ...intent(), amount: '1099' })).toEqual(['POST /v1/payment_intents → 200 amount: string "1099" where Stripe answers integer']);
    expect(answer('POST', '/v1/payment_intents', { ...intent(), status: 'held' })).toEqual([
      'POST /v1/payment_intents → 200 status: "held" is not one of "canceled" | "processing" | "requires_action" | "requires_capture" | "requires_confirmation" | "requires_payment_method" | "succeeded"',
    ]);
    expect(answer('POST', '/v1/payment_intents', { ...intent(), currency: null })).toEqual([
      'POST /v1/payment_intents → 200 currency: null, but Stripe never answers null here (string)',
    ]);
    expect(answer('POST', '/v1/payment_intents', { ...intent(), description: null, setup_future_usage: null })).toEqual([]);
    expect(answer('POST', '/v1/payment_intents', { ...intent(), held_until: 1 })).toEqual(['POST /v1/payment_intents → 200 held_until: not a field of PaymentIntent']);
  });

  it('follows $refs and expansions down to the card details we read', () => {
    const charge = example('charge');
    const details = charge.payment_method_details as { card: Record<string, unknown> };
    details.card.capture_before = '2026-11-05T10:00:00Z';
    expect(answer('GET', '/v1/payment_intents/pi_1', { ...intent(), latest_charge: charge })).toEqual([
      'GET /v1/payment_intents/{intent} → 200 latest_charge.payment_method_details.card.capture_before: string "2026-11-05T10:00:00Z" where Stripe answers integer',
    ]);
    expect(answer('GET', '/v1/payment_intents/pi_1', { ...intent(), latest_charge: 42 })).toEqual([
      'GET /v1/payment_intents/{intent} → 200 latest_charge: 42 is none of string, charge',
    ]);
  });

  it('checks the search and list shapes', () => {
    const url = '/v1/payment_intents/search';
    expect(answer('GET', url, { object: 'search_result', data: [intent()], has_more: false, next_page: null, url })).toEqual([]);
    expect(answer('GET', url, { object: 'list', data: [intent()], has_more: false, url })).toEqual([
      'GET /v1/payment_intents/search → 200 object: "list" is not one of "search_result"',
    ]);
    expect(answer('GET', '/v1/payment_intents', { object: 'list', data: [{ ...intent(), amount: 1.5 }], has_more: false, url: '/v1/payment_intents' })).toEqual([
      'GET /v1/payment_intents → 200 data[0].amount: number 1.5 where Stripe answers integer',
    ]);
  });

  it("checks error answers against Stripe's error envelope", () => {
    const declined = { error: { type: 'card_error', code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.', payment_intent: intent() } };
    expect(answer('POST', '/v1/payment_intents', declined, 402)).toEqual([]);
    expect(answer('POST', '/v1/payment_intents', { error: { code: 'card_declined', type: 'card_declined' } }, 402)).toEqual([
      'POST /v1/payment_intents → 402 error.type: "card_declined" is not one of "api_error" | "card_error" | "idempotency_error" | "invalid_request_error"',
    ]);
    expect(answer('POST', '/v1/payment_intents', { type: 'card_error', message: 'Your card was declined.' }, 402)).toEqual([
      'POST /v1/payment_intents → 402 type: not a field of this object',
      'POST /v1/payment_intents → 402 message: not a field of this object',
      'POST /v1/payment_intents → 402 error: required field missing',
    ]);
    expect(answer('GET', '/v1/nowhere', { error: { type: 'invalid_request_error', message: 'Unrecognized request URL (GET: /v1/nowhere).' } }, 404)).toEqual([]);
  });
});

/** The SDK configured as the product configures it from STRIPE_API_BASE (as in stripe-emulator.spec.ts). */
function sdk(url: string): Stripe {
  const { hostname, port, protocol } = new URL(url);
  return new Stripe('sk_test_emulator', { host: hostname, port, protocol: protocol === 'https:' ? 'https' : 'http', maxNetworkRetries: 0 });
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the Stripe call to fail');
}

describe("the emulator against Stripe's OpenAPI description", () => {
  let emulator: StripeEmulator;

  beforeAll(async () => {
    emulator = await StripeEmulator.start();
  });

  afterAll(() => emulator.close());

  it('answers the calls billing makes within the contract, every request carrying the pinned API version', async () => {
    const stripe = sdk(emulator.url);
    const callId = `call_contract_${Date.now()}`;
    const customer = await stripe.customers.create({ email: 'guest@example.com', name: 'Guest', metadata: { user_id: 'user_1' } });
    const hold = {
      amount: 2500,
      currency: 'usd',
      customer: customer.id,
      capture_method: 'manual',
      confirm: true,
      metadata: { call_id: callId, window: '1' },
    } satisfies Stripe.PaymentIntentCreateParams;
    const window1 = {
      ...hold,
      payment_method: 'pm_card_visa',
      setup_future_usage: 'off_session',
      receipt_email: 'guest@example.com',
      description: 'Call with Host, window 1',
      return_url: 'https://app.example/calls/return',
      expand: ['latest_charge'],
    } satisfies Stripe.PaymentIntentCreateParams;
    // With payment_method_types, as billing first sent it: no longer a create parameter at 2026-10-28.endive, so refused.
    const refused = await failure(
      stripe.paymentIntents.create({ ...window1, payment_method_types: ['card'] } as Stripe.PaymentIntentCreateParams, { idempotencyKey: `${callId}:hold:1:legacy` }),
    );
    expect(refused).toMatchObject({ type: 'StripeInvalidRequestError', param: 'payment_method_types' });
    // What billing sends now for "cards only".
    const first = await stripe.paymentIntents.create({ ...window1, allowed_payment_method_types: ['card'] }, { idempotencyKey: `${callId}:hold:1` });
    const savedCard = typeof first.payment_method === 'string' ? first.payment_method : first.payment_method?.id;
    expect(savedCard).toEqual(expect.stringMatching(/^pm_/));
    const second = await stripe.paymentIntents.create(
      { ...hold, payment_method: savedCard, off_session: true, metadata: { call_id: callId, window: '2' } },
      { idempotencyKey: `${callId}:hold:2` },
    );
    const retrieved = await stripe.paymentIntents.retrieve(first.id, { expand: ['latest_charge'] });
    const charge = retrieved.latest_charge as Stripe.Charge;
    expect(charge).toMatchObject({ object: 'charge', payment_method_details: { card: { capture_before: expect.any(Number) } } });
    await stripe.paymentIntents.capture(first.id, { amount_to_capture: 1200 }, { idempotencyKey: `${callId}:capture:1` });
    await stripe.paymentIntents.cancel(second.id, {}, { idempotencyKey: `${callId}:cancel:2` });
    await stripe.paymentIntents.search({ query: `metadata['call_id']:'${callId}' AND metadata['window']:'1'`, limit: 20 });
    await stripe.paymentIntents.list({ customer: customer.id, limit: 100 });
    const declined = await failure(
      stripe.paymentIntents.create({ ...hold, payment_method: 'pm_card_chargeDeclined', metadata: { call_id: callId, window: '3' } }, { idempotencyKey: `${callId}:hold:3` }),
    );
    expect(declined).toBeInstanceOf(Stripe.errors.StripeCardError);

    // The objects billing reads besides the PaymentIntent, and the webhook set-up.
    await stripe.customers.retrieve(customer.id);
    await stripe.charges.retrieve(charge.id);
    await stripe.paymentMethods.retrieve(savedCard as string);
    await stripe.webhookEndpoints.create({ url: 'https://app.example/stripe/webhooks', enabled_events: ['payment_intent.amount_capturable_updated', 'charge.dispute.created'] });
    const [event] = emulator.events();
    expect(event).toBeDefined();
    await stripe.events.retrieve(event.id);

    const exchanges = emulator.requests();
    expect(exchanges.map(({ method, path }) => `${method} ${findOperation(method, path)?.template ?? path}`)).toEqual([
      'POST /v1/customers',
      'POST /v1/payment_intents',
      'POST /v1/payment_intents',
      'POST /v1/payment_intents',
      'GET /v1/payment_intents/{intent}',
      'POST /v1/payment_intents/{intent}/capture',
      'POST /v1/payment_intents/{intent}/cancel',
      'GET /v1/payment_intents/search',
      'GET /v1/payment_intents',
      'POST /v1/payment_intents',
      'GET /v1/customers/{customer}',
      'GET /v1/charges/{charge}',
      'GET /v1/payment_methods/{payment_method}',
      'POST /v1/webhook_endpoints',
      'GET /v1/events/{id}',
    ]);
    expect(Stripe.API_VERSION).toBe('2026-10-28.endive');
    expect(exchanges.filter((exchange) => exchange.stripeVersion !== Stripe.API_VERSION)).toEqual([]);
    expect(exchanges.find((exchange) => exchange.status === 402)).toBeDefined();

    // The legacy create: the checker and the emulator both refuse payment_method_types, and the refusal is Stripe's error envelope.
    const [, legacy, ...rest] = exchanges;
    expect(legacy.status).toBe(400);
    expect(checkRequest(legacy)).toEqual(['POST /v1/payment_intents payment_method_types: unknown parameter']);
    expect(checkResponse({ ...legacy, body: legacy.response })).toEqual([]);

    const violations = [exchanges[0], ...rest].flatMap(({ method, path, params, status, response }) => [
      ...checkRequest({ method, path, params }),
      ...checkResponse({ method, path, status, body: response }),
    ]);
    expect(violations).toEqual([]);

    // Webhook payloads: each event's data.object as the retrieve call for its kind of object answers it.
    const retrievePaths: Record<string, string> = {
      charge: '/v1/charges/ch_event',
      customer: '/v1/customers/cus_event',
      payment_intent: '/v1/payment_intents/pi_event',
      payment_method: '/v1/payment_methods/pm_event',
    };
    const payloadViolations = emulator.events().flatMap(({ type, data }) => {
      const object = data.object as { object: string };
      const path = retrievePaths[object.object];
      if (!path) return [`${type}: carries a ${object.object}, which the fixture does not describe`];
      return checkResponse({ method: 'GET', path, status: 200, body: object }).map((problem) => `${type}: ${problem}`);
    });
    expect(payloadViolations).toEqual([]);
  });
});
