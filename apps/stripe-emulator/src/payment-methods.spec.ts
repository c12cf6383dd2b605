import Stripe from 'stripe';
import { failure, holdParams, newCallId, sdk } from './spec-helpers';
import { StripeEmulator } from './stripe-emulator';

const SINGLE_USE =
  'The provided PaymentMethod was previously used with a PaymentIntent without Customer attachment, shared with a connected account without Customer attachment, or was detached from a Customer. It may not be used again. To use a PaymentMethod multiple times, you must attach it to a Customer first.';

describe('PaymentMethods', () => {
  let emulator: StripeEmulator;
  let stripe: Stripe;

  const hold = (params: Partial<Stripe.PaymentIntentCreateParams> = {}) => stripe.paymentIntents.create(holdParams(newCallId(), params));

  beforeAll(async () => {
    emulator = await StripeEmulator.start();
    stripe = sdk(emulator.url);
  });

  afterAll(() => emulator.close());

  it('a test token such as pm_card_visa makes a new PaymentMethod on each use (https://docs.stripe.com/testing?testing-method=payment-methods)', async () => {
    const first = await hold();
    const second = await hold();
    expect(first.payment_method).toMatch(/^pm_\w{24}$/);
    expect(second.payment_method).not.toBe(first.payment_method);
    const paymentMethod = await stripe.paymentMethods.retrieve(first.payment_method as string);
    expect(paymentMethod).toMatchObject({ object: 'payment_method', type: 'card', customer: null, card: { brand: 'visa', last4: '4242', funding: 'credit' } });
  });

  it('answers 404 for an unknown PaymentMethod', async () => {
    expect(await failure(stripe.paymentMethods.retrieve('pm_unknown'))).toMatchObject({ statusCode: 404, code: 'resource_missing' });
  });

  it('a PaymentMethod not attached to a Customer backs one PaymentIntent only (https://docs.stripe.com/api/payment_methods/attach)', async () => {
    const first = await hold();
    const error = await failure(hold({ payment_method: first.payment_method as string }));
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error).toMatchObject({ statusCode: 400, param: 'payment_method', message: SINGLE_USE });
  });

  it('even a declined use spends an unattached PaymentMethod', async () => {
    const declined = await failure(hold({ payment_method: 'pm_card_chargeDeclined' }));
    const paymentMethod = declined.payment_method?.id as string;
    expect(await failure(hold({ payment_method: paymentMethod }))).toMatchObject({ statusCode: 400, message: SINGLE_USE });
  });

  it('attaches a PaymentMethod to a Customer; then it is reusable, but only with that Customer', async () => {
    const customer = await stripe.customers.create({ email: 'pm@example.com' });
    const other = await stripe.customers.create({});
    const unused = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: 'pm_card_visa' });
    expect(unused.status).toBe('requires_confirmation');
    const paymentMethod = unused.payment_method as string;

    const attached = await stripe.paymentMethods.attach(paymentMethod, { customer: customer.id });
    expect(attached).toMatchObject({ id: paymentMethod, customer: customer.id });
    expect(emulator.events().some((event) => event.type === 'payment_method.attached' && event.data.object.id === paymentMethod)).toBe(true);

    for (let use = 0; use < 2; use++) {
      expect(await hold({ payment_method: paymentMethod, customer: customer.id })).toMatchObject({ status: 'requires_capture', payment_method: paymentMethod });
    }
    expect(await failure(hold({ payment_method: paymentMethod }))).toMatchObject({
      statusCode: 400,
      code: 'parameter_missing',
      message: `The \`payment_method\` parameter supplied ${paymentMethod} belongs to the Customer ${customer.id}. Please include the Customer in the \`customer\` parameter on the PaymentIntent.`,
    });
    expect(await failure(hold({ payment_method: paymentMethod, customer: other.id }))).toMatchObject({
      statusCode: 400,
      param: 'payment_method',
      message: `The PaymentMethod ${paymentMethod} does not belong to the Customer you supplied ${other.id}. Please use this PaymentMethod with the Customer that it belongs to instead.`,
    });
    expect(await failure(stripe.paymentMethods.attach(paymentMethod, { customer: other.id }))).toMatchObject({ statusCode: 400 });
  });

  it('setup_future_usage with a customer attaches the PaymentMethod once the payment succeeds (https://docs.stripe.com/payments/save-during-payment)', async () => {
    const customer = await stripe.customers.create({});
    for (const usage of ['off_session', 'on_session'] as const) {
      const intent = await hold({ customer: customer.id, setup_future_usage: usage });
      expect(intent).toMatchObject({ status: 'requires_capture', setup_future_usage: usage });
      expect((await stripe.paymentMethods.retrieve(intent.payment_method as string)).customer).toBe(customer.id);
      expect(await hold({ customer: customer.id, payment_method: intent.payment_method as string, off_session: true })).toMatchObject({ status: 'requires_capture' });
    }
  });

  it('a declined payment with setup_future_usage attaches nothing', async () => {
    const customer = await stripe.customers.create({});
    const error = await failure(hold({ customer: customer.id, setup_future_usage: 'off_session', payment_method: 'pm_card_chargeDeclined' }));
    expect((await stripe.paymentMethods.retrieve(error.payment_method?.id as string)).customer).toBeNull();
  });

  it('a used, unattached PaymentMethod cannot be attached afterwards', async () => {
    const used = await hold();
    const customer = await stripe.customers.create({});
    expect(await failure(stripe.paymentMethods.attach(used.payment_method as string, { customer: customer.id }))).toMatchObject({
      statusCode: 400,
      message: 'This PaymentMethod was previously used without being attached to a Customer or was detached from a Customer, and may not be used again.',
    });
  });

  it('attaching needs an existing customer', async () => {
    const unused = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: 'pm_card_visa' });
    expect(await failure(stripe.paymentMethods.attach(unused.payment_method as string, { customer: 'cus_nope' }))).toMatchObject({
      statusCode: 400,
      code: 'resource_missing',
      param: 'customer',
    });
  });

  it('pm_card_chargeCustomerFail attaches to a Customer, then every charge declines; a declining card cannot be attached (https://docs.stripe.com/testing#declined-payments)', async () => {
    const customer = await stripe.customers.create({});
    const failing = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: 'pm_card_chargeCustomerFail' });
    await stripe.paymentMethods.attach(failing.payment_method as string, { customer: customer.id });
    const error = await failure(hold({ customer: customer.id, payment_method: failing.payment_method as string }));
    expect(error).toMatchObject({ statusCode: 402, code: 'card_declined', decline_code: 'generic_decline' });

    const declining = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: 'pm_card_chargeDeclined' });
    expect(await failure(stripe.paymentMethods.attach(declining.payment_method as string, { customer: customer.id }))).toMatchObject({
      statusCode: 402,
      code: 'card_declined',
    });
  });

  it('confirms later through POST /v1/payment_intents/:id/confirm with the PaymentMethod given at creation (https://docs.stripe.com/api/payment_intents/confirm)', async () => {
    const created = await stripe.paymentIntents.create({ amount: 1200, currency: 'usd', capture_method: 'manual', payment_method: 'pm_card_mastercard' });
    expect(created).toMatchObject({ status: 'requires_confirmation', latest_charge: null });
    const confirmed = await stripe.paymentIntents.confirm(created.id);
    expect(confirmed).toMatchObject({ status: 'requires_capture', payment_method: created.payment_method, amount_capturable: 1200 });
    expect(await failure(stripe.paymentIntents.confirm(created.id))).toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' });
  });
});
