import type Stripe from 'stripe';
import { signatureHeader } from './webhook-signature';
import { WebhookTarget } from './webhook-endpoints.store';

export interface WebhookDispatcherOptions {
  /** Unix seconds for the signature's `t=`: the emulator's clock. */
  now(): number;
  /** Wait before the first retry; each further retry waits twice as long. */
  retryBaseMs: number;
  /** Attempts per event and endpoint, the first included. */
  maxAttempts: number;
  /** Called once per endpoint that answered 2xx. */
  onDelivered(eventId: string): void;
}

interface Delivery {
  event: Stripe.Event;
  target: WebhookTarget;
  attempt: number;
}

/** Stripe gives up on an endpoint that does not answer in time; the emulator waits this long. */
const ATTEMPT_TIMEOUT_MS = 10_000;

/**
 * Sends events to webhook endpoints as Stripe does (https://docs.stripe.com/webhooks): a signed
 * JSON POST, success being any 2xx (redirects are not followed), failures and connection errors
 * retried with exponential backoff. First attempts go out in the order events happened, one at a
 * time per endpoint; retries then run on their own, so a failing event never holds up the next.
 */
export class WebhookDispatcher {
  private readonly firstAttempts = new Map<string, Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly requests = new Set<AbortController>();
  private readonly idleWaiters: Array<() => void> = [];
  private pending = 0;
  private closed = false;

  constructor(private readonly options: WebhookDispatcherOptions) {}

  publish(event: Stripe.Event, targets: WebhookTarget[]): void {
    if (this.closed) return;
    for (const target of targets) {
      this.pending += 1;
      const queue = `${target.url}\u0000${target.secret}`;
      const previous = this.firstAttempts.get(queue) ?? Promise.resolve();
      const next = previous.then(() => this.attempt({ event, target, attempt: 1 }));
      this.firstAttempts.set(queue, next);
    }
  }

  /** Resolves once no delivery is under way or waiting to be retried. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops retries and cuts requests under way. */
  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const request of this.requests) request.abort();
    this.pending = 0;
    this.settle();
  }

  private async attempt(delivery: Delivery): Promise<void> {
    if (this.closed) return;
    if (await this.send(delivery)) {
      this.options.onDelivered(delivery.event.id);
      this.finish();
    } else if (delivery.attempt >= this.options.maxAttempts || this.closed) {
      this.finish();
    } else {
      const timer = setTimeout(
        () => {
          this.timers.delete(timer);
          void this.attempt({ ...delivery, attempt: delivery.attempt + 1 });
        },
        this.options.retryBaseMs * 2 ** (delivery.attempt - 1),
      );
      this.timers.add(timer);
    }
  }

  /** True when the endpoint answered 2xx. */
  private async send({ event, target }: Delivery): Promise<boolean> {
    const payload = JSON.stringify(event, null, 2);
    const controller = new AbortController();
    const timeout = setTimeout(() => controller.abort(), ATTEMPT_TIMEOUT_MS);
    this.requests.add(controller);
    try {
      const response = await fetch(target.url, {
        method: 'POST',
        redirect: 'manual',
        signal: controller.signal,
        headers: {
          'Content-Type': 'application/json; charset=utf-8',
          'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          'Stripe-Signature': signatureHeader(target.secret, this.options.now(), payload),
        },
        body: payload,
      });
      await response.arrayBuffer();
      return response.status >= 200 && response.status < 300;
    } catch {
      return false;
    } finally {
      clearTimeout(timeout);
      this.requests.delete(controller);
    }
  }

  private finish(): void {
    if (this.pending > 0) this.pending -= 1;
    this.settle();
  }

  private settle(): void {
    if (this.pending > 0) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
