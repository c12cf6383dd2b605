import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ActorMessage, ClaimLinkMessage, CreateLinkMessage, DeactivateLinkMessage, ReleaseLinkMessage, ResponseOf, ShortCodeMessage, UsernameMessage } from '@vidivo/contracts';
import { Handles } from '@vidivo/platform';
import { LinkClaimsService } from './link-claims.service';
import { LinksService } from './links.service';

@Controller()
export class LinksHandler {
  constructor(
    private readonly links: LinksService,
    private readonly claims: LinkClaimsService,
  ) {}

  @Handles('links.create')
  create(@Payload() { actor, link }: CreateLinkMessage): Promise<ResponseOf<'links.create'>> {
    return this.links.create(actor, link);
  }

  @Handles('links.list-mine')
  listMine(@Payload() { actor }: ActorMessage): Promise<ResponseOf<'links.list-mine'>> {
    return this.links.listMine(actor);
  }

  @Handles('links.deactivate')
  async deactivate(@Payload() { actor, link_id }: DeactivateLinkMessage): Promise<ResponseOf<'links.deactivate'>> {
    await this.links.deactivate(actor, link_id);
    return { deactivated: true };
  }

  @Handles('links.info')
  info(@Payload() { short_code }: ShortCodeMessage): Promise<ResponseOf<'links.info'>> {
    return this.links.info(short_code);
  }

  @Handles('links.active-by-username')
  activeByUsername(@Payload() { username }: UsernameMessage): Promise<ResponseOf<'links.active-by-username'>> {
    return this.links.activeByUsername(username);
  }

  @Handles('links.claim')
  claim(@Payload() { short_code, call_id }: ClaimLinkMessage): Promise<ResponseOf<'links.claim'>> {
    return this.claims.claim(short_code, call_id);
  }

  @Handles('links.release')
  async release(@Payload() { call_id }: ReleaseLinkMessage): Promise<ResponseOf<'links.release'>> {
    return { released: await this.claims.release(call_id) };
  }
}
