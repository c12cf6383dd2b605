import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  ActorMessage,
  BookMessage,
  BookingIdMessage,
  CancelBookingMessage,
  MyBookingsMessage,
  PutAvailabilityMessage,
  ResponseOf,
  SlotsMessage,
  SystemBookingMessage,
} from '@vidivo/contracts';
import { Handles } from '@vidivo/platform';
import { AvailabilityService } from '../availability/availability.service';
import { BookingsService } from './bookings.service';

@Controller()
export class SchedulingHandler {
  constructor(
    private readonly availability: AvailabilityService,
    private readonly bookings: BookingsService,
  ) {}

  @Handles('scheduling.availability.put')
  putAvailability(@Payload() { actor, availability }: PutAvailabilityMessage): Promise<ResponseOf<'scheduling.availability.put'>> {
    return this.availability.put(actor, availability);
  }

  @Handles('scheduling.availability.get')
  getAvailability(@Payload() { actor }: ActorMessage): Promise<ResponseOf<'scheduling.availability.get'>> {
    return this.availability.mine(actor);
  }

  @Handles('scheduling.slots')
  slots(@Payload() { username, query }: SlotsMessage): Promise<ResponseOf<'scheduling.slots'>> {
    return this.bookings.slots(username, query);
  }

  @Handles('scheduling.book')
  book(@Payload() { actor, request }: BookMessage): Promise<ResponseOf<'scheduling.book'>> {
    return this.bookings.book(actor, request);
  }

  @Handles('scheduling.mine')
  mine(@Payload() { actor, query }: MyBookingsMessage): Promise<ResponseOf<'scheduling.mine'>> {
    return this.bookings.mine(actor, query);
  }

  @Handles('scheduling.cancel')
  cancel(@Payload() { actor, booking_id, request }: CancelBookingMessage): Promise<ResponseOf<'scheduling.cancel'>> {
    return this.bookings.cancel(actor, booking_id, request);
  }

  @Handles('scheduling.calendar')
  calendar(@Payload() { actor, booking_id }: BookingIdMessage): Promise<ResponseOf<'scheduling.calendar'>> {
    return this.bookings.calendar(actor, booking_id);
  }

  @Handles('scheduling.booking')
  booking(@Payload() { booking_id }: SystemBookingMessage): Promise<ResponseOf<'scheduling.booking'>> {
    return this.bookings.booking(booking_id);
  }
}
