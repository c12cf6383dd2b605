import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ClientProxy, NatsRecordBuilder } from '@nestjs/microservices';
import { RequestOf, ResponseOf, Subject } from '@vidivo/contracts';
import { headers } from 'nats';
import { TimeoutError, firstValueFrom, timeout } from 'rxjs';
import { AppError } from '../errors';
import { busRequestDuration } from '../observability/bus.metrics';
import { secondsSince } from '../observability/metrics.registry';
import { REQUEST_ID_HEADER, currentRequestId } from '../observability/request-context';

export const BUS_CLIENT = Symbol('BUS_CLIENT');
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * Request/reply between apps over whichever transport this process uses. Errors that come back
 * in a reply are rebuilt as {@link AppError}, so they reach the caller with their own code.
 */
@Injectable()
export class MessageBus implements OnApplicationShutdown {
  constructor(@Inject(BUS_CLIENT) private readonly client: ClientProxy) {}

  async request<S extends Subject>(subject: S, payload: RequestOf<S>): Promise<ResponseOf<S>> {
    const started = performance.now();
    let outcome = 'ok';
    try {
      return await firstValueFrom(this.client.send<ResponseOf<S>>(subject, withRequestId(payload)).pipe(timeout(REQUEST_TIMEOUT_MS)));
    } catch (error) {
      const answered = AppError.fromBody(error);
      outcome = answered?.code ?? (error instanceof TimeoutError ? 'timeout' : 'no_answer');
      // No reply at all: the bus or the answering app is down for a moment, which a client may retry.
      throw answered ?? AppError.serviceUnavailable(`No answer from ${subject}; try again shortly`);
    } finally {
      busRequestDuration.observe({ subject, outcome }, secondsSince(started));
    }
  }

  /** True when the transport can carry messages right now (used by readiness checks). */
  async isConnected(): Promise<boolean> {
    await this.client.connect();
    const connection = this.client.unwrap<{ isClosed?: () => boolean; flush?: () => Promise<void> } | object>();
    if (!('flush' in connection) || typeof connection.flush !== 'function') return true;
    if (connection.isClosed?.()) return false;
    await connection.flush();
    return true;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}

/** Inside a request, the message carries its id in a header, so the answering app logs under it too. */
function withRequestId(payload: unknown): unknown {
  const requestId = currentRequestId();
  if (requestId === undefined) return payload;
  const carried = headers();
  carried.set(REQUEST_ID_HEADER, requestId);
  return new NatsRecordBuilder(payload).setHeaders(carried).build();
}
