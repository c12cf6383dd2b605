import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { logAccess } from './access-log';
import { recordHttpRequest } from './http.metrics';
import { REQUEST_ID_HEADER, requestIdFrom, runWithRequestContext } from './request-context';

type HttpRequest = IncomingMessage & { id?: unknown; originalUrl?: string };

const REQUEST_ID_KEY = REQUEST_ID_HEADER.toLowerCase();

/** The request's id, chosen once (the caller's if sane, else ours) and echoed in the answer. */
export function assignRequestId(request: HttpRequest, response: ServerResponse): string {
  if (typeof request.id === 'string') return request.id;
  const id = requestIdFrom(request.headers[REQUEST_ID_KEY]);
  request.id = id;
  if (!response.headersSent) response.setHeader(REQUEST_ID_HEADER, id);
  return id;
}

/** What the close listener needs, kept on the response: one listener shared by every request, no closure per request. */
const observed = Symbol('observed');

interface ObservedResponse extends ServerResponse {
  [observed]?: { logger: Logger; requestId: string; startedAt: number };
}

function onResponseClose(this: ObservedResponse): void {
  const observation = this[observed];
  const request = this.req as HttpRequest | undefined;
  if (!observation || !request) return;
  const durationMs = performance.now() - observation.startedAt;
  // Answered in full: counted; abandoned by the client or the connection: logged only, as before.
  if (this.writableFinished) recordHttpRequest(request, this, durationMs / 1000);
  logAccess(observation.logger, observation.requestId, request, this, durationMs);
}

/**
 * What every HTTP request gets, in one middleware: its id (the caller's X-Request-Id if sane, else
 * a new one, echoed in the answer), a request context so every line logged and every message sent
 * while it runs carries that id, and, once it is answered, one access line and one metrics sample.
 * One listener and one object per request: no logger per request, no per-request closures.
 */
export function observeHttpRequests(logger: Logger): (request: HttpRequest, response: ObservedResponse, next: () => void) => void {
  return (request, response, next) => {
    // The same object is the request context (it has the requestId the context needs).
    const observation = { logger, requestId: assignRequestId(request, response), startedAt: performance.now() };
    response[observed] = observation;
    response.on('close', onResponseClose);
    runWithRequestContext(observation, next);
  };
}
