import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsNotIn, IsOptional, IsString, Length, Matches, MaxLength, MinLength } from 'class-validator';
import { Role } from '../actor';
import { HasCodePointsBetween } from '../validators';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const lowerTrim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

export const USERNAME_PATTERN = /^[a-z0-9_]{3,30}$/;
/** Path segments of /v1/schedule/* that would shadow a host's public page if they were usernames. */
export const RESERVED_USERNAMES = ['availability', 'mine', 'book', 'admin', 'api', 'signal'];
export const PUBLIC_ROLES = ['user', 'host'] as const;

export class RegisterRequest {
  @Transform(lowerTrim)
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email!: string;

  @IsString()
  @MinLength(8)
  @MaxLength(200)
  password!: string;

  @IsString()
  @Matches(USERNAME_PATTERN, { message: 'username must be 3-30 characters of a-z, 0-9 and _' })
  @IsNotIn(RESERVED_USERNAMES, { message: 'this username is reserved' })
  username!: string;

  @Transform(trim)
  @IsString()
  @HasCodePointsBetween(1, 100)
  display_name!: string;

  @IsOptional()
  @IsIn(PUBLIC_ROLES, { message: 'role must be "user" or "host"' })
  role?: (typeof PUBLIC_ROLES)[number];
}

export class LoginRequest {
  @Transform(lowerTrim)
  @IsString()
  @MaxLength(254)
  email!: string;

  @IsString()
  @MaxLength(200)
  password!: string;
}

export class RefreshRequest {
  @IsString()
  @Length(1, 200)
  refresh_token!: string;
}

export class GuestRequest {
  @IsOptional()
  @Transform(trim)
  @IsString()
  @HasCodePointsBetween(1, 100)
  display_name?: string;

  @IsOptional()
  @Transform(lowerTrim)
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email?: string;
}

export interface UserDto {
  id: string;
  email: string | null;
  username: string | null;
  display_name: string;
  avatar_url: string | null;
  timezone: string | null;
  role: Role;
  created_at: string;
}

export interface AuthResponse {
  user: UserDto;
  access_token: string;
  refresh_token: string;
  expires_in: number;
}

export interface GuestAuthResponse {
  user: UserDto;
  access_token: string;
  expires_in: number;
}

export interface Jwks {
  keys: Array<Record<string, string>>;
}
