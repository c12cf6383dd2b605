import type Stripe from 'stripe';

/** A value now or later: the in-process emulator answers at once, one in another process over HTTP. */
export type MaybePromise<T> = T | Promise<T>;

/** A decoded form body or query as the emulator records it: strings, nested objects for `a[b]`, lists keyed '0', '1', … */
export type StripeFormParams = { [name: string]: string | StripeFormParams };

/** One Stripe API request as the emulator received and answered it (its `EmulatorRequest`). */
export interface RecordedStripeRequest {
  method: string;
  path: string;
  params: StripeFormParams;
  /** 0 when the connection was cut without an answer */
  status: number;
  /** the parsed JSON body answered; null when none was */
  response: unknown;
  idempotencyKey?: string;
  /** the `Stripe-Version` header */
  stripeVersion?: string;
}

/** A fault the emulator applies to the next matching requests (its `Fault`; see faults.registry.ts there). */
export interface EmulatorFault {
  method: 'GET' | 'POST';
  /** e.g. '/v1/payment_intents' or '/v1/payment_intents/:id/capture' */
  path: string;
  /** only requests about this call (metadata.call_id) */
  callId?: string;
  kind: 'error' | 'error_after' | 'disconnect' | 'rate_limit' | 'stall' | 'decline';
  stallMs?: number;
  shouldRetry?: boolean;
  /** default 1; Infinity for every matching request */
  times?: number;
}

/**
 * What a test needs of the Stripe emulator to inspect and steer it. The in-process `StripeEmulator`
 * of `@vidivo/app-stripe-emulator` has these methods (answering at once); {@link HttpEmulatorControl}
 * gives them for an emulator running as its own process. Callers always await the answers.
 */
export interface EmulatorControl {
  /** the emulator's base URL (billing's STRIPE_API_BASE) */
  readonly url: string;
  /** PaymentIntents as the API returns them, oldest first; optionally only one call's (metadata.call_id). */
  paymentIntents(filter?: { callId?: string }): MaybePromise<Stripe.PaymentIntent[]>;
  /** Every API request received, oldest first. */
  requests(): MaybePromise<RecordedStripeRequest[]>;
  clearRequests(): MaybePromise<void>;
  injectFault(fault: EmulatorFault): MaybePromise<unknown>;
  clearFaults(): MaybePromise<unknown>;
  /** The customer completes or fails 3-D Secure for a PaymentIntent in requires_action. */
  authenticate(paymentIntentId: string, outcome: 'succeed' | 'fail'): MaybePromise<Stripe.PaymentIntent>;
  /** Moves the emulator's clock forward (holds past their window expire); answers the new now (unix seconds). */
  advanceClock(seconds: number): MaybePromise<number>;
  /** The cardholder disputes a succeeded PaymentIntent's charge. */
  dispute(paymentIntentId: string): MaybePromise<Stripe.Dispute>;
  /** Resolves once no webhook delivery is under way or waiting for a retry. */
  webhooksDelivered(): MaybePromise<void>;
}

/** {@link EmulatorControl} over the emulator's HTTP control API (`/_emulator/…`), for an emulator in another process. */
export class HttpEmulatorControl implements EmulatorControl {
  constructor(readonly url: string) {}

  paymentIntents(filter: { callId?: string } = {}): Promise<Stripe.PaymentIntent[]> {
    const query = filter.callId === undefined ? '' : `?call_id=${encodeURIComponent(filter.callId)}`;
    return this.call('GET', `/_emulator/payment_intents${query}`);
  }

  requests(): Promise<RecordedStripeRequest[]> {
    return this.call('GET', '/_emulator/requests');
  }

  async clearRequests(): Promise<void> {
    await this.call('DELETE', '/_emulator/requests');
  }

  injectFault(fault: EmulatorFault): Promise<EmulatorFault> {
    // JSON has no Infinity: the emulator reads "Infinity" (or null) for it.
    const times = fault.times === Infinity ? 'Infinity' : fault.times;
    return this.call('POST', '/_emulator/faults', { ...fault, ...(times !== undefined ? { times } : {}) });
  }

  clearFaults(): Promise<{ cleared: number }> {
    return this.call('DELETE', '/_emulator/faults');
  }

  authenticate(paymentIntentId: string, outcome: 'succeed' | 'fail'): Promise<Stripe.PaymentIntent> {
    return this.call('POST', `/_emulator/payment_intents/${encodeURIComponent(paymentIntentId)}/authenticate`, { outcome });
  }

  async advanceClock(seconds: number): Promise<number> {
    return (await this.call<{ now: number }>('POST', '/_emulator/clock', { advance_seconds: seconds })).now;
  }

  dispute(paymentIntentId: string): Promise<Stripe.Dispute> {
    return this.call('POST', `/_emulator/payment_intents/${encodeURIComponent(paymentIntentId)}/dispute`);
  }

  async webhooksDelivered(): Promise<void> {
    await this.call('GET', '/_emulator/webhooks/delivered');
  }

  /** A control request; anything but a 2xx throws with the emulator's answer, as the in-process methods throw. */
  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`emulator control ${method} ${path} answered ${response.status}: ${text}`);
    return JSON.parse(text) as T;
  }
}
