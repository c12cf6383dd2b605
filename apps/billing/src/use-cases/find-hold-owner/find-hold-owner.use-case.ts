import { Injectable } from '@nestjs/common';
import { HoldOwnerDto } from '@vidivo/contracts';
import { AppError } from '@vidivo/platform';
import { CallAccountsRepository } from '../../billing/call-accounts.repository';
import { HoldsRepository } from '../../billing/holds.repository';
import { FindHoldOwnerCommand } from './find-hold-owner.command';

/** Which call and purpose an authenticated first hold was made for (decision 25): the join that brings it back takes that call's id. */
@Injectable()
export class FindHoldOwnerUseCase {
  constructor(
    private readonly accounts: CallAccountsRepository,
    private readonly holds: HoldsRepository,
  ) {}

  async execute({ paymentIntentId }: FindHoldOwnerCommand): Promise<HoldOwnerDto> {
    const hold = await this.holds.byIntent(paymentIntentId);
    const account = hold?.window_number === 1 ? await this.accounts.find(hold.call_id) : undefined;
    if (!account?.purpose) throw AppError.conflict('This payment was not made for a call');
    return { call_id: account.call_id, purpose: account.purpose };
  }
}
