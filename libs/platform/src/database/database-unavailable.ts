/** What pg-pool says when no connection of the pool came free within `connectionTimeoutMillis`. */
const ACQUIRE_TIMEOUT = 'timeout exceeded when trying to connect';
/** pg-pool and pg when a new connection could not be opened in time. */
const CONNECT_TIMEOUTS = ['Connection terminated due to connection timeout', 'timeout expired'];
/** Node's codes for a database that cannot be reached at all. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE']);
/** SQLSTATEs of a server going away or not taking connections: admin_shutdown, crash_shutdown, cannot_connect_now. */
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03']);
/** TypeORM's, for a transaction whose connection the server cut under it: its runner was released on the connection's error. */
const RELEASED_RUNNER_ERRORS = new Set(['QueryRunnerAlreadyReleasedError', 'QueryRunnerProviderAlreadyReleasedError']);

interface ErrorLike {
  message?: unknown;
  code?: unknown;
  driverError?: unknown;
  cause?: unknown;
}

/**
 * True when `error` means the app's database could not serve the request right now (no free
 * connection in the pool within DATABASE_ACQUIRE_TIMEOUT_MS, Postgres unreachable or restarting),
 * as opposed to a statement that failed: the caller is answered a retryable 503 (decision 32).
 * Looks through TypeORM's `driverError` and an error's `cause`.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    const { message, code, driverError, cause } = current as ErrorLike;
    if (RELEASED_RUNNER_ERRORS.has((current as Error).name)) return true;
    if (typeof message === 'string' && (message === ACQUIRE_TIMEOUT || CONNECT_TIMEOUTS.includes(message) || message === 'Connection terminated unexpectedly')) return true;
    if (typeof code === 'string' && (UNREACHABLE_CODES.has(code) || UNAVAILABLE_STATES.has(code) || code.startsWith('08'))) return true;
    current = driverError ?? cause;
  }
  return false;
}

/** The message a caller sees for it. */
export const DATABASE_UNAVAILABLE_MESSAGE = 'The service is busy or its database is not reachable; please try again';
