import { Module } from '@nestjs/common';
import { DatabaseModule, EventsModule } from '@vidivo/platform';
import { AvailabilityService } from './availability/availability.service';
import { BookingsService } from './bookings/bookings.service';
import { SchedulingHandler } from './bookings/scheduling.handler';
import { schedulingDatabase } from './scheduling.database';
import { SCHEDULING_SCHEMA } from './scheduling.schema';

/** Hosts' availability, slots, bookings without double-booking, and calendar invites. */
@Module({
  imports: [DatabaseModule.forDomain(schedulingDatabase), EventsModule.forDomain({ schema: SCHEDULING_SCHEMA })],
  controllers: [SchedulingHandler],
  providers: [AvailabilityService, BookingsService],
})
export class SchedulingModule {}
