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
import { BookCallUseCase } from '../use-cases/book-call/book-call.use-case';
import { CancelBookingUseCase } from '../use-cases/cancel-booking/cancel-booking.use-case';
import { PutAvailabilityUseCase } from '../use-cases/put-availability/put-availability.use-case';
import { BookingsService } from './bookings.service';

@Controller()
export class SchedulingHandler {
  constructor(
    private readonly availability: AvailabilityService,
    private readonly bookings: BookingsService,
    private readonly putAvailabilityUseCase: PutAvailabilityUseCase,
    private readonly bookCallUseCase: BookCallUseCase,
    private readonly cancelBookingUseCase: CancelBookingUseCase,
  ) {}

  @Handles('scheduling.availability.put')
  putAvailability(@Payload() { actor, availability }: PutAvailabilityMessage): Promise<ResponseOf<'scheduling.availability.put'>> {
    return this.putAvailabilityUseCase.execute({ actor, availability });
  }

  @Handles('scheduling.availability.get')
  getAvailability(@Payload() { actor }: ActorMessage): Promise<ResponseOf<'scheduling.availability.get'>> {
    return this.availability.mine(actor);
  }

  @Handles('scheduling.slots')
  slots(@Payload() { username, query }: SlotsMessage): Promise<ResponseOf<'scheduling.slots'>> {
    return this.availability.slots(username, query);
  }

  @Handles('scheduling.book')
  book(@Payload() { actor, request }: BookMessage): Promise<ResponseOf<'scheduling.book'>> {
    return this.bookCallUseCase.execute({ actor, request });
  }

  @Handles('scheduling.mine')
  mine(@Payload() { actor, query }: MyBookingsMessage): Promise<ResponseOf<'scheduling.mine'>> {
    return this.bookings.mine(actor, query);
  }

  @Handles('scheduling.cancel')
  cancel(@Payload() { actor, booking_id, request }: CancelBookingMessage): Promise<ResponseOf<'scheduling.cancel'>> {
    return this.cancelBookingUseCase.execute({ actor, bookingId: booking_id, reason: request.reason ?? null });
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
