import { Injectable } from '@nestjs/common';
import { BookingDto } from '@vidivo/contracts';
import { AppError, Outbox } from '@vidivo/platform';
import { AvailabilityRepository } from '../../availability/availability.repository';
import { toBookingDto } from '../../bookings/booking.row';
import { BookingsRepository, OverlappingBookingError } from '../../bookings/bookings.repository';
import { blockedRange, isWithinAvailability } from '../../domain/availability';
import { IdentityClient } from '../../identity/identity.client';
import { BookCallCommand } from './book-call.command';

/**
 * A guest books a span inside the host's availability (decision 17). The database refuses
 * overlaps; the booking and its `scheduling.booking.created` event commit together.
 */
@Injectable()
export class BookCallUseCase {
  constructor(
    private readonly bookings: BookingsRepository,
    private readonly availability: AvailabilityRepository,
    private readonly identity: IdentityClient,
    private readonly outbox: Outbox,
  ) {}

  async execute({ actor, request }: BookCallCommand): Promise<BookingDto> {
    const host = await this.identity.profileByUsername(request.host_username);
    if (host.id === actor.id) throw AppError.validation('You cannot book yourself', [{ field: 'host_username', message: 'a host cannot book their own time' }]);
    const availability = await this.availability.forHost(host.id);
    const start = new Date(request.scheduled_at);
    const span = { start, end: new Date(start.getTime() + request.duration_minutes * 60_000) };
    const now = Date.now();
    if (start.getTime() <= now) throw outside('scheduled_at must be in the future');
    if (!availability || !isWithinAvailability(availability.rules, span)) throw outside('the time is outside the host’s availability');
    if (start.getTime() < now + availability.rules.minNoticeMinutes * 60_000) {
      throw outside(`the host needs ${availability.rules.minNoticeMinutes} minutes of notice`);
    }
    const guest = await this.identity.profile(actor.id);
    const blocked = blockedRange(span, availability.rules.bufferMinutes);

    try {
      return await this.bookings.transaction(async (transaction) => {
        await transaction.lockHost(host.id);
        const row = await transaction.insert({
          host_id: host.id,
          host_name: host.display_name,
          guest_id: actor.id,
          guest_name: guest.display_name,
          scheduled_at: span.start,
          duration_minutes: request.duration_minutes,
          ends_at: span.end,
          blocked_until: blocked.end,
          note: request.note || null,
          rate_cents: availability.rateCents,
          window_size_minutes: availability.windowSizeMinutes,
        });
        const booking = toBookingDto(row);
        await this.outbox.add(transaction.manager, 'scheduling.booking.created', { booking });
        return booking;
      });
    } catch (error) {
      if (error instanceof OverlappingBookingError) throw AppError.conflict('This time is already booked');
      throw error;
    }
  }
}

function outside(message: string): AppError {
  return AppError.validation('The time cannot be booked', [{ field: 'scheduled_at', message }]);
}
