import { PublicProfileDto, UserDto, toIsoSeconds } from '@vidivo/contracts';
import { UserEntity } from './user.entity';

export function toUserDto(user: UserEntity): UserDto {
  return {
    id: user.id,
    email: user.email,
    username: user.username,
    display_name: user.displayName,
    avatar_url: user.avatarUrl,
    timezone: user.timezone,
    role: user.role,
    created_at: toIsoSeconds(user.createdAt),
  };
}

export function toPublicProfile(user: UserEntity): PublicProfileDto {
  return { id: user.id, display_name: user.displayName, avatar_url: user.avatarUrl, username: user.username };
}
