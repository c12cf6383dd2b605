import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, Equals, IsArray, IsIn, IsInt, IsOptional, IsString, IsTimeZone, Matches, Max, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import { Participant } from '../calls';
import { INSTANT, RATE_PER_MINUTE } from '../openapi/wire-formats';
import { IsIsoInstant, IsRatePerMinute, IsWithinInputDates } from '../validators';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type WeekdayName = (typeof WEEKDAYS)[number];
/** A local wall-clock time; a window may end at 24:00 (midnight at its end). */
export const CLOCK_TIME = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
export const CALENDAR_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export class WeeklyRuleDto {
  @ApiProperty({ enum: WEEKDAYS, enumName: 'Weekday' })
  @IsIn(WEEKDAYS, { message: `day must be one of ${WEEKDAYS.join(', ')}` })
  day!: WeekdayName;

  @ApiProperty({ pattern: CLOCK_TIME.source, example: '09:00', description: "local time in the host's timezone" })
  @Matches(CLOCK_TIME, { message: 'start must be a time like 09:00' })
  start!: string;

  @ApiProperty({ pattern: CLOCK_TIME.source, example: '17:00', description: '24:00 for midnight' })
  @Matches(CLOCK_TIME, { message: 'end must be a time like 17:00 (24:00 for midnight)' })
  end!: string;
}

export class DateOverrideDto {
  @ApiProperty({ format: 'date', pattern: CALENDAR_DATE.source, example: '2026-03-15' })
  @Matches(CALENDAR_DATE, { message: 'date must be a date like 2026-03-15' })
  @IsWithinInputDates()
  date!: string;

  @ApiPropertyOptional({ type: Boolean, enum: [true], description: 'the whole day is off; otherwise start and end replace the weekly hours' })
  @IsOptional()
  @Equals(true, { message: 'unavailable must be true when given' })
  unavailable?: true;

  @ApiPropertyOptional({ pattern: CLOCK_TIME.source, example: '10:00', description: 'required unless unavailable' })
  @ValidateIf((override: DateOverrideDto) => override.unavailable !== true)
  @Matches(CLOCK_TIME, { message: 'start must be a time like 09:00' })
  start?: string;

  @ApiPropertyOptional({ pattern: CLOCK_TIME.source, example: '14:00', description: 'required unless unavailable' })
  @ValidateIf((override: DateOverrideDto) => override.unavailable !== true)
  @Matches(CLOCK_TIME, { message: 'end must be a time like 17:00 (24:00 for midnight)' })
  end?: string;
}

export class AvailabilityRequest {
  @ApiProperty({ example: 'Europe/Berlin', description: 'IANA time zone the weekly rules are in' })
  @IsString()
  @IsTimeZone({ message: 'timezone must be an IANA time zone such as Europe/Berlin' })
  timezone!: string;

  @ApiProperty(RATE_PER_MINUTE)
  @IsRatePerMinute()
  rate_per_minute!: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 60, example: 10 })
  @IsInt()
  @Min(1)
  @Max(60)
  window_size_minutes!: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 15, maximum: 240, default: 60 })
  @IsOptional()
  @IsInt()
  @Min(15)
  @Max(240)
  slot_minutes?: number;

  @ApiProperty({ type: [WeeklyRuleDto], maxItems: 70 })
  @IsArray()
  @ArrayMaxSize(70)
  @ValidateNested({ each: true })
  @Type(() => WeeklyRuleDto)
  weekly!: WeeklyRuleDto[];

  @ApiPropertyOptional({ type: [DateOverrideDto], maxItems: 400 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(400)
  @ValidateNested({ each: true })
  @Type(() => DateOverrideDto)
  date_overrides?: DateOverrideDto[];

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 10_080, default: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_080)
  min_notice_minutes?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 240, default: 0 })
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
  @ApiProperty({ format: 'date', example: '2026-03-15' })
  @Matches(CALENDAR_DATE, { message: 'start_date must be a date like 2026-03-15' })
  @IsWithinInputDates()
  start_date!: string;

  @ApiProperty({ format: 'date', example: '2026-03-22', description: 'at most 62 days after start_date' })
  @Matches(CALENDAR_DATE, { message: 'end_date must be a date like 2026-03-22' })
  @IsWithinInputDates()
  end_date!: string;

  @ApiPropertyOptional({ example: 'Europe/Berlin', description: "the zone slots are reported in; default the host's" })
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
  @ApiProperty({ maxLength: 100, example: 'janecoach' })
  @IsString()
  @MaxLength(100)
  host_username!: string;

  @ApiProperty({ ...INSTANT, example: '2026-03-16T14:00:00Z' })
  @IsIsoInstant()
  @IsWithinInputDates()
  scheduled_at!: string;

  @ApiProperty({ type: 'integer', minimum: 15, maximum: 240, example: 30 })
  @IsInt({ message: 'duration_minutes must be a whole number of minutes' })
  @Min(15)
  @Max(240)
  duration_minutes!: number;

  @ApiPropertyOptional({ maxLength: 1000, example: 'Career coaching session' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MaxLength(1000)
  note?: string;
}

export class CancelBookingRequest {
  @ApiPropertyOptional({ maxLength: 500, example: 'Schedule conflict' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export const BOOKING_STATUSES = ['confirmed', 'cancelled'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

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
