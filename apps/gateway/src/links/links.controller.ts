import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, ActiveLinkDto, ActiveLinkSchema, CreateLinkRequest, LinkDto, LinkInfoDto, LinkInfoSchema, LinkSchema } from '@vidivo/contracts';
import { CurrentActor, MessageBus, Public, Roles } from '@vidivo/platform';
import { ApiErrors, ApiIdempotencyKey, WHEN } from '../openapi/openapi.decorators';

const NOT_A_HOST = 'the caller is not a host or admin';

@ApiTags('links')
@Controller('v1/calls/links')
export class LinksController {
  constructor(private readonly bus: MessageBus) {}

  @Post()
  @Roles('host', 'admin')
  @ApiOperation({ summary: 'Create a call link' })
  @ApiBearerAuth()
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: LinkSchema })
  @ApiErrors({ 400: `invalid rate or window size; ${WHEN.invalidBodyOrKey}`, 401: WHEN.noToken, 403: NOT_A_HOST, 409: WHEN.keyInFlight, 422: WHEN.keyReused })
  create(@CurrentActor() actor: Actor, @Body() link: CreateLinkRequest): Promise<LinkDto> {
    return this.bus.request('links.create', { actor, link });
  }

  @Get()
  @Roles('host', 'admin')
  @ApiOperation({ summary: "The caller's call links" })
  @ApiBearerAuth()
  @ApiOkResponse({ type: [LinkSchema] })
  @ApiErrors({ 401: WHEN.noToken, 403: NOT_A_HOST })
  listMine(@CurrentActor() actor: Actor): Promise<LinkDto[]> {
    return this.bus.request('links.list-mine', { actor });
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('host', 'admin')
  @ApiOperation({ summary: 'Deactivate a call link', description: 'It can no longer be used for new calls.' })
  @ApiBearerAuth()
  @ApiNoContentResponse({ description: 'Deactivated' })
  @ApiErrors({ 401: WHEN.noToken, 403: `${NOT_A_HOST}, or the link belongs to another host`, 404: 'no such link' })
  async deactivate(@CurrentActor() actor: Actor, @Param('id') linkId: string): Promise<void> {
    await this.bus.request('links.deactivate', { actor, link_id: linkId });
  }

  @Public()
  @Get('active/:username')
  @ApiOperation({ summary: "A host's newest usable call link" })
  @ApiOkResponse({ type: ActiveLinkSchema })
  @ApiErrors({ 404: 'no such host, or no usable link' })
  activeByUsername(@Param('username') username: string): Promise<ActiveLinkDto> {
    return this.bus.request('links.active-by-username', { username });
  }

  @Public()
  @Get(':shortCode/info')
  @ApiOperation({ summary: 'Public link information for the join page', description: '`is_active` is false for an expired, used-up or deactivated link.' })
  @ApiOkResponse({ type: LinkInfoSchema })
  @ApiErrors({ 404: 'unknown short code' })
  info(@Param('shortCode') shortCode: string): Promise<LinkInfoDto> {
    return this.bus.request('links.info', { short_code: shortCode });
  }
}
