import { BookingRow } from '../../bookings/booking.row';
import { FakeIdentityClient, InMemoryBookingsRepository, Person, RecordingOutbox, actorOf, dayAt, newBooking, refusal } from '../../testing';
import { CancelBookingUseCase } from './cancel-booking.use-case';

describe('CancelBookingUseCase', () => {
  let identity: FakeIdentityClient;
  let bookings: InMemoryBookingsRepository;
  let outbox: RecordingOutbox;
  let useCase: CancelBookingUseCase;
  let host: Person;
  let guest: Person;
  let booked: BookingRow;

  beforeEach(() => {
    identity = new FakeIdentityClient();
    bookings = new InMemoryBookingsRepository();
    outbox = new RecordingOutbox();
    useCase = new CancelBookingUseCase(bookings, outbox);
    host = identity.add('janecoach', 'host');
    guest = identity.add('sam');
    booked = bookings.seed(newBooking(host, guest, dayAt(1, '10:00')));
  });

  const cancel = (by: Person, reason: string | null = null, bookingId = booked.id) => useCase.execute({ actor: actorOf(by), bookingId, reason });

  it('cancels for the guest with the reason, and writes the cancelled event in the same transaction', async () => {
    const booking = await cancel(guest, 'Schedule conflict');

    expect(booking).toMatchObject({ id: booked.id, status: 'cancelled', cancel_reason: 'Schedule conflict' });
    expect(booking.cancelled_at).not.toBeNull();
    const [transaction] = bookings.transactions;
    expect(transaction.committed).toBe(true);
    expect(outbox.events).toEqual([{ transaction: transaction.manager, subject: 'scheduling.booking.cancelled', payload: { booking } }]);
    expect(bookings.all()).toMatchObject([{ id: booked.id, status: 'cancelled' }]);
  });

  it('lets the host cancel, and an admin who takes part in nothing', async () => {
    expect((await cancel(host)).status).toBe('cancelled');
    const other = bookings.seed(newBooking(host, guest, dayAt(2, '10:00')));
    expect((await cancel(identity.add('root', 'admin'), null, other.id)).status).toBe('cancelled');
  });

  it('answers 409 the second time, writing no second event', async () => {
    await cancel(guest);

    expect(await refusal(cancel(host))).toEqual({ status: 409, code: 'conflict', fields: [] });
    expect(bookings.transactions.map((transaction) => transaction.committed)).toEqual([true, false]);
    expect(outbox.events.map((event) => event.subject)).toEqual(['scheduling.booking.cancelled']);
  });

  it('answers 403 to someone who takes no part in the booking, and leaves it confirmed', async () => {
    expect(await refusal(cancel(identity.add('stranger')))).toEqual({ status: 403, code: 'forbidden', fields: [] });
    expect(bookings.all()).toMatchObject([{ status: 'confirmed' }]);
    expect(bookings.transactions).toEqual([]);
    expect(outbox.events).toEqual([]);
  });

  it('answers 404 for a booking nobody has, also for an id that is no booking id', async () => {
    for (const bookingId of ['01KAAAAAAAAAAAAAAAAAAAAAAA', 'not-a-booking']) {
      expect(await refusal(cancel(guest, null, bookingId))).toEqual({ status: 404, code: 'not_found', fields: [] });
    }
  });
});
