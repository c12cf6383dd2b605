import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { LinkClaimDto, SHORT_CODE_PATTERN } from '@vidivo/contracts';
import { AppError } from '@vidivo/platform';
import { DataSource, EntityManager } from 'typeorm';
import { LINKS_SCHEMA } from '../links.schema';
import { LinkClaimsRepository } from './link-claims.repository';
import { toLinkClaim } from './link.mapper';
import { isUsedUp } from './link.policy';
import { LinksRepository } from './links.repository';

/**
 * Uses of a link by calls (decision 9). Taking a use is one statement that locks the usable link,
 * so parallel joins on a link with one use left cannot both win; the claim row makes giving it back idempotent.
 */
@Injectable()
export class LinkClaimsService {
  constructor(
    @InjectDataSource(LINKS_SCHEMA) private readonly dataSource: DataSource,
    private readonly links: LinksRepository,
    private readonly claims: LinkClaimsRepository,
  ) {}

  async claim(shortCode: string, callId: string): Promise<LinkClaimDto> {
    if (!SHORT_CODE_PATTERN.test(shortCode)) throw AppError.notFound('Call link');
    const taken = await this.claims.takeUse(shortCode, callId, this.dataSource.manager);
    if (taken.kind === 'claimed') return toLinkClaim(taken.link);
    if (taken.kind === 'call_holds_one') throw AppError.conflict('This call already holds a use of a link');
    throw await this.whyUnusable(shortCode, this.dataSource.manager);
  }

  /** Returns the call's use to its link; true only the first time. */
  async release(callId: string): Promise<boolean> {
    return this.dataSource.transaction(async (transaction) => {
      const linkId = await this.claims.release(callId, transaction);
      if (!linkId) return false;
      await this.links.giveUseBack(linkId, transaction);
      return true;
    });
  }

  /** Unknown, expired or deactivated links are not found; a used-up one is a conflict (decision 9). */
  private async whyUnusable(shortCode: string, transaction: EntityManager): Promise<AppError> {
    const link = await this.links.findLive(shortCode, transaction);
    return link && isUsedUp(link) ? AppError.conflict('This call link has reached its maximum number of uses') : AppError.notFound('Call link');
  }
}
