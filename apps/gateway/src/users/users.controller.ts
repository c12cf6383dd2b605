import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, UpdateMeRequest, UserDto, UserSchema } from '@vidivo/contracts';
import { CurrentActor, MessageBus } from '@vidivo/platform';
import { ApiErrors, WHEN } from '../openapi/openapi.decorators';

@ApiTags('users')
@ApiBearerAuth()
@Controller('v1/users')
export class UsersController {
  constructor(private readonly bus: MessageBus) {}

  @Get('me')
  @ApiOperation({ summary: 'The signed-in account' })
  @ApiOkResponse({ type: UserSchema })
  @ApiErrors({ 401: WHEN.noToken })
  me(@CurrentActor() actor: Actor): Promise<UserDto> {
    return this.bus.request('identity.users.me', { actor });
  }

  @Patch('me')
  @ApiOperation({ summary: 'Change display name, avatar or time zone' })
  @ApiOkResponse({ type: UserSchema })
  @ApiErrors({ 400: WHEN.invalidBody, 401: WHEN.noToken })
  updateMe(@CurrentActor() actor: Actor, @Body() changes: UpdateMeRequest): Promise<UserDto> {
    return this.bus.request('identity.users.update-me', { actor, changes });
  }
}
