import { Inject, Injectable } from '@nestjs/common';
import { DomainEvent, EVENT_VERSION, EventMap, EventSubject, toIsoSeconds } from '@vidivo/contracts';
import { EntityManager } from 'typeorm';
import { ulid } from 'ulid';
import { outboxChannel } from './event-tables';

export const EVENTS_SCHEMA = Symbol('EVENTS_SCHEMA');

/**
 * Records an event in the same transaction as the state change it reports, so both happen or
 * neither does. The relay delivers it after commit.
 */
@Injectable()
export class Outbox {
  constructor(@Inject(EVENTS_SCHEMA) private readonly schema: string) {}

  async add<S extends EventSubject>(transaction: EntityManager, subject: S, payload: EventMap[S]): Promise<DomainEvent<S>> {
    const event: DomainEvent<S> = { id: ulid(), subject, version: EVENT_VERSION, occurred_at: toIsoSeconds(new Date()), payload };
    // One round trip: the row and its notification (delivered at commit, so the relay finds the row).
    await transaction.query(
      `WITH added AS (INSERT INTO "${this.schema}".outbox (id, subject, payload, occurred_at) VALUES ($1, $2, $3, $4) RETURNING 1)
       SELECT pg_notify($5, '') FROM added`,
      [event.id, subject, JSON.stringify(event), event.occurred_at, outboxChannel(this.schema)],
    );
    return event;
  }
}
