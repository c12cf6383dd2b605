import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { LINKS_TABLES } from '../links.schema';

/** TypeORM answers an UPDATE … RETURNING with [rows, affected count]. */
type Updated<Row> = [Row[], number];

/**
 * One row per call that took a use of a link, so giving the use back happens at most once. Every
 * statement is an upsert or an UPDATE … RETURNING, so SQL, run in the caller's transaction.
 */
@Injectable()
export class LinkClaimsRepository {
  /**
   * Records the call's use of the link; false when the call already holds one. A call id comes
   * back after its card's authentication, its first claim given back meanwhile (decision 25).
   */
  async record(callId: string, linkId: string, transaction: EntityManager): Promise<boolean> {
    const rows = await transaction.query<Array<{ call_id: string }>>(
      `INSERT INTO ${LINKS_TABLES.linkClaims} AS c (call_id, link_id) VALUES ($1, $2)
       ON CONFLICT (call_id) DO UPDATE SET link_id = EXCLUDED.link_id, claimed_at = now(), released_at = NULL WHERE c.released_at IS NOT NULL
       RETURNING call_id`,
      [callId, linkId],
    );
    return rows.length > 0;
  }

  /** Marks the call's claim released; gives its link the first time only. */
  async release(callId: string, transaction: EntityManager): Promise<string | undefined> {
    const [[released]] = await transaction.query<Updated<{ link_id: string }>>(
      `UPDATE ${LINKS_TABLES.linkClaims} SET released_at = now() WHERE call_id = $1 AND released_at IS NULL RETURNING link_id`,
      [callId],
    );
    return released?.link_id;
  }
}
