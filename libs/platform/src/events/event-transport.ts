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
  /**
   * Every replica of the listener hears every event from now on, best effort: for live state
   * that each replica holds for itself (open WebSockets), where a durable, shared consumer is wrong.
   */
  abstract listen<S extends EventSubject>(subject: S, listener: (event: DomainEvent<S>) => void): Promise<void>;
  /**
   * Shutting down: take no more events and resolve once the handlers running now have finished.
   * Publishing still works (outbox relays deliver until close()). Inside one process there is
   * nothing to stop: the relays' final pass hands its events to the subscribers directly.
   */
  async stopConsuming(): Promise<void> {}
  /** Stops consuming (as above), then closes the connection. */
  abstract close(): Promise<void>;
}
