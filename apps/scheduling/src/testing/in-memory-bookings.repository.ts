import { DataSource, EntityManager } from 'typeorm';
import { ulid } from 'ulid';
import { BookingRow } from '../bookings/booking.row';
import { BookingsPage, BookingsRepository, BookingsTransaction, NewBooking, OverlappingBookingError } from '../bookings/bookings.repository';
import { Interval, Span } from '../domain/availability';
import { detachedDataSource } from './detached-data-source';

/** One transaction the fake ran: its manager (what the outbox was given) and how it ended. */
export interface FakeTransaction {
  manager: EntityManager;
  /** Hosts locked, in order. */
  locked: string[];
  committed: boolean;
}

const overlaps = (a: Interval, b: Interval) => a.start < b.end && b.start < a.end;

/**
 * Bookings in a map, with the database's rules that the use cases rely on: an insert overlapping a
 * confirmed booking of the host (buffers included) is refused as the exclusion constraint refuses it,
 * cancelling applies to confirmed bookings only, and a transaction that throws leaves nothing behind.
 */
export class InMemoryBookingsRepository extends BookingsRepository {
  private readonly committed = new Map<string, BookingRow>();
  readonly transactions: FakeTransaction[] = [];

  constructor(private readonly detached: DataSource = detachedDataSource()) {
    super(detached);
  }

  /** A confirmed booking made earlier. */
  seed(booking: NewBooking): BookingRow {
    const row: BookingRow = { ...booking, id: ulid(), status: 'confirmed', created_at: new Date(), cancelled_at: null, cancel_reason: null };
    this.committed.set(row.id, row);
    return { ...row };
  }

  /** Every booking stored, in insertion order. */
  all(): BookingRow[] {
    return [...this.committed.values()].map((row) => ({ ...row }));
  }

  override async transaction<T>(work: (transaction: BookingsTransaction) => Promise<T>): Promise<T> {
    const staged = new Map([...this.committed].map(([id, row]) => [id, { ...row }]));
    const record: FakeTransaction = { manager: this.detached.createEntityManager(), locked: [], committed: false };
    this.transactions.push(record);
    const result = await work(new InMemoryBookingsTransaction(staged, record));
    this.committed.clear();
    staged.forEach((row, id) => this.committed.set(id, row));
    record.committed = true;
    return result;
  }

  override async find(bookingId: string): Promise<BookingRow | undefined> {
    const row = this.committed.get(bookingId);
    return row && { ...row };
  }

  override async busy(hostId: string, from: Date, to: Date): Promise<Span[]> {
    return this.all()
      .filter((row) => row.host_id === hostId && row.status === 'confirmed' && overlaps({ start: row.scheduled_at, end: row.blocked_until }, { start: from, end: to }))
      .map((row) => ({ start: row.scheduled_at.getTime(), end: row.blocked_until.getTime() }))
      .sort((a, b) => a.start - b.start);
  }

  override async pageOf(userId: string, limit: number, offset: number): Promise<BookingsPage> {
    const mine = this.all()
      .filter((row) => row.host_id === userId || row.guest_id === userId)
      .sort((a, b) => b.scheduled_at.getTime() - a.scheduled_at.getTime() || b.id.localeCompare(a.id));
    return { rows: mine.slice(offset, offset + limit), total: mine.length };
  }
}

class InMemoryBookingsTransaction implements BookingsTransaction {
  readonly manager: EntityManager;

  constructor(
    private readonly rows: Map<string, BookingRow>,
    private readonly record: FakeTransaction,
  ) {
    this.manager = record.manager;
  }

  async lockHost(hostId: string): Promise<void> {
    this.record.locked.push(hostId);
  }

  async insert(booking: NewBooking): Promise<BookingRow> {
    const blocks = { start: booking.scheduled_at, end: booking.blocked_until };
    const taken = [...this.rows.values()].some(
      (row) => row.host_id === booking.host_id && row.status === 'confirmed' && overlaps(blocks, { start: row.scheduled_at, end: row.blocked_until }),
    );
    if (taken) throw new OverlappingBookingError();
    const row: BookingRow = { ...booking, id: ulid(), status: 'confirmed', created_at: new Date(), cancelled_at: null, cancel_reason: null };
    this.rows.set(row.id, row);
    return { ...row };
  }

  async cancel(bookingId: string, _cancelledBy: string, reason: string | null): Promise<BookingRow | undefined> {
    const row = this.rows.get(bookingId);
    if (row?.status !== 'confirmed') return undefined;
    Object.assign(row, { status: 'cancelled', cancelled_at: new Date(), cancel_reason: reason });
    return { ...row };
  }
}
