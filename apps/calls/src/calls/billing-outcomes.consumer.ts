import { Injectable } from '@nestjs/common';
import { DomainEvent } from '@vidivo/contracts';
import { OnEvent } from '@vidivo/platform';
import { chargeFor } from '../domain/call-charge';
import { CallTransitions } from './call-transitions';

/** What billing reports back: a call that can no longer be paid for ends as failed (decision 11). */
@Injectable()
export class BillingOutcomesConsumer {
  constructor(private readonly transitions: CallTransitions) {}

  /** Billing could not hold the next window: the call ends as failed, charging the minutes used. */
  @OnEvent('billing.payment.failed')
  async onPaymentFailed(event: DomainEvent<'billing.payment.failed'>): Promise<void> {
    await this.transitions.applyIfPossible(event.payload.call_id, 'billing_failed', (ending, now) => ({
      endedAt: now,
      endReason: 'billing_error',
      ...chargeFor(ending.startedAt, now, ending.rateCents),
    }));
  }

  /** The capture after the call failed for good. */
  @OnEvent('billing.settlement.failed')
  async onSettlementFailed(event: DomainEvent<'billing.settlement.failed'>): Promise<void> {
    await this.transitions.applyIfPossible(event.payload.call_id, 'settlement_failed', () => ({}));
  }
}
