import Stripe from 'stripe';
import { eventTypesAbout, failure, holdParams, http, newCallId, sdk } from './spec-helpers';
import { StripeEmulator } from './stripe-emulator';

const RETURN_URL = 'https://app.example.com/calls/return?step=hold';

/** 3-D Secure as https://docs.stripe.com/payments/3d-secure/authentication-flow and the authentication cards of https://docs.stripe.com/testing#authentication-and-setup. */
describe('3-D Secure authentication', () => {
  let emulator: StripeEmulator;
  let stripe: Stripe;

  const hold = (params: Partial<Stripe.PaymentIntentCreateParams> = {}) => stripe.paymentIntents.create(holdParams(newCallId(), params));
  const page = (path: string, init: RequestInit = {}) => fetch(`${emulator.url}${path}`, { redirect: 'manual', ...init });
  const submit = (intent: Stripe.PaymentIntent, outcome: string) =>
    page(`/_emulator/authenticate/${intent.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_secret: intent.client_secret ?? '', outcome }).toString(),
    });

  beforeAll(async () => {
    emulator = await StripeEmulator.start();
    stripe = sdk(emulator.url);
  });

  afterAll(() => emulator.close());

  it('on session, a card that needs 3DS leaves the PaymentIntent in requires_action with a redirect_to_url when return_url is given', async () => {
    const intent = await hold({ payment_method: 'pm_card_threeDSecure2Required', return_url: RETURN_URL });
    expect(intent).toMatchObject({ status: 'requires_action', latest_charge: null, amount_capturable: 0 });
    expect(intent.next_action).toEqual({
      type: 'redirect_to_url',
      redirect_to_url: {
        url: `${emulator.url}/_emulator/authenticate/${intent.id}?client_secret=${encodeURIComponent(intent.client_secret ?? '')}`,
        return_url: RETURN_URL,
      },
    });
    expect(eventTypesAbout(emulator.events(), intent.id)).toEqual(['payment_intent.created', 'payment_intent.requires_action']);
  });

  it('without return_url, next_action is use_stripe_sdk (Stripe.js handles it), pointing at the same page', async () => {
    const intent = await hold({ payment_method: 'pm_card_authenticationRequired' });
    expect(intent.status).toBe('requires_action');
    expect(intent.next_action).toMatchObject({
      type: 'use_stripe_sdk',
      use_stripe_sdk: { stripe_js: expect.stringContaining(`/_emulator/authenticate/${intent.id}?client_secret=`) },
    });
  });

  it('serves an HTML page with "Complete authentication" and "Fail authentication" for the right client secret only', async () => {
    const intent = await hold({ payment_method: 'pm_card_threeDSecure2Required', return_url: RETURN_URL });
    const response = await fetch(intent.next_action?.redirect_to_url?.url ?? '');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    const text = await response.text();
    expect(text).toContain('Complete authentication');
    expect(text).toContain('Fail authentication');
    expect((await page(`/_emulator/authenticate/${intent.id}?client_secret=wrong`)).status).toBe(404);
  });

  it('completing authentication on the page authorizes the hold and redirects to return_url with payment_intent, payment_intent_client_secret, redirect_status', async () => {
    const intent = await hold({ payment_method: 'pm_card_threeDSecure2Required', return_url: RETURN_URL });
    const response = await submit(intent, 'succeed');
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe('https://app.example.com/calls/return');
    expect(Object.fromEntries(location.searchParams)).toEqual({
      step: 'hold',
      payment_intent: intent.id,
      payment_intent_client_secret: intent.client_secret,
      redirect_status: 'succeeded',
    });
    const authorized = await stripe.paymentIntents.retrieve(intent.id, { expand: ['latest_charge'] });
    expect(authorized).toMatchObject({ status: 'requires_capture', amount_capturable: 2500, next_action: null });
    expect(authorized.latest_charge).toMatchObject({ payment_method_details: { card: { three_d_secure: { result: 'authenticated' } } } });
  });

  it('failing authentication sends the PaymentIntent back to requires_payment_method with payment_intent_authentication_failure (https://docs.stripe.com/error-codes/payment-intent-authentication-failure)', async () => {
    const intent = await hold({ payment_method: 'pm_card_threeDSecure2Required', return_url: RETURN_URL });
    const response = await submit(intent, 'fail');
    expect(new URL(response.headers.get('location') ?? '').searchParams.get('redirect_status')).toBe('failed');
    const failed = await stripe.paymentIntents.retrieve(intent.id);
    expect(failed).toMatchObject({
      status: 'requires_payment_method',
      payment_method: null,
      next_action: null,
      last_payment_error: { type: 'invalid_request_error', code: 'payment_intent_authentication_failure', payment_method: { type: 'card' } },
    });
    expect(eventTypesAbout(emulator.events(), intent.id)).toContain('payment_intent.payment_failed');
  });

  it('POST /_emulator/payment_intents/:id/authenticate does the same for tests and answers the PaymentIntent; a second answer is refused', async () => {
    const intent = await hold({ payment_method: 'pm_card_authenticationRequired' });
    const path = `/_emulator/payment_intents/${intent.id}/authenticate`;
    const headers = { 'content-type': 'application/json' };
    expect((await http(emulator.url, 'POST', path, JSON.stringify({ outcome: 'maybe' }), headers)).status).toBe(400);
    const answer = await http(emulator.url, 'POST', path, JSON.stringify({ outcome: 'succeed' }), headers);
    expect(answer).toMatchObject({ status: 200, body: { id: intent.id, status: 'requires_capture' } });
    expect((await http(emulator.url, 'POST', path, JSON.stringify({ outcome: 'fail' }), headers)).status).toBe(400);
  });

  it("emulator.authenticate(id, 'fail') answers the failed PaymentIntent", async () => {
    const intent = await hold({ payment_method: 'pm_card_threeDSecure2Required' });
    expect(emulator.authenticate(intent.id, 'fail')).toMatchObject({ status: 'requires_payment_method', last_payment_error: { code: 'payment_intent_authentication_failure' } });
    expect(() => emulator.authenticate(intent.id, 'succeed')).toThrow(/not awaiting authentication/);
  });

  it.each(['pm_card_authenticationRequired', 'pm_card_authenticationRequiredOnSetup', 'pm_card_threeDSecure2Required'])(
    'off session, %s declines with authentication_required and no charge (https://docs.stripe.com/declines/codes#authentication_required)',
    async (token) => {
      const callId = newCallId();
      const error = await failure(stripe.paymentIntents.create(holdParams(callId, { payment_method: token, off_session: true })));
      expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
      expect(error).toMatchObject({ statusCode: 402, code: 'authentication_required', decline_code: 'authentication_required' });
      expect(error.payment_intent).toMatchObject({ status: 'requires_payment_method', latest_charge: null, last_payment_error: { code: 'authentication_required' } });
    },
  );

  it('pm_card_authenticationRequiredOnSetup: once set up with setup_future_usage and authenticated, off-session payments succeed; on session it still asks', async () => {
    const customer = await stripe.customers.create({});
    const setup = await hold({ payment_method: 'pm_card_authenticationRequiredOnSetup', customer: customer.id, setup_future_usage: 'off_session' });
    expect(setup.status).toBe('requires_action');
    const paymentMethod = setup.payment_method as string;
    expect((await stripe.paymentMethods.retrieve(paymentMethod)).customer).toBeNull();

    emulator.authenticate(setup.id, 'succeed');
    expect((await stripe.paymentMethods.retrieve(paymentMethod)).customer).toBe(customer.id);

    const later = await hold({ payment_method: paymentMethod, customer: customer.id, off_session: true });
    expect(later).toMatchObject({ status: 'requires_capture', amount_capturable: 2500 });
    expect((await hold({ payment_method: paymentMethod, customer: customer.id })).status).toBe('requires_action');
  });

  it('pm_card_authenticationRequiredOnSetup merely attached (not set up) still needs authentication off session', async () => {
    const customer = await stripe.customers.create({});
    const created = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: 'pm_card_authenticationRequiredOnSetup' });
    await stripe.paymentMethods.attach(created.payment_method as string, { customer: customer.id });
    const error = await failure(hold({ payment_method: created.payment_method as string, customer: customer.id, off_session: true }));
    expect(error).toMatchObject({ statusCode: 402, code: 'authentication_required' });
  });

  it('pm_card_authenticationRequired needs authentication even after setup: off session it keeps declining', async () => {
    const customer = await stripe.customers.create({});
    const setup = await hold({ payment_method: 'pm_card_authenticationRequired', customer: customer.id, setup_future_usage: 'off_session' });
    emulator.authenticate(setup.id, 'succeed');
    const error = await failure(hold({ payment_method: setup.payment_method as string, customer: customer.id, off_session: true }));
    expect(error).toMatchObject({ statusCode: 402, code: 'authentication_required', decline_code: 'authentication_required' });
  });

  it('the card can still decline after a successful authentication (a decline fault applies at authorization)', async () => {
    const callId = newCallId();
    emulator.injectFault({ method: 'POST', path: '/v1/payment_intents', callId, kind: 'decline' });
    const intent = await stripe.paymentIntents.create(holdParams(callId, { payment_method: 'pm_card_threeDSecure2Required' }));
    expect(intent.status).toBe('requires_action');
    expect(emulator.authenticate(intent.id, 'succeed')).toMatchObject({
      status: 'requires_payment_method',
      last_payment_error: { type: 'card_error', code: 'card_declined', decline_code: 'generic_decline' },
    });
  });

  it('off_session is only valid with confirm=true (https://docs.stripe.com/api/payment_intents/create#create_payment_intent-off_session)', async () => {
    const error = await failure(stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: 'pm_card_visa', off_session: true }));
    expect(error).toMatchObject({ statusCode: 400, param: 'off_session' });
  });
});
