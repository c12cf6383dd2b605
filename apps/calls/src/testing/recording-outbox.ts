import { DomainEvent, EVENT_VERSION, EventMap, EventSubject, toIsoSeconds } from '@vidivo/contracts';
import { Outbox } from '@vidivo/platform';
import { EntityManager } from 'typeorm';
import { ulid } from 'ulid';
import { PublicPart } from './stand-in';

/** The outbox as a list: what a spec's action announced, in order. */
export class RecordingOutbox implements PublicPart<Outbox> {
  readonly events: DomainEvent[] = [];

  async add<S extends EventSubject>(_transaction: EntityManager, subject: S, payload: EventMap[S]): Promise<DomainEvent<S>> {
    const event: DomainEvent<S> = { id: ulid(), subject, version: EVENT_VERSION, occurred_at: toIsoSeconds(new Date()), payload };
    this.events.push(event);
    return event;
  }

  subjects(): EventSubject[] {
    return this.events.map((event) => event.subject);
  }
}
