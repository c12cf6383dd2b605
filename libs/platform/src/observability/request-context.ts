import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** The header a request id travels in: HTTP requests and answers, and NATS request headers. */
export const REQUEST_ID_HEADER = 'X-Request-Id';

/** What a caller may choose as a request id: short, and nothing that could forge a log line. */
const SANE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export interface RequestContext {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** A request id the caller sent, when it is one we can log and pass on as is; undefined otherwise. */
export function parseRequestId(value: unknown): string | undefined {
  return typeof value === 'string' && SANE_REQUEST_ID.test(value) ? value : undefined;
}

/** The caller's request id when it is sane, else a new one. */
export function requestIdFrom(value: unknown): string {
  return parseRequestId(value) ?? randomUUID();
}

/** Runs `work` as part of one request: logs and outgoing messages inside it carry its id. */
export function runWithRequestContext<T>(context: RequestContext, work: () => T): T {
  return storage.run(context, work);
}

/** The id of the request being handled, if any (timers and consumers run outside one). */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}
