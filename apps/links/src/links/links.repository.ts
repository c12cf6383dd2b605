import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, MoreThan, Repository, SelectQueryBuilder } from 'typeorm';
import { ulid } from 'ulid';
import { LINKS_SCHEMA } from '../links.schema';
import { LinkEntity } from './link.entity';

/** A link to insert; its id is made here, its creation time by the database. */
export type NewLink = Omit<LinkEntity, 'id' | 'createdAt'>;

/** A link one of whose uses was just taken: what a claim answers with. */
export type ClaimedLink = Pick<LinkEntity, 'id' | 'shortCode' | 'hostId' | 'rateCents' | 'windowSizeMinutes'>;

export interface ClaimedLinkRow {
  id: string;
  short_code: string;
  host_id: string;
  rate_cents: number;
  window_size_minutes: number;
}

/** A link that can start a call now (by the database's clock), as SQL conditions on call_links. */
export const LIVE_AND_USABLE = `is_active AND (expires_at IS NULL OR expires_at > now()) AND (max_uses IS NULL OR use_count < max_uses)`;

export function toClaimedLink(row: ClaimedLinkRow): ClaimedLink {
  return { id: row.id, shortCode: row.short_code, hostId: row.host_id, rateCents: row.rate_cents, windowSizeMinutes: row.window_size_minutes };
}

/** Call links, through their entity; taking a use is SQL (one conditional UPDATE … RETURNING). */
@Injectable()
export class LinksRepository {
  constructor(@InjectRepository(LinkEntity, LINKS_SCHEMA) private readonly links: Repository<LinkEntity>) {}

  /** Inserts the link and reads it back with its creation time; a short code already taken fails on `call_links_short_code_key`. */
  async insert(link: NewLink): Promise<LinkEntity> {
    const id = ulid();
    await this.links.insert(this.links.create({ ...link, id }));
    return this.links.findOneByOrFail({ id });
  }

  findById(id: string): Promise<LinkEntity | null> {
    return this.links.findOneBy({ id });
  }

  findByShortCode(shortCode: string): Promise<LinkEntity | null> {
    return this.links.findOneBy({ shortCode });
  }

  /** The host's links, newest first. */
  listOfHost(hostId: string): Promise<LinkEntity[]> {
    return this.links.find({ where: { hostId }, order: { createdAt: 'DESC', id: 'DESC' } });
  }

  /** Soft delete of an active link; an inactive one keeps its first deactivation time. */
  async deactivate(id: string): Promise<void> {
    await this.links.update({ id, isActive: true }, { isActive: false, deactivatedAt: new Date() });
  }

  /** The host's newest link that can still start a call, by the database's clock. */
  newestUsableOfHost(hostId: string): Promise<LinkEntity | null> {
    return this.live(this.links)
      .andWhere('link.host_id = :hostId', { hostId })
      .andWhere('(link.max_uses IS NULL OR link.use_count < link.max_uses)')
      .orderBy('link.created_at', 'DESC')
      .addOrderBy('link.id', 'DESC')
      .getOne();
  }

  /** The active, unexpired link with this code, whether or not a use is left. */
  findLive(shortCode: string, transaction: EntityManager): Promise<LinkEntity | null> {
    return this.live(transaction.getRepository(LinkEntity)).andWhere('link.short_code = :shortCode', { shortCode }).getOne();
  }

  /** Gives a use back; the count never goes below zero. */
  async giveUseBack(linkId: string, transaction: EntityManager): Promise<void> {
    await transaction.decrement(LinkEntity, { id: linkId, useCount: MoreThan(0) }, 'useCount', 1);
  }

  /** Active and not expired, by the database's clock. */
  private live(links: Repository<LinkEntity>): SelectQueryBuilder<LinkEntity> {
    return links.createQueryBuilder('link').where('link.is_active').andWhere('(link.expires_at IS NULL OR link.expires_at > now())');
  }
}
