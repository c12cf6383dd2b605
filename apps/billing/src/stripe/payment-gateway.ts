import { Inject, Injectable } from '@nestjs/common';
import Stripe from 'stripe';
import { BillingSettings, billingSettings } from '../billing.settings';
import { stripeClient } from './stripe-client';

export interface HoldRequest {
  idempotencyKey: string;
  amountCents: number;
  customerId: string;
  paymentMethodId: string;
  callId: string;
  window: number;
  description: string;
  receiptEmail: string | null;
  /**
   * The first window, with the guest present: the card is saved to the Customer for the later
   * windows, and may ask for authentication (then the guest comes back through `returnUrl`).
   * Later windows are merchant-initiated: off-session, no authentication possible.
   */
  onSession?: { returnUrl: string };
}

/** Why a Stripe request did not give us an object, in the terms billing decides on. */
export type StripeFailure =
  /** The card said no. `temporary` declines are worth another try with a new key (decision 27). */
  | { kind: 'declined'; code: string; message: string; temporary: boolean; intent?: Stripe.PaymentIntent }
  /** Stripe refused the request (state, parameters); `intent` is the PaymentIntent as it is, when Stripe sent it. */
  | { kind: 'rejected'; code: string; message: string; intent?: Stripe.PaymentIntent }
  /**
   * It may or may not have happened. `finished`: Stripe answered a 5xx, so the request is over and
   * its key will only ever replay that answer: look the object up. Otherwise (timeout, connection
   * lost, still running, rate limited) the same key finds out: Stripe replays it or runs it once.
   */
  | { kind: 'unknown'; code: string; message: string; finished: boolean };

export type StripeResult<T> = { ok: true; value: T } | { ok: false; failure: StripeFailure };

/** Declines Stripe documents as temporary: the same card may well go through on another try. */
const TEMPORARY_DECLINES = new Set(['processing_error', 'try_again_later', 'issuer_not_available']);
const RETRY_TRIES = 4;
const RETRY_BACKOFF_MS = 250;

/**
 * Every request billing makes to Stripe, through the official SDK, against Stripe or a
 * Stripe-compatible server (STRIPE_API_BASE). Nothing here decides what an outcome means for a
 * call; it only says what Stripe answered.
 */
@Injectable()
export class PaymentGateway {
  private readonly stripe: Stripe;
  private readonly webhookSecret?: string;

  constructor(@Inject(billingSettings.token) settings: BillingSettings) {
    // Our own policy below decides what is retried; the SDK only repeats a request whose connection closed before an answer.
    this.stripe = stripeClient(settings.STRIPE_SECRET_KEY, { apiBase: settings.STRIPE_API_BASE, timeoutMs: settings.STRIPE_TIMEOUT_MS, maxNetworkRetries: 0 });
    this.webhookSecret = settings.STRIPE_WEBHOOK_SECRET;
  }

  createCustomer(idempotencyKey: string, userId: string, name: string, email: string | null): Promise<StripeResult<Stripe.Customer>> {
    return this.send(() => this.stripe.customers.create({ name, ...(email ? { email } : {}), metadata: { user_id: userId } }, { idempotencyKey }));
  }

  /** A manual-capture PaymentIntent, confirmed at once; the answer's status says whether it holds money. */
  createHold(request: HoldRequest): Promise<StripeResult<Stripe.PaymentIntent>> {
    const params: Stripe.PaymentIntentCreateParams = {
      amount: request.amountCents,
      currency: 'usd',
      customer: request.customerId,
      payment_method: request.paymentMethodId,
      // Cards only, confirmed on our server (the Payment Element or a test token gives a card PaymentMethod).
      allowed_payment_method_types: ['card'],
      capture_method: 'manual',
      confirm: true,
      description: request.description,
      ...(request.receiptEmail ? { receipt_email: request.receiptEmail } : {}),
      metadata: { call_id: request.callId, window: String(request.window) },
      expand: ['latest_charge'],
      ...(request.onSession ? { setup_future_usage: 'off_session', return_url: request.onSession.returnUrl } : { off_session: true }),
    };
    return this.send(() => this.stripe.paymentIntents.create(params, { idempotencyKey: request.idempotencyKey }));
  }

  retrieve(intentId: string): Promise<StripeResult<Stripe.PaymentIntent>> {
    return this.send(() => this.stripe.paymentIntents.retrieve(intentId, { expand: ['latest_charge'] }));
  }

  /**
   * The PaymentIntents made for one window of a call, newest first (decision 27): by metadata
   * through the Search API, then, since Stripe's search index may lag a minute behind, through the
   * Customer's own list, which does not.
   */
  async findHolds(customerId: string, callId: string, window: number): Promise<StripeResult<Stripe.PaymentIntent[]>> {
    const query = `metadata['call_id']:'${callId}' AND metadata['window']:'${window}'`;
    const searched = await this.send(async () => (await this.stripe.paymentIntents.search({ query, limit: 20 })).data);
    if (!searched.ok || searched.value.length > 0) return searched;
    const ofWindow = (intent: Stripe.PaymentIntent) => intent.metadata.call_id === callId && intent.metadata.window === String(window);
    const listed = await this.send(async () => (await this.stripe.paymentIntents.list({ customer: customerId, limit: 100 })).data.filter(ofWindow));
    return listed;
  }

  capture(idempotencyKey: string, intentId: string, amountCents: number): Promise<StripeResult<Stripe.PaymentIntent>> {
    return this.send(() => this.stripe.paymentIntents.capture(intentId, { amount_to_capture: amountCents }, { idempotencyKey }));
  }

  cancel(idempotencyKey: string, intentId: string): Promise<StripeResult<Stripe.PaymentIntent>> {
    return this.send(() => this.stripe.paymentIntents.cancel(intentId, {}, { idempotencyKey }));
  }

  /** The event of a webhook delivery, or undefined when its signature does not hold (decision 26). */
  verifyWebhook(payload: string, signature: string): Stripe.Event | undefined {
    if (!this.webhookSecret) return undefined;
    try {
      return this.stripe.webhooks.constructEvent(payload, signature, this.webhookSecret, 300);
    } catch (error) {
      if (error instanceof Stripe.errors.StripeSignatureVerificationError) return undefined;
      throw error;
    }
  }

  /**
   * Runs a request, retrying with backoff what will not have happened yet: a 429 (unless
   * Stripe-Should-Retry says no) and a 409 for a key whose first request is still running (the
   * retry then gets that request's answer).
   */
  private async send<T>(request: () => Promise<T>): Promise<StripeResult<T>> {
    for (let tries = 1; ; tries++) {
      try {
        return { ok: true, value: await request() };
      } catch (error) {
        if (!(error instanceof Stripe.errors.StripeError)) throw error;
        const waitable = error.statusCode === 409 || (error.statusCode === 429 && error.headers?.['stripe-should-retry'] !== 'false');
        const retry = waitable && tries < RETRY_TRIES;
        if (!retry) return { ok: false, failure: classify(error) };
        await new Promise((resolve) => setTimeout(resolve, RETRY_BACKOFF_MS * 2 ** (tries - 1)));
      }
    }
  }
}

function classify(error: InstanceType<typeof Stripe.errors.StripeError>): StripeFailure {
  const code = error.decline_code || error.code || error.type;
  const message = error.message;
  const intent = error.payment_intent;
  if (error instanceof Stripe.errors.StripeCardError) {
    return { kind: 'declined', code, message, temporary: TEMPORARY_DECLINES.has(error.decline_code || error.code || ''), intent };
  }
  const unknown =
    error instanceof Stripe.errors.StripeConnectionError ||
    error instanceof Stripe.errors.StripeAPIError ||
    error instanceof Stripe.errors.StripeRateLimitError ||
    error.statusCode === 409 ||
    (error.statusCode ?? 500) >= 500;
  return unknown ? { kind: 'unknown', code, message, finished: (error.statusCode ?? 0) >= 500 } : { kind: 'rejected', code, message, intent };
}
