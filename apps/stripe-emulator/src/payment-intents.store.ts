import type Stripe from 'stripe';
import { ChargeStore } from './charges.store';
import { Clock } from './clock';
import { CustomerStore } from './customers.store';
import { EventStore } from './events.store';
import { FormObject } from './form-params.decoder';
import { newId, randomBase62 } from './ids';
import { PAGE_PARAMS, listPage, readLimit, readPageRequest } from './pagination';
import { ParamReader, mergeMetadata } from './params.reader';
import { AuthenticationOutcome, PaymentConfirmation, PendingAuthentication } from './payment-confirmation';
import { PAYMENT_INTENT_EXPANSIONS, PAYMENT_INTENT_LIST_EXPANSIONS, PaymentIntentExpander } from './payment-intent-expansions';
import { PaymentMethodStore } from './payment-methods.store';
import { matchesSearchQuery, parseSearchQuery } from './search-query';
import { JournaledMap } from './state-journal';
import { StripeApiError, invalidParam, resourceMissing, unexpectedState } from './stripe-api.error';

export type PaymentIntent = Stripe.PaymentIntent;

const CREATE_PARAMS = [
  'allowed_payment_method_types',
  'amount',
  'automatic_payment_methods',
  'capture_method',
  'confirm',
  'currency',
  'customer',
  'description',
  'expand',
  'metadata',
  'off_session',
  'payment_method',
  'receipt_email',
  'return_url',
  'setup_future_usage',
  'statement_descriptor_suffix',
];
const CONFIRM_PARAMS = ['expand', 'off_session', 'payment_method', 'return_url'];
const MINIMUM_AMOUNT = 50;
const MAXIMUM_AMOUNT = 99_999_999;
const CAPTURE_METHODS = ['automatic', 'automatic_async', 'manual'] as const;
const SETUP_FUTURE_USAGES = ['off_session', 'on_session'] as const;
const CANCELLATION_REASONS = ['abandoned', 'duplicate', 'fraudulent', 'requested_by_customer'] as const;
const CANCELABLE: Stripe.PaymentIntent.Status[] = ['requires_payment_method', 'requires_capture', 'requires_confirmation', 'requires_action', 'processing'];
const CONFIRMABLE: Stripe.PaymentIntent.Status[] = ['requires_payment_method', 'requires_confirmation'];
/** Query fields for PaymentIntents (https://docs.stripe.com/search#query-fields-for-payment-intents) the emulator matches exactly. */
const SEARCH_FIELDS = ['currency', 'customer', 'metadata', 'status'];
const LIST_URL = '/v1/payment_intents';
const SEARCH_URL = '/v1/payment_intents/search';
const MISSING_PAYMENT_METHOD =
  "You cannot confirm this PaymentIntent because it's missing a payment method. You can either update the PaymentIntent with a payment method and then confirm it again, or confirm it again directly with a payment method.";

export interface PaymentIntentStoreDeps {
  clock: Clock;
  events: EventStore;
  customers: CustomerStore;
  paymentMethods: PaymentMethodStore;
  charges: ChargeStore;
  /** The emulator's base URL, for the authentication page of `next_action`. */
  baseUrl: string;
  /** Where the PaymentIntents (by id, in creation order) and the 3-D Secure challenges awaiting an answer are kept. */
  tables?: { intents: JournaledMap<PaymentIntent>; pendingAuthentications: JournaledMap<PendingAuthentication> };
}

/**
 * The PaymentIntents of one emulator, with Stripe's rules for the calls the product makes: create
 * (and confirm) a hold or payment, confirm later, authenticate, retrieve, list, search, capture all
 * or part of a hold, cancel it, and holds expiring. Every method answers a copy.
 */
export class PaymentIntentStore {
  /** Insertion order is creation order. */
  private readonly intents: JournaledMap<PaymentIntent>;
  private readonly confirmation: PaymentConfirmation;
  private readonly expander: PaymentIntentExpander;

  constructor(private readonly deps: PaymentIntentStoreDeps) {
    this.intents = deps.tables?.intents ?? new JournaledMap();
    this.confirmation = new PaymentConfirmation(
      deps.paymentMethods,
      deps.charges,
      deps.events,
      (intent) => `${deps.baseUrl}/_emulator/authenticate/${intent.id}?client_secret=${encodeURIComponent(intent.client_secret ?? '')}`,
      deps.tables?.pendingAuthentications,
    );
    this.expander = new PaymentIntentExpander(deps.charges, deps.customers, deps.paymentMethods);
  }

  /** `decline` makes an approving test card decline like `pm_card_chargeDeclined` (a fault). */
  create(params: FormObject, options: { decline?: boolean } = {}): PaymentIntent {
    const reader = new ParamReader(params, CREATE_PARAMS);
    const expand = reader.expansions(PAYMENT_INTENT_EXPANSIONS);
    const amount = reader.requiredInteger('amount');
    const currency = reader.requiredString('currency').toLowerCase();
    if (!/^[a-z]{3}$/.test(currency)) throw invalidParam('currency', `Invalid currency: ${currency}.`);
    if (amount < MINIMUM_AMOUNT) throw amountTooSmall('amount', currency);
    if (amount > MAXIMUM_AMOUNT) throw invalidParam('amount', 'Amount must be no more than $999,999.99', 'amount_too_large');
    // At this API version `payment_method_types` is no longer a parameter: `allowed_payment_method_types`
    // lists what may be used and the answer's `payment_method_types` what fits (here: cards).
    const allowedTypes = reader.optionalStringList('allowed_payment_method_types');
    const automaticPaymentMethods = readAutomaticPaymentMethods(reader.optionalObject('automatic_payment_methods'));
    const captureMethod = reader.optionalEnum('capture_method', CAPTURE_METHODS) ?? 'automatic_async';
    const confirm = reader.optionalBoolean('confirm') ?? false;
    const offSession = readOffSession(reader, confirm);
    const returnUrl = reader.optionalString('return_url');
    const setupFutureUsage = reader.optionalEnum('setup_future_usage', SETUP_FUTURE_USAGES) ?? null;
    const customer = reader.optionalString('customer') ?? null;
    if (customer !== null) this.deps.customers.find(customer, 'customer');
    const token = reader.optionalString('payment_method');
    if (confirm && token === undefined) throw invalidParam('payment_method', MISSING_PAYMENT_METHOD, 'payment_intent_unexpected_state');
    const paymentMethod = token === undefined ? undefined : this.deps.paymentMethods.forPayment(token, customer);

    const id = newId('pi');
    const intent: PaymentIntent = {
      id,
      object: 'payment_intent',
      allowed_payment_method_types: allowedTypes ?? null,
      amount,
      amount_capturable: 0,
      amount_details: { tip: {} },
      amount_received: 0,
      application: null,
      application_fee_amount: null,
      automatic_payment_methods: allowedTypes ? null : (automaticPaymentMethods ?? { enabled: true }),
      canceled_at: null,
      cancellation_reason: null,
      capture_method: captureMethod,
      client_secret: `${id}_secret_${randomBase62(25)}`,
      confirmation_method: 'automatic',
      created: this.deps.clock.now(),
      currency,
      customer,
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
      payment_method_types: allowedTypes ? allowedTypes.filter((type) => type === 'card') : ['card'],
      payment_record: null,
      processing: null,
      receipt_email: reader.optionalString('receipt_email') ?? null,
      review: null,
      setup_future_usage: setupFutureUsage,
      shipping: null,
      source: null,
      statement_descriptor: null,
      statement_descriptor_suffix: reader.optionalString('statement_descriptor_suffix') ?? null,
      status: paymentMethod ? 'requires_confirmation' : 'requires_payment_method',
      transfer_data: null,
      transfer_group: null,
    };
    if (paymentMethod) intent.payment_method = paymentMethod.id;
    this.intents.set(id, intent);
    this.deps.events.emit('payment_intent.created', intent);
    if (paymentMethod && confirm) {
      const decline = this.confirmation.confirm(intent, paymentMethod, { offSession, returnUrl, forceDecline: options.decline ?? false });
      this.intents.touch(id);
      throwIfDeclined(decline);
    }
    return this.expander.expand(intent, expand);
  }

  /** `POST /v1/payment_intents/:id/confirm` (https://docs.stripe.com/api/payment_intents/confirm). */
  confirm(id: string, params: FormObject, options: { decline?: boolean } = {}): PaymentIntent {
    const reader = new ParamReader(params, CONFIRM_PARAMS);
    const expand = reader.expansions(PAYMENT_INTENT_EXPANSIONS);
    const offSession = readOffSession(reader, true);
    const returnUrl = reader.optionalString('return_url');
    const token = reader.optionalString('payment_method');
    const intent = this.find(id);
    if (!CONFIRMABLE.includes(intent.status)) {
      throw unexpectedState(
        `This PaymentIntent could not be confirmed because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be confirmed: ${CONFIRMABLE.join(', ')}.`,
        structuredClone(intent),
      );
    }
    const chosen = token ?? (typeof intent.payment_method === 'string' ? intent.payment_method : undefined);
    if (chosen === undefined) throw unexpectedState(MISSING_PAYMENT_METHOD, structuredClone(intent));
    const customer = typeof intent.customer === 'string' ? intent.customer : null;
    const paymentMethod = this.deps.paymentMethods.forPayment(chosen, customer);
    const decline = this.confirmation.confirm(intent, paymentMethod, { offSession, returnUrl, forceDecline: options.decline ?? false });
    this.intents.touch(id);
    throwIfDeclined(decline);
    return this.expander.expand(intent, expand);
  }

  /** The customer completes or fails 3-D Secure; answers the PaymentIntent and where to send the customer back. */
  authenticate(id: string, outcome: AuthenticationOutcome): { intent: PaymentIntent; returnUrl?: string } {
    const intent = this.find(id);
    const returnUrl = this.confirmation.authenticate(intent, outcome);
    this.intents.touch(id);
    return { intent: structuredClone(intent), returnUrl };
  }

  retrieve(id: string, params: FormObject): PaymentIntent {
    const expand = new ParamReader(params, ['client_secret', 'expand']).expansions(PAYMENT_INTENT_EXPANSIONS);
    return this.expander.expand(this.find(id), expand);
  }

  /** Newest first, optionally of one `customer`, paged by `limit`, `starting_after` / `ending_before`. */
  list(params: FormObject): Stripe.ApiList<PaymentIntent> {
    const reader = new ParamReader(params, [...PAGE_PARAMS, 'customer', 'expand']);
    const expand = reader.expansions(PAYMENT_INTENT_LIST_EXPANSIONS);
    const customer = reader.optionalString('customer');
    const newestFirst = [...this.intents.values()].reverse().filter((intent) => customer === undefined || intent.customer === customer);
    const page = listPage(newestFirst, readPageRequest(reader), LIST_URL, 'payment_intent');
    return { ...page, data: page.data.map((intent) => this.expander.expand(intent, expand)) };
  }

  /**
   * `GET /v1/payment_intents/search` (https://docs.stripe.com/api/payment_intents/search): newest
   * first, `page` being the `next_page` of the previous answer.
   */
  search(params: FormObject): Stripe.ApiSearchResult<PaymentIntent> {
    const reader = new ParamReader(params, ['expand', 'limit', 'page', 'query']);
    const expand = reader.expansions(PAYMENT_INTENT_LIST_EXPANSIONS);
    const query = parseSearchQuery(reader.requiredString('query'), SEARCH_FIELDS);
    const limit = readLimit(reader);
    const start = readSearchPage(reader.optionalString('page'));
    const matching = [...this.intents.values()]
      .reverse()
      .filter((intent) => matchesSearchQuery(query, (clause) => (clause.field === 'metadata' ? intent.metadata[clause.metadataKey ?? ''] : searchableValue(intent, clause.field))));
    const data = matching.slice(start, start + limit).map((intent) => this.expander.expand(intent, expand));
    const hasMore = start + limit < matching.length;
    return { object: 'search_result', data, has_more: hasMore, next_page: hasMore ? searchPageToken(start + limit) : null, url: SEARCH_URL };
  }

  /** Captures `amount_to_capture` (default: all that is capturable) and releases the rest. */
  capture(id: string, params: FormObject): PaymentIntent {
    const reader = new ParamReader(params, ['amount_to_capture', 'expand', 'metadata']);
    const expand = reader.expansions(PAYMENT_INTENT_EXPANSIONS);
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
    if (typeof intent.latest_charge === 'string') this.deps.charges.capture(intent.latest_charge, amount);
    intent.status = 'succeeded';
    intent.amount_received = amount;
    intent.amount_capturable = 0;
    if (metadata) intent.metadata = mergeMetadata(intent.metadata, metadata);
    this.intents.touch(id);
    this.deps.events.emit('payment_intent.succeeded', intent);
    return this.expander.expand(intent, expand);
  }

  cancel(id: string, params: FormObject): PaymentIntent {
    const reader = new ParamReader(params, ['cancellation_reason', 'expand']);
    const expand = reader.expansions(PAYMENT_INTENT_EXPANSIONS);
    const reason = reader.optionalEnum('cancellation_reason', CANCELLATION_REASONS);
    const intent = this.find(id);
    if (!CANCELABLE.includes(intent.status)) {
      throw unexpectedState(
        `You cannot cancel this PaymentIntent because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be canceled: ${CANCELABLE.join(', ')}.`,
        structuredClone(intent),
      );
    }
    if (intent.status === 'requires_capture' && typeof intent.latest_charge === 'string') this.deps.charges.release(intent.latest_charge);
    this.confirmation.forget(id);
    this.markCanceled(intent, reason ?? null);
    return this.expander.expand(intent, expand);
  }

  /**
   * Holds not captured in time expire (https://docs.stripe.com/payments/place-a-hold-on-a-payment-method):
   * the funds are released and the PaymentIntent is canceled by Stripe (`cancellation_reason: automatic`).
   */
  expireHolds(): void {
    const now = this.deps.clock.now();
    for (const intent of this.intents.values()) {
      if (intent.status !== 'requires_capture' || typeof intent.latest_charge !== 'string') continue;
      const captureBefore = this.deps.charges.captureBefore(intent.latest_charge);
      if (captureBefore === undefined || now < captureBefore) continue;
      this.deps.charges.expire(intent.latest_charge);
      this.markCanceled(intent, 'automatic');
    }
  }

  /** The charge a dispute can be opened on: that of a captured payment. */
  disputableCharge(id: string): string {
    const intent = this.find(id);
    if (intent.status !== 'succeeded' || typeof intent.latest_charge !== 'string') {
      throw unexpectedState(`Only a succeeded PaymentIntent can be disputed; this one has a status of ${intent.status}.`, structuredClone(intent));
    }
    return intent.latest_charge;
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

  private markCanceled(intent: PaymentIntent, reason: Stripe.PaymentIntent.CancellationReason | null): void {
    intent.status = 'canceled';
    intent.canceled_at = this.deps.clock.now();
    intent.cancellation_reason = reason;
    intent.amount_capturable = 0;
    intent.next_action = null;
    this.intents.touch(intent.id);
    this.deps.events.emit('payment_intent.canceled', intent);
  }

  private find(id: string): PaymentIntent {
    const intent = this.intents.get(id);
    if (!intent) throw resourceMissing('payment_intent', id, 'intent');
    return intent;
  }
}

function throwIfDeclined(decline: StripeApiError | undefined): void {
  if (decline) throw decline;
}

/** `off_session` (true, or 'one_off' / 'recurring') marks a merchant-initiated payment; it needs confirm=true. */
function readOffSession(reader: ParamReader, confirm: boolean): boolean {
  const value = reader.optionalString('off_session');
  if (value === undefined || value === 'false') return false;
  if (!['true', 'one_off', 'recurring'].includes(value)) throw invalidParam('off_session', `Invalid off_session: ${value}`);
  if (!confirm) throw invalidParam('off_session', 'You can only pass off_session when confirm is set to true.');
  return true;
}

function searchableValue(intent: PaymentIntent, field: string): string | null {
  if (field === 'status') return intent.status;
  if (field === 'currency') return intent.currency;
  return typeof intent.customer === 'string' ? intent.customer : (intent.customer?.id ?? null);
}

/** Search pages are opaque tokens to clients; here they encode where the next page starts. */
function searchPageToken(start: number): string {
  return Buffer.from(`page:${start}`).toString('base64url');
}

function readSearchPage(token: string | undefined): number {
  if (token === undefined) return 0;
  const start = /^page:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'))?.[1];
  if (start === undefined) throw invalidParam('page', `Invalid page: ${token}`);
  return Number(start);
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
