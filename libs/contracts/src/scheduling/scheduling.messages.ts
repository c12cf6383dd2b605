import { Type } from 'class-transformer';
import { IsDefined, IsString, Length, MaxLength, ValidateNested } from 'class-validator';
import { ActorMessage } from '../message-fields';
import { PageQuery } from '../paging';
import { AvailabilityRequest, BookRequest, CancelBookingRequest, SlotsQuery } from './scheduling.dto';

export class PutAvailabilityMessage extends ActorMessage {
  @IsDefined()
  @ValidateNested()
  @Type(() => AvailabilityRequest)
  availability!: AvailabilityRequest;
}

export class SlotsMessage {
  @IsString()
  @MaxLength(100)
  username!: string;

  @IsDefined()
  @ValidateNested()
  @Type(() => SlotsQuery)
  query!: SlotsQuery;
}

export class BookMessage extends ActorMessage {
  @IsDefined()
  @ValidateNested()
  @Type(() => BookRequest)
  request!: BookRequest;
}

export class MyBookingsMessage extends ActorMessage {
  @IsDefined()
  @ValidateNested()
  @Type(() => PageQuery)
  query!: PageQuery;
}

export class BookingIdMessage extends ActorMessage {
  @IsString()
  booking_id!: string;
}

export class CancelBookingMessage extends BookingIdMessage {
  @IsDefined()
  @ValidateNested()
  @Type(() => CancelBookingRequest)
  request!: CancelBookingRequest;
}

/** Internal: calls reads the booking behind a scheduled call. */
export class SystemBookingMessage {
  @IsString()
  @Length(26, 26)
  booking_id!: string;
}

export interface CalendarFile {
  filename: string;
  ics: string;
}
