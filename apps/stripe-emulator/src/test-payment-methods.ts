/** Why a card declines: the `code`, `decline_code` and message of Stripe's card_error (https://docs.stripe.com/declines/codes). */
export interface CardDecline {
  code: string;
  declineCode?: string;
  message: string;
  param?: string;
}

/**
 * How a test card behaves when it needs 3-D Secure (https://docs.stripe.com/testing#authentication-and-setup):
 * - 'always': every payment, on or off session, even after setup (off session it declines);
 * - 'unless_set_up': every on-session payment; off session only until it was set up for future use;
 * - 'three_d_secure_2': 3DS2 must be completed (off session, where nobody can, it declines).
 */
export type CardAuthentication = 'always' | 'unless_set_up' | 'three_d_secure_2';

/** How the card behind one of Stripe's documented test PaymentMethods answers. */
export interface TestCard {
  brand: string;
  last4: string;
  funding: 'credit' | 'debit';
  decline?: CardDecline;
  /** Attaching it to a Customer succeeds although every charge declines (pm_card_chargeCustomerFail). */
  attachesDespiteDecline?: boolean;
  authentication?: CardAuthentication;
}

export const GENERIC_DECLINE: CardDecline = { code: 'card_declined', declineCode: 'generic_decline', message: 'Your card was declined.' };

/** What an off-session payment that needs authentication answers (https://docs.stripe.com/declines/codes#authentication_required). */
export const AUTHENTICATION_REQUIRED: CardDecline = {
  code: 'authentication_required',
  declineCode: 'authentication_required',
  message: 'Your card was declined. This transaction requires authentication.',
};

const visa = (last4: string, details: Partial<TestCard> = {}): TestCard => ({ brand: 'visa', last4, funding: 'credit', ...details });
const declined = (last4: string, declineCode: string, message = 'Your card was declined.'): TestCard => visa(last4, { decline: { code: 'card_declined', declineCode, message } });

/**
 * https://docs.stripe.com/testing — the `pm_card_*` tokens usable without Stripe.js: successful
 * cards, declines (error code and decline code as the "Declined payments" table lists them) and
 * the authentication cards.
 */
export const TEST_CARDS: Readonly<Record<string, TestCard>> = {
  pm_card_visa: visa('4242'),
  pm_card_visa_debit: visa('5556', { funding: 'debit' }),
  pm_card_mastercard: { brand: 'mastercard', last4: '4444', funding: 'credit' },
  pm_card_amex: { brand: 'amex', last4: '8431', funding: 'credit' },
  pm_card_chargeDeclined: declined('0002', 'generic_decline'),
  pm_card_visa_chargeDeclined: declined('0002', 'generic_decline'),
  pm_card_chargeDeclinedInsufficientFunds: declined('9995', 'insufficient_funds', 'Your card has insufficient funds.'),
  pm_card_visa_chargeDeclinedInsufficientFunds: declined('9995', 'insufficient_funds', 'Your card has insufficient funds.'),
  pm_card_chargeDeclinedLostCard: declined('9987', 'lost_card'),
  pm_card_visa_chargeDeclinedLostCard: declined('9987', 'lost_card'),
  pm_card_chargeDeclinedStolenCard: declined('9979', 'stolen_card'),
  pm_card_visa_chargeDeclinedStolenCard: declined('9979', 'stolen_card'),
  pm_card_chargeDeclinedFraudulent: declined('0019', 'fraudulent'),
  pm_card_visa_chargeDeclinedVelocityLimitExceeded: declined('6975', 'card_velocity_exceeded'),
  pm_card_chargeDeclinedExpiredCard: visa('0069', { decline: { code: 'expired_card', message: 'Your card has expired.' } }),
  pm_card_chargeDeclinedIncorrectCvc: visa('0127', {
    decline: { code: 'incorrect_cvc', message: "Your card's security code is incorrect.", param: 'cvc' },
  }),
  pm_card_chargeDeclinedProcessingError: visa('0119', {
    decline: { code: 'processing_error', message: 'An error occurred while processing your card. Try again in a little bit.' },
  }),
  pm_card_chargeCustomerFail: visa('0341', { decline: GENERIC_DECLINE, attachesDespiteDecline: true }),
  pm_card_authenticationRequired: visa('3184', { authentication: 'always' }),
  pm_card_authenticationRequiredOnSetup: visa('3155', { authentication: 'unless_set_up' }),
  pm_card_threeDSecure2Required: visa('3220', { authentication: 'three_d_secure_2' }),
};
