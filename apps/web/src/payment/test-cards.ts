/** Stripe's test PaymentMethods, which the bundled emulator understands (decision 30). */
export const TEST_CARDS = [
  { id: 'pm_card_visa', label: 'Visa — succeeds' },
  { id: 'pm_card_mastercard', label: 'Mastercard — succeeds' },
  { id: 'pm_card_chargeDeclined', label: 'Card declined' },
  { id: 'pm_card_threeDSecure2Required', label: '3-D Secure — asks for authentication' },
  { id: 'pm_card_authenticationRequiredOnSetup', label: 'Authentication required on setup' },
] as const;
