import Stripe from 'stripe';
import { failure, holdParams, http, sdk } from './spec-helpers';
import { StripeEmulator } from './stripe-emulator';

describe('the request log, for contract tests', () => {
  let emulator: StripeEmulator;
  let stripe: Stripe;

  beforeAll(async () => {
    emulator = await StripeEmulator.start();
    stripe = sdk(emulator.url);
  });

  afterAll(() => emulator.close());

  it('records every API request, oldest first: method, path, decoded params, status, parsed response, Idempotency-Key and Stripe-Version', async () => {
    emulator.clearRequests();
    const intent = await stripe.paymentIntents.create(holdParams('logged', { metadata: { call_id: 'logged', window: '1' } }), { idempotencyKey: 'log-1' });
    await failure(stripe.paymentIntents.retrieve('pi_missing'));
    await http(emulator.url, 'GET', '/v1/payment_intents?limit=1');
    await http(emulator.url, 'GET', '/_emulator/payment_intents');

    const [create, missing, list, ...rest] = emulator.requests();
    expect(rest).toEqual([]);
    expect(create).toEqual({
      method: 'POST',
      path: '/v1/payment_intents',
      params: {
        amount: '2500',
        currency: 'usd',
        payment_method: 'pm_card_visa',
        capture_method: 'manual',
        confirm: 'true',
        metadata: { call_id: 'logged', window: '1' },
      },
      status: 200,
      response: expect.objectContaining({ id: intent.id, status: 'requires_capture' }),
      idempotencyKey: 'log-1',
      stripeVersion: Stripe.API_VERSION,
    });
    expect(missing).toMatchObject({ method: 'GET', path: '/v1/payment_intents/pi_missing', status: 404, response: { error: { code: 'resource_missing' } } });
    expect(missing.idempotencyKey).toBeUndefined();
    expect(list).toMatchObject({ method: 'GET', path: '/v1/payment_intents', params: { limit: '1' }, status: 200, response: { object: 'list' } });
    expect(list.stripeVersion).toBeUndefined();
  });

  it('records a connection cut without an answer as status 0, and clearRequests() empties the log', async () => {
    emulator.clearRequests();
    emulator.injectFault({ method: 'GET', path: '/v1/payment_intents', kind: 'disconnect' });
    await expect(http(emulator.url, 'GET', '/v1/payment_intents')).rejects.toThrow();
    expect(emulator.requests()).toEqual([expect.objectContaining({ path: '/v1/payment_intents', status: 0, response: null })]);
    emulator.clearRequests();
    expect(emulator.requests()).toEqual([]);
  });
});
