import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Outbox } from '@vidivo/platform';
import { DataSource, EntityManager } from 'typeorm';
import { BILLING_SCHEMA, BILLING_TABLES } from '../billing.schema';
import { BillingEvent } from './billing.events';

/**
 * authenticating: the first hold waits for the guest's card authentication (no call uses it yet);
 * holding: the first window is held, the call has not started; active: the clock runs and later
 * windows are held ahead of it; ending: a hold failed, the call is being ended; settled / failed:
 * the money is done; abandoned: an authenticated hold nobody came back for, released.
 */
export type AccountStatus = 'authenticating' | 'holding' | 'active' | 'ending' | 'settled' | 'failed' | 'abandoned';

/** What billing knows of a call it holds money for. */
export interface CallAccount {
  call_id: string;
  customer_id: string | null;
  /** The card of the holds: the one the guest gave, then the one Stripe saved to the Customer. */
  payment_method_id: string;
  rate_cents: number;
  window_size_minutes: number;
  status: AccountStatus;
  purpose: string | null;
  receipt_email: string | null;
  description: string | null;
  started_at: Date | null;
  settle_attempts: number;
  created_at: Date;
}

/** A row of billing.call_accounts as the driver answers it: every column, also those only SQL reads. */
interface CallAccountRow extends CallAccount {
  next_hold_at: Date | null;
  total_due_cents: number | null;
  captured_cents: number;
  settled_at: Date | null;
  busy_until: Date | null;
}

/** TypeORM answers an UPDATE … RETURNING with [rows, affected count]. */
type Updated<Row> = [Row[], number];

/** The account of a row, without the columns only the SQL here reads. */
function toCallAccount(row: CallAccountRow): CallAccount {
  return {
    call_id: row.call_id,
    customer_id: row.customer_id,
    payment_method_id: row.payment_method_id,
    rate_cents: row.rate_cents,
    window_size_minutes: row.window_size_minutes,
    status: row.status,
    purpose: row.purpose,
    receipt_email: row.receipt_email,
    description: row.description,
    started_at: row.started_at,
    settle_attempts: row.settle_attempts,
    created_at: row.created_at,
  };
}

export type NewCallAccount = Pick<
  CallAccount,
  'call_id' | 'customer_id' | 'payment_method_id' | 'rate_cents' | 'window_size_minutes' | 'purpose' | 'receipt_email' | 'description'
>;

/** How long one worker may keep a call's holds to itself before another may take over (a crash). */
const BUSY_SECONDS = 120;
const ACCOUNTS = BILLING_TABLES.callAccounts;
/** Which accounts {@link CallAccountsRepository.take} may take, as fixed SQL conditions. */
const TAKEN_WHEN = {
  any: 'TRUE',
  authenticating: `status = 'authenticating'`,
  topUpDue: `status = 'active' AND next_hold_at <= now()`,
} as const;

@Injectable()
export class CallAccountsRepository {
  constructor(
    @InjectDataSource(BILLING_SCHEMA) private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
  ) {}

  /**
   * Opens the account of a call, or gives it another card when every earlier try was declined or
   * left unauthenticated (a booked call's guest may retry). Undefined when the call is held already.
   */
  async open(account: NewCallAccount): Promise<CallAccount | undefined> {
    const rows = await this.dataSource.query<CallAccountRow[]>(
      `INSERT INTO ${ACCOUNTS} AS a (call_id, customer_id, payment_method_id, rate_cents, window_size_minutes, purpose, receipt_email, description)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (call_id) DO UPDATE SET payment_method_id = EXCLUDED.payment_method_id, customer_id = EXCLUDED.customer_id,
           receipt_email = EXCLUDED.receipt_email, status = 'holding'
         WHERE a.status IN ('holding', 'authenticating', 'abandoned')
           AND NOT EXISTS (SELECT 1 FROM ${BILLING_TABLES.holds} h WHERE h.call_id = a.call_id AND h.status NOT IN ('declined', 'requires_action', 'cancelled'))
       RETURNING *`,
      [
        account.call_id,
        account.customer_id,
        account.payment_method_id,
        account.rate_cents,
        account.window_size_minutes,
        account.purpose,
        account.receipt_email,
        account.description,
      ],
    );
    return rows[0] ? toCallAccount(rows[0]) : undefined;
  }

  async find(callId: string): Promise<CallAccount | undefined> {
    const [row] = await this.dataSource.query<CallAccountRow[]>(`SELECT * FROM ${ACCOUNTS} WHERE call_id = $1`, [callId]);
    return row ? toCallAccount(row) : undefined;
  }

  /**
   * Takes the call's holds for one worker (a join, the top-up sweep, a settlement) while it talks
   * to Stripe, instead of a row lock that would keep a transaction open across the request.
   * `when` narrows which accounts may be taken. Undefined when another worker has it.
   */
  async take(callId: string, when: keyof typeof TAKEN_WHEN = 'any'): Promise<CallAccount | undefined> {
    const [rows] = await this.dataSource.query<Updated<CallAccountRow>>(
      `UPDATE ${ACCOUNTS} SET busy_until = now() + $2 * interval '1 second'
        WHERE call_id = $1 AND (busy_until IS NULL OR busy_until < now()) AND ${TAKEN_WHEN[when]}
        RETURNING *`,
      [callId, BUSY_SECONDS],
    );
    return rows[0] ? toCallAccount(rows[0]) : undefined;
  }

  async release(callId: string): Promise<void> {
    await this.dataSource.query(`UPDATE ${ACCOUNTS} SET busy_until = NULL WHERE call_id = $1`, [callId]);
  }

  /**
   * Moves the account between statuses; false when it was not in `from` any more. `unsettled` also
   * requires that no settlement has begun; `announce` goes to the outbox in the same transaction,
   * only when the account moved.
   */
  async move(
    callId: string,
    from: AccountStatus[],
    to: AccountStatus,
    extra: { paymentMethodId?: string; customerId?: string; unsettled?: boolean; announce?: BillingEvent } = {},
  ): Promise<boolean> {
    const { announce } = extra;
    if (!announce) return this.moveWith(this.dataSource.manager, callId, from, to, extra);
    return this.dataSource.transaction(async (transaction) => {
      const moved = await this.moveWith(transaction, callId, from, to, extra);
      if (moved) await this.outbox.add(transaction, announce.subject, announce.payload);
      return moved;
    });
  }

  /** The host joined: the clock for the windows starts, the next hold is due `leadSeconds` before the first runs out. */
  async start(callId: string, startedAt: string, leadSeconds: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE ${ACCOUNTS}
          SET status = 'active', started_at = $2,
              next_hold_at = $2::timestamptz + (window_size_minutes * 60 - $3) * interval '1 second'
        WHERE call_id = $1 AND status = 'holding'`,
      [callId, startedAt, leadSeconds],
    );
  }

  /** Active calls whose next window's hold is due. */
  async dueForTopUp(limit: number): Promise<string[]> {
    const rows = await this.dataSource.query<Pick<CallAccountRow, 'call_id'>[]>(
      `SELECT call_id FROM ${ACCOUNTS} WHERE status = 'active' AND next_hold_at <= now() ORDER BY next_hold_at LIMIT $1`,
      [limit],
    );
    return rows.map((row) => row.call_id);
  }

  /** Window `window` is held: the next one is due `leadSeconds` before it runs out. */
  async heldThrough(callId: string, window: number, leadSeconds: number): Promise<void> {
    await this.dataSource.query(`UPDATE ${ACCOUNTS} SET next_hold_at = started_at + (window_size_minutes * 60 * $2 - $3) * interval '1 second' WHERE call_id = $1`, [
      callId,
      window,
      leadSeconds,
    ]);
  }

  /** First holds still waiting for an authentication begun before `olderThanSeconds` ago. */
  async authenticatingSince(olderThanSeconds: number, limit: number): Promise<string[]> {
    const rows = await this.dataSource.query<Pick<CallAccountRow, 'call_id'>[]>(
      `SELECT call_id FROM ${ACCOUNTS} WHERE status = 'authenticating' AND created_at <= now() - $1 * interval '1 second' ORDER BY created_at LIMIT $2`,
      [olderThanSeconds, limit],
    );
    return rows.map((row) => row.call_id);
  }

  /** Counts a settlement try; undefined when there is nothing (left) to settle. */
  async countSettleAttempt(callId: string): Promise<number | undefined> {
    const [rows] = await this.dataSource.query<Updated<Pick<CallAccountRow, 'settle_attempts'>>>(
      `UPDATE ${ACCOUNTS} SET settle_attempts = settle_attempts + 1
        WHERE call_id = $1 AND status NOT IN ('settled', 'failed', 'abandoned') RETURNING settle_attempts`,
      [callId],
    );
    return rows[0]?.settle_attempts;
  }

  /** The money of the call is done (`settled`) or given up (`failed`); `announce` says so, in the same transaction. */
  async settled(callId: string, status: 'settled' | 'failed', totalCents: number | null, capturedCents: number, announce: BillingEvent): Promise<void> {
    await this.dataSource.transaction(async (transaction) => {
      await transaction.query(`UPDATE ${ACCOUNTS} SET status = $2, total_due_cents = COALESCE($3, total_due_cents), captured_cents = $4, settled_at = now() WHERE call_id = $1`, [
        callId,
        status,
        totalCents,
        capturedCents,
      ]);
      await this.outbox.add(transaction, announce.subject, announce.payload);
    });
  }

  private async moveWith(
    transaction: EntityManager,
    callId: string,
    from: AccountStatus[],
    to: AccountStatus,
    extra: { paymentMethodId?: string; customerId?: string; unsettled?: boolean },
  ): Promise<boolean> {
    const [rows] = await transaction.query<Updated<Pick<CallAccountRow, 'call_id'>>>(
      `UPDATE ${ACCOUNTS} SET status = $3, payment_method_id = COALESCE($4, payment_method_id), customer_id = COALESCE($5, customer_id)
        WHERE call_id = $1 AND status = ANY($2) AND (NOT $6 OR settle_attempts = 0) RETURNING call_id`,
      [callId, from, to, extra.paymentMethodId ?? null, extra.customerId ?? null, extra.unsettled ?? false],
    );
    return rows.length > 0;
  }
}
