import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { defineCounter } from '@vidivo/platform';
import { DataSource, EntityManager } from 'typeorm';
import { ulid } from 'ulid';
import { BILLING_SCHEMA } from '../billing.schema';
import { PaymentGateway, StripeOutcome } from '../stripe/payment-gateway';

export interface CallAccount {
  call_id: string;
  payment_method_id: string;
  rate_cents: number;
  window_size_minutes: number;
  status: 'holding' | 'active' | 'ending' | 'settled' | 'failed';
  started_at: Date | null;
  settle_attempts: number;
}

export interface Hold {
  id: string;
  call_id: string;
  window_number: number;
  amount_cents: number;
  status: 'pending' | 'authorized' | 'declined' | 'captured' | 'cancelled' | 'failed';
  payment_intent_id: string | null;
  payment_method_id: string;
}

const holdsPlaced = defineCounter({ name: 'billing_holds_placed_total', help: 'Holds Stripe authorized' });
const holdsFailed = defineCounter<'reason'>({
  name: 'billing_holds_failed_total',
  help: 'Holds Stripe did not authorize, by reason: declined (the card), rejected (the request) or unavailable (Stripe not reached, timed out or failed)',
  labelNames: ['reason'],
});
for (const reason of ['declined', 'rejected', 'unavailable']) holdsFailed.inc({ reason }, 0);
const capturedCents = defineCounter({ name: 'billing_captured_cents_total', help: 'Cents captured from holds' });

export type HoldResult = { kind: 'authorized'; hold: Hold } | { kind: 'declined'; message: string } | { kind: 'unavailable'; message: string };

/**
 * Holds and what Stripe said about them. A hold row exists before its Stripe request, as
 * `pending`, so an outcome lost to a crash or a timeout is found and settled later by repeating the
 * request with the same idempotency key. Every Stripe request goes into the ledger, outside any
 * transaction: it records what happened at Stripe even when our own change is rolled back.
 */
@Injectable()
export class Holds {
  constructor(
    @InjectDataSource(BILLING_SCHEMA) private readonly dataSource: DataSource,
    private readonly stripe: PaymentGateway,
  ) {}

  /** Authorizes window `window` of a call (or learns how an earlier try went). */
  async place(transaction: EntityManager, account: CallAccount, window: number): Promise<HoldResult> {
    const amount = account.rate_cents * account.window_size_minutes;
    await transaction.query(
      `INSERT INTO billing.holds (id, call_id, window_number, amount_cents, status, payment_method_id) VALUES ($1, $2, $3, $4, 'pending', $5)
       ON CONFLICT (call_id, window_number) DO NOTHING`,
      [ulid(), account.call_id, window, amount, account.payment_method_id],
    );
    const [hold]: Hold[] = await transaction.query(`SELECT * FROM billing.holds WHERE call_id = $1 AND window_number = $2 FOR UPDATE`, [
      account.call_id,
      window,
    ]);
    if (hold.status === 'declined' && hold.payment_method_id !== account.payment_method_id) {
      // Another card for a hold that was declined: a new attempt, with its own idempotency key.
      await transaction.query(`UPDATE billing.holds SET status = 'pending', payment_method_id = $2, updated_at = now() WHERE id = $1`, [
        hold.id,
        account.payment_method_id,
      ]);
      Object.assign(hold, { status: 'pending', payment_method_id: account.payment_method_id });
    }
    if (hold.status === 'declined') return { kind: 'declined', message: 'The card was declined' };
    if (hold.status !== 'pending') return { kind: 'authorized', hold };

    const key = `vidivo-hold-${account.call_id}-${window}-${hold.payment_method_id}`;
    const outcome = await this.stripe.authorize({ idempotencyKey: key, amountCents: amount, paymentMethodId: hold.payment_method_id, callId: account.call_id, window });
    await this.record(hold, 'authorize', key, amount, outcome);
    if (outcome.kind === 'succeeded') {
      await transaction.query(`UPDATE billing.holds SET status = 'authorized', payment_intent_id = $2, updated_at = now() WHERE id = $1`, [hold.id, outcome.intentId]);
      return { kind: 'authorized', hold: { ...hold, status: 'authorized', payment_intent_id: outcome.intentId } };
    }
    if (outcome.kind === 'unavailable') return { kind: 'unavailable', message: outcome.message };
    await transaction.query(`UPDATE billing.holds SET status = 'declined', updated_at = now() WHERE id = $1`, [hold.id]);
    return { kind: 'declined', message: outcome.message };
  }

  async capture(transaction: EntityManager, hold: Hold, amountCents: number): Promise<StripeOutcome> {
    const key = `vidivo-capture-${hold.id}`;
    const outcome = await this.stripe.capture(key, hold.payment_intent_id!, amountCents);
    await this.record(hold, 'capture', key, amountCents, outcome);
    const status = outcome.kind === 'succeeded' ? 'captured' : outcome.kind === 'unavailable' ? hold.status : 'failed';
    const captured = outcome.kind === 'succeeded' ? amountCents : 0;
    await transaction.query(`UPDATE billing.holds SET status = $2, captured_cents = $3, updated_at = now() WHERE id = $1`, [hold.id, status, captured]);
    return outcome;
  }

  async cancel(transaction: EntityManager, hold: Hold): Promise<StripeOutcome> {
    const key = `vidivo-cancel-${hold.id}`;
    const outcome = await this.stripe.cancel(key, hold.payment_intent_id!);
    await this.record(hold, 'cancel', key, 0, outcome);
    const status = outcome.kind === 'succeeded' ? 'cancelled' : outcome.kind === 'unavailable' ? hold.status : 'failed';
    await transaction.query(`UPDATE billing.holds SET status = $2, updated_at = now() WHERE id = $1`, [hold.id, status]);
    return outcome;
  }

  private async record(hold: Hold, operation: 'authorize' | 'capture' | 'cancel', key: string, amountCents: number, outcome: StripeOutcome): Promise<void> {
    const result = outcome.kind === 'succeeded' ? 'succeeded' : outcome.kind === 'declined' ? 'declined' : 'failed';
    await this.dataSource.query(
      `INSERT INTO billing.ledger (id, call_id, hold_id, operation, idempotency_key, amount_cents, outcome, payment_intent_id, error_code, error_message)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        ulid(),
        hold.call_id,
        hold.id,
        operation,
        key,
        amountCents,
        result,
        outcome.kind === 'succeeded' ? outcome.intentId : hold.payment_intent_id,
        outcome.kind === 'succeeded' ? null : outcome.code,
        outcome.kind === 'succeeded' ? null : outcome.message.slice(0, 500),
      ],
    );
    // Counted as the ledger records them: what Stripe said, whatever our own transaction does next.
    if (operation === 'authorize' && outcome.kind === 'succeeded') holdsPlaced.inc();
    else if (operation === 'authorize') holdsFailed.inc({ reason: outcome.kind });
    else if (operation === 'capture' && outcome.kind === 'succeeded') capturedCents.inc(amountCents);
  }
}
