import { Injectable } from '@nestjs/common';
import { Actor, BookingDto, CalendarFile, DEFAULT_PAGE, DEFAULT_PER_PAGE, Page, PageQuery } from '@vidivo/contracts';
import { AppConfig, AppError } from '@vidivo/platform';
import { IdentityClient } from '../identity/identity.client';
import { toBookingDto } from './booking.row';
import { BookingsRepository } from './bookings.repository';
import { calendarInvite } from './calendar-invite';
import { asParticipant } from './participant.policy';

/** Reads of bookings; booking and cancelling are use cases of their own. */
@Injectable()
export class BookingsService {
  constructor(
    private readonly bookings: BookingsRepository,
    private readonly identity: IdentityClient,
    private readonly config: AppConfig,
  ) {}

  async mine(actor: Actor, query: PageQuery): Promise<Page<BookingDto>> {
    const page = query.page ?? DEFAULT_PAGE;
    const perPage = query.per_page ?? DEFAULT_PER_PAGE;
    const { rows, total } = await this.bookings.pageOf(actor.id, perPage, (page - 1) * perPage);
    return { data: rows.map(toBookingDto), page, per_page: perPage, total };
  }

  async calendar(actor: Actor, bookingId: string): Promise<CalendarFile> {
    const booking = asParticipant(actor, await this.bookings.find(bookingId));
    const contacts = await this.identity.contacts([booking.host_id, booking.guest_id]);
    const contact = (id: string) => contacts.find((candidate) => candidate.id === id);
    const joinUrl = `${this.config.publicWebUrl}/bookings/${booking.id}`;
    return { filename: 'vidivo-call.ics', ics: calendarInvite(booking, contact(booking.host_id), contact(booking.guest_id), joinUrl) };
  }

  /** For calls: the booking behind a scheduled call. */
  async booking(bookingId: string): Promise<BookingDto> {
    const row = await this.bookings.find(bookingId);
    if (!row) throw AppError.notFound('Booking');
    return toBookingDto(row);
  }
}
