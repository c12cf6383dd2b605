import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ActorMessage, ResponseOf, UpdateMeMessage, UserIdMessage, UserIdsMessage, UsernameMessage } from '@vidivo/contracts';
import { Handles } from '@vidivo/platform';
import { UsersService } from './users.service';

@Controller()
export class UsersHandler {
  constructor(private readonly users: UsersService) {}

  @Handles('identity.users.me')
  me(@Payload() { actor }: ActorMessage): Promise<ResponseOf<'identity.users.me'>> {
    return this.users.me(actor);
  }

  @Handles('identity.users.update-me')
  updateMe(@Payload() { actor, changes }: UpdateMeMessage): Promise<ResponseOf<'identity.users.update-me'>> {
    return this.users.updateMe(actor, changes);
  }

  @Handles('identity.users.public-profile')
  publicProfile(@Payload() { user_id }: UserIdMessage): Promise<ResponseOf<'identity.users.public-profile'>> {
    return this.users.publicProfile(user_id);
  }

  @Handles('identity.users.public-profile-by-username')
  publicProfileByUsername(@Payload() { username }: UsernameMessage): Promise<ResponseOf<'identity.users.public-profile-by-username'>> {
    return this.users.publicProfileByUsername(username);
  }

  @Handles('identity.users.contacts')
  contacts(@Payload() { user_ids }: UserIdsMessage): Promise<ResponseOf<'identity.users.contacts'>> {
    return this.users.contacts(user_ids);
  }
}
