import { Injectable, Logger } from '@nestjs/common';
import { CallAccountsRepository } from '../../billing/call-accounts.repository';
import { EndCallBillingCommand } from './end-call-billing.command';

/**
 * Ends a call its holds no longer cover (decision 11): billing announces `billing.payment.failed`
 * and calls ends the call failed, charging the minutes used. Once per call, and never after its
 * settlement has begun.
 */
@Injectable()
export class EndCallBillingUseCase {
  private readonly logger = new Logger('billing');

  constructor(private readonly accounts: CallAccountsRepository) {}

  /** False when the call was not running any more (ended already, or being settled). */
  async execute({ callId, reason }: EndCallBillingCommand): Promise<boolean> {
    const moved = await this.accounts.move(callId, ['holding', 'active'], 'ending', {
      unsettled: true,
      announce: { subject: 'billing.payment.failed', payload: { call_id: callId, reason } },
    });
    if (moved) this.logger.warn(`call ${callId}: ${reason}; ending the call`);
    return moved;
  }
}
