import { ErrorBody, ErrorCode, ErrorDetail, PaymentActionDetails, isErrorCode, isPaymentActionDetails } from '@vidivo/contracts';

/**
 * A failure the caller is meant to see. Services throw it; the one error filter turns it into the
 * envelope of decision 2, over HTTP or inside a NATS reply.
 */
export class AppError extends Error {
  override readonly name = 'AppError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
    /** For `payment_action_required`: the authentication to complete, sent as the envelope's `details`. */
    readonly paymentAction?: PaymentActionDetails,
  ) {
    super(message);
  }

  static validation(message: string, details?: ErrorDetail[]): AppError {
    return new AppError(ErrorCode.ValidationError, message, details);
  }

  static unauthorized(message = 'Authentication is required'): AppError {
    return new AppError(ErrorCode.Unauthorized, message);
  }

  static forbidden(message = 'You are not allowed to do this'): AppError {
    return new AppError(ErrorCode.Forbidden, message);
  }

  static notFound(what: string): AppError {
    return new AppError(ErrorCode.NotFound, `${what} not found`);
  }

  /** The card must be authenticated by the guest before the hold exists (decision 25). */
  static paymentActionRequired(message: string, details: PaymentActionDetails): AppError {
    return new AppError(ErrorCode.PaymentActionRequired, message, undefined, details);
  }

  static conflict(message: string): AppError {
    return new AppError(ErrorCode.Conflict, message);
  }

  /** A dependency is down for a moment; the client may retry (the filter adds `Retry-After`). */
  static serviceUnavailable(message: string): AppError {
    return new AppError(ErrorCode.ServiceUnavailable, message);
  }

  toBody(): ErrorBody {
    const details = this.paymentAction ?? this.details;
    return details ? { code: this.code, message: this.message, details } : { code: this.code, message: this.message };
  }

  /** Rebuilds an error that came back inside a reply; anything unrecognised is not trusted. */
  static fromBody(body: unknown): AppError | null {
    if (typeof body !== 'object' || body === null) return null;
    const { code, message, details } = body as Partial<ErrorBody>;
    if (!isErrorCode(code) || typeof message !== 'string') return null;
    if (code === ErrorCode.PaymentActionRequired) return new AppError(code, message, undefined, isPaymentActionDetails(details) ? details : undefined);
    return new AppError(code, message, Array.isArray(details) ? details : undefined);
  }
}
