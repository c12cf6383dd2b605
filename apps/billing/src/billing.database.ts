import { DomainDatabase } from '@vidivo/platform';
import { BILLING_SCHEMA } from './billing.schema';
import { CreateBilling1764100200000 } from './migrations/1764100200000-create-billing';
import { HoldPaymentMethods1764100500000 } from './migrations/1764100500000-hold-payment-methods';
import { StripeCustomers1764100600000 } from './migrations/1764100600000-stripe-customers';

export const billingDatabase: DomainDatabase = {
  schema: BILLING_SCHEMA,
  entities: [],
  migrations: [CreateBilling1764100200000, HoldPaymentMethods1764100500000, StripeCustomers1764100600000],
};
