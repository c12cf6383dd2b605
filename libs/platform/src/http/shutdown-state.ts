import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { AbstractHttpAdapter, HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/**
 * Whether this process is shutting down, and the HTTP side of it. From the moment shutdown begins
 * `/health/ready` answers 503 (load balancers stop routing here), every response asks its client
 * to close the connection and connections left idle are closed: the HTTP server's close then
 * waits for the requests in flight only, not for keep-alive connections (Node keeps those until
 * their keepAliveTimeout, even once the server has stopped listening).
 */
@Injectable()
export class ShutdownState implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private began = false;
  private server?: Server;
  /** The responses being written (what they answer is told from their request only when asked). */
  private readonly inFlight = new Set<ServerResponse>();
  /** One 'close' listener for every response (`this` is the response): nothing made per request. */
  private readonly untrack: (this: ServerResponse) => void;

  constructor(private readonly adapterHost: HttpAdapterHost<AbstractHttpAdapter<Server>>) {
    const inFlight = this.inFlight;
    const closeIdleWhenShuttingDown = () => {
      // One whose headers had gone out before shutdown began stays open once answered: close it now.
      if (this.began) setImmediate(() => this.server?.closeIdleConnections());
    };
    this.untrack = function (this: ServerResponse) {
      inFlight.delete(this);
      closeIdleWhenShuttingDown();
    };
  }

  get shuttingDown(): boolean {
    return this.began;
  }

  /** `METHOD /path` of each request still being answered. */
  get requestsInFlight(): string[] {
    return [...this.inFlight].map(({ req }) => `${req.method} ${((req as { originalUrl?: string }).originalUrl ?? req.url ?? '/').split('?')[0]}`);
  }

  onApplicationBootstrap(): void {
    this.server = this.adapterHost.httpAdapter?.getHttpServer();
    this.server?.prependListener('request', (_request: IncomingMessage, response: ServerResponse) => this.track(response));
  }

  /** app.close() alone (tests, tools) begins it too; on a signal runApp begins it before closing. */
  beforeApplicationShutdown(): void {
    this.begin();
  }

  begin(): void {
    if (this.began) return;
    this.began = true;
    for (const response of this.inFlight) askToClose(response);
    this.server?.closeIdleConnections();
  }

  private track(response: ServerResponse): void {
    this.inFlight.add(response);
    if (this.began) askToClose(response);
    response.on('close', this.untrack);
  }
}

/** `Connection: close` makes Node end the connection once this response is written. */
function askToClose(response: ServerResponse): void {
  if (!response.headersSent) response.setHeader('Connection', 'close');
}
