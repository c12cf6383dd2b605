import { Injectable } from '@nestjs/common';
import { BookingDto } from '@vidivo/contracts';
import { AppError, Outbox } from '@vidivo/platform';
import { toBookingDto } from '../../bookings/booking.row';
import { BookingsRepository } from '../../bookings/bookings.repository';
import { asParticipant } from '../../bookings/participant.policy';
import { CancelBookingCommand } from './cancel-booking.command';

/**
 * Either participant (or an admin) cancels a booking, once (decision 17); the cancellation and its
 * `scheduling.booking.cancelled` event commit together.
 */
@Injectable()
export class CancelBookingUseCase {
  constructor(
    private readonly bookings: BookingsRepository,
    private readonly outbox: Outbox,
  ) {}

  async execute({ actor, bookingId, reason }: CancelBookingCommand): Promise<BookingDto> {
    asParticipant(actor, await this.bookings.find(bookingId));
    return this.bookings.transaction(async (transaction) => {
      const row = await transaction.cancel(bookingId, actor.id, reason);
      if (!row) throw AppError.conflict('The booking is already cancelled');
      const booking = toBookingDto(row);
      await this.outbox.add(transaction.manager, 'scheduling.booking.cancelled', { booking });
      return booking;
    });
  }
}
