import { Injectable, Logger } from '@nestjs/common';
import { StripeWebhookMessage, StripeWebhookReceipt } from '@vidivo/contracts';
import { formatCents } from '@vidivo/money';
import { AppError } from '@vidivo/platform';
import type Stripe from 'stripe';
import { Holds } from '../billing/holds';
import { HoldsRepository } from '../billing/holds.repository';
import { EndCallBillingUseCase } from '../use-cases/end-call-billing/end-call-billing.use-case';
import { PaymentGateway } from '../stripe/payment-gateway';
import { StripeEventsRepository } from './stripe-events.repository';

/** Events that may mean a hold was captured or cancelled at Stripe. */
const RELEASING_EVENTS = new Set(['payment_intent.canceled', 'payment_intent.succeeded']);

/**
 * Stripe's webhooks (decision 26): signature checked, each event handled once, in any order. An
 * event only says that something changed; what changed is read from Stripe itself, so a late or
 * repeated event can never move a hold backwards.
 */
@Injectable()
export class StripeWebhooksService {
  private readonly logger = new Logger('stripe-webhooks');

  constructor(
    private readonly stripe: PaymentGateway,
    private readonly events: StripeEventsRepository,
    private readonly holdRows: HoldsRepository,
    private readonly holds: Holds,
    private readonly endCallBilling: EndCallBillingUseCase,
  ) {}

  async receive(message: StripeWebhookMessage): Promise<StripeWebhookReceipt> {
    const event = this.stripe.verifyWebhook(message.payload, message.signature);
    if (!event) {
      throw AppError.validation('The webhook signature is not valid', [{ field: 'Stripe-Signature', message: 'does not match the payload and the webhook secret' }]);
    }
    if (await this.events.handled(event.id)) return { received: true };
    if (event.type === 'charge.dispute.created') await this.disputed(event.data.object);
    else if (RELEASING_EVENTS.has(event.type)) await this.followHold(event.data.object as Stripe.PaymentIntent);
    else if (event.type === 'payment_intent.amount_capturable_updated') await this.releaseStray(event.data.object);
    await this.events.markHandled(event.id, event.type);
    return { received: true };
  }

  /**
   * A hold may have been captured or cancelled at Stripe. Nothing here waits for the workers that
   * talk to Stripe about the call: every change is conditional on the hold still being authorized,
   * and ending a call is a no-op once its settlement has begun.
   */
  private async followHold(reported: Stripe.PaymentIntent): Promise<void> {
    const hold = await this.holdRows.byIntent(reported.id);
    if (hold?.status !== 'authorized') return; // not ours, or placing, settling or done: those paths read Stripe themselves
    const intent = await this.current(hold.payment_intent_id!);
    if (intent.status === 'succeeded' && (await this.holdRows.capturedIfAuthorized(hold, intent.amount_received))) return;
    if (intent.status === 'canceled' && (await this.holdRows.expiredIfAuthorized(hold))) {
      // Expired, or cancelled in the Dashboard: it covers nothing any more, so a live call ends as if its next hold failed.
      await this.endCallBilling.execute({ callId: hold.call_id, reason: `the hold ${intent.id} was cancelled at Stripe (${intent.cancellation_reason ?? 'no reason given'})` });
    }
  }

  /** A PaymentIntent of one of our windows that is not the one the window is held with (a lost answer, tried again): released. */
  private async releaseStray(reported: Stripe.PaymentIntent): Promise<void> {
    const callId = reported.metadata?.call_id;
    const window = Number(reported.metadata?.window);
    if (!callId || (await this.holdRows.byIntent(reported.id))) return;
    const hold = (await this.holdRows.ofCall(callId)).find((candidate) => candidate.window_number === window);
    if (!hold || hold.status === 'pending' || hold.status === 'requires_action') return; // its placing is still being resolved
    if ((await this.current(reported.id)).status !== 'requires_capture') return;
    this.logger.warn(`call ${callId}: releasing ${reported.id}, a second hold for window ${window}`);
    await this.holds.cancelStray(hold, reported.id);
  }

  private async disputed(dispute: Stripe.Dispute): Promise<void> {
    const intentId = typeof dispute.payment_intent === 'string' ? dispute.payment_intent : dispute.payment_intent?.id;
    const hold = intentId ? await this.holdRows.byIntent(intentId) : undefined;
    if (!hold || !intentId) return;
    const recorded = await this.events.recordDispute(
      { id: dispute.id, callId: hold.call_id, paymentIntentId: intentId, amountCents: dispute.amount, reason: dispute.reason },
      {
        subject: 'billing.dispute.created',
        payload: { call_id: hold.call_id, payment_intent_id: intentId, dispute_id: dispute.id, amount: formatCents(dispute.amount), reason: dispute.reason },
      },
    );
    if (recorded) this.logger.warn(`call ${hold.call_id}: the guest disputed ${formatCents(dispute.amount)} (${dispute.reason})`);
  }

  private async current(intentId: string): Promise<Stripe.PaymentIntent> {
    const result = await this.stripe.retrieve(intentId);
    if (!result.ok) throw new Error(`PaymentIntent ${intentId} could not be read (${result.failure.message}); the event will be delivered again`);
    return result.value;
  }
}
