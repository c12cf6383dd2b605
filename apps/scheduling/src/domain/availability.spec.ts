import fc from 'fast-check';
import {
  Availability,
  Interval,
  MAX_RANGE_DAYS,
  SlotQuery,
  Span,
  WEEKDAYS,
  availabilityWindows,
  blockedRange,
  daysInRange,
  isValidTimeZone,
  isWithinAvailability,
  slotsFor,
} from './availability';

// Calendar used below: 2026-03-16 is a Monday. DST in 2026: New York 03-08 and 11-01 (Sundays),
// Berlin 03-29 and 10-25 (Sundays). Expected instants are worked out by hand from the zone offsets.

const at = (iso: string): Date => new Date(iso);
const span = (start: string, end: string): Interval => ({ start: at(start), end: at(end) });
/** A busy range as slotsFor takes it, in epoch milliseconds. */
const busySpan = (start: string, end: string): Span => ({ start: Date.parse(start), end: Date.parse(end) });
const iso = (windows: Interval[]) => windows.map((w) => [w.start.toISOString(), w.end.toISOString()]);

function host(overrides: Partial<Availability>): Availability {
  return {
    timezone: 'UTC',
    slotMinutes: 60,
    weekly: [],
    dateOverrides: [],
    minNoticeMinutes: 0,
    bufferMinutes: 0,
    ...overrides,
  };
}

function query(overrides: Partial<SlotQuery> & Pick<SlotQuery, 'startDate'>): SlotQuery {
  return {
    endDate: overrides.startDate,
    timezone: 'UTC',
    now: at('2020-01-01T00:00:00Z'),
    busy: [],
    ...overrides,
  };
}

const labels = (slots: ReturnType<typeof slotsFor>) => slots.map((s) => `${s.date} ${s.start_time}-${s.end_time} ${s.start}${s.available ? '' : ' x'}`);

describe('availabilityWindows', () => {
  it('puts weekly rules on their weekdays, in real time', () => {
    const newYork = host({
      timezone: 'America/New_York',
      weekly: [
        { day: 'mon', start: '09:00', end: '12:00' },
        { day: 'wed', start: '14:00', end: '15:00' },
      ],
    });
    expect(iso(availabilityWindows(newYork, '2026-03-16', '2026-03-22'))).toEqual([
      ['2026-03-16T13:00:00.000Z', '2026-03-16T16:00:00.000Z'],
      ['2026-03-18T18:00:00.000Z', '2026-03-18T19:00:00.000Z'],
    ]);
  });

  it('merges overlapping and adjacent rules of one day', () => {
    const utc = host({
      weekly: [
        { day: 'mon', start: '15:00', end: '16:00' },
        { day: 'mon', start: '09:00', end: '11:00' },
        { day: 'mon', start: '10:00', end: '12:00' },
        { day: 'mon', start: '12:00', end: '13:00' },
      ],
    });
    expect(iso(availabilityWindows(utc, '2026-03-16', '2026-03-16'))).toEqual([
      ['2026-03-16T09:00:00.000Z', '2026-03-16T13:00:00.000Z'],
      ['2026-03-16T15:00:00.000Z', '2026-03-16T16:00:00.000Z'],
    ]);
  });

  it('returns nothing for an empty or inverted date range', () => {
    const utc = host({ weekly: WEEKDAYS.map((day) => ({ day, start: '09:00', end: '17:00' })) });
    expect(availabilityWindows(utc, '2026-03-17', '2026-03-16')).toEqual([]);
  });

  it('ends a "24:00" rule at the next midnight and keeps the next day apart', () => {
    const newYork = host({
      timezone: 'America/New_York',
      weekly: [
        { day: 'sat', start: '22:00', end: '24:00' },
        { day: 'sun', start: '00:00', end: '01:00' },
      ],
    });
    expect(iso(availabilityWindows(newYork, '2026-03-07', '2026-03-08'))).toEqual([
      ['2026-03-08T03:00:00.000Z', '2026-03-08T05:00:00.000Z'],
      ['2026-03-08T05:00:00.000Z', '2026-03-08T06:00:00.000Z'],
    ]);
  });

  describe('date overrides', () => {
    const berlin = host({
      timezone: 'Europe/Berlin',
      weekly: [{ day: 'mon', start: '09:00', end: '12:00' }],
    });

    it('drops an unavailable date and leaves the other weeks alone', () => {
      const away = { ...berlin, dateOverrides: [{ date: '2026-03-16', unavailable: true as const }] };
      expect(iso(availabilityWindows(away, '2026-03-09', '2026-03-23'))).toEqual([
        ['2026-03-09T08:00:00.000Z', '2026-03-09T11:00:00.000Z'],
        ['2026-03-23T08:00:00.000Z', '2026-03-23T11:00:00.000Z'],
      ]);
    });

    it('replaces the weekly rules of a date with a custom window', () => {
      const late = { ...berlin, dateOverrides: [{ date: '2026-03-16', start: '14:00', end: '15:30' }] };
      expect(iso(availabilityWindows(late, '2026-03-16', '2026-03-16'))).toEqual([['2026-03-16T13:00:00.000Z', '2026-03-16T14:30:00.000Z']]);
    });

    it('opens a date that has no weekly rule', () => {
      const saturday = { ...berlin, dateOverrides: [{ date: '2026-03-21', start: '10:00', end: '11:00' }] };
      expect(iso(availabilityWindows(saturday, '2026-03-17', '2026-03-21'))).toEqual([['2026-03-21T09:00:00.000Z', '2026-03-21T10:00:00.000Z']]);
    });

    it('lets unavailable win over a window override of the same date', () => {
      const both = {
        ...berlin,
        dateOverrides: [
          { date: '2026-03-16', start: '14:00', end: '15:00' },
          { date: '2026-03-16', unavailable: true as const },
        ],
      };
      expect(availabilityWindows(both, '2026-03-16', '2026-03-16')).toEqual([]);
    });
  });

  describe('across DST changes', () => {
    const sundayNight = (timezone: string, start = '01:00', end = '04:00') => host({ timezone, weekly: [{ day: 'sun', start, end }] });

    it('is 2 real hours on the New York spring-forward day, 4 on the fall-back day', () => {
      expect(iso(availabilityWindows(sundayNight('America/New_York'), '2026-03-08', '2026-03-08'))).toEqual([['2026-03-08T06:00:00.000Z', '2026-03-08T08:00:00.000Z']]);
      expect(iso(availabilityWindows(sundayNight('America/New_York'), '2026-11-01', '2026-11-01'))).toEqual([['2026-11-01T05:00:00.000Z', '2026-11-01T09:00:00.000Z']]);
    });

    it('is 2 real hours on the Berlin spring-forward day, 4 on the fall-back day', () => {
      expect(iso(availabilityWindows(sundayNight('Europe/Berlin'), '2026-03-29', '2026-03-29'))).toEqual([['2026-03-29T00:00:00.000Z', '2026-03-29T02:00:00.000Z']]);
      expect(iso(availabilityWindows(sundayNight('Europe/Berlin'), '2026-10-25', '2026-10-25'))).toEqual([['2026-10-24T23:00:00.000Z', '2026-10-25T03:00:00.000Z']]);
    });

    it('shifts a time that does not exist forward by the gap', () => {
      // 02:30 does not exist in New York on 2026-03-08: it becomes 03:30 EDT.
      expect(iso(availabilityWindows(sundayNight('America/New_York', '02:30', '05:00'), '2026-03-08', '2026-03-08'))).toEqual([
        ['2026-03-08T07:30:00.000Z', '2026-03-08T09:00:00.000Z'],
      ]);
      // 02:00–03:00 is the skipped hour itself: empty that day, an hour a week later.
      expect(iso(availabilityWindows(sundayNight('America/New_York', '02:00', '03:00'), '2026-03-08', '2026-03-15'))).toEqual([
        ['2026-03-15T06:00:00.000Z', '2026-03-15T07:00:00.000Z'],
      ]);
    });

    it('reads a time that exists twice as its first occurrence', () => {
      // Berlin 2026-10-25: 02:00 CEST (00:00Z) … 03:00 CEST becomes 02:00 CET (01:00Z) … 03:00 CET (02:00Z).
      expect(iso(availabilityWindows(sundayNight('Europe/Berlin', '02:00', '03:00'), '2026-10-25', '2026-10-25'))).toEqual([
        ['2026-10-25T00:00:00.000Z', '2026-10-25T02:00:00.000Z'],
      ]);
      // New York 2026-11-01: 01:30 EDT (05:30Z) to 01:45 EDT (05:45Z).
      expect(iso(availabilityWindows(sundayNight('America/New_York', '01:30', '01:45'), '2026-11-01', '2026-11-01'))).toEqual([
        ['2026-11-01T05:30:00.000Z', '2026-11-01T05:45:00.000Z'],
      ]);
    });
  });

  it('refuses an unknown zone and malformed times', () => {
    expect(() => availabilityWindows(host({ timezone: 'Mars/Base' }), '2026-03-16', '2026-03-16')).toThrow(RangeError);
    const bad = host({ weekly: [{ day: 'mon', start: '9:00', end: '12:00' }] });
    expect(() => availabilityWindows(bad, '2026-03-16', '2026-03-16')).toThrow(RangeError);
    expect(() => availabilityWindows(host({}), '2026-3-16', '2026-03-16')).toThrow(RangeError);
  });
});

describe('slotsFor', () => {
  const newYorkMorning = host({
    timezone: 'America/New_York',
    weekly: [{ day: 'mon', start: '09:00', end: '12:00' }],
  });

  it('cuts weekly windows into slots labelled in the display zone', () => {
    const slots = slotsFor(newYorkMorning, query({ startDate: '2026-03-16', timezone: 'America/New_York' }));
    expect(slots).toEqual([
      { date: '2026-03-16', start_time: '09:00', end_time: '10:00', start: '2026-03-16T13:00:00Z', available: true },
      { date: '2026-03-16', start_time: '10:00', end_time: '11:00', start: '2026-03-16T14:00:00Z', available: true },
      { date: '2026-03-16', start_time: '11:00', end_time: '12:00', start: '2026-03-16T15:00:00Z', available: true },
    ]);
  });

  it('lists only the days that have rules, sorted by start', () => {
    const twoDays = host({
      weekly: [
        { day: 'wed', start: '08:00', end: '09:00' },
        { day: 'mon', start: '16:00', end: '17:00' },
      ],
    });
    expect(labels(slotsFor(twoDays, query({ startDate: '2026-03-15', endDate: '2026-03-21' })))).toEqual([
      '2026-03-16 16:00-17:00 2026-03-16T16:00:00Z',
      '2026-03-18 08:00-09:00 2026-03-18T08:00:00Z',
    ]);
  });

  it('drops a remainder shorter than a slot', () => {
    const odd = host({ slotMinutes: 45, weekly: [{ day: 'mon', start: '09:00', end: '11:00' }] });
    expect(labels(slotsFor(odd, query({ startDate: '2026-03-16' })))).toEqual(['2026-03-16 09:00-09:45 2026-03-16T09:00:00Z', '2026-03-16 09:45-10:30 2026-03-16T09:45:00Z']);
  });

  it('uses a custom window override instead of the weekly rule, and none on an unavailable date', () => {
    const overridden = {
      ...newYorkMorning,
      dateOverrides: [
        { date: '2026-03-16', start: '13:00', end: '14:00' },
        { date: '2026-03-23', unavailable: true as const },
      ],
    };
    const slots = slotsFor(overridden, query({ startDate: '2026-03-16', endDate: '2026-03-30', timezone: 'America/New_York' }));
    expect(labels(slots)).toEqual([
      '2026-03-16 13:00-14:00 2026-03-16T17:00:00Z',
      '2026-03-30 09:00-10:00 2026-03-30T13:00:00Z',
      '2026-03-30 10:00-11:00 2026-03-30T14:00:00Z',
      '2026-03-30 11:00-12:00 2026-03-30T15:00:00Z',
    ]);
  });

  it('marks slots inside the minimum notice unavailable', () => {
    const notice = { ...newYorkMorning, minNoticeMinutes: 120 };
    // now 08:00 EDT: 10:00 EDT is exactly two hours away and still bookable.
    const slots = slotsFor(notice, query({ startDate: '2026-03-16', now: at('2026-03-16T12:00:00Z') }));
    expect(slots.map((s) => [s.start, s.available])).toEqual([
      ['2026-03-16T13:00:00Z', false],
      ['2026-03-16T14:00:00Z', true],
      ['2026-03-16T15:00:00Z', true],
    ]);
  });

  it('lists past slots, and a slot already begun, as unavailable', () => {
    const slots = slotsFor(newYorkMorning, query({ startDate: '2026-03-16', now: at('2026-03-16T14:30:00Z') }));
    expect(slots.map((s) => [s.start, s.available])).toEqual([
      ['2026-03-16T13:00:00Z', false],
      ['2026-03-16T14:00:00Z', false],
      ['2026-03-16T15:00:00Z', true],
    ]);
  });

  describe('against busy ranges', () => {
    const halfHours = host({ slotMinutes: 30, weekly: [{ day: 'mon', start: '09:00', end: '12:00' }] });
    // A booking 10:00–10:30; its blocked range is [10:00, 10:30 + buffer).
    const availableAt = (bufferMinutes: number, busyEnd: string) =>
      slotsFor({ ...halfHours, bufferMinutes }, query({ startDate: '2026-03-16', busy: [busySpan('2026-03-16T10:00:00Z', busyEnd)] })).map((s) => `${s.start_time} ${s.available}`);

    it('blocks only the booked slot without buffers', () => {
      expect(availableAt(0, '2026-03-16T10:30:00Z')).toEqual(['09:00 true', '09:30 true', '10:00 false', '10:30 true', '11:00 true', '11:30 true']);
    });

    it('blocks the slot right after a booking while its buffer runs, and the slot whose buffer would reach it', () => {
      expect(availableAt(15, '2026-03-16T10:45:00Z')).toEqual(['09:00 true', '09:30 false', '10:00 false', '10:30 false', '11:00 true', '11:30 true']);
    });

    it('checks every busy range, given in any order, nested or overlapping', () => {
      const slots = slotsFor(
        halfHours,
        query({
          startDate: '2026-03-16',
          busy: [
            busySpan('2026-03-16T11:30:00Z', '2026-03-16T11:40:00Z'),
            busySpan('2026-03-16T09:00:00Z', '2026-03-16T10:30:00Z'),
            busySpan('2026-03-16T09:10:00Z', '2026-03-16T09:20:00Z'),
            busySpan('2026-03-15T09:00:00Z', '2026-03-15T23:00:00Z'),
          ],
        }),
      ).map((s) => `${s.start_time} ${s.available}`);
      expect(slots).toEqual(['09:00 false', '09:30 false', '10:00 false', '10:30 true', '11:00 true', '11:30 false']);
    });
  });

  describe('across DST changes', () => {
    const sundayNight = (timezone: string) => host({ timezone, weekly: [{ day: 'sun', start: '01:00', end: '04:00' }] });

    it('New York spring-forward: two slots, the first reading 01:00–03:00', () => {
      const slots = slotsFor(sundayNight('America/New_York'), query({ startDate: '2026-03-08', timezone: 'America/New_York' }));
      expect(labels(slots)).toEqual(['2026-03-08 01:00-03:00 2026-03-08T06:00:00Z', '2026-03-08 03:00-04:00 2026-03-08T07:00:00Z']);
    });

    it('New York fall-back: four slots, two of them starting at 01:00', () => {
      const slots = slotsFor(sundayNight('America/New_York'), query({ startDate: '2026-11-01', timezone: 'America/New_York' }));
      expect(labels(slots)).toEqual([
        '2026-11-01 01:00-01:00 2026-11-01T05:00:00Z',
        '2026-11-01 01:00-02:00 2026-11-01T06:00:00Z',
        '2026-11-01 02:00-03:00 2026-11-01T07:00:00Z',
        '2026-11-01 03:00-04:00 2026-11-01T08:00:00Z',
      ]);
    });

    it('Berlin spring-forward: two slots', () => {
      const slots = slotsFor(sundayNight('Europe/Berlin'), query({ startDate: '2026-03-29', timezone: 'Europe/Berlin' }));
      expect(labels(slots)).toEqual(['2026-03-29 01:00-03:00 2026-03-29T00:00:00Z', '2026-03-29 03:00-04:00 2026-03-29T01:00:00Z']);
    });

    it('Berlin fall-back: four slots, two of them starting at 02:00, the first on the previous UTC day', () => {
      const slots = slotsFor(sundayNight('Europe/Berlin'), query({ startDate: '2026-10-25', timezone: 'Europe/Berlin' }));
      expect(labels(slots)).toEqual([
        '2026-10-25 01:00-02:00 2026-10-24T23:00:00Z',
        '2026-10-25 02:00-02:00 2026-10-25T00:00:00Z',
        '2026-10-25 02:00-03:00 2026-10-25T01:00:00Z',
        '2026-10-25 03:00-04:00 2026-10-25T02:00:00Z',
      ]);
    });

    it('keeps a 09:00 rule at 09:00 local on both sides of a change', () => {
      const berlin = host({
        timezone: 'Europe/Berlin',
        slotMinutes: 30,
        weekly: [
          { day: 'sat', start: '09:00', end: '09:30' },
          { day: 'mon', start: '09:00', end: '09:30' },
        ],
      });
      const slots = slotsFor(berlin, query({ startDate: '2026-03-28', endDate: '2026-03-30', timezone: 'Europe/Berlin' }));
      expect(labels(slots)).toEqual(['2026-03-28 09:00-09:30 2026-03-28T08:00:00Z', '2026-03-30 09:00-09:30 2026-03-30T07:00:00Z']);
    });
  });

  describe('in zones with a half- or quarter-hour offset', () => {
    const mondayMorning = (timezone: string) => host({ timezone, weekly: [{ day: 'mon', start: '09:00', end: '11:00' }] });

    it('Asia/Kolkata (+05:30)', () => {
      const slots = slotsFor(mondayMorning('Asia/Kolkata'), query({ startDate: '2026-03-16', timezone: 'Asia/Kolkata' }));
      expect(labels(slots)).toEqual(['2026-03-16 09:00-10:00 2026-03-16T03:30:00Z', '2026-03-16 10:00-11:00 2026-03-16T04:30:00Z']);
    });

    it('Asia/Kathmandu (+05:45)', () => {
      const slots = slotsFor(mondayMorning('Asia/Kathmandu'), query({ startDate: '2026-03-16', timezone: 'Asia/Kathmandu' }));
      expect(labels(slots)).toEqual(['2026-03-16 09:00-10:00 2026-03-16T03:15:00Z', '2026-03-16 10:00-11:00 2026-03-16T04:15:00Z']);
    });

    it('a Kolkata host seen from UTC', () => {
      const slots = slotsFor(mondayMorning('Asia/Kolkata'), query({ startDate: '2026-03-16' }));
      expect(labels(slots)).toEqual(['2026-03-16 03:30-04:30 2026-03-16T03:30:00Z', '2026-03-16 04:30-05:30 2026-03-16T04:30:00Z']);
    });
  });

  describe('with a display zone other than the host zone', () => {
    const newYorkEvening = host({
      timezone: 'America/New_York',
      weekly: [{ day: 'mon', start: '18:00', end: '22:00' }],
    });

    it('shows a Tokyo viewer a New York Monday evening on Tuesday morning', () => {
      expect(slotsFor(newYorkEvening, query({ startDate: '2026-03-16', timezone: 'Asia/Tokyo' }))).toEqual([]);
      expect(labels(slotsFor(newYorkEvening, query({ startDate: '2026-03-17', timezone: 'Asia/Tokyo' })))).toEqual([
        '2026-03-17 07:00-08:00 2026-03-16T22:00:00Z',
        '2026-03-17 08:00-09:00 2026-03-16T23:00:00Z',
        '2026-03-17 09:00-10:00 2026-03-17T00:00:00Z',
        '2026-03-17 10:00-11:00 2026-03-17T01:00:00Z',
      ]);
    });

    it('splits one window between two display dates by each slot start', () => {
      expect(labels(slotsFor(newYorkEvening, query({ startDate: '2026-03-16', timezone: 'Europe/London' })))).toEqual([
        '2026-03-16 22:00-23:00 2026-03-16T22:00:00Z',
        '2026-03-16 23:00-00:00 2026-03-16T23:00:00Z',
      ]);
      expect(labels(slotsFor(newYorkEvening, query({ startDate: '2026-03-17', timezone: 'Europe/London' })))).toEqual([
        '2026-03-17 00:00-01:00 2026-03-17T00:00:00Z',
        '2026-03-17 01:00-02:00 2026-03-17T01:00:00Z',
      ]);
    });

    it('finds host dates two days away when the zones are 26 hours apart', () => {
      // Friday 22:00 at UTC−12 is 2026-03-14T10:00Z, which is Sunday 00:00 at UTC+14.
      const farWest = host({ timezone: 'Etc/GMT+12', weekly: [{ day: 'fri', start: '22:00', end: '23:00' }] });
      expect(labels(slotsFor(farWest, query({ startDate: '2026-03-15', timezone: 'Pacific/Kiritimati' })))).toEqual(['2026-03-15 00:00-01:00 2026-03-14T10:00:00Z']);
    });
  });

  it('refuses an unknown display zone', () => {
    expect(() => slotsFor(newYorkMorning, query({ startDate: '2026-03-16', timezone: 'Mars/Base' }))).toThrow(RangeError);
  });
});

describe('isWithinAvailability', () => {
  // Berlin is CET (UTC+1) in mid-March 2026; Monday 2026-03-16, Wednesday 2026-03-18.
  const berlin = host({
    timezone: 'Europe/Berlin',
    weekly: [
      { day: 'mon', start: '09:00', end: '12:00' },
      { day: 'mon', start: '12:00', end: '13:00' },
      { day: 'mon', start: '20:00', end: '24:00' },
      { day: 'tue', start: '00:00', end: '02:00' },
      { day: 'wed', start: '20:00', end: '24:00' },
    ],
  });
  const within = (start: string, end: string) => isWithinAvailability(berlin, span(start, end));

  it('accepts exactly a window', () => {
    expect(within('2026-03-16T08:00:00Z', '2026-03-16T12:00:00Z')).toBe(true);
  });

  it('refuses a span one minute over either edge', () => {
    expect(within('2026-03-16T08:00:00Z', '2026-03-16T12:01:00Z')).toBe(false);
    expect(within('2026-03-16T07:59:00Z', '2026-03-16T09:00:00Z')).toBe(false);
  });

  it('accepts a span across two adjacent rules that were merged', () => {
    expect(within('2026-03-16T10:30:00Z', '2026-03-16T11:30:00Z')).toBe(true);
  });

  it('refuses a span between windows or on a day without rules', () => {
    expect(within('2026-03-16T12:00:00Z', '2026-03-16T12:30:00Z')).toBe(false);
    expect(within('2026-03-17T08:00:00Z', '2026-03-17T09:00:00Z')).toBe(false);
  });

  it('accepts a span ending exactly at "24:00"', () => {
    expect(within('2026-03-18T22:00:00Z', '2026-03-18T23:00:00Z')).toBe(true);
  });

  it('accepts a span across midnight when the next day starts at 00:00, refuses it otherwise', () => {
    expect(within('2026-03-16T22:30:00Z', '2026-03-16T23:30:00Z')).toBe(true);
    expect(within('2026-03-16T19:00:00Z', '2026-03-17T01:00:00Z')).toBe(true);
    expect(within('2026-03-18T22:30:00Z', '2026-03-18T23:30:00Z')).toBe(false);
  });

  it('refuses an empty or inverted span', () => {
    expect(within('2026-03-16T09:00:00Z', '2026-03-16T09:00:00Z')).toBe(false);
    expect(within('2026-03-16T10:00:00Z', '2026-03-16T09:00:00Z')).toBe(false);
  });

  it('follows overrides', () => {
    const away = { ...berlin, dateOverrides: [{ date: '2026-03-16', unavailable: true as const }] };
    expect(isWithinAvailability(away, span('2026-03-16T08:00:00Z', '2026-03-16T09:00:00Z'))).toBe(false);
    const custom = { ...berlin, dateOverrides: [{ date: '2026-03-17', start: '15:00', end: '16:00' }] };
    expect(isWithinAvailability(custom, span('2026-03-17T14:00:00Z', '2026-03-17T15:00:00Z'))).toBe(true);
    expect(isWithinAvailability(custom, span('2026-03-16T23:30:00Z', '2026-03-17T00:30:00Z'))).toBe(false);
  });

  it('uses the real length of a window on a fall-back day', () => {
    const newYork = host({ timezone: 'America/New_York', weekly: [{ day: 'sun', start: '01:00', end: '04:00' }] });
    expect(isWithinAvailability(newYork, span('2026-11-01T05:00:00Z', '2026-11-01T09:00:00Z'))).toBe(true);
    expect(isWithinAvailability(newYork, span('2026-11-01T05:00:00Z', '2026-11-01T09:01:00Z'))).toBe(false);
  });
});

describe('blockedRange', () => {
  it('extends the end by the buffer', () => {
    expect(blockedRange(span('2026-03-16T10:00:00Z', '2026-03-16T10:30:00Z'), 15)).toEqual(span('2026-03-16T10:00:00Z', '2026-03-16T10:45:00Z'));
    expect(blockedRange(span('2026-03-16T10:00:00Z', '2026-03-16T10:30:00Z'), 0)).toEqual(span('2026-03-16T10:00:00Z', '2026-03-16T10:30:00Z'));
  });
});

describe('daysInRange', () => {
  it('counts both ends', () => {
    expect(daysInRange('2026-03-15', '2026-03-15')).toBe(1);
    expect(daysInRange('2026-03-15', '2026-03-22')).toBe(8);
    expect(daysInRange('2025-12-31', '2026-01-01')).toBe(2);
    expect(daysInRange('2028-02-28', '2028-03-01')).toBe(3);
  });

  it('allows 62 days and not 63', () => {
    expect(MAX_RANGE_DAYS).toBe(62);
    expect(daysInRange('2026-03-01', '2026-05-01')).toBe(62);
    expect(daysInRange('2026-03-01', '2026-05-02')).toBe(63);
  });

  it('is below 1 when the end comes first', () => {
    expect(daysInRange('2026-03-16', '2026-03-15')).toBe(0);
  });

  it('refuses malformed or impossible dates', () => {
    expect(() => daysInRange('2026-02-30', '2026-03-01')).toThrow(RangeError);
    expect(() => daysInRange('2026-03-01', '20260302')).toThrow(RangeError);
  });
});

describe('isValidTimeZone', () => {
  it.each([
    ['Europe/Berlin', true],
    ['UTC', true],
    ['Asia/Kathmandu', true],
    ['Mars/Base', false],
    ['+05:30', false],
    ['', false],
  ])('%p → %p', (zone, valid) => {
    expect(isValidTimeZone(zone)).toBe(valid);
  });
});

describe('slot properties', () => {
  const zones = [
    'UTC',
    'America/New_York',
    'Europe/Berlin',
    'Asia/Kolkata',
    'Asia/Kathmandu',
    'Australia/Lord_Howe', // 30-minute DST shift
    'America/Santiago', // DST change at midnight
    'Pacific/Chatham',
    'Pacific/Kiritimati',
    'Etc/GMT+12',
  ];
  // Dates near the 2026 DST changes of the zones above, plus ordinary ones.
  const startDates = ['2026-03-06', '2026-03-27', '2026-04-03', '2026-09-04', '2026-09-25', '2026-10-23', '2026-10-30', '2026-06-15'];
  const clock = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
  const rule = fc
    .record({
      day: fc.constantFrom(...WEEKDAYS),
      start: fc.integer({ min: 0, max: 95 }),
      length: fc.integer({ min: 1, max: 96 }),
    })
    .map(({ day, start, length }) => ({
      day,
      start: clock(start * 15),
      end: clock(Math.min(96, start + length) * 15),
    }));
  const scenario = fc.record({
    hostZone: fc.constantFrom(...zones),
    displayZone: fc.constantFrom(...zones),
    slotMinutes: fc.constantFrom(15, 20, 30, 45, 50, 60, 90, 120),
    weekly: fc.array(rule, { maxLength: 8 }),
    startDate: fc.constantFrom(...startDates),
    days: fc.integer({ min: 1, max: 10 }),
  });
  const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

  it('puts every slot inside a window, never overlapping, within the asked display dates', () => {
    fc.assert(
      fc.property(scenario, ({ hostZone, displayZone, slotMinutes, weekly, startDate, days }) => {
        const availability = host({ timezone: hostZone, slotMinutes, weekly });
        const endDate = addDays(startDate, days - 1);
        const slots = slotsFor(availability, query({ startDate, endDate, timezone: displayZone }));
        const windows = availabilityWindows(availability, addDays(startDate, -3), addDays(endDate, 3));
        const slotMs = slotMinutes * 60_000;
        let previousEnd = -Infinity;
        slots.forEach((slot, index) => {
          const start = Date.parse(slot.start);
          const end = start + slotMs;
          expect(start).toBeGreaterThanOrEqual(previousEnd);
          previousEnd = end;
          expect(windows.some((w) => w.start.getTime() <= start && end <= w.end.getTime())).toBe(true);
          // isWithinAvailability recomputes windows, so check a sample of slots with it.
          if (index % 7 === 0) {
            expect(isWithinAvailability(availability, { start: new Date(start), end: new Date(end) })).toBe(true);
          }
          expect(slot.date >= startDate && slot.date <= endDate).toBe(true);
        });
        for (let i = 1; i < windows.length; i++) {
          expect(windows[i].start.getTime()).toBeGreaterThanOrEqual(windows[i - 1].end.getTime());
        }
      }),
      { numRuns: 100 },
    );
  });
});
