import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ERROR_STATUS, ErrorBody, ErrorCode } from '@vidivo/contracts';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { throwError } from 'rxjs';
// The file, not the database barrel: the barrel imports the config, which imports the errors.
import { DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable } from '../database/database-unavailable';
import { AppError } from './app-error';

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: ErrorCode.ValidationError,
  401: ErrorCode.Unauthorized,
  402: ErrorCode.StripeError,
  403: ErrorCode.Forbidden,
  404: ErrorCode.NotFound,
  409: ErrorCode.Conflict,
  413: ErrorCode.PayloadTooLarge,
  415: ErrorCode.UnsupportedMediaType,
  422: ErrorCode.IdempotencyKeyReused,
  429: ErrorCode.RateLimited,
};

/** What a 503 asks the client to wait: a bus reconnect or a free database connection takes about this long. */
export const RETRY_AFTER_SECONDS = 2;

/** What an error becomes on the wire: its status and the body inside `{ error }`. */
export interface ErrorResponse {
  status: number;
  body: ErrorBody;
}

/**
 * The response for an error the caller is meant to see (an AppError, or a Nest or Express 4xx),
 * exactly as the filter sends it; undefined for an unexpected error, which the filter turns into a
 * logged 500. The idempotency interceptor records results with it, so a replay matches the original.
 */
export function expectedErrorResponse(exception: unknown): ErrorResponse | undefined {
  if (exception instanceof AppError) return { body: exception.toBody(), status: ERROR_STATUS[exception.code] };
  if (isDatabaseUnavailable(exception)) return { body: { code: ErrorCode.ServiceUnavailable, message: DATABASE_UNAVAILABLE_MESSAGE }, status: 503 };

  const status = exception instanceof HttpException ? exception.getStatus() : (exception as { status?: unknown })?.status;
  const code = typeof status === 'number' ? CODE_BY_STATUS[status] : undefined;
  if (code && typeof status === 'number') return { body: { code, message: publicMessage(exception, status) }, status };
  return undefined;
}

/** Nest's and Express's own 4xx errors: keep their sentence only when it is meant for users. */
function publicMessage(exception: unknown, status: number): string {
  if (exception instanceof HttpException) {
    const response = exception.getResponse();
    if (typeof response === 'string') return response;
    const message = (response as { message?: unknown }).message;
    if (typeof message === 'string') return message;
  }
  if (status === 413) return 'The request body is too large';
  return (exception as Error).message || 'Bad request';
}

/**
 * The one exception filter: every error leaves as `{ error: { code, message, details? } }`, whether
 * it answers an HTTP request or a message. Unexpected errors are logged with an id and never leak
 * their text (no stack traces, no SQL).
 */
@Catch()
export class ErrorEnvelopeFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost) {
    const { body, status } = this.describe(exception);
    if (host.getType() === 'rpc') return throwError(() => body);

    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) return undefined;
    if (status === 503) response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    response.status(status).json({ error: body });
    return undefined;
  }

  private describe(exception: unknown): ErrorResponse {
    const expected = expectedErrorResponse(exception);
    if (expected) return expected;

    const errorId = randomUUID();
    this.logger.error(`error ${errorId}: ${exception instanceof Error ? exception.stack : String(exception)}`);
    return {
      body: { code: ErrorCode.InternalError, message: `Something went wrong on our side (error id ${errorId})` },
      status: 500,
    };
  }
}
