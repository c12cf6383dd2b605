import { Module } from '@nestjs/common';
import { DatabaseModule, EventsModule } from '@vidivo/platform';
import { AvailabilityRepository } from './availability/availability.repository';
import { AvailabilityService } from './availability/availability.service';
import { BookingsRepository } from './bookings/bookings.repository';
import { BookingsService } from './bookings/bookings.service';
import { SchedulingHandler } from './bookings/scheduling.handler';
import { BusIdentityClient, IdentityClient } from './identity/identity.client';
import { schedulingDatabase } from './scheduling.database';
import { SCHEDULING_SCHEMA } from './scheduling.schema';
import { BookCallUseCase } from './use-cases/book-call/book-call.use-case';
import { CancelBookingUseCase } from './use-cases/cancel-booking/cancel-booking.use-case';
import { PutAvailabilityUseCase } from './use-cases/put-availability/put-availability.use-case';

/** Hosts' availability, slots, bookings without double-booking, and calendar invites. */
@Module({
  imports: [DatabaseModule.forDomain(schedulingDatabase), EventsModule.forDomain({ schema: SCHEDULING_SCHEMA })],
  controllers: [SchedulingHandler],
  providers: [
    AvailabilityRepository,
    BookingsRepository,
    { provide: IdentityClient, useClass: BusIdentityClient },
    AvailabilityService,
    BookingsService,
    PutAvailabilityUseCase,
    BookCallUseCase,
    CancelBookingUseCase,
  ],
})
export class SchedulingModule {}
