import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CALL_STATUSES, isOver } from '@vidivo/call-state';
import { JoinCallResponse } from '@vidivo/contracts';
import { DataSource } from 'typeorm';
import { CALLS_SCHEMA, CALLS_TABLES } from '../calls.schema';

/** TypeORM answers an UPDATE or DELETE … RETURNING with [rows, affected count]. */
type Changed<Row> = [Row[], number];

const ATTEMPTS = CALLS_TABLES.joinAttempts;
const OVER = CALL_STATUSES.filter(isOver);

/** What a join finds for its key: its own new attempt, an answer to replay, or another join still at work. */
export type JoinAttempt = { started: true } | { answered: JoinCallResponse } | { running: true };

/** Joins by the client's idempotency key (decision 32). Each statement is one atomic upsert, update or delete. */
@Injectable()
export class JoinAttemptsRepository {
  constructor(@InjectDataSource(CALLS_SCHEMA) private readonly dataSource: DataSource) {}

  /**
   * Starts the key's join for `callId`, or finds the one before: its answer, or still at work. A
   * join that died without answering is taken over: when it recorded no call within `graceSeconds`
   * (its link use has been given back by then), or once the call it recorded is over (a no-show).
   */
  async begin(joinKey: string, callId: string, graceSeconds: number): Promise<JoinAttempt> {
    const started = await this.dataSource.query<Array<{ call_id: string }>>(
      `INSERT INTO ${ATTEMPTS} AS a (join_key, call_id) VALUES ($1, $2)
       ON CONFLICT (join_key) DO UPDATE SET call_id = EXCLUDED.call_id, created_at = now()
        WHERE a.answer IS NULL
          AND CASE WHEN EXISTS (SELECT 1 FROM ${CALLS_TABLES.calls} c WHERE c.id = a.call_id)
                   THEN EXISTS (SELECT 1 FROM ${CALLS_TABLES.calls} c WHERE c.id = a.call_id AND c.status = ANY($4::text[]))
                   ELSE a.created_at <= now() - $3 * interval '1 second' END
       RETURNING a.call_id`,
      [joinKey, callId, graceSeconds, OVER],
    );
    if (started.length) return { started: true };
    const [existing] = await this.dataSource.query<Array<{ answer: JoinCallResponse | null }>>(`SELECT answer FROM ${ATTEMPTS} WHERE join_key = $1`, [joinKey]);
    return existing?.answer ? { answered: existing.answer } : { running: true };
  }

  /** The join answered: a retry with its key gets this. */
  async answer(joinKey: string, callId: string, answer: JoinCallResponse): Promise<void> {
    await this.dataSource.query(`UPDATE ${ATTEMPTS} SET answer = $3 WHERE join_key = $1 AND call_id = $2`, [joinKey, callId, answer]);
  }

  /** The join failed and left no call to answer with: a retry runs afresh. */
  async forget(joinKey: string, callId: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM ${ATTEMPTS} WHERE join_key = $1 AND call_id = $2`, [joinKey, callId]);
  }

  /** The waiting calls of joins that never answered within `seconds`: they died, or their clean-up ran into an outage. */
  async abandonedCalls(seconds: number, limit: number): Promise<string[]> {
    const rows = await this.dataSource.query<Array<{ call_id: string }>>(
      `SELECT a.call_id FROM ${ATTEMPTS} a JOIN ${CALLS_TABLES.calls} c ON c.id = a.call_id
        WHERE a.answer IS NULL AND a.created_at <= now() - $1 * interval '1 second' AND c.status = 'waiting'
        ORDER BY a.created_at LIMIT $2`,
      [seconds, limit],
    );
    return rows.map((row) => row.call_id);
  }

  /** Deletes attempts older than a client retries for (the gateway keeps its keys as long); answers how many. */
  async deleteOlderThan(hours: number): Promise<number> {
    const [, count] = await this.dataSource.query<Changed<unknown>>(`DELETE FROM ${ATTEMPTS} WHERE created_at < now() - $1 * interval '1 hour'`, [hours]);
    return count;
  }
}
