import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Level, Logger } from 'pino';
import { redactUrl } from './logger.factory';

/** Scrapes and probes come every few seconds: their access lines are debug, not info. */
const ROUTINE_PATHS = /^\/(metrics|health\/(live|ready))(\?|$)/;

type AccessRequest = IncomingMessage & { originalUrl?: string };

function accessLevel(request: AccessRequest, response: ServerResponse): Level {
  if (response.statusCode >= 500) return 'error';
  return ROUTINE_PATHS.test(request.originalUrl ?? request.url ?? '') ? 'debug' : 'info';
}

/**
 * The access log: one line per request once it is answered (or abandoned), written by the root
 * logger with the request's id in it, no logger made per request. The fields: what identifies the
 * request, with secrets in the query string (signaling's ?token=) masked and header secrets
 * redacted by the logger's paths; the answer's status (its headers are the same on every line);
 * the time taken.
 */
export function logAccess(logger: Logger, requestId: string, request: AccessRequest, response: ServerResponse, durationMs: number): void {
  const level = accessLevel(request, response);
  if (!logger.isLevelEnabled(level)) return;
  const completed = !request.readableAborted && response.writableEnded;
  const line: Record<string, unknown> = {
    request_id: requestId,
    req: { method: request.method, url: redactUrl(request.originalUrl ?? request.url ?? ''), headers: request.headers, remote_address: request.socket?.remoteAddress },
    res: { statusCode: response.headersSent ? response.statusCode : null },
    duration_ms: Math.round(durationMs * 10) / 10,
  };
  if (response.statusCode >= 500) {
    line.err = new Error(`failed with status code ${response.statusCode}`);
    logger[level](line, 'request errored');
  } else {
    logger[level](line, completed ? 'request completed' : 'request aborted');
  }
}
