import Stripe from 'stripe';
import { eventTypesAbout, failure, holdParams, newCallId, sdk } from './spec-helpers';
import { StripeEmulator } from './stripe-emulator';

/** The "Declined payments" table of https://docs.stripe.com/testing, codes per https://docs.stripe.com/declines/codes. */
const DECLINES: Array<[token: string, code: string, declineCode: string | undefined, message: string]> = [
  ['pm_card_chargeDeclined', 'card_declined', 'generic_decline', 'Your card was declined.'],
  ['pm_card_visa_chargeDeclined', 'card_declined', 'generic_decline', 'Your card was declined.'],
  ['pm_card_chargeDeclinedInsufficientFunds', 'card_declined', 'insufficient_funds', 'Your card has insufficient funds.'],
  ['pm_card_chargeDeclinedLostCard', 'card_declined', 'lost_card', 'Your card was declined.'],
  ['pm_card_chargeDeclinedStolenCard', 'card_declined', 'stolen_card', 'Your card was declined.'],
  ['pm_card_chargeDeclinedFraudulent', 'card_declined', 'fraudulent', 'Your card was declined.'],
  ['pm_card_visa_chargeDeclinedVelocityLimitExceeded', 'card_declined', 'card_velocity_exceeded', 'Your card was declined.'],
  ['pm_card_chargeDeclinedExpiredCard', 'expired_card', undefined, 'Your card has expired.'],
  ['pm_card_chargeDeclinedIncorrectCvc', 'incorrect_cvc', undefined, "Your card's security code is incorrect."],
  ['pm_card_chargeDeclinedProcessingError', 'processing_error', undefined, 'An error occurred while processing your card. Try again in a little bit.'],
  ['pm_card_chargeCustomerFail', 'card_declined', 'generic_decline', 'Your card was declined.'],
];

describe('test cards (https://docs.stripe.com/testing)', () => {
  let emulator: StripeEmulator;
  let stripe: Stripe;

  beforeAll(async () => {
    emulator = await StripeEmulator.start();
    stripe = sdk(emulator.url);
  });

  afterAll(() => emulator.close());

  it.each([
    ['pm_card_visa', 'visa', 'credit', '4242'],
    ['pm_card_visa_debit', 'visa', 'debit', '5556'],
    ['pm_card_mastercard', 'mastercard', 'credit', '4444'],
    ['pm_card_amex', 'amex', 'credit', '8431'],
  ])('%s approves as a %s %s card', async (token, brand, funding, last4) => {
    const intent = await stripe.paymentIntents.create(holdParams(newCallId(), { payment_method: token, expand: ['payment_method'] }));
    expect(intent).toMatchObject({ status: 'requires_capture', amount_capturable: 2500 });
    expect(intent.payment_method).toMatchObject({ card: { brand, funding, last4 } });
  });

  it.each(DECLINES)(
    '%s declines with code %s, decline_code %s: a 402 card_error, the PaymentIntent back to requires_payment_method with last_payment_error',
    async (token, code, declineCode, message) => {
      const callId = newCallId();
      const error = await failure(stripe.paymentIntents.create(holdParams(callId, { payment_method: token })));
      expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
      expect(error).toMatchObject({ statusCode: 402, rawType: 'card_error', code, message });
      expect((error.raw as { decline_code?: string }).decline_code).toBe(declineCode);
      expect(error.payment_intent).toMatchObject({
        status: 'requires_payment_method',
        amount_capturable: 0,
        payment_method: null,
        last_payment_error: { type: 'card_error', code, message, payment_method: { type: 'card' }, payment_method_type: 'card' },
      });
      const [kept] = emulator.paymentIntents({ callId });
      expect(kept).toEqual(error.payment_intent);

      const charge = await stripe.charges.retrieve(error.charge as string);
      expect(charge).toMatchObject({ status: 'failed', paid: false, failure_code: code, failure_message: message, payment_intent: kept.id });
      const types = eventTypesAbout(emulator.events(), kept.id, charge.id);
      expect(types).toEqual(['payment_intent.created', 'charge.failed', 'payment_intent.payment_failed']);
    },
  );
});
