import { randomUUID } from 'node:crypto';
import type Stripe from 'stripe';
import { Clock } from './clock';
import { EventStore } from './events.store';
import { FormObject } from './form-params.decoder';
import { newId, randomBase62 } from './ids';
import { ParamReader } from './params.reader';
import { JournaledMap } from './state-journal';
import { resourceMissing } from './stripe-api.error';
import { CardDecline } from './test-payment-methods';

export interface ChargeAttempt {
  intent: Stripe.PaymentIntent;
  paymentMethod: Stripe.PaymentMethod;
  /** A merchant-initiated payment (off_session): shorter authorization windows apply. */
  offSession: boolean;
  /** 3-D Secure was completed for it. */
  authenticated: boolean;
}

const HOUR = 3_600;
const DAY = 24 * HOUR;

/**
 * How long an uncaptured card authorization stays valid
 * (https://docs.stripe.com/payments/place-a-hold-on-a-payment-method#auth-and-capture-limitations):
 * 7 days for online card payments, and for Visa merchant-initiated ones "5 days", exactly 4 days
 * and 18 hours to leave time for clearing.
 */
function authorizationWindow(brand: string, offSession: boolean): number {
  return brand === 'visa' && offSession ? 4 * DAY + 18 * HOUR : 7 * DAY;
}

/** The Charges behind PaymentIntents (https://docs.stripe.com/api/charges): one per authorization attempt. */
export class ChargeStore {
  constructor(
    private readonly clock: Clock,
    private readonly events: EventStore,
    private readonly charges: JournaledMap<Stripe.Charge> = new JournaledMap(),
  ) {}

  /** An approved authorization: captured at once, or held until `capture_before` under manual capture. */
  authorize(attempt: ChargeAttempt): Stripe.Charge {
    const { intent } = attempt;
    const manual = intent.capture_method === 'manual';
    const charge = this.build(attempt, {
      status: 'succeeded',
      paid: true,
      captured: !manual,
      amount_captured: manual ? 0 : intent.amount,
      outcome: outcome('authorized', 'approved_by_network', null, 'Payment complete.'),
    });
    if (manual) {
      const card = charge.payment_method_details?.card;
      if (card) card.capture_before = charge.created + authorizationWindow(card.brand ?? '', attempt.offSession);
    }
    this.charges.set(charge.id, charge);
    this.events.emit('charge.succeeded', charge);
    return structuredClone(charge);
  }

  decline(attempt: ChargeAttempt, decline: CardDecline): Stripe.Charge {
    const charge = this.build(attempt, {
      status: 'failed',
      paid: false,
      captured: false,
      amount_captured: 0,
      failure_code: decline.code,
      failure_message: decline.message,
      outcome: outcome('issuer_declined', 'declined_by_network', decline.declineCode ?? decline.code, 'The bank did not return any further details with this decline.'),
    });
    this.charges.set(charge.id, charge);
    this.events.emit('charge.failed', charge);
    return structuredClone(charge);
  }

  /** Captures `amount` of the hold; the rest is released, which Stripe shows as refunded. */
  capture(id: string, amount: number): void {
    const charge = this.find(id);
    charge.captured = true;
    charge.amount_captured = amount;
    charge.amount_refunded = charge.amount - amount;
    this.charges.touch(id);
    this.events.emit('charge.captured', charge);
  }

  /** A canceled hold: the whole amount goes back. */
  release(id: string): void {
    const charge = this.find(id);
    charge.amount_refunded = charge.amount;
    charge.refunded = true;
    this.charges.touch(id);
  }

  /** The hold outlived its authorization window (https://docs.stripe.com/api/events/types#event_types-charge.expired). */
  expire(id: string): void {
    this.release(id);
    this.events.emit('charge.expired', this.find(id));
  }

  /** When an uncaptured authorization expires; undefined when it was not a hold. */
  captureBefore(id: string): number | undefined {
    const charge = this.find(id);
    return charge.captured ? undefined : charge.payment_method_details?.card?.capture_before;
  }

  markDisputed(id: string): void {
    this.find(id).disputed = true;
    this.charges.touch(id);
  }

  retrieve(id: string, params: FormObject): Stripe.Charge {
    new ParamReader(params, ['expand']).expansions();
    return this.snapshot(id, 'id', 404);
  }

  snapshot(id: string, param = 'charge', status = 400): Stripe.Charge {
    return structuredClone(this.find(id, param, status));
  }

  callIdOf(id: string): string | undefined {
    return this.charges.get(id)?.metadata.call_id;
  }

  private find(id: string, param = 'charge', status = 404): Stripe.Charge {
    const charge = this.charges.get(id);
    if (!charge) throw resourceMissing('charge', id, param, status);
    return charge;
  }

  private build(
    { intent, paymentMethod, authenticated }: ChargeAttempt,
    result: Pick<Stripe.Charge, 'status' | 'paid' | 'captured' | 'amount_captured' | 'outcome'> & Partial<Pick<Stripe.Charge, 'failure_code' | 'failure_message'>>,
  ): Stripe.Charge {
    const card = paymentMethod.card;
    return {
      id: newId('ch'),
      object: 'charge',
      amount: intent.amount,
      amount_refunded: 0,
      application: null,
      application_fee: null,
      application_fee_amount: null,
      balance_transaction: null,
      billing_details: paymentMethod.billing_details,
      calculated_statement_descriptor: null,
      created: this.clock.now(),
      currency: intent.currency,
      customer: intent.customer,
      description: intent.description,
      disputed: false,
      failure_balance_transaction: null,
      failure_code: null,
      failure_message: null,
      fraud_details: {},
      livemode: false,
      metadata: { ...intent.metadata },
      on_behalf_of: null,
      payment_intent: intent.id,
      payment_method: paymentMethod.id,
      payment_method_details: {
        type: 'card',
        card: {
          amount_authorized: result.paid ? intent.amount : null,
          authorization_code: result.paid ? String(100000 + Math.floor(Math.random() * 900000)) : null,
          brand: card?.brand ?? null,
          checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
          country: card?.country ?? null,
          electronic_commerce_indicator: authenticated ? '05' : null,
          exp_month: card?.exp_month ?? 12,
          exp_year: card?.exp_year ?? 2099,
          funding: card?.funding ?? null,
          installments: null,
          last4: card?.last4 ?? null,
          mandate: null,
          network: card?.brand ?? null,
          network_transaction_id: result.paid ? randomBase62(15) : null,
          regulated_status: 'unregulated',
          three_d_secure: authenticated
            ? {
                authentication_flow: 'challenge',
                electronic_commerce_indicator: '05',
                exemption_indicator: null,
                result: 'authenticated',
                result_reason: null,
                transaction_id: randomUUID(),
                version: '2.2.0',
              }
            : null,
          transaction_link_id: null,
          wallet: null,
        },
      },
      receipt_email: intent.receipt_email,
      receipt_number: null,
      receipt_url: null,
      refunded: false,
      review: null,
      shipping: null,
      source: null,
      source_transfer: null,
      statement_descriptor: null,
      statement_descriptor_suffix: intent.statement_descriptor_suffix,
      transfer_data: null,
      transfer_group: null,
      ...result,
    };
  }
}

function outcome(type: string, networkStatus: string, reason: string | null, sellerMessage: string): Stripe.Charge.Outcome {
  return {
    advice_code: null,
    network_advice_code: null,
    network_decline_code: null,
    network_status: networkStatus,
    reason,
    risk_level: 'normal',
    seller_message: sellerMessage,
    type,
  };
}
