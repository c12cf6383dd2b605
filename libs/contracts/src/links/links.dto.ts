import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsString, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { IsIsoInstant, IsRatePerMinute, IsWithinInputDates } from '../validators';
import { PublicProfileDto } from '../identity';
import { INSTANT, RATE_PER_MINUTE } from '../openapi/wire-formats';

export const SHORT_CODE_PATTERN = /^[a-z0-9]{6}$/;
export const MAX_LINK_USES = 1_000_000;

export class CreateLinkRequest {
  @ApiProperty(RATE_PER_MINUTE)
  @IsRatePerMinute()
  rate_per_minute!: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 60, example: 10, description: 'billing window in minutes' })
  @IsInt({ message: 'window_size_minutes must be a whole number of minutes' })
  @Min(1)
  @Max(60)
  window_size_minutes!: number;

  @ApiPropertyOptional({ ...INSTANT, nullable: true, description: 'null or absent: never expires' })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsIsoInstant()
  @IsWithinInputDates()
  expires_at?: string | null;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_LINK_USES, nullable: true, description: 'null or absent: unlimited' })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsInt({ message: 'max_uses must be a whole number' })
  @Min(1)
  @Max(MAX_LINK_USES)
  max_uses?: number | null;

  @ApiPropertyOptional({ type: String, maxLength: 120, nullable: true, example: 'Session with Alex' })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MaxLength(120)
  label?: string | null;
}

export interface LinkDto {
  id: string;
  short_code: string;
  url: string;
  host_id: string;
  rate_per_minute: string;
  window_size_minutes: number;
  expires_at: string | null;
  max_uses: number | null;
  use_count: number;
  label: string | null;
  is_active: boolean;
  created_at: string;
}

export interface LinkInfoDto {
  short_code: string;
  host: Omit<PublicProfileDto, 'id'>;
  rate_per_minute: string;
  window_size_minutes: number;
  is_active: boolean;
  /** The host has a live `/signal/notify` connection (decision 29). */
  host_online: boolean;
}

export interface ActiveLinkDto extends LinkInfoDto {
  url: string;
}
