import { Injectable } from '@nestjs/common';
import { DomainEvent } from '@vidivo/contracts';
import { OnEvent } from '@vidivo/platform';
import { BillingService } from './billing.service';
import { SettlementService } from './settlement.service';

/** Billing follows the calls it holds money for: the clock starts at `started`, money moves at `ended`. */
@Injectable()
export class CallEventsConsumer {
  constructor(
    private readonly billing: BillingService,
    private readonly settlement: SettlementService,
  ) {}

  @OnEvent('calls.call.started')
  async onStarted(event: DomainEvent<'calls.call.started'>): Promise<void> {
    await this.billing.callStarted(event.payload.call);
  }

  @OnEvent('calls.call.ended')
  async onEnded(event: DomainEvent<'calls.call.ended'>): Promise<void> {
    await this.settlement.settle(event.payload.call);
  }
}
