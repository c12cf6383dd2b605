import type Stripe from 'stripe';
import { ChargeStore } from './charges.store';
import { EventStore } from './events.store';
import { PaymentMethodRecord, PaymentMethodStore } from './payment-methods.store';
import { JournaledMap } from './state-journal';
import { StripeApiError, cardError, unexpectedState } from './stripe-api.error';
import { AUTHENTICATION_REQUIRED, CardDecline, GENERIC_DECLINE, TestCard } from './test-payment-methods';

export interface ConfirmOptions {
  /** Merchant-initiated: the customer is not there to authenticate. */
  offSession: boolean;
  returnUrl?: string;
  /** An injected 'decline' fault: an approving card declines like pm_card_chargeDeclined. */
  forceDecline: boolean;
}

export type AuthenticationOutcome = 'succeed' | 'fail';

export interface PendingAuthentication {
  paymentMethod: string;
  returnUrl?: string;
  forceDecline: boolean;
}

type AuthenticationNeed = 'none' | 'challenge' | 'impossible';

/** https://docs.stripe.com/error-codes/payment-intent-authentication-failure */
const AUTHENTICATION_FAILURE_MESSAGE =
  'The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.';

/**
 * What confirming a PaymentIntent does (https://docs.stripe.com/payments/paymentintents/lifecycle):
 * 3-D Secure when the card asks for it (requires_action on session, an authentication_required
 * decline off session), then the authorization: a hold, a payment or a decline that sends the
 * PaymentIntent back to requires_payment_method with `last_payment_error`.
 */
export class PaymentConfirmation {
  constructor(
    private readonly paymentMethods: PaymentMethodStore,
    private readonly charges: ChargeStore,
    private readonly events: EventStore,
    /** The emulator's page where the customer completes or fails authentication. */
    private readonly authenticationUrl: (intent: Stripe.PaymentIntent) => string,
    /** By PaymentIntent id. */
    private readonly pending: JournaledMap<PendingAuthentication> = new JournaledMap(),
  ) {}

  /** Mutates `intent`; a decline comes back as the 402 to answer (the changes are kept). */
  confirm(intent: Stripe.PaymentIntent, paymentMethod: PaymentMethodRecord, options: ConfirmOptions): StripeApiError | undefined {
    intent.payment_method = paymentMethod.id;
    intent.last_payment_error = null;
    intent.next_action = null;
    // Saved for future use (setup_future_usage), it stays usable; otherwise it is used up unless attached.
    if (!intent.setup_future_usage) this.paymentMethods.markUsed(paymentMethod.id);
    const need = authenticationNeed(paymentMethod.card, options.offSession, paymentMethod.setUpForOffSession);
    if (need === 'impossible') return this.fail(intent, paymentMethod.id, AUTHENTICATION_REQUIRED);
    if (need === 'challenge') {
      intent.status = 'requires_action';
      intent.next_action = this.nextAction(intent, options.returnUrl);
      this.pending.set(intent.id, { paymentMethod: paymentMethod.id, returnUrl: options.returnUrl, forceDecline: options.forceDecline });
      this.events.emit('payment_intent.requires_action', intent);
      return undefined;
    }
    return this.authorize(intent, paymentMethod, { offSession: options.offSession, authenticated: false, forceDecline: options.forceDecline });
  }

  /**
   * The customer's answer to the 3-D Secure challenge: success runs the authorization (which may
   * still decline), failure is `payment_intent_authentication_failure`. Answers the `return_url`.
   */
  authenticate(intent: Stripe.PaymentIntent, outcome: AuthenticationOutcome): string | undefined {
    const pending = this.pending.get(intent.id);
    if (intent.status !== 'requires_action' || !pending) {
      throw unexpectedState(`This PaymentIntent is not awaiting authentication: it has a status of ${intent.status}.`, structuredClone(intent));
    }
    this.pending.delete(intent.id);
    if (outcome === 'succeed') {
      this.authorize(intent, this.paymentMethods.record(pending.paymentMethod), { offSession: false, authenticated: true, forceDecline: pending.forceDecline });
    } else {
      const paymentMethod = this.paymentMethods.snapshot(pending.paymentMethod);
      this.reset(intent, {
        type: 'invalid_request_error',
        code: 'payment_intent_authentication_failure',
        doc_url: 'https://stripe.com/docs/error-codes/payment-intent-authentication-failure',
        message: AUTHENTICATION_FAILURE_MESSAGE,
        payment_method: paymentMethod,
        payment_method_type: paymentMethod.type,
      });
    }
    return pending.returnUrl;
  }

  /** A canceled PaymentIntent awaits no authentication. */
  forget(intentId: string): void {
    this.pending.delete(intentId);
  }

  private authorize(
    intent: Stripe.PaymentIntent,
    paymentMethod: PaymentMethodRecord,
    attempt: { offSession: boolean; authenticated: boolean; forceDecline: boolean },
  ): StripeApiError | undefined {
    intent.next_action = null;
    const chargeAttempt = { ...attempt, intent: structuredClone(intent), paymentMethod: this.paymentMethods.snapshot(paymentMethod.id) };
    const decline = attempt.forceDecline ? GENERIC_DECLINE : paymentMethod.card.decline;
    if (decline) return this.fail(intent, paymentMethod.id, decline, this.charges.decline(chargeAttempt, decline).id);
    intent.latest_charge = this.charges.authorize(chargeAttempt).id;
    if (intent.setup_future_usage) {
      this.paymentMethods.saveForFutureUse(paymentMethod.id, typeof intent.customer === 'string' ? intent.customer : null);
    }
    if (intent.capture_method === 'manual') {
      intent.status = 'requires_capture';
      intent.amount_capturable = intent.amount;
      this.events.emit('payment_intent.amount_capturable_updated', intent);
    } else {
      intent.status = 'succeeded';
      intent.amount_received = intent.amount;
      this.events.emit('payment_intent.succeeded', intent);
    }
    return undefined;
  }

  /** A card_error 402 carrying the PaymentIntent, which goes back to requires_payment_method. */
  private fail(intent: Stripe.PaymentIntent, paymentMethodId: string, decline: CardDecline, charge?: string): StripeApiError {
    const paymentMethod = this.paymentMethods.snapshot(paymentMethodId);
    if (charge) intent.latest_charge = charge;
    const error = cardError(decline, { ...(charge ? { charge } : {}), payment_method: paymentMethod });
    this.reset(intent, { ...error.error, payment_method_type: paymentMethod.type });
    error.error.payment_intent = structuredClone(intent);
    return error;
  }

  private reset(intent: Stripe.PaymentIntent, lastPaymentError: Stripe.PaymentIntent.LastPaymentError): void {
    intent.status = 'requires_payment_method';
    intent.payment_method = null;
    intent.next_action = null;
    intent.last_payment_error = lastPaymentError;
    this.events.emit('payment_intent.payment_failed', intent);
  }

  /** With a return_url Stripe redirects the customer (https://docs.stripe.com/payments/3d-secure/authentication-flow#manual-redirect); otherwise Stripe.js handles it. */
  private nextAction(intent: Stripe.PaymentIntent, returnUrl: string | undefined): Stripe.PaymentIntent.NextAction {
    const url = this.authenticationUrl(intent);
    return returnUrl === undefined
      ? { type: 'use_stripe_sdk', use_stripe_sdk: { type: 'three_d_secure_redirect', stripe_js: url } }
      : { type: 'redirect_to_url', redirect_to_url: { url, return_url: returnUrl } };
  }
}

/** The authentication cards of https://docs.stripe.com/testing#authentication-and-setup. */
function authenticationNeed(card: TestCard, offSession: boolean, setUpForOffSession: boolean): AuthenticationNeed {
  switch (card.authentication) {
    case undefined:
      return 'none';
    case 'unless_set_up':
      if (offSession) return setUpForOffSession ? 'none' : 'impossible';
      return 'challenge';
    case 'always':
    case 'three_d_secure_2':
      return offSession ? 'impossible' : 'challenge';
  }
}
