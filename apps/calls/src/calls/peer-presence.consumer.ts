import { Injectable } from '@nestjs/common';
import { DomainEvent } from '@vidivo/contracts';
import { OnEvent } from '@vidivo/platform';
import { CallConnectionsRepository } from './call-connections.repository';

/** Calls learns who is connected from signaling's events, never by asking signaling (decision 28). */
@Injectable()
export class PeerPresenceConsumer {
  constructor(private readonly connections: CallConnectionsRepository) {}

  @OnEvent('signaling.peer.connected')
  async onConnected(event: DomainEvent<'signaling.peer.connected'>): Promise<void> {
    await this.connections.connected(event.payload);
  }

  @OnEvent('signaling.peer.disconnected')
  async onDisconnected(event: DomainEvent<'signaling.peer.disconnected'>): Promise<void> {
    await this.connections.disconnected(event.payload);
  }
}
