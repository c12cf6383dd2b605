import { Logger } from '@nestjs/common';
import { OnGatewayConnection } from '@nestjs/websockets';
import { isOver } from '@vidivo/call-state';
import { AppError, MessageBus, SignalingTokenVerifier } from '@vidivo/platform';
import type { IncomingMessage } from 'node:http';
import { WebSocket } from 'ws';
import { CallRooms } from '../rooms/call-rooms';
import { SignalingGateway, connectionToken } from '../signaling.gateway';
import { countConnection } from '../signaling.metrics';
import { TokenBucket } from './rate-limiter';
import { CLOSE, LEAVE, errorMessage, parseRelayed, serverMessage } from './signal-messages';

/** Close codes a client leaves with on purpose: normal closure, and going away (a closed tab). */
const GOODBYE_CODES = new Set([1000, 1001]);

/** Per connection: a burst of 100 messages, then 50 a second (ICE bursts pass, floods do not). */
const BURST = 100;
const PER_SECOND = 50;

/**
 * `/signal/ws?token=`: the two peers of a call (decision 20). Relayed frames stay on each socket's
 * own `message` handler, not Nest's per-message dispatch (@SubscribeMessage): see the README's
 * signaling benchmark.
 */
@SignalingGateway('/signal/ws')
export class PeerSockets implements OnGatewayConnection {
  private readonly logger = new Logger('signal-ws');

  constructor(
    private readonly tokens: SignalingTokenVerifier,
    private readonly rooms: CallRooms,
    private readonly bus: MessageBus,
  ) {}

  handleConnection(socket: WebSocket, request: IncomingMessage): void {
    countConnection('ws', socket);
    void this.accept(socket, connectionToken(request));
  }

  async accept(socket: WebSocket, token: string): Promise<void> {
    // Frames that arrive while the token and the call are checked are handled in order afterwards.
    const early: Array<{ data: Buffer; isBinary: boolean }> = [];
    const hold = (data: Buffer, isBinary: boolean) => early.push({ data, isBinary });
    socket.on('message', hold);

    let grant;
    try {
      grant = this.tokens.verify(token);
      const call = await this.bus.request('calls.status', { call_id: grant.call_id });
      if (isOver(call.status)) {
        socket.send(serverMessage('call_ended', { call }));
        return socket.close(CLOSE.callEnded, 'The call has ended');
      }
    } catch (error) {
      if (!(error instanceof AppError)) this.logger.warn(`token check failed: ${(error as Error).message}`);
      socket.send(errorMessage('unauthorized', 'The signaling token is invalid or expired'));
      return socket.close(CLOSE.unauthorized, 'Unauthorized');
    }
    if (socket.readyState !== WebSocket.OPEN) return;

    const peer = await this.rooms.connect(grant, socket);
    if (!peer) return;
    // Closed while the room was being joined (a NATS round trip): its close event has passed unheard.
    if ((socket.readyState as number) === WebSocket.CLOSED) return this.rooms.disconnected(peer, false);
    let saidGoodbye = false;
    const bucket = new TokenBucket(BURST, PER_SECOND, Date.now());
    const onMessage = (data: Buffer, isBinary: boolean) => {
      const receivedAt = performance.now();
      if (!bucket.take(Date.now())) return void socket.send(errorMessage('rate_limited', 'Too many messages; slow down'));
      if (isBinary) return void socket.send(errorMessage('bad_message', 'Messages are JSON text'));
      const parsed = parseRelayed(data.toString('utf8'));
      if (!parsed.ok) return void socket.send(errorMessage('bad_message', parsed.message));
      if (parsed.type === LEAVE) {
        saidGoodbye = true;
        return socket.close(CLOSE.normal, 'Goodbye');
      }
      this.rooms.relay(peer, parsed.raw, receivedAt);
    };
    socket.off('message', hold);
    socket.on('message', onMessage);
    // A close the client started with 1000 or 1001 is a goodbye too (decision 29); anything else is a drop.
    socket.once('close', (code: number) => this.rooms.disconnected(peer, saidGoodbye || GOODBYE_CODES.has(code)));
    for (const { data, isBinary } of early) onMessage(data, isBinary);
  }
}
