import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, IsTimeZone, IsUrl, MaxLength, ValidateIf } from 'class-validator';
import { HasCodePointsBetween } from '../validators';

export class UpdateMeRequest {
  // Absent leaves it as it is; null is refused: every account has a display name.
  @ApiPropertyOptional({ minLength: 1, maxLength: 100, example: 'Jane Smith' })
  @ValidateIf((_, value) => value !== undefined)
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @HasCodePointsBetween(1, 100)
  display_name?: string;

  /** null clears the avatar. */
  @ApiPropertyOptional({ type: String, format: 'uri', maxLength: 2048, nullable: true, description: 'an https URL; null clears it' })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsUrl({ protocols: ['https'], require_protocol: true }, { message: 'avatar_url must be an https URL' })
  @MaxLength(2048)
  avatar_url?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'Europe/Berlin', description: 'an IANA time zone; null clears it' })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsTimeZone({ message: 'timezone must be an IANA time zone such as "Europe/Berlin"' })
  timezone?: string | null;
}

/** What anyone may see of a host: the join page shows it. */
export interface PublicProfileDto {
  id: string;
  display_name: string;
  avatar_url: string | null;
  username: string | null;
}
