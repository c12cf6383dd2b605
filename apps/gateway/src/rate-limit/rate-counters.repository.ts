import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { GATEWAY_SCHEMA, GATEWAY_TABLES } from '../gateway.schema';

/** One counter after a hit. */
export interface CounterHit {
  key: string;
  /** Hits in the counter's current window, this one included. */
  hits: number;
  /** Until the window ends, rounded up (what `Retry-After` says). */
  secondsLeft: number;
}

export interface HitOptions {
  windowSeconds: number;
  limit: number;
  /** The hit that goes over `limit` stretches the window to at least this long from now (the throttler's block duration). */
  blockSeconds?: number;
}

const COUNTERS = GATEWAY_TABLES.rateCounters;

/**
 * A counter's key: a readable namespace and kind, then a digest of what is counted, so an address,
 * an account or a path segment of any length or content becomes a short, safe key (and no address
 * is kept in clear).
 */
export function counterKey(namespace: string, kind: string, subject: string): string {
  return `${namespace}:${kind}:${createHash('sha256').update(subject).digest('base64url')}`;
}

/**
 * The SQL of the shared counters (decision 35). Every change to a counter is one atomic statement,
 * so replicas and concurrent requests never lose a hit; statements touching several counters take
 * their rows in key order, so they cannot deadlock one another.
 */
@Injectable()
export class RateCountersRepository {
  constructor(@InjectDataSource(GATEWAY_SCHEMA) private readonly db: DataSource) {}

  /** Adds a hit to each counter; a counter whose window has ended starts a new one at this hit. */
  async hit(keys: readonly string[], { windowSeconds, limit, blockSeconds = 0 }: HitOptions): Promise<CounterHit[]> {
    const rows = await this.db.query<Array<{ key: string; hits: number; seconds_left: number }>>(
      `INSERT INTO ${COUNTERS} AS c (key, hits, expires_at)
       SELECT key, 1, now() + make_interval(secs => $2) FROM unnest($1::text[]) AS key ORDER BY key
       ON CONFLICT (key) DO UPDATE
          SET hits = CASE WHEN c.expires_at <= now() THEN 1 ELSE c.hits + 1 END,
              expires_at = CASE
                WHEN c.expires_at <= now() THEN EXCLUDED.expires_at
                WHEN c.hits = $3 THEN greatest(c.expires_at, now() + make_interval(secs => $4))
                ELSE c.expires_at
              END
       RETURNING c.key, c.hits, greatest(1, ceil(extract(epoch FROM c.expires_at - now())))::int AS seconds_left`,
      [[...keys], windowSeconds, limit, blockSeconds],
    );
    return rows.map((row) => ({ key: row.key, hits: row.hits, secondsLeft: row.seconds_left }));
  }

  /** The live counts of these counters (a counter whose window has ended counts as nothing). */
  async read(keys: readonly string[]): Promise<Array<{ hits: number; secondsLeft: number }>> {
    const rows = await this.db.query<Array<{ hits: number; seconds_left: number }>>(
      `SELECT hits, greatest(1, ceil(extract(epoch FROM expires_at - now())))::int AS seconds_left
         FROM ${COUNTERS} WHERE key = ANY($1::text[]) AND expires_at > now()`,
      [[...keys]],
    );
    return rows.map((row) => ({ hits: row.hits, secondsLeft: row.seconds_left }));
  }

  /** Deletes up to `limit` counters whose window has ended; gives how many went. */
  async deleteExpired(limit: number): Promise<number> {
    const [{ count }] = await this.db.query<Array<{ count: number }>>(
      `WITH gone AS (
         DELETE FROM ${COUNTERS}
          WHERE key IN (SELECT key FROM ${COUNTERS} WHERE expires_at <= now() LIMIT $1)
            AND expires_at <= now()
         RETURNING 1)
       SELECT count(*)::int AS count FROM gone`,
      [limit],
    );
    return count;
  }
}
