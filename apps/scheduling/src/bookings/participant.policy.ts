import { Actor } from '@vidivo/contracts';
import { AppError } from '@vidivo/platform';
import { BookingRow } from './booking.row';

/** The booking, when the actor may see and change it: its host, its guest or an admin (decision 17). */
export function asParticipant(actor: Actor, booking: BookingRow | undefined): BookingRow {
  if (!booking) throw AppError.notFound('Booking');
  if (actor.id !== booking.host_id && actor.id !== booking.guest_id && actor.role !== 'admin') {
    throw AppError.forbidden('You are not a participant of this booking');
  }
  return booking;
}
