import { Injectable } from '@nestjs/common';
import { AppConfig } from '@vidivo/platform';
import Stripe from 'stripe';

export interface AuthorizeRequest {
  idempotencyKey: string;
  amountCents: number;
  paymentMethodId: string;
  callId: string;
  window: number;
}

/** How a Stripe request ended, in the terms billing decides on. */
export type StripeOutcome =
  | { kind: 'succeeded'; intentId: string }
  /** The card said no: retrying will not help. */
  | { kind: 'declined'; code: string; message: string }
  /** Stripe refused the request itself (state, parameters): retrying will not help either. */
  | { kind: 'rejected'; code: string; message: string }
  /** Network, timeout, 5xx, rate limit: the request may or may not have happened; retry with the same key. */
  | { kind: 'unavailable'; code: string; message: string };

/**
 * The PaymentIntent calls billing makes, through the official SDK, against Stripe or a
 * Stripe-compatible server (STRIPE_API_BASE). Every call carries an idempotency key derived from
 * our ids (decision 12), so a retry never doubles a hold or a capture.
 */
@Injectable()
export class PaymentGateway {
  private readonly stripe: Stripe;

  constructor(config: AppConfig) {
    const options: Stripe.StripeConfig = { maxNetworkRetries: 1, timeout: config.env.STRIPE_TIMEOUT_MS, telemetry: false };
    if (config.env.STRIPE_API_BASE) {
      const base = new URL(config.env.STRIPE_API_BASE);
      Object.assign(options, { protocol: base.protocol.replace(':', ''), host: base.hostname, port: base.port || undefined });
    }
    this.stripe = new Stripe(config.need('STRIPE_SECRET_KEY'), options);
  }

  authorize(request: AuthorizeRequest): Promise<StripeOutcome> {
    return this.outcomeOf(() =>
      this.stripe.paymentIntents.create(
        {
          amount: request.amountCents,
          currency: 'usd',
          payment_method: request.paymentMethodId,
          capture_method: 'manual',
          confirm: true,
          // Cards only, confirmed on our server: no redirect-based methods, so no return_url.
          automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
          metadata: { call_id: request.callId, window: String(request.window) },
        },
        { idempotencyKey: request.idempotencyKey },
      ),
    );
  }

  capture(idempotencyKey: string, intentId: string, amountCents: number): Promise<StripeOutcome> {
    return this.outcomeOf(() => this.stripe.paymentIntents.capture(intentId, { amount_to_capture: amountCents }, { idempotencyKey }));
  }

  cancel(idempotencyKey: string, intentId: string): Promise<StripeOutcome> {
    return this.outcomeOf(() => this.stripe.paymentIntents.cancel(intentId, {}, { idempotencyKey }));
  }

  private async outcomeOf(request: () => Promise<Stripe.PaymentIntent>): Promise<StripeOutcome> {
    try {
      const intent = await request();
      return { kind: 'succeeded', intentId: intent.id };
    } catch (error) {
      return classify(error);
    }
  }
}

function classify(error: unknown): StripeOutcome {
  if (!(error instanceof Stripe.errors.StripeError)) throw error;
  const code = error.decline_code ?? error.code ?? error.type;
  const message = error.message;
  if (error instanceof Stripe.errors.StripeCardError) return { kind: 'declined', code, message };
  const retryable =
    error instanceof Stripe.errors.StripeConnectionError ||
    error instanceof Stripe.errors.StripeAPIError ||
    error instanceof Stripe.errors.StripeRateLimitError ||
    (error instanceof Stripe.errors.StripeIdempotencyError && error.statusCode === 409) ||
    (error.statusCode ?? 500) >= 500;
  return { kind: retryable ? 'unavailable' : 'rejected', code, message };
}
