import { NatsOptions, ServerNats, WritePacket } from '@nestjs/microservices';
import type { Msg, NatsConnection, NatsError, Subscription } from 'nats';
import { Observable, Subscription as Subscribed } from 'rxjs';

type ServerNatsOptions = Required<NatsOptions>['options'];
/** What Nest's getMessageHandler answers (typed there as Function). */
type NatsCallback = (error: NatsError | null, message: Msg) => void;

/**
 * Nest's NATS server, closed gracefully. Nest's own close() closes the connection at once (or,
 * with `gracefulShutdown`, after a fixed grace period), and the answers of requests still being
 * handled are lost: their senders wait for their timeout. This one unsubscribes first, so NATS
 * gives new requests to the other replicas of the queue group, waits until every request already
 * delivered here has been answered, flushes the answers, and only then closes.
 */
export class GracefulNatsServer extends ServerNats {
  private readonly requestSubscriptions: Subscription[] = [];
  /** Requests being handled, and answers not yet sent. */
  private readonly handling = new Set<Promise<unknown>>();

  constructor(private readonly serverOptions: ServerNatsOptions) {
    super(serverOptions);
  }

  /** As Nest subscribes (one queue subscription per pattern), keeping the subscriptions to drain them. */
  override bindEvents(client: NatsConnection): void {
    for (const [pattern, handler] of this.messageHandlers) {
      const queue = (handler.extras?.queue as string | undefined) ?? this.serverOptions.queue;
      this.requestSubscriptions.push(client.subscribe(pattern, { queue, callback: this.getMessageHandler(pattern).bind(this) as NatsCallback }));
    }
  }

  override handleMessage(channel: string, message: Msg): Promise<unknown> {
    return this.track(super.handleMessage(channel, message));
  }

  /** Called while handleMessage runs; the request counts as in flight until its last packet is sent. */
  override send(stream$: Observable<unknown>, respond: (packet: WritePacket) => Promise<unknown> | void): Subscribed {
    let answered!: () => void;
    void this.track(new Promise<void>((resolve) => (answered = resolve)));
    return super.send(stream$, async (packet) => {
      try {
        return await respond(packet);
      } finally {
        if (packet.isDisposed) answered();
      }
    });
  }

  override async close(): Promise<void> {
    await Promise.all(this.requestSubscriptions.splice(0).map((subscription) => subscription.drain().catch(() => undefined)));
    if (this.handling.size > 0) this.logger.log('waiting for the requests in flight to be answered');
    while (this.handling.size > 0) await Promise.allSettled([...this.handling]);
    await this.connection()
      ?.flush()
      .catch(() => undefined);
    await super.close();
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.handling.add(work);
    const settled = () => this.handling.delete(work);
    work.then(settled, settled);
    return work;
  }

  private connection(): NatsConnection | undefined {
    try {
      return this.unwrap<NatsConnection>();
    } catch {
      return undefined;
    }
  }
}
