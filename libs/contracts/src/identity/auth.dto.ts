import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
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
  @ApiProperty({ format: 'email', maxLength: 254, example: 'jane@example.com' })
  @Transform(lowerTrim)
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({ format: 'password', minLength: 8, maxLength: 200 })
  @IsString()
  @MinLength(8)
  @MaxLength(200)
  password!: string;

  @ApiProperty({ pattern: USERNAME_PATTERN.source, example: 'janecoach', description: `not one of: ${RESERVED_USERNAMES.join(', ')}` })
  @IsString()
  @Matches(USERNAME_PATTERN, { message: 'username must be 3-30 characters of a-z, 0-9 and _' })
  @IsNotIn(RESERVED_USERNAMES, { message: 'this username is reserved' })
  username!: string;

  @ApiProperty({ minLength: 1, maxLength: 100, example: 'Jane Smith' })
  @Transform(trim)
  @IsString()
  @HasCodePointsBetween(1, 100)
  display_name!: string;

  @ApiPropertyOptional({ enum: PUBLIC_ROLES, default: 'user', description: 'admins come from configuration, never from here' })
  @IsOptional()
  @IsIn(PUBLIC_ROLES, { message: 'role must be "user" or "host"' })
  role?: (typeof PUBLIC_ROLES)[number];
}

export class LoginRequest {
  @ApiProperty({ maxLength: 254, example: 'jane@example.com' })
  @Transform(lowerTrim)
  @IsString()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ format: 'password', maxLength: 200 })
  @IsString()
  @MaxLength(200)
  password!: string;
}

export class RefreshRequest {
  @ApiProperty({ minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  refresh_token!: string;
}

export class GuestRequest {
  @ApiPropertyOptional({ minLength: 1, maxLength: 100, example: 'Alex' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @HasCodePointsBetween(1, 100)
  display_name?: string;

  @ApiPropertyOptional({ format: 'email', maxLength: 254, description: 'for receipts' })
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
