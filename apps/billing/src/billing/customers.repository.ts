import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BILLING_SCHEMA, BILLING_TABLES } from '../billing.schema';

/** The Stripe Customer of each account that has paid (decision 24). */
@Injectable()
export class CustomersRepository {
  constructor(@InjectDataSource(BILLING_SCHEMA) private readonly dataSource: DataSource) {}

  async customerOf(userId: string): Promise<string | undefined> {
    const [row] = await this.dataSource.query<{ stripe_customer_id: string }[]>(`SELECT stripe_customer_id FROM ${BILLING_TABLES.customers} WHERE user_id = $1`, [userId]);
    return row?.stripe_customer_id;
  }

  /** Keeps the first Customer recorded for the account; answers the one kept. */
  async remember(userId: string, customerId: string): Promise<string> {
    await this.dataSource.query(`INSERT INTO ${BILLING_TABLES.customers} (user_id, stripe_customer_id) VALUES ($1, $2) ON CONFLICT (user_id) DO NOTHING`, [userId, customerId]);
    return (await this.customerOf(userId))!;
  }
}
