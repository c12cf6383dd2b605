import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { Actor, ActiveLinkDto, CreateLinkRequest, LinkDto, LinkInfoDto } from '@vidivo/contracts';
import { CurrentActor, MessageBus, Public, Roles } from '@vidivo/platform';

@Controller('v1/calls/links')
export class LinksController {
  constructor(private readonly bus: MessageBus) {}

  @Post()
  @Roles('host', 'admin')
  create(@CurrentActor() actor: Actor, @Body() link: CreateLinkRequest): Promise<LinkDto> {
    return this.bus.request('links.create', { actor, link });
  }

  @Get()
  @Roles('host', 'admin')
  listMine(@CurrentActor() actor: Actor): Promise<LinkDto[]> {
    return this.bus.request('links.list-mine', { actor });
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('host', 'admin')
  async deactivate(@CurrentActor() actor: Actor, @Param('id') linkId: string): Promise<void> {
    await this.bus.request('links.deactivate', { actor, link_id: linkId });
  }

  @Public()
  @Get('active/:username')
  activeByUsername(@Param('username') username: string): Promise<ActiveLinkDto> {
    return this.bus.request('links.active-by-username', { username });
  }

  @Public()
  @Get(':shortCode/info')
  info(@Param('shortCode') shortCode: string): Promise<LinkInfoDto> {
    return this.bus.request('links.info', { short_code: shortCode });
  }
}
