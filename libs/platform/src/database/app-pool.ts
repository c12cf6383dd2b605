import pg from 'pg';
import { AppError } from '../errors/app-error';
import { DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable } from './database-unavailable';

type ConnectCallback = (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void;

/** A retryable 503 for a connection the pool could not give (pg's error kept as its cause, for the logs), any other failure as it was. */
function answerable(error: Error): Error {
  if (!isDatabaseUnavailable(error)) return error;
  return Object.assign(AppError.serviceUnavailable(DATABASE_UNAVAILABLE_MESSAGE), { cause: error });
}

/**
 * pg's pool, except that a connection it cannot give in time (every connection busy for
 * DATABASE_ACQUIRE_TIMEOUT_MS, or Postgres not reachable) fails as `service_unavailable`, which
 * every caller answers as a 503 with Retry-After (decision 32), never as a 500 or a hang.
 */
export class AppPool extends pg.Pool {
  override connect(): Promise<pg.PoolClient>;
  override connect(callback: ConnectCallback): void;
  override connect(callback?: ConnectCallback): Promise<pg.PoolClient> | void {
    if (!callback) return super.connect().catch((error: Error) => Promise.reject(answerable(error)));
    super.connect((error, client, done) => callback(error ? answerable(error) : undefined, client, done));
  }
}

/** The `pg` module as TypeORM's Postgres driver loads it, with {@link AppPool} for its pools. */
export const appPostgresDriver: typeof pg = Object.create(pg, { Pool: { value: AppPool } }) as typeof pg;
