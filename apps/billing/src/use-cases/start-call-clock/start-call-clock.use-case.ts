import { Inject, Injectable } from '@nestjs/common';
import { CallAccountsRepository } from '../../billing/call-accounts.repository';
import { StartCallClockCommand } from './start-call-clock.command';
import { BillingSettings, billingSettings } from '../../billing.settings';

/** The clock of the windows starts when the call does: the next window's hold is due HOLD_TOPUP_LEAD_SECONDS before the first runs out (decision 11). */
@Injectable()
export class StartCallClockUseCase {
  private readonly leadSeconds: number;

  constructor(
    private readonly accounts: CallAccountsRepository,
    @Inject(billingSettings.token) settings: BillingSettings,
  ) {
    this.leadSeconds = settings.HOLD_TOPUP_LEAD_SECONDS;
  }

  async execute({ callId, startedAt }: StartCallClockCommand): Promise<void> {
    await this.accounts.start(callId, startedAt, this.leadSeconds);
  }
}
