import { ApiProperty } from '@nestjs/swagger';
import { ROLES, Role } from '../actor';
import { AuthResponse, GuestAuthResponse, Jwks, UserDto } from '../identity';
import { ApiSchemaOf } from './api-schema-of.decorator';
import { INSTANT, ULID } from './wire-formats';

@ApiSchemaOf<UserDto>('User')
export class UserSchema implements UserDto {
  @ApiProperty(ULID)
  id!: string;

  @ApiProperty({ type: String, format: 'email', nullable: true, description: 'null for a guest who gave none' })
  email!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'janecoach', description: 'null for guests' })
  username!: string | null;

  @ApiProperty({ example: 'Jane Smith' })
  display_name!: string;

  @ApiProperty({ type: String, format: 'uri', nullable: true })
  avatar_url!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Europe/Berlin' })
  timezone!: string | null;

  @ApiProperty({ enum: ROLES, enumName: 'Role' })
  role!: Role;

  @ApiProperty(INSTANT)
  created_at!: string;
}

@ApiSchemaOf<AuthResponse>('AuthResponse')
export class AuthResponseSchema implements AuthResponse {
  @ApiProperty({ type: UserSchema })
  user!: UserSchema;

  @ApiProperty({ description: 'RS256 JWT; send it as `Authorization: Bearer <token>`' })
  access_token!: string;

  @ApiProperty({ description: 'Single use: POST /v1/auth/refresh rotates the pair' })
  refresh_token!: string;

  @ApiProperty({ type: 'integer', description: 'Seconds until the access token expires', example: 900 })
  expires_in!: number;
}

@ApiSchemaOf<GuestAuthResponse>('GuestAuthResponse')
export class GuestAuthResponseSchema implements GuestAuthResponse {
  @ApiProperty({ type: UserSchema })
  user!: UserSchema;

  @ApiProperty()
  access_token!: string;

  @ApiProperty({ type: 'integer', example: 900 })
  expires_in!: number;
}

@ApiSchemaOf<Jwks>('Jwks', 'The public keys that verify access tokens (RFC 7517)')
export class JwksSchema implements Jwks {
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: { type: 'string' } } })
  keys!: Array<Record<string, string>>;
}
