import type Stripe from 'stripe';
import { CardDecline } from './test-payment-methods';

/** The `error` member of a Stripe error answer (https://docs.stripe.com/api/errors). */
export interface StripeErrorObject {
  type: 'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error';
  message: string;
  code?: string;
  decline_code?: string;
  param?: string;
  doc_url?: string;
  charge?: string;
  payment_intent?: Stripe.PaymentIntent;
  payment_method?: Stripe.PaymentMethod;
}

/**
 * A Stripe error answer. `executed` is false when Stripe turns a request away before an endpoint
 * starts (authentication, parameter validation, idempotency conflicts, rate limiting): such a
 * result is not kept for its idempotency key, so a retry with the same key runs afresh.
 */
export class StripeApiError extends Error {
  readonly error: StripeErrorObject;

  constructor(
    readonly status: number,
    error: StripeErrorObject,
    readonly executed: boolean,
  ) {
    super(error.message);
    this.error = error.code ? { ...error, doc_url: `https://stripe.com/docs/error-codes/${error.code.replace(/_/g, '-')}` } : error;
  }
}

export function invalidParam(param: string, message: string, code?: string): StripeApiError {
  return new StripeApiError(400, { type: 'invalid_request_error', message, param, ...(code ? { code } : {}) }, false);
}

export const parameterMissing = (param: string) => invalidParam(param, `Missing required param: ${param}.`, 'parameter_missing');

export const parameterUnknown = (param: string) => invalidParam(param, `Received unknown parameter: ${param}`, 'parameter_unknown');

export const parameterEmpty = (param: string) =>
  invalidParam(
    param,
    `You passed an empty string for '${param}'. We assume empty values are an attempt to unset a parameter; however '${param}' cannot be unset. You should remove '${param}' from your request or supply a non-empty value.`,
    'parameter_invalid_empty',
  );

export function resourceMissing(kind: string, id: string, param: string, status = 404): StripeApiError {
  return new StripeApiError(status, { type: 'invalid_request_error', code: 'resource_missing', message: `No such ${kind}: '${id}'`, param }, true);
}

export function unexpectedState(message: string, intent: Stripe.PaymentIntent): StripeApiError {
  return new StripeApiError(400, { type: 'invalid_request_error', code: 'payment_intent_unexpected_state', message, payment_intent: intent }, true);
}

export function notAuthenticated(message: string): StripeApiError {
  return new StripeApiError(401, { type: 'invalid_request_error', message }, false);
}

export function unrecognizedUrl(method: string, path: string): StripeApiError {
  const message = `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`;
  return new StripeApiError(404, { type: 'invalid_request_error', message }, false);
}

/** A declined card: 402 `card_error` (https://docs.stripe.com/api/errors); the endpoint ran, so it is kept for the key. */
export function cardError(decline: CardDecline, related: Pick<StripeErrorObject, 'charge' | 'payment_intent' | 'payment_method'> = {}): StripeApiError {
  return new StripeApiError(
    402,
    {
      type: 'card_error',
      code: decline.code,
      ...(decline.declineCode ? { decline_code: decline.declineCode } : {}),
      message: decline.message,
      ...(decline.param ? { param: decline.param } : {}),
      ...related,
    },
    true,
  );
}

/** What an injected 'error' or 'error_after' fault answers: Stripe failed in the middle of the request. */
export function internalError(): StripeApiError {
  return new StripeApiError(500, { type: 'api_error', message: 'An unknown error occurred' }, true);
}

/** A 429 (https://docs.stripe.com/rate-limits); Stripe checks limits before the endpoint runs, so nothing is kept for the key. */
export function rateLimited(): StripeApiError {
  return new StripeApiError(
    429,
    {
      type: 'invalid_request_error',
      code: 'rate_limit',
      message: 'Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.',
    },
    false,
  );
}
