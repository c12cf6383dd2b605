import { Inject, Injectable } from '@nestjs/common';
import { CallAccountsRepository } from '../../billing/call-accounts.repository';
import { Holds } from '../../billing/holds';
import { HoldsRepository } from '../../billing/holds.repository';
import { EndCallBillingUseCase } from '../end-call-billing/end-call-billing.use-case';
import { TopUpCallCommand } from './top-up-call.command';
import { BillingSettings, billingSettings } from '../../billing.settings';

/**
 * Places the next window's hold of a running call, off-session on the saved card, before the
 * covered time runs out (decision 11). A hold that is declined, needs an authentication the guest
 * cannot give, or cannot be placed before the covered time is up, ends the call.
 */
@Injectable()
export class TopUpCallUseCase {
  private readonly leadSeconds: number;

  constructor(
    private readonly accounts: CallAccountsRepository,
    private readonly holdRows: HoldsRepository,
    private readonly holds: Holds,
    private readonly endCallBilling: EndCallBillingUseCase,
    @Inject(billingSettings.token) settings: BillingSettings,
  ) {
    this.leadSeconds = settings.HOLD_TOPUP_LEAD_SECONDS;
  }

  async execute({ callId }: TopUpCallCommand): Promise<void> {
    const account = await this.accounts.take(callId, 'topUpDue');
    if (!account) return; // another replica has it, or it was settled meanwhile
    try {
      const window = await this.holdRows.nextWindow(callId);
      const result = await this.holds.place(account, window);
      if (result.kind === 'held') {
        await this.accounts.heldThrough(callId, window, this.leadSeconds);
        return;
      }
      const coveredUntil = account.started_at!.getTime() + (window - 1) * account.window_size_minutes * 60_000;
      if (result.kind === 'unknown' && Date.now() < coveredUntil) return; // try again on the next tick
      const why = result.kind === 'action_required' ? 'needs authentication' : result.message;
      await this.endCallBilling.execute({ callId, reason: `the hold for window ${window} failed (${why})` });
    } finally {
      await this.accounts.release(callId);
    }
  }
}
