import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { ErrorCode } from '@vidivo/contracts';
import { AppError, AuthenticatedRequest, expectedErrorResponse } from '@vidivo/platform';
import type { Request, Response } from 'express';
import { Observable, from, lastValueFrom, of } from 'rxjs';
import { ANONYMOUS_SCOPE, IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_REPLAYED_HEADER, parseIdempotencyKey, requestFingerprint } from './idempotency-key';
import { IdempotencyKeysRepository, KeyClaim, KeyRecord } from './idempotency-keys.repository';

/** A key that vanishes between our claim and our look (released, expired) is claimed again; this often at most. */
const CLAIM_ATTEMPTS = 3;

/**
 * Decision 5 at the HTTP edge: a POST with `X-Idempotency-Key` runs once per caller and key; a
 * repeat replays the first answer, errors included. Runs after the auth guard, so the key is
 * scoped to the verified caller; bound to the POST routes only (see GatewayModule), and a POST without
 * the header passes through untouched.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Idempotency');

  constructor(private readonly keys: IdempotencyKeysRepository) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<Request & AuthenticatedRequest>();
    const header = request.headers[IDEMPOTENCY_KEY_HEADER.toLowerCase()];
    if (request.method !== 'POST' || header === undefined) return next.handle();

    const key = parseIdempotencyKey(header);
    const scope = request.actor?.id ?? ANONYMOUS_SCOPE;
    const fingerprint = requestFingerprint(request.method, request.originalUrl, request.body);
    const response = context.switchToHttp().getResponse<Response>();

    for (let attempt = 1; attempt <= CLAIM_ATTEMPTS; attempt++) {
      const outcome = await this.keys.claim(scope, key, fingerprint);
      if ('claimed' in outcome) return from(this.runOnce(outcome.claimed, next, response));
      if ('existing' in outcome) return this.answerRepeat(outcome.existing, fingerprint, response);
    }
    throw AppError.conflict('A request with this idempotency key is being retried right now; try again');
  }

  private answerRepeat(existing: KeyRecord, fingerprint: string, response: Response): Observable<unknown> {
    if (existing.fingerprint !== fingerprint) {
      throw new AppError(ErrorCode.IdempotencyKeyReused, 'This idempotency key was already used for a different request');
    }
    if (existing.state === 'running') {
      throw AppError.conflict('The first request with this idempotency key is still in progress; retry later to get its result');
    }
    response.status(existing.responseStatus!).setHeader(IDEMPOTENT_REPLAYED_HEADER, 'true');
    return of(existing.responseBody ?? undefined);
  }

  /**
   * Runs the handler to the end even if the client goes away, then keeps its answer. Errors the
   * caller is meant to see are kept as the filter will send them; failures that did nothing that
   * counts (5xx, unexpected errors, refused input) free the key so a retry runs again.
   */
  private async runOnce(claim: KeyClaim, next: CallHandler, response: Response): Promise<unknown> {
    let body: unknown;
    try {
      body = await lastValueFrom(next.handle(), { defaultValue: undefined });
    } catch (error) {
      const answer = expectedErrorResponse(error);
      if (answer && isReplayable(answer.body.code, answer.status)) {
        await this.record(claim, answer.status, { error: answer.body });
      } else {
        await this.keys.release(claim).catch((failure: unknown) => this.logger.error(`could not release an idempotency key: ${String(failure)}`));
      }
      throw error;
    }
    await this.record(claim, response.statusCode, body);
    return body;
  }

  /** The caller gets the answer even if keeping it fails; the key's lock then runs out and a retry may run again. */
  private async record(claim: KeyClaim, status: number, body: unknown): Promise<void> {
    try {
      if (!(await this.keys.complete(claim, status, body))) {
        this.logger.warn(`a request outlasted the lock on its idempotency key, which another request took over; its answer is not kept`);
      }
    } catch (failure) {
      this.logger.error(`could not store the answer for an idempotency key: ${failure instanceof Error ? failure.stack : String(failure)}`);
    }
  }
}

/**
 * As Stripe does: 4xx answers are kept and replayed like successes, except when the request was
 * refused before anything ran (invalid input, rate limits), so the corrected request can use the key.
 */
function isReplayable(code: ErrorCode, status: number): boolean {
  return status < 500 && code !== ErrorCode.ValidationError && code !== ErrorCode.RateLimited;
}
