import fc from 'fast-check';
import { DateTime } from 'luxon';
import { Availability, DateOverride, SlotQuery, SlotView, Span, WEEKDAYS, WeeklyRule, isWithinAvailability, slotsFor } from './availability';

/*
 * slotsFor works on epoch milliseconds with each zone's offsets read once per day. Here it is checked
 * against the plain way, written for clarity and not for speed: luxon DateTimes for every date and
 * every slot, toFormat for the labels, every slot compared with every busy range.
 */

const MINUTE_MS = 60_000;

/** The instant the host's wall clock reads `minute` (0..1440) on `date`: the first one when it reads it twice. */
function referenceInstant(date: DateTime, minute: number, zone: string): number {
  const day = date.plus({ days: Math.floor(minute / 1440) });
  const wallClock = { year: day.year, month: day.month, day: day.day, hour: Math.floor((minute % 1440) / 60), minute: minute % 60 };
  return Math.min(
    ...DateTime.fromObject(wallClock, { zone })
      .getPossibleOffsets()
      .map((candidate) => candidate.toMillis()),
  );
}

function referenceMerge(intervals: Array<[number, number]>, touching: boolean): Array<[number, number]> {
  const merged: Array<[number, number]> = [];
  for (const [start, end] of [...intervals].sort((a, b) => a[0] - b[0])) {
    const last = merged[merged.length - 1];
    if (last && (touching ? start <= last[1] : start < last[1])) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/** The host's windows for host-local dates first..last, each date's rules merged, then strict overlaps across dates. */
function referenceWindows(availability: Availability, first: DateTime, last: DateTime): Array<[number, number]> {
  const minutes = (clock: string) => (clock === '24:00' ? 1440 : Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3)));
  const windows: Array<[number, number]> = [];
  for (let date = first; date <= last; date = date.plus({ days: 1 })) {
    const iso = date.toISODate();
    const overrides = availability.dateOverrides.filter((o) => o.date === iso);
    const rules = overrides.some((o) => 'unavailable' in o)
      ? []
      : overrides.length > 0
        ? (overrides as Array<{ start: string; end: string }>)
        : availability.weekly.filter((rule) => rule.day === WEEKDAYS[date.weekday - 1]);
    const dayWindows = rules
      .map((rule): [number, number] => [referenceInstant(date, minutes(rule.start), availability.timezone), referenceInstant(date, minutes(rule.end), availability.timezone)])
      .filter(([start, end]) => start < end);
    windows.push(...referenceMerge(dayWindows, true));
  }
  return referenceMerge(windows, false);
}

function referenceSlots(availability: Availability, query: SlotQuery): SlotView[] {
  const first = DateTime.fromISO(query.startDate, { zone: 'UTC' });
  const last = DateTime.fromISO(query.endDate, { zone: 'UTC' });
  const windows = referenceWindows(availability, first.minus({ days: 2 }), last.plus({ days: 2 }));
  const slotMs = availability.slotMinutes * MINUTE_MS;
  const slots: SlotView[] = [];
  for (const [windowStart, windowEnd] of windows) {
    for (let start = windowStart; start + slotMs <= windowEnd; start += slotMs) {
      const shownStart = DateTime.fromMillis(start, { zone: query.timezone });
      const date = shownStart.toFormat('yyyy-MM-dd');
      if (date < query.startDate || date > query.endDate) continue;
      const blockedUntil = start + slotMs + availability.bufferMinutes * MINUTE_MS;
      const busy = query.busy.some((range) => range.start < blockedUntil && start < range.end);
      slots.push({
        date,
        start_time: shownStart.toFormat('HH:mm'),
        end_time: DateTime.fromMillis(start + slotMs, { zone: query.timezone }).toFormat('HH:mm'),
        start: new Date(start).toISOString().replace('.000Z', 'Z'),
        available: !busy && start >= query.now.getTime() + availability.minNoticeMinutes * MINUTE_MS,
      });
    }
  }
  return slots.sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
}

/** Whether the span lies inside one window, windows that touch counting as one. */
function referenceWithin(availability: Availability, start: number, end: number): boolean {
  if (!(start < end)) return false;
  const localDate = (ms: number) => DateTime.fromISO(DateTime.fromMillis(ms, { zone: availability.timezone }).toISODate()!, { zone: 'UTC' });
  const windows = referenceMerge(referenceWindows(availability, localDate(start).minus({ days: 1 }), localDate(end).plus({ days: 1 })), true);
  return windows.some(([windowStart, windowEnd]) => windowStart <= start && end <= windowEnd);
}

const ZONES = [
  'UTC',
  'America/New_York',
  'Europe/London',
  'Australia/Adelaide', // +09:30, +10:30 in (southern) summer
  'Australia/Lord_Howe', // a 30-minute DST shift
  'Asia/Kathmandu', // +05:45
  'Asia/Kolkata', // +05:30
  'Pacific/Chatham', // +12:45 / +13:45, changes at 02:45 local
  'America/Santiago', // changes at midnight
  'Etc/GMT+12',
  'Pacific/Kiritimati', // +14
];
/** DST changes of the zones above in 2026, and ordinary days; a scenario starts within a few weeks of one. */
const AROUND = ['2026-03-08', '2026-03-29', '2026-04-05', '2026-09-06', '2026-09-27', '2026-10-04', '2026-10-25', '2026-11-01', '2026-06-15', '2027-01-10'];
const DAY_MS = 86_400_000;
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
const clock = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

/** A wall-clock minute: on a 5-minute grid, often in the small hours when clocks change (Chatham's at 02:45, Santiago's at midnight). */
const clockMinute = fc.oneof(
  fc.integer({ min: 0, max: 288 }).map((step) => step * 5),
  fc.integer({ min: 0, max: 16 }).map((step) => step * 15),
);
/** A wall-clock range, "24:00" allowed as the end. */
const clockRange = fc.tuple(clockMinute, clockMinute).map(([a, b]) => {
  const [start, end] = a === b ? [Math.min(a, 1435), Math.min(a, 1435) + 5] : [Math.min(a, b), Math.max(a, b)];
  return { start: clock(start), end: clock(end) };
});
/** Sundays (when most zones change) more often than other days. */
const weekday = fc.oneof(fc.constantFrom(...WEEKDAYS), fc.constant('sun' as const));
const weeklyRule: fc.Arbitrary<WeeklyRule> = fc.record({ day: weekday, range: clockRange }).map(({ day, range }) => ({ day, ...range }));

const scenario = fc
  .record({
    hostZone: fc.constantFrom(...ZONES),
    displayZone: fc.constantFrom(...ZONES),
    slotMinutes: fc.oneof(fc.constantFrom(15, 30, 45, 60, 90, 120), fc.integer({ min: 15, max: 240 })),
    weekly: fc.oneof(fc.array(weeklyRule, { maxLength: 10 }), fc.constant(WEEKDAYS.map((day) => ({ day, start: '00:00', end: '24:00' })))),
    around: fc.constantFrom(...AROUND),
    shift: fc.integer({ min: -40, max: 5 }),
    // Mostly short ranges (the reference is slow), often the 62-day maximum.
    days: fc.oneof(fc.integer({ min: 1, max: 10 }), fc.constant(62)),
    minNoticeMinutes: fc.constantFrom(0, 30, 120, 1440),
    bufferMinutes: fc.constantFrom(0, 5, 15, 60),
    overrideDays: fc.array(fc.record({ day: fc.integer({ min: -2, max: 63 }), unavailable: fc.boolean(), range: clockRange }), { maxLength: 6 }),
    bookings: fc.array(fc.record({ minute: fc.integer({ min: -3 * 1440, max: 66 * 1440 }), length: fc.integer({ min: 1, max: 300 }) }), { maxLength: 40 }),
    nowMinute: fc.integer({ min: -1440, max: 20 * 1440 }),
  })
  .map((s) => {
    const startDate = addDays(s.around, s.shift);
    const base = Date.parse(`${startDate}T00:00:00Z`);
    const dateOverrides: DateOverride[] = s.overrideDays.map(({ day, unavailable, range }) =>
      unavailable ? { date: addDays(startDate, day), unavailable: true as const } : { date: addDays(startDate, day), ...range },
    );
    const availability: Availability = {
      timezone: s.hostZone,
      slotMinutes: s.slotMinutes,
      weekly: s.weekly,
      dateOverrides,
      minNoticeMinutes: s.minNoticeMinutes,
      bufferMinutes: s.bufferMinutes,
    };
    const bookings: Span[] = s.bookings.map(({ minute, length }) => ({ start: base + minute * MINUTE_MS, end: base + (minute + length) * MINUTE_MS }));
    // What each booking blocks: its span and the buffer after it.
    const busy: Span[] = bookings.map(({ start, end }) => ({ start, end: end + s.bufferMinutes * MINUTE_MS }));
    const query: SlotQuery = { startDate, endDate: addDays(startDate, s.days - 1), timezone: s.displayZone, now: new Date(base + s.nowMinute * MINUTE_MS), busy };
    return { availability, query, bookings };
  });

describe('slotsFor against a plain per-slot luxon reference', () => {
  it('gives identical answers over random zones, rules, overrides, bookings and ranges up to 62 days', () => {
    fc.assert(
      fc.property(scenario, ({ availability, query }) => {
        expect(slotsFor(availability, query)).toEqual(referenceSlots(availability, query));
      }),
      { numRuns: 150 },
    );
  });

  it.each(ZONES)('gives identical answers for a 62-day all-week host in %s across the 2026 DST changes, seen from there and from New York', (zone) => {
    const allWeek = WEEKDAYS.map((day) => ({ day, start: '00:00', end: '24:00' }));
    // Times in each zone's gap or repeated hour: 02:30 in New York's, 01:30 in London's, 02:15 in Lord Howe's.
    const nights = WEEKDAYS.flatMap((day) => [
      { day, start: '01:30', end: '02:15' },
      { day, start: '02:30', end: '03:15' },
    ]);
    for (const weekly of [allWeek, nights]) {
      const availability: Availability = { timezone: zone, slotMinutes: 45, weekly, dateOverrides: [], minNoticeMinutes: 0, bufferMinutes: 0 };
      // Together these cover every change of the zones above in 2026 (Chile's on 09-06, New York's last on 11-01).
      for (const startDate of ['2026-02-20', '2026-09-01']) {
        for (const timezone of [zone, 'America/New_York']) {
          const query: SlotQuery = { startDate, endDate: addDays(startDate, 61), timezone, now: new Date(0), busy: [] };
          expect(slotsFor(availability, query)).toEqual(referenceSlots(availability, query));
        }
      }
    }
  });

  it('isWithinAvailability agrees with the reference for spans at random, at window edges and across midnight', () => {
    fc.assert(
      fc.property(scenario, ({ availability, query, bookings }) => {
        const first = DateTime.fromISO(query.startDate, { zone: 'UTC' });
        const windows = referenceWindows(availability, first.minus({ days: 2 }), DateTime.fromISO(query.endDate, { zone: 'UTC' }).plus({ days: 2 }));
        // Each window exactly, a minute over either edge, from one window into the next (inside only
        // when they touch, as at a midnight between "24:00" and "00:00"), and the random bookings' spans.
        const spans = [
          ...windows.flatMap(([start, end], index) => [
            [start, end],
            [start - MINUTE_MS, end],
            [start, end + MINUTE_MS],
            ...(index + 1 < windows.length ? [[end - MINUTE_MS, windows[index + 1][0] + MINUTE_MS]] : []),
          ]),
          ...bookings.map(({ start, end }) => [start, end]),
        ];
        for (const [start, end] of spans) {
          expect([start, end, isWithinAvailability(availability, { start: new Date(start), end: new Date(end) })]).toEqual([start, end, referenceWithin(availability, start, end)]);
        }
      }),
      { numRuns: 60 },
    );
  });
});
