import type Stripe from 'stripe';

/** How the card behind one of Stripe's documented test PaymentMethods answers an authorization. */
export interface TestCard {
  brand: string;
  last4: string;
  funding: 'credit' | 'debit';
  decline?: { declineCode: string; message: string };
}

const declined = (last4: string, declineCode: string, message = 'Your card was declined.'): TestCard => ({
  brand: 'visa',
  last4,
  funding: 'credit',
  decline: { declineCode, message },
});

/** https://docs.stripe.com/testing — the `pm_card_*` tokens usable without Stripe.js. */
export const TEST_CARDS: Readonly<Record<string, TestCard>> = {
  pm_card_visa: { brand: 'visa', last4: '4242', funding: 'credit' },
  pm_card_visa_debit: { brand: 'visa', last4: '5556', funding: 'debit' },
  pm_card_mastercard: { brand: 'mastercard', last4: '4444', funding: 'credit' },
  pm_card_amex: { brand: 'amex', last4: '8431', funding: 'credit' },
  pm_card_chargeDeclined: declined('0002', 'generic_decline'),
  pm_card_chargeDeclinedInsufficientFunds: declined('9995', 'insufficient_funds', 'Your card has insufficient funds.'),
  pm_card_chargeDeclinedLostCard: declined('9987', 'lost_card'),
  pm_card_chargeDeclinedStolenCard: declined('9979', 'stolen_card'),
};

export const GENERIC_DECLINE = TEST_CARDS.pm_card_chargeDeclined.decline!;

/** The PaymentMethod Stripe makes from a test token (each use gets its own `pm_…` id). */
export function paymentMethodObject(id: string, card: TestCard, created: number): Stripe.PaymentMethod {
  return {
    id,
    object: 'payment_method',
    billing_details: {
      address: { city: null, country: null, line1: null, line2: null, postal_code: null, state: null },
      email: null,
      name: null,
      phone: null,
      tax_id: null,
    },
    card: {
      brand: card.brand,
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: null },
      country: 'US',
      display_brand: card.brand,
      exp_month: 12,
      exp_year: new Date().getUTCFullYear() + 5,
      funding: card.funding,
      generated_from: null,
      last4: card.last4,
      networks: { available: [card.brand], preferred: null },
      regulated_status: 'unregulated',
      three_d_secure_usage: { supported: true },
      wallet: null,
    },
    created,
    customer: null,
    customer_account: null,
    livemode: false,
    metadata: {},
    type: 'card',
  };
}
