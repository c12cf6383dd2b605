import { Injectable } from '@nestjs/common';
import { Actor, ContactDto, PublicProfileDto, UpdateMeRequest, UserDto } from '@vidivo/contracts';
import { AppError } from '@vidivo/platform';
import { UserEntity } from './user.entity';
import { toPublicProfile, toUserDto } from './user.mapper';
import { UsersRepository } from './users.repository';

@Injectable()
export class UsersService {
  constructor(private readonly users: UsersRepository) {}

  async me(actor: Actor): Promise<UserDto> {
    return toUserDto(await this.existing(actor.id));
  }

  async updateMe(actor: Actor, changes: UpdateMeRequest): Promise<UserDto> {
    const user = await this.existing(actor.id);
    if (changes.display_name !== undefined) user.displayName = changes.display_name;
    if (changes.avatar_url !== undefined) user.avatarUrl = changes.avatar_url;
    if (changes.timezone !== undefined) user.timezone = changes.timezone;
    return toUserDto(await this.users.save(user));
  }

  async publicProfile(userId: string): Promise<PublicProfileDto> {
    const user = await this.users.findById(userId);
    if (!user) throw AppError.notFound('User');
    return toPublicProfile(user);
  }

  async publicProfileByUsername(username: string): Promise<PublicProfileDto> {
    const user = await this.users.findByUsername(username);
    if (!user) throw AppError.notFound('User');
    return toPublicProfile(user);
  }

  /** For other domains' own messages to participants (calendar invites); never exposed over HTTP. */
  async contacts(userIds: string[]): Promise<ContactDto[]> {
    const users = await this.users.findByIds(userIds);
    return users.map((user) => ({ id: user.id, display_name: user.displayName, email: user.email }));
  }

  /** The token was valid but its user is gone: the caller must sign in again. */
  private async existing(id: string): Promise<UserEntity> {
    const user = await this.users.findById(id);
    if (!user) throw AppError.unauthorized('This account no longer exists');
    return user;
  }
}
