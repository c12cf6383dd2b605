import { Body, Controller, Get, Patch } from '@nestjs/common';
import { Actor, UpdateMeRequest, UserDto } from '@vidivo/contracts';
import { CurrentActor, MessageBus } from '@vidivo/platform';

@Controller('v1/users')
export class UsersController {
  constructor(private readonly bus: MessageBus) {}

  @Get('me')
  me(@CurrentActor() actor: Actor): Promise<UserDto> {
    return this.bus.request('identity.users.me', { actor });
  }

  @Patch('me')
  updateMe(@CurrentActor() actor: Actor, @Body() changes: UpdateMeRequest): Promise<UserDto> {
    return this.bus.request('identity.users.update-me', { actor, changes });
  }
}
