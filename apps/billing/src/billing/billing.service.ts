import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CallSnapshot, ErrorCode, HoldDto, HoldOwnerDto, PlaceFirstHoldMessage } from '@vidivo/contracts';
import { formatCents, parseCents } from '@vidivo/money';
import { AppConfig, AppError, Outbox } from '@vidivo/platform';
import { DataSource } from 'typeorm';
import { BILLING_SCHEMA } from '../billing.schema';
import { CallAccount, CallAccountsRepository } from './call-accounts.repository';
import { Customers } from './customers';
import { Holds, PlaceResult } from './holds';
import { Hold, HoldsRepository } from './holds.repository';

const UNREACHABLE = 'The payment provider is not reachable; no hold was placed, please try again';
/** An authenticated first hold nobody joined with is given back after this long (decision 25). */
export const UNCLAIMED_HOLD_SECONDS = 15 * 60;

/** The holds of a call while it runs: the first one at join (with the card's authentication), then one per window. */
@Injectable()
export class BillingService {
  private readonly logger = new Logger('billing');
  private readonly leadSeconds: number;

  constructor(
    @InjectDataSource(BILLING_SCHEMA) private readonly dataSource: DataSource,
    private readonly accounts: CallAccountsRepository,
    private readonly holdRows: HoldsRepository,
    private readonly holds: Holds,
    private readonly customers: Customers,
    private readonly outbox: Outbox,
    config: AppConfig,
  ) {
    this.leadSeconds = config.env.HOLD_TOPUP_LEAD_SECONDS;
  }

  /**
   * The hold for the first window, placed while the guest waits for the join answer (decisions 11,
   * 24, 25): for the guest's Customer, saving the card for the later windows. A card that needs
   * authentication answers `payment_action_required`; the guest comes back with the PaymentIntent.
   */
  async placeFirstHold(request: PlaceFirstHoldMessage): Promise<HoldDto> {
    if (request.payment_intent_id) return this.adoptAuthenticatedHold(request, request.payment_intent_id);
    const customerId = await this.customers.customerFor(request.guest, request.call_id);
    const opened = await this.accounts.open({
      call_id: request.call_id,
      customer_id: customerId,
      payment_method_id: request.payment_method_id!,
      rate_cents: parseCents(request.rate_per_minute)!,
      window_size_minutes: request.window_size_minutes,
      purpose: request.purpose,
      receipt_email: request.guest.email ?? null,
      description: `Call with ${request.host_name} at $${request.rate_per_minute}/min`,
    });
    if (!opened) throw AppError.conflict('This call already has its first hold');
    const result = await this.whileTaken(request.call_id, (account) => this.holds.place(account, 1, { onSession: { returnUrl: request.return_url } }));
    if (result.kind === 'action_required') {
      await this.accounts.move(request.call_id, ['holding', 'authenticating'], 'authenticating');
      throw AppError.paymentActionRequired('The card needs to be authenticated by its holder', {
        payment_intent_id: result.intent.id,
        client_secret: result.intent.client_secret!,
        next_action: result.intent.next_action as unknown as Record<string, unknown>,
      });
    }
    return this.firstHoldAnswer(request.call_id, result);
  }

  /** Which call and purpose an authenticated first hold was made for (decision 25). */
  async ownerOf(intentId: string): Promise<HoldOwnerDto> {
    const hold = await this.holdRows.byIntent(intentId);
    const account = hold?.window_number === 1 ? await this.accounts.find(hold.call_id) : undefined;
    if (!account?.purpose) throw AppError.conflict('This payment was not made for a call');
    return { call_id: account.call_id, purpose: account.purpose };
  }

  /** The host joined: the clock for the windows starts now. */
  async callStarted(call: CallSnapshot): Promise<void> {
    await this.accounts.start(call.id, call.started_at!, this.leadSeconds);
  }

  /**
   * Places the next window's hold for calls whose covered time runs out within the lead time. A
   * hold that is declined, or that cannot be placed before the covered time is up, ends the call.
   */
  async topUpDueCalls(): Promise<number> {
    const due = await this.accounts.dueForTopUp(50);
    for (const callId of due) await this.topUp(callId);
    return due.length;
  }

  /** First holds that waited for an authentication nobody came back from are released (decision 25). */
  async releaseUnclaimedHolds(): Promise<number> {
    const stale = await this.accounts.authenticatingSince(UNCLAIMED_HOLD_SECONDS, 50);
    for (const callId of stale) {
      const account = await this.accounts.take(callId, 'authenticating');
      if (!account) continue;
      try {
        const waiting = (await this.holdRows.ofCall(callId)).filter((hold) => hold.status === 'requires_action');
        const results = await Promise.all(waiting.map((hold) => this.holds.cancel(hold)));
        if (results.every((result) => result.kind !== 'unknown')) await this.accounts.move(callId, ['authenticating'], 'abandoned');
      } finally {
        await this.accounts.release(callId);
      }
    }
    return stale.length;
  }

  /** Ends a call its holds no longer cover (decision 11): calls ends it failed, charging the minutes used. */
  async endForBilling(callId: string, reason: string): Promise<void> {
    await this.dataSource.transaction(async (transaction) => {
      const moved = await this.accounts.move(callId, ['holding', 'active'], 'ending', { unsettled: true }, transaction);
      if (!moved) return;
      this.logger.warn(`call ${callId}: ${reason}; ending the call`);
      await this.outbox.add(transaction, 'billing.payment.failed', { call_id: callId, reason });
    });
  }

  private async topUp(callId: string): Promise<void> {
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
      await this.endForBilling(callId, `the hold for window ${window} failed (${why})`);
    } finally {
      await this.accounts.release(callId);
    }
  }

  /** The guest is back from authenticating the card: that PaymentIntent becomes the first hold, once. */
  private async adoptAuthenticatedHold(request: PlaceFirstHoldMessage, intentId: string): Promise<HoldDto> {
    const hold = await this.holdRows.byIntent(intentId);
    const account = hold?.window_number === 1 ? await this.accounts.find(hold.call_id) : undefined;
    if (!hold || account?.call_id !== request.call_id || account.purpose !== request.purpose) {
      throw AppError.conflict('This payment was not made for this call');
    }
    if (account.status !== 'authenticating') throw AppError.conflict('This payment already backs a call');
    const result = await this.whileTaken(request.call_id, () => this.holds.lookUpIntent(hold, { onSession: { returnUrl: request.return_url } }));
    if (result.kind === 'action_required') throw AppError.conflict('The card has not been authenticated yet');
    if (result.kind === 'declined') throw new AppError(ErrorCode.StripeError, `The card could not be authenticated: ${result.message}`);
    return this.firstHoldAnswer(request.call_id, result);
  }

  private async firstHoldAnswer(callId: string, result: PlaceResult): Promise<HoldDto> {
    if (result.kind === 'declined') throw new AppError(ErrorCode.StripeError, `The payment could not be authorized: ${result.message}`);
    if (result.kind !== 'held') throw new AppError(ErrorCode.StripeError, UNREACHABLE);
    // Later windows charge the card Stripe saved to the Customer, off-session (decision 24).
    const moved = await this.accounts.move(callId, ['holding', 'authenticating'], 'holding', { paymentMethodId: result.savedCard });
    if (!moved) throw AppError.conflict('This payment already backs a call');
    return holdDto(result.hold);
  }

  /** Runs `work` with the call's holds to itself; a second request for the same call meanwhile is a conflict. */
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
