import { Module } from '@nestjs/common';
import { DatabaseModule, EventsModule } from '@vidivo/platform';
import { billingDatabase } from './billing.database';
import { BILLING_SCHEMA } from './billing.schema';
import { BillingHandler } from './billing/billing.handler';
import { BillingService } from './billing/billing.service';
import { CallEventsConsumer } from './billing/call-events.consumer';
import { Holds } from './billing/holds';
import { TopUpSweeper } from './billing/top-up.sweeper';
import { PaymentGateway } from './stripe/payment-gateway';

/** Money for calls: Stripe holds per window, top-ups while a call runs, the exact capture at the end, the ledger. */
@Module({
  imports: [DatabaseModule.forDomain(billingDatabase), EventsModule.forDomain({ schema: BILLING_SCHEMA, consumers: [CallEventsConsumer] })],
  controllers: [BillingHandler],
  providers: [BillingService, Holds, PaymentGateway, CallEventsConsumer, TopUpSweeper],
})
export class BillingModule {}
