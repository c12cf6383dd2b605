import { DynamicModule, LoggerService, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Logger, LoggerModule, PinoLogger } from 'nestjs-pino';
import type { Options as HttpLoggingOptions } from 'pino-http';
import { LoggerOptions, createLogger, redactUrl } from './logger.factory';
import { REQUEST_ID_HEADER, requestIdFrom, runWithRequestContext } from './request-context';

type HttpRequest = IncomingMessage & { id?: unknown; originalUrl?: string };

/** Scrapes and probes come every few seconds: their access lines are debug, not info. */
const ROUTINE_PATHS = /^\/(metrics|health\/(live|ready))(\?|$)/;

/** The request's id, chosen once (the caller's if sane, else ours) and echoed in the answer. */
export function assignRequestId(request: HttpRequest, response: ServerResponse): string {
  if (typeof request.id === 'string') return request.id;
  const id = requestIdFrom(request.headers[REQUEST_ID_HEADER.toLowerCase()]);
  request.id = id;
  if (!response.headersSent) response.setHeader(REQUEST_ID_HEADER, id);
  return id;
}

/** The access log: one line per request, with its id bound to every line logged while it runs. */
export function httpLoggingOptions(options: LoggerOptions): HttpLoggingOptions {
  return {
    logger: createLogger(options),
    genReqId: (request, response) => assignRequestId(request, response),
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'request_id', responseTime: 'duration_ms' },
    serializers: {
      // What identifies the request, with secrets in the query string (signaling's ?token=) masked;
      // header secrets are redacted by the logger's paths.
      req: ({ method, url, headers, remoteAddress }: { method: string; url: string; headers: object; remoteAddress?: string }) => ({
        method,
        url: redactUrl(url),
        headers,
        remote_address: remoteAddress,
      }),
      // The answer's headers are the same on every line (security headers, CORS): its status says it.
      res: ({ statusCode }: { statusCode: number }) => ({ statusCode }),
    },
    customLogLevel: (request, response, error) => {
      if (error || response.statusCode >= 500) return 'error';
      return ROUTINE_PATHS.test((request as HttpRequest).originalUrl ?? request.url ?? '') ? 'debug' : 'info';
    },
  };
}

/** The same JSON lines for what a process logs before its app exists (standalone's embedded Postgres and secrets). */
export function createNestLogger(options: LoggerOptions): LoggerService {
  return new Logger(new PinoLogger({ pinoHttp: { logger: createLogger(options) } }), {});
}

/** Express's route runs inside the request context, so messages it sends carry the request id. */
function requestContextMiddleware(request: HttpRequest, response: ServerResponse, next: () => void): void {
  runWithRequestContext({ requestId: assignRequestId(request, response) }, next);
}

/**
 * Structured JSON logs (pino) for the whole process: the access log, and every `new Logger(name)`
 * line once createApp hands Nest the pino logger.
 */
@Module({})
export class LoggingModule implements NestModule {
  static forRoot(options: LoggerOptions): DynamicModule {
    return { module: LoggingModule, imports: [LoggerModule.forRoot({ pinoHttp: httpLoggingOptions(options) })] };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(requestContextMiddleware).forRoutes({ path: '*', method: RequestMethod.ALL });
  }
}
