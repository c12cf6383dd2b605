import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Outbox } from '@vidivo/platform';
import { DataSource } from 'typeorm';
import { BILLING_SCHEMA, BILLING_TABLES } from '../billing.schema';
import { BillingEvent } from '../billing/billing.events';

export interface DisputeRecord {
  id: string;
  callId: string;
  paymentIntentId: string;
  amountCents: number;
  reason: string;
}

/** Stripe webhook events handled (by Stripe's event id), and the disputes they reported. */
@Injectable()
export class StripeEventsRepository {
  constructor(
    @InjectDataSource(BILLING_SCHEMA) private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
  ) {}

  async handled(eventId: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(`SELECT 1 FROM ${BILLING_TABLES.stripeEvents} WHERE id = $1`, [eventId]);
    return rows.length > 0;
  }

  async markHandled(eventId: string, type: string): Promise<void> {
    await this.dataSource.query(`INSERT INTO ${BILLING_TABLES.stripeEvents} (id, type) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING`, [eventId, type]);
  }

  /** Records the dispute and, in the same transaction, `announce`; false (and nothing announced) when it was recorded before. */
  async recordDispute(dispute: DisputeRecord, announce: BillingEvent): Promise<boolean> {
    return this.dataSource.transaction(async (transaction) => {
      const rows = await transaction.query<{ id: string }[]>(
        `INSERT INTO ${BILLING_TABLES.disputes} (id, call_id, payment_intent_id, amount_cents, reason) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING RETURNING id`,
        [dispute.id, dispute.callId, dispute.paymentIntentId, dispute.amountCents, dispute.reason],
      );
      if (rows.length === 0) return false;
      await this.outbox.add(transaction, announce.subject, announce.payload);
      return true;
    });
  }
}
