/** The error codes of the envelope (decision 2) and the HTTP status each one carries. */
export enum ErrorCode {
  ValidationError = 'validation_error',
  Unauthorized = 'unauthorized',
  StripeError = 'stripe_error',
  /** The card needs the guest's authentication (3-D Secure) before the hold exists (decision 25). */
  PaymentActionRequired = 'payment_action_required',
  Forbidden = 'forbidden',
  NotFound = 'not_found',
  Conflict = 'conflict',
  IdempotencyKeyReused = 'idempotency_key_reused',
  /** The body is over the size limit (100 kB of JSON). */
  PayloadTooLarge = 'payload_too_large',
  /** The body is not JSON (or not the one type the endpoint reads). */
  UnsupportedMediaType = 'unsupported_media_type',
  RateLimited = 'rate_limited',
  InternalError = 'internal_error',
  /** Something the request needs is down for a moment (the message bus, a database connection): retry after `Retry-After` seconds. */
  ServiceUnavailable = 'service_unavailable',
}

export const ERROR_STATUS: Record<ErrorCode, number> = {
  [ErrorCode.ValidationError]: 400,
  [ErrorCode.Unauthorized]: 401,
  [ErrorCode.StripeError]: 402,
  [ErrorCode.PaymentActionRequired]: 402,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.Conflict]: 409,
  [ErrorCode.IdempotencyKeyReused]: 422,
  [ErrorCode.PayloadTooLarge]: 413,
  [ErrorCode.UnsupportedMediaType]: 415,
  [ErrorCode.RateLimited]: 429,
  [ErrorCode.InternalError]: 500,
  [ErrorCode.ServiceUnavailable]: 503,
};

export interface ErrorDetail {
  field: string;
  message: string;
}

/**
 * The `details` of a `payment_action_required` error: what the client needs to let the guest
 * authenticate the card (Stripe.js `handleNextAction`, or a redirect to `next_action.redirect_to_url.url`).
 */
export interface PaymentActionDetails {
  payment_intent_id: string;
  client_secret: string;
  next_action: Record<string, unknown>;
}

/** What crosses the wire, over HTTP and inside NATS replies alike. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  /** Refused fields for most codes; the authentication to complete for `payment_action_required`. */
  details?: ErrorDetail[] | PaymentActionDetails;
}

export function isPaymentActionDetails(value: unknown): value is PaymentActionDetails {
  if (typeof value !== 'object' || value === null) return false;
  const { payment_intent_id, client_secret, next_action } = value as Partial<PaymentActionDetails>;
  return typeof payment_intent_id === 'string' && typeof client_secret === 'string' && typeof next_action === 'object' && next_action !== null;
}

export interface ErrorEnvelope {
  error: ErrorBody;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_STATUS_BY_CODE, value);
}

const ERROR_STATUS_BY_CODE: Record<string, number> = ERROR_STATUS;
