import type Stripe from 'stripe';
import { HoldRequest, PaymentGateway, StripeFailure, StripeResult } from '../stripe/payment-gateway';
import { PublicPart } from './stand-in';

export type GatewayOperation = 'createCustomer' | 'createHold' | 'retrieve' | 'findHolds' | 'capture' | 'cancel';

/** One request as billing made it to the gateway. */
export interface GatewayRequest {
  operation: GatewayOperation;
  idempotencyKey?: string;
  intentId?: string;
  amountCents?: number;
  /** createHold: a later window, merchant-initiated (decision 24). */
  offSession?: boolean;
}

interface Fault {
  operation: GatewayOperation;
  failure: StripeFailure;
  /** The request took effect before the failure came back (a 500 after the fact, an answer lost on the way). */
  after: boolean;
  times: number;
}

/** Test cards, as Stripe's test tokens behave (https://docs.stripe.com/testing). */
export const TEST_CARDS = {
  visa: 'pm_card_visa',
  declined: 'pm_card_chargeDeclined',
  processingError: 'pm_card_chargeDeclinedProcessingError',
  /** 3-D Secure on every payment: on session it asks the guest, off session it is declined. */
  authenticationRequired: 'pm_card_authenticationRequired',
} as const;

/** A Stripe 500: the request is over and its key replays the 500 (decision 27). */
export const SERVER_ERROR: StripeFailure = { kind: 'unknown', code: 'api_error', message: 'Stripe answered 500', finished: true };
/** No answer: a timeout or a connection lost; the same key finds out. */
export const NO_ANSWER: StripeFailure = { kind: 'unknown', code: 'timeout', message: 'Stripe did not answer in time', finished: false };

const OPEN: Stripe.PaymentIntent.Status[] = ['requires_capture', 'requires_action', 'requires_payment_method', 'requires_confirmation'];

/**
 * The payment gateway in memory: PaymentIntents that behave as Stripe's (manual capture, the test
 * cards, saved cards, capture and cancel only while open), idempotency keys that replay their first
 * answer (a 500 included, a lost answer not), and faults scripted per operation.
 */
export class FakePaymentGateway implements PublicPart<PaymentGateway> {
  readonly requests: GatewayRequest[] = [];
  private readonly intents = new Map<string, Stripe.PaymentIntent>();
  private readonly replies = new Map<string, StripeResult<unknown>>();
  private readonly faults: Fault[] = [];
  private made = 0;

  /** The next `times` requests of `operation` fail so; with `after`, once they have taken effect. */
  fail(operation: GatewayOperation, failure: StripeFailure, options: { after?: boolean; times?: number } = {}): void {
    this.faults.push({ operation, failure, after: options.after ?? false, times: options.times ?? 1 });
  }

  /** A PaymentIntent as Stripe has it now. */
  intent(intentId: string): Stripe.PaymentIntent {
    return structuredClone(this.intents.get(intentId)!);
  }

  /** The PaymentIntents made for a call, oldest first. */
  intentsOf(callId: string): Stripe.PaymentIntent[] {
    return [...this.intents.values()].filter((intent) => intent.metadata.call_id === callId).map((intent) => structuredClone(intent));
  }

  /** Stripe itself cancels a hold (it expired, or someone cancelled it in the Dashboard). */
  cancelOutside(intentId: string): void {
    Object.assign(this.intents.get(intentId)!, { status: 'canceled', cancellation_reason: 'automatic' });
  }

  /** The guest answers the 3-D Secure challenge of a PaymentIntent in requires_action. */
  authenticate(intentId: string, outcome: 'succeed' | 'fail'): void {
    const intent = this.intents.get(intentId)!;
    intent.next_action = null;
    if (outcome === 'succeed') Object.assign(intent, { status: 'requires_capture', payment_method: `pm_saved_${intentId}` });
    else Object.assign(intent, { status: 'requires_payment_method', last_payment_error: { message: 'The provided PaymentMethod has failed authentication.' } });
  }

  /** The idempotency keys of one operation's requests, in order. */
  keysOf(operation: GatewayOperation): string[] {
    return this.requests.filter((request) => request.operation === operation).map((request) => request.idempotencyKey!);
  }

  createCustomer(idempotencyKey: string, userId: string, name: string, email: string | null): Promise<StripeResult<Stripe.Customer>> {
    return this.send({ operation: 'createCustomer', idempotencyKey }, () =>
      ok({ id: `cus_${userId}`, object: 'customer', name, email, metadata: { user_id: userId } } as unknown as Stripe.Customer),
    );
  }

  createHold(request: HoldRequest): Promise<StripeResult<Stripe.PaymentIntent>> {
    const offSession = !request.onSession;
    return this.send({ operation: 'createHold', idempotencyKey: request.idempotencyKey, amountCents: request.amountCents, offSession }, () => this.confirmHold(request));
  }

  retrieve(intentId: string): Promise<StripeResult<Stripe.PaymentIntent>> {
    return this.send({ operation: 'retrieve', intentId }, () => this.current(intentId));
  }

  findHolds(customerId: string, callId: string, window: number): Promise<StripeResult<Stripe.PaymentIntent[]>> {
    return this.send({ operation: 'findHolds' }, () =>
      ok(
        [...this.intents.values()]
          .filter((intent) => intent.customer === customerId && intent.metadata.call_id === callId && intent.metadata.window === String(window))
          .reverse()
          .map((intent) => structuredClone(intent)),
      ),
    );
  }

  capture(idempotencyKey: string, intentId: string, amountCents: number): Promise<StripeResult<Stripe.PaymentIntent>> {
    return this.send({ operation: 'capture', idempotencyKey, intentId, amountCents }, () => {
      const intent = this.intents.get(intentId);
      if (!intent) return missing(intentId);
      if (intent.status !== 'requires_capture' || amountCents > intent.amount) return unexpectedState(intent, 'capture');
      Object.assign(intent, { status: 'succeeded', amount_received: amountCents });
      return ok(structuredClone(intent));
    });
  }

  cancel(idempotencyKey: string, intentId: string): Promise<StripeResult<Stripe.PaymentIntent>> {
    return this.send({ operation: 'cancel', idempotencyKey, intentId }, () => {
      const intent = this.intents.get(intentId);
      if (!intent) return missing(intentId);
      if (!OPEN.includes(intent.status)) return unexpectedState(intent, 'cancel');
      Object.assign(intent, { status: 'canceled', cancellation_reason: 'requested_by_customer' });
      return ok(structuredClone(intent));
    });
  }

  verifyWebhook(): Stripe.Event | undefined {
    return undefined;
  }

  private confirmHold(request: HoldRequest): StripeResult<Stripe.PaymentIntent> {
    const id = `pi_fake_${++this.made}`;
    const card = request.paymentMethodId;
    const intent = {
      id,
      object: 'payment_intent',
      amount: request.amountCents,
      amount_received: 0,
      currency: 'usd',
      capture_method: 'manual',
      customer: request.customerId,
      // On session the card is saved to the Customer as a PaymentMethod of Stripe's own.
      payment_method: request.onSession ? `pm_saved_${id}` : card,
      metadata: { call_id: request.callId, window: String(request.window) },
      description: request.description,
      receipt_email: request.receiptEmail,
      status: 'requires_capture',
      client_secret: `${id}_secret_fake`,
      next_action: null,
      last_payment_error: null,
      latest_charge: null,
      cancellation_reason: null,
    } as unknown as Stripe.PaymentIntent;
    this.intents.set(id, intent);
    if (card === TEST_CARDS.declined) return this.decline(intent, 'card_declined', false);
    if (card === TEST_CARDS.processingError) return this.decline(intent, 'processing_error', true);
    if (card === TEST_CARDS.authenticationRequired && !request.onSession) return this.decline(intent, 'authentication_required', false);
    if (card === TEST_CARDS.authenticationRequired) {
      Object.assign(intent, {
        status: 'requires_action',
        payment_method: card,
        next_action: { type: 'redirect_to_url', redirect_to_url: { url: `https://fake.stripe/authenticate/${id}`, return_url: request.onSession?.returnUrl } },
      });
    }
    return ok(structuredClone(intent));
  }

  private decline(intent: Stripe.PaymentIntent, code: string, temporary: boolean): StripeResult<Stripe.PaymentIntent> {
    const message = `Your card was declined (${code}).`;
    Object.assign(intent, { status: 'requires_payment_method', last_payment_error: { code, message } });
    return { ok: false, failure: { kind: 'declined', code, message, temporary, intent: structuredClone(intent) } };
  }

  private current(intentId: string): StripeResult<Stripe.PaymentIntent> {
    const intent = this.intents.get(intentId);
    return intent ? ok(structuredClone(intent)) : missing(intentId);
  }

  /** A request with Stripe's idempotency: a key replays its first answer, a 500 included; an answer lost before anything happened leaves nothing to replay. */
  private async send<T>(request: GatewayRequest, run: () => StripeResult<T>): Promise<StripeResult<T>> {
    this.requests.push(request);
    const key = request.idempotencyKey;
    const saved = key === undefined ? undefined : this.replies.get(key);
    if (saved) return structuredClone(saved) as StripeResult<T>;
    const fault = this.takeFault(request.operation);
    const failed: StripeResult<T> | undefined = fault && { ok: false, failure: fault.failure };
    if (fault && !fault.after) {
      if (key !== undefined && !isLost(failed!)) this.replies.set(key, structuredClone(failed!));
      return failed!;
    }
    const answer = run();
    // It happened; if its answer was then lost, the key replays what happened, and a 500 is replayed as the 500.
    if (key !== undefined) this.replies.set(key, structuredClone(failed && !isLost(failed) ? failed : answer));
    return failed ?? answer;
  }

  private takeFault(operation: GatewayOperation): Fault | undefined {
    const fault = this.faults.find((candidate) => candidate.operation === operation && candidate.times > 0);
    if (fault) fault.times--;
    return fault;
  }
}

function ok<T>(value: T): StripeResult<T> {
  return { ok: true, value };
}

function isLost(result: StripeResult<unknown>): boolean {
  return !result.ok && result.failure.kind === 'unknown' && !result.failure.finished;
}

function missing(intentId: string): StripeResult<Stripe.PaymentIntent> {
  return { ok: false, failure: { kind: 'rejected', code: 'resource_missing', message: `No such payment_intent: '${intentId}'` } };
}

function unexpectedState(intent: Stripe.PaymentIntent, action: string): StripeResult<Stripe.PaymentIntent> {
  const message = `This PaymentIntent could not be ${action === 'capture' ? 'captured' : 'canceled'} because it has a status of ${intent.status}.`;
  return { ok: false, failure: { kind: 'rejected', code: 'payment_intent_unexpected_state', message, intent: structuredClone(intent) } };
}
