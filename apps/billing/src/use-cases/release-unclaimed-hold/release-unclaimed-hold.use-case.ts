import { Injectable } from '@nestjs/common';
import { CallAccountsRepository } from '../../billing/call-accounts.repository';
import { Holds } from '../../billing/holds';
import { HoldsRepository } from '../../billing/holds.repository';
import { ReleaseUnclaimedHoldCommand } from './release-unclaimed-hold.command';

/** An authenticated first hold nobody joined with is given back after this long (decision 25). */
export const UNCLAIMED_HOLD_SECONDS = 15 * 60;

/**
 * Gives back a first hold that waited for an authentication nobody came back from (decision 25):
 * its PaymentIntents are cancelled, and the account is abandoned once Stripe has answered for all.
 */
@Injectable()
export class ReleaseUnclaimedHoldUseCase {
  constructor(
    private readonly accounts: CallAccountsRepository,
    private readonly holdRows: HoldsRepository,
    private readonly holds: Holds,
  ) {}

  async execute({ callId }: ReleaseUnclaimedHoldCommand): Promise<void> {
    const account = await this.accounts.take(callId, 'authenticating');
    if (!account) return; // taken up meanwhile, or another replica has it
    try {
      const waiting = (await this.holdRows.ofCall(callId)).filter((hold) => hold.status === 'requires_action');
      const results = await Promise.all(waiting.map((hold) => this.holds.cancel(hold)));
      if (results.every((result) => result.kind !== 'unknown')) await this.accounts.move(callId, ['authenticating'], 'abandoned');
    } finally {
      await this.accounts.release(callId);
    }
  }
}
