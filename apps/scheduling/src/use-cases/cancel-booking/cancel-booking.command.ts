import { Actor } from '@vidivo/contracts';

/** A participant (or an admin) calls a booking off. */
export interface CancelBookingCommand {
  actor: Actor;
  bookingId: string;
  reason: string | null;
}
