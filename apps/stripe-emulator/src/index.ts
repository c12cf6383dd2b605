export type { Fault } from './faults.registry';
export type { PaymentIntent } from './payment-intents.store';
export type { EmulatorRequest } from './request-log';
export { StripeEmulator, type StripeEmulatorOptions } from './stripe-emulator';
export { checkRequest, checkResponse } from './openapi/stripe-contract';
