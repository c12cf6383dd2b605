import { BookRequest } from '@vidivo/contracts';
import { FakeIdentityClient, InMemoryAvailabilityRepository, InMemoryBookingsRepository, Person, RecordingOutbox, actorOf, dayAt, officeHours, refusal } from '../../testing';
import { BookCallUseCase } from './book-call.use-case';

describe('BookCallUseCase', () => {
  let identity: FakeIdentityClient;
  let availability: InMemoryAvailabilityRepository;
  let bookings: InMemoryBookingsRepository;
  let outbox: RecordingOutbox;
  let useCase: BookCallUseCase;
  let host: Person;
  let guest: Person;

  beforeEach(async () => {
    identity = new FakeIdentityClient();
    availability = new InMemoryAvailabilityRepository();
    bookings = new InMemoryBookingsRepository();
    outbox = new RecordingOutbox();
    useCase = new BookCallUseCase(bookings, availability, identity, outbox);
    host = identity.add('janecoach', 'host');
    guest = identity.add('sam');
    await availability.put(officeHours(host.id));
  });

  const book = (request: Partial<BookRequest> = {}, by: Person = guest) =>
    useCase.execute({ actor: actorOf(by), request: { host_username: host.username, scheduled_at: dayAt(1, '10:00').toISOString(), duration_minutes: 30, ...request } });

  it('books a span inside the availability at the host’s rate, and writes the booked event in the same transaction', async () => {
    const booking = await book({ note: 'Career coaching' });

    expect(booking).toMatchObject({
      status: 'confirmed',
      host: { id: host.id, display_name: host.display_name },
      guest: { id: guest.id, display_name: guest.display_name },
      scheduled_at: dayAt(1, '10:00').toISOString().replace('.000Z', 'Z'),
      duration_minutes: 30,
      note: 'Career coaching',
      rate_per_minute: '2.50',
      window_size_minutes: 10,
      cancelled_at: null,
    });
    const [transaction] = bookings.transactions;
    expect(transaction).toMatchObject({ locked: [host.id], committed: true });
    expect(outbox.events).toEqual([{ transaction: transaction.manager, subject: 'scheduling.booking.created', payload: { booking } }]);
    expect(bookings.all()).toMatchObject([{ id: booking.id, ends_at: dayAt(1, '10:30'), blocked_until: dayAt(1, '10:30') }]);
  });

  it('refuses a time outside the host’s availability (400), also one that runs past its end', async () => {
    for (const request of [{ scheduled_at: dayAt(1, '18:00').toISOString() }, { scheduled_at: dayAt(1, '16:45').toISOString(), duration_minutes: 30 }]) {
      expect(await refusal(book(request))).toEqual({ status: 400, code: 'validation_error', fields: ['scheduled_at'] });
    }
    expect(bookings.all()).toEqual([]);
    expect(outbox.events).toEqual([]);
  });

  it('refuses a time in the past (400)', async () => {
    expect(await refusal(book({ scheduled_at: dayAt(-1, '10:00').toISOString() }))).toEqual({ status: 400, code: 'validation_error', fields: ['scheduled_at'] });
  });

  it('refuses a host booking their own time (400)', async () => {
    expect(await refusal(book({}, host))).toEqual({ status: 400, code: 'validation_error', fields: ['host_username'] });
  });

  it('refuses a host who has published no availability (400)', async () => {
    const newcomer = identity.add('newcomer', 'host');
    expect(await refusal(book({ host_username: newcomer.username }))).toEqual({ status: 400, code: 'validation_error', fields: ['scheduled_at'] });
  });

  it('refuses a time inside the host’s notice (400)', async () => {
    await availability.put(officeHours(host.id, { min_notice_minutes: 3 * 24 * 60 }));
    expect(await refusal(book())).toEqual({ status: 400, code: 'validation_error', fields: ['scheduled_at'] });
    expect((await book({ scheduled_at: dayAt(4, '10:00').toISOString() })).status).toBe('confirmed');
  });

  it('passes on identity’s 404 for a host nobody has', async () => {
    expect(await refusal(book({ host_username: 'nobody_here' }))).toEqual({ status: 404, code: 'not_found', fields: [] });
  });

  it('answers 409 when the repository reports an overlap, and keeps nothing of the attempt', async () => {
    const first = await book();
    const other = identity.add('alex');

    expect(await refusal(book({ scheduled_at: dayAt(1, '10:15').toISOString() }, other))).toEqual({ status: 409, code: 'conflict', fields: [] });
    expect(bookings.all().map((row) => row.id)).toEqual([first.id]);
    expect(bookings.transactions.map((transaction) => transaction.committed)).toEqual([true, false]);
    expect(outbox.events.map((event) => event.subject)).toEqual(['scheduling.booking.created']);
  });

  it('blocks the host’s buffer after a booking for others', async () => {
    await availability.put(officeHours(host.id, { buffer_minutes: 15 }));
    await book();
    const other = identity.add('alex');

    expect(bookings.all()[0].blocked_until).toEqual(dayAt(1, '10:45'));
    expect((await refusal(book({ scheduled_at: dayAt(1, '10:30').toISOString() }, other))).status).toBe(409);
    expect((await book({ scheduled_at: dayAt(1, '10:45').toISOString() }, other)).status).toBe('confirmed');
  });

  it('stores an empty note as none', async () => {
    expect((await book({ note: '' })).note).toBeNull();
  });
});
