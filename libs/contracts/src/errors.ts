/** The error codes of the envelope (decision 2) and the HTTP status each one carries. */
export enum ErrorCode {
  ValidationError = 'validation_error',
  Unauthorized = 'unauthorized',
  StripeError = 'stripe_error',
  Forbidden = 'forbidden',
  NotFound = 'not_found',
  Conflict = 'conflict',
  IdempotencyKeyReused = 'idempotency_key_reused',
  RateLimited = 'rate_limited',
  InternalError = 'internal_error',
}

export const ERROR_STATUS: Record<ErrorCode, number> = {
  [ErrorCode.ValidationError]: 400,
  [ErrorCode.Unauthorized]: 401,
  [ErrorCode.StripeError]: 402,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.Conflict]: 409,
  [ErrorCode.IdempotencyKeyReused]: 422,
  [ErrorCode.RateLimited]: 429,
  [ErrorCode.InternalError]: 500,
};

export interface ErrorDetail {
  field: string;
  message: string;
}

/** What crosses the wire, over HTTP and inside NATS replies alike. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: ErrorDetail[];
}

export interface ErrorEnvelope {
  error: ErrorBody;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_STATUS_BY_CODE, value);
}

const ERROR_STATUS_BY_CODE: Record<string, number> = ERROR_STATUS;
