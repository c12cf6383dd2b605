import { DomainEvent, EventSubject } from '@vidivo/contracts';
import { EventSubscription, EventTransport } from './event-transport';

/**
 * Standalone mode's event wire: publishing runs every subscriber of the subject before it
 * returns, so the outbox row is marked delivered only once all of them have succeeded. A failure
 * leaves the row for the relay to retry; subscribers that already succeeded skip it by their inbox.
 */
export class InProcessEvents extends EventTransport {
  private readonly subscriptions: EventSubscription[] = [];

  async publish(event: DomainEvent): Promise<void> {
    const copy = () => JSON.parse(JSON.stringify(event)) as DomainEvent;
    const targets = this.subscriptions.filter((subscription) => subscription.subject === event.subject);
    const results = await Promise.allSettled(targets.map((subscription) => subscription.handle(copy())));
    const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failure) throw failure.reason;
  }

  subscribe(subscription: EventSubscription): Promise<void> {
    this.subscriptions.push(subscription);
    return Promise.resolve();
  }

  listen<S extends EventSubject>(subject: S, listener: (event: DomainEvent<S>) => void): Promise<void> {
    // A listener that throws rejects its handling, as a failed subscriber does.
    this.subscriptions.push({ consumer: 'listener', subject, handle: (event) => new Promise<void>((resolve) => resolve(listener(event as DomainEvent<S>))) });
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.subscriptions.length = 0;
    return Promise.resolve();
  }
}
