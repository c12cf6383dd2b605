import { DomainEvent, EventSubject } from '@vidivo/contracts';

export interface EventSubscription {
  /** Names the consumer: its durable position on the stream and its rows in the inbox. */
  consumer: string;
  subject: EventSubject;
  handle(event: DomainEvent): Promise<void>;
}

/**
 * Carries committed events from outboxes to consumers: JetStream between processes, a direct
 * call inside one. Either way a failed handler gets the event again later.
 */
export abstract class EventTransport {
  abstract publish(event: DomainEvent): Promise<void>;
  abstract subscribe(subscription: EventSubscription): Promise<void>;
  abstract close(): Promise<void>;
}
