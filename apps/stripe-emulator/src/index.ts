export type { Fault } from './faults.registry';
export type { PaymentIntent } from './payment-intents.store';
export { StripeEmulator, type StripeEmulatorOptions } from './stripe-emulator';
