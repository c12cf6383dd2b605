import { CustomTransportStrategy, ClientProxy, MsPattern, NatsRecord, ReadPacket, Server, WritePacket } from '@nestjs/microservices';
import { BaseRpcContext } from '@nestjs/microservices/ctx-host/base-rpc.context';
import { NO_MESSAGE_HANDLER } from '@nestjs/microservices/constants';
import type { MsgHdrs } from 'nats';
import { InMemoryPresence } from '../presence/presence';
import { InProcessEvents } from '../events/in-process-events';

/** The wire of standalone mode: requests go through JSON as they would over NATS, but never leave the process. */
const copyAsOnTheWire = <T>(value: T): T => (value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T));

/** The subject, and the headers a request was sent with (as a NatsRecord), as NATS gives them. */
export class InProcessContext extends BaseRpcContext<[string, MsgHdrs?]> {
  getHeaders(): MsgHdrs | undefined {
    return this.args[1];
  }
}

/** What the caller sent: a request with headers comes wrapped in a NatsRecord, as over NATS. */
const unwrap = (data: unknown): { data: unknown; headers?: MsgHdrs } => (data instanceof NatsRecord ? data : { data });

/** Connects the clients and servers of one process. */
export class InProcessBroker {
  private readonly servers: InProcessServer[] = [];
  /** Domain events between the apps of this process. */
  readonly events = new InProcessEvents();
  /** Who is connected where, shared by the apps of this process (decision 29). */
  readonly presence = new InMemoryPresence();

  attach(server: InProcessServer): void {
    this.servers.push(server);
  }

  detach(server: InProcessServer): void {
    const index = this.servers.indexOf(server);
    if (index >= 0) this.servers.splice(index, 1);
  }

  serverFor(pattern: string): InProcessServer | undefined {
    return this.servers.find((server) => server.handles(pattern));
  }

  serversFor(pattern: string): InProcessServer[] {
    return this.servers.filter((server) => server.handles(pattern));
  }
}

export class InProcessServer extends Server implements CustomTransportStrategy {
  constructor(private readonly broker: InProcessBroker) {
    super();
  }

  listen(callback: () => void): void {
    this.broker.attach(this);
    callback();
  }

  close(): void {
    this.broker.detach(this);
  }

  handles(pattern: string): boolean {
    return this.messageHandlers.has(pattern);
  }

  async request(pattern: string, data: unknown, reply: (packet: WritePacket) => void, headers?: MsgHdrs): Promise<void> {
    // Our subjects are plain strings: a map lookup, not Nest's getHandlerByPattern, which tries JSON.parse on each one first.
    const handler = this.messageHandlers.get(pattern);
    if (!handler) return reply({ err: NO_MESSAGE_HANDLER, isDisposed: true });
    const context = new InProcessContext(headers ? [pattern, headers] : [pattern]);
    const response$ = this.transformToObservable(await handler(copyAsOnTheWire(data), context));
    this.send(response$, (packet) => reply(copyAsOnTheWire(packet)));
  }

  async deliver(pattern: string, data: unknown): Promise<void> {
    await this.handleEvent(pattern, { pattern, data: copyAsOnTheWire(data) }, new InProcessContext([pattern]));
  }

  on(): void {
    // The in-process broker raises no transport events.
  }

  unwrap<T>(): T {
    return this.broker as T;
  }
}

export class InProcessClient extends ClientProxy {
  constructor(private readonly broker: InProcessBroker) {
    super();
  }

  async connect(): Promise<void> {}

  close(): void {}

  unwrap<T>(): T {
    return this.broker as T;
  }

  protected publish(packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    const pattern = this.normalizePattern(packet.pattern as MsPattern);
    const server = this.broker.serverFor(pattern);
    if (!server) {
      callback({ err: NO_MESSAGE_HANDLER, isDisposed: true });
      return () => undefined;
    }
    const { data, headers } = unwrap(packet.data);
    server.request(pattern, data, callback, headers).catch((err: unknown) => callback({ err, isDisposed: true }));
    return () => undefined;
  }

  protected async dispatchEvent<T>(packet: ReadPacket): Promise<T> {
    const pattern = this.normalizePattern(packet.pattern as MsPattern);
    const { data } = unwrap(packet.data);
    await Promise.all(this.broker.serversFor(pattern).map((server) => server.deliver(pattern, data)));
    return undefined as T;
  }
}
