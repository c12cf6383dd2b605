import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import { ErrorCode, RequestOf, ResponseOf, Subject } from '@vidivo/contracts';
import { firstValueFrom, timeout } from 'rxjs';
import { AppError } from '../errors';

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
    try {
      return await firstValueFrom(this.client.send<ResponseOf<S>>(subject, payload).pipe(timeout(REQUEST_TIMEOUT_MS)));
    } catch (error) {
      throw AppError.fromBody(error) ?? new AppError(ErrorCode.InternalError, `No answer from ${subject}`);
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
