import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { AppConfig } from '@vidivo/platform';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { HostNotifications } from './notify/host-notifications';
import { PeerSockets } from './peers/peer-sockets';
import { CallRooms } from './rooms/call-rooms';
import { MAX_FRAME_BYTES } from './peers/signal-messages';
import { signalingConnections } from './signaling.metrics';

/** The "server going away" close code: clients reconnect (to another replica) with a fresh token. */
const GOING_AWAY = 1001;
/** How long clients get to answer the close handshake before their connection is cut. */
const CLOSE_HANDSHAKE_MS = 2_000;

/**
 * The WebSocket side of the app's own HTTP server, so standalone mode serves signaling on the
 * REST port. `ws` directly rather than @nestjs/websockets: two fixed paths with a token in the
 * query, raw frames relayed untouched, and no per-message decorator dispatch on the hot path.
 */
@Injectable()
export class SignalingServer implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('signal-ws');
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false });
  private readonly alive = new WeakMap<WebSocket, boolean>();
  private heartbeat?: NodeJS.Timeout;
  private closing = false;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly peers: PeerSockets,
    private readonly notifications: HostNotifications,
    private readonly rooms: CallRooms,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const server: Server = this.adapterHost.httpAdapter.getHttpServer();
    server.on('upgrade', (request, socket, head) => this.upgrade(request, socket, head));
    // A peer that misses a ping round is gone: found within two rounds (under a minute by default).
    this.heartbeat = setInterval(() => this.checkPulses(), this.config.env.SIGNALING_PING_SECONDS * 1000);
  }

  /**
   * Before the HTTP server closes, as its close waits for every connection, upgraded ones too:
   * each client is told to reconnect (to another replica) and its connection ends.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    this.rooms.drain();
    clearInterval(this.heartbeat);
    const closed = [...this.wss.clients].map((socket) => {
      const gone = new Promise((resolve) => socket.once('close', resolve));
      socket.close(GOING_AWAY, 'Server restarting; reconnect');
      return gone;
    });
    const cutOff = setTimeout(() => [...this.wss.clients].forEach((socket) => socket.terminate()), CLOSE_HANDSHAKE_MS);
    await Promise.all(closed);
    clearTimeout(cutOff);
  }

  onApplicationShutdown(): void {
    clearInterval(this.heartbeat);
    this.wss.close();
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    // Node stops listening for errors on an upgraded socket: an unheard one would end the process.
    const onSocketError = () => socket.destroy();
    socket.on('error', onSocketError);
    let url: URL;
    try {
      url = new URL(request.url ?? '/', 'http://localhost');
    } catch {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      return;
    }
    if (this.closing) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
      return;
    }
    const route = url.pathname === '/signal/ws' ? this.peers : url.pathname === '/signal/notify' ? this.notifications : null;
    if (!route) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      socket.off('error', onSocketError);
      // ws closes the connection itself after a protocol error (1009 for a frame over the limit).
      ws.on('error', (error) => this.logger.debug(`connection closed on a protocol error: ${error.message}`));
      this.alive.set(ws, true);
      ws.on('pong', () => this.alive.set(ws, true));
      const endpoint = route === this.peers ? 'ws' : 'notify';
      signalingConnections.inc({ endpoint });
      ws.once('close', () => signalingConnections.dec({ endpoint }));
      void route.accept(ws, url.searchParams.get('token') ?? '');
    });
  }

  private checkPulses(): void {
    for (const socket of this.wss.clients) {
      if (!this.alive.get(socket)) {
        socket.terminate();
        continue;
      }
      this.alive.set(socket, false);
      socket.ping();
    }
  }
}
