import { DomainEvent, EVENT_VERSION, EventMap, EventSubject, toIsoSeconds } from '@vidivo/contracts';
import { Outbox } from '@vidivo/platform';
import { EntityManager } from 'typeorm';
import { ulid } from 'ulid';
import { SCHEDULING_SCHEMA } from '../scheduling.schema';

/** An event as the outbox was given it, with the transaction it was written in. */
export interface RecordedEvent {
  transaction: EntityManager;
  subject: EventSubject;
  payload: unknown;
}

/** The outbox, remembering what was written and in which transaction instead of inserting it. */
export class RecordingOutbox extends Outbox {
  readonly events: RecordedEvent[] = [];

  constructor() {
    super(SCHEDULING_SCHEMA);
  }

  override async add<S extends EventSubject>(transaction: EntityManager, subject: S, payload: EventMap[S]): Promise<DomainEvent<S>> {
    this.events.push({ transaction, subject, payload });
    return { id: ulid(), subject, version: EVENT_VERSION, occurred_at: toIsoSeconds(new Date()), payload };
  }
}
