import { ApiProperty } from '@nestjs/swagger';
import { Page } from '../paging';
import { AvailabilityDto, BOOKING_STATUSES, BookingDto, BookingStatus, DateOverrideDto, SlotDto, SlotsResponse, WeeklyRuleDto } from '../scheduling';
import { ApiSchemaOf } from './api-schema-of.decorator';
import { ParticipantSchema } from './calls.schemas';
import { PageSchema } from './paging.schemas';
import { INSTANT, RATE_PER_MINUTE, ULID } from './wire-formats';

@ApiSchemaOf<AvailabilityDto>('Availability', "A host's scheduling settings (decision 16)")
export class AvailabilitySchema implements AvailabilityDto {
  @ApiProperty({ example: 'Europe/Berlin' })
  timezone!: string;

  @ApiProperty(RATE_PER_MINUTE)
  rate_per_minute!: string;

  @ApiProperty({ type: 'integer', example: 10 })
  window_size_minutes!: number;

  @ApiProperty({ type: 'integer', example: 60 })
  slot_minutes!: number;

  @ApiProperty({ type: [WeeklyRuleDto] })
  weekly!: WeeklyRuleDto[];

  @ApiProperty({ type: [DateOverrideDto] })
  date_overrides!: DateOverrideDto[];

  @ApiProperty({ type: 'integer', example: 0 })
  min_notice_minutes!: number;

  @ApiProperty({ type: 'integer', example: 0 })
  buffer_minutes!: number;

  @ApiProperty(INSTANT)
  updated_at!: string;
}

@ApiSchemaOf<SlotDto>('Slot')
export class SlotSchema implements SlotDto {
  @ApiProperty({ format: 'date', example: '2026-03-15' })
  date!: string;

  @ApiProperty({ example: '09:00', description: 'local time in the reported timezone' })
  start_time!: string;

  @ApiProperty({ example: '10:00' })
  end_time!: string;

  @ApiProperty({ ...INSTANT, description: 'the slot start in UTC' })
  start!: string;

  @ApiProperty()
  available!: boolean;
}

type SlotsHost = SlotsResponse['host'];

@ApiSchemaOf<SlotsHost>('SlotsHost')
export class SlotsHostSchema implements SlotsHost {
  @ApiProperty({ example: 'Jane Smith' })
  display_name!: string;

  @ApiProperty({ example: 'janecoach' })
  username!: string;

  @ApiProperty(RATE_PER_MINUTE)
  rate_per_minute!: string;

  @ApiProperty({ type: 'integer', example: 10 })
  window_size_minutes!: number;
}

@ApiSchemaOf<SlotsResponse>('SlotsResponse')
export class SlotsResponseSchema implements SlotsResponse {
  @ApiProperty({ type: SlotsHostSchema })
  host!: SlotsHostSchema;

  @ApiProperty({ example: 'Europe/Berlin', description: 'the zone the slots are reported in' })
  timezone!: string;

  @ApiProperty({ type: [SlotSchema] })
  slots!: SlotSchema[];
}

@ApiSchemaOf<BookingDto>('Booking', 'A booked call (decision 17); its id is also the call id')
export class BookingSchema implements BookingDto {
  @ApiProperty(ULID)
  id!: string;

  @ApiProperty({ enum: BOOKING_STATUSES, enumName: 'BookingStatus' })
  status!: BookingStatus;

  @ApiProperty({ type: ParticipantSchema })
  host!: ParticipantSchema;

  @ApiProperty({ type: ParticipantSchema })
  guest!: ParticipantSchema;

  @ApiProperty(INSTANT)
  scheduled_at!: string;

  @ApiProperty({ type: 'integer', minimum: 15, maximum: 240, example: 30 })
  duration_minutes!: number;

  @ApiProperty({ type: String, nullable: true, example: 'Career coaching session' })
  note!: string | null;

  @ApiProperty(RATE_PER_MINUTE)
  rate_per_minute!: string;

  @ApiProperty({ type: 'integer', example: 10 })
  window_size_minutes!: number;

  @ApiProperty(INSTANT)
  created_at!: string;

  @ApiProperty({ ...INSTANT, nullable: true })
  cancelled_at!: string | null;

  @ApiProperty({ type: String, nullable: true })
  cancel_reason!: string | null;
}

@ApiSchemaOf<Page<BookingDto>>('BookingPage')
export class BookingPageSchema extends PageSchema implements Page<BookingDto> {
  @ApiProperty({ type: [BookingSchema] })
  data!: BookingSchema[];
}
