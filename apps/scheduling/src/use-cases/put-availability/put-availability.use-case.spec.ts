import { AvailabilityRequest, WeeklyRuleDto } from '@vidivo/contracts';
import { FakeIdentityClient, InMemoryAvailabilityRepository, Person, actorOf, refusal } from '../../testing';
import { PutAvailabilityUseCase } from './put-availability.use-case';

describe('PutAvailabilityUseCase', () => {
  let identity: FakeIdentityClient;
  let availability: InMemoryAvailabilityRepository;
  let useCase: PutAvailabilityUseCase;
  let host: Person;

  beforeEach(() => {
    identity = new FakeIdentityClient();
    availability = new InMemoryAvailabilityRepository();
    useCase = new PutAvailabilityUseCase(availability);
    host = identity.add('janecoach', 'host');
  });

  const put = (request: Partial<AvailabilityRequest> = {}, by: Person = host) =>
    useCase.execute({
      actor: actorOf(by),
      availability: { timezone: 'Europe/Berlin', rate_per_minute: '2.50', window_size_minutes: 10, weekly: [{ day: 'mon', start: '09:00', end: '17:00' }], ...request },
    });

  it('stores the availability with its defaults and answers it as stored', async () => {
    const answer = await put();

    expect(answer).toMatchObject({
      timezone: 'Europe/Berlin',
      rate_per_minute: '2.50',
      window_size_minutes: 10,
      slot_minutes: 60,
      weekly: [{ day: 'mon', start: '09:00', end: '17:00' }],
      date_overrides: [],
      min_notice_minutes: 0,
      buffer_minutes: 0,
    });
    expect(availability.stored(host.id)).toMatchObject({ host_id: host.id, rate_cents: 250, slot_minutes: 60 });
  });

  it('stores only the fields of a rule, and an unavailable day without hours', async () => {
    const weekly = [{ day: 'tue', start: '10:00', end: '12:00', extra: 'dropped' } as WeeklyRuleDto];
    await put({ weekly, date_overrides: [{ date: '2026-12-24', unavailable: true, start: '10:00', end: '11:00' }] });

    expect(availability.stored(host.id)).toMatchObject({ weekly: [{ day: 'tue', start: '10:00', end: '12:00' }], date_overrides: [{ date: '2026-12-24', unavailable: true }] });
    expect(availability.stored(host.id)!.weekly[0]).not.toHaveProperty('extra');
    expect(availability.stored(host.id)!.date_overrides[0]).not.toHaveProperty('start');
  });

  it('lets an admin publish, and refuses anyone else (403)', async () => {
    expect((await put({}, identity.add('root', 'admin'))).timezone).toBe('Europe/Berlin');
    expect(await refusal(put({}, identity.add('sam', 'user')))).toEqual({ status: 403, code: 'forbidden', fields: [] });
  });

  it('names every window that does not end after it starts (400), and stores nothing', async () => {
    const answer = await refusal(
      put({
        weekly: [
          { day: 'mon', start: '09:00', end: '17:00' },
          { day: 'tue', start: '12:00', end: '12:00' },
        ],
        date_overrides: [{ date: '2026-12-24', start: '15:00', end: '14:00' }],
      }),
    );

    expect(answer).toEqual({ status: 400, code: 'validation_error', fields: ['weekly.1.end', 'date_overrides.0.end'] });
    expect(availability.stored(host.id)).toBeUndefined();
  });

  it('refuses a date that does not exist and a second override of one date (400)', async () => {
    const answer = await refusal(
      put({
        date_overrides: [
          { date: '2027-02-29', unavailable: true },
          { date: '2026-12-24', unavailable: true },
          { date: '2026-12-24', start: '10:00', end: '11:00' },
        ],
      }),
    );

    expect(answer).toEqual({ status: 400, code: 'validation_error', fields: ['date_overrides.0.date', 'date_overrides'] });
  });
});
