import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor, SetMetadata, UseInterceptors, applyDecorators } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { normalizeIp } from '@nestjs/throttler';
import { ErrorCode } from '@vidivo/contracts';
import { AppError, AuthenticatedRequest } from '@vidivo/platform';
import type { Request, Response } from 'express';
import { Observable, catchError, from } from 'rxjs';
import { DeclinedPaymentsLimiter, PaymentAttempt } from './declined-payments.limiter';

/** Which path parameter names what is paid for, and what kind of thing it is. */
export interface PaidTarget {
  kind: 'link' | 'booking';
  param: string;
}

const PAID_TARGET = 'vidivo:declined-payments-target';

/**
 * Limits the declined card payments of a route that places a first hold (decision 35): past
 * DECLINED_PAYMENTS_PER_HOUR per address, guest or `target`, it answers 429 `rate_limited` with
 * `Retry-After` without asking Stripe.
 */
export const LimitDeclinedPayments = (target: PaidTarget) => applyDecorators(SetMetadata(PAID_TARGET, target), UseInterceptors(DeclinedPaymentsInterceptor));

/** A card refused by Stripe: the only answer that counts (`payment_action_required`, a 402 too, is not a refusal). */
function isDeclined(error: unknown): boolean {
  return error instanceof AppError && error.code === ErrorCode.StripeError;
}

/**
 * Runs inside the idempotency interceptor, after the auth guard: a replayed answer is not counted
 * again, and the guest is the verified caller. Its 429 is not kept for replay (decision 5).
 */
@Injectable()
export class DeclinedPaymentsInterceptor implements NestInterceptor {
  private readonly logger = new Logger('DeclinedPayments');

  constructor(
    private readonly limiter: DeclinedPaymentsLimiter,
    private readonly reflector: Reflector,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const target = this.reflector.get<PaidTarget | undefined>(PAID_TARGET, context.getHandler());
    if (!this.limiter.enabled || !target) return next.handle();
    const request = context.switchToHttp().getRequest<Request & AuthenticatedRequest>();
    const attempt: PaymentAttempt = {
      address: normalizeIp(request.ip ?? 'unknown'),
      guestId: request.actor?.id,
      target: { kind: target.kind, id: String(request.params[target.param] ?? '').toLowerCase() },
    };

    const refusal = await this.limiter.check(attempt);
    if (refusal) {
      context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(refusal.retryAfterSeconds));
      throw new AppError(ErrorCode.RateLimited, 'Too many declined payments; try again later');
    }
    return next.handle().pipe(catchError((error: unknown) => from(this.recordIfDeclined(attempt, error))));
  }

  /** Counts a declined card, then passes the refusal on; the caller gets it even if counting fails. */
  private async recordIfDeclined(attempt: PaymentAttempt, error: unknown): Promise<never> {
    if (isDeclined(error)) await this.limiter.recordDecline(attempt).catch((failure: unknown) => this.logger.error(`could not count a declined payment: ${String(failure)}`));
    throw error;
  }
}
