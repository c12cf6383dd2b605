export * from './billing.app';
export { STRIPE_API_VERSION, stripeClient } from './stripe/stripe-client';
/** Read by the money audit (tools/src/money-audit). */
export { BILLING_TABLES } from './billing.schema';
