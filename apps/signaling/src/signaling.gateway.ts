import { INestApplication } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import { WebSocketGateway } from '@nestjs/websockets';
import type { MessageMappingProperties } from '@nestjs/websockets/gateway-metadata-explorer';
import { PeriodicJob, PeriodicJobs } from '@vidivo/platform';
import { IncomingMessage, Server, createServer } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Observable } from 'rxjs';
import type { WebSocket, WebSocketServer } from 'ws';
import { MAX_FRAME_BYTES } from './peers/signal-messages';

/** The "server going away" close code: clients reconnect (to another replica) with a fresh token. */
const GOING_AWAY = 1001;
/** How long clients get to answer the close handshake before their connection is cut. */
const CLOSE_HANDSHAKE_MS = 2_000;

/**
 * A signaling endpoint: a Nest gateway on `path` of the app's own HTTP server (in standalone mode
 * the REST port). Frames travel as sent (no compression), 64 KiB at most: a larger one closes the
 * socket (1009).
 */
export const SignalingGateway = (path: string) => WebSocketGateway({ path, perMessageDeflate: false, maxPayload: MAX_FRAME_BYTES });

/** The `?token=` a client connected with. */
export const connectionToken = (request: IncomingMessage) => new URL(request.url ?? '/', 'http://localhost').searchParams.get('token') ?? '';

/** A gateway's `ws` server as WsAdapter registers it, with the path it answers. */
type GatewayServer = WebSocketServer & { path: string };

/**
 * Nest's WsAdapter (a `ws` server per gateway path, sharing the app's HTTP server), made fit for
 * an edge on the internet:
 * - an upgrade off the gateways' paths gets 404 and one whose target is not a URL 400 (the stock
 *   adapter drops the first and answers the second malformed), and no socket error can end the process;
 * - a gateway that subscribes to no message gets no dispatch: its frames stay with the socket's
 *   own `message` handler (the stock adapter JSON-parses every frame to look for a handler);
 * - a client that misses a ping round is cut off (found within two rounds), by one periodic job
 *   for the clients of every gateway;
 * - on app.close() every client is told to reconnect (1001) rather than cut off, and new upgrades
 *   get 503 from `ws` meanwhile.
 */
export class SignalingWsAdapter extends WsAdapter {
  private readonly servers = new Set<GatewayServer>();
  /** The clients that answered the last ping (or connected since). */
  private readonly answered = new WeakSet<WebSocket>();
  private heartbeat?: PeriodicJob;

  constructor(
    app: INestApplication,
    private readonly pingMs: number,
    private readonly jobs: PeriodicJobs,
  ) {
    super(app);
  }

  override create(port: number, options?: Record<string, unknown>): GatewayServer {
    const server = super.create(port, options) as GatewayServer;
    server.on('connection', (socket: WebSocket) => {
      this.answered.add(socket);
      socket.on('pong', () => this.answered.add(socket));
    });
    this.servers.add(server);
    server.once('close', () => this.servers.delete(server));
    this.heartbeat ??= this.jobs.every('signaling-heartbeat', this.pingMs, () => this.pingRound());
    return server;
  }

  override bindErrorHandler(server: WebSocketServer): WebSocketServer {
    // ws closes the connection itself after a protocol error (1009 for a frame over maxPayload).
    server.on('connection', (socket: WebSocket) => socket.on('error', (error) => this.logger.debug(`connection closed on a protocol error: ${error.message}`)));
    server.on('error', (error) => this.logger.error(error));
    return server;
  }

  override bindMessageHandlers(client: WebSocket, handlers: MessageMappingProperties[], transform: (data: unknown) => Observable<unknown>): void {
    if (handlers.length > 0) super.bindMessageHandlers(client, handlers, transform);
  }

  /** Runs after every beforeApplicationShutdown hook, so CallRooms counts these closes as drops. */
  override async close(server: WebSocketServer): Promise<void> {
    const closed = new Promise((resolve) => server.close(resolve));
    for (const socket of server.clients) socket.close(GOING_AWAY, 'Server restarting; reconnect');
    const cutOff = setTimeout(() => server.clients.forEach((socket) => socket.terminate()), CLOSE_HANDSHAKE_MS);
    await closed;
    clearTimeout(cutOff);
  }

  private pingRound(): void {
    for (const server of this.servers) {
      for (const socket of server.clients) {
        if (this.answered.delete(socket)) socket.ping();
        else socket.terminate();
      }
    }
  }

  protected override ensureHttpServerExists(port: number, httpServer = createServer()): Server | undefined {
    if (this.httpServersRegistry.has(port)) return undefined;
    this.httpServersRegistry.set(port, httpServer);
    httpServer.on('upgrade', (request, socket, head) => this.upgrade(this.gatewayServers(port), request, socket, head));
    return httpServer;
  }

  /** The gateways' servers WsAdapter registered on a port (its registry is typed any[]). */
  private gatewayServers(port: number): GatewayServer[] {
    return (this.wsServersRegistry.get(port) ?? []) as GatewayServer[];
  }

  private upgrade(servers: GatewayServer[], request: IncomingMessage, socket: Duplex, head: Buffer): void {
    // Node stops listening for errors on an upgraded socket: an unheard one would end the process.
    const onSocketError = () => socket.destroy();
    socket.on('error', onSocketError);
    let path: string;
    try {
      path = new URL(request.url ?? '/', 'http://localhost').pathname;
    } catch {
      return void socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    }
    const server = servers.find((candidate) => candidate.path === path);
    if (!server) return void socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
    server.handleUpgrade(request, socket, head, (ws) => {
      socket.off('error', onSocketError);
      server.emit('connection', ws, request);
    });
  }
}
