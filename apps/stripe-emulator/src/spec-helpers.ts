import Stripe from 'stripe';
import { StripeErrorObject } from './stripe-api.error';

/** Helpers shared by the emulator's spec files. */

export type StripeError = InstanceType<typeof Stripe.errors.StripeError>;

export const TEST_SECRET_KEY = 'sk_test_emulator';

/** The SDK configured as the product configures it from STRIPE_API_BASE. */
export function sdk(url: string, options: Stripe.StripeConfig = {}, secretKey = TEST_SECRET_KEY): Stripe {
  const { hostname, port, protocol } = new URL(url);
  return new Stripe(secretKey, { host: hostname, port, protocol: protocol === 'https:' ? 'https' : 'http', maxNetworkRetries: 0, ...options });
}

export async function failure(promise: Promise<unknown>): Promise<StripeError> {
  try {
    await promise;
  } catch (error) {
    return error as StripeError;
  }
  throw new Error('expected the Stripe call to fail');
}

let calls = 0;
export const newCallId = () => `call_${++calls}_${Date.now()}`;

export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: { error: StripeErrorObject } & Record<string, unknown>;
}

/** A request as another process (or curl) sends it: form-encoded with a test key, JSON answered. */
export async function http(baseUrl: string, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    body,
    headers: { authorization: `Bearer ${TEST_SECRET_KEY}`, 'content-type': 'application/x-www-form-urlencoded', ...headers },
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as HttpAnswer['body'] };
}

/** A manual-capture PaymentIntent confirmed at once, the product's hold. */
export function holdParams(callId: string, params: Partial<Stripe.PaymentIntentCreateParams> = {}): Stripe.PaymentIntentCreateParams {
  return {
    amount: 2500,
    currency: 'usd',
    payment_method: 'pm_card_visa',
    capture_method: 'manual',
    confirm: true,
    metadata: { call_id: callId },
    ...params,
  };
}

/** The id of the object an event is about. */
export function subjectId(event: Stripe.Event): string | undefined {
  return (event.data.object as { id?: string }).id;
}

/** The types of the events about any of these objects, in order. */
export function eventTypesAbout(events: Stripe.Event[], ...ids: string[]): string[] {
  return events.filter((event) => ids.includes(subjectId(event) ?? '')).map((event) => event.type);
}
