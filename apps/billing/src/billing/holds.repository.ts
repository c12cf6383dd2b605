import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ulid } from 'ulid';
import { BILLING_SCHEMA, BILLING_TABLES } from '../billing.schema';
import type { CallAccount } from './call-accounts.repository';

export type HoldStatus = 'pending' | 'requires_action' | 'authorized' | 'declined' | 'captured' | 'cancelled' | 'expired' | 'failed';

/** One billing window's authorization (decision 11). */
export interface Hold {
  id: string;
  call_id: string;
  window_number: number;
  amount_cents: number;
  status: HoldStatus;
  payment_intent_id: string | null;
  payment_method_id: string;
  /** Part of every idempotency key of the hold; raised only when Stripe is known to have no record of the last try. */
  attempt: number;
  /** Set when a request went out: a pending hold with it set has an outcome to look up. */
  requested_at: Date | null;
  captured_cents: number;
  capture_before: Date | null;
}

/** A row of billing.holds as the driver answers it: every column, also those only SQL reads. */
interface HoldRow extends Hold {
  created_at: Date;
  updated_at: Date;
}

/** TypeORM answers an UPDATE … RETURNING with [rows, affected count]. */
type Updated<Row> = [Row[], number];

/** The hold of a row, without the columns only the SQL here reads. */
function toHold(row: HoldRow): Hold {
  return {
    id: row.id,
    call_id: row.call_id,
    window_number: row.window_number,
    amount_cents: row.amount_cents,
    status: row.status,
    payment_intent_id: row.payment_intent_id,
    payment_method_id: row.payment_method_id,
    attempt: row.attempt,
    requested_at: row.requested_at,
    captured_cents: row.captured_cents,
    capture_before: row.capture_before,
  };
}

const HOLDS = BILLING_TABLES.holds;

/** The holds table; every change is one short statement, never a transaction around a Stripe request. */
@Injectable()
export class HoldsRepository {
  constructor(@InjectDataSource(BILLING_SCHEMA) private readonly dataSource: DataSource) {}

  /** The hold of a window, created pending on first use (one per window: the unique key keeps holds from doubling). */
  async ensure(account: CallAccount, window: number): Promise<Hold> {
    // One round trip: the new row, or the one already there as the statement's snapshot shows it.
    const [row] = await this.dataSource.query<HoldRow[]>(
      `WITH added AS (
         INSERT INTO ${HOLDS} (id, call_id, window_number, amount_cents, status, payment_method_id) VALUES ($1, $2, $3, $4, 'pending', $5)
         ON CONFLICT (call_id, window_number) DO NOTHING RETURNING *)
       SELECT * FROM added
       UNION ALL SELECT * FROM ${HOLDS} WHERE call_id = $2 AND window_number = $3 AND NOT EXISTS (SELECT 1 FROM added)`,
      [ulid(), account.call_id, window, account.rate_cents * account.window_size_minutes, account.payment_method_id],
    );
    if (row) return toHold(row);
    // A row committed by another statement while this one waited on it is not in that snapshot; a new statement sees it.
    return this.one(`SELECT * FROM ${HOLDS} WHERE call_id = $1 AND window_number = $2`, [account.call_id, window]);
  }

  async byIntent(intentId: string): Promise<Hold | undefined> {
    const [row] = await this.dataSource.query<HoldRow[]>(`SELECT * FROM ${HOLDS} WHERE payment_intent_id = $1`, [intentId]);
    return row ? toHold(row) : undefined;
  }

  async ofCall(callId: string): Promise<Hold[]> {
    const rows = await this.dataSource.query<HoldRow[]>(`SELECT * FROM ${HOLDS} WHERE call_id = $1 ORDER BY window_number`, [callId]);
    return rows.map(toHold);
  }

  /** The window a top-up places next: one past the last window that is not still pending. */
  async nextWindow(callId: string): Promise<number> {
    const [{ window }] = await this.dataSource.query<[{ window: number }]>(
      `SELECT COALESCE(max(window_number) FILTER (WHERE status <> 'pending'), 0) + 1 AS window FROM ${HOLDS} WHERE call_id = $1`,
      [callId],
    );
    return window;
  }

  async capturedSum(callId: string): Promise<number> {
    const [{ sum }] = await this.dataSource.query<[{ sum: number }]>(`SELECT COALESCE(sum(captured_cents), 0)::int AS sum FROM ${HOLDS} WHERE call_id = $1`, [callId]);
    return sum;
  }

  /** Another card for a window whose card was declined or not authenticated: a new try with new keys. */
  switchCard(hold: Hold, paymentMethodId: string): Promise<Hold> {
    return this.one(
      `UPDATE ${HOLDS} SET status = 'pending', payment_method_id = $2, payment_intent_id = NULL, attempt = attempt + 1, requested_at = NULL, updated_at = now()
        WHERE id = $1 RETURNING *`,
      [hold.id, paymentMethodId],
    );
  }

  markRequested(hold: Hold): Promise<Hold> {
    return this.one(`UPDATE ${HOLDS} SET requested_at = now(), updated_at = now() WHERE id = $1 RETURNING *`, [hold.id]);
  }

  /** Stripe has no record of the last try: the next one gets a new idempotency key. */
  nextAttempt(hold: Hold): Promise<Hold> {
    return this.one(`UPDATE ${HOLDS} SET attempt = attempt + 1, requested_at = NULL, updated_at = now() WHERE id = $1 RETURNING *`, [hold.id]);
  }

  authorized(hold: Hold, intentId: string, captureBefore: Date | null): Promise<Hold> {
    return this.set(hold, `status = 'authorized', payment_intent_id = $2, capture_before = $3`, [intentId, captureBefore]);
  }

  requiresAction(hold: Hold, intentId: string): Promise<Hold> {
    return this.set(hold, `status = 'requires_action', payment_intent_id = $2`, [intentId]);
  }

  declined(hold: Hold, intentId: string | null): Promise<Hold> {
    return this.set(hold, `status = 'declined', payment_intent_id = COALESCE($2, payment_intent_id)`, [intentId]);
  }

  captured(hold: Hold, cents: number): Promise<Hold> {
    return this.set(hold, `status = 'captured', captured_cents = $2`, [cents]);
  }

  /** Captured at Stripe while we still had it authorized; false when another path recorded it first. */
  async capturedIfAuthorized(hold: Hold, cents: number): Promise<boolean> {
    const [rows] = await this.dataSource.query<Updated<Pick<HoldRow, 'id'>>>(
      `UPDATE ${HOLDS} SET status = 'captured', captured_cents = $2, updated_at = now() WHERE id = $1 AND status = 'authorized' RETURNING id`,
      [hold.id, cents],
    );
    return rows.length > 0;
  }

  /** Cancelled or expired at Stripe while we still had it authorized; false when another path recorded it first. */
  async expiredIfAuthorized(hold: Hold): Promise<boolean> {
    const [rows] = await this.dataSource.query<Updated<Pick<HoldRow, 'id'>>>(
      `UPDATE ${HOLDS} SET status = 'expired', updated_at = now() WHERE id = $1 AND status = 'authorized' RETURNING id`,
      [hold.id],
    );
    return rows.length > 0;
  }

  /** `cancelled` when we released it; `expired` when Stripe or someone outside the platform did. */
  released(hold: Hold, status: 'cancelled' | 'expired' | 'failed'): Promise<Hold> {
    return this.set(hold, `status = $2`, [status]);
  }

  private set(hold: Hold, assignments: string, parameters: unknown[]): Promise<Hold> {
    return this.one(`UPDATE ${HOLDS} SET ${assignments}, updated_at = now() WHERE id = $1 RETURNING *`, [hold.id, ...parameters]);
  }

  private async one(sql: string, parameters: unknown[]): Promise<Hold> {
    const [row] = sql.startsWith('UPDATE') ? (await this.dataSource.query<Updated<HoldRow>>(sql, parameters))[0] : await this.dataSource.query<HoldRow[]>(sql, parameters);
    // Holds are never deleted: the statements here always find the row they name.
    if (!row) throw new Error(`No hold answered: ${sql}`);
    return toHold(row);
  }
}
