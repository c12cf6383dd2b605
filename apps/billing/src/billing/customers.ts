import { Injectable } from '@nestjs/common';
import { ErrorCode, PayingGuest } from '@vidivo/contracts';
import { AppError } from '@vidivo/platform';
import { PaymentGateway } from '../stripe/payment-gateway';
import { CustomersRepository } from './customers.repository';

/** Stripe Customers: one per account, made the first time the account pays (decision 24). */
@Injectable()
export class Customers {
  constructor(
    private readonly customers: CustomersRepository,
    private readonly stripe: PaymentGateway,
  ) {}

  async customerFor(guest: PayingGuest, callId: string): Promise<string> {
    const known = await this.customers.customerOf(guest.id);
    if (known) return known;
    // Keyed by the call too: a lost answer must not be replayed to every later try of this account.
    const created = await this.stripe.createCustomer(`vidivo-customer-${guest.id}-${callId}`, guest.id, guest.display_name, guest.email ?? null);
    if (!created.ok) {
      if (created.failure.kind === 'unknown') throw AppError.serviceUnavailable('The payment provider is not reachable, please try again');
      throw new AppError(ErrorCode.StripeError, `The payment could not be set up: ${created.failure.message}`);
    }
    return this.customers.remember(guest.id, created.value.id);
  }
}
