import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { LINKS_TABLES } from '../links.schema';
import { ClaimedLink, ClaimedLinkRow, LIVE_AND_USABLE, toClaimedLink } from './links.repository';

/** What taking a use for a call came to: the link, no usable link by that code, or a call that already holds a use. */
export type UseTaken = { kind: 'claimed'; link: ClaimedLink } | { kind: 'unusable' } | { kind: 'call_holds_one' };

/** TypeORM answers an UPDATE … RETURNING with [rows, affected count]. */
type Updated<Row> = [Row[], number];

/**
 * One row per call that took a use of a link, so giving the use back happens at most once. Every
 * statement is an upsert or an UPDATE … RETURNING, so SQL, run in the caller's transaction.
 */
@Injectable()
export class LinkClaimsRepository {
  /**
   * Takes a use of the link for the call in one statement (one round trip, its own transaction):
   * the link row is locked while still live and not used up (a waiting join sees the committed
   * count again, so parallel joins on a link with one use left cannot both win), the claim is
   * recorded unless the call holds one, and only then is the use counted.
   */
  async takeUse(shortCode: string, callId: string, db: EntityManager): Promise<UseTaken> {
    const [row] = await db.query<Array<{ usable_id: string } & Partial<ClaimedLinkRow>>>(
      `WITH usable AS (
         SELECT id FROM ${LINKS_TABLES.callLinks} WHERE short_code = $1 AND ${LIVE_AND_USABLE} FOR UPDATE),
       claim AS (
         INSERT INTO ${LINKS_TABLES.linkClaims} AS c (call_id, link_id) SELECT $2, id FROM usable
         ON CONFLICT (call_id) DO UPDATE SET link_id = EXCLUDED.link_id, claimed_at = now(), released_at = NULL WHERE c.released_at IS NOT NULL
         RETURNING link_id),
       taken AS (
         UPDATE ${LINKS_TABLES.callLinks} l SET use_count = use_count + 1 FROM claim WHERE l.id = claim.link_id
         RETURNING l.id, l.short_code, l.host_id, l.rate_cents, l.window_size_minutes)
       SELECT usable.id AS usable_id, taken.* FROM usable LEFT JOIN taken ON true`,
      [shortCode, callId],
    );
    if (!row) return { kind: 'unusable' };
    return row.id ? { kind: 'claimed', link: toClaimedLink(row as ClaimedLinkRow) } : { kind: 'call_holds_one' };
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
