import { Injectable } from '@nestjs/common';
import { CallTransitions } from './call-transitions';
import { LinkUses } from './link-uses';

/** A join whose call no first hold backs: the call fails, and its link use goes back. */
@Injectable()
export class FailedJoins {
  constructor(
    private readonly transitions: CallTransitions,
    private readonly linkUses: LinkUses,
  ) {}

  /** Billing lets go of whatever it may hold for the call on its failed event (decision 9); unless the no-show sweep ended the call first. */
  async fail(callId: string): Promise<void> {
    await this.transitions.applyIfPossible(callId, 'billing_failed', (_, now) => ({ endedAt: now, endReason: 'billing_error' }));
    await this.linkUses.giveBack(callId);
  }
}
