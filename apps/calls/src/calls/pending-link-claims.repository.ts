import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CALLS_SCHEMA, CALLS_TABLES } from '../calls.schema';

/** TypeORM answers an UPDATE or DELETE … RETURNING with [rows, affected count]. */
type Changed<Row> = [Row[], number];

const PENDING = CALLS_TABLES.pendingLinkClaims;

/**
 * Link uses claimed for calls not recorded yet (decision 32). One row per call id: while it
 * exists, no other join claims for that id, and the row goes only once the use is settled, either
 * way: with the insert of the call (same transaction) or after links took the use back.
 */
@Injectable()
export class PendingLinkClaimsRepository {
  constructor(@InjectDataSource(CALLS_SCHEMA) private readonly dataSource: DataSource) {}

  /** Notes a claim about to be made for `callId`; false when another join for that call id has one pending. */
  async open(callId: string, transaction: EntityManager = this.dataSource.manager): Promise<boolean> {
    const rows = await transaction.query<Array<{ call_id: string }>>(`INSERT INTO ${PENDING} (call_id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING call_id`, [callId]);
    return rows.length > 0;
  }

  /** The call is being recorded, in `transaction`: its claim is confirmed. False when the sweep took the claim over first. */
  async confirm(transaction: EntityManager, callId: string): Promise<boolean> {
    const [deleted] = await transaction.query<Changed<{ call_id: string }>>(`DELETE FROM ${PENDING} WHERE call_id = $1 AND swept_at IS NULL RETURNING call_id`, [callId]);
    return deleted.length > 0;
  }

  /** Links has the use back (or never gave it): nothing is pending for the call any more. */
  async close(callId: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM ${PENDING} WHERE call_id = $1`, [callId]);
  }

  /**
   * Takes over, for giving back, the claims pending longer than `graceSeconds` and those taken over
   * before whose give-back failed; the joins still running for them can no longer record their call.
   */
  async takeOverStale(graceSeconds: number, limit: number): Promise<string[]> {
    const [rows] = await this.dataSource.query<Changed<{ call_id: string }>>(
      `UPDATE ${PENDING} SET swept_at = COALESCE(swept_at, now())
        WHERE call_id IN (SELECT call_id FROM ${PENDING}
                           WHERE swept_at IS NOT NULL OR created_at <= now() - $1 * interval '1 second'
                           ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED)
        RETURNING call_id`,
      [graceSeconds, limit],
    );
    return rows.map((row) => row.call_id);
  }
}
