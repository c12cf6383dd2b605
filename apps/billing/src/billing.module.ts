import { Module } from '@nestjs/common';
import { DatabaseModule, EventsModule, JobsModule } from '@vidivo/platform';
import { billingDatabase } from './billing.database';
import { BILLING_SCHEMA } from './billing.schema';
import { BillingHandler } from './billing/billing.handler';
import { CallAccountsRepository } from './billing/call-accounts.repository';
import { CallEventsConsumer } from './billing/call-events.consumer';
import { Customers } from './billing/customers';
import { CustomersRepository } from './billing/customers.repository';
import { Holds } from './billing/holds';
import { HoldsRepository } from './billing/holds.repository';
import { LedgerRepository } from './billing/ledger.repository';
import { TopUpSweeper } from './billing/top-up.sweeper';
import { EndCallBillingUseCase } from './use-cases/end-call-billing/end-call-billing.use-case';
import { FindHoldOwnerUseCase } from './use-cases/find-hold-owner/find-hold-owner.use-case';
import { PlaceFirstHoldUseCase } from './use-cases/place-first-hold/place-first-hold.use-case';
import { ReleaseUnclaimedHoldUseCase } from './use-cases/release-unclaimed-hold/release-unclaimed-hold.use-case';
import { SettleCallUseCase } from './use-cases/settle-call/settle-call.use-case';
import { StartCallClockUseCase } from './use-cases/start-call-clock/start-call-clock.use-case';
import { TopUpCallUseCase } from './use-cases/top-up-call/top-up-call.use-case';
import { PaymentGateway } from './stripe/payment-gateway';
import { StripeEventsRepository } from './webhooks/stripe-events.repository';
import { StripeWebhooksService } from './webhooks/stripe-webhooks.service';

/** Money for calls: Stripe holds per window, top-ups while a call runs, the exact capture at the end, the ledger, Stripe's webhooks. */
@Module({
  imports: [DatabaseModule.forDomain(billingDatabase), EventsModule.forDomain({ schema: BILLING_SCHEMA, consumers: [CallEventsConsumer] }), JobsModule],
  controllers: [BillingHandler],
  providers: [
    PlaceFirstHoldUseCase,
    FindHoldOwnerUseCase,
    StartCallClockUseCase,
    TopUpCallUseCase,
    ReleaseUnclaimedHoldUseCase,
    EndCallBillingUseCase,
    SettleCallUseCase,
    StripeWebhooksService,
    Holds,
    Customers,
    PaymentGateway,
    CallAccountsRepository,
    HoldsRepository,
    LedgerRepository,
    CustomersRepository,
    StripeEventsRepository,
    CallEventsConsumer,
    TopUpSweeper,
  ],
})
export class BillingModule {}
