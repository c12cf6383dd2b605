import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ulid } from 'ulid';
import { BILLING_SCHEMA, BILLING_TABLES } from '../billing.schema';

export type LedgerOperation = 'authorize' | 'capture' | 'cancel' | 'lookup';
export type LedgerOutcome = 'succeeded' | 'action_required' | 'declined' | 'rejected' | 'unknown' | 'failed';

export interface LedgerEntry {
  callId: string;
  holdId: string;
  operation: LedgerOperation;
  /** The idempotency key sent, or what was looked up. */
  key: string;
  amountCents: number;
  outcome: LedgerOutcome;
  paymentIntentId: string | null;
  errorCode?: string;
  errorMessage?: string;
}

/**
 * Every request made to Stripe about a hold and what came of it, append-only. Written on its own,
 * never inside another change, so it records what happened at Stripe whatever our side does next.
 */
@Injectable()
export class LedgerRepository {
  constructor(@InjectDataSource(BILLING_SCHEMA) private readonly dataSource: DataSource) {}

  async record(entry: LedgerEntry): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO ${BILLING_TABLES.ledger} (id, call_id, hold_id, operation, idempotency_key, amount_cents, outcome, payment_intent_id, error_code, error_message)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        ulid(),
        entry.callId,
        entry.holdId,
        entry.operation,
        entry.key,
        entry.amountCents,
        entry.outcome,
        entry.paymentIntentId,
        entry.errorCode ?? null,
        entry.errorMessage?.slice(0, 500) ?? null,
      ],
    );
  }
}
