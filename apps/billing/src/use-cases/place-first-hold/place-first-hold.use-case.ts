import { Injectable } from '@nestjs/common';
import { ErrorCode, HoldDto } from '@vidivo/contracts';
import { formatCents, parseCents } from '@vidivo/money';
import { AppError } from '@vidivo/platform';
import { CallAccount, CallAccountsRepository } from '../../billing/call-accounts.repository';
import { Customers } from '../../billing/customers';
import { Holds, PlaceResult } from '../../billing/holds';
import { Hold, HoldsRepository } from '../../billing/holds.repository';
import { PlaceFirstHoldCommand } from './place-first-hold.command';

const UNREACHABLE = 'The payment provider is not reachable; no hold was placed, please try again';

/**
 * The hold for the first window, placed while the guest waits for the join answer (decisions 11,
 * 24, 25): for the guest's Customer, saving the card for the later windows. A card that needs
 * authentication answers `payment_action_required`; the guest comes back with the PaymentIntent,
 * which then becomes the first hold, once. Only a PaymentIntent in `requires_capture` is a hold.
 */
@Injectable()
export class PlaceFirstHoldUseCase {
  constructor(
    private readonly accounts: CallAccountsRepository,
    private readonly holdRows: HoldsRepository,
    private readonly holds: Holds,
    private readonly customers: Customers,
  ) {}

  async execute(command: PlaceFirstHoldCommand): Promise<HoldDto> {
    if (command.payment_intent_id) return this.adoptAuthenticatedHold(command, command.payment_intent_id);
    const customerId = await this.customers.customerFor(command.guest, command.call_id);
    const opened = await this.accounts.open({
      call_id: command.call_id,
      customer_id: customerId,
      payment_method_id: command.payment_method_id!,
      rate_cents: parseCents(command.rate_per_minute)!,
      window_size_minutes: command.window_size_minutes,
      purpose: command.purpose,
      receipt_email: command.guest.email ?? null,
      description: `Call with ${command.host_name} at $${command.rate_per_minute}/min`,
    });
    if (!opened) throw AppError.conflict('This call already has its first hold');
    const result = await this.whileTaken(command.call_id, (account) => this.holds.place(account, 1, { onSession: { returnUrl: command.return_url } }));
    if (result.kind === 'action_required') {
      await this.accounts.move(command.call_id, ['holding', 'authenticating'], 'authenticating');
      throw AppError.paymentActionRequired('The card needs to be authenticated by its holder', {
        payment_intent_id: result.intent.id,
        client_secret: result.intent.client_secret!,
        next_action: result.intent.next_action as unknown as Record<string, unknown>,
      });
    }
    return this.firstHoldAnswer(command.call_id, result);
  }

  /** The guest is back from authenticating the card: that PaymentIntent becomes the first hold, once. */
  private async adoptAuthenticatedHold(command: PlaceFirstHoldCommand, intentId: string): Promise<HoldDto> {
    const hold = await this.holdRows.byIntent(intentId);
    const account = hold?.window_number === 1 ? await this.accounts.find(hold.call_id) : undefined;
    if (!hold || account?.call_id !== command.call_id || account.purpose !== command.purpose) {
      throw AppError.conflict('This payment was not made for this call');
    }
    if (account.status !== 'authenticating') throw AppError.conflict('This payment already backs a call');
    const result = await this.whileTaken(command.call_id, () => this.holds.lookUpIntent(hold, { onSession: { returnUrl: command.return_url } }));
    if (result.kind === 'action_required') throw AppError.conflict('The card has not been authenticated yet');
    if (result.kind === 'declined') throw new AppError(ErrorCode.StripeError, `The card could not be authenticated: ${result.message}`);
    return this.firstHoldAnswer(command.call_id, result);
  }

  private async firstHoldAnswer(callId: string, result: PlaceResult): Promise<HoldDto> {
    if (result.kind === 'declined') throw new AppError(ErrorCode.StripeError, `The payment could not be authorized: ${result.message}`);
    // Stripe did not answer: nothing is known to be refused, so the guest is asked to retry, not told the card failed (and it is not counted as a decline).
    if (result.kind !== 'held') throw AppError.serviceUnavailable(UNREACHABLE);
    // Later windows charge the card Stripe saved to the Customer, off-session (decision 24).
    const moved = await this.accounts.move(callId, ['holding', 'authenticating'], 'holding', { paymentMethodId: result.savedCard });
    if (!moved) throw AppError.conflict('This payment already backs a call');
    return holdDto(result.hold);
  }

  /** Runs `work` with the call's holds to itself (a lease, no transaction across Stripe); a second request for the same call meanwhile is a conflict. */
  private async whileTaken<T>(callId: string, work: (account: CallAccount) => Promise<T>): Promise<T> {
    const account = await this.accounts.take(callId);
    if (!account) throw AppError.conflict('A payment for this call is already in progress');
    try {
      return await work(account);
    } finally {
      await this.accounts.release(callId);
    }
  }
}

function holdDto(hold: Hold): HoldDto {
  return { hold_id: hold.id, call_id: hold.call_id, window: hold.window_number, amount: formatCents(hold.amount_cents), status: 'authorized' };
}
