import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { LinkClaimDto, SHORT_CODE_PATTERN } from '@vidivo/contracts';
import { formatCents } from '@vidivo/money';
import { AppError } from '@vidivo/platform';
import { DataSource } from 'typeorm';
import { LINKS_SCHEMA } from '../links.schema';

interface ClaimedLink {
  id: string;
  short_code: string;
  host_id: string;
  rate_cents: number;
  window_size_minutes: number;
}

/**
 * Uses of a link by calls (decision 9). Taking a use is one conditional UPDATE, so parallel joins
 * on a link with one use left cannot both win; the claim row makes giving it back idempotent.
 */
@Injectable()
export class LinkClaimsService {
  constructor(@InjectDataSource(LINKS_SCHEMA) private readonly dataSource: DataSource) {}

  async claim(shortCode: string, callId: string): Promise<LinkClaimDto> {
    if (!SHORT_CODE_PATTERN.test(shortCode)) throw AppError.notFound('Call link');
    return this.dataSource.transaction(async (transaction) => {
      // TypeORM answers an UPDATE with [rows, count].
      const [[claimed]]: [ClaimedLink[], number] = await transaction.query(
        `UPDATE links.call_links SET use_count = use_count + 1
          WHERE short_code = $1 AND is_active AND (expires_at IS NULL OR expires_at > now())
            AND (max_uses IS NULL OR use_count < max_uses)
          RETURNING id, short_code, host_id, rate_cents, window_size_minutes`,
        [shortCode],
      );
      if (!claimed) throw await this.whyUnusable(transaction.query.bind(transaction), shortCode);
      // A call id comes back after its card's authentication, its first claim given back meanwhile (decision 25).
      const claims: unknown[] = await transaction.query(
        `INSERT INTO links.link_claims AS c (call_id, link_id) VALUES ($1, $2)
         ON CONFLICT (call_id) DO UPDATE SET link_id = EXCLUDED.link_id, claimed_at = now(), released_at = NULL WHERE c.released_at IS NOT NULL
         RETURNING call_id`,
        [callId, claimed.id],
      );
      if (claims.length === 0) throw AppError.conflict('This call already holds a use of a link');
      return {
        link_id: claimed.id,
        short_code: claimed.short_code,
        host_id: claimed.host_id,
        rate_per_minute: formatCents(claimed.rate_cents),
        window_size_minutes: claimed.window_size_minutes,
      };
    });
  }

  /** Returns the call's use to its link; true only the first time. */
  async release(callId: string): Promise<boolean> {
    return this.dataSource.transaction(async (transaction) => {
      const [[released]]: [Array<{ link_id: string }>, number] = await transaction.query(
        `UPDATE links.link_claims SET released_at = now() WHERE call_id = $1 AND released_at IS NULL RETURNING link_id`,
        [callId],
      );
      if (!released) return false;
      await transaction.query(`UPDATE links.call_links SET use_count = use_count - 1 WHERE id = $1 AND use_count > 0`, [released.link_id]);
      return true;
    });
  }

  /** Unknown, expired or deactivated links are not found; a used-up one is a conflict (decision 9). */
  private async whyUnusable(query: (sql: string, parameters: unknown[]) => Promise<Array<{ used_up: boolean }>>, shortCode: string): Promise<AppError> {
    const [link] = await query(
      `SELECT (max_uses IS NOT NULL AND use_count >= max_uses) AS used_up FROM links.call_links
        WHERE short_code = $1 AND is_active AND (expires_at IS NULL OR expires_at > now())`,
      [shortCode],
    );
    return link?.used_up ? AppError.conflict('This call link has reached its maximum number of uses') : AppError.notFound('Call link');
  }
}
