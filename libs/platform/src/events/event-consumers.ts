import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap, Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { DomainEvent, EventSubject } from '@vidivo/contracts';
import { DataSource } from 'typeorm';
import { EventTransport } from './event-transport';
import { ON_EVENT } from './on-event.decorator';
import { EVENTS_SCHEMA } from './outbox';
import { EVENTS_DATA_SOURCE } from './outbox-relay';

export const EVENT_CONSUMERS = Symbol('EVENT_CONSUMERS');

/** A consumer as its `@OnEvent` methods are found and called: by name. */
type Consumer = Record<string, (event: DomainEvent) => Promise<void>>;

/**
 * Subscribes a domain's `@OnEvent` methods and drops events they have already handled: the
 * inbox row is written after the handler succeeds, so a handler that failed or was cut off
 * midway runs again (handlers are idempotent), and one that finished never runs twice.
 */
@Injectable()
export class EventConsumers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger: Logger;

  constructor(
    @Inject(EVENTS_SCHEMA) private readonly schema: string,
    @Inject(EVENTS_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(EVENT_CONSUMERS) private readonly consumerTypes: Type[],
    private readonly transport: EventTransport,
    private readonly moduleRef: ModuleRef,
  ) {
    this.logger = new Logger(`events:${schema}`);
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const type of this.consumerTypes) {
      const instance = this.moduleRef.get<unknown, Consumer>(type, { strict: false });
      const prototype = Object.getPrototypeOf(instance) as Consumer;
      for (const method of Object.getOwnPropertyNames(prototype)) {
        const subject = Reflect.getMetadata(ON_EVENT, prototype[method]) as EventSubject | undefined;
        if (!subject) continue;
        const consumer = `${this.schema}.${type.name}.${method}`;
        await this.transport.subscribe({
          consumer,
          subject,
          handle: (event) => this.handleOnce(consumer, event, (e) => instance[method](e)),
        });
      }
    }
  }

  /**
   * Shutting down: no new events, and the handlers running finish while the database and the
   * transport are still open (the transport itself closes last, after the outbox relays' final pass).
   */
  beforeApplicationShutdown(): Promise<void> {
    return this.transport.stopConsuming();
  }

  private async handleOnce(consumer: string, event: DomainEvent, handler: (event: DomainEvent) => Promise<void>): Promise<void> {
    const seen = await this.dataSource.query<unknown[]>(`SELECT 1 FROM "${this.schema}".inbox WHERE consumer = $1 AND event_id = $2`, [consumer, event.id]);
    if (seen.length > 0) return;
    await handler(event);
    await this.dataSource.query(`INSERT INTO "${this.schema}".inbox (consumer, event_id, subject) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [consumer, event.id, event.subject]);
    this.logger.debug(`${consumer} handled ${event.subject} ${event.id}`);
  }
}
