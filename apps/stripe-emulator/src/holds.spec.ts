import Stripe from 'stripe';
import { eventTypesAbout, failure, holdParams, http, newCallId, sdk } from './spec-helpers';
import { StripeEmulator } from './stripe-emulator';

const DAY = 86_400;

/** Card holds expire (https://docs.stripe.com/payments/place-a-hold-on-a-payment-method), on the emulator's clock. */
describe('holds, charges and the clock', () => {
  let emulator: StripeEmulator;
  let stripe: Stripe;

  const hold = (params: Partial<Stripe.PaymentIntentCreateParams> = {}, options: Stripe.RequestOptions = {}) =>
    stripe.paymentIntents.create(holdParams(newCallId(), { expand: ['latest_charge'], ...params }), options);
  const captureBefore = (intent: Stripe.PaymentIntent) => (intent.latest_charge as Stripe.Charge).payment_method_details?.card?.capture_before as number;

  beforeEach(async () => {
    emulator = await StripeEmulator.start();
    stripe = sdk(emulator.url);
  });

  afterEach(() => emulator.close());

  it('now() follows real time until advanced; advanceClock moves it and answers the new now', () => {
    const before = emulator.now();
    expect(Math.abs(before - Math.floor(Date.now() / 1000))).toBeLessThanOrEqual(1);
    expect(emulator.advanceClock(3_600)).toBeGreaterThanOrEqual(before + 3_600);
    expect(emulator.now()).toBeGreaterThanOrEqual(before + 3_600);
    expect(() => emulator.advanceClock(-1)).toThrow(TypeError);
  });

  it('each authorization has a Charge: latest_charge expands to it, with payment_method_details.card.capture_before 7 days on', async () => {
    const intent = await hold();
    const charge = intent.latest_charge as Stripe.Charge;
    expect(charge).toMatchObject({ object: 'charge', status: 'succeeded', paid: true, captured: false, amount: 2500, amount_captured: 0, payment_intent: intent.id });
    expect(captureBefore(intent)).toBe(charge.created + 7 * DAY);
    expect(await stripe.charges.retrieve(charge.id)).toMatchObject({ id: charge.id, captured: false });
    expect((await stripe.paymentIntents.retrieve(intent.id, { expand: ['latest_charge', 'payment_method'] })).payment_method).toMatchObject({ object: 'payment_method' });
  });

  it('an uncaptured hold expires after 7 days: canceled, cancellation_reason automatic, amount_capturable 0, payment_intent.canceled', async () => {
    const intent = await hold();
    emulator.advanceClock(7 * DAY - 60);
    expect((await stripe.paymentIntents.retrieve(intent.id)).status).toBe('requires_capture');

    emulator.advanceClock(60);
    const expired = await stripe.paymentIntents.retrieve(intent.id, { expand: ['latest_charge'] });
    expect(expired).toMatchObject({ status: 'canceled', cancellation_reason: 'automatic', amount_capturable: 0 });
    expect(expired.latest_charge).toMatchObject({ captured: false, refunded: true, amount_refunded: 2500 });
    const types = eventTypesAbout(emulator.events(), intent.id, (intent.latest_charge as Stripe.Charge).id);
    expect(types.slice(-2)).toEqual(['charge.expired', 'payment_intent.canceled']);
    expect(await failure(stripe.paymentIntents.capture(intent.id))).toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' });
  });

  it('a Visa merchant-initiated (off_session) hold lasts 4 days 18 hours, other brands 7 days', async () => {
    const visa = await hold({ off_session: true });
    const mastercard = await hold({ off_session: true, payment_method: 'pm_card_mastercard' });
    expect(captureBefore(visa) - (visa.latest_charge as Stripe.Charge).created).toBe(4 * DAY + 18 * 3_600);
    expect(captureBefore(mastercard) - (mastercard.latest_charge as Stripe.Charge).created).toBe(7 * DAY);

    emulator.advanceClock(5 * DAY);
    expect((await stripe.paymentIntents.retrieve(visa.id)).status).toBe('canceled');
    expect((await stripe.paymentIntents.retrieve(mastercard.id)).status).toBe('requires_capture');
  });

  it('a captured hold does not expire; capture marks the charge captured and the rest refunded, emitting charge.captured', async () => {
    const intent = await hold();
    const captured = await stripe.paymentIntents.capture(intent.id, { amount_to_capture: 1500, expand: ['latest_charge'] });
    expect(captured.latest_charge).toMatchObject({ captured: true, amount_captured: 1500, amount_refunded: 1000 });
    emulator.advanceClock(30 * DAY);
    expect((await stripe.paymentIntents.retrieve(intent.id)).status).toBe('succeeded');
    expect(emulator.events().map((event) => event.type)).toEqual(expect.arrayContaining(['charge.captured', 'payment_intent.succeeded']));
  });

  it('POST /_emulator/clock {advance_seconds} moves the clock and answers { now }', async () => {
    const intent = await hold();
    const before = emulator.now();
    const answer = await http(emulator.url, 'POST', '/_emulator/clock', JSON.stringify({ advance_seconds: 8 * DAY }), { 'content-type': 'application/json' });
    expect(answer.status).toBe(200);
    expect(answer.body.now).toBeGreaterThanOrEqual(before + 8 * DAY);
    expect((await stripe.paymentIntents.retrieve(intent.id)).status).toBe('canceled');
    expect((await http(emulator.url, 'POST', '/_emulator/clock', JSON.stringify({ advance_seconds: 'soon' }))).status).toBe(400);
  });

  it('idempotency keys are kept 24 hours on the clock (https://docs.stripe.com/api/idempotent_requests)', async () => {
    const key = `kept-${newCallId()}`;
    const params = holdParams(newCallId());
    const first = await stripe.paymentIntents.create(params, { idempotencyKey: key });
    emulator.advanceClock(23 * 3_600);
    expect((await stripe.paymentIntents.create(params, { idempotencyKey: key })).id).toBe(first.id);
    emulator.advanceClock(2 * 3_600);
    expect((await stripe.paymentIntents.create(params, { idempotencyKey: key })).id).not.toBe(first.id);
  });

  it('refuses expansions other than latest_charge, payment_method and customer (https://docs.stripe.com/expand)', async () => {
    const intent = await hold({ expand: [] });
    expect(await failure(stripe.paymentIntents.retrieve(intent.id, { expand: ['review'] }))).toMatchObject({
      statusCode: 400,
      param: 'expand',
      message: 'This property cannot be expanded (review).',
    });
    const customer = await stripe.customers.create({ email: 'x@example.com' });
    const withCustomer = await hold({ customer: customer.id, expand: ['customer'] });
    expect(withCustomer.customer).toMatchObject({ id: customer.id, email: 'x@example.com' });
  });
});
