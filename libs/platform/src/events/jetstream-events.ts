import { Logger } from '@nestjs/common';
import { DomainEvent, EVENT_STREAM_SUBJECTS, EventSubject } from '@vidivo/contracts';
import { AckPolicy, ConsumerMessages, DeliverPolicy, JSONCodec, JetStreamManager, JsMsg, NatsConnection, Subscription, connect, nanos } from 'nats';
import { natsConnectionOptions } from '../messaging/nats-connection';
import { EventSubscription, EventTransport } from './event-transport';

export const EVENT_STREAM = 'VIDIVO_EVENTS';
const codec = JSONCodec<DomainEvent>();
const ACK_WAIT_MS = 60_000;

export interface JetStreamEventsOptions {
  /**
   * How many servers of a JetStream cluster keep the stream (1 on a single server; 3 in production,
   * so losing one server loses no event and stops nothing: decision 34). Applied when the stream is
   * created, and to an existing stream that has fewer; never lowered (an operator may have raised it).
   */
  streamReplicas?: number;
}
/** Redelivery backoff for a failed handler: 1 s, 2 s, 4 s … capped at a minute. */
const retryDelay = (redeliveries: number) => Math.min(60_000, 1_000 * 2 ** Math.min(redeliveries, 6));

/**
 * Distributed mode's event wire. Events live in one JetStream stream; each subscription is a
 * durable consumer shared by the replicas of an app, so an event reaches one replica of each
 * consuming app, is kept while that app is down, and comes back until a handler acknowledges it.
 * Publishing with the event id as `msgID` lets JetStream drop a relay's duplicate sends. The
 * connection reconnects for as long as it takes (a NATS restart or a lost cluster node is waited
 * out, not given up on after the client's default ten attempts), to any server the cluster told it of.
 */
export class JetStreamEvents extends EventTransport {
  private readonly logger = new Logger('events');
  private connection?: Promise<NatsConnection>;
  private streamReady?: Promise<void>;
  private readonly consumers: ConsumerMessages[] = [];
  private readonly listeners: Subscription[] = [];
  /** The handlers running now, one at most per consumer. */
  private readonly handling = new Set<Promise<void>>();
  private consuming = true;

  private readonly streamReplicas: number;

  constructor(
    private readonly natsUrl: string,
    options: JetStreamEventsOptions = {},
  ) {
    super();
    this.streamReplicas = options.streamReplicas ?? 1;
    if (!Number.isInteger(this.streamReplicas) || this.streamReplicas < 1 || this.streamReplicas > 5) {
      throw new RangeError(`streamReplicas must be an integer from 1 to 5 (JetStream's limit), not ${this.streamReplicas}`);
    }
  }

  async publish(event: DomainEvent): Promise<void> {
    await this.ensureStream();
    const nc = await this.connect();
    await nc.jetstream().publish(event.subject, codec.encode(event), { msgID: event.id });
  }

  async subscribe(subscription: EventSubscription): Promise<void> {
    await this.ensureStream();
    const nc = await this.connect();
    const durable = `${subscription.consumer}-${subscription.subject}`.replace(/[^A-Za-z0-9_-]/g, '_');
    const jsm = await nc.jetstreamManager();
    await jsm.consumers.add(EVENT_STREAM, {
      durable_name: durable,
      filter_subject: subscription.subject,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(ACK_WAIT_MS),
    });
    const messages = await nc
      .jetstream()
      .consumers.get(EVENT_STREAM, durable)
      .then((consumer) => consumer.consume({ max_messages: 16 }));
    this.consumers.push(messages);
    void (async () => {
      for await (const message of messages) {
        // Pulled but not started when shutdown began: back to the stream now, for another replica.
        if (!this.consuming) {
          message.nak();
          continue;
        }
        const handled = this.handle(durable, subscription, message);
        this.handling.add(handled);
        await handled.finally(() => this.handling.delete(handled));
      }
    })();
  }

  private async handle(durable: string, subscription: EventSubscription, message: JsMsg): Promise<void> {
    try {
      await subscription.handle(codec.decode(message.data));
      message.ack();
    } catch (error) {
      this.logger.warn(`${durable} failed on ${message.subject} (will retry): ${(error as Error).message}`);
      message.nak(retryDelay(message.info.redeliveryCount));
    }
  }

  /** A plain NATS subscription: JetStream publishes are ordinary messages on their subject too. */
  async listen<S extends EventSubject>(subject: S, listener: (event: DomainEvent<S>) => void): Promise<void> {
    const nc = await this.connect();
    const subscription = nc.subscribe(subject);
    this.listeners.push(subscription);
    void (async () => {
      for await (const message of subscription) {
        try {
          listener(codec.decode(message.data) as DomainEvent<S>);
        } catch (error) {
          this.logger.warn(`listener on ${subject} failed: ${(error as Error).message}`);
        }
      }
    })();
    await nc.flush();
  }

  override async stopConsuming(): Promise<void> {
    this.consuming = false;
    for (const messages of this.consumers.splice(0)) messages.stop();
    if (this.handling.size > 0) this.logger.log(`waiting for ${this.handling.size} event handler(s) to finish`);
    await Promise.allSettled(this.handling);
  }

  async close(): Promise<void> {
    for (const subscription of this.listeners.splice(0)) subscription.unsubscribe();
    await this.stopConsuming();
    if (this.connection) await (await this.connection).drain().catch(() => undefined);
    this.connection = undefined;
  }

  private connect(): Promise<NatsConnection> {
    this.connection ??= connect(natsConnectionOptions(this.natsUrl, 'vidivo-events'));
    return this.connection;
  }

  /** Creates the event stream, or raises its replicas, if need be; publish and subscribe do it themselves. */
  ensureStream(): Promise<void> {
    this.streamReady ??= this.connect()
      .then((nc) => nc.jetstreamManager())
      .then((jsm) => declareStream(jsm, this.streamReplicas))
      .catch((error) => {
        this.streamReady = undefined;
        throw error;
      });
    return this.streamReady;
  }
}

async function declareStream(jsm: JetStreamManager, replicas: number): Promise<void> {
  const config = {
    name: EVENT_STREAM,
    subjects: EVENT_STREAM_SUBJECTS,
    max_age: nanos(7 * 24 * 3600_000),
    duplicate_window: nanos(10 * 60_000),
    num_replicas: replicas,
  };
  const existing = await jsm.streams.info(EVENT_STREAM).catch(() => null);
  if (!existing) await jsm.streams.add(config).catch(async () => jsm.streams.update(EVENT_STREAM, config));
  else if (existing.config.subjects.join() !== EVENT_STREAM_SUBJECTS.join() || (existing.config.num_replicas ?? 1) < replicas) await jsm.streams.update(EVENT_STREAM, config);
}
