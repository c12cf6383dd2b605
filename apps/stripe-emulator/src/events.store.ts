import Stripe from 'stripe';
import { Clock } from './clock';
import { FormObject } from './form-params.decoder';
import { newId } from './ids';
import { PAGE_PARAMS, listPage, readPageRequest } from './pagination';
import { ParamReader } from './params.reader';
import { JournaledMap } from './state-journal';
import { resourceMissing } from './stripe-api.error';
import { WebhookDispatcher } from './webhooks';
import { WebhookEndpointStore } from './webhook-endpoints.store';

/** What happened to a Stripe object: it travels in the event as a snapshot taken when it happened. */
export interface EventSubject {
  id: string;
  object: string;
}

/** Automatic changes (an authorization expiring, a dispute) belong to no API request. */
const NO_REQUEST: Stripe.Event.Request = { id: null, idempotency_key: null };
const LIST_URL = '/v1/events';

/**
 * The Events of one emulator (https://docs.stripe.com/api/events/object), oldest first, each sent
 * to the webhook endpoints enabled for its type when it is emitted.
 */
export class EventStore {
  private request: Stripe.Event.Request = NO_REQUEST;

  constructor(
    private readonly clock: Clock,
    private readonly endpoints: WebhookEndpointStore,
    private readonly webhooks: WebhookDispatcher,
    /** By id, oldest first. */
    private readonly events: JournaledMap<Stripe.Event> = new JournaledMap(),
  ) {}

  /** Runs the work of one API request: the events it emits name that request and its idempotency key. */
  during<T>(request: Stripe.Event.Request, run: () => T): T {
    this.request = request;
    try {
      return run();
    } finally {
      this.request = NO_REQUEST;
    }
  }

  emit(type: Stripe.Event.Type, subject: EventSubject): void {
    const targets = this.endpoints.targetsFor(type);
    const event = {
      id: newId('evt'),
      object: 'event',
      api_version: Stripe.API_VERSION,
      created: this.clock.now(),
      data: { object: structuredClone(subject) },
      livemode: false,
      pending_webhooks: targets.length,
      request: { ...this.request },
      type,
    } as Stripe.Event;
    this.events.set(event.id, event);
    this.webhooks.publish(structuredClone(event), targets);
  }

  /** One endpoint answered 2xx: `pending_webhooks` counts the endpoints still waiting. */
  delivered(eventId: string): void {
    const event = this.events.get(eventId);
    if (event && event.pending_webhooks > 0) {
      event.pending_webhooks -= 1;
      this.events.touch(eventId);
    }
  }

  retrieve(id: string, params: FormObject): Stripe.Event {
    new ParamReader(params, ['expand']).expansions();
    const event = this.events.get(id);
    if (!event) throw resourceMissing('event', id, 'id');
    return structuredClone(event);
  }

  /** Newest first, optionally of one `type` (https://docs.stripe.com/api/events/list). */
  list(params: FormObject): Stripe.ApiList<Stripe.Event> {
    const reader = new ParamReader(params, [...PAGE_PARAMS, 'expand', 'type']);
    reader.expansions();
    const type = reader.optionalString('type');
    const newestFirst = [...this.events.values()].reverse().filter((event) => type === undefined || event.type === type);
    return listPage(newestFirst, readPageRequest(reader), LIST_URL, 'event');
  }

  /** Copies, oldest first. */
  all(): Stripe.Event[] {
    return structuredClone([...this.events.values()]);
  }

  /**
   * After a restart: events some endpoint had not acknowledged are sent again to the endpoints of
   * their type (Stripe retries for days; delivery is at least once, so an endpoint may see one twice).
   */
  redeliverPending(): number {
    const pending = [...this.events.values()].filter((event) => event.pending_webhooks > 0);
    for (const event of pending) this.webhooks.publish(structuredClone(event), this.endpoints.targetsFor(event.type));
    return pending.length;
  }
}
