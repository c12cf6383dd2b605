import type Stripe from 'stripe';
import { Clock } from './clock';
import { FormObject } from './form-params.decoder';
import { newId, randomBase62 } from './ids';
import { ParamReader, mergeMetadata } from './params.reader';
import { JournaledMap } from './state-journal';
import { invalidParam, parameterMissing } from './stripe-api.error';

/** Where an event is POSTed and the secret its signature is made with. */
export interface WebhookTarget {
  url: string;
  secret: string;
}

const ALL_EVENTS = '*';

/**
 * The endpoints events are sent to: the one configured on the emulator (every event type, like
 * `stripe listen`) and those created through `POST /v1/webhook_endpoints`
 * (https://docs.stripe.com/api/webhook_endpoints/create), each for its `enabled_events`.
 */
export class WebhookEndpointStore {
  private configured?: WebhookTarget;
  constructor(
    private readonly clock: Clock,
    private readonly created: JournaledMap<Stripe.WebhookEndpoint> = new JournaledMap(),
  ) {}

  /** Throws a TypeError naming the problem for a malformed target. */
  configure(target: WebhookTarget | undefined): void {
    if (target !== undefined) {
      if (!isHttpUrl(target.url)) throw new TypeError('webhook.url must be an http(s) URL');
      if (typeof target.secret !== 'string' || target.secret === '') throw new TypeError('webhook.secret must be a non-empty string');
    }
    this.configured = target && { url: target.url, secret: target.secret };
  }

  create(params: FormObject): Stripe.WebhookEndpoint {
    const reader = new ParamReader(params, ['description', 'enabled_events', 'expand', 'metadata', 'url']);
    reader.expansions();
    const url = reader.requiredString('url');
    if (!isHttpUrl(url)) throw invalidParam('url', `Invalid URL: ${url}`, 'url_invalid');
    const enabledEvents = reader.optionalStringList('enabled_events');
    if (!enabledEvents) throw parameterMissing('enabled_events');
    const endpoint: Stripe.WebhookEndpoint = {
      id: newId('we'),
      object: 'webhook_endpoint',
      api_version: null,
      application: null,
      created: this.clock.now(),
      description: reader.optionalString('description') ?? null,
      enabled_events: enabledEvents,
      livemode: false,
      metadata: mergeMetadata({}, reader.optionalMetadata() ?? {}),
      secret: `whsec_${randomBase62(32)}`,
      status: 'enabled',
      url,
    };
    this.created.set(endpoint.id, endpoint);
    return structuredClone(endpoint);
  }

  targetsFor(type: string): WebhookTarget[] {
    const subscribed = [...this.created.values()]
      .filter((endpoint) => endpoint.enabled_events.includes(ALL_EVENTS) || endpoint.enabled_events.includes(type))
      .map((endpoint) => ({ url: endpoint.url, secret: endpoint.secret as string }));
    return this.configured ? [this.configured, ...subscribed] : subscribed;
  }
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}
