import { ChargeStore } from './charges.store';
import { CustomerStore } from './customers.store';
import { EventStore } from './events.store';
import { FormObject } from './form-params.decoder';
import { PaymentIntentStore } from './payment-intents.store';
import { PaymentMethodStore } from './payment-methods.store';
import { WebhookEndpointStore } from './webhook-endpoints.store';

export interface ApiServices {
  paymentIntents: PaymentIntentStore;
  customers: CustomerStore;
  paymentMethods: PaymentMethodStore;
  charges: ChargeStore;
  events: EventStore;
  webhookEndpoints: WebhookEndpointStore;
}

export interface ApiCall {
  params: FormObject;
  /** the object id in the path, '' when there is none */
  id: string;
  /** an injected 'decline' fault */
  decline: boolean;
}

export interface ApiRoute {
  method: 'GET' | 'POST';
  path: RegExp;
  run(services: ApiServices, call: ApiCall): unknown;
  /** The `metadata.call_id` of what the request is about, for faults aimed at one call. */
  callId?(services: ApiServices, call: ApiCall): string | undefined;
}

const fromParams = (_services: ApiServices, { params }: ApiCall) =>
  typeof params.metadata === 'object' && typeof params.metadata.call_id === 'string' ? params.metadata.call_id : undefined;
const ofPaymentIntent = (services: ApiServices, { id }: ApiCall) => services.paymentIntents.callIdOf(id);

/** The Stripe API the emulator speaks; anything else is Stripe's 404. The search route precedes `:id`. */
export const API_ROUTES: ApiRoute[] = [
  { method: 'POST', path: /^\/v1\/customers$/, run: (s, { params }) => s.customers.create(params), callId: fromParams },
  { method: 'GET', path: /^\/v1\/customers\/([^/]+)$/, run: (s, { id, params }) => s.customers.retrieve(id, params), callId: (s, { id }) => s.customers.callIdOf(id) },
  { method: 'GET', path: /^\/v1\/payment_methods\/([^/]+)$/, run: (s, { id, params }) => s.paymentMethods.retrieve(id, params) },
  { method: 'POST', path: /^\/v1\/payment_methods\/([^/]+)\/attach$/, run: (s, { id, params }) => s.paymentMethods.attach(id, params) },
  { method: 'POST', path: /^\/v1\/payment_intents$/, run: (s, { params, decline }) => s.paymentIntents.create(params, { decline }), callId: fromParams },
  { method: 'GET', path: /^\/v1\/payment_intents$/, run: (s, { params }) => s.paymentIntents.list(params) },
  { method: 'GET', path: /^\/v1\/payment_intents\/search$/, run: (s, { params }) => s.paymentIntents.search(params) },
  { method: 'GET', path: /^\/v1\/payment_intents\/([^/]+)$/, run: (s, { id, params }) => s.paymentIntents.retrieve(id, params), callId: ofPaymentIntent },
  {
    method: 'POST',
    path: /^\/v1\/payment_intents\/([^/]+)\/confirm$/,
    run: (s, { id, params, decline }) => s.paymentIntents.confirm(id, params, { decline }),
    callId: ofPaymentIntent,
  },
  { method: 'POST', path: /^\/v1\/payment_intents\/([^/]+)\/capture$/, run: (s, { id, params }) => s.paymentIntents.capture(id, params), callId: ofPaymentIntent },
  { method: 'POST', path: /^\/v1\/payment_intents\/([^/]+)\/cancel$/, run: (s, { id, params }) => s.paymentIntents.cancel(id, params), callId: ofPaymentIntent },
  { method: 'GET', path: /^\/v1\/charges\/([^/]+)$/, run: (s, { id, params }) => s.charges.retrieve(id, params), callId: (s, { id }) => s.charges.callIdOf(id) },
  { method: 'POST', path: /^\/v1\/webhook_endpoints$/, run: (s, { params }) => s.webhookEndpoints.create(params) },
  { method: 'GET', path: /^\/v1\/events$/, run: (s, { params }) => s.events.list(params) },
  { method: 'GET', path: /^\/v1\/events\/([^/]+)$/, run: (s, { id, params }) => s.events.retrieve(id, params) },
];
