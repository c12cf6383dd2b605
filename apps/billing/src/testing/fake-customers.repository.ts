import { CustomersRepository } from '../billing/customers.repository';
import { PublicPart } from './stand-in';

/** billing.customers in memory: the first Stripe Customer recorded for an account is kept. */
export class FakeCustomersRepository implements PublicPart<CustomersRepository> {
  private readonly customers = new Map<string, string>();

  async customerOf(userId: string): Promise<string | undefined> {
    return this.customers.get(userId);
  }

  async remember(userId: string, customerId: string): Promise<string> {
    if (!this.customers.has(userId)) this.customers.set(userId, customerId);
    return this.customers.get(userId)!;
  }
}
