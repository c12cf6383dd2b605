import { randomBytes } from 'node:crypto';
import type Stripe from 'stripe';
import { FormObject } from './form-params.decoder';
import { ParamReader, mergeMetadata } from './params.reader';
import { StripeApiError, invalidParam, resourceMissing, unexpectedState } from './stripe-api.error';
import { GENERIC_DECLINE, TEST_CARDS, TestCard, paymentMethodObject } from './test-payment-methods';

export type PaymentIntent = Stripe.PaymentIntent;

const CREATE_PARAMS = [
  'amount',
  'automatic_payment_methods',
  'capture_method',
  'confirm',
  'currency',
  'description',
  'expand',
  'metadata',
  'off_session',
  'payment_method',
  'payment_method_types',
  'receipt_email',
  'return_url',
  'statement_descriptor_suffix',
];
const MINIMUM_AMOUNT = 50;
const MAXIMUM_AMOUNT = 99_999_999;
const CAPTURE_METHODS = ['automatic', 'automatic_async', 'manual'] as const;
const CANCELLATION_REASONS = ['abandoned', 'duplicate', 'fraudulent', 'requested_by_customer'] as const;
const CANCELABLE: Stripe.PaymentIntent.Status[] = ['requires_payment_method', 'requires_capture', 'requires_confirmation', 'requires_action', 'processing'];
const LIST_URL = '/v1/payment_intents';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A Stripe-looking id: `pi_3Qx…`. */
export function newId(prefix: string, length = 24): string {
  return `${prefix}_${[...randomBytes(length)].map((byte) => BASE62[byte % BASE62.length]).join('')}`;
}

const now = () => Math.floor(Date.now() / 1000);

/**
 * The PaymentIntents of one emulator, with Stripe's rules for the calls the product makes: create
 * (and confirm) a hold, retrieve, list, capture all or part of it, cancel it. Every method answers
 * a copy, so callers never hold live state.
 */
export class PaymentIntentStore {
  /** Insertion order is creation order. */
  private readonly intents = new Map<string, PaymentIntent>();

  /** `decline` makes an approving test card decline like `pm_card_chargeDeclined` (a fault). */
  create(params: FormObject, options: { decline?: boolean } = {}): PaymentIntent {
    const reader = new ParamReader(params, CREATE_PARAMS);
    reader.rejectExpansions();
    const amount = reader.requiredInteger('amount');
    const currency = reader.requiredString('currency').toLowerCase();
    if (!/^[a-z]{3}$/.test(currency)) throw invalidParam('currency', `Invalid currency: ${currency}.`);
    if (amount < MINIMUM_AMOUNT) throw amountTooSmall('amount', currency);
    if (amount > MAXIMUM_AMOUNT) throw invalidParam('amount', 'Amount must be no more than $999,999.99', 'amount_too_large');
    const paymentMethodTypes = reader.optionalStringList('payment_method_types');
    const automaticPaymentMethods = readAutomaticPaymentMethods(reader.optionalObject('automatic_payment_methods'));
    if (paymentMethodTypes && automaticPaymentMethods) {
      throw invalidParam(
        'automatic_payment_methods',
        'You may only specify one of these parameters: automatic_payment_methods, payment_method_types.',
        'parameters_exclusive',
      );
    }
    const captureMethod = reader.optionalEnum('capture_method', CAPTURE_METHODS) ?? 'automatic_async';
    const confirm = reader.optionalBoolean('confirm') ?? false;
    reader.optionalBoolean('off_session');
    reader.optionalString('return_url');
    const token = reader.optionalString('payment_method');
    const card = token === undefined ? undefined : TEST_CARDS[token];
    if (token !== undefined && !card) throw resourceMissing('PaymentMethod', token, 'payment_method', 400);
    if (confirm && !card) {
      throw invalidParam(
        'payment_method',
        "You cannot confirm this PaymentIntent because it's missing a payment method. You can either update the PaymentIntent with a payment method and then confirm it again, or confirm it again directly with a payment method.",
        'payment_intent_unexpected_state',
      );
    }

    const id = newId('pi');
    const created = now();
    const intent: PaymentIntent = {
      id,
      object: 'payment_intent',
      allowed_payment_method_types: null,
      amount,
      amount_capturable: 0,
      amount_details: { tip: {} },
      amount_received: 0,
      application: null,
      application_fee_amount: null,
      automatic_payment_methods: paymentMethodTypes ? null : (automaticPaymentMethods ?? { enabled: true }),
      canceled_at: null,
      cancellation_reason: null,
      capture_method: captureMethod,
      client_secret: `${id}_secret_${newId('x').slice(2)}`,
      confirmation_method: 'automatic',
      created,
      currency,
      customer: null,
      customer_account: null,
      description: reader.optionalString('description') ?? null,
      excluded_payment_method_types: null,
      last_payment_error: null,
      latest_charge: null,
      livemode: false,
      managed_payments: null,
      metadata: mergeMetadata({}, reader.optionalMetadata() ?? {}),
      next_action: null,
      on_behalf_of: null,
      payment_method: null,
      payment_method_configuration_details: null,
      payment_method_options: null,
      payment_method_types: paymentMethodTypes ?? ['card'],
      payment_record: null,
      processing: null,
      receipt_email: reader.optionalString('receipt_email') ?? null,
      review: null,
      setup_future_usage: null,
      shipping: null,
      source: null,
      statement_descriptor: null,
      statement_descriptor_suffix: reader.optionalString('statement_descriptor_suffix') ?? null,
      status: 'requires_payment_method',
      transfer_data: null,
      transfer_group: null,
    };
    this.intents.set(id, intent);
    if (!card) return structuredClone(intent);
    if (!confirm) {
      intent.status = 'requires_confirmation';
      intent.payment_method = newId('pm');
      return structuredClone(intent);
    }
    this.authorize(intent, card, options.decline ?? false);
    return structuredClone(intent);
  }

  retrieve(id: string, params: FormObject): PaymentIntent {
    new ParamReader(params, ['client_secret', 'expand']).rejectExpansions();
    return structuredClone(this.find(id));
  }

  /** Newest first, paged by `limit` (1–100, default 10) and `starting_after` / `ending_before`. */
  list(params: FormObject): Stripe.ApiList<PaymentIntent> {
    const reader = new ParamReader(params, ['ending_before', 'expand', 'limit', 'starting_after']);
    reader.rejectExpansions();
    const limit = reader.optionalInteger('limit') ?? 10;
    if (limit < 1 || limit > 100) throw invalidParam('limit', 'Invalid limit: must be between 1 and 100');
    const startingAfter = reader.optionalString('starting_after');
    const endingBefore = reader.optionalString('ending_before');
    if (startingAfter && endingBefore) {
      throw invalidParam('starting_after', 'You may only specify one of these parameters: ending_before, starting_after.', 'parameters_exclusive');
    }
    const newestFirst = [...this.intents.values()].reverse();
    const cursorIndex = (cursor: string, param: string) => {
      const index = newestFirst.findIndex((intent) => intent.id === cursor);
      if (index < 0) throw resourceMissing('payment_intent', cursor, param, 400);
      return index;
    };
    let page: PaymentIntent[];
    let hasMore: boolean;
    if (endingBefore) {
      const end = cursorIndex(endingBefore, 'ending_before');
      page = newestFirst.slice(Math.max(0, end - limit), end);
      hasMore = end - limit > 0;
    } else {
      const start = startingAfter ? cursorIndex(startingAfter, 'starting_after') + 1 : 0;
      page = newestFirst.slice(start, start + limit);
      hasMore = start + limit < newestFirst.length;
    }
    return { object: 'list', data: structuredClone(page), has_more: hasMore, url: LIST_URL };
  }

  /** Captures `amount_to_capture` (default: all that is capturable) and releases the rest. */
  capture(id: string, params: FormObject): PaymentIntent {
    const reader = new ParamReader(params, ['amount_to_capture', 'expand', 'metadata']);
    reader.rejectExpansions();
    const requested = reader.optionalInteger('amount_to_capture');
    const metadata = reader.optionalMetadata();
    const intent = this.find(id);
    if (intent.status !== 'requires_capture') {
      throw unexpectedState(
        `This PaymentIntent could not be captured because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`,
        structuredClone(intent),
      );
    }
    const amount = requested ?? intent.amount_capturable;
    if (amount > intent.amount_capturable) {
      throw invalidParam(
        'amount_to_capture',
        `The amount to capture (${amount}) must be less than or equal to the amount capturable (${intent.amount_capturable}).`,
        'amount_too_large',
      );
    }
    if (amount < MINIMUM_AMOUNT) throw amountTooSmall('amount_to_capture', intent.currency);
    intent.status = 'succeeded';
    intent.amount_received = amount;
    intent.amount_capturable = 0;
    if (metadata) intent.metadata = mergeMetadata(intent.metadata, metadata);
    return structuredClone(intent);
  }

  cancel(id: string, params: FormObject): PaymentIntent {
    const reader = new ParamReader(params, ['cancellation_reason', 'expand']);
    reader.rejectExpansions();
    const reason = reader.optionalEnum('cancellation_reason', CANCELLATION_REASONS);
    const intent = this.find(id);
    if (!CANCELABLE.includes(intent.status)) {
      throw unexpectedState(
        `You cannot cancel this PaymentIntent because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be canceled: ${CANCELABLE.join(', ')}.`,
        structuredClone(intent),
      );
    }
    intent.status = 'canceled';
    intent.canceled_at = now();
    intent.cancellation_reason = reason ?? null;
    intent.amount_capturable = 0;
    return structuredClone(intent);
  }

  /** The `metadata.call_id` of a PaymentIntent, for faults aimed at one call. */
  callIdOf(id: string): string | undefined {
    return this.intents.get(id)?.metadata.call_id;
  }

  /** Copies in creation order (oldest first), optionally only those of one call. */
  snapshot(callId?: string): PaymentIntent[] {
    const all = [...this.intents.values()];
    return structuredClone(callId === undefined ? all : all.filter((intent) => intent.metadata.call_id === callId));
  }

  /** Confirms with a test card: a hold (manual capture), a payment, or a decline that keeps the intent. */
  private authorize(intent: PaymentIntent, card: TestCard, forceDecline: boolean): void {
    const paymentMethod = paymentMethodObject(newId('pm'), card, intent.created);
    const charge = newId('ch');
    intent.latest_charge = charge;
    const decline = forceDecline ? GENERIC_DECLINE : card.decline;
    if (decline) {
      const error = new StripeApiError(
        402,
        { type: 'card_error', code: 'card_declined', decline_code: decline.declineCode, message: decline.message, charge },
        true,
      );
      intent.last_payment_error = { ...error.error, type: 'card_error', payment_method: paymentMethod, payment_method_type: 'card' };
      error.error.payment_intent = structuredClone(intent);
      error.error.payment_method = paymentMethod;
      throw error;
    }
    intent.payment_method = paymentMethod.id;
    if (intent.capture_method === 'manual') {
      intent.status = 'requires_capture';
      intent.amount_capturable = intent.amount;
    } else {
      intent.status = 'succeeded';
      intent.amount_received = intent.amount;
    }
  }

  private find(id: string): PaymentIntent {
    const intent = this.intents.get(id);
    if (!intent) throw resourceMissing('payment_intent', id, 'intent');
    return intent;
  }
}

function amountTooSmall(param: string, currency: string): StripeApiError {
  const minimum = currency === 'usd' ? '$0.50 usd' : `${MINIMUM_AMOUNT} ${currency} (smallest unit)`;
  return invalidParam(param, `Amount must be at least ${minimum}`, 'amount_too_small');
}

function readAutomaticPaymentMethods(value: FormObject | undefined): Stripe.PaymentIntent.AutomaticPaymentMethods | undefined {
  if (!value) return undefined;
  const reader = new ParamReader(value, ['allow_redirects', 'enabled']);
  const enabled = reader.optionalBoolean('enabled');
  if (enabled === undefined) throw invalidParam('automatic_payment_methods[enabled]', 'Missing required param: automatic_payment_methods[enabled].', 'parameter_missing');
  const allowRedirects = reader.optionalEnum('allow_redirects', ['always', 'never'] as const);
  return { enabled, ...(allowRedirects ? { allow_redirects: allowRedirects } : {}) };
}
