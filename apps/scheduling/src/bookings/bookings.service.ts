import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  Actor,
  BookRequest,
  BookingDto,
  CalendarFile,
  CancelBookingRequest,
  DEFAULT_PAGE,
  DEFAULT_PER_PAGE,
  Page,
  PageQuery,
  SlotsQuery,
  SlotsResponse,
  ULID_PATTERN,
} from '@vidivo/contracts';
import { formatCents } from '@vidivo/money';
import { AppConfig, AppError, MessageBus, Outbox } from '@vidivo/platform';
import { DataSource } from 'typeorm';
import { ulid } from 'ulid';
import { AvailabilityService } from '../availability/availability.service';
import { Interval, MAX_RANGE_DAYS, blockedRange, daysInRange, isCalendarDate, isWithinAvailability, slotsFor } from '../domain/availability';
import { SCHEDULING_SCHEMA } from '../scheduling.schema';
import { BookingRow, toBookingDto } from './booking.row';
import { calendarInvite } from './calendar-invite';

/** Postgres' code for a violated exclusion constraint: another confirmed booking overlaps. */
const EXCLUSION_VIOLATION = '23P01';
const DAY_MS = 24 * 3600 * 1000;

@Injectable()
export class BookingsService {
  constructor(
    @InjectDataSource(SCHEDULING_SCHEMA) private readonly dataSource: DataSource,
    private readonly availability: AvailabilityService,
    private readonly outbox: Outbox,
    private readonly bus: MessageBus,
    private readonly config: AppConfig,
  ) {}

  /** A host's slots for a date range, in the zone asked for (decision 16). */
  async slots(username: string, query: SlotsQuery): Promise<SlotsResponse> {
    // The DTO checks the shape only; 2027-02-29 passes it and would make the range maths throw (a 500).
    for (const field of ['start_date', 'end_date'] as const) {
      if (!isCalendarDate(query[field])) throw AppError.validation('The range is not valid', [{ field, message: `${field} is not a calendar date` }]);
    }
    if (query.end_date < query.start_date) throw AppError.validation('The range is not valid', [{ field: 'end_date', message: 'end_date must not be before start_date' }]);
    if (daysInRange(query.start_date, query.end_date) > MAX_RANGE_DAYS) {
      throw AppError.validation('The range is too long', [{ field: 'end_date', message: `a range covers at most ${MAX_RANGE_DAYS} days` }]);
    }
    const host = await this.bus.request('identity.users.public-profile-by-username', { username });
    const availability = await this.availability.forHost(host.id);
    if (!availability) throw AppError.notFound('Availability of this host');
    const timezone = query.timezone ?? availability.rules.timezone;
    // Bookings near the range, with a margin for zone differences; their blocked ranges include buffers.
    const from = new Date(Date.parse(`${query.start_date}T00:00:00Z`) - 2 * DAY_MS);
    const to = new Date(Date.parse(`${query.end_date}T00:00:00Z`) + 3 * DAY_MS);
    const busy: Interval[] = (
      await this.dataSource.query<{ scheduled_at: Date; blocked_until: Date }[]>(
        `SELECT scheduled_at, blocked_until FROM scheduling.bookings
          WHERE host_id = $1 AND status = 'confirmed' AND scheduled_at < $3 AND blocked_until > $2`,
        [host.id, from, to],
      )
    ).map((row) => ({ start: row.scheduled_at, end: row.blocked_until }));
    return {
      host: {
        display_name: host.display_name,
        username: host.username ?? username,
        rate_per_minute: formatCents(availability.rateCents),
        window_size_minutes: availability.windowSizeMinutes,
      },
      timezone,
      slots: slotsFor(availability.rules, { startDate: query.start_date, endDate: query.end_date, timezone, now: new Date(), busy }),
    };
  }

  /** Books a span inside the host's availability; the database refuses overlaps (decision 17). */
  async book(actor: Actor, request: BookRequest): Promise<BookingDto> {
    const host = await this.bus.request('identity.users.public-profile-by-username', { username: request.host_username });
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
    const guest = await this.bus.request('identity.users.public-profile', { user_id: actor.id });
    const blocked = blockedRange(span, availability.rules.bufferMinutes);

    try {
      return await this.dataSource.transaction(async (transaction) => {
        // Bookings of one host take turns. The exclusion constraint alone stays correct, but
        // concurrent conflicting inserts wait on each other's index entries and end in deadlocks,
        // each found only after deadlock_timeout: a burst for one slot took seconds and timed out.
        await transaction.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`scheduling.bookings:${host.id}`]);
        const [row]: BookingRow[] = await transaction.query(
          `INSERT INTO scheduling.bookings
             (id, host_id, host_name, guest_id, guest_name, scheduled_at, duration_minutes, ends_at, blocked_until, note, rate_cents, window_size_minutes)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING *`,
          [
            ulid(),
            host.id,
            host.display_name,
            actor.id,
            guest.display_name,
            span.start,
            request.duration_minutes,
            span.end,
            blocked.end,
            request.note || null,
            availability.rateCents,
            availability.windowSizeMinutes,
          ],
        );
        const booking = toBookingDto(row);
        await this.outbox.add(transaction, 'scheduling.booking.created', { booking });
        return booking;
      });
    } catch (error) {
      if ((error as { driverError?: { code?: string } }).driverError?.code === EXCLUSION_VIOLATION) throw AppError.conflict('This time is already booked');
      throw error;
    }
  }

  async mine(actor: Actor, query: PageQuery): Promise<Page<BookingDto>> {
    const page = query.page ?? DEFAULT_PAGE;
    const perPage = query.per_page ?? DEFAULT_PER_PAGE;
    const rows: Array<BookingRow & { total: string }> = await this.dataSource.query(
      `SELECT *, count(*) OVER () AS total FROM scheduling.bookings
        WHERE host_id = $1 OR guest_id = $1
        ORDER BY scheduled_at DESC, id DESC LIMIT $2 OFFSET $3`,
      [actor.id, perPage, (page - 1) * perPage],
    );
    const total = rows.length > 0 ? Number(rows[0].total) : await this.count(actor.id);
    return { data: rows.map(toBookingDto), page, per_page: perPage, total };
  }

  /** Either participant may cancel, once (decision 17). */
  async cancel(actor: Actor, bookingId: string, request: CancelBookingRequest): Promise<BookingDto> {
    await this.findForParticipant(actor, bookingId);
    return this.dataSource.transaction(async (transaction) => {
      const [[row]]: [BookingRow[], number] = await transaction.query(
        `UPDATE scheduling.bookings SET status = 'cancelled', cancelled_at = now(), cancelled_by = $2, cancel_reason = $3
          WHERE id = $1 AND status = 'confirmed' RETURNING *`,
        [bookingId, actor.id, request.reason ?? null],
      );
      if (!row) throw AppError.conflict('The booking is already cancelled');
      const booking = toBookingDto(row);
      await this.outbox.add(transaction, 'scheduling.booking.cancelled', { booking });
      return booking;
    });
  }

  async calendar(actor: Actor, bookingId: string): Promise<CalendarFile> {
    const booking = await this.findForParticipant(actor, bookingId);
    const contacts = await this.bus.request('identity.users.contacts', { user_ids: [booking.host_id, booking.guest_id] });
    const contact = (id: string) => contacts.find((candidate) => candidate.id === id);
    const joinUrl = `${this.config.publicWebUrl}/bookings/${booking.id}`;
    return { filename: 'vidivo-call.ics', ics: calendarInvite(booking, contact(booking.host_id), contact(booking.guest_id), joinUrl) };
  }

  /** For calls: the booking behind a scheduled call. */
  async booking(bookingId: string): Promise<BookingDto> {
    return toBookingDto(await this.find(bookingId));
  }

  private async findForParticipant(actor: Actor, bookingId: string): Promise<BookingRow> {
    const booking = await this.find(bookingId);
    if (actor.id !== booking.host_id && actor.id !== booking.guest_id && actor.role !== 'admin') {
      throw AppError.forbidden('You are not a participant of this booking');
    }
    return booking;
  }

  private async find(bookingId: string): Promise<BookingRow> {
    const [row]: BookingRow[] = ULID_PATTERN.test(bookingId) ? await this.dataSource.query<BookingRow[]>(`SELECT * FROM scheduling.bookings WHERE id = $1`, [bookingId]) : [];
    if (!row) throw AppError.notFound('Booking');
    return row;
  }

  private async count(userId: string): Promise<number> {
    const [{ total }] = await this.dataSource.query<[{ total: number }]>(`SELECT count(*)::int AS total FROM scheduling.bookings WHERE host_id = $1 OR guest_id = $1`, [userId]);
    return total;
  }
}

function outside(message: string): AppError {
  return AppError.validation('The time cannot be booked', [{ field: 'scheduled_at', message }]);
}
