import { DynamicModule, Module, Type } from '@nestjs/common';
import { dataSourceToken } from '../database';
import { JobsModule } from '../schedule';
import { EVENT_CONSUMERS, EventConsumers } from './event-consumers';
import { EVENTS_SCHEMA, Outbox } from './outbox';
import { EVENTS_DATA_SOURCE, OutboxRelay } from './outbox-relay';

export interface DomainEvents {
  /** The schema whose outbox and inbox tables this domain uses (see createEventTables). */
  schema: string;
  /** Providers of the domain with `@OnEvent` methods. */
  consumers?: Type[];
}

/** A domain's events: the outbox it writes to, the relay that delivers it, and its consumers. */
@Module({})
export class EventsModule {
  static forDomain({ schema, consumers = [] }: DomainEvents): DynamicModule {
    return {
      module: EventsModule,
      imports: [JobsModule],
      providers: [
        { provide: EVENTS_SCHEMA, useValue: schema },
        { provide: EVENTS_DATA_SOURCE, useExisting: dataSourceToken(schema) },
        { provide: EVENT_CONSUMERS, useValue: consumers },
        Outbox,
        OutboxRelay,
        EventConsumers,
      ],
      exports: [Outbox, OutboxRelay],
    };
  }
}
