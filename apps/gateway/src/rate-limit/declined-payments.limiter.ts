import { Inject, Injectable } from '@nestjs/common';
import { GatewaySettings, gatewaySettings } from '../gateway.settings';
import { CounterHit, RateCountersRepository, counterKey } from './rate-counters.repository';

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

/** An attempt let through: its hits are held until the outcome is known. */
export interface AttemptSlot {
  hits: CounterHit[];
}

export type AttemptDecision = { allowed: AttemptSlot } | { refused: { retryAfterSeconds: number } };

/**
 * Declined card payments per address, per guest and per link (decision 35), counted in Postgres
 * so every replica sees them. An attempt takes a slot in each of its counters before Stripe is
 * asked; a declined attempt keeps its slots and any other outcome gives them back. Slots are taken
 * before the outcome is known so that parallel attempts cannot all slip past a count they read at
 * once: at most the limit, declined or in flight, ever reach Stripe per counter and hour.
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

  async take(attempt: PaymentAttempt): Promise<AttemptDecision> {
    const limit = this.settings.DECLINED_PAYMENTS_PER_HOUR;
    const hits = await this.counters.hit(keysOf(attempt), { windowSeconds: WINDOW_SECONDS, limit });
    const over = hits.filter((hit) => hit.hits > limit);
    if (over.length === 0) return { allowed: { hits } };
    await this.counters.release(hits);
    return { refused: { retryAfterSeconds: Math.max(...over.map((hit) => hit.secondsLeft)) } };
  }

  /** A declined attempt keeps its slots for the rest of their windows; one that ended otherwise (held, authentication asked, refused for another reason) gives them back. */
  giveBack(slot: AttemptSlot): Promise<void> {
    return this.counters.release(slot.hits);
  }
}

function keysOf(attempt: PaymentAttempt): string[] {
  const keys = [counterKey('declined-payments', 'address', attempt.address), counterKey('declined-payments', attempt.target.kind, attempt.target.id)];
  if (attempt.guestId) keys.push(counterKey('declined-payments', 'guest', attempt.guestId));
  return keys;
}
