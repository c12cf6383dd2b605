import { ApiProperty } from '@nestjs/swagger';
import { ActiveLinkDto, LinkDto, LinkInfoDto } from '../links';
import { ApiSchemaOf } from './api-schema-of.decorator';
import { INSTANT, RATE_PER_MINUTE, ULID } from './wire-formats';

@ApiSchemaOf<LinkDto>('Link')
export class LinkSchema implements LinkDto {
  @ApiProperty(ULID)
  id!: string;

  @ApiProperty({ example: 'abc123', pattern: '^[a-z0-9]{6}$' })
  short_code!: string;

  @ApiProperty({ format: 'uri', example: 'https://vidivo.app/c/abc123' })
  url!: string;

  @ApiProperty(ULID)
  host_id!: string;

  @ApiProperty(RATE_PER_MINUTE)
  rate_per_minute!: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 60, example: 10 })
  window_size_minutes!: number;

  @ApiProperty({ ...INSTANT, nullable: true })
  expires_at!: string | null;

  @ApiProperty({ type: 'integer', nullable: true })
  max_uses!: number | null;

  @ApiProperty({ type: 'integer' })
  use_count!: number;

  @ApiProperty({ type: String, nullable: true, example: 'Session with Alex' })
  label!: string | null;

  @ApiProperty()
  is_active!: boolean;

  @ApiProperty(INSTANT)
  created_at!: string;
}

type LinkHost = LinkInfoDto['host'];

@ApiSchemaOf<LinkHost>('LinkHost')
export class LinkHostSchema implements LinkHost {
  @ApiProperty({ example: 'Jane Smith' })
  display_name!: string;

  @ApiProperty({ type: String, format: 'uri', nullable: true })
  avatar_url!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'janecoach' })
  username!: string | null;
}

@ApiSchemaOf<LinkInfoDto>('LinkInfo')
export class LinkInfoSchema implements LinkInfoDto {
  @ApiProperty({ example: 'abc123' })
  short_code!: string;

  @ApiProperty({ type: LinkHostSchema })
  host!: LinkHostSchema;

  @ApiProperty(RATE_PER_MINUTE)
  rate_per_minute!: string;

  @ApiProperty({ type: 'integer', example: 10 })
  window_size_minutes!: number;

  @ApiProperty({ description: 'false for an expired, used-up or deactivated link' })
  is_active!: boolean;

  @ApiProperty({ description: 'the host has the platform open and will hear an incoming call now' })
  host_online!: boolean;
}

@ApiSchemaOf<ActiveLinkDto>('ActiveLink')
export class ActiveLinkSchema extends LinkInfoSchema implements ActiveLinkDto {
  @ApiProperty({ format: 'uri', example: 'https://vidivo.app/c/abc123' })
  url!: string;
}
