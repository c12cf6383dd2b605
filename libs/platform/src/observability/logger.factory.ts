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

/** Fields that never reach a log line: credentials, tokens of every kind, card references, and the cookies an answer sets. */
export const SECRET_FIELDS = ['authorization', 'cookie', 'password', 'refresh_token', 'access_token', 'guest_token', 'signaling_token', 'token', 'payment_method_id', 'set-cookie'];
export const REDACTED = '[Redacted]';

const SECRETS = new Set(SECRET_FIELDS);

function shallowCopy(value: object): Record<string, unknown> {
  if (Array.isArray(value)) return [...(value as unknown[])] as unknown as Record<string, unknown>;
  return Object.create(Object.getPrototypeOf(value) as object | null, Object.getOwnPropertyDescriptors(value)) as Record<string, unknown>;
}

/**
 * A line's fields with every secret field masked, at the top and up to two objects down (as pino's
 * redact paths `field`, `*.field` and `*.*.field` did, at a twentieth of their cost per line). What
 * it was given is never changed: the objects on the way to a secret are copied.
 */
export function redactSecrets<T>(value: T, levelsBelow = 2): T {
  if (value === null || typeof value !== 'object') return value;
  let copy: Record<string, unknown> | undefined;
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    const field: unknown = value[key];
    let kept = field;
    if (SECRETS.has(key)) {
      if (field !== undefined) kept = REDACTED;
    } else if (levelsBelow > 0 && field !== null && typeof field === 'object') {
      kept = redactSecrets(field, levelsBelow - 1);
    }
    if (kept !== field) (copy ??= shallowCopy(value))[key] = kept;
  }
  return (copy as T | undefined) ?? value;
}

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
 * Every line of a request carries its id: anything run for a request (a controller, a message
 * handler) gets it here from the request context, unless the line's logger is bound to one already.
 */
function requestIdMixin(_: object, __: number, logger: Logger): object {
  const requestId = currentRequestId();
  if (requestId === undefined) return {};
  const bound: unknown = Reflect.get(logger, chindingsSym);
  return typeof bound === 'string' && bound.includes('"request_id":') ? {} : { request_id: requestId };
}

/** The process's root logger: JSON lines, secrets redacted (in what is logged and what a child is bound to), levels by name. */
export function createLogger({ app, level, destination }: LoggerOptions): Logger {
  const options: pino.LoggerOptions = {
    level: PINO_LEVELS[level],
    base: { app, pid: process.pid, hostname: hostname() },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }), log: (fields) => redactSecrets(fields) },
    mixin: requestIdMixin,
  };
  const logger = destination ? pino(options, destination) : pino(options);
  // pino runs no formatter over a child's bindings: mask them on the way in (children inherit this).
  const createChild: (this: Logger, bindings: pino.Bindings, options?: pino.ChildLoggerOptions) => Logger = Reflect.get(logger, 'child');
  function redactedChild(this: Logger, bindings: pino.Bindings, childOptions?: pino.ChildLoggerOptions): Logger {
    return createChild.call(this, redactSecrets(bindings), childOptions);
  }
  logger.child = redactedChild as unknown as Logger['child'];
  return logger;
}
