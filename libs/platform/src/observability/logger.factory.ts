import { hostname } from 'node:os';
import pino, { DestinationStream, Level, Logger } from 'pino';
import { LogLevel } from '../config';
import { currentRequestId } from './request-context';

/** LOG_LEVEL speaks Nest's names; pino has its own. */
export const PINO_LEVELS: Record<LogLevel, Level> = {
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

/** Fields that never reach a log line: credentials, tokens of every kind, and card references. */
export const SECRET_FIELDS = ['authorization', 'cookie', 'password', 'refresh_token', 'access_token', 'guest_token', 'signaling_token', 'token', 'payment_method_id'];
/** pino's paths have no "any depth": cover a secret at the top and up to two objects down. */
export const REDACTED_PATHS = SECRET_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]).concat('res.headers["set-cookie"]');
export const REDACTED = '[Redacted]';

/** Query parameters that carry secrets (signaling URLs carry `?token=`). */
const SECRET_QUERY = /([?&](?:token|access_token|refresh_token|guest_token|password|payment_method_id)=)[^&#]*/gi;

export function redactUrl(url: string): string {
  return url.replace(SECRET_QUERY, `$1${REDACTED}`);
}

export interface LoggerOptions {
  /** The process (app definition) name, on every line. */
  app: string;
  level: LogLevel;
  /** Where lines go; stdout unless given (tests capture them). */
  destination?: DestinationStream;
}

const { chindingsSym } = pino.symbols;

/**
 * Every line of a request carries its id: the HTTP side binds it to the request's logger, and
 * anything else run for a request (a message handler, a line from outside the request's logger)
 * gets it here from the request context.
 */
function requestIdMixin(_: object, __: number, logger: Logger): object {
  const requestId = currentRequestId();
  if (requestId === undefined) return {};
  const bound: unknown = Reflect.get(logger, chindingsSym);
  return typeof bound === 'string' && bound.includes('"request_id":') ? {} : { request_id: requestId };
}

/** The process's root logger: JSON lines, secrets redacted, levels by name. */
export function createLogger({ app, level, destination }: LoggerOptions): Logger {
  const options: pino.LoggerOptions = {
    level: PINO_LEVELS[level],
    base: { app, pid: process.pid, hostname: hostname() },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, censor: REDACTED },
    mixin: requestIdMixin,
  };
  return destination ? pino(options, destination) : pino(options);
}
