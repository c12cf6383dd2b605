import type Stripe from 'stripe';
import { Clock } from './clock';
import { CustomerStore } from './customers.store';
import { EventStore } from './events.store';
import { FormObject } from './form-params.decoder';
import { newId } from './ids';
import { ParamReader } from './params.reader';
import { JournaledMap } from './state-journal';
import { StripeApiError, cardError, invalidParam, parameterMissing, resourceMissing } from './stripe-api.error';
import { TEST_CARDS, TestCard } from './test-payment-methods';

/** What the payment flow needs to know of a PaymentMethod beyond its API object. */
export interface PaymentMethodRecord {
  readonly id: string;
  readonly card: TestCard;
  readonly customer: string | null;
  /** Set up for future off-session payments: saved through a PaymentIntent with setup_future_usage, authentication done. */
  readonly setUpForOffSession: boolean;
}

export interface StoredPaymentMethod {
  object: Stripe.PaymentMethod;
  card: TestCard;
  /** Used with a PaymentIntent while attached to no Customer: it may not be used again. */
  consumed: boolean;
  setUpForOffSession: boolean;
}

/**
 * The PaymentMethods of one emulator (https://docs.stripe.com/api/payment_methods), with Stripe's
 * rules for reusing them: without a Customer a PaymentMethod backs one PaymentIntent only; once
 * attached to a Customer it can be used again, but only together with that Customer.
 */
export class PaymentMethodStore {
  constructor(
    private readonly clock: Clock,
    private readonly customers: CustomerStore,
    private readonly events: EventStore,
    private readonly methods: JournaledMap<StoredPaymentMethod> = new JournaledMap(),
  ) {}

  /**
   * The PaymentMethod a PaymentIntent's `payment_method` names, checked for use with `customer`. A
   * test token such as `pm_card_visa` makes a new PaymentMethod each time, as on Stripe
   * (https://docs.stripe.com/testing?testing-method=payment-methods).
   */
  forPayment(value: string, customer: string | null): PaymentMethodRecord {
    const stored = this.resolve(value);
    const { id } = stored.object;
    const owner = ownerOf(stored);
    if (owner === null && stored.consumed) {
      throw invalidParam(
        'payment_method',
        'The provided PaymentMethod was previously used with a PaymentIntent without Customer attachment, shared with a connected account without Customer attachment, or was detached from a Customer. It may not be used again. To use a PaymentMethod multiple times, you must attach it to a Customer first.',
      );
    }
    if (owner !== null && customer === null) {
      throw invalidParam(
        'source',
        `The \`payment_method\` parameter supplied ${id} belongs to the Customer ${owner}. Please include the Customer in the \`customer\` parameter on the PaymentIntent.`,
        'parameter_missing',
      );
    }
    if (owner !== null && owner !== customer) {
      throw invalidParam(
        'payment_method',
        `The PaymentMethod ${id} does not belong to the Customer you supplied ${customer}. Please use this PaymentMethod with the Customer that it belongs to instead.`,
      );
    }
    return toRecord(stored);
  }

  /** A PaymentIntent was confirmed with it: unless attached to a Customer, it is used up. */
  markUsed(id: string): void {
    const stored = this.find(id);
    if (ownerOf(stored) === null) stored.consumed = true;
    this.methods.touch(id);
  }

  /**
   * setup_future_usage: a successful payment sets the PaymentMethod up for later payments and
   * attaches it to the PaymentIntent's Customer, if any (https://docs.stripe.com/payments/save-during-payment).
   */
  saveForFutureUse(id: string, customer: string | null): void {
    const stored = this.find(id);
    stored.setUpForOffSession = true;
    if (customer !== null && ownerOf(stored) === null) this.attachTo(stored, customer);
    this.methods.touch(id);
  }

  /** `POST /v1/payment_methods/:id/attach` (https://docs.stripe.com/api/payment_methods/attach). */
  attach(id: string, params: FormObject): Stripe.PaymentMethod {
    const reader = new ParamReader(params, ['customer', 'expand']);
    reader.expansions();
    const customer = reader.optionalString('customer');
    if (customer === undefined) throw parameterMissing('customer');
    const stored = this.find(id);
    this.customers.find(customer, 'customer');
    const owner = ownerOf(stored);
    if (owner === customer) return structuredClone(stored.object);
    if (owner !== null) throw invalidParam('payment_method', 'The payment method you provided has already been attached to a customer.');
    if (stored.consumed) {
      throw invalidParam(
        'payment_method',
        'This PaymentMethod was previously used without being attached to a Customer or was detached from a Customer, and may not be used again.',
      );
    }
    // Attaching checks the card with its issuer: a card that declines fails here, except the one
    // documented to attach fine and decline charges.
    const { decline, attachesDespiteDecline } = stored.card;
    if (decline && !attachesDespiteDecline) throw cardError(decline, { payment_method: structuredClone(stored.object) });
    this.attachTo(stored, customer);
    return structuredClone(stored.object);
  }

  retrieve(id: string, params: FormObject): Stripe.PaymentMethod {
    new ParamReader(params, ['expand']).expansions();
    return structuredClone(this.find(id).object);
  }

  record(id: string): PaymentMethodRecord {
    return toRecord(this.find(id));
  }

  /** The API object as it is now, for embedding (errors, expansions). */
  snapshot(id: string): Stripe.PaymentMethod {
    return structuredClone(this.find(id).object);
  }

  private resolve(value: string): StoredPaymentMethod {
    const existing = this.methods.get(value);
    if (existing) return existing;
    const card = TEST_CARDS[value];
    if (!card) throw resourceMissing('PaymentMethod', value, 'payment_method', 400);
    const stored: StoredPaymentMethod = {
      object: paymentMethodObject(newId('pm'), card, this.clock.now()),
      card,
      consumed: false,
      setUpForOffSession: false,
    };
    this.methods.set(stored.object.id, stored);
    return stored;
  }

  private attachTo(stored: StoredPaymentMethod, customer: string): void {
    stored.object.customer = customer;
    this.methods.touch(stored.object.id);
    this.events.emit('payment_method.attached', stored.object);
  }

  private find(id: string): StoredPaymentMethod {
    const stored = this.methods.get(id);
    if (!stored) throw notFound(id);
    return stored;
  }
}

function ownerOf(stored: StoredPaymentMethod): string | null {
  const { customer } = stored.object;
  return typeof customer === 'string' ? customer : (customer?.id ?? null);
}

function toRecord(stored: StoredPaymentMethod): PaymentMethodRecord {
  return { id: stored.object.id, card: stored.card, customer: ownerOf(stored), setUpForOffSession: stored.setUpForOffSession };
}

function notFound(id: string): StripeApiError {
  return resourceMissing('PaymentMethod', id, 'payment_method');
}

function paymentMethodObject(id: string, card: TestCard, created: number): Stripe.PaymentMethod {
  return {
    id,
    object: 'payment_method',
    allow_redisplay: 'unspecified',
    billing_details: {
      address: { city: null, country: null, line1: null, line2: null, postal_code: null, state: null },
      email: null,
      name: null,
      phone: null,
      tax_id: null,
    },
    card: {
      brand: card.brand,
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: null },
      country: 'US',
      display_brand: card.brand,
      exp_month: 12,
      exp_year: new Date(created * 1000).getUTCFullYear() + 5,
      funding: card.funding,
      generated_from: null,
      last4: card.last4,
      networks: { available: [card.brand], preferred: null },
      regulated_status: 'unregulated',
      three_d_secure_usage: { supported: true },
      wallet: null,
    },
    created,
    customer: null,
    customer_account: null,
    livemode: false,
    metadata: {},
    type: 'card',
  };
}
