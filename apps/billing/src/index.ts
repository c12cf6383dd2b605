export * from './billing.app';
export { STRIPE_API_VERSION } from './stripe/payment-gateway';
