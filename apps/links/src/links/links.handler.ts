import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ActorMessage, CreateLinkMessage, DeactivateLinkMessage, ResponseOf, ShortCodeMessage, UsernameMessage } from '@vidivo/contracts';
import { Handles } from '@vidivo/platform';
import { LinksService } from './links.service';

@Controller()
export class LinksHandler {
  constructor(private readonly links: LinksService) {}

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
}
