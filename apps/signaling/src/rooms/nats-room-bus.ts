import { Logger } from '@nestjs/common';
import { JSONCodec, NatsConnection, Subscription, connect } from 'nats';
import { RoomBus, RoomSignal } from './room-bus';

const codec = JSONCodec<RoomSignal>();
const channel = (callId: string) => `signal.call.${callId}`;

/**
 * Replicas talk over plain NATS subjects, one per call: signaling is live traffic, so a message
 * for a peer that is gone is simply dropped, as a WebSocket frame would be.
 */
export class NatsRoomBus extends RoomBus {
  private readonly logger = new Logger('signal-bus');
  private readonly subscriptions = new Map<string, Subscription>();
  private connection?: Promise<NatsConnection>;

  constructor(private readonly natsUrl: string) {
    super();
  }

  async join(callId: string, onSignal: (signal: RoomSignal) => void): Promise<void> {
    const nc = await this.connect();
    if (this.subscriptions.has(callId)) return;
    const subscription = nc.subscribe(channel(callId), {
      callback: (error, message) => {
        if (error) return this.logger.warn(`${channel(callId)}: ${error.message}`);
        onSignal(codec.decode(message.data));
      },
    });
    this.subscriptions.set(callId, subscription);
    await nc.flush();
  }

  leave(callId: string): void {
    this.subscriptions.get(callId)?.unsubscribe();
    this.subscriptions.delete(callId);
  }

  publish(signal: RoomSignal): void {
    void this.connect().then((nc) => nc.publish(channel(signal.call_id), codec.encode(signal)));
  }

  async close(): Promise<void> {
    this.subscriptions.clear();
    if (this.connection) await (await this.connection).drain().catch(() => undefined);
  }

  private connect(): Promise<NatsConnection> {
    this.connection ??= connect({ servers: [this.natsUrl], name: 'vidivo-signaling' });
    return this.connection;
  }
}
