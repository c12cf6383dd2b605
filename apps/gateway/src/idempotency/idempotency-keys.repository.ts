import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { GATEWAY_SCHEMA, GATEWAY_TABLES } from '../gateway.schema';

/** How long a first request holds its key before another may take it over (its process died). */
export const KEY_LOCK_SECONDS = 60;
/** How long a key and its answer are kept (decision 5). */
export const KEY_RETENTION_SECONDS = 24 * 60 * 60;

/** A request that holds the key and runs the handler; only this run may complete or release it. */
export interface KeyClaim {
  scope: string;
  key: string;
  runId: string;
}

/** A live key another request holds or has answered. */
export interface KeyRecord {
  fingerprint: string;
  state: 'running' | 'completed';
  /** Still held by a running request (false for completed keys and for stale locks). */
  locked: boolean;
  responseStatus: number | null;
  responseBody: unknown;
}

export type ClaimOutcome = { claimed: KeyClaim } | { existing: KeyRecord } | { retry: true };

/** A live key as its look-up selects it. */
interface KeyRecordRow {
  fingerprint: string;
  state: KeyRecord['state'];
  locked: boolean;
  response_status: number | null;
  response_body: unknown;
}

/** TypeORM answers an UPDATE with [rows, affected count]. */
type Updated<Row> = [Row[], number];

function toKeyRecord(row: KeyRecordRow): KeyRecord {
  return { fingerprint: row.fingerprint, state: row.state, locked: row.locked, responseStatus: row.response_status, responseBody: row.response_body };
}

const KEYS = GATEWAY_TABLES.idempotencyKeys;

/** The SQL of idempotency keys; the primary key (scope, key) decides every race. */
@Injectable()
export class IdempotencyKeysRepository {
  constructor(@InjectDataSource(GATEWAY_SCHEMA) private readonly db: DataSource) {}

  /**
   * Inserts the key as running, or takes it over when it has expired or its holder's lock ran out
   * (same fingerprint only). Concurrent claims serialise on the row: exactly one gets it.
   * Otherwise gives the live row, or asks for a retry when it vanished in between.
   */
  async claim(scope: string, key: string, fingerprint: string): Promise<ClaimOutcome> {
    const runId = randomUUID();
    const claimed = await this.db.query<Array<{ run_id: string }>>(
      `INSERT INTO ${KEYS} AS k (scope, key, fingerprint, state, run_id, locked_until, expires_at)
       VALUES ($1, $2, $3, 'running', $4, now() + make_interval(secs => $5), now() + make_interval(secs => $6))
       ON CONFLICT (scope, key) DO UPDATE
          SET fingerprint = EXCLUDED.fingerprint, state = 'running', run_id = EXCLUDED.run_id,
              locked_until = EXCLUDED.locked_until, response_status = NULL, response_body = NULL,
              created_at = now(), expires_at = EXCLUDED.expires_at
        WHERE k.expires_at <= now()
           OR (k.state = 'running' AND k.locked_until <= now() AND k.fingerprint = EXCLUDED.fingerprint)
       RETURNING k.run_id`,
      [scope, key, fingerprint, runId, KEY_LOCK_SECONDS, KEY_RETENTION_SECONDS],
    );
    if (claimed.length === 1) return { claimed: { scope, key, runId } };

    const [row] = await this.db.query<KeyRecordRow[]>(
      `SELECT fingerprint, state, (state = 'running' AND locked_until > now()) AS locked, response_status, response_body
           FROM ${KEYS}
          WHERE scope = $1 AND key = $2 AND expires_at > now()`,
      [scope, key],
    );
    return row ? { existing: toKeyRecord(row) } : { retry: true };
  }

  /** Stores the answer to replay. False when this run no longer holds the key. */
  async complete(claim: KeyClaim, status: number, body: unknown): Promise<boolean> {
    const [, updated] = await this.db.query<Updated<never>>(
      `UPDATE ${KEYS}
          SET state = 'completed', locked_until = NULL, response_status = $4, response_body = $5::json
        WHERE scope = $1 AND key = $2 AND run_id = $3 AND state = 'running'`,
      [claim.scope, claim.key, claim.runId, status, body === undefined || body === null ? null : JSON.stringify(body)],
    );
    return updated === 1;
  }

  /** Forgets a key whose run failed before doing anything that counts, so a retry runs again. */
  async release(claim: KeyClaim): Promise<void> {
    await this.db.query(`DELETE FROM ${KEYS} WHERE scope = $1 AND key = $2 AND run_id = $3 AND state = 'running'`, [claim.scope, claim.key, claim.runId]);
  }

  /** Deletes up to `limit` expired keys; gives how many went. */
  async deleteExpired(limit: number): Promise<number> {
    const [{ count }] = await this.db.query<Array<{ count: number }>>(
      `WITH gone AS (
         DELETE FROM ${KEYS}
          WHERE (scope, key) IN (SELECT scope, key FROM ${KEYS} WHERE expires_at <= now() LIMIT $1)
            AND expires_at <= now()
         RETURNING 1)
       SELECT count(*)::int AS count FROM gone`,
      [limit],
    );
    return count;
  }
}
