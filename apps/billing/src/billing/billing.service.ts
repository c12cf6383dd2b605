import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CallSnapshot, ErrorCode, HoldDto, PlaceFirstHoldMessage } from '@vidivo/contracts';
import { formatCents, parseCents } from '@vidivo/money';
import { AppConfig, AppError, Outbox } from '@vidivo/platform';
import { DataSource, EntityManager } from 'typeorm';
import { BILLING_SCHEMA } from '../billing.schema';
import { capturePlan } from '../domain/capture-plan';
import { CallAccount, Hold, Holds } from './holds';

/** After this many tries a settlement that Stripe keeps refusing is given up and the call failed. */
export const MAX_SETTLE_ATTEMPTS = 6;

@Injectable()
export class BillingService {
  private readonly logger = new Logger('billing');
  private readonly leadSeconds: number;

  constructor(
    @InjectDataSource(BILLING_SCHEMA) private readonly dataSource: DataSource,
    private readonly holds: Holds,
    private readonly outbox: Outbox,
    config: AppConfig,
  ) {
    this.leadSeconds = config.env.HOLD_TOPUP_LEAD_SECONDS;
  }

  /** The hold for the first window, placed while the guest waits for the join answer (decision 11). */
  async placeFirstHold(request: PlaceFirstHoldMessage): Promise<HoldDto> {
    const result = await this.dataSource.transaction(async (transaction) => {
      await transaction.query(
        `INSERT INTO billing.call_accounts (call_id, payment_method_id, rate_cents, window_size_minutes) VALUES ($1, $2, $3, $4)
         ON CONFLICT (call_id) DO UPDATE SET payment_method_id = EXCLUDED.payment_method_id
           WHERE call_accounts.status = 'holding'
             AND NOT EXISTS (SELECT 1 FROM billing.holds h WHERE h.call_id = call_accounts.call_id AND h.status <> 'declined')`,
        [request.call_id, request.payment_method_id, parseCents(request.rate_per_minute), request.window_size_minutes],
      );
      return this.holds.place(transaction, await this.lockAccount(transaction, request.call_id), 1);
    });
    if (result.kind === 'declined') throw new AppError(ErrorCode.StripeError, `The payment could not be authorized: ${result.message}`);
    if (result.kind === 'unavailable') throw new AppError(ErrorCode.StripeError, 'The payment provider is not reachable; no hold was placed, please try again');
    const { hold } = result;
    return { hold_id: hold.id, call_id: hold.call_id, window: hold.window_number, amount: formatCents(hold.amount_cents), status: 'authorized' };
  }

  /** The host joined: the clock for the windows starts now. */
  async callStarted(call: CallSnapshot): Promise<void> {
    await this.dataSource.query(
      `UPDATE billing.call_accounts
          SET status = 'active', started_at = $2,
              next_hold_at = $2::timestamptz + (window_size_minutes * 60 - $3) * interval '1 second'
        WHERE call_id = $1 AND status = 'holding'`,
      [call.id, call.started_at, this.leadSeconds],
    );
  }

  /**
   * Places the next window's hold for calls whose covered time runs out within the lead time. A
   * hold that is declined, or that cannot be placed before the covered time is up, ends the call.
   */
  async topUpDueCalls(): Promise<number> {
    const due: Array<{ call_id: string }> = await this.dataSource.query(
      `SELECT call_id FROM billing.call_accounts WHERE status = 'active' AND next_hold_at <= now() ORDER BY next_hold_at LIMIT 50`,
    );
    for (const { call_id } of due) await this.topUp(call_id);
    return due.length;
  }

  private topUp(callId: string): Promise<void> {
    return this.dataSource.transaction(async (transaction) => {
      const [account]: CallAccount[] = await transaction.query(
        `SELECT * FROM billing.call_accounts WHERE call_id = $1 AND status = 'active' AND next_hold_at <= now() FOR UPDATE SKIP LOCKED`,
        [callId],
      );
      if (!account) return;
      const [{ window }] = await transaction.query(
        `SELECT COALESCE(max(window_number) FILTER (WHERE status <> 'pending'), 0) + 1 AS window FROM billing.holds WHERE call_id = $1`,
        [callId],
      );
      const result = await this.holds.place(transaction, account, window);
      const windowSeconds = account.window_size_minutes * 60;
      if (result.kind === 'authorized') {
        await transaction.query(
          `UPDATE billing.call_accounts SET next_hold_at = started_at + ($2 * $3 - $4) * interval '1 second' WHERE call_id = $1`,
          [callId, window, windowSeconds, this.leadSeconds],
        );
        return;
      }
      const coveredUntil = account.started_at!.getTime() + (window - 1) * windowSeconds * 1000;
      if (result.kind === 'unavailable' && Date.now() < coveredUntil) return; // try again on the next tick
      this.logger.warn(`call ${callId}: hold for window ${window} failed (${result.message}); ending the call`);
      await transaction.query(`UPDATE billing.call_accounts SET status = 'ending' WHERE call_id = $1`, [callId]);
      await this.outbox.add(transaction, 'billing.payment.failed', { call_id: callId, reason: result.message });
    });
  }

  /**
   * Takes exactly what the call cost from its holds and releases the rest (decision 11). Safe to
   * run again after any failure: finished holds are skipped and every Stripe request repeats
   * with its original idempotency key.
   */
  async settle(call: CallSnapshot): Promise<void> {
    // TypeORM answers an UPDATE with [rows, count].
    const [[attempt]]: [Array<{ settle_attempts: number }>, number] = await this.dataSource.query(
      `UPDATE billing.call_accounts SET settle_attempts = settle_attempts + 1 WHERE call_id = $1 AND status NOT IN ('settled', 'failed') RETURNING settle_attempts`,
      [call.id],
    );
    if (!attempt) return; // nothing held for this call, or already settled
    const totalCents = parseCents(call.total_charged)!;
    const outcome = await this.dataSource.transaction(async (transaction) => {
      const account = await this.lockAccount(transaction, call.id);
      if (account.status === 'settled' || account.status === 'failed') return 'done' as const;
      const holds: Hold[] = await transaction.query(`SELECT * FROM billing.holds WHERE call_id = $1 ORDER BY window_number FOR UPDATE`, [call.id]);
      for (const hold of holds.filter((h) => h.status === 'pending')) {
        const resolved = await this.holds.place(transaction, account, hold.window_number);
        if (resolved.kind === 'unavailable') return this.retryLater(transaction, account, `hold ${hold.id} outcome unknown: ${resolved.message}`);
        if (resolved.kind === 'authorized') Object.assign(hold, resolved.hold);
        else hold.status = 'declined';
      }
      const open = holds.filter((hold) => hold.status === 'authorized');
      // Holds captured by an earlier, interrupted try count towards the total.
      const capturedBefore = await this.capturedSoFar(transaction, call.id);
      const plan = capturePlan(
        open.map((hold) => ({ holdId: hold.id, amountCents: hold.amount_cents })),
        totalCents - capturedBefore,
      );
      let failure: string | null = null;
      for (const action of plan.actions) {
        const hold = open.find((h) => h.id === action.holdId)!;
        const result = action.action === 'capture' ? await this.holds.capture(transaction, hold, action.amountCents) : await this.holds.cancel(transaction, hold);
        if (result.kind === 'unavailable') return this.retryLater(transaction, account, `${action.action} of ${hold.id}: ${result.message}`);
        if (result.kind !== 'succeeded') failure ??= `${action.action} of ${hold.id} refused: ${result.message}`;
      }
      if (plan.shortfallCents > 0) this.logger.error(`call ${call.id}: holds short by ${formatCents(plan.shortfallCents)} of ${call.total_charged}`);
      const captured = await this.capturedSoFar(transaction, call.id);
      const status = failure ? 'failed' : 'settled';
      await transaction.query(`UPDATE billing.call_accounts SET status = $2, total_due_cents = $3, captured_cents = $4, settled_at = now() WHERE call_id = $1`, [
        call.id,
        status,
        totalCents,
        captured,
      ]);
      if (failure) {
        this.logger.error(`call ${call.id}: settlement failed: ${failure}`);
        await this.outbox.add(transaction, 'billing.settlement.failed', { call_id: call.id, reason: failure });
      } else {
        await this.outbox.add(transaction, 'billing.settlement.completed', {
          call_id: call.id,
          captured: formatCents(captured),
          cancelled_holds: plan.actions.filter((action) => action.action === 'cancel').length,
        });
      }
      return 'done' as const;
    });
    if (outcome === 'retry') throw new Error(`settlement of call ${call.id} will be retried`);
  }

  /** A transient failure: the event comes again later, until the attempts run out. */
  private async retryLater(transaction: EntityManager, account: CallAccount, reason: string): Promise<'retry' | 'done'> {
    if (account.settle_attempts < MAX_SETTLE_ATTEMPTS) return 'retry';
    this.logger.error(`call ${account.call_id}: settlement given up after ${account.settle_attempts} attempts: ${reason}`);
    await transaction.query(`UPDATE billing.call_accounts SET status = 'failed', settled_at = now() WHERE call_id = $1`, [account.call_id]);
    await this.outbox.add(transaction, 'billing.settlement.failed', { call_id: account.call_id, reason });
    return 'done';
  }

  private async capturedSoFar(transaction: EntityManager, callId: string): Promise<number> {
    const [{ sum }] = await transaction.query(`SELECT COALESCE(sum(captured_cents), 0)::int AS sum FROM billing.holds WHERE call_id = $1`, [callId]);
    return sum;
  }

  private async lockAccount(transaction: EntityManager, callId: string): Promise<CallAccount> {
    const [account]: CallAccount[] = await transaction.query(`SELECT * FROM billing.call_accounts WHERE call_id = $1 FOR UPDATE`, [callId]);
    return account;
  }
}
