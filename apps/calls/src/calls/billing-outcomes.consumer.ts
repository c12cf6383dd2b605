import { Injectable } from '@nestjs/common';
import { DomainEvent } from '@vidivo/contracts';
import { OnEvent } from '@vidivo/platform';
import { CallsService } from './calls.service';

/** What billing reports back: a call that can no longer be paid for ends as failed (decision 11). */
@Injectable()
export class BillingOutcomesConsumer {
  constructor(private readonly calls: CallsService) {}

  @OnEvent('billing.payment.failed')
  async onPaymentFailed(event: DomainEvent<'billing.payment.failed'>): Promise<void> {
    await this.calls.failForBilling(event.payload.call_id);
  }

  @OnEvent('billing.settlement.failed')
  async onSettlementFailed(event: DomainEvent<'billing.settlement.failed'>): Promise<void> {
    await this.calls.failSettlement(event.payload.call_id);
  }
}
