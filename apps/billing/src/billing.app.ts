import { AppDefinition } from '@vidivo/platform';
import { BillingModule } from './billing.module';
import { BILLING_SCHEMA } from './billing.schema';
import { billingSettings } from './billing.settings';

export const billingApp: AppDefinition = {
  name: 'billing',
  imports: [BillingModule],
  databases: [BILLING_SCHEMA],
  settings: [billingSettings],
  answersMessages: true,
};
