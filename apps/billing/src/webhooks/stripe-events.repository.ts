import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { BILLING_SCHEMA } from '../billing.schema';

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
  constructor(@InjectDataSource(BILLING_SCHEMA) private readonly dataSource: DataSource) {}

  async handled(eventId: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(`SELECT 1 FROM billing.stripe_events WHERE id = $1`, [eventId]);
    return rows.length > 0;
  }

  async markHandled(eventId: string, type: string): Promise<void> {
    await this.dataSource.query(`INSERT INTO billing.stripe_events (id, type) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING`, [eventId, type]);
  }

  /** False when the dispute was recorded before. */
  async recordDispute(dispute: DisputeRecord, transaction: EntityManager): Promise<boolean> {
    const rows = await transaction.query<{ id: string }[]>(
      `INSERT INTO billing.disputes (id, call_id, payment_intent_id, amount_cents, reason) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING RETURNING id`,
      [dispute.id, dispute.callId, dispute.paymentIntentId, dispute.amountCents, dispute.reason],
    );
    return rows.length > 0;
  }
}
