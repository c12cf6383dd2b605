import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  Equals,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsTimeZone,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { Participant } from '../calls';
import { IsIsoInstant, IsRatePerMinute } from '../validators';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type WeekdayName = (typeof WEEKDAYS)[number];
/** A local wall-clock time; a window may end at 24:00 (midnight at its end). */
export const CLOCK_TIME = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
export const CALENDAR_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export class WeeklyRuleDto {
  @IsIn(WEEKDAYS, { message: `day must be one of ${WEEKDAYS.join(', ')}` })
  day!: WeekdayName;

  @Matches(CLOCK_TIME, { message: 'start must be a time like 09:00' })
  start!: string;

  @Matches(CLOCK_TIME, { message: 'end must be a time like 17:00 (24:00 for midnight)' })
  end!: string;
}

export class DateOverrideDto {
  @Matches(CALENDAR_DATE, { message: 'date must be a date like 2026-03-15' })
  date!: string;

  @IsOptional()
  @Equals(true, { message: 'unavailable must be true when given' })
  unavailable?: true;

  @ValidateIf((override: DateOverrideDto) => override.unavailable !== true)
  @Matches(CLOCK_TIME, { message: 'start must be a time like 09:00' })
  start?: string;

  @ValidateIf((override: DateOverrideDto) => override.unavailable !== true)
  @Matches(CLOCK_TIME, { message: 'end must be a time like 17:00 (24:00 for midnight)' })
  end?: string;
}

export class AvailabilityRequest {
  @IsString()
  @IsTimeZone({ message: 'timezone must be an IANA time zone such as Europe/Berlin' })
  timezone!: string;

  @IsRatePerMinute()
  rate_per_minute!: string;

  @IsInt()
  @Min(1)
  @Max(60)
  window_size_minutes!: number;

  @IsOptional()
  @IsInt()
  @Min(15)
  @Max(240)
  slot_minutes?: number;

  @IsArray()
  @ArrayMaxSize(70)
  @ValidateNested({ each: true })
  @Type(() => WeeklyRuleDto)
  weekly!: WeeklyRuleDto[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(400)
  @ValidateNested({ each: true })
  @Type(() => DateOverrideDto)
  date_overrides?: DateOverrideDto[];

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_080)
  min_notice_minutes?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(240)
  buffer_minutes?: number;
}

export interface AvailabilityDto {
  timezone: string;
  rate_per_minute: string;
  window_size_minutes: number;
  slot_minutes: number;
  weekly: WeeklyRuleDto[];
  date_overrides: DateOverrideDto[];
  min_notice_minutes: number;
  buffer_minutes: number;
  updated_at: string;
}

export class SlotsQuery {
  @Matches(CALENDAR_DATE, { message: 'start_date must be a date like 2026-03-15' })
  start_date!: string;

  @Matches(CALENDAR_DATE, { message: 'end_date must be a date like 2026-03-22' })
  end_date!: string;

  @IsOptional()
  @IsString()
  @IsTimeZone({ message: 'timezone must be an IANA time zone such as Europe/Berlin' })
  timezone?: string;
}

export interface SlotDto {
  date: string;
  start_time: string;
  end_time: string;
  /** The slot's start in UTC, which also tells apart the two 01:00s of a fall-back night. */
  start: string;
  available: boolean;
}

export interface SlotsResponse {
  host: { display_name: string; username: string; rate_per_minute: string; window_size_minutes: number };
  timezone: string;
  slots: SlotDto[];
}

export class BookRequest {
  @IsString()
  @MaxLength(100)
  host_username!: string;

  @IsIsoInstant()
  scheduled_at!: string;

  @IsInt({ message: 'duration_minutes must be a whole number of minutes' })
  @Min(15)
  @Max(240)
  duration_minutes!: number;

  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MaxLength(1000)
  note?: string;
}

export class CancelBookingRequest {
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export type BookingStatus = 'confirmed' | 'cancelled';

export interface BookingDto {
  id: string;
  status: BookingStatus;
  host: Participant;
  guest: Participant;
  scheduled_at: string;
  duration_minutes: number;
  note: string | null;
  rate_per_minute: string;
  window_size_minutes: number;
  created_at: string;
  cancelled_at: string | null;
  cancel_reason: string | null;
}
