import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ULID_PATTERN } from '@vidivo/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { ulid } from 'ulid';
import { Span } from '../domain/availability';
import { SCHEDULING_SCHEMA, SCHEDULING_TABLES, columnsOf } from '../scheduling.schema';
import { BookingRow } from './booking.row';

/** A booking to insert: confirmed, its id made here, its creation time by the database. */
export type NewBooking = Omit<BookingRow, 'id' | 'status' | 'created_at' | 'cancelled_at' | 'cancel_reason'>;

/** One page of a participant's bookings and how many there are in all. */
export interface BookingsPage {
  rows: BookingRow[];
  total: number;
}

/** The exclusion constraint refused a booking: another confirmed booking of the host overlaps it, buffers included. */
export class OverlappingBookingError extends Error {
  constructor() {
    super('another confirmed booking of the host overlaps');
  }
}

/**
 * The statements of one transaction over bookings. Its manager is there for the outbox, so an event
 * commits or rolls back with the change it reports.
 */
export interface BookingsTransaction {
  readonly manager: EntityManager;
  /** Holds the host's bookings until the transaction ends: bookings of one host take turns. */
  lockHost(hostId: string): Promise<void>;
  /** Throws {@link OverlappingBookingError} when the booking overlaps a confirmed one. */
  insert(booking: NewBooking): Promise<BookingRow>;
  /** Cancels a confirmed booking; undefined when it is not (any longer) confirmed. */
  cancel(bookingId: string, cancelledBy: string, reason: string | null): Promise<BookingRow | undefined>;
}

const BOOKINGS = SCHEDULING_TABLES.bookings;
const BOOKING_COLUMNS = columnsOf<BookingRow>({
  id: true,
  host_id: true,
  host_name: true,
  guest_id: true,
  guest_name: true,
  scheduled_at: true,
  duration_minutes: true,
  ends_at: true,
  blocked_until: true,
  note: true,
  rate_cents: true,
  window_size_minutes: true,
  status: true,
  created_at: true,
  cancelled_at: true,
  cancel_reason: true,
});

/** Postgres' code for a violated exclusion constraint: another confirmed booking overlaps. */
const EXCLUSION_VIOLATION = '23P01';

/** TypeORM answers an UPDATE … RETURNING with [rows, affected count]. */
type Updated<Row> = [Row[], number];

type PagedRow = BookingRow & { total: string };

/** "start end start end …" → spans. */
function spansOf(ranges: string): Span[] {
  const values = ranges.split(' ');
  const spans: Span[] = [];
  for (let i = 0; i + 1 < values.length; i += 2) spans.push({ start: Number(values[i]), end: Number(values[i + 1]) });
  return spans;
}

function toBookingRow({ total: _total, ...row }: PagedRow): BookingRow {
  return row;
}

/** Bookings; the database refuses overlaps (decision 17). */
@Injectable()
export class BookingsRepository {
  constructor(@InjectDataSource(SCHEDULING_SCHEMA) private readonly dataSource: DataSource) {}

  transaction<T>(work: (transaction: BookingsTransaction) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) => work(new SqlBookingsTransaction(manager)));
  }

  /** An id that is no ULID names no booking, and is not asked for. */
  async find(bookingId: string): Promise<BookingRow | undefined> {
    if (!ULID_PATTERN.test(bookingId)) return undefined;
    const [row] = await this.dataSource.query<BookingRow[]>(`SELECT ${BOOKING_COLUMNS} FROM ${BOOKINGS} WHERE id = $1`, [bookingId]);
    return row;
  }

  /**
   * The time the host's confirmed bookings block (buffers included) that touches [from, to), in start
   * order, in epoch milliseconds (as the driver would read the timestamps: to the millisecond, truncated).
   */
  async busy(hostId: string, from: Date, to: Date): Promise<Span[]> {
    // The range test is the exclusion constraint's, so its GiST index finds just these rows, however
    // long the host's history. They come back as one row of numbers: for a busy host the driver's work
    // per row and per timestamp (about 2.5 µs each) cost more than computing all the slots.
    const [{ ranges }] = await this.dataSource.query<[{ ranges: string | null }]>(
      `SELECT string_agg(floor(extract(epoch FROM scheduled_at) * 1000) || ' ' || floor(extract(epoch FROM blocked_until) * 1000), ' ' ORDER BY scheduled_at) AS ranges
         FROM ${BOOKINGS}
        WHERE host_id = $1 AND status = 'confirmed' AND tstzrange(scheduled_at, blocked_until, '[)') && tstzrange($2, $3, '[)')`,
      [hostId, from, to],
    );
    return ranges === null ? [] : spansOf(ranges);
  }

  /** The bookings the user hosts or attends, newest first. */
  async pageOf(userId: string, limit: number, offset: number): Promise<BookingsPage> {
    const rows = await this.dataSource.query<PagedRow[]>(
      `SELECT ${BOOKING_COLUMNS}, count(*) OVER () AS total FROM ${BOOKINGS}
        WHERE host_id = $1 OR guest_id = $1
        ORDER BY scheduled_at DESC, id DESC LIMIT $2 OFFSET $3`,
      [userId, limit, offset],
    );
    // A page past the end has no rows to carry the total.
    const total = rows.length > 0 ? Number(rows[0].total) : await this.count(userId);
    return { rows: rows.map(toBookingRow), total };
  }

  private async count(userId: string): Promise<number> {
    const [{ total }] = await this.dataSource.query<[{ total: number }]>(`SELECT count(*)::int AS total FROM ${BOOKINGS} WHERE host_id = $1 OR guest_id = $1`, [userId]);
    return total;
  }
}

class SqlBookingsTransaction implements BookingsTransaction {
  constructor(readonly manager: EntityManager) {}

  async lockHost(hostId: string): Promise<void> {
    // The exclusion constraint alone stays correct, but concurrent conflicting inserts wait on each
    // other's index entries and end in deadlocks, each found only after deadlock_timeout: a burst
    // for one slot took seconds and timed out.
    await this.manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`${BOOKINGS}:${hostId}`]);
  }

  async insert(booking: NewBooking): Promise<BookingRow> {
    try {
      const [row] = await this.manager.query<BookingRow[]>(
        `INSERT INTO ${BOOKINGS}
           (id, host_id, host_name, guest_id, guest_name, scheduled_at, duration_minutes, ends_at, blocked_until, note, rate_cents, window_size_minutes)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING ${BOOKING_COLUMNS}`,
        [
          ulid(),
          booking.host_id,
          booking.host_name,
          booking.guest_id,
          booking.guest_name,
          booking.scheduled_at,
          booking.duration_minutes,
          booking.ends_at,
          booking.blocked_until,
          booking.note,
          booking.rate_cents,
          booking.window_size_minutes,
        ],
      );
      return row;
    } catch (error) {
      if ((error as { driverError?: { code?: string } }).driverError?.code === EXCLUSION_VIOLATION) throw new OverlappingBookingError();
      throw error;
    }
  }

  async cancel(bookingId: string, cancelledBy: string, reason: string | null): Promise<BookingRow | undefined> {
    const [[row]] = await this.manager.query<Updated<BookingRow>>(
      `UPDATE ${BOOKINGS} SET status = 'cancelled', cancelled_at = now(), cancelled_by = $2, cancel_reason = $3
        WHERE id = $1 AND status = 'confirmed' RETURNING ${BOOKING_COLUMNS}`,
      [bookingId, cancelledBy, reason],
    );
    return row;
  }
}
