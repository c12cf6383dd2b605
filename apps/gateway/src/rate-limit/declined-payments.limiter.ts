import { Inject, Injectable } from '@nestjs/common';
import { GatewaySettings, gatewaySettings } from '../gateway.settings';
import { RateCountersRepository, counterKey } from './rate-counters.repository';

const WINDOW_SECONDS = 60 * 60;

/** Who pays and for what: each is counted on its own. */
export interface PaymentAttempt {
  /** The client address (IPv6 grouped by /64). */
  address: string;
  /** The guest's account when the join carries a token; an anonymous join makes a new guest each time (decision 8). */
  guestId?: string;
  /** What is paid for: a link's short code or a booking's id, with its kind. */
  target: { kind: string; id: string };
}

/** Refused: how long until the fullest counter's window ends. */
export interface AttemptRefusal {
  retryAfterSeconds: number;
}

/**
 * Declined card payments per address, per guest and per link (decision 35), counted in Postgres
 * so every replica sees them. Only declines count, recorded once Stripe has refused: attempts in
 * flight hold nothing, so guests behind one address (an office, a carrier's NAT) may pay at the
 * same time, and a gateway that dies mid-request leaves no count behind. The price: attempts
 * already under way when the limit is reached still reach Stripe, at most as many as run at once.
 */
@Injectable()
export class DeclinedPaymentsLimiter {
  constructor(
    private readonly counters: RateCountersRepository,
    @Inject(gatewaySettings.token) private readonly settings: GatewaySettings,
  ) {}

  get enabled(): boolean {
    return this.settings.DECLINED_PAYMENTS_PER_HOUR > 0;
  }

  /** A refusal when any of the attempt's counters is full; undefined when it may go to Stripe. */
  async check(attempt: PaymentAttempt): Promise<AttemptRefusal | undefined> {
    const full = (await this.counters.read(keysOf(attempt))).filter((counter) => counter.hits >= this.settings.DECLINED_PAYMENTS_PER_HOUR);
    return full.length ? { retryAfterSeconds: Math.max(...full.map((counter) => counter.secondsLeft)) } : undefined;
  }

  async recordDecline(attempt: PaymentAttempt): Promise<void> {
    await this.counters.hit(keysOf(attempt), { windowSeconds: WINDOW_SECONDS, limit: this.settings.DECLINED_PAYMENTS_PER_HOUR });
  }
}

function keysOf(attempt: PaymentAttempt): string[] {
  const keys = [counterKey('declined-payments', 'address', attempt.address), counterKey('declined-payments', attempt.target.kind, attempt.target.id)];
  if (attempt.guestId) keys.push(counterKey('declined-payments', 'guest', attempt.guestId));
  return keys;
}
