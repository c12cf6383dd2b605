import { Injectable } from '@nestjs/common';
import { defineCounter } from '@vidivo/platform';
import type Stripe from 'stripe';
import { PaymentGateway, StripeResult } from '../stripe/payment-gateway';
import { CallAccount } from './call-accounts.repository';
import { Hold, HoldsRepository } from './holds.repository';
import { LedgerOperation, LedgerOutcome, LedgerRepository } from './ledger.repository';

const holdsPlaced = defineCounter({ name: 'billing_holds_placed_total', help: 'Holds Stripe authorized' });
const holdsFailed = defineCounter<'reason'>({
  name: 'billing_holds_failed_total',
  help: 'Holds Stripe did not authorize, by reason: declined (the card), rejected (the request) or unknown (Stripe not reached, timed out or failed)',
  labelNames: ['reason'],
});
for (const reason of ['declined', 'rejected', 'unknown']) holdsFailed.inc({ reason }, 0);
const capturedCents = defineCounter({ name: 'billing_captured_cents_total', help: 'Cents captured from holds' });

/** A PaymentIntent in these can still be captured or cancelled. */
const STILL_OPEN: Stripe.PaymentIntent.Status[] = ['requires_capture', 'requires_action', 'requires_payment_method', 'requires_confirmation'];

/** How many times one placing, capture or cancel tries (temporary declines, lost answers) before it reports. */
const TRIES = 3;

export type PlaceResult =
  /** `savedCard`: the PaymentMethod Stripe made of the card (a test token or Elements id becomes a `pm_…` of its own). */
  | { kind: 'held'; hold: Hold; savedCard?: string }
  /** The guest must authenticate the card (only ever for the first window, on-session). */
  | { kind: 'action_required'; hold: Hold; intent: Stripe.PaymentIntent }
  | { kind: 'declined'; message: string }
  /** Stripe could not be reached or its answer was lost, and looking it up failed too: try again later. */
  | { kind: 'unknown'; message: string };

export type ReleaseResult =
  | { kind: 'done' }
  /** The PaymentIntent was cancelled or expired outside the platform: the hold covers nothing any more. */
  | { kind: 'lost' }
  | { kind: 'refused'; message: string }
  | { kind: 'unknown'; message: string };

export interface PlaceMode {
  /** The first window, with the guest present (decision 24): may need authentication, saves the card. */
  onSession?: { returnUrl: string };
}

/**
 * Holds and what Stripe says about them (decisions 11, 24, 27). A hold row exists before its
 * Stripe request, and a lost outcome is found out, never guessed: an unanswered request is sent
 * again with the same key (Stripe replays it or runs it once); after a 5xx, which Stripe replays for
 * that key, the PaymentIntent is looked up, and only when Stripe has none does the next try get a
 * new key.
 */
@Injectable()
export class Holds {
  constructor(
    private readonly holds: HoldsRepository,
    private readonly ledger: LedgerRepository,
    private readonly stripe: PaymentGateway,
  ) {}

  /** Authorizes window `window` of a call, or learns how an earlier try went. */
  async place(account: CallAccount, window: number, mode: PlaceMode = {}): Promise<PlaceResult> {
    let hold = await this.holds.ensure(account, window);
    // A new try for a first hold that was declined, left unauthenticated (with another card) or given back unused.
    const anotherCard = hold.payment_method_id !== account.payment_method_id;
    if (((hold.status === 'declined' || hold.status === 'requires_action') && anotherCard) || hold.status === 'cancelled') {
      hold = await this.holds.switchCard(hold, account.payment_method_id);
    }
    if (hold.status === 'authorized') return { kind: 'held', hold };
    if (hold.status === 'requires_action') return this.lookUpIntent(hold, mode);
    if (hold.status !== 'pending') return { kind: 'declined', message: `The hold for window ${window} is ${hold.status}` };

    // A hold requested before (a lost answer, a crash) starts with the same key: Stripe replays what it did, or does it once.
    for (let tries = 1; tries <= TRIES; tries++) {
      hold = await this.holds.markRequested(hold);
      const key = `vidivo-hold-${hold.call_id}-${window}-${hold.attempt}`;
      const result = await this.stripe.createHold({
        idempotencyKey: key,
        amountCents: hold.amount_cents,
        customerId: account.customer_id!,
        paymentMethodId: hold.payment_method_id,
        callId: hold.call_id,
        window,
        description: account.description ?? `Call ${hold.call_id}`,
        receiptEmail: account.receipt_email,
        onSession: mode.onSession,
      });
      await this.record(hold, 'authorize', key, hold.amount_cents, result);
      if (result.ok) return this.follow(hold, result.value, mode);
      const { failure } = result;
      if (failure.kind === 'unknown' && !failure.finished) continue;
      if (failure.kind === 'unknown') {
        // Stripe finished the request with an error and will replay it for this key: what did it do?
        const found = await this.findPlaced(account, hold, mode);
        if (found) return found;
        hold = await this.holds.nextAttempt(hold);
        continue;
      }
      if (failure.kind === 'declined' && failure.temporary && tries < TRIES) {
        hold = await this.holds.nextAttempt(hold);
        continue;
      }
      await this.holds.declined(hold, failure.intent?.id ?? null);
      return { kind: 'declined', message: failure.message };
    }
    return unknownOutcome();
  }

  /**
   * Settles a hold left pending by a lost answer or a crash without placing anything new: it holds
   * if Stripe made it, and is declined if Stripe has no record of it.
   */
  async resolvePending(account: CallAccount, hold: Hold): Promise<PlaceResult> {
    const found = hold.requested_at ? await this.findPlaced(account, hold, {}) : undefined;
    if (found) return found;
    await this.holds.declined(hold, null);
    return { kind: 'declined', message: 'Stripe has no record of the hold' };
  }

  /** What Stripe now says of a hold that waited for the guest's authentication (decision 25). */
  async lookUpIntent(hold: Hold, mode: PlaceMode = {}): Promise<PlaceResult> {
    const result = await this.stripe.retrieve(hold.payment_intent_id!);
    await this.record(hold, 'lookup', hold.payment_intent_id!, 0, result);
    return result.ok ? this.follow(hold, result.value, mode) : unknownOutcome(result.failure.message);
  }

  /** Captures `amountCents` of an authorized hold (decision 11). */
  async capture(hold: Hold, amountCents: number): Promise<ReleaseResult> {
    return this.release(hold, 'capture', amountCents, (key) => this.stripe.capture(key, hold.payment_intent_id!, amountCents));
  }

  /** Gives an authorized (or never authenticated) hold back to the guest. */
  async cancel(hold: Hold): Promise<ReleaseResult> {
    return this.release(hold, 'cancel', 0, (key) => this.stripe.cancel(key, hold.payment_intent_id!));
  }

  /**
   * Releases a PaymentIntent made for a window that another PaymentIntent holds already (the answer
   * of an earlier try was lost and Stripe's search had not seen it yet), so no hold is left open.
   */
  async cancelStray(hold: Hold, intentId: string): Promise<void> {
    const key = `vidivo-cancel-${intentId}`;
    const result = await this.stripe.cancel(key, intentId);
    await this.record({ ...hold, payment_intent_id: intentId }, 'cancel', key, 0, result);
  }

  /** A capture or cancel, with a lost answer looked up on the PaymentIntent itself (decision 27). */
  private async release(
    hold: Hold,
    operation: 'capture' | 'cancel',
    amountCents: number,
    request: (key: string) => Promise<StripeResult<Stripe.PaymentIntent>>,
  ): Promise<ReleaseResult> {
    for (let tries = 1; tries <= TRIES; tries++) {
      const key = `vidivo-${operation}-${hold.id}-${hold.attempt}`;
      const result = await request(key);
      await this.record(hold, operation, key, amountCents, result);
      if (result.ok) return this.releasedAs(hold, result.value, operation);
      const { failure } = result;
      if (failure.kind === 'unknown' && !failure.finished) continue; // the same key finds out
      const current = failure.kind === 'declined' ? undefined : failure.kind === 'rejected' && failure.intent ? failure.intent : await this.currentIntent(hold);
      if (current && !STILL_OPEN.includes(current.status)) return this.releasedAs(hold, current, operation);
      if (failure.kind === 'unknown' && current) {
        hold = await this.holds.nextAttempt(hold); // still open after a finished 5xx: a new key, or the saved 5xx comes back
        continue;
      }
      if (failure.kind === 'unknown') return unknownOutcome(failure.message);
      await this.holds.released(hold, 'failed');
      return { kind: 'refused', message: failure.message };
    }
    return unknownOutcome();
  }

  /** Records where a PaymentIntent we captured or cancelled ended up, which may be elsewhere (expired, cancelled outside). */
  private async releasedAs(hold: Hold, intent: Stripe.PaymentIntent, operation: 'capture' | 'cancel'): Promise<ReleaseResult> {
    if (intent.status === 'succeeded') {
      await this.holds.captured(hold, intent.amount_received);
      capturedCents.inc(intent.amount_received);
      return { kind: 'done' };
    }
    if (intent.status === 'canceled' && operation === 'cancel') {
      await this.holds.released(hold, 'cancelled');
      return { kind: 'done' };
    }
    if (intent.status === 'canceled') {
      await this.holds.released(hold, 'expired');
      return { kind: 'lost' };
    }
    return { kind: 'refused', message: `The PaymentIntent is ${intent.status}` };
  }

  private async currentIntent(hold: Hold): Promise<Stripe.PaymentIntent | undefined> {
    const result = await this.stripe.retrieve(hold.payment_intent_id!);
    await this.record(hold, 'lookup', hold.payment_intent_id!, 0, result);
    return result.ok ? result.value : undefined;
  }

  /** The PaymentIntent an earlier try of this hold made, if Stripe has one that holds or awaits authentication. */
  private async findPlaced(account: CallAccount, hold: Hold, mode: PlaceMode): Promise<PlaceResult | undefined> {
    const lookup = `call ${hold.call_id} window ${hold.window_number}`;
    const searched = await this.stripe.findHolds(account.customer_id!, hold.call_id, hold.window_number);
    await this.record(hold, 'lookup', lookup, 0, searched);
    if (!searched.ok) return unknownOutcome(searched.failure.message);
    const placed = searched.value.find((intent) => intent.status === 'requires_capture') ?? searched.value.find((intent) => intent.status === 'requires_action');
    return placed ? this.follow(hold, placed, mode) : undefined;
  }

  /** Our hold row follows what the PaymentIntent says: only `requires_capture` holds money (decision 24). */
  private async follow(hold: Hold, intent: Stripe.PaymentIntent, mode: PlaceMode): Promise<PlaceResult> {
    if (intent.status === 'requires_capture') {
      const savedCard = typeof intent.payment_method === 'string' ? intent.payment_method : intent.payment_method?.id;
      return { kind: 'held', hold: await this.holds.authorized(hold, intent.id, captureBeforeOf(intent)), savedCard };
    }
    if (intent.status === 'requires_action' && mode.onSession) {
      return { kind: 'action_required', hold: await this.holds.requiresAction(hold, intent.id), intent };
    }
    if (intent.status === 'requires_action') {
      // A later window cannot be authenticated: the guest is in a call (decision 25). It fails like a decline.
      await this.cancel({ ...hold, payment_intent_id: intent.id, status: 'requires_action' });
      await this.holds.declined(hold, intent.id);
      return { kind: 'declined', message: 'The card needs authentication, which is not possible during a call' };
    }
    await this.holds.declined(hold, intent.id);
    return { kind: 'declined', message: intent.last_payment_error?.message ?? `The payment is ${intent.status}` };
  }

  private async record(hold: Hold, operation: LedgerOperation, key: string, amountCents: number, result: StripeResult<unknown>): Promise<void> {
    const intent = result.ok ? asIntent(result.value) : result.failure.kind === 'unknown' ? undefined : result.failure.intent;
    await this.ledger.record({
      callId: hold.call_id,
      holdId: hold.id,
      operation,
      key,
      amountCents,
      outcome: ledgerOutcome(result),
      paymentIntentId: intent?.id ?? hold.payment_intent_id,
      ...(result.ok ? {} : { errorCode: result.failure.code, errorMessage: result.failure.message }),
    });
    // Counted as the ledger records them: what Stripe said, whatever our side does next.
    if (operation !== 'authorize') return;
    if (result.ok && intent?.status === 'requires_capture') holdsPlaced.inc();
    else if (!result.ok) holdsFailed.inc({ reason: result.failure.kind });
  }
}

function ledgerOutcome(result: StripeResult<unknown>): LedgerOutcome {
  if (!result.ok) return result.failure.kind;
  const intent = asIntent(result.value);
  if (intent?.status === 'requires_action') return 'action_required';
  if (intent?.status === 'requires_payment_method') return 'declined';
  return 'succeeded';
}

function asIntent(value: unknown): Stripe.PaymentIntent | undefined {
  return (value as { object?: string } | undefined)?.object === 'payment_intent' ? (value as Stripe.PaymentIntent) : undefined;
}

/** Until when Stripe lets the hold be captured (Visa merchant-initiated holds expire sooner than others). */
function captureBeforeOf(intent: Stripe.PaymentIntent): Date | null {
  const charge = intent.latest_charge;
  const captureBefore = typeof charge === 'object' ? charge?.payment_method_details?.card?.capture_before : undefined;
  return captureBefore ? new Date(captureBefore * 1000) : null;
}

function unknownOutcome(message = 'Stripe could not be reached; no outcome yet'): PlaceResult & ReleaseResult {
  return { kind: 'unknown', message };
}
