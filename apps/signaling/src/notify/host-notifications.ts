import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { OnGatewayConnection } from '@nestjs/websockets';
import { CallDto, publicCall } from '@vidivo/contracts';
import { AccessTokenVerifier, EventTransport, MessageBus, Presence, hostPresenceKey } from '@vidivo/platform';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { WebSocket } from 'ws';
import { CallRooms } from '../rooms/call-rooms';
import { CLOSE, errorMessage, serverMessage } from '../peers/signal-messages';
import { SignalingGateway, connectionToken } from '../signaling.gateway';
import { countConnection } from '../signaling.metrics';

/**
 * `/signal/notify?token=<access token>`: a host's live channel for incoming calls (decision 21).
 * Telling a live host connection about a call is what makes it ring (decision 13).
 */
@SignalingGateway('/signal/notify')
export class HostNotifications implements OnApplicationBootstrap, OnGatewayConnection {
  private readonly logger = new Logger('signal-notify');
  private readonly hosts = new Map<string, Set<WebSocket>>();

  constructor(
    private readonly tokens: AccessTokenVerifier,
    private readonly bus: MessageBus,
    private readonly events: EventTransport,
    private readonly rooms: CallRooms,
    private readonly presence: Presence,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.events.listen('calls.call.created', ({ payload }) => void this.incoming(publicCall(payload.call)));
    await this.events.listen('calls.call.ended', ({ payload }) => {
      const call = publicCall(payload.call);
      this.rooms.callEnded(call);
      if (call.started_at === null) this.send(call.host.id, serverMessage('call_cancelled', { call }));
    });
    await this.events.listen('calls.call.ending', ({ payload }) => this.rooms.callEnding(payload.call_id, { reason: payload.reason, at: payload.at }));
  }

  handleConnection(socket: WebSocket, request: IncomingMessage): void {
    countConnection('notify', socket);
    void this.accept(socket, connectionToken(request));
  }

  private async accept(socket: WebSocket, token: string): Promise<void> {
    let hostId: string;
    try {
      const actor = await this.tokens.authenticate(token);
      if (actor.role !== 'host' && actor.role !== 'admin') throw new Error('not a host');
      hostId = actor.id;
    } catch {
      socket.send(errorMessage('unauthorized', 'A host access token is required'));
      return socket.close(CLOSE.unauthorized, 'Unauthorized');
    }
    const sockets = this.hosts.get(hostId) ?? new Set<WebSocket>();
    this.hosts.set(hostId, sockets.add(socket));
    // The host is online while this connection lives, wherever it is asked (decision 29).
    const presenceKey = hostPresenceKey(hostId, randomUUID());
    this.presence.announce(presenceKey, { since: Date.now() });
    socket.once('close', () => {
      this.presence.withdraw(presenceKey);
      sockets.delete(socket);
      if (sockets.size === 0 && this.hosts.get(hostId) === sockets) this.hosts.delete(hostId);
    });
    // Calls that started ringing before this channel opened are announced now, on this channel
    // only: the host's other channels were told when the call came in.
    const waiting = await this.bus.request('calls.waiting-for-host', { host_id: hostId }).catch(() => [] as CallDto[]);
    for (const call of waiting) {
      if (socket.readyState !== WebSocket.OPEN) return;
      socket.send(serverMessage('incoming_call', { call }));
      await this.markRinging(call);
    }
  }

  private async incoming(call: CallDto): Promise<void> {
    if (this.send(call.host.id, serverMessage('incoming_call', { call }))) await this.markRinging(call);
  }

  private async markRinging(call: CallDto): Promise<void> {
    await this.bus.request('calls.mark-ringing', { call_id: call.id }).catch((error) => this.logger.warn(`call ${call.id} not marked ringing: ${(error as Error).message}`));
  }

  /** Sends to every open channel of a host; true when at least one took it. */
  private send(hostId: string, message: string): boolean {
    let delivered = false;
    for (const socket of this.hosts.get(hostId) ?? []) {
      if (socket.readyState !== WebSocket.OPEN) continue;
      socket.send(message);
      delivered = true;
    }
    return delivered;
  }
}
